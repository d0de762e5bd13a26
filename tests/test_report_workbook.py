"""ranking.xlsx, opened with openpyxl the way an agency reads it."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

import check_helpers as ch
import report_helpers as h
from scoring.results import read_results


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = h.assess_batch(tmp_path_factory.mktemp("wb"))
    h.report(out)
    return out


@pytest.fixture(scope="module")
def wb(out):
    return load_workbook(out / "ranking.xlsx")


def _rows(ws, header_row=2):
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=header_row + 1)]


def test_workbook_has_the_sheets_an_agency_forwards(wb):
    assert wb.sheetnames[:5] == ["总体排名", "分项得分", "扣分明细", "否决事项", "指标说明"]


def test_title_row_names_the_assessment_rubric_and_as_of_date(wb, out):
    results = read_results(out / "results.json")
    title = wb["总体排名"]["A1"].value
    assert results.rubric.title in title and results.rubric.id in title and h.AS_OF in title


def test_ranking_lists_every_unit_with_rank_total_and_grade(wb, out):
    results = read_results(out / "results.json")
    rows = {r["单位编码"]: r for r in _rows(wb["总体排名"])}
    assert set(rows) == {u.unit_id for u in results.units}
    for u in results.units:
        assert rows[u.unit_id]["名次"] == u.rank
        assert rows[u.unit_id]["总分"] == pytest.approx(u.total.value)
        assert rows[u.unit_id]["等次"] == u.grade


def test_vetoed_unit_is_marked_with_the_vetos_reason(wb):
    rows = {r["单位编码"]: r for r in _rows(wb["总体排名"])}
    assert "空白栏目" in rows[h.VETOED]["单项否决事由"]
    assert not rows[h.CLEAN]["单项否决事由"]
    vetoes = _rows(wb["否决事项"])
    assert [v["单位编码"] for v in vetoes] == [h.VETOED]


def test_long_wrapped_reasons_get_rows_tall_enough_to_read_them(wb):
    ws = wb["扣分明细"]
    header = [c.value for c in ws[2]]
    col = header.index("问题")
    width = ws.column_dimensions[ws.cell(2, col + 1).column_letter].width
    for row in ws.iter_rows(min_row=3):
        text = row[col].value or ""
        if sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) > width:
            assert ws.row_dimensions[row[0].row].height >= 30, text
            break
    else:
        pytest.fail("no long message in 扣分明细 to check")


def test_late_requests_evidence_id_is_in_the_deduction_sheet(wb):
    rows = _rows(wb["扣分明细"])
    hit = [r for r in rows if r["证据编号"] == ch.LATE_REQUEST]
    assert len(hit) == 1
    assert hit[0]["单位编码"] == h.VETOED and hit[0]["指标"] == "D1"
    assert hit[0]["扣分"] == pytest.approx(float(ch.D1[2]))
    assert "2026-10-29" in hit[0]["问题"] and hit[0]["整改要求"]


def test_clean_unit_has_no_rows_in_the_deduction_sheet(wb):
    assert not [r for r in _rows(wb["扣分明细"]) if r["单位编码"] == h.CLEAN]


def test_document_titled_like_a_formula_stays_text(wb):
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the =HYPERLINK title should appear in the findings"
    assert all(c.data_type == "s" for c in cells)
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_jinja_looking_column_name_is_stored_verbatim(wb):
    refs = [r["证据编号"] for r in _rows(wb["扣分明细"])]
    assert h.JINJA_COLUMN in refs


def test_sheets_are_frozen_filtered_and_print_on_a4_landscape(wb):
    for name in ["总体排名", "扣分明细", "指标说明"]:
        ws = wb[name]
        assert ws.freeze_panes in ("A3", "D3")
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:")
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9  # 9: A4 in the OOXML paper table
        assert ws.print_title_rows.replace("$", "") == "1:2"   # title and header repeat on each page


def test_cells_use_chinese_fonts_and_points_have_a_number_format(wb):
    ws = wb["总体排名"]
    assert ws["A1"].font.name == "黑体"
    assert ws["A3"].font.name == "宋体"
    header = [c.value for c in ws[2]]
    total = ws.cell(3, header.index("总分") + 1)
    assert isinstance(total.value, (int, float)) and total.number_format == "0.00"


def test_grades_are_coloured_by_conditional_formatting(wb, out):
    results = read_results(out / "results.json")
    rules = [r for cf in wb["总体排名"].conditional_formatting for r in cf.rules]
    formulas = " ".join(f for r in rules for f in r.formula)
    for g in results.grades:
        assert f'"{g.name}"' in formulas


def test_score_distribution_sheet_counts_units_and_has_a_chart(wb, out):
    results = read_results(out / "results.json")
    ws = wb["分数分布"]
    assert len(ws._charts) == 1
    counts = sum(c.value for row in ws.iter_rows(min_row=3, min_col=2) for c in row if isinstance(c.value, int))
    assert counts == len(results.units)


def test_indicator_sheet_lists_every_indicator_with_points(wb, out):
    results = read_results(out / "results.json")
    rows = _rows(wb["指标说明"])
    assert [r["编号"] for r in rows] == [i.id for i in results.indicators]
    assert [r["分值"] for r in rows] == [pytest.approx(i.points.value) for i in results.indicators]

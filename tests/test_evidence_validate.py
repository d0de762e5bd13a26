"""`zwgk validate`: every loading problem at once, without scoring, and the problem workbook."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import scoring.evidence.validate as validate_module
from evidence_fill import fill_unit_workbook
from scoring.cli import main as zwgk
from scoring.report.pdf import soffice_path, to_pdf, to_png

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_units"
RED = "FF8080"


def run(*args: str):
    return CliRunner().invoke(zwgk, list(args))


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory) -> Path:
    """Two units' filled templates; QC-XQ-01's 依申请公开 has a wrong date, an unknown 答复结果 and a duplicated id."""
    folder = tmp_path_factory.mktemp("validate") / "batch"
    folder.mkdir()
    book = fill_unit_workbook(SAMPLE / "QC-XQ-01", folder)
    fill_unit_workbook(SAMPLE / "QC-XQ-04", folder)
    wb = load_workbook(book)
    ws = wb["依申请公开"]
    ws["C3"] = "2026-02-30"                 # 收到日期: no such day
    ws["J4"] = "同意公开"                    # 答复结果: not a known outcome
    ws["B5"] = ws["B2"].value               # 申请编号: the same as row 2
    wb.save(book)
    return folder


@pytest.fixture(scope="module")
def report(bad_batch, tmp_path_factory) -> tuple[Path, object]:
    path = tmp_path_factory.mktemp("report") / "问题.xlsx"
    res = run("validate", str(bad_batch), "--xlsx", str(path))
    return path, res


def test_clean_batch_exits_0_and_says_how_many_units():
    res = run("validate", str(SAMPLE))
    assert res.exit_code == 0, res.output
    assert "底稿无误：10 个单位" in res.output


def test_batch_with_errors_exits_2_listing_each_with_file_row_and_column(report):
    _, res = report
    assert res.exit_code == 2
    assert "底稿有 3 个错误" in res.output
    assert "QC-XQ-01.xlsx[依申请公开] 第3行 「收到日期」列：日期无法识别" in res.output
    assert "第4行 「答复结果」列：未知的答复结果" in res.output and "同意公开" in res.output
    assert "第5行 「申请编号」列：同一单位内申请编号重复（与第2行相同）" in res.output


def _marked(ws) -> dict[str, tuple[object, str | None, str]]:
    """Cell -> (value, note, fill colour) of every cell filled red."""
    return {c.coordinate: (c.value, c.comment.text if c.comment else None, c.fill.fgColor.rgb[-6:])
            for row in ws.iter_rows() for c in row if c.fill.fill_type == "solid" and c.fill.fgColor.rgb[-6:] == RED}


def test_report_marks_the_three_wrong_cells_red_with_the_message_as_note(report):
    path, _ = report
    wb = load_workbook(path)
    assert wb.sheetnames == ["问题清单", "QC-XQ-01 依申请公开"]
    marked = _marked(wb["QC-XQ-01 依申请公开"])
    assert set(marked) == {"C3", "J4", "B5"}
    assert marked["C3"][0] == "2026-02-30" and "日期无法识别" in marked["C3"][1]
    assert marked["J4"][0] == "同意公开" and "予以公开、部分公开" in marked["J4"][1]
    assert "申请编号重复" in marked["B5"][1]
    # the copy keeps the user's rows where they were
    ws = wb["QC-XQ-01 依申请公开"]
    assert ws["B2"].value == ws["B5"].value and ws["A1"].value == "单位编码"


def test_problem_list_names_file_sheet_row_column_value_and_what_is_expected(report):
    path, _ = report
    ws = load_workbook(path)["问题清单"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["级别", "文件", "工作表", "行", "列", "值", "问题与应当怎样写", "标出的单元格"]
    body = {(r[3], r[4]): r for r in rows[1:]}
    assert body[(3, "收到日期")][:3] == ["错误", "QC-XQ-01.xlsx", "依申请公开"]
    assert body[(3, "收到日期")][5] == "2026-02-30" and "2026/3/5" in body[(3, "收到日期")][6]
    assert body[(4, "答复结果")][5] == "同意公开"
    link = ws.cell(row=rows.index(body[(5, "申请编号")]) + 1, column=8).hyperlink
    assert link.location == "'QC-XQ-01 依申请公开'!B5"


def test_report_is_written_atomically_leaving_no_temp_file(report):
    path, _ = report
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_csv_evidence_is_reported_in_a_sheet_built_from_the_csv_and_text_stays_text(tmp_path):
    unit = tmp_path / "batch" / "QC-XQ-02"
    shutil.copytree(SAMPLE / "QC-XQ-02", unit)
    csv = unit / "requests.csv"
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("outcome")] = "=1+2"
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "r.xlsx"
    res = run("validate", str(tmp_path / "batch"), "--xlsx", str(path))
    assert res.exit_code == 2
    ws = load_workbook(path)["QC-XQ-02 requests"]
    cell = ws.cell(row=2, column=header.index("outcome") + 1)
    assert cell.value == "=1+2" and cell.data_type == "s" and cell.comment is not None
    assert [c.value for c in ws[1]] == header


def test_a_large_source_is_copied_as_its_rows_with_problems_and_their_row_numbers(bad_batch, tmp_path, monkeypatch):
    monkeypatch.setattr(validate_module, "FULL_COPY_ROWS", 2)
    v = validate_module.validate_evidence(bad_batch)
    path = validate_module.write_problem_book(v, tmp_path / "r.xlsx")
    ws = load_workbook(path)["QC-XQ-01 依申请公开"]
    assert [r[0] for r in ws.iter_rows(min_row=1, values_only=True)] == ["原行号", 3, 4, 5]
    assert set(_marked(ws)) == {"D2", "K3", "C4"}


def test_missing_evidence_is_an_error_and_the_report_still_lists_it(tmp_path):
    path = tmp_path / "r.xlsx"
    res = run("validate", str(tmp_path / "nowhere"), "--xlsx", str(path))
    assert res.exit_code == 2 and "找不到" in res.output
    rows = list(load_workbook(path)["问题清单"].iter_rows(values_only=True))
    assert len(rows) == 2 and "找不到" in rows[1][6]


def _libreoffice_resave(source: Path, out_dir: Path) -> Path:
    """The workbook as LibreOffice opens and saves it again (xlsx), with a private profile."""
    with tempfile.TemporaryDirectory(prefix="zwgk-soffice-") as tmp:
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice_path(), "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(source)],
                       env=env, capture_output=True, timeout=180, check=True)
    return out_dir / source.name


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) 未安装")
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) 未安装")
def test_report_opens_in_libreoffice_with_the_three_cells_red_and_commented(report, tmp_path):
    path, _ = report
    resaved = _libreoffice_resave(path, tmp_path / "lo")
    marked = _marked(load_workbook(resaved)["QC-XQ-01 依申请公开"])
    assert set(marked) == {"C3", "J4", "B5"} and all(note for _, note, _ in marked.values())
    pages = to_png(to_pdf(path, tmp_path / "pdf"), tmp_path / "pdf" / "page", first_page_only=False)
    assert len(pages) >= 2   # the problem list and the marked copy
    keep = os.environ.get("ZWGK_KEEP_PNG")
    if keep:   # to look at the pages: ZWGK_KEEP_PNG=folder pytest -m libreoffice
        for p in pages:
            shutil.copy(p, Path(keep) / p.name)

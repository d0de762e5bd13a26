"""`zwgk template`: the workbook an agency hands out; filled in, it is evidence as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

import scoring
from evidence_fill import fill_batch
from scoring.cli import main as zwgk
from scoring.evidence.batch import EvidenceError
from scoring.evidence.load import load_batch
from scoring.evidence.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_units"
AS_OF = dt.date(2026, 11, 20)


def run(*args: str):
    return CliRunner().invoke(zwgk, list(args))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "底稿模板.xlsx"
    res = run("template", "--xlsx", str(path))
    assert res.exit_code == 0, res.output
    return path


def test_template_has_instructions_first_then_a_sheet_per_table_with_chinese_headers(template):
    wb = load_workbook(template)
    assert wb.sheetnames[0] == "填写说明"
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"][1:] == [t.alias for t in TABLES.values()]
    for t in TABLES.values():
        ws = wb[t.alias]
        assert [c.value for c in ws[1]] == [c.alias for c in t.columns]
        assert ws.freeze_panes == "A2"
    instructions = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "2026年3月5日" in instructions and "答复结果" in instructions and "予以公开" in instructions


def test_every_header_cell_has_a_note_saying_what_to_write(template):
    ws = load_workbook(template)["依申请公开"]
    notes = {c.value: c.comment.text for c in ws[1]}
    assert set(notes) == {c.alias for c in TABLES["requests"].columns}
    assert "必填" in notes["收到日期"] and "2026/3/5" in notes["收到日期"]
    assert "予以公开" in notes["答复结果"] and "留空表示：未填写答复结果" in notes["答复结果"]
    assert "留空表示：尚未答复" in notes["答复日期"]


def _validations(ws) -> dict[str, tuple[str, list[str], str]]:
    """Header -> (list reference, values in that list, error style) of each drop-down."""
    headers = {c.column_letter: c.value for c in ws[1]}
    options = ws.parent["选项"]
    out = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        ref = dv.formula1.split("!")[1].replace("$", "")
        values = [c.value for row in options[ref] for c in row]
        out[headers[col]] = (str(dv.sqref), values, dv.errorStyle)
    return out


def test_yes_no_and_enumerated_columns_have_drop_downs(template):
    wb = load_workbook(template)
    assert wb["选项"].sheet_state == "hidden"
    req = _validations(wb["依申请公开"])
    assert req["答复结果"][1] == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert req["答复结果"][0].startswith("J2:J")
    assert req["延期"][1] == ["是", "否"] and req["说明理由"][1] == ["是", "否"]
    assert "收到日期" not in req
    assert _validations(wb["政策文件"])["有效性"][1] == ["有效", "失效", "废止", "已修改"]
    kind = _validations(wb["单位"])["单位类型"]
    assert kind[1] == ["县区政府", "市直部门", "乡镇街道"] and kind[2] == "warning"  # a rubric may name other kinds
    assert _validations(wb["网站检查"])["类型"][1] == ["home", "page", "link", "column"]


def test_date_columns_are_formatted_as_dates(template):
    ws = load_workbook(template)["依申请公开"]
    letters = {c.value: c.column_letter for c in ws[1]}
    assert ws.column_dimensions[letters["收到日期"]].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions[letters["答复结果"]].number_format == "General"


def test_empty_template_is_a_loadable_batch_without_warnings(template):
    batch = load_batch(template)
    assert batch.warnings == [] and len(batch.units) == 0


def test_unit_option_prefills_the_units_row_from_an_evidence_batch_and_keeps_text_as_text(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    (units / "单位.csv").write_text("单位编码,单位名称,单位类型\nQC-9,=HYPERLINK(\"http://x\"),市直部门\n", encoding="utf-8")
    path = tmp_path / "QC-9.xlsx"
    res = run("template", "--xlsx", str(path), "--unit", "QC-9", "--units", str(units))
    assert res.exit_code == 0, res.output
    cell = load_workbook(path)["单位"]["B2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert [c.value for c in load_workbook(path)["单位"][2]][:3] == ["QC-9", '=HYPERLINK("http://x")', "市直部门"]


def test_unknown_unit_or_missing_output_option_is_a_usage_error(tmp_path):
    res = run("template", "--xlsx", str(tmp_path / "t.xlsx"), "--unit", "NOPE", "--units", str(SAMPLE))
    assert res.exit_code == 2 and "NOPE" in res.output and "QC-XQ-01" in res.output
    res = run("template")
    assert res.exit_code == 2 and "--xlsx" in res.output
    assert not (tmp_path / "t.xlsx").exists()


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """sample_units, each unit's tables filled by script into its own template workbook."""
    return fill_batch(SAMPLE, tmp_path_factory.mktemp("filled") / "batch")


def test_filled_templates_score_exactly_like_sample_units(filled):
    folder = filled
    assert len(list(folder.glob("*.xlsx"))) == 10
    direct = scoring.score(SAMPLE, as_of=AS_OF)
    filled = scoring.score(folder, as_of=AS_OF)

    def digest(results):
        return {u.unit_id: (u.total.exact, u.grade, u.rank, u.vetoed,
                            [(i.id, i.score and i.score.exact, i.state,
                              [(f.table, f.ref, f.message, f.deduction.exact, f.row, f.kind) for f in i.findings])
                             for i in u.indicators])
                for u in results.units}

    assert digest(filled) == digest(direct)
    by_unit = {u.unit_id: u for u in filled.units}
    finding_files = {f.file for i in by_unit["QC-XZ-02"].indicators for f in i.findings}
    assert finding_files and all(f.startswith("QC-XZ-02.xlsx[") for f in finding_files if f)


def test_a_unit_that_leaves_a_sheet_out_has_not_provided_that_table(filled):
    batch = load_batch(filled)
    assert not batch.provided.loc["QC-XZ-01", "messages"]       # sheet deleted: not provided
    assert batch.provided.loc["QC-XZ-01", "requests"]           # headers only: none this year
    assert batch.provided.loc["QC-XQ-01", "messages"]


def test_the_same_unit_in_two_workbooks_is_an_error_naming_both(filled, tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("QC-SZ-04.xlsx", "QC-XQ-04.xlsx"):
        (folder / name).write_bytes((filled / name).read_bytes())
    (folder / "copy.xlsx").write_bytes((filled / "QC-SZ-04.xlsx").read_bytes())
    with pytest.raises(EvidenceError) as err:
        load_batch(folder)
    text = "\n".join(i.render() for i in err.value.issues)
    assert "QC-SZ-04" in text and "copy.xlsx" in text and "重复" in text


def test_csv_template_for_a_unit_is_a_unit_folder(tmp_path):
    res = run("template", "--csv", str(tmp_path / "t"), "--unit", "QC-5")
    assert res.exit_code == 0, res.output
    assert yaml.safe_load((tmp_path / "t" / "unit.yaml").read_text(encoding="utf-8")) == {"unit_id": "QC-5"}
    header = (tmp_path / "t" / "依申请公开.csv").read_bytes()
    assert header.startswith(b"\xef\xbb\xbf") and header.decode("utf-8-sig").startswith("申请编号,收到日期")
    assert "答复结果" in (tmp_path / "t" / "填写说明.txt").read_text(encoding="utf-8-sig")
    (tmp_path / "t" / "unit.yaml").write_text("unit_id: QC-5\nname: 某局\nkind: 市直部门\n", encoding="utf-8")
    (tmp_path / "t" / "依申请公开.csv").write_text("申请编号,收到日期\nA-1,2026-03-05\n", encoding="utf-8")
    batch = load_batch(tmp_path / "t")
    assert batch.tables["requests"]["unit_id"].tolist() == ["QC-5"]


def test_blank_unit_id_cells_in_a_unit_folder_belong_to_that_unit(tmp_path):
    unit = tmp_path / "u"
    unit.mkdir()
    (unit / "unit.yaml").write_text("unit_id: U1\nname: 某局\nkind: 市直部门\n", encoding="utf-8")
    (unit / "留言办理.csv").write_text("单位编码,留言编号,留言日期\nU1,M1,2026-03-05\n,M2,2026-03-06\n", encoding="utf-8")
    assert load_batch(unit).tables["messages"]["unit_id"].tolist() == ["U1", "U1"]

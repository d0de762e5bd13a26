"""Hostile evidence: no value changes identity or text without a word, every bad value is
exit 2 naming file, row and column, and a small file cannot take unbounded memory."""

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from scoring.cli import main
from scoring.evidence import charset, read
from scoring.evidence.batch import EvidenceError
from scoring.evidence.load import load_batch

UNITS = "单位编码,单位名称,单位类型\nQC-SZ-01,青川市教育局,市直部门\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def errors_of(path) -> list:
    with pytest.raises(EvidenceError) as err:
        load_batch(path)
    return [i for i in err.value.issues if i.level == "error"]


def batch_with(tmp_path: Path, name: str, data: bytes | str) -> Path:
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / name, data)
    return tmp_path


def unit_folder(tmp_path: Path, yaml_text: str) -> Path:
    d = tmp_path / "unit"
    write(d / "unit.yaml", yaml_text)
    return d


# --- unit.yaml is read as the text the user wrote -------------------------


@pytest.mark.parametrize("written", ["0101", "12:30", "yes", "1.10", "2026-03-05", "0x1F", "1_000", "~x"])
def test_unit_yaml_values_are_the_text_written_never_yaml_1_1_types(tmp_path, written):
    d = unit_folder(tmp_path, f"unit_id: {written}\nname: {written}\nkind: 市直部门\nregion: {written}\n")
    unit = load_batch(d).units.iloc[0]
    assert (unit["unit_id"], unit["name"], unit["region"]) == (written, written, written)


def test_unit_yaml_blank_region_stays_blank(tmp_path):
    d = unit_folder(tmp_path, "unit_id: QC-SZ-01\nname: 青川市教育局\nkind: 市直部门\nregion:\n")
    assert load_batch(d).units.iloc[0]["region"] is None


@pytest.mark.parametrize("tagged", ["!!python/object/apply:os.system ['echo hi']", "!!int 0101", "!!binary aGk="])
def test_unit_yaml_explicit_tags_are_refused(tmp_path, tagged):
    d = unit_folder(tmp_path, f"unit_id: {tagged}\nname: 青川市教育局\nkind: 市直部门\n")
    [e] = errors_of(d)
    assert e.file.endswith("unit.yaml") and e.column == "unit_id" and "标签" in e.message


def test_unit_yaml_alias_bomb_is_refused_with_a_short_message(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    d = unit_folder(tmp_path, "\n".join(lines) + "\nunit_id: QC-SZ-01\nname: *a6\nkind: 市直部门\n")
    [e] = errors_of(d)
    assert "别名" in e.message and len(e.render()) < 500


def test_unit_yaml_key_written_twice_or_in_both_languages_is_an_error(tmp_path):
    d = unit_folder(tmp_path, "unit_id: QC-SZ-01\n单位编码: QC-SZ-02\nname: 青川市教育局\nkind: 市直部门\n")
    [e] = errors_of(d)
    assert "只能写一次" in e.message
    d = unit_folder(tmp_path / "b", "unit_id: QC-SZ-01\nunit_id: QC-SZ-02\nname: 青川市教育局\nkind: 市直部门\n")
    [e] = errors_of(d)
    assert e.column == "unit_id" and "两次" in e.message


def test_unit_yaml_saved_as_gbk_by_notepad_is_read(tmp_path):
    d = tmp_path / "unit"
    write(d / "unit.yaml", "unit_id: QC-SZ-01\nname: 青川市教育局\nkind: 市直部门\n".encode("gbk"))
    assert load_batch(d).units.iloc[0]["name"] == "青川市教育局"


# --- NUL and other characters evidence text may not hold --------------------


@pytest.mark.parametrize("cell,column", [("QC\x00-EVIL", "单位编码"), ("2026-03-05\x00garbage", "收到日期")])
def test_a_nul_in_a_csv_cell_is_an_error_naming_file_row_and_column(tmp_path, cell, column):
    row = f"{cell},R-1,2026-03-05" if column == "单位编码" else f"QC-SZ-01,R-1,{cell}"
    b = batch_with(tmp_path, "requests.csv", f"单位编码,申请编号,收到日期\nQC-SZ-01,R-0,2026-03-05\n{row}\n")
    [e] = errors_of(b)
    assert e.file.endswith("requests.csv") and e.row == 3 and e.column == column
    assert "NUL" in e.message and "\\u0000" in e.value


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\x0b", "\x1f"])
def test_noncharacters_and_control_characters_in_any_text_are_errors(tmp_path, char):
    b = batch_with(tmp_path, "documents.csv", f"单位编码,文件编号,文件标题,备注\nQC-SZ-01,WJ-1,通知,见附件{char}\n")
    [e] = errors_of(b)
    assert e.row == 2 and e.column == "备注" and f"U+{ord(char):04X}" in e.message


def test_a_noncharacter_in_a_workbook_cell_is_an_error_with_its_location(tmp_path, monkeypatch):
    # openpyxl refuses to write U+FFFE, so the cell arrives as a reader would give it
    wb = Workbook()
    wb.active.append(["单位编码", "文件编号", "文件标题"])
    wb.active.append(["QC-SZ-01", "WJ-1", "通知PLACEHOLDER"])
    write(tmp_path / "units.csv", UNITS)
    wb.save(tmp_path / "documents.xlsx")
    import openpyxl.worksheet._read_only as ro
    orig = ro.ReadOnlyWorksheet._cells_by_row

    def cells(self, *a, **k):
        for r in orig(self, *a, **k):
            yield tuple(v.replace("PLACEHOLDER", "\ufffe") if isinstance(v, str) else v for v in r)
    monkeypatch.setattr(ro.ReadOnlyWorksheet, "_cells_by_row", cells)
    [e] = errors_of(tmp_path)
    assert e.file.endswith("documents.xlsx") and e.row == 2 and e.column == "文件标题" and "U+FFFE" in e.message


# --- encodings ------------------------------------------------------------


def test_a_utf8_csv_with_one_gbk_row_is_an_error_naming_that_row(tmp_path):
    data = ("单位编码,申请编号,收到日期,备注\nQC-SZ-01,R-1,2026-03-05,电话确认\n".encode("utf-8")
            + "QC-SZ-01,R-2,2026-03-06,当面提交\n".encode("gbk")
            + "QC-SZ-01,R-3,2026-03-07,网上申请\n".encode("utf-8"))
    [e] = errors_of(batch_with(tmp_path, "requests.csv", data))
    assert e.file.endswith("requests.csv") and e.row == 3 and e.column == "备注"
    assert "UTF-8" in e.message and "混用" in e.message


def test_a_whole_gbk_csv_is_still_read_as_gbk(tmp_path):
    b = batch_with(tmp_path, "requests.csv", "单位编码,申请编号,收到日期,备注\nQC-SZ-01,R-1,2026-03-05,当面提交\n".encode("gbk"))
    assert load_batch(b).tables["requests"].loc[0, "备注"] == "当面提交"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_csv_with_a_bom_is_read_as_utf16(tmp_path, codec):
    text = "单位编码,申请编号,收到日期,备注\nQC-SZ-01,R-1,2026-03-05,当面提交\n"
    data = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode(codec)
    b = batch_with(tmp_path, "requests.csv", data)
    assert load_batch(b).tables["requests"].loc[0, "备注"] == "当面提交"


def test_the_public_decoder_refuses_mixed_text_and_names_the_line():
    data = "一、出台背景\n".encode("utf-8") + "二、主要内容\n".encode("gbk")
    with pytest.raises(charset.CharsetError) as err:
        charset.decode_text(data)
    assert err.value.line == 2
    assert charset.decode_text("二、主要内容\n".encode("gbk")) == "二、主要内容\n"


# --- every bad value is an error with its location, never a traceback -------


@pytest.mark.parametrize("value", ["inf", "-inf", "1e20", str(2 ** 63), "nan"])
def test_integers_out_of_range_are_errors(tmp_path, value):
    b = batch_with(tmp_path, "catalog.csv", f"单位编码,栏目名称,信息条数\nQC-SZ-01,政策文件,{value}\n")
    [e] = errors_of(b)
    assert e.row == 2 and e.column == "信息条数" and "10^15" in e.message


@pytest.mark.parametrize("points,what", [("inf", "10^15"), ("1e308", "10^15"), ("-1", "负数")])
def test_bonus_points_must_be_a_finite_non_negative_number(tmp_path, points, what):
    b = batch_with(tmp_path, "加分.csv", f"单位编码,加分事项,分值\nQC-SZ-01,典型案例,{points}\n")
    [e] = errors_of(b)
    assert e.row == 2 and e.column == "分值" and what in e.message


def test_a_workbook_date_beyond_what_pandas_holds_is_an_error(tmp_path):
    wb = Workbook()
    wb.active.append(["单位编码", "申请编号", "收到日期"])
    wb.active.append(["QC-SZ-01", "R-1", dt.datetime(9999, 12, 31)])
    write(tmp_path / "units.csv", UNITS)
    wb.save(tmp_path / "requests.xlsx")
    [e] = errors_of(tmp_path)
    assert e.row == 2 and e.column == "收到日期" and "日期" in e.message


@pytest.mark.parametrize("header", ["单位编码,申请编号,收到日期,备注,备注", "单位编码,申请编号,收到日期,收到日期,备注"])
def test_an_identical_duplicate_header_is_an_error(tmp_path, header):
    b = batch_with(tmp_path, "requests.csv", f"{header}\nQC-SZ-01,R-1,2026-03-05,2026-03-05,x\n")
    [e] = errors_of(b)
    assert e.row == 1 and "第" in e.column and "表头相同" in e.message


def test_an_identical_duplicate_header_in_a_workbook_is_an_error(tmp_path):
    wb = Workbook()
    wb.active.append(["单位编码", "申请编号", "收到日期", "备注", "备注"])
    wb.active.append(["QC-SZ-01", "R-1", "2026-03-05", "a", "b"])
    write(tmp_path / "units.csv", UNITS)
    wb.save(tmp_path / "requests.xlsx")
    [e] = errors_of(tmp_path)
    assert e.row == 1 and e.column == "第5列"


@pytest.mark.parametrize("rows,bad_row", [("QC-SZ-01,R-1,2026-03-05,多出\nQC-SZ-01,R-2,2026-03-06\n", 2),
                                          ("QC-SZ-01,R-1,2026-03-05\nQC-SZ-01,R-2,2026-03-06,多出\n", 3)])
def test_a_row_longer_than_the_header_is_an_error_naming_that_row(tmp_path, rows, bad_row):
    b = batch_with(tmp_path, "requests.csv", "单位编码,申请编号,收到日期\n" + rows)
    [e] = errors_of(b)
    assert e.file.endswith("requests.csv") and e.row == bad_row and "多于表头" in e.message


def test_bad_evidence_on_the_command_line_is_exit_2_without_a_traceback(tmp_path):
    b = batch_with(tmp_path, "catalog.csv", "单位编码,栏目名称,信息条数\nQC-SZ-01,政策文件\x00,1e20\n")
    r = CliRunner().invoke(main, ["assess", str(b), "--as-of", "2026-11-20", "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert not (tmp_path / "out" / "results.json").exists()


# --- workbooks: bounded before and while loading ---------------------------


def with_inline_row(src: Path, dst: Path, cells: bytes) -> Path:
    """A copy of a workbook with one more row written into its sheet XML (as another program would)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="2">' + cells + b"</row></sheetData>")
            zout.writestr(info, data, zipfile.ZIP_DEFLATED)
    return dst


def inline(ref: str, text: bytes) -> bytes:
    return b'<c r="' + ref.encode() + b'" t="inlineStr"><is><t>' + text + b"</t></is></c>"


def test_a_cell_over_excels_32767_characters_is_an_error_with_its_location(tmp_path):
    wb = Workbook()
    wb.active.append(["单位编码", "文件编号", "文件标题"])
    wb.save(tmp_path / "base.xlsx")
    write(tmp_path / "b" / "units.csv", UNITS)
    with_inline_row(tmp_path / "base.xlsx", tmp_path / "b" / "documents.xlsx",
                    inline("A2", b"QC-SZ-01") + inline("B2", b"WJ-1") + inline("C2", "长".encode() * 40_000))
    [e] = errors_of(tmp_path / "b")
    assert e.row == 2 and e.column == "文件标题" and "32,767" in e.message and len(e.value) < 200


def test_a_workbook_that_unzips_beyond_the_cap_is_refused_before_opening(tmp_path, monkeypatch):
    wb = Workbook()
    wb.active.append(["单位编码", "单位名称", "单位类型"])
    wb.save(tmp_path / "底稿.xlsx")
    monkeypatch.setattr(read, "WORKBOOK_UNZIPPED", 1000)
    errs = errors_of(tmp_path / "底稿.xlsx")
    assert any(e.file == "底稿.xlsx" and "解压后" in e.message and "上限" in e.message for e in errs)


def test_a_zip_bomb_sheet_is_refused_from_the_zip_directory(tmp_path):
    wb = Workbook()
    wb.active.append(["单位编码", "单位名称", "单位类型"])
    wb.save(tmp_path / "base.xlsx")
    # one huge, highly compressible cell: a file well under 1 MB that unzips to 40 MB
    book = with_inline_row(tmp_path / "base.xlsx", tmp_path / "底稿.xlsx", inline("A2", b"A" * (40 << 20)))
    assert book.stat().st_size < 1 << 20
    errs = errors_of(book)
    assert any(e.file == "底稿.xlsx" and "压缩炸弹" in e.message for e in errs)


def test_sample_units_still_load_unchanged():
    b = load_batch(Path(__file__).resolve().parents[1] / "sample_units")
    assert len(b.units) == 10 and pd.api.types.is_integer_dtype(b.tables["catalog"]["items"])

"""`zwgk annual-report extract`: published annual reports -> annual_report_cells / annual_reports.

The fixture pages (tests/fixtures/annual_reports/, written by make_pages.py) are deliberately messy;
their figures are defined once in make_pages.py and imported here.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.evidence import annual_labels as al
from scoring.annual_report.extract import ExtractError, extract_file, extract_from_bytes
from scoring.cli import main
from report_files import report_docx

PAGES = Path(__file__).parent / "fixtures" / "annual_reports"
_spec = importlib.util.spec_from_file_location("make_pages", PAGES / "make_pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)

UNITS = "单位编码,单位名称,单位类型\nQC-SZ-01,青川市教育局,市直部门\nQC-XQ-01,青川市青山区人民政府,县区政府\n"


def expected_table3(t3: dict, fmt: str = "2021") -> dict[tuple[str, str], str]:
    """(row, col) -> value of table 3, from the figures the fixture page was printed from."""
    rows = pages.t3_rows(t3, fmt)
    other = "本年度办理结果/其他处理"
    if fmt == "2021":  # three 其他处理 sub-rows
        labels = [r for r in al.TABLE3_ROWS if r != other]
    else:  # one 其他处理 row
        labels = [r for r in al.TABLE3_ROWS if not r.startswith(other + "/")]
    assert len(labels) == len(rows)
    return {(label, col): str(v) for label, (_, values) in zip(labels, rows)
            for col, v in zip(al.TABLE3_COLS, pages.totals(values))}


def cells_of(result, table: str) -> dict[tuple[str, str], str]:
    c = result.cells[result.cells["table"] == table]
    return dict(zip(zip(c["row"], c["col"]), c["value"]))


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to show Chinese"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def extract_cli(*args: str) -> "object":
    return CliRunner().invoke(main, ["annual-report", "extract", *args])


# --- reading the tables -------------------------------------------------------


def test_messy_2021_page_gives_every_cell_of_table_3_as_printed():
    r = extract_file(PAGES / "messy_2021.html")
    assert r.format == "2021"
    assert cells_of(r, "3") == expected_table3(pages.T3_2025)


def test_messy_2021_page_gives_table_4_blocks_and_table_2_figures():
    r = extract_file(PAGES / "messy_2021.html")
    t4 = cells_of(r, "4")
    for block, values in zip(al.TABLE4_ROWS, pages.T4_2025):
        assert [t4[(block, c)] for c in al.TABLE4_COLS] == [str(v) for v in pages.totals(values)]
    t2 = cells_of(r, "2")
    assert t2[("行政规范性文件", "现行有效件数")] == "15"         # printed as <span>1</span><span>5</span>
    assert t2[("行政规范性文件", "本年制发件数")] == "2"          # printed with a full-width digit
    assert t2[("行政许可", "本年处理决定数量")] == "356"          # one value spanning three columns
    assert t2[("行政事业性收费", "本年收费金额（万元）")] == "1.25"  # printed 本年收费金额（单位：万元）
    assert t2[("行政强制", "本年处理决定数量")] == ""             # a blank cell stays blank, not 0


def test_year_and_published_date_come_from_the_page():
    r = extract_file(PAGES / "messy_2021.html")
    assert (r.year, r.published_on.isoformat()) == (2025, "2026-01-20")
    r19 = extract_file(PAGES / "trial_2019.html")
    assert (r19.year, r19.published_on.isoformat()) == (2019, "2020-03-20")  # 发布日期：2020年03月20日


def test_table_split_across_two_html_tables_reads_the_same_as_one_table():
    whole = extract_file(PAGES / "messy_2021.html")
    split = extract_file(PAGES / "split_tables_2021.html")
    assert cells_of(split, "3") == cells_of(whole, "3")


def test_gbk_encoded_page_is_decoded():
    r = extract_file(PAGES / "broken_identity_gbk.html")
    assert "青山区人民政府" in r.title
    assert cells_of(r, "3")[("结转下年度继续办理", "总计")] == "3"


def test_2019_trial_format_reads_its_single_other_handling_row_and_its_table_2():
    r = extract_file(PAGES / "trial_2019.html")
    assert r.format == "2019"
    assert cells_of(r, "3") == expected_table3(pages.T3_2019, fmt="2019")
    t2 = cells_of(r, "2")
    assert t2[("规范性文件", "对外公开总数量")] == "21"
    assert t2[("对外管理服务事项", "处理决定数量")] == "30"   # printed 其他对外管理服务事项
    assert t2[("行政许可", "本年增/减")] == "2"               # printed +2
    assert t2[("政府集中采购", "采购总金额")] == "85.6"
    # 采购项目数量 has no contract label: skipped, and the user is told
    assert any("采购项目数量" in w or "不在契约的列标签中" in w for w in r.warnings)


def test_page_that_is_not_an_annual_report_is_an_error_not_empty_output():
    with pytest.raises(ExtractError) as e:
        extract_file(PAGES / "not_a_report.html")
    msg = str(e.value)
    assert "没有找到年度报告的表格" in msg and "关于举办2025年度政务公开业务培训班的通知" in msg


def test_unknown_row_label_holding_numbers_is_an_error_naming_it_and_the_expected_rows():
    html = (PAGES / "messy_2021.html").read_text(encoding="utf-8").replace("2．重复申请", "2．重复提交的申请")
    with pytest.raises(ExtractError) as e:
        extract_from_bytes(html.encode("utf-8"), "https://example.gov.cn/nb.html")
    msg = str(e.value)
    assert "重复提交的申请" in msg and "无法识别" in msg and "本年度办理结果/不予处理/重复申请" in msg


def test_text_in_a_value_cell_is_an_error_naming_row_and_column():
    html = (PAGES / "trial_2019.html").read_text(encoding="utf-8").replace("<td>188</td>", "<td>约190</td>")
    with pytest.raises(ExtractError) as e:
        extract_from_bytes(html.encode("utf-8"), "https://example.gov.cn/nb2019.html")
    assert "「行政许可」行「处理决定数量」列：「约190」不是数字" in str(e.value)


def test_missing_year_is_an_error_unless_given():
    html = (PAGES / "trial_2019.html").read_text(encoding="utf-8").replace("2019年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    with pytest.raises(ExtractError, match="识别不出报告年度"):
        extract_from_bytes(html.encode("utf-8"), "u")
    assert extract_from_bytes(html.encode("utf-8"), "u", year=2019).year == 2019


def test_narrative_figures_are_read_from_the_text_not_the_tables():
    r = extract_file(PAGES / "messy_2021.html")
    assert r.narrative == {"正文_本年新收申请": 25, "正文_上年结转申请": 2, "正文_结转下年度": 2,
                           "正文_行政复议": 2, "正文_行政诉讼": 1, "正文_主动公开": 1234}


# --- .docx --------------------------------------------------------------------


def test_docx_report_reads_like_the_published_page(tmp_path):
    r = extract_file(report_docx(tmp_path / "年报.docx"))
    assert cells_of(r, "3") == expected_table3(pages.T3_2025)
    assert cells_of(r, "4") == cells_of(extract_file(PAGES / "messy_2021.html"), "4")
    assert cells_of(r, "2")[("行政规范性文件", "现行有效件数")] == "15"
    assert (r.year, r.narrative["正文_本年新收申请"]) == (2025, 25)


def test_old_binary_word_file_is_refused_with_advice(tmp_path):
    f = tmp_path / "年报.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ExtractError, match="另存为 .docx"):
        extract_file(f)


# --- the command ----------------------------------------------------------------


def test_extract_writes_cells_and_report_row_as_utf8_bom_csv(tmp_path):
    res = extract_cli(str(PAGES / "messy_2021.html"), "--unit-id", "QC-SZ-01", "--out", str(tmp_path),
                      "--url", "https://www.qingchuan.gov.cn/jyj/nb2025.html")
    assert res.exit_code == 0, res.output
    cells = read_csv(tmp_path / "annual_report_cells.csv")
    assert len(cells) == 10 + 7 * 25 + 15
    assert {"unit_id": "QC-SZ-01", "year": "2025", "table": "3", "row": "本年度办理结果/总计", "col": "总计",
            "value": "25"} in cells
    (report,) = read_csv(tmp_path / "annual_reports.csv")
    assert report["published_on"] == "2026-01-20" and report["url"].endswith("nb2025.html")
    assert report["正文_本年新收申请"] == "25"


def test_not_a_report_exits_2_and_writes_nothing(tmp_path):
    res = extract_cli(str(PAGES / "not_a_report.html"), "--unit-id", "QC-SZ-01", "--out", str(tmp_path / "out"))
    assert res.exit_code == 2
    assert "没有找到年度报告的表格" in res.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_one_bad_file_among_several_writes_nothing_and_names_the_bad_file(tmp_path):
    res = extract_cli(str(PAGES / "messy_2021.html"), str(PAGES / "not_a_report.html"),
                      "--unit-id", "QC-SZ-01", "--out", str(tmp_path))
    assert res.exit_code == 2 and "not_a_report.html" in res.output
    assert list(tmp_path.iterdir()) == []


def test_re_extracting_replaces_that_unit_year_and_keeps_other_units(tmp_path):
    assert extract_cli(str(PAGES / "messy_2021.html"), "--unit-id", "QC-SZ-01", "--out", str(tmp_path)).exit_code == 0
    assert extract_cli(str(PAGES / "broken_identity_gbk.html"), "--unit-id", "QC-XQ-01",
                       "--out", str(tmp_path)).exit_code == 0
    assert extract_cli(str(PAGES / "split_tables_2021.html"), "--unit-id", "QC-SZ-01",
                       "--out", str(tmp_path)).exit_code == 0
    cells = read_csv(tmp_path / "annual_report_cells.csv")
    per_unit = {u: sum(1 for c in cells if c["unit_id"] == u) for u in ("QC-SZ-01", "QC-XQ-01")}
    assert per_unit == {"QC-SZ-01": 200, "QC-XQ-01": 200}
    assert sorted(r["unit_id"] for r in read_csv(tmp_path / "annual_reports.csv")) == ["QC-SZ-01", "QC-XQ-01"]


def test_unit_folder_supplies_the_unit_id(tmp_path):
    unit = tmp_path / "QC-SZ-01"
    unit.mkdir()
    (unit / "unit.yaml").write_text("unit_id: QC-SZ-01\nname: 青川市教育局\nkind: 市直部门\n", encoding="utf-8")
    assert extract_cli(str(PAGES / "messy_2021.html"), "--out", str(unit)).exit_code == 0
    assert {c["unit_id"] for c in read_csv(unit / "annual_report_cells.csv")} == {"QC-SZ-01"}


def test_without_a_unit_id_the_command_says_how_to_give_one(tmp_path):
    res = extract_cli(str(PAGES / "messy_2021.html"), "--out", str(tmp_path))
    assert res.exit_code == 2 and "--unit-id" in res.output


def test_chinese_named_table_file_in_the_folder_is_not_silently_duplicated(tmp_path):
    (tmp_path / "年报数据.csv").write_text("单位编码,年度,表,行,列,数值\n", encoding="utf-8")
    res = extract_cli(str(PAGES / "messy_2021.html"), "--unit-id", "QC-SZ-01", "--out", str(tmp_path))
    assert res.exit_code == 2 and "年报数据.csv" in res.output
    assert not (tmp_path / "annual_report_cells.csv").exists()


# --- round trip through assess ----------------------------------------------------


def test_extracted_pages_round_trip_through_assess_and_the_broken_identity_is_reported(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "units.csv").write_text(UNITS, encoding="utf-8")
    assert extract_cli(str(PAGES / "messy_2021.html"), "--unit-id", "QC-SZ-01", "--out", str(batch)).exit_code == 0
    assert extract_cli(str(PAGES / "broken_identity_gbk.html"), "--unit-id", "QC-XQ-01",
                       "--out", str(batch)).exit_code == 0
    res = CliRunner().invoke(main, ["assess", str(batch), "--as-of", "2026-11-20", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    findings = read_csv(tmp_path / "out" / "findings.csv")
    f2 = [f for f in findings if f["indicator_id"] == "F2"]
    # the clean page: every identity could be checked and held (no failure, no "cannot check")
    assert [f for f in f2 if f["unit_id"] == "QC-SZ-01"] == []
    broken = sorted(f["ref"] for f in f2 if f["unit_id"] == "QC-XQ-01")
    assert broken == ["2025年报表3「商业企业」列", "2025年报表3「总计」列"]
    assert any("办理结果总计(25) + 结转下年度继续办理(3) = 28" in f["message"] for f in f2)
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results is not None

"""Loading 测评底稿: every layout, encoding and spelling, and every error named with file, row and column."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from scoring.evidence.batch import EvidenceError
from scoring.evidence.load import load_batch

UNITS = "单位编码,单位名称,单位类型\nQC-SZ-01,青川市教育局,市直部门\nQC-XQ-01,青川市青山区人民政府,县区政府\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def errors_of(path) -> list:
    with pytest.raises(EvidenceError) as err:
        load_batch(path)
    return [i for i in err.value.issues if i.level == "error"]


def one_unit(tmp_path: Path, uid: str = "QC-SZ-01", kind: str = "市直部门") -> Path:
    d = tmp_path / uid
    write(d / "unit.yaml", f"unit_id: {uid}\nname: 青川市教育局\nkind: {kind}\nsite_url: http://jyj.qc.example.gov.cn/zwgk/\n")
    return d


# --- layouts ------------------------------------------------------------


def test_folder_of_tables_with_chinese_file_names_and_headers_in_any_order(tmp_path):
    write(tmp_path / "单位.csv", UNITS)
    write(tmp_path / "依申请公开.csv",
          "答复日期,申请编号,单位编码,收到日期,备注\n2026-10-29,YSQ-001,QC-SZ-01,2026-09-24,电话确认\n")
    b = load_batch(tmp_path)
    req = b.tables["requests"]
    assert req.loc[0, "request_id"] == "YSQ-001"
    assert req.loc[0, "received_on"] == pd.Timestamp("2026-09-24")
    assert req.loc[0, "备注"] == "电话确认"  # extra columns are kept
    assert req.loc[0, "_file"].endswith("依申请公开.csv") and req.loc[0, "_row"] == 2
    assert list(b.units["unit_id"]) == ["QC-SZ-01", "QC-XQ-01"]
    assert b.provided.loc["QC-XQ-01", "requests"]  # a batch-wide table counts for every unit
    assert not b.provided.loc["QC-XQ-01", "messages"]


def test_english_headers_work_as_well(tmp_path):
    write(tmp_path / "units.csv", "unit_id,name,kind\nQC-SZ-01,青川市教育局,市直部门\n")
    write(tmp_path / "messages.csv", "unit_id,message_id,received_on,replied_on,channel\nQC-SZ-01,LY-1,2026-03-02,2026-03-04,网站\n")
    assert load_batch(tmp_path).tables["messages"].loc[0, "channel"] == "网站"


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(tmp_path, encoding, bom):
    text = UNITS + "QC-XZ-01,青山区清河街道办事处,乡镇街道\n"
    data = text.encode(encoding)
    (tmp_path / "units.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    b = load_batch(tmp_path)
    assert b.units.loc[2, "name"] == "青山区清河街道办事处"


def test_one_workbook_with_a_sheet_per_table_and_real_date_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["单位编码", "单位名称", "单位类型"])
    ws.append(["QC-SZ-01", "青川市教育局", "市直部门"])
    ws2 = wb.create_sheet("政策文件")
    ws2.append(["单位编码", "文件编号", "文件标题", "成文日期", "规范性文件"])
    ws2.append(["QC-SZ-01", 1001, "青川市教育局关于规范校外培训的通知", dt.datetime(2026, 3, 5), "是"])
    wb.create_sheet("说明").append(["本工作簿由测评机构整理"])
    wb.save(tmp_path / "底稿.xlsx")
    b = load_batch(tmp_path / "底稿.xlsx")
    doc = b.tables["documents"].iloc[0]
    assert doc["doc_id"] == "1001"
    assert doc["written_on"] == pd.Timestamp("2026-03-05")
    assert bool(doc["normative"]) is True
    assert doc["_file"] == "底稿.xlsx[政策文件]"
    assert any("说明" in w.file for w in b.warnings)


def test_xlsx_table_file_in_a_folder(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    wb = Workbook()
    ws = wb.active
    ws.append(["留言编号", "单位编码", "留言日期", "答复日期"])
    ws.append(["LY-9", "QC-XQ-01", dt.datetime(2026, 2, 13), "2026/2/24"])
    wb.save(tmp_path / "留言办理.xlsx")
    m = load_batch(tmp_path).tables["messages"].iloc[0]
    assert m["received_on"] == pd.Timestamp("2026-02-13") and m["replied_on"] == pd.Timestamp("2026-02-24")


def test_a_unit_folder_may_leave_out_the_unit_id_column(tmp_path):
    d = one_unit(tmp_path)
    write(d / "requests.csv", "申请编号,收到日期\nYSQ-1,2026-05-06\n")
    b = load_batch(d)
    assert b.tables["requests"].loc[0, "unit_id"] == "QC-SZ-01"
    assert b.units.loc[0, "site_url"].startswith("http://")


def test_a_folder_of_unit_folders_is_a_batch_and_tables_are_provided_per_unit(tmp_path):
    a = one_unit(tmp_path, "QC-SZ-01")
    c = one_unit(tmp_path, "QC-XQ-01", "县区政府")
    write(a / "留言办理.csv", "留言编号,留言日期\n")   # headers only: no messages, but provided
    write(c / "requests.csv", "request_id,received_on\nR-1,2026-05-06\n")
    b = load_batch(tmp_path)
    assert b.provided.loc["QC-SZ-01", "messages"] and not b.provided.loc["QC-XQ-01", "messages"]
    assert b.provided.loc["QC-XQ-01", "requests"] and not b.provided.loc["QC-SZ-01", "requests"]
    assert len(b.tables["messages"]) == 0


@pytest.mark.parametrize("spelling", ["2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "2026-03-05 00:00:00"])
def test_every_date_spelling(tmp_path, spelling):
    d = one_unit(tmp_path)
    write(d / "requests.csv", f"申请编号,收到日期\nYSQ-1,{spelling}\n")
    assert load_batch(d).tables["requests"].loc[0, "received_on"] == pd.Timestamp("2026-03-05")


@pytest.mark.parametrize("yes,no", [("是", "否"), ("有", "无"), ("Y", "N"), ("yes", "no"), ("true", "false"),
                                    ("1", "0"), ("√", "×"), ("TRUE", "False")])
def test_every_boolean_spelling_and_blank_is_unknown(tmp_path, yes, no):
    d = one_unit(tmp_path)
    write(d / "requests.csv", f"申请编号,收到日期,延期\nA,2026-03-05,{yes}\nB,2026-03-05,{no}\nC,2026-03-05,\n")
    ext = load_batch(d).tables["requests"]["extended"]
    assert ext[0] is True or ext[0] == True  # noqa: E712
    assert ext[1] == False  # noqa: E712
    assert pd.isna(ext[2])


def test_interpretation_text_file_resolves_relative_to_the_unit_folder(tmp_path):
    d = one_unit(tmp_path)
    write(d / "解读" / "jd1.txt", "一、出台背景……")
    write(d / "政策解读.csv", "解读编号,关联文件编号,正文文件\nJD-1,WJ-1,解读/jd1.txt\n")
    path = load_batch(d).tables["interpretations"].loc[0, "_text_path"]
    assert Path(path).read_text(encoding="utf-8").startswith("一、出台背景")


# --- errors -------------------------------------------------------------


def test_an_impossible_date_in_row_3_names_the_file_the_row_and_the_column(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "requests.csv",
          "unit_id,request_id,received_on\nQC-SZ-01,R-1,2026-03-02\nQC-SZ-01,R-2,2026-13-01\n")
    [e] = errors_of(tmp_path)
    assert e.file.endswith("requests.csv") and e.row == 3 and e.column == "received_on"
    assert e.value == "2026-13-01"
    assert "日期" in e.message and "2026年3月5日" in e.message


def test_a_batch_with_two_different_faults_reports_both(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "requests.csv", "unit_id,request_id,received_on\nQC-SZ-01,R-1,2026-13-01\n")
    write(tmp_path / "catalog.csv", "unit_id,栏目名称,信息条数\nQC-SZ-01,政策文件,-3\n")
    errs = errors_of(tmp_path)
    assert {(Path(e.file).name, e.column) for e in errs} == {("requests.csv", "received_on"), ("catalog.csv", "信息条数")}
    assert any("负数" in e.message for e in errs)


def test_missing_required_column_is_named_with_its_chinese_and_english_name(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "依申请公开.csv", "单位编码,申请编号\nQC-SZ-01,R-1\n")
    [e] = errors_of(tmp_path)
    assert e.row == 1 and "收到日期" in e.column and "received_on" in e.column


def test_unparseable_number_and_boolean_are_errors(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "requests.csv", "unit_id,request_id,received_on,征求意见工作日,延期\nQC-SZ-01,R-1,2026-03-02,五,也许\n")
    errs = errors_of(tmp_path)
    assert {e.column for e in errs} == {"征求意见工作日", "延期"}
    assert all(e.row == 2 for e in errs)


def test_a_required_cell_left_blank_is_an_error(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "documents.csv", "unit_id,doc_id,title\nQC-SZ-01,WJ-1,\n")
    [e] = errors_of(tmp_path)
    assert e.column == "title" and e.row == 2 and "为空" in e.message


def test_duplicate_request_id_within_a_unit_names_both_rows(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "requests.csv",
          "unit_id,request_id,received_on\nQC-SZ-01,R-1,2026-03-02\nQC-XQ-01,R-1,2026-03-02\nQC-SZ-01,R-1,2026-04-02\n")
    [e] = errors_of(tmp_path)  # the same id in another unit is fine
    assert e.row == 4 and e.value == "R-1" and "第2行" in e.message


def test_unknown_unit_id_is_an_error(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "messages.csv", "unit_id,message_id,received_on\nQC-XX-99,LY-1,2026-03-02\n")
    [e] = errors_of(tmp_path)
    assert e.value == "QC-XX-99" and e.column == "unit_id"


@pytest.mark.parametrize("table,head", [("requests", "request_id"), ("messages", "message_id")])
def test_a_reply_dated_before_its_request_is_an_error(tmp_path, table, head):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / f"{table}.csv", f"unit_id,{head},received_on,replied_on\nQC-SZ-01,X-1,2026-03-02,2026-02-27\n")
    [e] = errors_of(tmp_path)
    assert e.column == "replied_on" and "早于" in e.message


def test_a_text_file_that_does_not_exist_is_an_error(tmp_path):
    d = one_unit(tmp_path)
    write(d / "interpretations.csv", "interp_id,text_file\nJD-1,解读/不存在.docx\n")
    [e] = errors_of(d)
    assert e.column == "text_file" and e.value == "解读/不存在.docx"


def test_unknown_table_file_name_is_a_warning_and_ignored(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "附件清单.csv", "a,b\n1,2\n")
    b = load_batch(tmp_path)
    assert [Path(w.file).name for w in b.warnings] == ["附件清单.csv"]
    assert "已忽略" in b.warnings[0].message


def test_unknown_labels_list_what_was_expected(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "requests.csv", "unit_id,request_id,received_on,答复结果\nQC-SZ-01,R-1,2026-03-02,已办结\n")
    write(tmp_path / "年报数据.csv",
          "unit_id,年度,表,行,列,数值\nQC-SZ-01,2025,3,三、本年度办理结果/（三）不予公开/1.属于国家秘密,自然人,0\n"
          "QC-SZ-01,2025,3,本年新收申请,自然人,3\nQC-SZ-01,2025,3,本年新收政府信息公开申请数量,个人,3\n")
    errs = errors_of(tmp_path)
    msgs = {e.column: e.message for e in errs}
    assert "予以公开" in msgs["答复结果"]
    assert "本年新收政府信息公开申请数量" in msgs["行"]
    assert "自然人" in msgs["列"]


def test_annual_report_labels_as_printed_are_canonicalised(tmp_path):
    write(tmp_path / "units.csv", UNITS)
    write(tmp_path / "annual_report_cells.csv",
          "unit_id,year,table,row,col,value\n"
          "QC-SZ-01,2025,表3,三、本年度办理结果/（三）不予公开/3.危及“三安全一稳定”,法人或其他组织/商业企业,1\n")
    c = load_batch(tmp_path).tables["annual_report_cells"].iloc[0]
    assert (c["table"], c["row"], c["col"]) == ("3", "本年度办理结果/不予公开/危及三安全一稳定", "商业企业")


def test_missing_units_table_is_an_error(tmp_path):
    write(tmp_path / "requests.csv", "unit_id,request_id,received_on\nQC-SZ-01,R-1,2026-03-02\n")
    errs = errors_of(tmp_path)
    assert any("units.csv" in e.message for e in errs)


def test_interpretations_without_a_text_file_column_load(tmp_path):
    d = one_unit(tmp_path)
    write(d / "政策解读.csv", "解读编号,关联文件编号,解读正文\nJD-1,WJ-1,一、出台背景……\n")
    interp = load_batch(d).tables["interpretations"]
    assert interp.loc[0, "text"].startswith("一、出台背景") and interp["_text_path"].isna().all()

"""The shipped rubrics run end to end on a small batch of two 市直部门 (real rule kinds, real calendar)."""

from click.testing import CliRunner
from engine_helpers import write

from scoring.cli import main
from scoring.results import read_results

REQUIRED = ["政府信息公开指南", "机构职能", "信息公开/机构领导", "政策文件", "政策解读", "财政信息", "人事信息",
            "政府信息公开年报"]


def batch(tmp_path):
    d = tmp_path / "底稿"
    write(d / "单位.csv", "单位编码,单位名称,单位类型\nSZ-01,青川市教育局,市直部门\nSZ-02,青川市民政局,市直部门\n")
    cat = "unit_id,column,items,last_updated\n" + "".join(
        f"{u},{c},12,2026-11-01\n" for u in ("SZ-01", "SZ-02") for c in REQUIRED)
    write(d / "catalog.csv", cat)
    # both received on Thu 2026-09-24: the 20th working day is 10-29 (中秋, 国庆, make-up day 10-10)
    write(d / "requests.csv", "unit_id,request_id,received_on,replied_on,outcome,states_reason,informs_remedy\n"
          "SZ-01,YSQ-001,2026-09-24,2026-10-29,予以公开,是,是\n"
          "SZ-02,YSQ-002,2026-09-24,2026-10-30,予以公开,是,是\n")
    # SZ-02 left a message of 2 March unanswered: more than 3 months -> veto
    write(d / "messages.csv", "unit_id,message_id,received_on,replied_on\nSZ-02,LY-7,2026-03-02,\n")
    write(d / "annual_reports.csv", "unit_id,year,published_on\nSZ-01,2025,2026-01-20\nSZ-02,2025,2026-01-20\n")
    for name, header in [("documents", "unit_id,doc_id,title"), ("interpretations", "unit_id,interp_id,text_file"),
                         ("annual_report_cells", "unit_id,year,table,row,col,value"),
                         ("site_checks", "unit_id,url,kind,status"), ("bonus", "unit_id,item,points")]:
        write(d / f"{name}.csv", header + "\n")
    return d


def run(tmp_path, *extra):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["assess", str(batch(tmp_path)), "--as-of", "2026-11-20", "--out", str(out),
                                    *extra], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return read_results(out / "results.json")


def findings(unit, iid):
    return next(i for i in unit.indicators if i.id == iid).findings


def test_provincial_rubric_a_reply_on_oct_29_is_on_time_and_one_on_oct_30_is_one_working_day_late(tmp_path):
    r = run(tmp_path)
    assert r.rubric.id == "provincial-2026"
    good, late = r.unit("SZ-01"), r.unit("SZ-02")
    assert findings(good, "D1") == []
    [f] = findings(late, "D1")
    assert f.ref == "YSQ-002" and f.deduction.exact == "3" and "2026-10-29" in f.message and "逾期 1 个工作日" in f.message
    assert f.file.endswith("requests.csv") and f.row == 3


def test_provincial_rubric_a_message_waiting_over_three_months_vetoes_the_unit(tmp_path):
    r = run(tmp_path)
    good, late = r.unit("SZ-01"), r.unit("SZ-02")
    assert good.total.exact == "100" and good.grade == "优秀" and good.rank == 1 and not good.vetoed
    # 100 - 3 (D1) - 1 (E1 unreplied) - 4 (E2) = 92, yet vetoed: 不合格 and ranked last
    assert late.total.exact == "92" and late.vetoed and late.grade == "不合格" and late.rank == 2
    assert [v.indicator_id for v in late.veto_reasons] == ["E2"]


def test_the_website_check_rubric_runs_on_the_same_evidence(tmp_path):
    r = run(tmp_path, "--rubric", "gov-website-2019")
    assert r.rubric.id == "gov-website-2019"
    assert r.unit("SZ-02").vetoed and r.unit("SZ-02").grade == "不合格"
    assert [v.indicator_id for v in r.unit("SZ-02").veto_reasons] == ["V5"]
    assert r.unit("SZ-01").grade == "合格" and r.unit("SZ-01").total.exact == "100"

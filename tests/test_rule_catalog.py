"""目录与平台 rules: A1 required columns, A2 blank columns, A3 stale columns, A4 site availability."""

from fractions import Fraction

from rule_helpers import batch, deductions, findings_of, run

CAT = "单位编码,栏目名称,信息条数,最近更新日期\n"

DEPT_FULL = [
    "政府信息公开指南", "机构职能", "信息公开/机构领导", "政策/部门文件", "政策解读", "财政信息", "人事信息",
    "政府信息公开年报",
]


def catalog(tmp_path, rows, units=None):
    text = CAT + "".join(r + "\n" for r in rows)
    return batch(tmp_path, catalog=text) if units is None else batch(tmp_path, units=units, catalog=text)


# --- A1 -------------------------------------------------------------------


def test_department_catalog_with_every_required_column_or_synonym_passes(tmp_path):
    b = catalog(tmp_path, [f"QC-SZ-01,{c},3,2026-11-01" for c in DEPT_FULL])
    assert findings_of(run("catalog_required_columns", b), "QC-SZ-01").empty


def test_department_catalog_without_personnel_column_loses_two_points(tmp_path):
    b = catalog(tmp_path, [f"QC-SZ-01,{c},3,2026-11-01" for c in DEPT_FULL if c != "人事信息"])
    out = run("catalog_required_columns", b)
    f = findings_of(out, "QC-SZ-01")
    assert list(f["ref"]) == ["人事信息"] and "缺少必备栏目「人事信息」" in f.loc[0, "message"]
    assert deductions(out, "QC-SZ-01") == 2


def test_county_government_needs_its_own_longer_list(tmp_path):
    b = catalog(tmp_path, [f"QC-XQ-01,{c},3,2026-11-01" for c in DEPT_FULL])
    f = findings_of(run("catalog_required_columns", b), "QC-XQ-01")
    assert set(f["ref"]) == {"政府信息公开制度", "规划计划", "重大建设项目", "公共资源配置", "社会救助"}


def test_a_segment_only_partly_matching_a_required_name_does_not_count(tmp_path):
    rows = [f"QC-SZ-01,{c},3,2026-11-01" for c in DEPT_FULL if c != "人事信息"] + ["QC-SZ-01,人事信息公开专栏,2,2026-10-01"]
    f = findings_of(run("catalog_required_columns", catalog(tmp_path, rows)), "QC-SZ-01")
    assert list(f["ref"]) == ["人事信息"]


def test_unit_kind_unknown_to_the_rubric_is_cannot_check(tmp_path):
    units = "单位编码,单位名称,单位类型\nQC-KF-01,青川开发区管委会,开发区\n"
    out = run("catalog_required_columns", catalog(tmp_path, ["QC-KF-01,机构职能,3,2026-11-01"], units=units))
    assert out.states["QC-KF-01"][0] == "cannot_check" and out.findings.empty


# --- A2 -------------------------------------------------------------------


def test_four_blank_columns_cost_four_points_without_veto(tmp_path):
    rows = [f"QC-SZ-01,空栏目{i},0,2026-11-01" for i in range(4)] + ["QC-SZ-01,政策解读,5,2026-11-01"]
    out = run("blank_columns", catalog(tmp_path, rows))
    assert deductions(out, "QC-SZ-01") == 4 and out.vetoes == {}
    assert "信息条数为 0" in findings_of(out).loc[0, "message"]


def test_five_blank_columns_veto_the_unit(tmp_path):
    rows = [f"QC-SZ-01,空栏目{i},0,2026-11-01" for i in range(5)] + ["QC-XQ-01,政策解读,,2026-11-01"]
    out = run("blank_columns", catalog(tmp_path, rows))
    assert set(out.vetoes) == {"QC-SZ-01"} and "空白栏目 5 个" in out.vetoes["QC-SZ-01"]
    assert deductions(out, "QC-XQ-01") == 0  # an unknown item count is not a blank column


# --- A3 -------------------------------------------------------------------


def test_news_column_updated_within_two_weeks_and_notices_within_six_months_pass(tmp_path):
    b = catalog(tmp_path, ["QC-SZ-01,工作动态,30,2026-11-06", "QC-SZ-01,通知公告,9,2026-05-20",
                           "QC-SZ-01,机构职能,1,2020-01-01"])  # a column outside every group is never stale
    out = run("stale_columns", b)
    assert out.findings.empty and out.vetoes == {}


def test_news_column_idle_over_two_weeks_and_notices_idle_over_six_months_lose_points(tmp_path):
    b = catalog(tmp_path, ["QC-SZ-01,政务公开/政务动态,30,2026-11-05", "QC-SZ-01,公告公示,9,2026-05-19",
                           "QC-SZ-01,规范性文件,4,2026-11-01"])
    out = run("stale_columns", b)
    f = findings_of(out)
    assert list(f["ref"]) == ["政务公开/政务动态", "公告公示"]
    assert "早于2026-11-06" in f.loc[0, "message"] and "早于2026-05-20" in f.loc[1, "message"]
    assert out.vetoes == {}


def test_five_stale_columns_of_both_kinds_together_veto_the_unit(tmp_path):
    rows = [f"QC-SZ-01,栏目{i}/要闻,3,2026-10-01" for i in range(3)] + \
           ["QC-SZ-01,通知公告,3,2026-01-10", "QC-SZ-01,政策文件,3,2025-12-01"]
    out = run("stale_columns", catalog(tmp_path, rows))
    assert set(out.vetoes) == {"QC-SZ-01"} and deductions(out, "QC-SZ-01") == 5


def test_stale_column_without_a_date_is_cannot_check(tmp_path):
    out = run("stale_columns", catalog(tmp_path, ["QC-SZ-01,工作动态,3,"]))
    assert findings_of(out).empty and len(findings_of(out, kind="cannot_check")) == 1


# --- A4 -------------------------------------------------------------------

CHECKS = "单位编码,地址,类型,状态,所在页面\n"


def test_reachable_home_page_and_working_links_pass(tmp_path):
    b = batch(tmp_path, site_checks=CHECKS + "QC-SZ-01,http://a.gov.cn/,home,200,\n"
                                             "QC-SZ-01,http://a.gov.cn/x,link,301,http://a.gov.cn/\n")
    out = run("site_availability", b)
    assert out.vetoes == {} and findings_of(out).empty


def test_unreachable_home_page_vetoes_the_unit(tmp_path):
    b = batch(tmp_path, site_checks=CHECKS + "QC-SZ-01,http://a.gov.cn/,home,timeout,\n"
                                             "QC-XQ-01,http://b.gov.cn/,home,200,\n")
    out = run("site_availability", b)
    assert set(out.vetoes) == {"QC-SZ-01"} and "timeout" in out.vetoes["QC-SZ-01"]


def test_each_broken_link_costs_half_a_point(tmp_path):
    b = batch(tmp_path, site_checks=CHECKS + "QC-SZ-01,http://a.gov.cn/,home,200,\n"
                                             "QC-SZ-01,http://a.gov.cn/1,link,404,http://a.gov.cn/\n"
                                             "QC-SZ-01,http://a.gov.cn/2,link,dns,http://a.gov.cn/\n")
    out = run("site_availability", b)
    assert deductions(out, "QC-SZ-01") == Fraction(1)
    assert "状态：404" in findings_of(out).loc[0, "message"]


def test_one_failed_try_in_fifty_is_below_the_five_percent_veto_share(tmp_path):
    rows = "".join("QC-SZ-01,http://a.gov.cn/,home,200,\n" for _ in range(49)) + "QC-SZ-01,http://a.gov.cn/,home,timeout,\n"
    b = batch(tmp_path, site_checks=CHECKS + rows + "QC-XQ-01,http://b.gov.cn/,home,200,\n")
    assert run("site_availability", b, home_veto_share="0.05").vetoes == {}
    assert set(run("site_availability", b).vetoes) == {"QC-SZ-01"}  # default: any failed home check


def test_site_checks_without_a_home_check_cannot_tell_if_the_site_is_up(tmp_path):
    b = batch(tmp_path, site_checks=CHECKS + "QC-SZ-01,http://a.gov.cn/1,link,200,http://a.gov.cn/\n")
    out = run("site_availability", b)
    assert set(findings_of(out, kind="cannot_check")["unit_id"]) == {"QC-SZ-01", "QC-XQ-01"}

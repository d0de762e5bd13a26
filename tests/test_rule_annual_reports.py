"""年度报告 rules: F1 published on time, F2 the report's data identities (DOMAIN.md)."""

from rule_helpers import batch, deductions, findings_of, run

REPORTS = "单位编码,年度,发布日期\n"


def test_department_report_published_by_january_31_is_on_time_and_county_by_march_31(tmp_path):
    b = batch(tmp_path, annual_reports=REPORTS + "QC-SZ-01,2025,2026-01-30\nQC-XQ-01,2025,2026-03-31\n")
    assert findings_of(run("annual_report_on_time", b)).empty


def test_department_report_published_in_february_is_late(tmp_path):
    b = batch(tmp_path, annual_reports=REPORTS + "QC-SZ-01,2025,2026-02-05\nQC-XQ-01,2025,2026-02-05\n")
    out = run("annual_report_on_time", b)
    f = findings_of(out)
    assert list(f["unit_id"]) == ["QC-SZ-01"]  # the county government's deadline is 03-31
    assert "晚于市直部门的发布期限2026-01-31" in f.loc[0, "message"]
    assert deductions(out, "QC-SZ-01") == 3


def test_missing_report_for_last_year_loses_the_points(tmp_path):
    b = batch(tmp_path, annual_reports=REPORTS + "QC-SZ-01,2024,2025-01-20\nQC-XQ-01,2025,2026-03-01\n")
    f = findings_of(run("annual_report_on_time", b))
    assert list(f["unit_id"]) == ["QC-SZ-01"] and "没有2025年度报告" in f.loc[0, "message"]


def test_deadline_per_unit_kind_is_a_rubric_parameter(tmp_path):
    b = batch(tmp_path, annual_reports=REPORTS + "QC-SZ-01,2025,2026-02-05\nQC-XQ-01,2025,2026-02-05\n")
    out = run("annual_report_on_time", b, deadlines={"市直部门": "02-28", "县区政府": "01-31"})
    assert list(findings_of(out)["unit_id"]) == ["QC-XQ-01"]


def test_unit_kind_without_a_deadline_is_cannot_check_not_a_guess(tmp_path):
    units = "单位编码,单位名称,单位类型\nQC-X,青川市开发区管委会,开发区\n"
    b = batch(tmp_path, units=units, annual_reports=REPORTS + "QC-X,2025,2026-03-01\n")
    out = run("annual_report_on_time", b)
    assert out.states["QC-X"][0] == "cannot_check" and "开发区" in out.states["QC-X"][1]


# --- F2 -------------------------------------------------------------------

CELLS = "单位编码,年度,表,行,列,数值\n"
COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def table3(unit: str, year: int, rows: dict[str, tuple], other_subrows: bool = True) -> str:
    """Cells of a table 3; rows: label -> value per column (None = blank)."""
    out = []
    for label, values in rows.items():
        for col, v in zip(COLS, values):
            out.append(f"{unit},{year},3,{label},{col},{'' if v is None else v}")
    return "\n".join(out) + "\n"


def consistent(new=10, carried=1, disclosed=6, partial=2, refused=1, other=1, out_=1, other_subrows=True):
    """A column set where every identity holds: only 自然人 is non-zero, 总计 equals it."""
    def row(v):
        return (v, 0, 0, 0, 0, 0, v)
    rows = {
        "一、本年新收政府信息公开申请数量": row(new),
        "二、上年结转政府信息公开申请数量": row(carried),
        "本年度办理结果/予以公开": row(disclosed),
        "本年度办理结果/部分公开": row(partial),
    }
    for sub in ("属于国家秘密", "其他法律行政法规禁止公开", "危及三安全一稳定", "保护第三方合法权益",
                "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"):
        rows[f"本年度办理结果/不予公开/{sub}"] = row(refused if sub == "属于国家秘密" else 0)
    for sub in ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"):
        rows[f"本年度办理结果/无法提供/{sub}"] = row(0)
    for sub in ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                "要求行政机关确认或重新出具已获取信息"):
        rows[f"本年度办理结果/不予处理/{sub}"] = row(0)
    if other_subrows:
        rows["本年度办理结果/其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"] = row(other)
        rows["本年度办理结果/其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] = row(0)
        rows["本年度办理结果/其他处理/其他"] = row(0)
    else:
        rows["本年度办理结果/其他处理"] = row(other)
    total = disclosed + partial + refused + other
    rows["本年度办理结果/总计"] = row(total)
    rows["四、结转下年度继续办理"] = row(new + carried - total)
    return rows


def t4(unit, year, block, values):
    return "".join(f"{unit},{year},4,{block},{c},{'' if v is None else v}\n"
                   for c, v in zip(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), values))


def test_consistent_2021_format_report_passes_all_identities(tmp_path):
    cells = CELLS + table3("QC-SZ-01", 2025, consistent()) + t4("QC-SZ-01", 2025, "行政复议", (1, 1, 0, 1, 3))
    out = run("annual_report_identities", batch(tmp_path, annual_report_cells=cells))
    assert out.findings[out.findings["unit_id"] == "QC-SZ-01"].empty


def test_2019_format_with_a_single_other_row_passes_and_is_not_double_counted(tmp_path):
    rows = consistent(other_subrows=False)
    cells = CELLS + table3("QC-SZ-01", 2025, rows) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    assert findings_of(run("annual_report_identities", batch(tmp_path, annual_report_cells=cells)), "QC-SZ-01").empty


def test_parent_other_row_given_next_to_its_2021_subrows_is_not_added_twice(tmp_path):
    rows = consistent(other=2)
    rows["本年度办理结果/其他处理"] = (2, 0, 0, 0, 0, 0, 2)  # parent printed as well as the sub-rows
    cells = CELLS + table3("QC-SZ-01", 2025, rows) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    assert findings_of(run("annual_report_identities", batch(tmp_path, annual_report_cells=cells)), "QC-SZ-01").empty


def test_first_identity_broken_names_table_row_column_and_both_sides(tmp_path):
    rows = consistent()
    rows["四、结转下年度继续办理"] = (2, 0, 0, 0, 0, 0, 2)  # should be 1
    cells = CELLS + table3("QC-SZ-01", 2025, rows) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    out = run("annual_report_identities", batch(tmp_path, annual_report_cells=cells))
    f = findings_of(out, "QC-SZ-01")
    assert sorted(f["ref"]) == ["2025年报表3「总计」列", "2025年报表3「自然人」列"]
    msg = f.loc[f["ref"] == "2025年报表3「自然人」列", "message"].iloc[0]
    assert "本年新收(10) + 上年结转(1) = 11" in msg and "办理结果总计(10) + 结转下年度继续办理(2) = 12" in msg
    assert deductions(out, "QC-SZ-01") == 2


def test_second_identity_broken_when_outcomes_do_not_add_up_to_the_total(tmp_path):
    rows = consistent()
    rows["本年度办理结果/予以公开"] = (7, 0, 0, 0, 0, 0, 7)  # now 7+2+1+1 = 11 != 10
    rows["四、结转下年度继续办理"] = (1, 0, 0, 0, 0, 0, 1)
    cells = CELLS + table3("QC-SZ-01", 2025, rows) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    f = findings_of(run("annual_report_identities", batch(tmp_path, annual_report_cells=cells)), "QC-SZ-01")
    assert len(f) == 2 and f["message"].str.contains("办理结果各项之和等于办理结果总计").all()


def test_third_identity_broken_when_applicant_columns_do_not_add_up_to_total(tmp_path):
    rows = consistent()
    rows["一、本年新收政府信息公开申请数量"] = (10, 2, 0, 0, 0, 0, 10)  # 10+2 != 10
    cells = CELLS + table3("QC-SZ-01", 2025, rows) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    f = findings_of(run("annual_report_identities", batch(tmp_path, annual_report_cells=cells)), "QC-SZ-01")
    rows3 = f[f["message"].str.contains("自然人与各类法人或其他组织之和等于总计")]
    assert list(rows3["ref"]) == ["2025年报表3「本年新收」行"]
    assert "总计(10)" in rows3["message"].iloc[0]


def test_fourth_identity_compares_last_years_carry_over_with_this_years(tmp_path):
    prev = consistent(new=5, carried=0, disclosed=2, partial=0, refused=0, other=0)  # carries 3 into 2025
    cells = (CELLS + table3("QC-SZ-01", 2024, prev) + table3("QC-SZ-01", 2025, consistent(carried=1))
             + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0)))
    f = findings_of(run("annual_report_identities", batch(tmp_path, annual_report_cells=cells)), "QC-SZ-01")
    assert len(f) == 2
    assert f["message"].str.contains("2024年度结转下年度继续办理\\(3\\)").all()
    assert f["message"].str.contains("2025年度上年结转\\(1\\)").all()


def test_table4_block_that_does_not_add_up_is_a_finding(tmp_path):
    cells = (CELLS + table3("QC-SZ-01", 2025, consistent()) + t4("QC-SZ-01", 2025, "行政复议", (1, 1, 0, 1, 3))
             + t4("QC-SZ-01", 2025, "行政诉讼/复议后起诉", (1, 0, 0, 0, 2)))
    f = findings_of(run("annual_report_identities", batch(tmp_path, annual_report_cells=cells)), "QC-SZ-01")
    assert list(f["ref"]) == ["2025年报表4「行政诉讼/复议后起诉」板块"]
    assert f.loc[0, "table"] == "annual_report_cells" and f.loc[0, "row"] > 1


def test_blank_cell_makes_an_identity_cannot_check_not_a_failure(tmp_path):
    rows = consistent()
    rows["本年度办理结果/总计"] = (10, 0, 0, 0, 0, 0, None)  # Shanghai 2019 style blank total
    cells = CELLS + table3("QC-SZ-01", 2025, rows) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    out = run("annual_report_identities", batch(tmp_path, annual_report_cells=cells))
    assert findings_of(out, "QC-SZ-01").empty
    cc = findings_of(out, "QC-SZ-01", kind="cannot_check")
    assert len(cc) == 3  # identities 1 and 2 of the 总计 column, identity 3 of the 总计 row
    assert (cc["deduction"] == 0).all() and cc["message"].str.contains("无法核验").all()
    assert cc["message"].str.contains("办理结果总计|总计").all()


def test_unit_without_last_years_report_cells_has_identity_3_cannot_check_note(tmp_path):
    cells = CELLS + table3("QC-SZ-01", 2025, consistent()) + t4("QC-SZ-01", 2025, "行政复议", (0, 0, 0, 0, 0))
    out = run("annual_report_identities", batch(tmp_path, annual_report_cells=cells))
    cc = findings_of(out, "QC-XQ-01", kind="cannot_check")
    assert len(cc) == 2 and findings_of(out, "QC-XQ-01").empty

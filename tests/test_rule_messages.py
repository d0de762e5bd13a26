"""留言办理 rules (E1 reply time, E2 long unanswered veto)."""

from rule_helpers import batch, deductions, findings_of, run

HEAD = "单位编码,留言编号,留言日期,答复日期,渠道\n"


def messages(tmp_path, *rows):
    return batch(tmp_path, messages=HEAD + "".join(r + "\n" for r in rows))


def test_message_answered_on_the_fifth_working_day_after_national_day_is_on_time(tmp_path):
    # after 09-30: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13
    b = messages(tmp_path, "QC-SZ-01,LY-1,2026-09-30,2026-10-13,网站")
    assert findings_of(run("message_timeliness", b)).empty


def test_message_answered_on_the_sixth_working_day_loses_a_point(tmp_path):
    b = messages(tmp_path, "QC-SZ-01,LY-1,2026-03-02,2026-03-10,网站", "QC-SZ-01,LY-2,2026-03-02,2026-03-09,网站")
    f = findings_of(run("message_timeliness", b))
    assert list(f["ref"]) == ["LY-1"]
    assert "逾期 1 个工作日" in f.loc[0, "message"] and f.loc[0, "deduction"] == 1


def test_unanswered_message_older_than_five_working_days_loses_a_point(tmp_path):
    b = messages(tmp_path, "QC-SZ-01,LY-1,2026-11-12,,12345", "QC-SZ-01,LY-2,2026-11-16,,12345")
    f = findings_of(run("message_timeliness", b))
    assert list(f["ref"]) == ["LY-1"]
    assert "尚未答复" in f.loc[0, "message"]


def test_message_answered_exactly_three_months_later_is_not_vetoed(tmp_path):
    b = messages(tmp_path, "QC-SZ-01,LY-1,2026-03-10,2026-06-10,网站")
    out = run("message_long_unanswered", b)
    assert out.vetoes == {} and findings_of(out).empty


def test_message_waiting_more_than_three_months_vetoes_the_unit_and_costs_four_points(tmp_path):
    b = messages(tmp_path, "QC-SZ-01,LY-1,2026-03-10,2026-06-11,网站", "QC-XQ-01,LY-2,2026-06-01,2026-06-05,网站")
    out = run("message_long_unanswered", b)
    assert set(out.vetoes) == {"QC-SZ-01"}
    assert "LY-1" in out.vetoes["QC-SZ-01"]
    assert deductions(out, "QC-SZ-01") == 4 and deductions(out, "QC-XQ-01") == 0


def test_unanswered_message_from_last_december_counts_within_the_twelve_months_before_as_of(tmp_path):
    b = messages(tmp_path,
                 "QC-SZ-01,LY-OLD,2025-12-01,,网站",    # within 12 months of 2026-11-20, still open
                 "QC-XQ-01,LY-ANCIENT,2025-11-01,,网站")  # older than 12 months: outside the window
    out = run("message_long_unanswered", b)
    assert set(out.vetoes) == {"QC-SZ-01"}
    assert "仍未答复" in findings_of(out).loc[0, "message"]


def test_long_unanswered_veto_can_be_switched_off_by_the_rubric(tmp_path):
    b = messages(tmp_path, "QC-SZ-01,LY-1,2026-03-10,,网站")
    out = run("message_long_unanswered", b, veto_at=None)
    assert out.vetoes == {} and deductions(out, "QC-SZ-01") == 4

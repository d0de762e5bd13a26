"""依申请公开 rules (D1–D3): statutory deadlines on the official calendar, corrections, extensions, replies."""

from fractions import Fraction

import pytest

from rule_helpers import batch, deductions, findings_of, run

HEAD = "单位编码,申请编号,收到日期,补正告知日期,补正收到日期,征求意见工作日,延期,延期告知日期,答复日期,答复结果,说明理由,告知救济\n"


def requests(tmp_path, *rows: str):
    return batch(tmp_path, requests=HEAD + "".join(r + "\n" for r in rows))


# --- D1 答复时效 ---------------------------------------------------------------


def test_request_received_before_national_day_and_answered_oct_29_is_on_time(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-2026-031,2026-09-24,,,,,,2026-10-29,予以公开,,是")
    assert findings_of(run("request_timeliness", b)).empty


def test_request_received_before_national_day_answered_oct_30_is_one_working_day_late(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-2026-031,2026-09-24,,,,,,2026-10-30,予以公开,,是")
    f = findings_of(run("request_timeliness", b))
    assert len(f) == 1
    assert f.loc[0, "ref"] == "YSQ-2026-031"
    assert f.loc[0, "deduction"] == 3
    assert "法定答复期限 2026-10-29" in f.loc[0, "message"]
    assert "逾期 1 个工作日" in f.loc[0, "message"]
    assert f.loc[0, "row"] == 2 and f.loc[0, "file"].endswith("requests.csv")


def test_corrected_request_period_runs_from_the_corrected_date(tmp_path):
    # received early September, corrected request arrived 09-24: due 10-29, not 09-29
    b = requests(tmp_path,
                 "QC-SZ-01,YSQ-1,2026-09-01,2026-09-03,2026-09-24,,,,2026-10-29,予以公开,,是",
                 "QC-SZ-01,YSQ-2,2026-09-01,2026-09-03,2026-09-24,,,,2026-10-30,予以公开,,是")
    f = findings_of(run("request_timeliness", b))
    assert list(f["ref"]) == ["YSQ-2"]
    assert "补正后于2026-09-24收到" in f.loc[0, "message"]
    assert "逾期 1 个工作日" in f.loc[0, "message"]


def test_extension_noticed_within_the_20_day_deadline_adds_20_working_days(tmp_path):
    # 20 WD after 09-24 is 10-29; 40 WD is 11-26
    b = requests(tmp_path,
                 "QC-SZ-01,YSQ-1,2026-09-24,,,,是,2026-10-29,2026-11-26,予以公开,,是",
                 "QC-SZ-01,YSQ-2,2026-09-24,,,,是,2026-10-29,2026-11-27,予以公开,,是")
    f = findings_of(run("request_timeliness", b, as_of="2026-12-10"))
    assert list(f["ref"]) == ["YSQ-2"]
    assert "法定答复期限 2026-11-26" in f.loc[0, "message"] and "含延期20个工作日" in f.loc[0, "message"]


def test_extension_noticed_after_the_20_day_deadline_is_not_counted_and_the_finding_says_why(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-09-24,,,,是,2026-10-30,2026-11-10,予以公开,,是")
    f = findings_of(run("request_timeliness", b))
    assert len(f) == 1
    msg = f.loc[0, "message"]
    assert "法定答复期限 2026-10-29" in msg
    assert "延期告知日期2026-10-30晚于原答复期限2026-10-29" in msg


def test_extension_without_a_notice_date_is_not_counted(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-09-24,,,,是,,2026-11-10,予以公开,,是")
    f = findings_of(run("request_timeliness", b))
    assert "未填写延期告知日期" in f.loc[0, "message"]


def test_consultation_days_are_added_to_the_deadline(tmp_path):
    # 20 + 5 WD after 09-24: 10-29 plus 5 working days = 11-05
    b = requests(tmp_path,
                 "QC-SZ-01,YSQ-1,2026-09-24,,,5,,,2026-11-05,予以公开,,是",
                 "QC-SZ-01,YSQ-2,2026-09-24,,,5,,,2026-11-06,予以公开,,是")
    f = findings_of(run("request_timeliness", b))
    assert list(f["ref"]) == ["YSQ-2"]
    assert "2026-11-05" in f.loc[0, "message"] and "征求意见5个工作日" in f.loc[0, "message"]


def test_unanswered_request_past_its_deadline_is_late_by_working_days_up_to_as_of(tmp_path):
    b = requests(tmp_path,
                 "QC-XQ-01,YSQ-9,2026-10-20,,,,,,,,,",   # due 11-17 -> 3 WD late on 11-20
                 "QC-XQ-01,YSQ-10,2026-11-02,,,,,,,,,")  # due 11-30 -> not yet late
    f = findings_of(run("request_timeliness", b))
    assert list(f["ref"]) == ["YSQ-9"]
    assert "截至2026-11-20尚未答复" in f.loc[0, "message"] and "逾期 3 个工作日" in f.loc[0, "message"]
    assert deductions(run("request_timeliness", b), "QC-XQ-01") == 3


def test_requests_received_before_the_assessment_period_are_not_judged(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-OLD,2025-11-03,,,,,,2026-02-10,予以公开,,是")
    assert findings_of(run("request_timeliness", b)).empty


def test_per_item_deduction_is_a_rubric_parameter(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-09-24,,,,,,2026-10-30,予以公开,,是")
    assert deductions(run("request_timeliness", b, per_item="2.5"), "QC-SZ-01") == Fraction(5, 2)


# --- D2 补正规范 ---------------------------------------------------------------


def test_correction_notice_on_the_seventh_working_day_across_national_day_is_in_time(tmp_path):
    # after 09-24: 09-28, 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-09-24,2026-10-12,2026-10-13,,,,2026-11-05,予以公开,,是")
    assert findings_of(run("request_correction_timeliness", b)).empty


def test_correction_notice_on_the_eighth_working_day_is_late(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-03-02,2026-03-12,2026-03-13,,,,2026-04-01,予以公开,,是")
    f = findings_of(run("request_correction_timeliness", b))
    assert list(f["ref"]) == ["YSQ-1"]
    assert "逾期 1 个工作日" in f.loc[0, "message"] and f.loc[0, "deduction"] == 1


# --- D3 答复规范 ---------------------------------------------------------------


def test_refusal_with_reasons_and_remedy_is_standard(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-03-02,,,,,,2026-03-20,不予公开,是,是")
    assert run("request_reply_standard", b).findings.empty


def test_refusal_without_reasons_or_remedy_loses_a_point_for_each(tmp_path):
    b = requests(tmp_path,
                 "QC-SZ-01,YSQ-1,2026-03-02,,,,,,2026-03-20,无法提供,否,否",
                 "QC-SZ-01,YSQ-2,2026-03-02,,,,,,2026-03-20,予以公开,否,是")  # full disclosure needs no reasons
    out = run("request_reply_standard", b)
    f = findings_of(out)
    assert list(f["ref"]) == ["YSQ-1", "YSQ-1"]
    assert "未说明理由" in f.loc[0, "message"] and "行政复议" in f.loc[1, "message"]
    assert deductions(out, "QC-SZ-01") == 2


def test_blank_reason_flag_is_reported_as_cannot_check_without_deduction(tmp_path):
    b = requests(tmp_path, "QC-SZ-01,YSQ-1,2026-03-02,,,,,,2026-03-20,部分公开,,是")
    out = run("request_reply_standard", b)
    assert findings_of(out).empty
    assert list(findings_of(out, kind="cannot_check")["ref"]) == ["YSQ-1"]


def test_unknown_outcome_in_params_is_rejected():
    from pydantic import ValidationError

    from scoring.rules import REGISTRY
    with pytest.raises(ValidationError):
        REGISTRY["request_reply_standard"].params(full_disclosure=("全部公开",))


def test_request_received_late_in_december_needs_no_holiday_table_for_next_year_until_its_deadline_passes(tmp_path):
    # received 2026-12-28, extended in time: the deadline falls in 2027, whose holidays are unknown;
    # on as_of 2026-12-31 it cannot have passed yet, so nothing is late and nothing is guessed
    b = requests(tmp_path, "QC-SZ-01,YSQ-DEC,2026-12-28,,,,是,2026-12-29,,,,")
    assert findings_of(run("request_timeliness", b, as_of="2026-12-31")).empty


def test_reply_in_a_year_without_a_holiday_table_is_an_error_naming_the_year(tmp_path):
    from scoring.workdays import CalendarError
    b = requests(tmp_path, "QC-SZ-01,YSQ-DEC,2026-12-28,,,,,,2027-01-29,予以公开,,是")
    with pytest.raises(CalendarError, match="2027"):
        run("request_timeliness", b, as_of="2027-02-01", period_start="2026-01-01")

"""The statutory working-day calendar: 调休 included, start day not counted."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.workdays import CalendarError, WorkCalendar

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


def test_request_received_before_mid_autumn_and_national_day_is_due_on_oct_29(cal):
    # 9-25 中秋 and 10-1..10-7 国庆 are off; Sun 9-20 is before; Sat 10-10 is a make-up workday
    assert cal.add_workdays(D(2026, 9, 24), 20) == D(2026, 10, 29)


def test_counting_weekdays_only_would_give_oct_21_which_is_wrong(cal):
    assert cal.add_workdays(D(2026, 9, 24), 20) != D(2026, 10, 21)


def test_make_up_saturday_oct_10_is_a_working_day_and_national_day_is_not(cal):
    assert cal.is_workday(D(2026, 10, 10))
    assert not cal.is_workday(D(2026, 10, 5))
    assert not cal.is_workday(D(2026, 9, 25))
    assert cal.is_workday(D(2026, 9, 20))  # Sunday make-up day before 中秋


def test_five_working_days_from_sept_30_end_on_oct_13(cal):
    assert cal.add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_spring_festival_2026_with_make_up_saturdays(cal):
    # 春节 2-15..2-23 off; Sat 2-14 and Sat 2-28 are working days
    assert cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 2, 28))
    assert not cal.is_workday(D(2026, 2, 23))
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert cal.add_workdays(D(2026, 2, 10), 10) == D(2026, 3, 2)


def test_start_day_is_not_counted_even_when_it_is_a_working_day(cal):
    assert cal.add_workdays(D(2026, 11, 2), 1) == D(2026, 11, 3)
    assert cal.workdays_between(D(2026, 11, 2), D(2026, 11, 3)) == 1
    assert cal.workdays_between(D(2026, 11, 2), D(2026, 11, 2)) == 0


def test_working_days_between_across_national_day(cal):
    # 9-24 -> 10-30 is one day past the 20th working day
    assert cal.workdays_between(D(2026, 9, 24), D(2026, 10, 30)) == 21
    assert cal.workdays_between(D(2026, 10, 30), D(2026, 9, 24)) == -21


def test_a_date_in_2027_is_an_error_naming_the_year_never_a_weekday_guess(cal):
    with pytest.raises(CalendarError) as err:
        cal.add_workdays(D(2026, 12, 20), 20)
    assert "2027" in str(err.value) and "--calendar" in str(err.value)
    assert err.value.years == [2027]
    with pytest.raises(CalendarError):
        cal.is_workday(D(2027, 1, 4))


def test_vectorised_form_agrees_with_the_scalar_form_over_a_year(cal):
    starts = pd.Series(pd.date_range("2026-01-01", "2026-11-30", freq="D"))
    due = cal.add_workdays_vec(starts, 20)
    expected = [cal.add_workdays(s.date(), 20) for s in starts]
    assert [pd.Timestamp(d).date() for d in due] == expected
    ends = starts + pd.Timedelta(days=17)
    between = cal.workdays_between_vec(starts, ends)
    assert list(between.astype(int)) == [cal.workdays_between(a.date(), b.date()) for a, b in zip(starts, ends)]


def test_vectorised_form_keeps_blanks_blank_and_takes_per_row_counts(cal):
    starts = pd.Series([pd.Timestamp("2026-09-24"), pd.NaT, pd.Timestamp("2026-09-30")])
    due = cal.add_workdays_vec(starts, np.array([20, 20, 5]))
    assert pd.Timestamp(due[0]).date() == D(2026, 10, 29)
    assert pd.isna(due[1])
    assert pd.Timestamp(due[2]).date() == D(2026, 10, 13)
    between = cal.workdays_between_vec(starts, pd.Series([pd.Timestamp("2026-10-30")] * 3))
    assert between[0] == 21 and np.isnan(between[1])


def test_vectorised_form_names_the_missing_year(cal):
    with pytest.raises(CalendarError) as err:
        cal.add_workdays_vec(pd.Series([pd.Timestamp("2026-03-01"), pd.Timestamp("2027-03-01")]), 5)
    assert err.value.years == [2027]


CAL_2027 = """\
# 2027 年部分节假日安排（示例，按国务院办公厅通知填写）
2027:
  source: 国办发明电〔2026〕示例号
  holidays:
    - 2027-01-01
    - 2027-02-06~2027-02-12 春节
    - {date: 2027-10-01, to: 2027-10-07, name: 国庆节}
  workdays:
    - 2027-02-13 春节
    - {date: 2027-10-09, name: 国庆节}
"""


def test_a_user_calendar_file_adds_next_year_as_soon_as_the_notice_is_out(tmp_path):
    f = tmp_path / "calendar-2027.yaml"
    f.write_text(CAL_2027, encoding="utf-8")
    cal = WorkCalendar.load(f)
    assert not cal.is_workday(D(2027, 2, 8))
    assert cal.is_workday(D(2027, 2, 13))  # Saturday make-up day
    # Dec 21-31: 9 working days; 1-1 off; Jan 4-15: 10; Jan 18 is the 20th
    assert cal.add_workdays(D(2026, 12, 20), 20) == D(2027, 1, 18)
    assert "2027" in cal.describe()


def test_a_user_calendar_file_overrides_a_known_year(tmp_path):
    f = tmp_path / "cal.yaml"
    f.write_text("2026:\n  holidays: [2026-11-02]\n  workdays: []\n", encoding="utf-8")
    cal = WorkCalendar.load(f)
    assert not cal.is_workday(D(2026, 11, 2))
    assert cal.is_workday(D(2026, 10, 5))  # the whole year was replaced


def test_a_calendar_file_listing_a_day_as_both_holiday_and_workday_is_refused(tmp_path):
    f = tmp_path / "cal.yaml"
    f.write_text("2027:\n  holidays: [2027-02-13]\n  workdays: [2027-02-13]\n", encoding="utf-8")
    with pytest.raises(CalendarError, match="同时列为"):
        WorkCalendar.load(f)


def test_zwgk_deadline_prints_oct_29_and_names_the_holidays_crossed():
    r = CliRunner().invoke(main, ["deadline", "2026-09-24"])
    assert r.exit_code == 0
    first, *rest = r.output.splitlines()
    assert first == "2026-10-29"
    text = "\n".join(rest)
    assert "国庆节" in text and "中秋节" in text and "10月10日" in text


def test_zwgk_deadline_with_five_workdays_and_chinese_date_spelling():
    r = CliRunner().invoke(main, ["deadline", "2026年9月30日", "--workdays", "5"])
    assert r.exit_code == 0 and r.output.splitlines()[0] == "2026-10-13"


def test_zwgk_deadline_into_2027_exits_2_naming_the_year_and_how_to_supply_it():
    r = CliRunner().invoke(main, ["deadline", "2026-12-20"])
    assert r.exit_code == 2
    assert "2027" in r.output and "--calendar" in r.output


def test_zwgk_deadline_into_2027_works_with_a_calendar_file(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text(CAL_2027, encoding="utf-8")
    r = CliRunner().invoke(main, ["deadline", "2026-12-20", "--calendar", str(f)])
    assert r.exit_code == 0 and r.output.splitlines()[0] == "2027-01-18"

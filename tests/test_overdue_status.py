"""催办 and 通报 from what is on record (no store): deadlines, rechecks, earlier urges."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scoring.loop.overdue import NAME_PUBLICLY, URGE, URGED, overdue_units
from scoring.loop.recheck import DONE, NOT_DONE
from scoring.workdays import WorkCalendar

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load()


def notices(*rows) -> pd.DataFrame:
    return pd.DataFrame([(u, f"整改〔2026〕{k}号", D(2026, 11, 20), deadline) for k, (u, deadline) in enumerate(rows, 1)],
                        columns=["unit_id", "doc_number", "issued_on", "deadline"])


def rechecks(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "as_of", "verdict"])


def urges(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "issued_on"])


def test_unit_past_its_deadline_without_a_recheck_is_urged(calendar):
    out = overdue_units(notices(("U1", D(2026, 12, 11))), rechecks(), urges(), D(2026, 12, 18), calendar)
    row = out.iloc[0]
    assert (row["unit_id"], row["doc_number"], row["deadline"]) == ("U1", "整改〔2026〕1号", D(2026, 12, 11))
    assert (row["status"], row["workdays_overdue"]) == (URGE, 5)
    assert pd.isna(row["urged_on"])


def test_deadline_day_itself_is_still_in_time(calendar):
    out = overdue_units(notices(("U1", D(2026, 12, 11))), rechecks(), urges(), D(2026, 12, 11), calendar)
    assert out.empty


def test_unit_rechecked_as_fixed_is_not_urged(calendar):
    out = overdue_units(notices(("U1", D(2026, 12, 11)), ("U2", D(2026, 12, 11))),
                        rechecks(("U1", D(2026, 12, 10), DONE), ("U2", D(2026, 12, 10), NOT_DONE)),
                        urges(), D(2026, 12, 18), calendar)
    assert list(out["unit_id"]) == ["U2"]


def test_recheck_before_the_notice_does_not_count(calendar):
    out = overdue_units(notices(("U1", D(2026, 12, 11))), rechecks(("U1", D(2026, 11, 1), DONE)),
                        urges(), D(2026, 12, 18), calendar)
    assert list(out["status"]) == [URGE]


def test_urged_unit_is_named_publicly_once_five_working_days_after_the_urge_have_passed(calendar):
    # urged Fri 2026-12-18; the 催办函's period ends on the 5th working day after it, Fri 2026-12-25
    args = (notices(("U1", D(2026, 12, 11))), rechecks(), urges(("U1", D(2026, 12, 18))))
    assert overdue_units(*args, D(2026, 12, 25), calendar).loc[0, "status"] == URGED
    assert overdue_units(*args, D(2026, 12, 27), calendar).loc[0, "status"] == NAME_PUBLICLY   # Sunday
    out = overdue_units(*args, D(2026, 12, 28), calendar)
    assert out.loc[0, "status"] == NAME_PUBLICLY
    assert out.loc[0, "urged_on"] == D(2026, 12, 18) and out.loc[0, "workdays_since_urged"] == 6


def test_urge_period_is_an_option(calendar):
    args = (notices(("U1", D(2026, 12, 11))), rechecks(), urges(("U1", D(2026, 12, 18))))
    assert overdue_units(*args, D(2026, 12, 23), calendar, urge_workdays=2).loc[0, "status"] == NAME_PUBLICLY


def test_named_units_come_first_then_the_most_overdue(calendar):
    out = overdue_units(notices(("U1", D(2026, 12, 15)), ("U2", D(2026, 12, 1)), ("U3", D(2026, 12, 11))),
                        rechecks(), urges(("U3", D(2026, 12, 14))), D(2026, 12, 28), calendar)
    assert list(zip(out["unit_id"], out["status"])) == [("U3", NAME_PUBLICLY), ("U2", URGE), ("U1", URGE)]

"""催办 and 通报: which units are past their rectification deadline, from what is on record.

For every unit with a notice on record (its latest: the 整改通知书 of an
assessment round, or the 复核意见 of a recheck that found it 未整改到位, each
with a 文号 and a deadline):

- a recorded recheck after that notice shows the unit 整改到位 → nothing to do;
- the deadline has not passed (the deadline day itself is in time) → nothing to do;
- not urged since the notice → 催办 (a 催办函 is issued);
- urged (a recorded 催办) and the 催办函's period (N working days after it) not over → 已催办
  (listed, no new letter);
- urged, N working days after the urge have passed, still not fixed → 通报.

Working days come from the same calendar as every deadline (start day not counted).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from scoring.loop.recheck import DONE
from scoring.workdays import WorkCalendar

URGE = "催办"
URGED = "已催办"
NAME_PUBLICLY = "通报"
#: statuses in the order overdue.csv lists them
OVERDUE_STATUSES = (NAME_PUBLICLY, URGE, URGED)
DEFAULT_URGE_WORKDAYS = 5

#: columns of the notices frame (one row per unit: its latest notice)
NOTICE_COLUMNS = ["unit_id", "doc_number", "issued_on", "deadline"]
#: columns of the rechecks frame (one row per unit and recorded recheck)
RECHECK_COLUMNS = ["unit_id", "as_of", "verdict"]
#: columns of the urges frame (one row per unit and recorded 催办 round)
URGE_COLUMNS = ["unit_id", "issued_on"]
#: columns of the result (overdue.csv writes the first five)
OVERDUE_COLUMNS = ["unit_id", "doc_number", "deadline", "workdays_overdue", "status", "urged_on",
                   "workdays_since_urged"]


def _dates(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).astype("datetime64[ns]")


def overdue_units(notices: pd.DataFrame, rechecks: pd.DataFrame, urges: pd.DataFrame, as_of: dt.date,
                  calendar: WorkCalendar, urge_workdays: int = DEFAULT_URGE_WORKDAYS) -> pd.DataFrame:
    """The late units (OVERDUE_COLUMNS), 通报 first, then 催办, then 已催办, each by days overdue.

    Dates in the frames are ``datetime.date`` or anything pandas reads as a date.
    Raises ``CalendarError`` when a date lies in a year the calendar does not cover.
    """
    day = pd.Timestamp(as_of)
    n = notices[NOTICE_COLUMNS].copy()
    n["issued_on"], n["deadline"] = _dates(n["issued_on"]), _dates(n["deadline"])
    n = n[n["deadline"] < day]

    r = rechecks[RECHECK_COLUMNS].copy()
    r["as_of"] = _dates(r["as_of"])
    fixed_on = r[(r["verdict"] == DONE) & (r["as_of"] <= day)].merge(n[["unit_id", "issued_on"]], on="unit_id")
    fixed = set(fixed_on.loc[fixed_on["as_of"] >= fixed_on["issued_on"], "unit_id"])
    n = n[~n["unit_id"].isin(fixed)]

    u = urges[URGE_COLUMNS].copy()
    u["issued_on"] = _dates(u["issued_on"])
    u = u.merge(n[["unit_id", "issued_on"]].rename(columns={"issued_on": "notice_on"}), on="unit_id")
    u = u[(u["issued_on"] >= u["notice_on"]) & (u["issued_on"] <= day)]
    first_urge = u.groupby("unit_id")["issued_on"].min()
    n["urged_on"] = n["unit_id"].map(first_urge)

    n["workdays_overdue"] = calendar.workdays_between_vec(n["deadline"], pd.Series(day, index=n.index))
    n["workdays_since_urged"] = calendar.workdays_between_vec(n["urged_on"], pd.Series(day, index=n.index))
    urge_deadline = calendar.add_workdays_vec(n["urged_on"], urge_workdays)   # NaT when not urged
    urged = n["urged_on"].notna().to_numpy()
    n["status"] = np.select([urged & (urge_deadline < day.to_datetime64()), urged], [NAME_PUBLICLY, URGED], URGE)

    rank = {s: k for k, s in enumerate(OVERDUE_STATUSES)}
    n = n.assign(_rank=n["status"].map(rank)).sort_values(
        ["_rank", "workdays_overdue", "unit_id"], ascending=[True, False, True], kind="stable")
    out = n[OVERDUE_COLUMNS].reset_index(drop=True)
    out["workdays_overdue"] = out["workdays_overdue"].astype(int)
    out["workdays_since_urged"] = out["workdays_since_urged"].astype("Int64")
    for c in ("deadline", "urged_on"):
        out[c] = out[c].dt.date
    return out

"""整改复核: compare a recorded round's findings with the findings of new evidence.

A finding is keyed by (unit_id, indicator_id, ref), ``ref`` as in findings.csv;
the findings sharing a key are taken together (their deductions summed). Each
key gets a status:

- 已整改: in the baseline, gone from the new evidence;
- 部分整改: still there with a smaller deduction;
- 未整改: still there, the same or a larger deduction;
- 新发现: not in the baseline (listed, counted for the next round);
- 未提交整改材料: the unit is absent from the new evidence;
- 不可整改（历史问题）: still there, and its indicator is ``rectifiable: false`` and its
  item is done (a reply sent late stays late): listed, left out of the 整改率 and
  of the verdict.

A finding is rectifiable unless its indicator says ``rectifiable: false`` and the
finding's item is done: a finding marked ``pending`` (a request unanswered, a
report unpublished), a 单项否决 whose indicator has a pending finding, and a
missing evidence table (未提供底稿) stay rectifiable.

Per unit: 应整改 = baseline findings not 不可整改; 整改率 = 已整改 ÷ 应整改; the
unit is 整改到位 when every one of them is 已整改 (新发现 do not change it).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from scoring.report.common import PROBLEM_KINDS
from scoring.results import Results, display_text

FIXED = "已整改"
PARTIAL = "部分整改"
OPEN = "未整改"
NEW = "新发现"
NOT_SUBMITTED = "未提交整改材料"
HISTORIC = "不可整改（历史问题）"
#: a finding of a notice not yet rechecked (催办函, 通报)
TO_RECTIFY = "待整改"
#: statuses in the order the reports count them
STATUSES = (FIXED, PARTIAL, OPEN, NOT_SUBMITTED, HISTORIC, NEW)
#: statuses a 复核意见 lists as still to be rectified
STILL_OPEN = (PARTIAL, OPEN, NOT_SUBMITTED)

DONE = "整改到位"
NOT_DONE = "未整改到位"

KEY = ["unit_id", "indicator_id", "ref"]
#: columns of a findings frame (one row per problem finding)
FINDING_COLUMNS = ["unit_id", "indicator_id", "ref", "kind", "deduction", "message", "pending"]
#: columns of the recheck rows (recheck.csv writes the first seven)
ROW_COLUMNS = ["unit_id", "indicator_id", "ref", "status", "before", "after", "message", "counted"]


def problem_findings(results: Results) -> pd.DataFrame:
    """One row per finding a unit must rectify (deduction, veto, not provided), in results order."""
    rows = [(u.unit_id, i.id, f.ref, f.kind, f.deduction.fraction, f.message, f.pending)
            for u in results.units for i in u.indicators for f in i.findings if f.kind in PROBLEM_KINDS]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"pending": bool})


def _sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, Fraction(0))


def _join(messages: Iterable[str]) -> str:
    return "；".join(dict.fromkeys(m for m in messages if m))


def finding_keys(findings: pd.DataFrame, rectifiable: Mapping[str, bool]) -> pd.DataFrame:
    """The findings taken together per key: deduction (exact sum), message, historic (not rectifiable)."""
    if findings.empty:
        return pd.DataFrame(columns=[*KEY, "deduction", "message", "historic"])
    f = findings
    pending = f["pending"].astype(bool)
    # a veto stands as long as its indicator has a pending finding; a missing table can always be supplied
    pending_indicator = pending.groupby([f["unit_id"], f["indicator_id"]]).transform("any")
    open_item = pending | ((f["kind"] == "veto") & pending_indicator) | (f["kind"] == "not_provided")
    rect = f["indicator_id"].map(lambda i: rectifiable.get(i, True)).astype(bool)
    f = f.assign(historic=~rect & ~open_item)
    g = f.groupby(KEY, sort=False).agg(deduction=("deduction", _sum), message=("message", _join),
                                       historic=("historic", "all"))
    return g.reset_index()


def compare(baseline: pd.DataFrame, new: pd.DataFrame, submitted: Iterable[str]) -> pd.DataFrame:
    """The recheck rows (ROW_COLUMNS) of baseline keys and new keys (both from ``finding_keys``).

    ``submitted``: the units present in the new evidence. ``before``/``after`` are
    the exact deductions (None where the finding does not exist on that side);
    ``counted``: the row counts in the 整改率 (a baseline finding, not historic).
    Rows follow the baseline's order, then the new findings'.
    """
    m = baseline.merge(new, on=KEY, how="outer", suffixes=("_before", "_after"), indicator=True, sort=False)
    both = (m["_merge"] == "both").to_numpy()
    base_only = (m["_merge"] == "left_only").to_numpy()
    present = m["unit_id"].isin(set(submitted)).to_numpy()
    hist_before = m["historic_before"].eq(True).to_numpy()
    hist_after = m["historic_after"].eq(True).to_numpy()
    before = m["deduction_before"].where(both | base_only, None)
    after = m["deduction_after"].where(~base_only, None)
    smaller = both & (after.where(both, 0) < before.where(both, 0)).to_numpy(dtype=bool)
    status = np.select(
        [both & hist_after, both & smaller, both, base_only & present, base_only & hist_before, base_only],
        [HISTORIC, PARTIAL, OPEN, FIXED, HISTORIC, NOT_SUBMITTED], NEW)
    message = m["message_before"].where(base_only, m["message_after"])
    rows = pd.DataFrame({"unit_id": m["unit_id"], "indicator_id": m["indicator_id"], "ref": m["ref"],
                         "status": status, "before": before.astype(object), "after": after.astype(object),
                         "message": message.fillna("").astype(str)})
    rows["counted"] = (both | base_only) & (status != HISTORIC)
    return rows[ROW_COLUMNS].reset_index(drop=True)


def order_rows(rows: pd.DataFrame, unit_order: list[str], indicator_order: list[str]) -> pd.DataFrame:
    """Rows by unit (``unit_order`` first), then indicator in rubric order, keeping the order within."""
    u = {x: k for k, x in enumerate(dict.fromkeys(unit_order))}
    i = {x: k for k, x in enumerate(indicator_order)}
    key_u = rows["unit_id"].map(u).fillna(len(u))
    key_i = rows["indicator_id"].map(i).fillna(len(i))
    order = np.lexsort((np.arange(len(rows)), key_i.to_numpy(), key_u.to_numpy()))
    return rows.iloc[order].reset_index(drop=True)


UNIT_COLUMNS = ["unit_id", "name", "counted", *STATUSES, "rate", "verdict"]


def unit_verdicts(rows: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Per unit (in the rows' order): counts per status, 应整改 (counted), 整改率 (exact, None when
    nothing to rectify) and the verdict 整改到位 / 未整改到位."""
    units = list(dict.fromkeys(rows["unit_id"]))
    counts = pd.crosstab(rows["unit_id"], rows["status"]).reindex(index=units, columns=list(STATUSES),
                                                                  fill_value=0)
    counted = rows[rows["counted"]]
    n_counted = counted.groupby("unit_id").size().reindex(units, fill_value=0)
    n_fixed = counted[counted["status"] == FIXED].groupby("unit_id").size().reindex(units, fill_value=0)
    out = counts.astype(int)
    out.insert(0, "counted", n_counted.astype(int))
    out.insert(0, "name", [names.get(u, "") for u in units])
    out["rate"] = [Fraction(int(f), int(c)) if c else None for f, c in zip(n_fixed, n_counted)]
    out["verdict"] = np.where(n_fixed.to_numpy() == n_counted.to_numpy(), DONE, NOT_DONE)
    out.index.name = "unit_id"
    out.columns.name = None
    return out.reset_index()[UNIT_COLUMNS]


def rate_text(rate: Fraction | None) -> str:
    """整改率 as shown: 66.67%, or — when the unit had nothing to rectify."""
    return "—" if rate is None else display_text(rate * 100) + "%"


def points_text(value) -> str:
    """A deduction as shown in recheck.csv: 3, 1.5; blank where the finding does not exist."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else display_text(Fraction(value))


def rectifiable_of(results: Results) -> dict[str, bool]:
    """Indicator id -> rectifiable, as the results' rubric says."""
    return {i.id: i.rectifiable for i in results.indicators}


class Recheck:
    """A recheck: the baseline and new results, the rows (one per finding key) and the unit verdicts."""

    def __init__(self, baseline: Results, new: Results):
        self.baseline, self.new = baseline, new
        rect = rectifiable_of(new)
        rows = compare(finding_keys(problem_findings(baseline), rect), finding_keys(problem_findings(new), rect),
                       [u.unit_id for u in new.units])
        order = [u.unit_id for u in baseline.units] + [u.unit_id for u in new.units]
        self.rows = order_rows(rows, order, [i.id for i in new.indicators])
        self.names = {u.unit_id: u.name for u in baseline.units} | {u.unit_id: u.name for u in new.units}
        self.units = unit_verdicts(self.rows, self.names)

    def open_rows(self, unit_id: str) -> pd.DataFrame:
        """The unit's findings still to rectify (部分整改, 未整改, 未提交整改材料)."""
        r = self.rows
        return r[(r["unit_id"] == unit_id) & r["status"].isin(STILL_OPEN)]

    def status_counts(self) -> dict[str, int]:
        return {s: int((self.rows["status"] == s).sum()) for s in STATUSES}

"""What the store holds about the loop, as the frames ``overdue_units`` takes.

- notices: each unit's latest notice (a 整改通知书 of a 测评 round, or a 复核意见 of a
  复核 round that left findings open), in recording order;
- rechecks: every recorded verdict, with its round's as-of date;
- urges: every recorded 催办 and 通报, with its date;
- a unit's open findings: those its latest recheck since its notice left open
  (部分整改, 未整改, 未提交整改材料), else its notice round's rectifiable findings (待整改).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable

import pandas as pd

from scoring.loop.overdue import NOTICE_COLUMNS, RECHECK_COLUMNS, URGE_COLUMNS
from scoring.loop.recheck import STILL_OPEN, TO_RECTIFY, finding_keys, problem_findings, rectifiable_of

OPEN_COLUMNS = ["unit_id", "indicator_id", "ref", "status", "before", "after", "message"]


class LoopRecord:
    """The notices, rechecks and urges on record in one store."""

    def __init__(self, store, rounds, notices: pd.DataFrame, rechecks: pd.DataFrame, urges: pd.DataFrame):
        self.store = store
        self.rounds = {r.name: r for r in rounds}
        self.order = [r.name for r in rounds]
        self.notices, self.rechecks, self.urges = notices, rechecks, urges
        self._results: dict = {}
        self.names: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        #: unit_id -> what its latest notice is: 整改通知书 (a 测评 round) or 复核意见 (a 复核 round)
        self.notice_kinds = {u: "复核意见" if self.rounds[r].kind == "复核" else "整改通知书"
                             for u, r in zip(notices["unit_id"], notices["round"])}
        for name in dict.fromkeys(notices["round"]):
            results = self.results(name)
            self.names |= {u.unit_id: u.name for u in results.units}
            self.titles |= {i.id: i.title for i in results.indicators}

    @classmethod
    def read(cls, store) -> "LoopRecord":
        from scoring.store import KIND_RECHECK, KIND_URGE

        rounds = store.rounds()
        notices = [(n.unit_id, n.doc_number, n.issue_date, n.deadline, r.name)
                   for r in rounds for n in store.notices(r.name)]
        notices = pd.DataFrame(notices, columns=[*NOTICE_COLUMNS, "round"])
        notices = notices.drop_duplicates("unit_id", keep="last").reset_index(drop=True)   # the latest per unit
        rechecks = pd.DataFrame([(v.unit_id, r.as_of, v.verdict, r.name) for r in rounds if r.kind == KIND_RECHECK
                                 for v in store.verdicts(r.name)], columns=[*RECHECK_COLUMNS, "round"])
        urges = pd.DataFrame([(u.unit_id, u.urged_on) for r in rounds if r.kind == KIND_URGE
                              for u in store.urges(r.name)], columns=URGE_COLUMNS)
        return cls(store, rounds, notices, rechecks, urges)

    def results(self, name: str):
        if name not in self._results:
            self._results[name] = self.store.load_results(name)
        return self._results[name]

    def baseline_of(self, unit_ids: Iterable[str]) -> str | None:
        """The latest round whose notices these units were given."""
        rounds = set(self.notices.loc[self.notices["unit_id"].isin(list(unit_ids)), "round"])
        return next((n for n in reversed(self.order) if n in rounds), None)

    def open_rows(self, unit_id: str) -> pd.DataFrame:
        """The unit's findings still open (OPEN_COLUMNS), from its latest recheck since its notice."""
        notice = self.notices[self.notices["unit_id"] == unit_id].iloc[0]
        since = self.order[self.order.index(notice["round"]):]
        mine = self.rechecks[(self.rechecks["unit_id"] == unit_id) & self.rechecks["round"].isin(since)]
        if len(mine):
            items = self.store.rechecks(mine["round"].iloc[-1], unit_id)
            rows = [(i.unit_id, i.indicator_id, i.ref, i.status, _frac(i.before), _frac(i.after), i.message or "")
                    for i in items if i.status in STILL_OPEN]
            return pd.DataFrame(rows, columns=OPEN_COLUMNS)
        results = self.results(notice["round"])
        found = problem_findings(results)
        keys = finding_keys(found[found["unit_id"] == unit_id], rectifiable_of(results))
        keys = keys[~keys["historic"].astype(bool)]
        return pd.DataFrame({"unit_id": keys["unit_id"], "indicator_id": keys["indicator_id"], "ref": keys["ref"],
                             "status": TO_RECTIFY, "before": keys["deduction"], "after": keys["deduction"],
                             "message": keys["message"]}, columns=OPEN_COLUMNS)


def _frac(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)

"""What each page shows, read from the store with the library functions the commands use.

Plain data in, plain data out (no HTTP here), so the tests compare it with the
CLI's files on the same store. Sorting and filtering the ranked table are
vectorised pandas over the round's rows; a page holds ``PER_PAGE`` rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from scoring.results import display_text
from scoring.store import KIND_URGE, RoundInfo, Store
from scoring.web import charts

PER_PAGE = 50
#: sortable columns of the ranked table: query value -> frame column
SORT_KEYS = {"rank": "rank", "total": "total_value", "unit_id": "unit_id", "name": "name", "grade": "grade"}
#: the order grades are listed in when a round does not say (others follow by name)
GRADE_ORDER = ("优秀", "良好", "合格", "基本合格", "不合格")


def points(exact: str) -> str:
    """A stored exact total as the reports show it (at most two decimals)."""
    return display_text(Fraction(exact))


# -- 轮次 ------------------------------------------------------------------------------------------------


@dataclass
class RoundCard:
    info: RoundInfo
    grades: list[tuple[str, int]] = field(default_factory=list)
    bars: list[charts.Bar] = field(default_factory=list)
    n_notices: int = 0
    urges: list[tuple[str, int]] = field(default_factory=list)


def grade_counts(grades: pd.Series) -> list[tuple[str, int]]:
    counts = grades.value_counts()
    order = [g for g in GRADE_ORDER if g in counts.index] + sorted(g for g in counts.index if g not in GRADE_ORDER)
    return [(g, int(counts[g])) for g in order]


def rounds_overview(store: Store) -> list[RoundCard]:
    """Every recorded round, newest first, with its counts by grade and its score histogram."""
    cards = []
    for info in reversed(store.rounds()):
        card = RoundCard(info)
        if info.has_results:
            frame = store.scores_frame(info.name)
            card.grades = grade_counts(frame["grade"])
            card.bars = charts.histogram(frame["total_value"].tolist(), full=max(100.0, frame["total_value"].max()))
        card.n_notices = len(store.notices(info.name))
        if info.kind == KIND_URGE:
            statuses = pd.Series([u.status for u in store.urges(info.name)], dtype=object)
            card.urges = [(s, int(n)) for s, n in statuses.value_counts().items()]
        cards.append(card)
    return cards


# -- a round's ranked table -----------------------------------------------------------------------------


@dataclass
class RankedPage:
    round: RoundInfo
    rows: list[dict]
    n_rows: int          # after the filters
    n_units: int         # in the round
    page: int
    pages: int
    groups: list[str]
    grades: list[str]


def ranked_table(store: Store, name: str, *, group: str = "", grade: str = "", q: str = "", sort: str = "rank",
                 desc: bool = False, page: int = 1, per_page: int = PER_PAGE) -> RankedPage:
    """One page of the round's ranking: by group then ``sort``; filtered by group, grade and a search text."""
    info = store.round(name)
    frame = store.scores_frame(name)
    groups = list(dict.fromkeys(frame.sort_values(["rank", "group"])["group"])) if len(frame) else []
    grades = [g for g, _ in grade_counts(frame["grade"])] if len(frame) else []
    shown = frame
    if group:
        shown = shown[shown["group"] == group]
    if grade:
        shown = shown[shown["grade"] == grade]
    if q:
        shown = shown[shown["unit_id"].str.contains(q, regex=False) | shown["name"].str.contains(q, regex=False)]
    key = SORT_KEYS.get(sort, "rank")
    group_pos = shown["group"].map({g: k for k, g in enumerate(groups)})
    shown = shown.assign(_g=group_pos).sort_values(["_g", key, "unit_id"], ascending=[True, not desc, True],
                                                   kind="stable")
    pages = max(1, -(-len(shown) // per_page))
    page = min(max(page, 1), pages)
    part = shown.iloc[(page - 1) * per_page: page * per_page]
    notices = {n.unit_id: n for n in store.notices(name)} if len(part) else {}
    rows = [{"unit_id": r.unit_id, "name": r.name, "group": r.group, "total": points(r.total_exact),
             "grade": r.grade, "rank": int(r.rank), "vetoed": bool(r.vetoed), "notice": notices.get(r.unit_id)}
            for r in part.itertuples(index=False)]
    return RankedPage(info, rows, len(shown), len(frame), page, pages, groups, grades)


@dataclass
class UnitFindings:
    round: RoundInfo
    score: object
    findings: list


def unit_findings(store: Store, name: str, unit_id: str) -> UnitFindings | None:
    """A unit's score and findings in one round (None when the round did not score the unit)."""
    info = store.round(name)
    score = next(iter(store.unit_scores(name, unit_id)), None)
    if score is None:
        return None
    return UnitFindings(info, score, store.findings(name, unit_id))


# -- a unit across rounds --------------------------------------------------------------------------------


@dataclass
class UnitPage:
    history: object                  # scoring.store.history.UnitHistory
    chart: list[charts.Point]
    ticks: list[tuple[float, str]]
    notice: dict | None              # the latest notice: 文号, round, kind, deadline, workdays_left
    open_rows: list[dict]
    overdue: dict | None             # the unit's row of `zwgk overdue`, when late
    documents: list[tuple[str, str, str]]   # (round, kind of document, 文号)


def unit_page(store: Store, unit_id: str, as_of: dt.date, calendar, urge_workdays: int) -> UnitPage | None:
    from scoring.store.history import unit_history

    h = unit_history(store, unit_id)
    if h is None:
        return None
    scored = [(e.round.name, float(Fraction(e.score.total_exact)), points(e.score.total_exact))
              for e in h.rounds if e.score is not None]
    chart = charts.line(scored)
    ticks = charts.y_axis(min(v for _, v, _ in scored)) if scored else []
    documents = [(e.round.name, "复核意见" if e.round.kind == "复核" else "整改通知书", e.notice.doc_number)
                 for e in h.rounds if e.notice is not None]
    page = UnitPage(h, chart, ticks, None, [], None, documents)
    late, loop = late_units(store, as_of, calendar, urge_workdays)
    mine = loop.notices[loop.notices["unit_id"] == unit_id]
    if len(mine):
        n = mine.iloc[0]
        deadline = pd.Timestamp(n["deadline"]).date()
        page.notice = {"doc_number": n["doc_number"], "round": n["round"], "kind": loop.notice_kinds[unit_id],
                       "deadline": deadline, "workdays_left": calendar.workdays_between(as_of, deadline)}
        page.open_rows = loop.open_rows(unit_id).to_dict("records")
    row = late[late["unit_id"] == unit_id]
    if len(row):
        page.overdue = row.iloc[0].to_dict()
    return page


# -- 待办 ------------------------------------------------------------------------------------------------


def late_units(store: Store, as_of: dt.date, calendar, urge_workdays: int):
    """(the frame `zwgk overdue` writes as overdue.csv, the loop record it was computed from)."""
    from scoring.loop.on_record import LoopRecord
    from scoring.loop.overdue import overdue_units

    loop = LoopRecord.read(store)
    return overdue_units(loop.notices, loop.rechecks, loop.urges, as_of, calendar, urge_workdays), loop


def todo_rows(store: Store, as_of: dt.date, calendar, urge_workdays: int) -> tuple[list[dict], dict[str, int]]:
    """The late units with their names, and how many of each status."""
    from scoring.loop.overdue import OVERDUE_STATUSES

    late, loop = late_units(store, as_of, calendar, urge_workdays)
    shown = late.assign(name=late["unit_id"].map(loop.names).fillna(""),
                        urged_on=late["urged_on"].map(lambda d: "" if pd.isna(d) else str(d)),
                        workdays_since_urged=late["workdays_since_urged"].astype(object).where(
                            late["workdays_since_urged"].notna(), ""))
    rows = shown.to_dict("records")
    counts = {s: int((late["status"] == s).sum()) for s in OVERDUE_STATUSES}
    return rows, counts

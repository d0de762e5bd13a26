"""Scoring from Python: the set-up every command shares, written once.

    import datetime as dt
    import scoring

    results = scoring.score("sample_units", as_of=dt.date(2026, 11, 20))
    for unit in results.units:
        print(unit.unit_id, unit.total.value, unit.grade)   # total.exact: the exact fraction

``score`` reads the rubric, the working-day calendar and the evidence, then
scores. The steps are also available one by one (``load_inputs`` then
``score_inputs``) for callers that report progress between them or need the
loader's warnings, as the commands do.

Errors are exceptions carrying Chinese messages: ``RubricError`` (rubric),
``EvidenceError`` (evidence, every problem with file, row and column),
``ScoringInputError`` (an unknown unit, a date outside the known calendar).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from scoring.evidence.batch import Batch
    from scoring.results import Results
    from scoring.rubric.load import LoadedRubric
    from scoring.workdays import WorkCalendar

Progress = Callable[[str], None]


class ScoringInputError(ValueError):
    """Bad input other than the rubric or the evidence tables; the message is Chinese and complete."""


@dataclass
class Inputs:
    """What a scoring run reads: the rubric, the calendar and the evidence batch."""

    rubric: LoadedRubric
    calendar: WorkCalendar
    batch: Batch
    evidence: str


def load_inputs(evidence: str | Path, rubric: str | Path | None = None, calendar: str | Path | None = None,
                progress: Progress | None = None) -> Inputs:
    """Read the rubric (a file or a shipped id; default the provincial one), the calendar and the evidence."""
    from scoring.evidence.load import load_batch
    from scoring.rubric.load import DEFAULT_RUBRIC, load_rubric
    from scoring.workdays import CalendarError, WorkCalendar

    say = progress or (lambda _msg: None)
    say(f"读取评分细则 {rubric or DEFAULT_RUBRIC}")
    loaded = load_rubric(str(rubric or DEFAULT_RUBRIC))
    say(f"评分细则：{loaded.model.title}（{loaded.id} {loaded.model.version}）")
    try:
        work_calendar = WorkCalendar.load(calendar or loaded.calendar_path())
    except CalendarError as exc:
        raise ScoringInputError(str(exc)) from exc
    say(f"读取底稿 {evidence}")
    batch = load_batch(evidence)
    say(f"共 {len(batch.units)} 个单位")
    return Inputs(loaded, work_calendar, batch, str(evidence))


def score_inputs(inputs: Inputs, as_of: dt.date, unit_id: str | None = None, rank: bool = False,
                 progress: Progress | None = None) -> Results:
    """Score the batch as of a date.

    With ``unit_id`` and without ``rank`` only that unit's evidence is scored (a
    unit's score never depends on the other units, only its rank does).
    """
    from scoring.engine.assess import assess
    from scoring.workdays import CalendarError

    batch = inputs.batch
    if unit_id is not None:
        ids = [str(u) for u in batch.unit_ids]
        if unit_id not in ids:
            raise ScoringInputError(f"单位编码「{unit_id}」不在底稿中；底稿中的单位：{list_ids(ids)}")
        if not rank:
            batch = batch.only([unit_id])
    try:
        return assess(batch, inputs.rubric, as_of, inputs.calendar, evidence=inputs.evidence, progress=progress)
    except CalendarError as exc:
        raise ScoringInputError(f"{exc}（可用 --calendar 提供该年度的节假日安排文件）") from exc


def score(evidence: str | Path, *, as_of: dt.date, rubric: str | Path | None = None,
          calendar: str | Path | None = None, unit_id: str | None = None, rank: bool = False) -> Results:
    """Score a batch of evidence against a rubric as of a date; the results object of results.json."""
    return score_inputs(load_inputs(evidence, rubric, calendar), as_of, unit_id=unit_id, rank=rank)


def list_ids(ids: list[str], cap: int = 20) -> str:
    """Unit ids for a message, the first ``cap`` of them and how many in all."""
    return "、".join(ids[:cap]) + (f" 等共 {len(ids)} 个" if len(ids) > cap else "")

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
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from scoring.evidence.batch import Batch
    from scoring.evidence.cache import EvidenceCache
    from scoring.results import Results
    from scoring.rubric.load import LoadedRubric
    from scoring.workdays import WorkCalendar

Progress = Callable[[str], None]


class ScoringInputError(ValueError):
    """Bad input other than the rubric or the evidence tables; the message is Chinese and complete."""


class Inputs:
    """What a scoring run reads: the rubric, the calendar and the evidence batch.

    With a current evidence cache (``cache``) the tables stay on disk: each partition reads its
    own buckets when it is scored, and ``batch`` is read in full only if asked for.
    """

    def __init__(self, rubric: LoadedRubric, calendar: WorkCalendar, batch: Batch | None, evidence: str,
                 cache: EvidenceCache | None = None):
        self.rubric, self.calendar, self.evidence, self.cache = rubric, calendar, evidence, cache
        self._batch = batch

    @property
    def batch(self) -> Batch:
        if self._batch is None:
            assert self.cache is not None
            self._batch = self.cache.batch()
        return self._batch

    @property
    def unit_ids(self) -> list[str]:
        if self._batch is None and self.cache is not None:
            return self.cache.unit_ids
        return [str(u) for u in self._batch.unit_ids]

    @property
    def warnings(self):
        """The loader's warnings (kept in the cache with the batch)."""
        if self._batch is None and self.cache is not None:
            return self.cache.warnings
        return self._batch.warnings


def load_inputs(evidence: str | Path, rubric: str | Path | None = None, calendar: str | Path | None = None,
                progress: Progress | None = None, *, cache: bool = False,
                cache_dir: str | Path | None = None) -> Inputs:
    """Read the rubric (a file or a shipped id; default the provincial one), the calendar and the evidence.

    With ``cache`` the evidence is read from its columnar cache when the files are unchanged, and
    the cache is written after a clean first read (scoring.evidence.cache).
    """
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
    inputs = _load_evidence(evidence, cache, cache_dir, say)
    inputs.rubric, inputs.calendar = loaded, work_calendar
    say(f"共 {len(inputs.unit_ids)} 个单位")
    return inputs


def _load_evidence(evidence: str | Path, cache: bool, cache_dir: str | Path | None, say: Progress) -> Inputs:
    """The batch, from the cache when it is current; a clean first read fills the cache."""
    from scoring.evidence import cache as ec
    from scoring.evidence.load import load_batch

    hashing = None
    if cache and Path(evidence).exists():
        found = ec.open_cache(evidence, cache_dir)
        if found is not None:
            say(f"读取底稿 {evidence}（底稿未改动，使用缓存 {found.folder}）")
            return Inputs(None, None, None, str(evidence), found)
        # the files' sha256 (the cache key), in a thread while the loader reads them
        # (hashlib and file reads release the GIL)
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=1)
        hashing = pool.submit(ec.fingerprint, evidence)
        pool.shutdown(wait=False)
    say(f"读取底稿 {evidence}")
    batch = load_batch(evidence)
    files = None
    if hashing is not None:
        try:
            files = hashing.result()
        except OSError:
            files = None
    written = None
    if files is not None:
        try:
            written = ec.write_cache(batch, evidence, files, cache_dir)
            say(f"已写入底稿缓存 {written.folder}")
        except ec.CacheError as exc:
            say(f"未能写入底稿缓存（{exc}），本次不使用缓存")
    return Inputs(None, None, batch, str(evidence), written)


def score_inputs(inputs: Inputs, as_of: dt.date, unit_id: str | None = None, rank: bool = False,
                 progress: Progress | None = None, *, workers: int = 1, partition_units: int | None = None,
                 scheduler: str | None = None) -> Results:
    """Score the batch as of a date.

    With ``unit_id`` and without ``rank`` only that unit's evidence is scored (a
    unit's score never depends on the other units, only its rank does). Otherwise the
    units are scored in partitions of ``partition_units`` (scoring.engine.partition), in
    ``workers`` processes or on a Dask ``scheduler``; the results do not depend on either.
    """
    from scoring.engine.assess import assess
    from scoring.engine.dask_run import SchedulerError
    from scoring.engine.partition import DEFAULT_PARTITION_UNITS, ScoreJob, assess_in_parts, split_batch, split_ids
    from scoring.workdays import CalendarError

    ids = inputs.unit_ids
    if unit_id is not None and unit_id not in ids:
        raise ScoringInputError(f"单位编码「{unit_id}」不在底稿中；底稿中的单位：{list_ids(ids)}")
    size = partition_units or DEFAULT_PARTITION_UNITS
    try:
        if unit_id is not None and not rank:
            batch = (inputs.cache.unit_part(unit_id).load() if inputs._batch is None
                     else inputs.batch.only([unit_id]))
            return assess(batch, inputs.rubric, as_of, inputs.calendar, evidence=inputs.evidence, progress=progress)
        if inputs.cache is not None and (inputs._batch is None or scheduler):
            parts = inputs.cache.parts(size)
        else:
            parts = split_batch(inputs.batch, split_ids(ids, size))
        from scoring.lexicon import user_files

        job = ScoreJob(inputs.rubric, as_of, inputs.calendar, lexicons=user_files())
        return assess_in_parts(parts, ids, job, evidence=inputs.evidence, workers=workers, scheduler=scheduler,
                               progress=progress)
    except CalendarError as exc:
        raise ScoringInputError(f"{exc}（可用 --calendar 提供该年度的节假日安排文件）") from exc
    except SchedulerError as exc:
        raise ScoringInputError(str(exc)) from exc


def score(evidence: str | Path, *, as_of: dt.date, rubric: str | Path | None = None,
          calendar: str | Path | None = None, unit_id: str | None = None, rank: bool = False) -> Results:
    """Score a batch of evidence against a rubric as of a date; the results object of results.json."""
    return score_inputs(load_inputs(evidence, rubric, calendar), as_of, unit_id=unit_id, rank=rank)


def list_ids(ids: list[str], cap: int = 20) -> str:
    """Unit ids for a message, the first ``cap`` of them and how many in all."""
    return "、".join(ids[:cap]) + (f" 等共 {len(ids)} 个" if len(ids) > cap else "")

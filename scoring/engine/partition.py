"""Scoring in partitions of units: a unit's score never depends on another unit, only its rank does.

:func:`assess_in_parts` is :func:`scoring.engine.assess.assess` run partition by partition:

1. **split** — the units, in the units table's order, are cut into partitions (:func:`split_ids`); each
   partition is a :class:`~scoring.evidence.batch.Batch` of those units only (:func:`split_batch`, one
   pass over every table) or a reference to its buckets of the evidence cache
   (:class:`scoring.evidence.cache.CachedPart`, loaded where it is scored);
2. **score** — :func:`score_part`: stages 1–5 of the engine on one partition, giving each unit's
   :class:`~scoring.engine.assess.UnitScore` (plain objects: what crosses a process boundary);
3. **rank** — the unit scores of all partitions, back in the units table's order, are grouped and
   ranked and the results built exactly as :func:`~scoring.engine.assess.assess` does.

The partitions run in this process, in a pool of worker processes (``workers``), or as Dask tasks
(``scheduler``: a scheduler address or ``local:N``). The results are byte-identical whatever the
partition size, the workers or the scheduler (tests/test_scale.py).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from scoring.engine.assess import (
    UnitScore,
    assessment_period,
    build_results,
    claimed_bonus,
    group_and_rank,
    plan_tree,
    score_unit,
)
from scoring.engine.leaves import run_rules
from scoring.evidence.batch import Batch
from scoring.results import Results
from scoring.rubric.load import LoadedRubric
from scoring.workdays import WorkCalendar

Progress = Callable[[str], None]
#: units per partition unless told otherwise: a few hundred units' evidence is a few hundred MiB
DEFAULT_PARTITION_UNITS = 500


@dataclass
class ScoreJob:
    """What every partition is scored against (sent once to each worker)."""

    rubric: LoadedRubric
    as_of: dt.date
    calendar: WorkCalendar
    #: the user lexicon files of the run (``--lexicon``): a worker process or a Dask worker does not
    #: share the caller's context, so the text rules get them through the job
    lexicons: tuple[str, ...] = ()


def default_workers() -> int:
    """One worker process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def split_ids(unit_ids: Sequence[str], size: int) -> list[list[str]]:
    """The unit ids in order, cut into runs of ``size`` (the last may be shorter)."""
    ids = [str(u) for u in unit_ids]
    size = max(1, int(size))
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]


def split_batch(batch: Batch, chunks: list[list[str]]) -> list["BatchPart"]:
    """The batch cut into one part per chunk of unit ids; every table is split in one pass (a stable sort
    by partition), and a part holds only row positions until it is loaded."""
    part_of = {u: i for i, chunk in enumerate(chunks) for u in chunk}
    units = _row_positions(batch.units, part_of, len(chunks))
    tables = {name: _row_positions(df, part_of, len(chunks)) for name, df in batch.tables.items()}
    return [BatchPart(batch, chunk, units[i], {n: t[i] for n, t in tables.items()})
            for i, chunk in enumerate(chunks)]


@dataclass
class BatchPart:
    """Some units of a loaded batch: the row positions of their rows in every table."""

    batch: Batch
    unit_ids: list[str]
    unit_rows: np.ndarray
    table_rows: dict[str, np.ndarray]

    def load(self) -> Batch:
        b = self.batch
        provided = b.provided.loc[[u for u in self.unit_ids if u in b.provided.index]]
        return Batch(root=b.root, units=_take(b.units, self.unit_rows),
                     tables={n: _take(df, self.table_rows[n]) for n, df in b.tables.items()},
                     provided=provided, warnings=b.warnings, sources=b.sources)


def _take(df: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    return df.take(rows).reset_index(drop=True)


def _row_positions(df: pd.DataFrame, part_of: dict[str, int], n: int) -> list[np.ndarray]:
    """Positions of ``df``'s rows per partition, in row order; rows of no partition are left out."""
    ids = df["unit_id"].astype(str).where(df["unit_id"].notna(), None)
    codes = ids.map(part_of).fillna(-1).to_numpy(dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(n)]


def score_part(part, job: ScoreJob) -> list[UnitScore]:
    """Stages 1–5 for one partition (a Batch, or a part loaded here), in its units' order."""
    from scoring.lexicon import using_lexicons

    with using_lexicons(job.lexicons):
        return _score_part(part, job)


def _score_part(part, job: ScoreJob) -> list[UnitScore]:
    batch = part if isinstance(part, Batch) else part.load()
    model = job.rubric.model
    period = assessment_period(job.rubric, job.as_of)
    units = batch.units.reset_index(drop=True)
    if not len(units):
        return []
    unit_ids = pd.Index(units["unit_id"].astype(str), name="unit_id")
    tree = list(model.walk())
    leaves = [(i, p, lv) for i, p, lv in tree if i.is_leaf]
    results = run_rules(leaves, job.rubric, batch, job.calendar, job.as_of, period, unit_ids, lambda _m: None)
    plan = plan_tree(model, tree, results)
    bonus = claimed_bonus(model, batch)
    return [score_unit(rec, model, plan, bonus) for rec in units.to_dict("records")]


def assess_in_parts(parts: list, unit_ids: Sequence[str], job: ScoreJob, evidence: str = "",
                    workers: int = 1, scheduler: str | None = None, progress: Progress | None = None) -> Results:
    """Score the partitions (in order), then rank all units together and build the results."""
    say = progress or (lambda _msg: None)
    scored: dict[str, UnitScore] = {}
    for part_scores in run_parts(parts, job, workers, scheduler, say):
        for s in part_scores:
            scored[s.unit_id] = s
    say("汇总得分、否决、加分、等次与排名")
    ordered = [scored[str(u)] for u in unit_ids if str(u) in scored]
    groups, ranked = group_and_rank(job.rubric.model, ordered)
    period = assessment_period(job.rubric, job.as_of)
    return build_results(job.rubric, job.as_of, period, job.calendar, evidence, groups, ranked)


def run_parts(parts: list, job: ScoreJob, workers: int, scheduler: str | None,
              say: Progress) -> Iterable[list[UnitScore]]:
    """Each partition's unit scores, in the partitions' order: here, in worker processes or on Dask."""
    n = len(parts)
    if scheduler:
        from scoring.engine.dask_run import run_on_dask

        yield from run_on_dask(parts, job, scheduler, say)
        return
    if workers <= 1 or n <= 1:
        for i, part in enumerate(parts, 1):
            say(f"评分 第 {i}/{n} 部分")
            yield score_part(part, job)
        return
    yield from _run_in_pool(parts, job, min(workers, n), say)


# The pool's workers are forked from this process: the partitions and the job are
# handed over in these globals (no pickling of DataFrames); only the unit scores
# travel back.
_POOL_PARTS: list = []
_POOL_JOB: ScoreJob | None = None


def _pool_init(parts: list, job: ScoreJob) -> None:
    """A worker's start: the parts and the job (inherited under fork, pickled once under spawn)."""
    global _POOL_PARTS, _POOL_JOB
    _POOL_PARTS, _POOL_JOB = parts, job


def _score_nth(i: int) -> list[UnitScore]:
    assert _POOL_JOB is not None
    return score_part(_POOL_PARTS[i], _POOL_JOB)


def _run_in_pool(parts: list, job: ScoreJob, workers: int, say: Progress) -> Iterable[list[UnitScore]]:
    import multiprocessing as mp

    # fork shares the parts without copying them; Windows has only spawn
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    say(f"评分：{len(parts)} 个部分，{workers} 个工作进程")
    try:
        with ctx.Pool(workers, initializer=_pool_init, initargs=(parts, job)) as pool:
            for i, res in enumerate(pool.imap(_score_nth, range(len(parts))), 1):
                say(f"评分 第 {i}/{len(parts)} 部分完成")
                yield res
    finally:
        _pool_init([], None)

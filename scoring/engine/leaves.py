"""Stage 1 of the engine, *run rules*: each leaf's rule kind over the whole batch -> per-unit outcome.

Per unit and leaf indicator:

- a needed evidence table not provided for the unit -> ``not_provided``: 0
  points, a finding "未提供…底稿" whose deduction is the indicator's points; or,
  when the leaf says ``na_allowed``, ``not_applicable``: dropped from the
  unit's maximum;
- a rule-reported state (``not_applicable`` / ``cannot_check``) -> no score,
  dropped from the unit's maximum, the rule's note shown;
- else ``scored``: the points the rule awarded (ratio rules such as C4; their
  findings only explain) or the indicator's points minus the findings'
  deductions; floored at 0 and capped at the indicator's points.

A rule kind that raises (a bug in the rule, never the user's evidence) stops
the run with :class:`RuleError`, which names the rule kind, the indicator and
the exception; the command prints it and exits with code 2. A
:class:`~scoring.workdays.CalendarError` (a date beyond the holiday tables) is
the user's to fix and passes through unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

import pandas as pd

from scoring.engine.paths import EvidencePaths
from scoring.evidence.batch import Batch
from scoring.evidence.schema import TABLES
from scoring.results import Finding, Pts, constructor, display_text
from scoring.rubric.load import LoadedRubric
from scoring.rubric.model import Indicator
from scoring.rules import REGISTRY
from scoring.rules.base import FINDING_COLUMNS, RuleContext, RuleKind, RuleOutput, to_fraction
from scoring.workdays import CalendarError, WorkCalendar

ZERO = Fraction(0)
_new_finding = constructor(Finding)

_FRAC_CACHE: dict[tuple[type, object], Fraction] = {}


def frac(x) -> Fraction:
    """``to_fraction``, remembered per (type, value): most points repeat (1, 2, 0.5, ...)."""
    if type(x) is Fraction:
        return x
    key = (type(x), x)
    try:
        return _FRAC_CACHE[key]
    except KeyError:
        pass
    except TypeError:  # unhashable
        return to_fraction(x)
    f = to_fraction(x)
    if len(_FRAC_CACHE) < 100_000:
        _FRAC_CACHE[key] = f
    return f


class RuleError(Exception):
    """A rule kind raised while scoring: the run stops, naming the kind, the indicator and the error.

    Every command that scores (assess, check, recheck) prints the Chinese message and exits 2
    (scoring.cli.common.exit_on_scoring_errors) instead of a traceback, and writes nothing.
    """

    def __init__(self, kind: str, indicator_id: str, exc: BaseException):
        self.kind, self.indicator_id, self.cause = kind, indicator_id, exc
        text = str(exc).strip() or "（无说明）"
        self.message = (f"评分中止：指标 {indicator_id} 的规则类型 {kind} 运行出错：{type(exc).__name__}: {text}。"
                        "这是评分规则的程序错误，不是底稿的问题，未写出任何结果；请把本消息和底稿报告给维护者。")
        super().__init__(self.message)

    def __reduce__(self):
        # raised in a worker process, re-raised here: pickled by its parts (the cause as text
        # when it cannot be pickled itself)
        import pickle

        try:
            cause = pickle.loads(pickle.dumps(self.cause))
        except Exception:  # noqa: BLE001 - any unpicklable exception object
            cause = RuntimeError(f"{type(self.cause).__name__}: {self.cause}")
        return (RuleError, (self.kind, self.indicator_id, cause))


@dataclass
class LeafResult:
    """Per-unit outcome of one leaf (dicts keyed by unit_id)."""

    leaf: Indicator
    parent: str | None
    level: int
    needs: tuple[str, ...]
    state: dict[str, str]
    score: dict[str, Fraction | None]
    note: dict[str, str]
    findings: dict[str, list[Finding]]
    vetoes: dict[str, str]


def run_rules(leaves: list[tuple[Indicator, str | None, int]], rubric: LoadedRubric, batch: Batch,
              calendar: WorkCalendar, as_of: dt.date, period: tuple[dt.date, dt.date], unit_ids: pd.Index,
              say) -> dict[str, LeafResult]:
    """Stage 1: every leaf's rule kind over the whole batch, in rubric order."""
    results: dict[str, LeafResult] = {}
    for n, (leaf, parent, level) in enumerate(leaves, 1):
        say(f"评分 {n}/{len(leaves)}：{leaf.id} {leaf.title}（{leaf.rule}）")
        results[leaf.id] = run_leaf(leaf, parent, level, rubric, batch, calendar, pd.Timestamp(as_of), period,
                                    unit_ids)
    return results


def run_kind(kind: type[RuleKind], ctx: RuleContext) -> RuleOutput:
    """One rule kind's output; any exception but a calendar problem becomes a :class:`RuleError`."""
    try:
        return kind().run(ctx)
    except CalendarError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in a rule kind: stop with its name, never a traceback
        raise RuleError(kind.name, ctx.indicator_id, exc) from exc


def run_leaf(leaf: Indicator, parent: str | None, level: int, rubric: LoadedRubric, batch: Batch,
             calendar: WorkCalendar, as_of: pd.Timestamp, period: tuple[dt.date, dt.date],
             unit_ids: pd.Index) -> LeafResult:
    """Run one leaf's rule kind and turn its output into each unit's state, score, note and findings."""
    kind = REGISTRY[leaf.rule]
    points = frac(leaf.points)
    ctx = RuleContext(batch=batch, calendar=calendar, as_of=as_of,
                      period_start=pd.Timestamp(period[0]), period_end=pd.Timestamp(period[1]),
                      params=rubric.params[leaf.id], indicator_id=leaf.id, points=points, unit_ids=unit_ids)
    out = run_kind(kind, ctx)
    needs = tuple(kind.needs)
    prov = _provided(batch, unit_ids, needs)
    missing = (~prov.all(axis=1) if needs else pd.Series(False, index=unit_ids)).to_numpy()

    result = LeafResult(leaf, parent, level, needs, {}, {}, {}, {}, {})
    findings: dict[str, list[Finding]] = defaultdict(list)
    ded = _collect_findings(_kept_findings(out, unit_ids[missing]), leaf, findings, EvidencePaths(batch.root))
    for u, miss in zip(unit_ids, missing):
        if miss:
            _not_provided(result, u, [t for t in needs if not prov.at[u, t]], points, findings)
        elif u in out.states:
            st, why = out.states[u]
            result.state[u], result.score[u], result.note[u] = st, None, why
        else:
            _scored(result, u, out, ded, points, findings)
    result.findings = dict(findings)
    return result


def _provided(batch: Batch, unit_ids: pd.Index, needs: tuple[str, ...]) -> pd.DataFrame:
    prov = batch.provided.reindex(index=unit_ids)
    cols = {t: (prov[t].fillna(False).astype(bool) if t in prov.columns
                else pd.Series(False, index=unit_ids)) for t in needs}
    return pd.DataFrame(cols, index=unit_ids)


def _kept_findings(out: RuleOutput, missing_units: pd.Index) -> pd.DataFrame:
    """The rule's findings table, minus those of units whose evidence was not provided."""
    f = out.findings
    if f is None or len(f) == 0:
        f = pd.DataFrame(columns=FINDING_COLUMNS)
    f = f.reindex(columns=FINDING_COLUMNS).copy()   # a rule may leave out "pending" (False)
    f["unit_id"] = f["unit_id"].astype(str)
    return f.drop(index=f.loc[f["unit_id"].isin(missing_units)].index)


def _table_alias(name: str) -> str:
    return TABLES[name].alias if name in TABLES else name


def _not_provided(result: LeafResult, u: str, absent: list[str], points: Fraction,
                  findings: dict[str, list[Finding]]) -> None:
    """A needed table not provided: not applicable (``na_allowed``) or 0 points with a finding saying so."""
    names = "、".join(_table_alias(t) for t in absent)
    if result.leaf.na_allowed:
        result.state[u], result.score[u] = "not_applicable", None
        result.note[u] = f"未提供{names}底稿，本项不适用，从满分中扣除并折算为百分制"
        return
    result.state[u], result.score[u] = "not_provided", ZERO
    result.note[u] = f"未提供{names}底稿，本项不得分"
    findings[u] = [_new_finding(
        table=absent[0], ref="", message=f"未提供{names}底稿，本项无法评分，记 0 分",
        deduction=Pts.of(points), rectify=f"按测评要求报送{names}底稿",
        file="", row=None, kind="not_provided")]


def _scored(result: LeafResult, u: str, out: RuleOutput, ded: dict[str, Fraction], points: Fraction,
            findings: dict[str, list[Finding]]) -> None:
    """Awarded points, or points minus deductions, kept within 0..points; the rule's veto, if any."""
    if u not in out.awarded and u not in ded and points >= 0:
        # no findings: full points and no note (what the general case below gives)
        result.state[u], result.score[u], result.note[u] = "scored", points, ""
    else:
        got = frac(out.awarded[u]) if u in out.awarded else points - ded.get(u, ZERO)
        total_ded = points - got
        got = min(max(got, ZERO), points)
        result.state[u], result.score[u] = "scored", got
        if got == 0 and total_ded > points:
            result.note[u] = (f"扣分合计 {display_text(total_ded)} 分，超过本项分值 {display_text(points)} 分，"
                              "按 0 分计")
        else:
            result.note[u] = ""
    if u in out.vetoes:
        result.vetoes[u] = out.vetoes[u]
        findings[u].append(_new_finding(
            table="", ref="", message=f"单项否决：{out.vetoes[u]}", deduction=Pts.of(0),
            rectify=result.leaf.rectify, file="", row=None, kind="veto"))


def _collect_findings(f: pd.DataFrame, leaf: Indicator, findings: dict[str, list[Finding]],
                      files: EvidencePaths) -> dict[str, Fraction]:
    """Turn a rule's findings table into Finding objects (appended per unit, in table order)
    and return each unit's total deduction, exactly.

    Deductions are summed as integers over a common denominator (the lcm of the
    distinct deductions' denominators), one Fraction per unit at the end.
    """
    if not len(f):
        return {}
    units = f["unit_id"].tolist()
    dvals = [frac(x or 0) for x in f["deduction"].tolist()]
    distinct = set(dvals)
    den = 1
    for q in distinct:
        den = den * q.denominator // gcd(den, q.denominator)
    scaled = {q: q.numerator * (den // q.denominator) for q in distinct}
    pts = {q: Pts.of(q) for q in distinct}

    sums: dict[str, int] = {}
    for u, q in zip(units, dvals):
        sums[u] = sums.get(u, 0) + scaled[q]

    rows = f["row"]
    row_na = pd.isna(rows).to_numpy() if len(rows) else []
    rectify = leaf.rectify
    construct = _new_finding
    pending = f["pending"].fillna(False).astype(bool).tolist()
    for u, table, ref, message, q, file, row, na, kind, open_ in zip(
            units, f["table"].tolist(), f["ref"].tolist(), f["message"].tolist(), dvals,
            f["file"].tolist(), rows.tolist(), row_na, f["kind"].tolist(), pending):
        kind = kind or "deduction"
        findings[u].append(construct(
            table=table or "",
            ref="" if ref is None else str(ref),
            message=str(message or ""),
            deduction=pts[q],
            rectify=rectify if kind in ("deduction", "veto") else "",
            file=files.file(file),
            row=None if row is None or na else int(row),
            kind=kind,
            pending=open_))
    return {u: Fraction(n, den) for u, n in sums.items()}

"""The engine: rubric + evidence batch -> :class:`~scoring.results.Results`, in exact arithmetic.

:func:`assess` is a short pipeline; each stage is one function:

1. **run rules** — :func:`scoring.engine.leaves.run_rules`: every leaf's rule kind over the whole
   batch, findings turned into each unit's leaf state, score, note and vetoes (the rules for
   ``not_provided``, ``not_applicable``, ``cannot_check``, caps and floors are in that module). A rule
   kind that raises stops the run with :class:`~scoring.engine.leaves.RuleError` (exit code 2).
2. **sum the tree** — :func:`plan_tree` once, :func:`sum_tree` per unit: raw = sum of leaf scores;
   max = sum of the points of the leaves that count (``scored``, ``not_provided``); every node of the
   tree summed from its children.
3. **rescale** — :func:`rescale`: base = raw × full points ÷ max (the 涡阳 formula; = raw when nothing
   was dropped).
4. **bonus** — :func:`claimed_bonus` once, :func:`add_bonus` per unit: the ``bonus`` table's points,
   capped, only when the base reaches the rubric's threshold and no veto.
5. **grade** — :func:`grade_of`: total = base + bonus; grade by total (any veto -> the veto grade).
6. **group and rank** — :func:`group_of` per unit, :func:`group_and_rank`: rank within the group,
   vetoed units after all others, equal totals share a rank and the next rank skips.
7. **build the results** — :func:`build_results`: the rubric, period and calendar with the ranked units.

Exact arithmetic (fractions.Fraction) throughout; rounding happens only when
results are shown (see scoring.results).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import Callable

import pandas as pd

from scoring import __version__
from scoring.engine.leaves import LeafResult, frac, run_rules
from scoring.engine.paths import EvidencePaths
from scoring.evidence.batch import Batch
from scoring.results import (
    BonusItem,
    BonusRule,
    GradeBand,
    GroupInfo,
    IndicatorInfo,
    IndicatorResult,
    Period,
    Pts,
    Results,
    RubricInfo,
    RubricSource,
    Tool,
    UnitResult,
    VetoReason,
    constructor,
    display_text,
)
from scoring.rubric.load import LoadedRubric
from scoring.rubric.model import Indicator, Rubric
from scoring.rules import REGISTRY
from scoring.workdays import WorkCalendar

ZERO = Fraction(0)
_new_indicator_result = constructor(IndicatorResult)
Progress = Callable[[str], None]
#: leaf states that count in the unit's maximum
COUNTED = ("scored", "not_provided")


def assessment_period(rubric: LoadedRubric, as_of: dt.date) -> tuple[dt.date, dt.date]:
    p = rubric.model.period
    if p is None:
        return dt.date(as_of.year, 1, 1), as_of
    return p.start, (p.end or as_of)


def assess(batch: Batch, rubric: LoadedRubric, as_of: dt.date, calendar: WorkCalendar,
           evidence: str = "", progress: Progress | None = None) -> Results:
    """Score every unit of the batch against the rubric (the stages of the module docstring)."""
    say = progress or (lambda _msg: None)
    model = rubric.model
    period = assessment_period(rubric, as_of)
    units = batch.units.reset_index(drop=True)
    unit_ids = pd.Index(units["unit_id"].astype(str), name="unit_id")
    tree = list(model.walk())
    leaves = [(i, p, lv) for i, p, lv in tree if i.is_leaf]

    results = run_rules(leaves, rubric, batch, calendar, as_of, period, unit_ids, say)
    say("汇总得分、否决、加分、等次与排名")
    plan = plan_tree(model, tree, results)
    bonus = claimed_bonus(model, batch)
    scored = [score_unit(rec, model, plan, bonus) for rec in units.to_dict("records")]
    groups, ranked = group_and_rank(model, scored)
    return build_results(rubric, as_of, period, calendar, evidence, groups, ranked)


# ---------------------------------------------------------------------------
# per unit: sum the tree, rescale, bonus, grade, group


@dataclass
class UnitScore:
    """One unit's scores before ranking."""

    unit_id: str
    name: str
    kind: str
    group: str
    region: str | None
    total: Fraction
    max: Fraction
    raw: Fraction
    base: Fraction
    bonus: Fraction
    grade: str
    vetoed: bool
    veto_reasons: list[VetoReason]
    bonus_items: list[BonusItem]
    indicators: list[IndicatorResult]


def score_unit(rec: dict, model: Rubric, plan: "TreePlan", bonus: "BonusClaims") -> UnitScore:
    """Stages 2–6 for one unit (``rec``: its row of the units table)."""
    u = str(rec["unit_id"])
    inds, raw, umax = sum_tree(u, plan)
    base = rescale(raw, umax, frac(model.full_points))
    vetoes = unit_vetoes(u, plan)
    extra = ZERO
    if model.bonus is not None:
        extra, row = add_bonus(model, base, bool(vetoes), bonus.items.get(u, []), bonus.sums.get(u, ZERO))
        inds.append(row)
    total = base + extra
    region = rec.get("region")
    return UnitScore(
        unit_id=u, name=str(rec["name"]), kind=str(rec["kind"]), group=group_of(rec, model.groups.by),
        region=None if _missing(region) else str(region),
        total=total, max=umax, raw=raw, base=base, bonus=extra, grade=grade_of(model, total, bool(vetoes)),
        vetoed=bool(vetoes), veto_reasons=vetoes, bonus_items=bonus.items.get(u, []), indicators=inds)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v))


@dataclass
class TreePlan:
    """What summing the tree needs, worked out once for all units.

    Sums are exact integers: per unit, every leaf score and maximum scaled to one common
    denominator (``den0``, the lcm of the leaves' points' denominators, extended per unit by any
    score's own denominator); Fractions again only for the unit's totals.
    """

    tree: list[tuple[Indicator, str | None, int]]
    tops: list[str]
    leaves: list[tuple[str, LeafResult, int]]   # leaf id, its result, its points scaled to den0
    inner: list[tuple[str, list[str]]]          # non-leaf nodes, children before parents
    den0: int
    results: dict[str, LeafResult]
    pts_cache: dict[tuple[int, int], Pts]

    def pts(self, n: int, d: int) -> Pts:
        p = self.pts_cache.get((n, d))
        if p is None:
            p = self.pts_cache[(n, d)] = Pts.of(Fraction(n, d))
        return p


def plan_tree(model: Rubric, tree: list[tuple[Indicator, str | None, int]],
              results: dict[str, LeafResult]) -> TreePlan:
    inner: list[tuple[str, list[str]]] = []

    def post(ind: Indicator) -> None:
        if ind.is_leaf:
            return
        for c in ind.children:
            post(c)
        inner.append((ind.id, [c.id for c in ind.children]))

    for top in model.indicators:
        post(top)
    points = {ind.id: frac(ind.points) for ind, _, _ in tree if ind.is_leaf}
    den0 = 1
    for p in points.values():
        den0 = den0 * p.denominator // gcd(den0, p.denominator)
    leaves = [(lid, results[lid], p.numerator * (den0 // p.denominator)) for lid, p in points.items()]
    return TreePlan(tree, [t.id for t in model.indicators], leaves, inner, den0, results, {})


def sum_tree(u: str, plan: TreePlan) -> tuple[list[IndicatorResult], Fraction, Fraction]:
    """Stage 2 for one unit: every node's score, maximum and state; the unit's raw sum and maximum."""
    leaf_fr = [(lid, r.state[u], r.score[u], lp) for lid, r, lp in plan.leaves]
    den = plan.den0
    for _, _, sc, _ in leaf_fr:
        if sc is not None and den % sc.denominator:
            den = den * sc.denominator // gcd(den, sc.denominator)
    widen = den // plan.den0
    node_score: dict[str, int | None] = {}
    node_max: dict[str, int] = {}
    node_state: dict[str, str] = {}
    for lid, st, sc, lp in leaf_fr:
        node_state[lid] = st
        node_score[lid] = None if sc is None else sc.numerator * (den // sc.denominator)
        node_max[lid] = lp * widen if st in COUNTED else 0
    for nid, kids in plan.inner:
        counted = [k for k in kids if node_state[k] in COUNTED]
        node_max[nid] = sum(node_max[k] for k in kids)
        node_score[nid] = sum(node_score[k] for k in counted) if counted else None
        states = {node_state[k] for k in kids}
        node_state[nid] = states.pop() if len(states) == 1 else "scored"

    inds: list[IndicatorResult] = []
    for ind, parent, level in plan.tree:
        iid = ind.id
        if ind.is_leaf:
            r = plan.results[iid]
            fl, note = r.findings.get(u, []), r.note[u]
        else:
            fl, note = [], ("下级指标均不适用" if node_state[iid] == "not_applicable" else "")
        sc = node_score[iid]
        inds.append(_new_indicator_result(
            id=iid, parent=parent, level=level, title=ind.title,
            score=None if sc is None else plan.pts(sc, den), max=plan.pts(node_max[iid], den),
            state=node_state[iid], note=note, findings=fl))
    raw = Fraction(sum(node_score[t] or 0 for t in plan.tops), den)
    umax = Fraction(sum(node_max[t] for t in plan.tops), den)
    return inds, raw, umax


def rescale(raw: Fraction, umax: Fraction, full: Fraction) -> Fraction:
    """Stage 3: raw × full points ÷ the unit's maximum (0 when nothing counts)."""
    return raw * full / umax if umax else ZERO


def unit_vetoes(u: str, plan: TreePlan) -> list[VetoReason]:
    """The unit's vetoes, in rubric order."""
    return [VetoReason.model_construct(indicator_id=lid, title=r.leaf.title, reason=r.vetoes[u])
            for lid, r, _ in plan.leaves if u in r.vetoes]


@dataclass
class BonusClaims:
    """The ``bonus`` table per unit: its items and their claimed sum."""

    items: dict[str, list[BonusItem]]
    sums: dict[str, Fraction]


def claimed_bonus(model: Rubric, batch: Batch) -> BonusClaims:
    """Stage 4, once: every unit's claimed bonus items (empty without a bonus rule or table)."""
    items: dict[str, list[BonusItem]] = defaultdict(list)
    sums: dict[str, Fraction] = defaultdict(lambda: ZERO)
    files = EvidencePaths(batch.root)
    if model.bonus is not None and "bonus" in batch.tables:
        b = batch.tables["bonus"]
        for rec in b[["unit_id", "item", "points", "basis", "_file", "_row"]].to_dict("records"):
            pts = frac(rec["points"]) if pd.notna(rec["points"]) else ZERO
            u = str(rec["unit_id"])
            sums[u] += pts
            items[u].append(BonusItem.model_construct(
                item=str(rec["item"]), points=Pts.of(pts),
                basis="" if rec["basis"] is None or pd.isna(rec["basis"]) else str(rec["basis"]),
                file=files.file(rec["_file"]), row=None if pd.isna(rec["_row"]) else int(rec["_row"])))
    return BonusClaims(dict(items), dict(sums))


def add_bonus(model: Rubric, base: Fraction, vetoed: bool, items: list[BonusItem],
              claimed: Fraction) -> tuple[Fraction, IndicatorResult]:
    """Stage 4 for one unit: the bonus counted and its row (after the indicators) saying why."""
    bmod = model.bonus
    cap, threshold = frac(bmod.cap), frac(bmod.min_base)
    reached = base >= threshold if bmod.min_base_inclusive else base > threshold
    bonus = ZERO
    if not items:
        note = "无加分事项"
    elif vetoed:
        note = f"申报加分 {display_text(claimed)} 分；存在单项否决，加分不计"
    elif not reached:
        rel = "未达到" if bmod.min_base_inclusive else "未超过"
        note = (f"申报加分 {display_text(claimed)} 分；基础分 {display_text(base)} 分{rel} "
                f"{display_text(threshold)} 分，加分不计")
    else:
        bonus = min(max(claimed, ZERO), cap)
        note = (f"加分 {display_text(claimed)} 分，超过上限 {display_text(cap)} 分，按 {display_text(cap)} 分计"
                if claimed > cap else f"加分 {display_text(bonus)} 分")
    row = _new_indicator_result(id=bmod.id, parent=None, level=0, title=bmod.title, score=Pts.of(bonus),
                                max=Pts.of(cap), state="scored", note=note, findings=[])
    return bonus, row


def grade_of(model: Rubric, total: Fraction, vetoed: bool) -> str:
    """Stage 5: the first grade band the total reaches; the veto grade for a vetoed unit."""
    if vetoed:
        return model.veto_grade
    return next(g.name for g in model.grades if total >= frac(g.min))


def group_of(rec: dict, group_col: str) -> str:
    """Stage 6, per unit: 全部 when not grouped; 未分组 for a blank group value."""
    if group_col == "all":
        return "全部"
    gv = rec.get(group_col)
    return "未分组" if _missing(gv) or str(gv).strip() == "" else str(gv)


# ---------------------------------------------------------------------------
# groups and ranks, the results


def _rank(values: list[tuple[str, bool, Fraction]]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) on exact totals; vetoed units after all others."""
    ok = sorted(-t for _, v, t in values if not v)
    bad = sorted(-t for _, v, t in values if v)
    out = {}
    for u, v, t in values:
        if v:
            out[u] = len(ok) + 1 + bisect_left(bad, -t)
        else:
            out[u] = 1 + bisect_left(ok, -t)
    return out


def group_and_rank(model: Rubric, scored: list[UnitScore]) -> tuple[list[GroupInfo], list[UnitResult]]:
    """Stage 6: groups in the rubric's order (then as met), units ranked within each group."""
    order: list[str] = [g for g in model.groups.order if any(s.group == g for s in scored)]
    for s in scored:
        if s.group not in order:
            order.append(s.group)
    members: dict[str, list[UnitScore]] = {g: [s for s in scored if s.group == g] for g in order}
    out: list[UnitResult] = []
    for g in order:
        ms = members[g]
        ranks = _rank([(s.unit_id, s.vetoed, s.total) for s in ms])
        for s in sorted(ms, key=lambda s: (ranks[s.unit_id], s.unit_id)):
            out.append(UnitResult.model_construct(
                unit_id=s.unit_id, name=s.name, kind=s.kind, group=g, region=s.region,
                total=Pts.of(s.total), max=Pts.of(s.max), raw=Pts.of(s.raw), base=Pts.of(s.base),
                bonus=Pts.of(s.bonus), grade=s.grade, rank=ranks[s.unit_id], group_size=len(ms),
                vetoed=s.vetoed, veto_reasons=s.veto_reasons, bonus_items=s.bonus_items,
                indicators=s.indicators))
    return [GroupInfo(name=g, size=len(members[g])) for g in order], out


def build_results(rubric: LoadedRubric, as_of: dt.date, period: tuple[dt.date, dt.date], calendar: WorkCalendar,
                  evidence: str, groups: list[GroupInfo], units: list[UnitResult]) -> Results:
    """Stage 7: the ranked units with what they were scored against."""
    model = rubric.model
    return Results(
        tool=Tool(version=__version__),
        rubric=RubricInfo(id=model.id, version=model.version, title=model.title, sha256=rubric.sha256,
                          path=rubric.path.name,
                          extends=[RubricSource(path=p.name, sha256=s) for p, s in rubric.extends]),
        as_of=as_of.isoformat(),
        period=Period(start=period[0].isoformat(), end=period[1].isoformat()),
        calendar=calendar.describe(),
        evidence=EvidencePaths(evidence).name if evidence else "",
        full_points=Pts.of(frac(model.full_points)),
        indicators=indicator_table(rubric),
        grades=[GradeBand(name=g.name, min=Pts.of(frac(g.min))) for g in model.grades],
        veto_grade=model.veto_grade,
        bonus=None if model.bonus is None else BonusRule(
            id=model.bonus.id, title=model.bonus.title, cap=Pts.of(frac(model.bonus.cap)),
            min_base=Pts.of(frac(model.bonus.min_base)), min_base_inclusive=model.bonus.min_base_inclusive),
        group_by=model.groups.by,
        groups=groups,
        units=units,
    )


def indicator_table(rubric: LoadedRubric) -> list[IndicatorInfo]:
    """The rubric's indicator tree, flat in tree order (plus the bonus row)."""
    model = rubric.model
    rectifiable = model.rectifiable()
    rows = [IndicatorInfo(
        id=i.id, parent=p, level=lv, title=i.title, points=Pts.of(frac(i.points)), rule=i.rule,
        pass_text=i.pass_text, fail_text=i.fail_text, rectify=i.rectify, description=i.description,
        na_allowed=i.na_allowed, needs=list(REGISTRY[i.rule].needs) if i.rule else [],
        rectifiable=rectifiable[i.id])
        for i, p, lv in model.walk()]
    if model.bonus is not None:
        b = model.bonus
        rows.append(IndicatorInfo(id=b.id, parent=None, level=0, title=b.title, points=Pts.of(frac(b.cap)),
                                  description=b.description, needs=["bonus"], type="bonus"))
    return rows

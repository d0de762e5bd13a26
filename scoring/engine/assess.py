"""The engine: run every leaf's rule kind over the whole batch, turn findings into points.

Exact arithmetic (fractions.Fraction) throughout; rounding happens only when
results are shown (see scoring.results).

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

Per unit: raw = sum of leaf scores; max = sum of the points of the leaves
that count; base = raw × full points ÷ max (the 涡阳 formula; = raw when
nothing was dropped); bonus (from the ``bonus`` table, capped) only when the
base reaches the rubric's threshold and no veto; total = base + bonus; grade
by total (any veto -> the veto grade); rank within the group, vetoed units
after all others, equal totals share a rank and the next rank skips.
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
from scoring.evidence.batch import Batch
from scoring.evidence.schema import TABLES
from scoring.results import (
    BonusItem,
    BonusRule,
    Finding,
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
from scoring.rubric.load import LoadedRubric, load_registry
from scoring.rubric.model import Indicator
from scoring.rules.base import FINDING_COLUMNS, RuleContext, RuleOutput, to_fraction
from scoring.workdays import WorkCalendar

ZERO = Fraction(0)
_new_finding = constructor(Finding)
_new_indicator_result = constructor(IndicatorResult)
Progress = Callable[[str], None]


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


def assessment_period(rubric: LoadedRubric, as_of: dt.date) -> tuple[dt.date, dt.date]:
    p = rubric.model.period
    if p is None:
        return dt.date(as_of.year, 1, 1), as_of
    return p.start, (p.end or as_of)


def _table_alias(name: str) -> str:
    return TABLES[name].alias if name in TABLES else name


@dataclass
class _LeafResult:
    """Per-unit outcome of one leaf (dicts keyed by unit_id)."""

    leaf: Indicator
    parent: str | None
    level: int
    needs: tuple[str, ...]
    state: dict[str, str]
    score: dict[str, Fraction | None]
    note: dict[str, str]
    findings: dict[str, list[dict]]
    vetoes: dict[str, str]


def _provided(batch: Batch, unit_ids: pd.Index, needs: tuple[str, ...]) -> pd.DataFrame:
    prov = batch.provided.reindex(index=unit_ids)
    cols = {t: (prov[t].fillna(False).astype(bool) if t in prov.columns
                else pd.Series(False, index=unit_ids)) for t in needs}
    return pd.DataFrame(cols, index=unit_ids)


def _run_leaf(leaf: Indicator, parent: str | None, level: int, rubric: LoadedRubric, batch: Batch,
              calendar: WorkCalendar, as_of: pd.Timestamp, period: tuple[dt.date, dt.date],
              unit_ids: pd.Index) -> _LeafResult:
    registry = load_registry()
    kind = registry[leaf.rule]
    points = frac(leaf.points)
    ctx = RuleContext(batch=batch, calendar=calendar, as_of=as_of,
                      period_start=pd.Timestamp(period[0]), period_end=pd.Timestamp(period[1]),
                      params=rubric.params[leaf.id], indicator_id=leaf.id, points=points, unit_ids=unit_ids)
    out: RuleOutput = kind().run(ctx)
    needs = tuple(kind.needs)

    prov = _provided(batch, unit_ids, needs)
    missing_any = ~prov.all(axis=1) if needs else pd.Series(False, index=unit_ids)

    state: dict[str, str] = {}
    score: dict[str, Fraction | None] = {}
    note: dict[str, str] = {}
    findings: dict[str, list[Finding]] = defaultdict(list)
    vetoes: dict[str, str] = {}

    f = out.findings
    if f is None or len(f) == 0:
        f = pd.DataFrame(columns=FINDING_COLUMNS)
    f = f.reindex(columns=FINDING_COLUMNS).copy()   # a rule may leave out "pending" (False)
    f["unit_id"] = f["unit_id"].astype(str)
    lost = f.loc[f["unit_id"].isin(unit_ids[missing_any.to_numpy()])].index
    f = f.drop(index=lost)
    ded: dict[str, Fraction] = {}
    if len(f):
        ded = _collect_findings(f, leaf, findings)

    missing = missing_any.to_numpy()
    out_states, out_awarded, out_vetoes = out.states, out.awarded, out.vetoes
    points_nonneg = points >= 0
    for u, miss in zip(unit_ids, missing):
        if miss:
            absent = [t for t in needs if not prov.at[u, t]]
            names = "、".join(_table_alias(t) for t in absent)
            if leaf.na_allowed:
                state[u], score[u] = "not_applicable", None
                note[u] = f"未提供{names}底稿，本项不适用，从满分中扣除并折算为百分制"
            else:
                state[u], score[u] = "not_provided", ZERO
                note[u] = f"未提供{names}底稿，本项不得分"
                findings[u] = [_new_finding(
                    table=absent[0], ref="", message=f"未提供{names}底稿，本项无法评分，记 0 分",
                    deduction=Pts.of(points), rectify=f"按测评要求报送{names}底稿",
                    file="", row=None, kind="not_provided")]
            continue
        if u in out_states:
            st, why = out_states[u]
            state[u], score[u], note[u] = st, None, why
            continue
        if u not in out_awarded and u not in ded and points_nonneg:
            # no findings: full points and no note (what the general case below gives)
            state[u], score[u], note[u] = "scored", points, ""
        else:
            got = frac(out_awarded[u]) if u in out_awarded else points - ded.get(u, ZERO)
            total_ded = points - got
            got = min(max(got, ZERO), points)
            state[u], score[u] = "scored", got
            if got == 0 and total_ded > points:
                note[u] = f"扣分合计 {display_text(total_ded)} 分，超过本项分值 {display_text(points)} 分，按 0 分计"
            else:
                note[u] = ""
        if u in out_vetoes:
            vetoes[u] = out_vetoes[u]
            findings[u].append(_new_finding(
                table="", ref="", message=f"单项否决：{out_vetoes[u]}", deduction=Pts.of(0),
                rectify=leaf.rectify, file="", row=None, kind="veto"))
    return _LeafResult(leaf, parent, level, needs, state, score, note, dict(findings), vetoes)


def _collect_findings(f: pd.DataFrame, leaf: Indicator, findings: dict[str, list[Finding]]) -> dict[str, Fraction]:
    """Turn a rule's findings table into Finding objects (appended per unit, in table order)
    and return each unit's total deduction, exactly.

    Deductions are summed as integers over a common denominator (the lcm of the
    distinct deductions' denominators), one Fraction per unit at the end.
    """
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
    pending = f["pending"].fillna(False).astype(bool).tolist() if "pending" in f else [False] * len(f)
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
            file=file or "",
            row=None if row is None or na else int(row),
            kind=kind,
            pending=open_))
    return {u: Fraction(n, den) for u, n in sums.items()}


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


def assess(batch: Batch, rubric: LoadedRubric, as_of: dt.date, calendar: WorkCalendar,
           evidence: str = "", progress: Progress | None = None) -> Results:
    """Score every unit of the batch against the rubric."""
    say = progress or (lambda _msg: None)
    model = rubric.model
    period = assessment_period(rubric, as_of)
    ts = pd.Timestamp(as_of)
    units = batch.units.reset_index(drop=True)
    unit_ids = pd.Index(units["unit_id"].astype(str), name="unit_id")

    # --- leaves --------------------------------------------------------
    tree = list(model.walk())
    leaves = [(i, p, lv) for i, p, lv in tree if i.is_leaf]
    results: dict[str, _LeafResult] = {}
    for n, (leaf, parent, level) in enumerate(leaves, 1):
        say(f"评分 {n}/{len(leaves)}：{leaf.id} {leaf.title}（{leaf.rule}）")
        results[leaf.id] = _run_leaf(leaf, parent, level, rubric, batch, calendar, ts, period, unit_ids)

    say("汇总得分、否决、加分、等次与排名")
    full = frac(model.full_points)

    # --- bonus evidence ----------------------------------------------
    bonus_items: dict[str, list[BonusItem]] = defaultdict(list)
    bonus_sum: dict[str, Fraction] = defaultdict(lambda: ZERO)
    if model.bonus is not None and "bonus" in batch.tables:
        b = batch.tables["bonus"]
        for rec in b[["unit_id", "item", "points", "basis", "_file", "_row"]].to_dict("records"):
            pts = frac(rec["points"]) if pd.notna(rec["points"]) else ZERO
            u = str(rec["unit_id"])
            bonus_sum[u] += pts
            bonus_items[u].append(BonusItem.model_construct(
                item=str(rec["item"]), points=Pts.of(pts),
                basis="" if rec["basis"] is None or pd.isna(rec["basis"]) else str(rec["basis"]),
                file=rec["_file"] or "", row=None if pd.isna(rec["_row"]) else int(rec["_row"])))

    # --- per unit ------------------------------------------------------
    group_col = model.groups.by
    unit_rows = units.to_dict("records")
    per_unit: list[dict] = []
    COUNTED = ("scored", "not_provided")
    leaf_points = {lf.id: frac(lf.points) for lf, _, _ in leaves}
    # non-leaf nodes in post order (children before parents), with their children's ids
    inner: list[tuple[str, list[str]]] = []

    def _post(ind: Indicator) -> None:
        if ind.is_leaf:
            return
        for c in ind.children:
            _post(c)
        inner.append((ind.id, [c.id for c in ind.children]))

    for top in model.indicators:
        _post(top)
    # Exact sums as integers: per unit, every leaf score and maximum scaled to one
    # common denominator (the lcm of the leaves' points' denominators, extended by
    # any score's own denominator); Fractions again only for the unit's totals.
    den0 = 1
    for lf, _, _ in leaves:
        q = leaf_points[lf.id].denominator
        den0 = den0 * q // gcd(den0, q)
    leaf_results = [(lf.id, results[lf.id], leaf_points[lf.id].numerator * (den0 // leaf_points[lf.id].denominator))
                    for lf, _, _ in leaves]
    scaled_pts: dict[tuple[int, int], Pts] = {}

    def pts_scaled(n: int, d: int) -> Pts:
        p = scaled_pts.get((n, d))
        if p is None:
            p = scaled_pts[(n, d)] = Pts.of(Fraction(n, d))
        return p

    ir_construct = _new_indicator_result
    for rec in unit_rows:
        u = str(rec["unit_id"])
        inds: list[IndicatorResult] = []
        node_score: dict[str, int | None] = {}
        node_max: dict[str, int] = {}
        node_state: dict[str, str] = {}
        leaf_fr = [(lid, r.state[u], r.score[u], lp) for lid, r, lp in leaf_results]
        den = den0
        for _, _, sc, _ in leaf_fr:
            if sc is not None and den % sc.denominator:
                den = den * sc.denominator // gcd(den, sc.denominator)
        widen = den // den0
        for lid, st, sc, lp in leaf_fr:
            node_state[lid] = st
            node_score[lid] = None if sc is None else sc.numerator * (den // sc.denominator)
            node_max[lid] = lp * widen if st in COUNTED else 0
        for nid, kids in inner:
            counted = [k for k in kids if node_state[k] in COUNTED]
            node_max[nid] = sum(node_max[k] for k in kids)
            node_score[nid] = sum(node_score[k] for k in counted) if counted else None
            states = {node_state[k] for k in kids}
            node_state[nid] = states.pop() if len(states) == 1 else "scored"

        for ind, parent, level in tree:
            iid = ind.id
            if ind.is_leaf:
                r = results[iid]
                fl = r.findings.get(u, [])
                note = r.note[u]
            else:
                fl, note = [], ""
                if node_state[iid] == "not_applicable":
                    note = "下级指标均不适用"
            sc = node_score[iid]
            inds.append(ir_construct(
                id=iid, parent=parent, level=level, title=ind.title,
                score=None if sc is None else pts_scaled(sc, den), max=pts_scaled(node_max[iid], den),
                state=node_state[iid], note=note, findings=fl))

        raw = Fraction(sum(node_score[t.id] or 0 for t in model.indicators), den)
        umax = Fraction(sum(node_max[t.id] for t in model.indicators), den)
        base = raw * full / umax if umax else ZERO
        vetoes = [VetoReason.model_construct(indicator_id=lf.id, title=lf.title, reason=results[lf.id].vetoes[u])
                  for lf, _, _ in leaves if u in results[lf.id].vetoes]
        vetoed = bool(vetoes)

        bonus = ZERO
        if model.bonus is not None:
            bmod = model.bonus
            cap, threshold = frac(bmod.cap), frac(bmod.min_base)
            claimed = bonus_sum.get(u, ZERO)
            reached = base >= threshold if bmod.min_base_inclusive else base > threshold
            items = bonus_items.get(u, [])
            if not items:
                bnote = "无加分事项"
            elif vetoed:
                bnote = f"申报加分 {display_text(claimed)} 分；存在单项否决，加分不计"
            elif not reached:
                rel = "未达到" if bmod.min_base_inclusive else "未超过"
                bnote = f"申报加分 {display_text(claimed)} 分；基础分 {display_text(base)} 分{rel} {display_text(threshold)} 分，加分不计"
            else:
                bonus = min(max(claimed, ZERO), cap)
                bnote = (f"加分 {display_text(claimed)} 分，超过上限 {display_text(cap)} 分，按 {display_text(cap)} 分计"
                         if claimed > cap else f"加分 {display_text(bonus)} 分")
            inds.append(ir_construct(id=bmod.id, parent=None, level=0, title=bmod.title, score=Pts.of(bonus),
                                        max=Pts.of(cap), state="scored", note=bnote, findings=[]))
        total = base + bonus
        if vetoed:
            grade = model.veto_grade
        else:
            grade = next(g.name for g in model.grades if total >= frac(g.min))
        if group_col == "all":
            group = "全部"
        else:
            gv = rec.get(group_col)
            group = "未分组" if gv is None or (isinstance(gv, float) and pd.isna(gv)) or str(gv).strip() == "" \
                else str(gv)
        region = rec.get("region")
        per_unit.append(dict(
            unit_id=u, name=str(rec["name"]), kind=str(rec["kind"]), group=group,
            region=None if region is None or (isinstance(region, float) and pd.isna(region)) else str(region),
            total=total, max=umax, raw=raw, base=base, bonus=bonus, grade=grade, vetoed=vetoed,
            veto_reasons=vetoes, bonus_items=bonus_items.get(u, []), indicators=inds))

    # --- groups and ranks ----------------------------------------------
    order: list[str] = [g for g in model.groups.order if any(p["group"] == g for p in per_unit)]
    for p in per_unit:
        if p["group"] not in order:
            order.append(p["group"])
    members: dict[str, list[dict]] = {g: [p for p in per_unit if p["group"] == g] for g in order}
    out_units: list[UnitResult] = []
    for g in order:
        ms = members[g]
        ranks = _rank([(p["unit_id"], p["vetoed"], p["total"]) for p in ms])
        for p in sorted(ms, key=lambda p: (ranks[p["unit_id"]], p["unit_id"])):
            out_units.append(UnitResult.model_construct(
                unit_id=p["unit_id"], name=p["name"], kind=p["kind"], group=g, region=p["region"],
                total=Pts.of(p["total"]), max=Pts.of(p["max"]), raw=Pts.of(p["raw"]), base=Pts.of(p["base"]),
                bonus=Pts.of(p["bonus"]), grade=p["grade"], rank=ranks[p["unit_id"]], group_size=len(ms),
                vetoed=p["vetoed"], veto_reasons=p["veto_reasons"], bonus_items=p["bonus_items"],
                indicators=p["indicators"]))

    return Results(
        tool=Tool(version=__version__),
        rubric=RubricInfo(id=model.id, version=model.version, title=model.title, sha256=rubric.sha256,
                          path=str(rubric.path),
                          extends=[RubricSource(path=str(p), sha256=s) for p, s in rubric.extends]),
        as_of=as_of.isoformat(),
        period=Period(start=period[0].isoformat(), end=period[1].isoformat()),
        calendar=calendar.describe(),
        evidence=evidence,
        full_points=Pts.of(full),
        indicators=indicator_table(rubric),
        grades=[GradeBand(name=g.name, min=Pts.of(frac(g.min))) for g in model.grades],
        veto_grade=model.veto_grade,
        bonus=None if model.bonus is None else BonusRule(
            id=model.bonus.id, title=model.bonus.title, cap=Pts.of(frac(model.bonus.cap)),
            min_base=Pts.of(frac(model.bonus.min_base)), min_base_inclusive=model.bonus.min_base_inclusive),
        group_by=group_col,
        groups=[GroupInfo(name=g, size=len(members[g])) for g in order],
        units=out_units,
    )


def indicator_table(rubric: LoadedRubric) -> list[IndicatorInfo]:
    """The rubric's indicator tree, flat in tree order (plus the bonus row)."""
    registry = load_registry()
    model = rubric.model
    rectifiable = model.rectifiable()
    rows = [IndicatorInfo(
        id=i.id, parent=p, level=lv, title=i.title, points=Pts.of(frac(i.points)), rule=i.rule,
        pass_text=i.pass_text, fail_text=i.fail_text, rectify=i.rectify, description=i.description,
        na_allowed=i.na_allowed, needs=list(registry[i.rule].needs) if i.rule else [],
        rectifiable=rectifiable[i.id])
        for i, p, lv in model.walk()]
    if model.bonus is not None:
        b = model.bonus
        rows.append(IndicatorInfo(id=b.id, parent=None, level=0, title=b.title, points=Pts.of(frac(b.cap)),
                                  description=b.description, needs=["bonus"], type="bonus"))
    return rows

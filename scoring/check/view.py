"""The self-check view of one unit, built from the results model.

The view is what every renderer shows (terminal, HTML, JSON): the unit's
total and grade, its indicator tree with points lost, and the 优先整改 list.

优先整改 ordering: vetoes first (a veto makes the unit 不合格 whatever else it
fixes), then findings by the points fixing them would recover. A finding's
recoverable points are its deduction, but never more than its indicator
actually lost: indicators are floored at 0, so five −2 findings on a 6-point
indicator recover at most 6 together and 2 each. Points an indicator lost
that no finding's deduction accounts for (an awarded indicator such as 解读形式
scored below its maximum, a table not provided) become one fix for the
indicator itself, so every lost point is on the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from scoring.results import show_points  # the one points formatter (also imported from here)

if TYPE_CHECKING:  # pragma: no cover
    from scoring.results import Results


@dataclass(frozen=True)
class FindingView:
    indicator_id: str
    table: str           # evidence table ("" when none)
    ref: str             # the user's evidence id ("" when none)
    message: str
    deduction: Fraction
    rectify: str         # the rubric's 整改要求 for the indicator
    file: str = ""
    row: int | None = None
    kind: str = "deduction"   # deduction | not_provided | cannot_check | note | veto

    @property
    def where(self) -> str:
        """「requests.csv 第3行」, as the user finds the row; "" when unknown."""
        if not self.file:
            return ""
        return f"{self.file} 第{self.row}行" if self.row is not None else self.file


@dataclass
class IndicatorView:
    id: str
    name: str
    max: Fraction
    #: None when the indicator could not be scored (state != scored)
    score: Fraction | None
    state: str = "scored"        # scored | not_applicable | cannot_check | not_provided
    note: str = ""               # Chinese note for a state other than scored
    rectify: str = ""
    veto: str = ""               # Chinese veto reason, "" when none
    findings: list[FindingView] = field(default_factory=list)
    children: list["IndicatorView"] = field(default_factory=list)
    bonus: bool = False          # a bonus indicator (加分): adds, never loses

    @property
    def lost(self) -> Fraction:
        """Points lost; 0 for bonus indicators and those dropped from the maximum (n/a, cannot check)."""
        if self.bonus or self.state in ("not_applicable", "cannot_check"):
            return Fraction(0)
        if self.score is None:
            return self.max
        return max(Fraction(0), self.max - self.score)

    @property
    def share(self) -> float:
        """score / max for the bar, 0..1 (0 when unscored or max is 0)."""
        if self.score is None or not self.max:
            return 0.0
        return float(min(Fraction(1), max(Fraction(0), self.score / self.max)))

    def walk(self) -> list["IndicatorView"]:
        """This node and every node below it, in tree order."""
        return [self] + [n for c in self.children for n in c.walk()]

    def leaves(self) -> list["IndicatorView"]:
        if not self.children:
            return [self]
        return [leaf for c in self.children for leaf in c.leaves()]

    def all_findings(self) -> list[FindingView]:
        return [f for leaf in self.leaves() for f in leaf.findings]


@dataclass(frozen=True)
class Fix:
    """One line of 优先整改."""

    indicator_id: str
    indicator_name: str
    message: str
    rectify: str
    recoverable: Fraction        # points this fix recovers (0 for a veto line with no points)
    veto: bool = False
    table: str = ""
    ref: str = ""
    where: str = ""


@dataclass
class CheckView:
    unit_id: str
    unit_name: str
    unit_kind: str
    as_of: str
    rubric: str                  # "provincial-2026 v1" as shown
    total: Fraction
    max: Fraction
    grade: str
    vetoed: bool
    indicators: list[IndicatorView]       # top level, rubric order
    rank: int | None = None
    group_size: int | None = None
    bonus: Fraction = Fraction(0)
    vetoes: list[tuple[str, str, str]] = field(default_factory=list)  # (indicator id, name, reason)
    fixes: list[Fix] = field(default_factory=list)

    def leaves(self) -> list[IndicatorView]:
        return [leaf for top in self.indicators for leaf in top.leaves()]

    @property
    def lost(self) -> Fraction:
        return sum((top.lost for top in self.indicators), Fraction(0))


#: finding kinds whose deduction is points the unit lost
POINT_KINDS = ("deduction", "not_provided")


def priority_fixes(indicators: list[IndicatorView]) -> list[Fix]:
    """The 优先整改 list: vetoes first, then by points recoverable (see module doc)."""
    vetoes: list[Fix] = []
    for node in (n for top in indicators for n in top.walk()):
        if node.veto:
            refs = list(dict.fromkeys(f.ref for f in node.all_findings() if f.ref))
            refs_text = "、".join(refs[:3]) + (f" 等 {len(refs)} 项" if len(refs) > 3 else "")
            vetoes.append(Fix(node.id, node.name, node.veto, node.rectify, Fraction(0), veto=True,
                              ref=refs_text))
    scored: list[tuple[Fraction, int, int, Fix]] = []
    order = 0
    for leaf in (leaf for top in indicators for leaf in top.leaves()):
        order += 1
        lost = leaf.lost
        if lost <= 0:
            continue
        deductions = [f for f in leaf.findings if f.kind in POINT_KINDS and f.deduction > 0]
        accounted = Fraction(0)
        for i, f in enumerate(deductions):
            rec = min(f.deduction, lost)
            accounted += f.deduction
            scored.append((rec, order, i, Fix(leaf.id, leaf.name, f.message, f.rectify or leaf.rectify,
                                              rec, table=f.table, ref=f.ref, where=f.where)))
        rest = lost - min(accounted, lost)
        if rest > 0:
            others = [f for f in leaf.findings if f not in deductions]
            message = leaf.note or "；".join(dict.fromkeys(f.message for f in others)) \
                or f"本项得分低于满分（失 {show_points(rest)} 分）"
            scored.append((rest, order, len(deductions), Fix(leaf.id, leaf.name, message, leaf.rectify, rest)))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return vetoes + [t[3] for t in scored]


# --- from the results model ------------------------------------------------------

def from_results(results: "Results", unit_id: str) -> CheckView:
    """The check view of one unit of ``results`` (raises KeyError for an unknown unit)."""
    unit = results.unit(unit_id)
    info = {i.id: i for i in results.indicators}
    vetoes = {v.indicator_id: v for v in unit.veto_reasons}
    nodes: dict[str, IndicatorView] = {}
    tops: list[IndicatorView] = []
    for r in unit.indicators:          # tree order: parents before children
        meta = info.get(r.id)
        rectify = meta.rectify if meta else ""
        note = r.note or (meta.fail_text if meta and r.state == "scored" and r.score is not None
                          and r.score.fraction < r.max.fraction and not r.findings else "")
        node = IndicatorView(
            id=r.id, name=r.title, max=r.max.fraction,
            score=r.score.fraction if r.score is not None else None,
            state=r.state, note=note, rectify=rectify,
            veto=vetoes[r.id].reason if r.id in vetoes else "",
            bonus=bool(meta and meta.type == "bonus"),
            findings=[FindingView(r.id, f.table, f.ref, f.message, f.deduction.fraction,
                                  f.rectify or rectify, f.file, f.row, f.kind) for f in r.findings],
        )
        nodes[r.id] = node
        parent = nodes.get(r.parent) if r.parent else None
        (parent.children if parent is not None else tops).append(node)
    # a veto naming an indicator not in the unit's tree is still shown, never dropped
    loose = [(v.indicator_id, v.title, v.reason) for v in unit.veto_reasons if v.indicator_id not in nodes]
    view = CheckView(
        unit_id=unit.unit_id, unit_name=unit.name, unit_kind=unit.kind, as_of=results.as_of,
        rubric=f"{results.rubric.id}（版本 {results.rubric.version}）",
        total=unit.total.fraction, max=results.full_points.fraction, grade=unit.grade,
        vetoed=unit.vetoed, indicators=tops, rank=unit.rank, group_size=unit.group_size,
        bonus=unit.bonus.fraction,
        vetoes=[(v.indicator_id, v.title, v.reason) for v in unit.veto_reasons],
    )
    view.fixes = [Fix(i, t, r, "", Fraction(0), veto=True) for i, t, r in loose] + priority_fixes(tops)
    return view


def check_json(results: "Results", view: CheckView) -> dict:
    """The ``--json`` document: the unit's entry of the results model plus the 优先整改 list."""
    from scoring.results import Pts

    unit = results.unit(view.unit_id)
    unit_doc = unit.model_dump(mode="json")
    if view.rank is None:          # scored alone (check --unit without --rank): no rank
        unit_doc["rank"] = unit_doc["group_size"] = None
    return {
        "tool": results.tool.model_dump(mode="json"),
        "rubric": results.rubric.model_dump(mode="json"),
        "as_of": results.as_of,
        "period": results.period.model_dump(mode="json"),
        "calendar": results.calendar,
        "full_points": results.full_points.model_dump(mode="json"),
        "unit": unit_doc,
        "fixes": [
            {"order": n, "veto": f.veto, "indicator_id": f.indicator_id, "indicator": f.indicator_name,
             "recoverable": None if f.veto else Pts.of(f.recoverable).model_dump(mode="json"),
             "table": f.table, "ref": f.ref, "where": f.where, "message": f.message, "rectify": f.rectify}
            for n, f in enumerate(view.fixes, 1)
        ],
    }

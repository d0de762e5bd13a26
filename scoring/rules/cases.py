"""Rule cases: a rule kind's pass and fail examples as data, run as tests and printed in docs/RULES.md.

One YAML file per kind, ``tests/rule_cases/<kind>.yaml`` (sqlfluff's test cases, for rule kinds)::

    kind: message_timeliness
    cases:
      - title: 国庆假期后第 5 个工作日答复      # what the case shows (Chinese)
        example: true                         # printed in docs/RULES.md
        note: 10-10 调休上班也计入             # optional, printed after the title
        as_of: 2026-11-20                     # default 2026-11-20
        points: 10                            # the indicator's points, default 10
        params: {max_workdays: 5}             # overrides of the kind's defaults
        evidence:                             # table -> CSV text (headers as users write them)
          messages: |
            单位编码,留言编号,留言日期,答复日期
            QC-SZ-01,LY-001,2026-09-30,2026-10-13
        expect:                               # per unit; a unit not listed: full points, no findings
          QC-SZ-01:
            score: 10
            findings: []                      # or [{kind, ref, deduction, message}, ...] in order
            veto: ...                         # optional: the veto reason
            state: cannot_check               # optional: a rule-reported state (no score)

Optional keys: ``units`` (CSV text of units.csv; default :data:`UNITS`) and ``files`` (path relative
to the batch folder -> text, e.g. an interpretation's text file). Evidence is loaded by the real loader
from a temporary folder, so a case is exactly what a user's batch would be.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from scoring.rules import REGISTRY
from scoring.rules.base import RuleContext, RuleOutput, to_fraction

#: the units of a case unless it gives its own
UNITS = "单位编码,单位名称,单位类型\nQC-SZ-01,青川市教育局,市直部门\n"
AS_OF = "2026-11-20"
POINTS = 10
CASES_DIR = Path(__file__).resolve().parents[2] / "tests" / "rule_cases"


@dataclass
class Case:
    kind: str
    title: str
    evidence: dict[str, str]
    expect: dict[str, dict]
    example: bool = False
    note: str = ""
    as_of: str = AS_OF
    points: Fraction = Fraction(POINTS)
    params: dict[str, Any] = field(default_factory=dict)
    units: str = UNITS
    files: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.title}"


@dataclass
class UnitOutcome:
    """What a rule kind gave one unit, as a case states it."""

    score: Fraction | None
    findings: list[dict]
    veto: str | None = None
    state: str | None = None

    def as_expected(self) -> dict:
        out: dict[str, Any] = {"score": self.score, "findings": self.findings}
        if self.veto is not None:
            out["veto"] = self.veto
        if self.state is not None:
            out["state"] = self.state
        return out


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kind = data["kind"]
    if kind not in REGISTRY:
        raise ValueError(f"{path.name}: unknown rule kind {kind!r}")
    out = []
    for c in data["cases"]:
        c = dict(c)
        c["as_of"] = str(c.get("as_of", AS_OF))
        c["points"] = points(c.get("points", POINTS))
        c["expect"] = {str(u): v for u, v in (c.get("expect") or {}).items()}
        out.append(Case(kind=kind, **c))
    return out


def all_cases(folder: Path = CASES_DIR) -> dict[str, list[Case]]:
    """kind -> its cases, for every case file in the folder."""
    return {p.stem: load_cases(p) for p in sorted(folder.glob("*.yaml"))}


def run_case(case: Case) -> tuple[RuleOutput, list[str]]:
    """Write the case's batch to a temporary folder, load it, run the kind: (output, unit ids)."""
    from scoring.evidence.load import load_batch
    from scoring.workdays import WorkCalendar

    cls = REGISTRY[case.kind]
    with tempfile.TemporaryDirectory(prefix="zwgk-case-") as tmp:
        folder = Path(tmp)
        (folder / "units.csv").write_text(case.units, encoding="utf-8")
        for table, text in case.evidence.items():
            (folder / f"{table}.csv").write_text(text, encoding="utf-8")
        for rel, text in case.files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
        batch = load_batch(folder)
        as_of = pd.Timestamp(case.as_of)
        ctx = RuleContext(batch=batch, calendar=WorkCalendar.load(), as_of=as_of,
                          period_start=pd.Timestamp(year=as_of.year, month=1, day=1), period_end=as_of,
                          params=cls.params(**case.params), indicator_id=case.kind, points=case.points,
                          unit_ids=batch.unit_ids)
        out = cls().run(ctx)
        return out, [str(u) for u in batch.unit_ids]


def outcomes(case: Case, out: RuleOutput, unit_ids: list[str]) -> dict[str, UnitOutcome]:
    """Each unit's score (awarded, or points minus deductions within 0..points), findings, veto, state."""
    res = {}
    f = out.findings
    for u in unit_ids:
        rows = f[f["unit_id"].astype(str) == u]
        found = [{"kind": k or "deduction", "ref": str(r or ""), "deduction": to_fraction(d or 0), "message": m}
                 for k, r, d, m in zip(rows["kind"], rows["ref"], rows["deduction"], rows["message"])]
        if u in out.states:
            score = None
        elif u in out.awarded:
            score = to_fraction(out.awarded[u])
        else:
            score = min(max(case.points - sum((x["deduction"] for x in found), Fraction(0)), Fraction(0)),
                        case.points)
        res[u] = UnitOutcome(score=score, findings=found, veto=out.vetoes.get(u),
                             state=out.states[u][0] if u in out.states else None)
    return res


def points(x) -> Fraction:
    """A number as a case writes it: 2, 0.5, or an exact fraction "4/3"."""
    return Fraction(x) if isinstance(x, str) and "/" in x else to_fraction(x)


def expected(case: Case, unit_ids: list[str]) -> dict[str, dict]:
    """The case's expectation per unit, normalised like :meth:`UnitOutcome.as_expected`."""
    res = {}
    for u in unit_ids:
        e = case.expect.get(u, {})
        score = e.get("score", case.points)
        out: dict[str, Any] = {
            "score": None if score is None else points(score),
            "findings": [{"kind": x.get("kind", "deduction"), "ref": str(x.get("ref", "")),
                          "deduction": points(x.get("deduction", 0)), "message": x["message"]}
                         for x in e.get("findings") or []]}
        if e.get("veto") is not None:
            out["veto"] = e["veto"]
        if e.get("state") is not None:
            out["state"] = e["state"]
        res[u] = out
    return res


def actual_expect(case: Case) -> dict[str, dict]:
    """What the kind gives now, in the ``expect`` shape (units with anything to say only)."""
    out, units = run_case(case)
    res = {}
    for u, o in outcomes(case, out, units).items():
        e = o.as_expected()
        if e["score"] == case.points and not e["findings"] and len(e) == 2:
            continue
        e["score"] = None if e["score"] is None else _plain(e["score"])
        for x in e["findings"]:
            x["deduction"] = _plain(x["deduction"])
        res[u] = e
    return res


def _plain(f: Fraction) -> int | float | str:
    if f.denominator == 1:
        return f.numerator
    return float(f) if f == Fraction(str(float(f))) else f"{f.numerator}/{f.denominator}"


def main(argv: list[str] | None = None) -> None:
    """``python -m scoring.rules.cases FILE.yaml``: print what each case gives now, to write ``expect``."""
    import sys

    for path in (argv if argv is not None else sys.argv[1:]):
        for case in load_cases(Path(path)):
            sys.stdout.write(f"# {case.title}\n")
            sys.stdout.write(yaml.safe_dump({"expect": actual_expect(case)}, allow_unicode=True, sort_keys=False,
                                            width=200))


if __name__ == "__main__":
    main()

"""Building small evidence batches and running one rule kind on them."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pandas as pd

from scoring.evidence.batch import Batch
from scoring.evidence.load import load_batch
from scoring.rules import REGISTRY, RuleContext, RuleOutput
from scoring.workdays import WorkCalendar

UNITS = (
    "单位编码,单位名称,单位类型\n"
    "QC-SZ-01,青川市教育局,市直部门\n"
    "QC-XQ-01,青川市青山区人民政府,县区政府\n"
)


@lru_cache(maxsize=1)
def calendar() -> WorkCalendar:
    return WorkCalendar.load()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def batch(folder: Path, units: str = UNITS, files: dict[str, str | bytes] | None = None, **tables: str) -> Batch:
    """A folder batch: units.csv plus one CSV per table (text = header line + rows), loaded by the real loader.

    ``files`` adds other files (e.g. interpretation text files), path relative to the folder -> content.
    """
    write(folder / "units.csv", units)
    for name, text in tables.items():
        write(folder / f"{name}.csv", text)
    for rel, content in (files or {}).items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return load_batch(folder)


def run(kind: str, b: Batch, as_of: str = "2026-11-20", points: int | Fraction = 10,
        period_start: str | None = None, **params) -> RuleOutput:
    """Run a rule kind over the batch with the rubric's defaults overridden by ``params``."""
    cls = REGISTRY[kind]
    as_of_ts = pd.Timestamp(as_of)
    ctx = RuleContext(
        batch=b, calendar=calendar(), as_of=as_of_ts,
        period_start=pd.Timestamp(period_start) if period_start else pd.Timestamp(year=as_of_ts.year, month=1, day=1),
        period_end=as_of_ts, params=cls.params(**params), indicator_id=kind, points=Fraction(points),
        unit_ids=b.unit_ids,
    )
    return cls().run(ctx)


def findings_of(out: RuleOutput, unit: str | None = None, kind: str | None = "deduction") -> pd.DataFrame:
    f = out.findings
    if unit is not None:
        f = f[f["unit_id"] == unit]
    if kind is not None:
        f = f[f["kind"] == kind]
    return f.reset_index(drop=True)


def deductions(out: RuleOutput, unit: str) -> Fraction:
    """Total deduction of a unit (what the engine would subtract before capping)."""
    f = out.findings
    return sum(f.loc[f["unit_id"] == unit, "deduction"], Fraction(0))

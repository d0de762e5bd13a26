"""What a rule kind is, and what it gives back.

A rule kind is a named, documented check over *all units at once*. It takes
typed DataFrames (one per evidence table, every unit together) and yields
observations, never points directly: a long table of findings, each pointing
at the user's own evidence row, with the deduction the rubric's parameters
attach to it. The engine turns findings into indicator scores (caps, floors,
vetoes, n/a) — Scorecard's split between observations and evaluation.

Registering a kind::

    class BlankColumnsParams(RuleParams):
        per_item: Decimal = Decimal(1)
        veto_at: int | None = 5

    @register
    class BlankColumns(RuleKind):
        '''空白栏目（A2）

        什么：…… 为什么：……
        '''
        name = "blank_columns"
        params = BlankColumnsParams
        needs = ("catalog",)

        def run(self, ctx: RuleContext) -> RuleOutput: ...

No Python loop per evidence row inside ``run``: use vectorised pandas. Its pass and fail
examples are cases in tests/rule_cases/<name>.yaml (scoring.rules.cases), run as tests and
printed in docs/RULES.md, whose last section walks through adding a kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from scoring.rubric.model import check_numbers

if TYPE_CHECKING:  # pragma: no cover
    from scoring.evidence.load import Batch
    from scoring.workdays import WorkCalendar

#: columns of RuleOutput.findings
FINDING_COLUMNS = [
    "unit_id",      # str
    "table",        # evidence table the finding points into ("" when none)
    "ref",          # the user's evidence id (request_id, doc_id, column name, ...); "" when none
    "message",      # Chinese sentence a unit reads
    "deduction",    # Fraction >= 0 (0 for notes such as 无法核验)
    "file",         # the user's file ("" when none)
    "row",          # the user's row number (Int64, <NA> when none)
    "kind",         # "deduction" | "cannot_check" | "note"
    "pending",      # bool: the item is still not done at as_of (unanswered, unpublished); see Finding.pending
]


class RuleParams(BaseModel):
    """Base of every rule kind's parameters: unknown keys are errors; every number is bounded
    (:func:`scoring.rubric.model.check_numbers`), whatever the kind declares."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @field_validator("*", mode="after")
    @classmethod
    def _bounded_numbers(cls, value: Any) -> Any:
        return check_numbers(value)


@dataclass
class RuleContext:
    batch: "Batch"
    calendar: "WorkCalendar"
    as_of: pd.Timestamp
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    params: Any                 # the validated params model of the kind
    indicator_id: str
    points: Fraction            # the indicator's maximum
    unit_ids: pd.Index          # every unit of the batch, in batch order

    def table(self, name: str) -> pd.DataFrame:
        """The loaded table (all units); an empty typed frame when not provided."""
        return self.batch.table(name)


@dataclass
class RuleOutput:
    #: long table, columns FINDING_COLUMNS
    findings: pd.DataFrame = field(default_factory=lambda: empty_findings())
    #: unit_id -> Chinese reason, for units this rule vetoes
    vetoes: dict[str, str] = field(default_factory=dict)
    #: for rules that award points rather than deduct (e.g. C4 解读形式):
    #: unit_id -> points obtained (Fraction, 0..max). Units absent here are
    #: scored by deductions.
    awarded: dict[str, Fraction] = field(default_factory=dict)
    #: unit_id -> "not_applicable" | "cannot_check" with a Chinese note
    states: dict[str, tuple[str, str]] = field(default_factory=dict)


class RuleKind:
    name: ClassVar[str]
    params: ClassVar[type[RuleParams]] = RuleParams
    needs: ClassVar[tuple[str, ...]] = ()
    #: ruff-style lifecycle: preview / stable / deprecated
    status: ClassVar[str] = "stable"

    def run(self, ctx: RuleContext) -> RuleOutput:  # pragma: no cover - abstract
        raise NotImplementedError


REGISTRY: dict[str, type[RuleKind]] = {}


def register(cls: type[RuleKind]) -> type[RuleKind]:
    if cls.name in REGISTRY:
        raise ValueError(f"rule kind {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in FINDING_COLUMNS}).astype({"row": "Int64",
                                                                                         "pending": bool})


def to_fraction(x: Decimal | int | float | str | Fraction) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(Decimal(str(x)))

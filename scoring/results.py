"""results.json: the one result every report renders from (Lighthouse's LHR).

Points scheme
-------------
Every point value is a :class:`Pts` object ``{"exact": "87.5", "value": 87.5}``:

- ``exact`` is the exact value as a string: a plain decimal when it has a
  finite decimal expansion (``"8"``, ``"87.5"``, ``"0.25"``), otherwise a
  reduced fraction ``"numerator/denominator"`` (``"4/3"``, ``"1880/47"``).
  ``Pts.fraction`` turns it back into a :class:`fractions.Fraction`.
- ``value`` is the number to show, rounded half-up to 2 decimals.

All arithmetic (sums, caps, floors, rescaling, grade thresholds, ranking) is
done on the exact values; ``value`` is for display only. Two units whose
exact totals differ rank differently even if both show as e.g. 87.33.

Indicator states
----------------
``scored`` (computed), ``not_applicable`` (dropped from the unit's maximum,
total rescaled), ``cannot_check`` (could not be computed: no score, dropped
from the maximum like n/a, with a note saying why), ``not_provided`` (the
evidence table the indicator needs was not provided: 0 points, counted in
the maximum, with a finding "未提供…底稿").

Vocabulary
----------
:data:`STATE_ZH` and :data:`FINDING_KIND_ZH` are the one map of indicator
states and finding kinds to the Chinese every view shows (workbook, notices,
bulletin, self-check, loop documents). Three words keep one meaning each:

- **kind** — a *finding kind* (:data:`FindingKind`: deduction, veto, ...).
  Other kinds carry a qualified name where they are local
  (``notice_kind`` 整改通知书/复核意见, a store round's kind 测评/复核/催办);
  ``UnitResult.kind`` is the unit's type (市直部门, 县区政府, ...) and a
  site check's ``kind`` (home, link, column) is an evidence column, both
  named by their data formats.
- **state** — an *indicator state* (:data:`State`). (``scoring.collect.state``
  is the crawler's saved progress, a different module-level name.)
- **status** — a *recheck status* of a finding in a 复核 (已整改, 未整改, ...,
  ``scoring.loop.recheck.STATUSES``). An HTTP answer's ``status`` (site
  checks, attachments) is the web server's status code, as in the evidence.

Reading results.json back (``zwgk report``) validates every field: exact values
must match :data:`EXACT_PATTERN` (so a tampered ``"1e100000000"`` is refused
instead of building a number with 10^8 digits), dates must be real ISO dates,
counts are bounded, and unit ids are unique.

Determinism: no clock, no set/dict-order randomness — units are ordered by
group then rank then unit_id; indicators in rubric tree order; findings in
rule output order (itself a function of the evidence).

Points as text
--------------
:func:`display_text` is the one points formatter (87.5, 8, 1.33);
:func:`show_points` is the same for a :class:`Pts` or nothing ("—"); :func:`exact_text`
writes the exact value (results.json, rule messages quoting a rubric parameter).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

State = Literal["scored", "not_applicable", "cannot_check", "not_provided"]
FindingKind = Literal["deduction", "cannot_check", "note", "not_provided", "veto"]

#: indicator state -> the Chinese every view shows
STATE_ZH: dict[str, str] = {
    "scored": "已评分",
    "not_applicable": "不适用",
    "cannot_check": "无法核验",
    "not_provided": "未提供底稿",
}
#: finding kind -> the Chinese every view shows
FINDING_KIND_ZH: dict[str, str] = {
    "deduction": "扣分",
    "veto": "单项否决",
    "not_provided": "未提供底稿",
    "cannot_check": "无法核验",
    "note": "说明",
}


#: an exact value as written by :func:`exact_text`: an integer, a finite decimal or a fraction
#: (no exponent, bounded length: parsing it back is always quick)
EXACT_PATTERN = r"^-?[0-9]{1,400}(\.[0-9]{1,400})?$|^-?[0-9]{1,400}/[1-9][0-9]{0,399}$"
ExactText = Annotated[str, StringConstraints(pattern=EXACT_PATTERN)]


def _real_date(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("不是存在的日期") from None
    return text


#: a date as results.json writes it: 2026-11-20 (a real date)
IsoDate = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), AfterValidator(_real_date)]
#: a count or number shown in the reports (rank, group size, evidence row)
Count = Annotated[int, Field(ge=0, le=10**9)]
#: depth in the indicator tree (indents the workbook)
Level = Annotated[int, Field(ge=0, le=64)]


def _terminates(f: Fraction) -> bool:
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def exact_text(f: Fraction) -> str:
    """'87.5', '8', or '4/3' when the decimal expansion does not terminate."""
    if f.denominator == 1:
        return str(f.numerator)
    if _terminates(f):
        d = Decimal(f.numerator) / Decimal(f.denominator)
        return format(d.normalize(), "f")
    return f"{f.numerator}/{f.denominator}"


def round2(f: Fraction) -> Decimal:
    """Half-up to 2 decimals (display only)."""
    d = Decimal(f.numerator) / Decimal(f.denominator)
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def display_text(f: Fraction | Decimal | int) -> str:
    """'87.5', '8', '1.33': rounded half-up to 2 decimals, no trailing zeros.

    The one points formatter: CSVs, messages, reports, the self-check and the CLI all show
    points through it (or :func:`show_points`, the same with "—" for no score).
    """
    if type(f) is not Fraction:
        f = Fraction(f)
    d = round2(f).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "0") else text


def show_points(x: "Pts | Fraction | Decimal | int | None", none: str = "—") -> str:
    """:func:`display_text` of a value or a :class:`Pts`; ``none`` ("—") where there is no score."""
    if x is None:
        return none
    return display_text(Fraction(x.exact) if isinstance(x, Pts) else x)


class Pts(BaseModel):
    model_config = ConfigDict(frozen=True)

    exact: ExactText
    value: float = Field(allow_inf_nan=False)

    @classmethod
    def of(cls, f: Fraction | int) -> "Pts":
        if type(f) is not Fraction:
            f = Fraction(f)
        if cls is not Pts:
            return cls(exact=exact_text(f), value=float(round2(f)))
        # Pts is frozen, so equal values can share one instance; most points repeat
        # (deductions of 1, 2, 0.5, indicator maxima, ...).
        # keyed on the (numerator, denominator) ints: hashing and comparing a
        # Fraction runs Python code, a tuple of ints does not
        key = (f.numerator, f.denominator)
        p = _PTS_CACHE.get(key)
        if p is None:
            if len(_PTS_CACHE) >= _PTS_CACHE_MAX:
                _PTS_CACHE.clear()
            p = _PTS_CACHE[key] = cls(exact=exact_text(f), value=float(round2(f)))
        return p

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.exact)


_PTS_CACHE: dict[tuple[int, int], Pts] = {}
_PTS_CACHE_MAX = 200_000


class Tool(BaseModel):
    name: str = "zwgk"
    version: str


class RubricSource(BaseModel):
    #: the file's name (no folder: results do not depend on where the rubric was)
    path: str
    sha256: str


class RubricInfo(BaseModel):
    id: str
    version: str
    title: str
    sha256: str
    #: the rubric file's name (no folder)
    path: str
    #: the files it extends, nearest first
    extends: list[RubricSource] = []


class Period(BaseModel):
    start: IsoDate
    end: IsoDate


class IndicatorInfo(BaseModel):
    """One node of the rubric's indicator tree (tree order, flat)."""

    id: str
    parent: str | None
    level: Level
    title: str
    points: Pts
    rule: str | None = None
    pass_text: str = ""
    fail_text: str = ""
    rectify: str = ""
    description: str = ""
    na_allowed: bool = False
    #: evidence tables the rule needs
    needs: list[str] = []
    #: "bonus" for the 加分 row, else "indicator"
    type: Literal["indicator", "bonus"] = "indicator"
    #: the rubric's ``rectifiable`` (inherited): false when a finding about an item already done
    #: cannot be rectified (整改复核); written to results.json only when false
    rectifiable: bool = Field(True, exclude_if=lambda v: v)


class GradeBand(BaseModel):
    name: str
    min: Pts


class GroupInfo(BaseModel):
    name: str
    size: Count


class BonusRule(BaseModel):
    id: str
    title: str
    cap: Pts
    min_base: Pts
    min_base_inclusive: bool


class Finding(BaseModel):
    table: str
    ref: str
    message: str
    deduction: Pts
    rectify: str
    file: str
    row: Count | None
    kind: FindingKind
    #: the item the finding is about is still not done at the as-of date (a request or message
    #: unanswered, an annual report unpublished): rectifiable even where the indicator is
    #: ``rectifiable: false``. Written to results.json only when true.
    pending: bool = Field(False, exclude_if=lambda v: not v)


class IndicatorResult(BaseModel):
    id: str
    parent: str | None
    level: Level
    title: str
    score: Pts | None
    max: Pts
    state: State
    note: str = ""
    findings: list[Finding] = []


class VetoReason(BaseModel):
    indicator_id: str
    title: str
    reason: str


class BonusItem(BaseModel):
    item: str
    points: Pts
    basis: str
    file: str
    row: Count | None


class UnitResult(BaseModel):
    unit_id: str
    name: str
    kind: str
    group: str
    region: str | None
    #: base + bonus
    total: Pts
    #: the unit's maximum: points of the indicators that apply to it
    max: Pts
    #: sum of indicator scores, before rescaling
    raw: Pts
    #: raw rescaled to the rubric's full points when indicators were dropped (n/a, cannot check)
    base: Pts
    bonus: Pts
    grade: str
    rank: Count
    group_size: Count
    vetoed: bool
    veto_reasons: list[VetoReason] = []
    bonus_items: list[BonusItem] = []
    indicators: list[IndicatorResult]


class Results(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    tool: Tool
    rubric: RubricInfo
    as_of: IsoDate
    period: Period
    calendar: str
    evidence: str
    #: the rubric's full points (100), what ``base`` is rescaled to
    full_points: Pts
    indicators: list[IndicatorInfo]
    grades: list[GradeBand]
    veto_grade: str
    bonus: BonusRule | None
    group_by: str
    groups: list[GroupInfo]
    units: list[UnitResult]

    @model_validator(mode="after")
    def _unit_ids_unique(self) -> "Results":
        seen: set[str] = set()
        for u in self.units:
            if u.unit_id in seen:
                raise ValueError(f"单位编码「{u.unit_id[:60]}」出现不止一次")
            seen.add(u.unit_id)
        return self

    def unit(self, unit_id: str) -> UnitResult:
        for u in self.units:
            if u.unit_id == unit_id:
                return u
        raise KeyError(unit_id)

    def to_json(self) -> str:
        """Deterministic JSON text (UTF-8, indented, field order fixed, trailing newline)."""
        return self.model_dump_json(indent=1) + "\n"


def constructor(cls: type[BaseModel]):
    """A no-validation constructor for ``cls`` taking every field by keyword.

    The same object as ``cls.model_construct(**values)``, without its per-field
    alias handling: the engine builds tens of thousands of findings and
    indicator results from values that are already of the right types. A field
    with an immutable default may be left out (it takes the default); any other
    missing or unknown field is an error.
    """
    fields = frozenset(cls.__pydantic_fields__)
    defaults = {name: f.default for name, f in cls.__pydantic_fields__.items()   # immutable ones only
                if not f.is_required() and isinstance(f.default, (bool, int, float, str, tuple, type(None)))}
    new = cls.__new__
    setattr_ = object.__setattr__
    if cls.model_config.get("extra") == "allow" or cls.__pydantic_post_init__ or cls.__pydantic_root_model__:
        raise TypeError(f"{cls.__name__}: use model_construct")

    def build(**values):
        if values.keys() != fields:
            if values.keys() - fields or (fields - values.keys()) - defaults.keys():
                raise TypeError(f"{cls.__name__}: fields must be {sorted(fields)} "
                                f"(optional: {sorted(defaults)}), got {sorted(values)}")
            values = {**{k: defaults[k] for k in fields - values.keys()}, **values}
        m = new(cls)
        setattr_(m, "__dict__", values)
        setattr_(m, "__pydantic_fields_set__", set(fields))
        setattr_(m, "__pydantic_extra__", None)
        setattr_(m, "__pydantic_private__", None)
        return m

    return build


def read_results(path) -> Results:
    from pathlib import Path

    return Results.model_validate_json(Path(path).read_text(encoding="utf-8"))

"""The rubric (评分细则) file: its pydantic model.

A rubric is one YAML file (see rubrics/provincial-2026.yaml)::

    id: provincial-2026            # what --rubric accepts
    version: "2026.1"              # text: quote it
    title: 示例省2026年度政务公开第三方测评指标
    extends: other-rubric          # optional, at most one: an id or a path relative to this file
    period: {start: 2026-01-01, end: 2026-11-20}   # optional; default 1 Jan of as_of's year .. as_of
    calendar: holidays-2027.yaml   # optional user calendar file, relative to this file
    grades:                        # bands, highest first; a total >= min gets the band
      - {name: 优秀, min: 90}
      - {name: 不合格, min: 0}
    veto_grade: 不合格             # grade of a vetoed unit
    groups: {by: kind, order: [县区政府, 市直部门, 乡镇街道]}   # ranking groups
    bonus: {id: G, title: 加分, cap: 5, min_base: 80, min_base_inclusive: true}
    indicators:                    # the tree; a parent's points = the sum of its children's
      - id: A
        title: 目录与平台
        points: 20
        children:
          - id: A2
            title: 空白栏目
            points: 4
            pass: 目录中没有空白栏目           # wording when no points are lost
            fail: 目录中存在空白栏目           # wording when points are lost
            rectify: 对空白栏目补充发布信息或予以撤并   # 整改要求
            description: 每个信息条数为 0 的栏目扣 1 分，达到 5 个单项否决
            rule: blank_columns            # a rule kind of scoring.rules (REGISTRY)
            params: {per_item: 1, veto_at: 5}   # validated against the kind's parameters
            na_allowed: false              # table not provided -> n/a (rescale) instead of 0
            rectifiable: true              # false: a finding whose item is done (a reply sent late)
                                           # cannot be undone; see docs/LOOP.md (inherited by children)

With ``extends``, this file's keys override the base's; ``indicators`` and
``children`` lists are merged by ``id`` (an entry with an existing id is
merged into it, ``remove: true`` drops it, a new id is appended), ``params``
mappings are merged key by key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"

#: the largest number a rubric accepts (points, thresholds, counts, days): exact arithmetic on
#: every rubric number stays quick (``1e100000`` would be an integer of 100,001 digits)
NUMBER_MAX = 10**6
#: the most decimal places of a rubric number (0.000001)
DECIMAL_PLACES = 6

#: points, deductions and score thresholds: 0 .. NUMBER_MAX, at most 6 decimal places
Points = Annotated[Decimal, Field(ge=0, le=NUMBER_MAX, decimal_places=DECIMAL_PLACES, allow_inf_nan=False)]


def check_numbers(value: Any) -> Any:
    """``value`` if every number in it is within NUMBER_MAX and DECIMAL_PLACES; raises ValueError.

    Used for rule parameters whatever their declared type (a threshold, a number of days, the
    numbers inside a list or nested settings), so a new rule kind is bounded without thinking of it.
    """
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, bool) or v is None or isinstance(v, str):
            continue
        if isinstance(v, (int, float, Decimal)):
            d = Decimal(v) if not isinstance(v, float) else Decimal(repr(v))
            if not d.is_finite() or abs(d) > NUMBER_MAX:
                raise ValueError(f"数值应在 ±{NUMBER_MAX} 以内")
            if d != d.to_integral_value() and -d.as_tuple().exponent > DECIMAL_PLACES:
                raise ValueError(f"小数位数应不超过 {DECIMAL_PLACES} 位")
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            stack.extend(v)
        elif isinstance(v, BaseModel):
            stack.extend(v.__dict__.values())
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class GradeBand(_Model):
    name: str = Field(min_length=1)
    min: Points


class Groups(_Model):
    #: the units column whose value is a unit's ranking group; "all": one group
    by: Literal["kind", "region", "all"] = "kind"
    #: groups in this order first (others follow in order of first appearance)
    order: tuple[str, ...] = ()


class Bonus(_Model):
    id: str = Field("G", pattern=ID_PATTERN)
    title: str = "加分"
    description: str = ""
    #: at most this many bonus points
    cap: Points
    #: bonus counts only when the base score reaches this
    min_base: Points = Decimal(0)
    #: True: base >= min_base; False: base > min_base ("above 80")
    min_base_inclusive: bool = True


class Period(_Model):
    start: dt.date
    #: default: as_of
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end is not None and self.end < self.start:
            raise ValueError("测评期的结束日期早于开始日期")
        return self


class Indicator(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    points: Points
    description: str = ""
    pass_text: str = Field("", alias="pass")
    fail_text: str = Field("", alias="fail")
    #: 整改要求
    rectify: str = ""
    #: the rule kind (leaves only)
    rule: str | None = None
    #: the rule kind's parameters, validated by the loader against REGISTRY[rule].params
    params: dict[str, Any] = Field(default_factory=dict)
    #: when the needed evidence table is not provided: not applicable (rescale) instead of 0
    na_allowed: bool = False
    #: whether a unit can rectify this indicator's findings (整改复核); None: as the parent, default yes.
    #: False: a finding about an item already done (a reply sent late, a report published late) is
    #: history; a finding about an item still pending (``Finding.pending``) stays rectifiable.
    rectifiable: bool | None = None
    children: tuple["Indicator", ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @model_validator(mode="after")
    def _shape(self) -> "Indicator":
        if self.children:
            if self.rule is not None:
                raise ValueError(f"指标 {self.id} 有下级指标，不能再指定 rule（规则只写在末级指标上）")
            if self.params:
                raise ValueError(f"指标 {self.id} 有下级指标，不能指定 params")
            total = sum((c.points for c in self.children), Decimal(0))
            if total != self.points:
                raise ValueError(f"指标 {self.id} 的分值 {self.points} 不等于下级指标分值之和 {total}")
        elif self.rule is None:
            raise ValueError(f"末级指标 {self.id} 缺少 rule（规则类型）")
        return self

    def walk(self, parent: str | None = None, level: int = 0):
        """(indicator, parent id, level) in tree order."""
        yield self, parent, level
        for c in self.children:
            yield from c.walk(self.id, level + 1)


class Rubric(_Model):
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    extends: str | None = None
    period: Period | None = None
    calendar: str | None = None
    grades: tuple[GradeBand, ...] = Field(min_length=1)
    veto_grade: str = "不合格"
    groups: Groups = Groups()
    bonus: Bonus | None = None
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        if isinstance(v, float):
            raise ValueError("版本号应为文本，请加引号（如 \"2026.1\"），否则 2026.10 会被读成 2026.1")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "Rubric":
        ids = [i.id for i, _, _ in self.walk()]
        if self.bonus is not None:
            ids.append(self.bonus.id)
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"指标编号重复：{'、'.join(dup)}")
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("等次（grades）应按分数线从高到低排列，分数线互不相同")
        if mins[-1] != 0:
            raise ValueError("最低一档等次的分数线应为 0，使每个得分都有等次")
        names = [g.name for g in self.grades]
        if self.veto_grade not in names:
            raise ValueError(f"veto_grade「{self.veto_grade}」不是已定义的等次（{'、'.join(names)}）")
        return self

    def walk(self):
        """(indicator, parent id, level) over the whole tree, in order."""
        for top in self.indicators:
            yield from top.walk()

    def leaves(self) -> list[Indicator]:
        return [i for i, _, _ in self.walk() if i.is_leaf]

    def rectifiable(self) -> dict[str, bool]:
        """Every indicator id -> whether its findings can be rectified (nearest explicit setting, default yes)."""
        out: dict[str, bool] = {}
        for ind, parent, _ in self.walk():
            inherited = out[parent] if parent is not None else True
            out[ind.id] = inherited if ind.rectifiable is None else ind.rectifiable
        return out

    @property
    def full_points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))

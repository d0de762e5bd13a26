"""Rule kinds on the 主动公开目录 (catalog): A1 required columns, A2 blank columns, A3 stale columns."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import (
    Named,
    NamedItem,
    Points,
    concat_findings,
    fmt_date,
    make_findings,
    months_before,
    norm_series,
    units_frame,
)


def _n(name: str, *syn: str) -> NamedItem:
    return NamedItem(name=name, synonyms=syn)


#: RUBRIC.md A1, by unit kind
DEFAULT_REQUIRED: dict[str, tuple[NamedItem, ...]] = {
    "县区政府": (
        _n("政府信息公开指南"), _n("政府信息公开制度"), _n("机构职能"), _n("领导信息", "机构领导"),
        _n("政策文件", "部门文件", "规范性文件"), _n("政策解读"), _n("规划计划"),
        _n("财政预决算", "财政信息"), _n("重大建设项目"), _n("公共资源配置", "公共资源交易"),
        _n("社会救助"), _n("政府信息公开年报", "年度报告"),
    ),
    "市直部门": (
        _n("政府信息公开指南"), _n("机构职能"), _n("领导信息", "机构领导"),
        _n("政策文件", "部门文件", "规范性文件"), _n("政策解读"), _n("财政预决算", "财政信息"),
        _n("人事信息"), _n("政府信息公开年报", "年度报告"),
    ),
    "乡镇街道": (
        _n("政府信息公开指南"), _n("机构职能"), _n("领导信息", "机构领导"), _n("政策文件"),
        _n("财政预决算", "财政信息"), _n("社会救助"), _n("政府信息公开年报", "年度报告"),
    ),
}


def _segments(ctx: RuleContext) -> pd.DataFrame:
    """Every `/`-separated segment of every catalog column: unit_id, seg (normalised), and the row."""
    cat = ctx.table("catalog")
    # column names repeat from unit to unit (a few hundred distinct names in 167k rows at 3,000 units):
    # normalise and split each distinct name once, then repeat its segments for the rows that have it
    codes, names = pd.factorize(cat["column"])  # missing -> -1: no segments
    useg = norm_series(pd.Series(names, dtype=object)).str.split("/").explode()  # index: position in names
    per_name = np.bincount(useg.index.to_numpy(dtype=np.int64), minlength=len(names))
    first_seg = np.cumsum(per_name) - per_name
    rows = np.flatnonzero(codes >= 0)
    n = per_name[codes[rows]]
    take_row = np.repeat(rows, n)  # each row once per segment, rows in table order
    within = np.arange(len(take_row)) - np.repeat(np.cumsum(n) - n, n)  # segment order within the row
    seg = useg.to_numpy(dtype=object)[first_seg[codes[take_row]] + within]
    out = pd.DataFrame({"unit_id": cat["unit_id"].to_numpy()[take_row], "seg": seg},
                       index=cat.index[take_row]).astype({"unit_id": str})
    return out[out["seg"].notna() & out["seg"].ne("")]


def _spellings(groups: dict[str, tuple[NamedItem, ...]], key: str) -> pd.DataFrame:
    """Long table (key, name, spelling, order) from a {key: items} parameter."""
    rows = [(k, item.name, sp, i, "、".join(item.synonyms)) for k, items in groups.items()
            for i, item in enumerate(items) for sp in item.spellings]
    return pd.DataFrame(rows, columns=[key, "name", "spelling", "order", "synonyms"])


class CatalogRequiredColumnsParams(RuleParams):
    #: deduction per required column absent from the catalog
    per_item: Points = Decimal(2)
    #: unit kind -> required columns (a name, or {name, synonyms})
    required: dict[str, tuple[Named, ...]] = Field(default_factory=lambda: dict(DEFAULT_REQUIRED))


@register
class CatalogRequiredColumns(RuleKind):
    """目录栏目完整（A1）

    什么：按单位类型列出的每个必备栏目，在目录栏目（catalog）中都要有；栏目名称按 `/` 分级，
    任一级的名称等于必备栏目名称或其同义词即算有。缺一个扣 `per_item` 分（默认 2 分）。
    单位类型不在 `required` 中的单位记为“无法核验”，不猜测。
    为什么：条例第 12 条、国办发〔2019〕54号 要求按目录公开；缺栏目意味着整类信息无处可查。
    """

    name = "catalog_required_columns"
    params = CatalogRequiredColumnsParams
    needs = ("catalog",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: CatalogRequiredColumnsParams = ctx.params
        out = RuleOutput()
        units = units_frame(ctx, "catalog")
        unknown = units[~units["kind"].isin(list(p.required))]
        kinds = "、".join(p.required)
        out.states.update({
            u: ("cannot_check", f"单位类型「{k}」在评分细则中没有必备栏目清单（已有：{kinds}）")
            for u, k in zip(unknown["unit_id"], unknown["kind"])
        })
        spell = _spellings(p.required, "kind")
        need = units.merge(spell, on="kind")
        segs = _segments(ctx)
        hit = need.merge(segs, left_on=["unit_id", "spelling"], right_on=["unit_id", "seg"])[["unit_id", "name"]]
        names = need.drop_duplicates(["unit_id", "name"])
        missing = names.merge(hit.drop_duplicates(), on=["unit_id", "name"], how="left", indicator=True)
        missing = missing[missing["_merge"] == "left_only"].sort_values(["unit_id", "order"], kind="stable")
        alt = missing["synonyms"]
        msg = ("目录中缺少必备栏目「" + missing["name"] + "」"
               + ("（同义名称：" + alt + "）").where(alt.ne(""), ""))
        out.findings = make_findings(missing, table="catalog", ref=missing["name"], message=msg,
                                     deduction=p.per_item)
        return out


class BlankColumnsParams(RuleParams):
    #: deduction per catalog column with 0 items
    per_item: Points = Decimal(1)
    #: veto when a unit has at least this many blank columns (None: no veto)
    veto_at: int | None = Field(5, ge=1)


@register
class BlankColumns(RuleKind):
    """空白栏目（A2）

    什么：目录中信息条数（items）为 0 的栏目，每个扣 `per_item` 分（默认 1 分）；一个单位的空白栏目
    达到 `veto_at` 个（默认 5 个）即单项否决。条数未填的栏目不算空白。
    为什么：国办秘函〔2019〕19号 把空白栏目列为单项否决项：栏目开了却没有内容，等于没公开。
    """

    name = "blank_columns"
    params = BlankColumnsParams
    needs = ("catalog",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: BlankColumnsParams = ctx.params
        out = RuleOutput()
        cat = ctx.table("catalog")
        blank = cat[cat["items"].eq(0).fillna(False).astype(bool)]
        out.findings = make_findings(blank, table="catalog", ref=blank["column"],
                                     message="栏目「" + blank["column"].astype(str) + "」信息条数为 0（空白栏目）",
                                     deduction=p.per_item)
        if p.veto_at is not None:
            n = blank.groupby("unit_id", sort=False).size()
            n = n[n >= p.veto_at]
            out.vetoes = {str(u): f"空白栏目 {c} 个，达到 {p.veto_at} 个即单项否决" for u, c in n.items()}
        return out


class StaleGroup(NamedItem):
    """A group of columns with the same update requirement."""

    #: older than this many days before as_of is stale
    max_age_days: int | None = Field(None, ge=0, le=36500)
    #: older than this many calendar months before as_of is stale
    max_age_months: int | None = Field(None, ge=0, le=1200)

    @field_validator("max_age_months")
    @classmethod
    def _one_age(cls, v, info):
        if (v is None) == (info.data.get("max_age_days") is None):
            raise ValueError("max_age_days 与 max_age_months 须且只须给出一个")
        return v


DEFAULT_STALE: tuple[StaleGroup, ...] = (
    StaleGroup(name="动态", synonyms=("工作动态", "政务动态", "要闻"), max_age_days=14),
    StaleGroup(name="通知公告", synonyms=("公告公示",), max_age_months=6),
    StaleGroup(name="政策文件", synonyms=("部门文件", "规范性文件"), max_age_months=6),
)


class StaleColumnsParams(RuleParams):
    #: deduction per finding
    per_item: Points = Decimal(1)
    #: column groups and how old their newest item may be
    groups: tuple[StaleGroup, ...] = DEFAULT_STALE
    #: veto when the stale columns of all groups together reach this count (None: no veto)
    veto_at: int | None = Field(5, ge=1)


@register
class StaleColumns(RuleKind):
    """栏目更新（A3）

    什么：按组判断栏目是否长期未更新。默认：动态类栏目（工作动态、政务动态、要闻）最近更新日期早于
    as_of 前 14 天；通知公告类（通知公告、公告公示）和政策文件类（政策文件、部门文件、规范性文件）
    早于 as_of 前 6 个月。栏目任一级名称等于组名或同义词即属于该组。每个不更新栏目扣 `per_item` 分，
    各组合计达到 `veto_at` 个（默认 5）单项否决。未填最近更新日期的栏目记“无法核验”，不扣分。
    为什么：国办秘函〔2019〕19号 的单项否决项（动态要闻 2 周、通知公告政策文件 6 个月未更新）。
    """

    name = "stale_columns"
    params = StaleColumnsParams
    needs = ("catalog",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: StaleColumnsParams = ctx.params
        out = RuleOutput()
        cat = ctx.table("catalog")
        segs = _segments(ctx)
        spell = _spellings({"g": p.groups}, "g")
        hit = segs.reset_index().merge(spell[["name", "spelling", "order"]], left_on="seg", right_on="spelling")
        # a column belongs to the first group it matches
        hit = hit.sort_values(["index", "order"], kind="stable").drop_duplicates("index").set_index("index")
        rows = cat.loc[hit.index]
        group_cutoff = {g.name: (ctx.as_of - pd.Timedelta(days=g.max_age_days)) if g.max_age_days is not None
                        else months_before(ctx.as_of, g.max_age_months) for g in p.groups}
        group_limit = {g.name: f"{g.max_age_days}天" if g.max_age_days is not None else f"{g.max_age_months}个月"
                       for g in p.groups}
        cutoff = pd.to_datetime(hit["name"].map(group_cutoff))
        limit = hit["name"].map(group_limit)
        stale = (rows["last_updated"] < cutoff).fillna(False).astype(bool)
        unknown = rows["last_updated"].isna()
        s = rows[stale]
        msg = ("栏目「" + s["column"].astype(str) + "」最近更新于" + fmt_date(s["last_updated"])
               + "，早于" + fmt_date(cutoff[stale]) + "（" + hit.loc[stale, "name"] + "类栏目要求" + limit[stale]
               + "内更新）")
        u = rows[unknown]
        parts = [
            make_findings(s, table="catalog", ref=s["column"], message=msg, deduction=p.per_item),
            make_findings(u, table="catalog", ref=u["column"], deduction=0, kind="cannot_check",
                          message="栏目「" + u["column"].astype(str) + "」（" + hit.loc[unknown, "name"]
                          + "类）未填最近更新日期，无法核验是否按时更新"),
        ]
        out.findings = concat_findings(parts)
        if p.veto_at is not None:
            n = s.groupby("unit_id", sort=False).size()
            n = n[n >= p.veto_at]
            out.vetoes = {str(k): f"长期未更新栏目 {c} 个，达到 {p.veto_at} 个即单项否决" for k, c in n.items()}
        return out


"""Rule kind: figures quoted in the annual report's text agree with its tables.

The narrative figures come from ``zwgk annual-report extract``, which writes
them into extra columns of ``annual_reports`` (``正文_本年新收申请`` …, see
``scoring.annual_report.extract.NARRATIVE_FIGURES``); the loader keeps extra
columns as text. A user may also type them in by hand under the same headers.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from scoring.annual_report.extract import NARRATIVE_FIGURES
from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import Points, concat_findings, make_findings

_COMPARED = {f.key: f for f in NARRATIVE_FIGURES if f.cells}
#: English spellings a user may use for the same columns
ENGLISH = {"正文_本年新收申请": "narrative_requests_received", "正文_上年结转申请": "narrative_carried_in",
           "正文_结转下年度": "narrative_carried_out", "正文_行政复议": "narrative_reconsideration",
           "正文_行政诉讼": "narrative_litigation"}


class AnnualReportNarrativeParams(RuleParams):
    #: deduction per figure whose text and table disagree
    per_item: Points = Decimal(1)
    #: the report checked is for as_of's year minus this
    report_year_offset: int = Field(1, ge=0, le=100)
    #: which figures to compare (columns of annual_reports)
    figures: tuple[str, ...] = tuple(_COMPARED)

    @field_validator("figures")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [f for f in v if f not in _COMPARED]
        if bad:
            raise ValueError(f"未知的正文数字 {'、'.join(bad)}，应为：{'、'.join(_COMPARED)}")
        return v


def _fmt(s: pd.Series) -> pd.Series:
    return s.round(6).astype("string").str.replace(r"\.0+$", "", regex=True).fillna("空").astype(object)


@register
class AnnualReportNarrative(RuleKind):
    """年报正文与表格一致（勾稽关系 5）

    什么：报告年度（as_of 年份减 `report_year_offset`）年报正文中引用的数字，与同一报告表格中的对应数据比较，
    每个不一致的数字扣 `per_item` 分（默认 1 分）：正文“共收到政府信息公开申请N件”对表3「本年新收」行「总计」列；
    “上年结转N件”对「上年结转」行；“结转下年度继续办理N件”对「结转下年度继续办理」行；“行政复议N件”对表4
    「行政复议」总计；“行政诉讼N件”对表4 两个行政诉讼板块总计之和。正文数字来自年度报告表的附加列
    （`zwgk annual-report extract` 写入，列名如「正文_本年新收申请」）。正文没有引用的数字不比较；
    表格对应单元格为空或缺失时记“无法核验”，不扣分。
    为什么：正文和表格是同一份统计，说法不一说明报告数据有误，公众无从判断哪个是真的。
    """

    name = "annual_report_narrative"
    params = AnnualReportNarrativeParams
    needs = ("annual_reports", "annual_report_cells")

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: AnnualReportNarrativeParams = ctx.params
        out = RuleOutput()
        year = ctx.as_of.year - p.report_year_offset
        rep = ctx.table("annual_reports")
        rep = rep[rep["year"].eq(year).fillna(False).astype(bool)].drop_duplicates("unit_id")
        rep = rep.rename(columns={en: zh for zh, en in ENGLISH.items() if en in rep.columns and zh not in rep.columns})
        figs = [f for f in p.figures if f in rep.columns]
        if not figs or rep.empty:
            return out
        long = rep.melt(id_vars=["unit_id", "_file", "_row"], value_vars=figs, var_name="figure", value_name="quoted")
        long = long[long["quoted"].notna() & long["quoted"].astype(str).str.strip().ne("")].copy()
        long["said"] = pd.to_numeric(long["quoted"].astype(str).str.strip(), errors="coerce")

        # the table side: one row per (figure, cell) that the figure sums
        mapping = pd.DataFrame([(k, t, r, c) for k in figs for (t, r, c) in _COMPARED[k].cells],
                               columns=["figure", "table", "row", "col"])
        need = mapping.groupby("figure").size().rename("need")
        cells = ctx.table("annual_report_cells")
        cells = cells[cells["year"].eq(year).fillna(False).astype(bool)]
        cells = cells.drop_duplicates(["unit_id", "table", "row", "col"])[["unit_id", "table", "row", "col", "value"]]
        hit = mapping.merge(cells, on=["table", "row", "col"])
        agg = hit.groupby(["unit_id", "figure"]).agg(table_value=("value", lambda v: v.sum(min_count=1)),
                                                      have=("value", "count")).reset_index()
        j = long.merge(agg, on=["unit_id", "figure"], how="left").merge(need, left_on="figure", right_index=True)
        j["have"] = j["have"].fillna(0)
        label = j["figure"].map({k: f.label for k, f in _COMPARED.items()})
        where = j["figure"].map({k: "、".join(f"表{t}「{r}」行「{c}」列" for t, r, c in f.cells)
                                 for k, f in _COMPARED.items()})
        ref = f"{year}年报" + j["figure"]
        bad_text = j["said"].isna()
        blank = ~bad_text & (j["have"] < j["need"])
        checkable = ~bad_text & ~blank
        differ = checkable & ~np.isclose(j["said"].fillna(0), j["table_value"].fillna(0), rtol=0, atol=1e-9)
        head = f"{year}年度报告正文称" + label + "「" + j["quoted"].astype(str) + "」"
        out.findings = concat_findings([
            make_findings(j[differ], table="annual_reports", ref=ref[differ], deduction=p.per_item,
                          message=(head + "，但" + where + "为 " + _fmt(j["table_value"]) + "，正文与表格不一致")[differ]),
            make_findings(j[blank], table="annual_reports", ref=ref[blank], deduction=0, kind="cannot_check",
                          message=(head + "，" + where + "为空或缺失，无法核验")[blank]),
            make_findings(j[bad_text], table="annual_reports", ref=ref[bad_text], deduction=0, kind="cannot_check",
                          message=(head + "不是数字，无法与表格核对")[bad_text]),
        ])
        return out

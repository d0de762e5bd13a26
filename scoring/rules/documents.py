"""Rule kinds on policy documents (documents): B1–B4 required fields and flags, B5 publication timeliness."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import pandas as pd
from pydantic import Field, field_validator

from scoring.evidence.schema import TABLES
from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import (
    Points,
    concat_findings,
    fmt_date,
    in_period,
    is_blank,
    is_false,
    is_true,
    make_findings,
    late_text,
    lateness,
)

_DOC = TABLES["documents"]
#: columns that can be required (everything but the ids and the normative flag itself)
CHECKABLE = tuple(c.name for c in _DOC.columns if c.name not in ("unit_id", "doc_id", "normative"))
#: how a missing field reads in a finding
MISSING_TEXT = {
    "title": "缺少文件标题",
    "doc_number": "未标注文号",
    "written_on": "未标注成文日期",
    "published_on": "未标注发布日期",
    "effective_on": "未标注生效日期",
    "validity": "未标注有效性",
    "needs_interpretation": "未标明是否需解读",
    "downloadable": "未提供文件下载",
}


def doc_label(docs: pd.DataFrame) -> pd.Series:
    """文件 GZ-001《标题》 for each row."""
    title = docs["title"].astype("string")
    return ("文件 " + docs["doc_id"].astype(str) + ("《" + title + "》").fillna("")).astype(object)


class DocumentFieldsParams(RuleParams):
    #: documents columns that must be filled (a bool column such as downloadable must be 是)
    fields: tuple[str, ...] = Field(..., min_length=1)
    #: only documents marked 规范性文件 = 是
    normative_only: bool = False
    #: deduction per document and missing field
    per_item: Points = Decimal(1)
    #: a bool flag left blank: "cannot_check" (reported, not deducted) or "fail"
    blank_flag: Literal["cannot_check", "fail"] = "cannot_check"

    @field_validator("fields")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [f for f in v if f not in CHECKABLE]
        if bad:
            raise ValueError(f"未知的政策文件字段 {'、'.join(bad)}，应为：{'、'.join(CHECKABLE)}")
        return v


@register
class DocumentFields(RuleKind):
    """政策文件要素（B1–B4）

    什么：每份政策文件（`normative_only` 时只看规范性文件 = 是）的 `fields` 中每个字段都要有：文本和日期
    字段不能为空，是/否字段（如 downloadable 可下载）须为“是”。每缺一项扣 `per_item` 分。
    是/否字段留空按 `blank_flag` 处理（默认“无法核验”，不扣分）。参考细则：B1 文号（doc_number，
    规范性文件，2 分/件）；B2 日期（written_on、published_on，1 分/项）；B3 有效性（validity，
    规范性文件，1 分/件）；B4 文件下载（downloadable，规范性文件，2 分/件）。
    为什么：条例第 12 条及国办发〔2017〕47号：规范性文件要标注文号、成文日期、发布时间和有效性，并提供原文下载。
    """

    name = "document_fields"
    params = DocumentFieldsParams
    needs = ("documents",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: DocumentFieldsParams = ctx.params
        out = RuleOutput()
        docs = ctx.table("documents")
        if p.normative_only:
            docs = docs[is_true(docs["normative"])]
        # labels only for the rows with a finding: building 文件 …《…》 for every document (768k
        # at 3,000 units) cost more than the checks themselves, four times over (B1–B4)
        parts = []
        for f in p.fields:  # a loop over the handful of required fields, not over rows
            spec = _DOC.column(f)
            what = MISSING_TEXT.get(f, f"未填写{spec.alias}")
            if spec.type == "bool":
                bad = is_false(docs[f]) | (docs[f].isna() if p.blank_flag == "fail" else False)
                unknown = docs[f].isna() if p.blank_flag == "cannot_check" else pd.Series(False, index=docs.index)
                u = docs[unknown]
                parts.append(make_findings(u, table="documents", ref=u["doc_id"], deduction=0, kind="cannot_check",
                                           message=doc_label(u) + f"的「{spec.alias}」未填写，无法核验"))
            else:
                bad = is_blank(docs[f])
            b = docs[bad]
            parts.append(make_findings(b, table="documents", ref=b["doc_id"], message=doc_label(b) + what,
                                       deduction=p.per_item))
        out.findings = concat_findings(parts)
        return out


class PublicationTimelinessParams(RuleParams):
    #: published more than this many working days after written_on is late (条例 art. 26)
    max_workdays: int = Field(20, ge=0)
    #: deduction per finding
    per_item: Points = Decimal(1)
    #: only normative documents
    normative_only: bool = False


@register
class PublicationTimeliness(RuleKind):
    """公开时效（B5）

    什么：成文日期（written_on）在测评期内的文件，发布日期（published_on）晚于成文日期后第
    `max_workdays` 个工作日（默认 20，按国务院节假日安排含调休计算，成文当日不计）的，每件扣
    `per_item` 分；问题说明写明两个日期、公开期限和逾期的工作日数。缺任一日期的文件由 B2 处理，这里不重复扣分。
    为什么：条例第 26 条：主动公开的信息自形成之日起 20 个工作日内公开。
    """

    name = "publication_timeliness"
    params = PublicationTimelinessParams
    needs = ("documents",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: PublicationTimelinessParams = ctx.params
        out = RuleOutput()
        docs = ctx.table("documents")
        m = in_period(docs["written_on"], ctx) & docs["published_on"].notna()
        if p.normative_only:
            m &= is_true(docs["normative"])
        d = docs[m]
        lt = lateness(ctx, d["written_on"], d["published_on"], p.max_workdays)
        d = d[lt.late]
        msg = (doc_label(d) + "成文于" + fmt_date(d["written_on"]) + "，" + fmt_date(d["published_on"]) + "发布，"
               + late_text(lt, "法定公开期限", f"成文后{p.max_workdays}个工作日"))
        out.findings = make_findings(d, table="documents", ref=d["doc_id"], message=msg, deduction=p.per_item)
        return out

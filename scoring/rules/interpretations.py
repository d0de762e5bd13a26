"""Rule kinds on policy interpretations (interpretations): C1–C5."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from pydantic import Field

from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register, to_fraction
from scoring.rules.common import (
    Named,
    NamedItem,
    Points,
    concat_findings,
    first_match,
    fmt_date,
    fmt_points,
    in_period,
    is_blank,
    is_false,
    is_true,
    late_text,
    lateness,
    make_findings,
    norm_series,
    norm_text,
    rows_isin,
    split_tokens,
)
from scoring.rules.documents import doc_label
from scoring.rules.text import evidence_texts, find_any


def interp_label(df: pd.DataFrame) -> pd.Series:
    return ("解读 " + df["interp_id"].astype(str)).astype(object)


# ---------------------------------------------------------------------------
# C1


class InterpretationCoverageParams(RuleParams):
    #: deduction per finding
    per_item: Points = Decimal(2)


@register
class InterpretationCoverage(RuleKind):
    """应解读尽解读（C1）

    什么：需要解读的文件都要有一条解读（interpretations.doc_id 指向它）。需要解读 = 需解读
    （needs_interpretation）为“是”；一个单位的文件都没有填写需解读时，改按规范性文件 = 是判断。
    每缺一份解读扣 `per_item` 分（默认 2 分）。
    为什么：国办发〔2016〕80号 “三同步”，规章和规范性文件应当解读，谁起草谁解读。
    """

    name = "interpretation_coverage"
    params = InterpretationCoverageParams
    needs = ("documents", "interpretations")

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: InterpretationCoverageParams = ctx.params
        out = RuleOutput()
        docs = ctx.table("documents")
        interp = ctx.table("interpretations")
        flag_given = docs["needs_interpretation"].notna().groupby(docs["unit_id"]).transform("any").astype(bool)
        need = is_true(docs["needs_interpretation"]).where(flag_given, is_true(docs["normative"]))
        have = interp[["unit_id", "doc_id"]].dropna().astype(str)
        # (unit_id, doc_id) looked up only for the documents that need an interpretation, with
        # integer keys (rows_isin): MultiIndexes over every document were most of this rule's time
        nd = docs.loc[need, ["unit_id", "doc_id"]].astype(str)
        missing = pd.Series(~rows_isin(nd, have), index=nd.index).reindex(docs.index, fill_value=False)
        d = docs[missing]
        why = pd.Series("（需解读 = 是）", index=d.index, dtype=object).where(
            flag_given[missing], "（该单位未填写需解读，按规范性文件判断）")
        out.findings = make_findings(d, table="documents", ref=d["doc_id"], deduction=p.per_item,
                                     message=doc_label(d) + "需要解读，但没有对应的解读" + why)
        return out


# ---------------------------------------------------------------------------
# C2


def _e(name: str, *syn: str) -> NamedItem:
    return NamedItem(name=name, synonyms=syn)


DEFAULT_ELEMENTS: tuple[NamedItem, ...] = (
    _e("背景依据", "出台背景", "制定背景", "政策依据", "制定依据"),
    _e("目标任务", "主要目标", "工作目标", "目标任务"),
    _e("主要内容", "主要内容", "核心内容", "主要条款"),
    _e("关键举措", "主要措施", "重点任务", "政策措施", "关键举措"),
    _e("新旧差异", "新旧对比", "新旧政策差异", "主要变化", "修订内容"),
    _e("后续工作", "下一步工作", "后续工作", "保障措施"),
)


class InterpretationElementsParams(RuleParams):
    #: elements, each found when its name or a synonym occurs in the text
    elements: tuple[Named, ...] = Field(DEFAULT_ELEMENTS, min_length=1)
    #: deduction per interpretation and missing element
    per_item: Points = Decimal(1)
    #: deduction when an interpretation has neither text nor text_file
    no_text: Points = Decimal(1)


@register
class InterpretationElements(RuleKind):
    """解读要素（C2）

    什么：每条解读的正文（解读正文 text 列，和/或正文文件 text_file：.txt（UTF-8 或 GB18030）、
    .html（去标签、解码实体）、.docx（段落和表格））中，`elements` 的每个要素都要出现：要素名称或任一
    同义词出现在正文里即算有（忽略空白，全角半角视同）。每缺一个要素扣 `per_item` 分。既没有正文也没有
    正文文件的解读只记一条「解读正文未提供」，扣 `no_text` 分；正文文件读不出来的记“无法核验”。
    为什么：各地考评方案要求解读讲清背景依据、目标任务、主要内容、关键举措、新旧差异等要素；要素名称
    因省而异，所以名称和同义词都是细则参数。
    """

    name = "interpretation_elements"
    params = InterpretationElementsParams
    needs = ("interpretations",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: InterpretationElementsParams = ctx.params
        out = RuleOutput()
        it = ctx.table("interpretations")
        t = evidence_texts(it, text="text", path="_text_path")
        ferr = t.file_error
        has_inline = t.inline.notna()
        has_file = t.from_file.notna()

        label = interp_label(it)
        none = ~has_inline & is_blank(it["text_file"])
        unreadable = ~has_inline & ferr.notna()
        parts = [
            make_findings(it[none], table="interpretations", ref=it.loc[none, "interp_id"], deduction=p.no_text,
                          message=label[none] + " 解读正文未提供（解读正文和正文文件都为空）"),
            make_findings(it[unreadable], table="interpretations", ref=it.loc[unreadable, "interp_id"],
                          deduction=0, kind="cannot_check",
                          message=label[unreadable] + " 的正文文件「" + it.loc[unreadable, "text_file"].astype(str)
                          + "」无法读取：" + ferr[unreadable].astype(str) + "，要素无法核验"),
        ]
        judged = has_inline | has_file
        has = find_any(t.texts, [el.spellings for el in p.elements])
        for el, found in zip(p.elements, has):  # a loop over the handful of elements, not over rows
            miss = judged & ~pd.Series(found, index=it.index)
            alts = "、".join(s for s in el.spellings if s != norm_text(el.name))
            parts.append(make_findings(
                it[miss], table="interpretations", ref=it.loc[miss, "interp_id"], deduction=p.per_item,
                message=label[miss] + f" 缺少要素「{el.name}」" + (f"（正文中未出现：{el.name}、{alts}）" if alts else ""),
            ))
        # one interpretation's findings together, in evidence order
        f = pd.concat([x for x in parts if len(x)] or [parts[0]]).sort_index(kind="stable")
        f = concat_findings([f.reset_index(drop=True)])
        out.findings = f
        return out


# ---------------------------------------------------------------------------
# C3


class InterpretationTimelinessParams(RuleParams):
    #: published more than this many working days after the document is late
    max_workdays: int = Field(3, ge=0)
    #: deduction per finding
    per_item: Points = Decimal(1)


@register
class InterpretationTimeliness(RuleKind):
    """解读时效（C3）

    什么：解读的发布日期晚于所解读文件发布日期后第 `max_workdays` 个工作日（默认 3）的，每条扣
    `per_item` 分。只看文件发布日期在测评期内的解读。关联文件不在政策文件表中、或缺发布日期的，记“无法核验”。
    为什么：“三同步”要求文件与解读同步发布；郑州等地规定最迟 3 个工作日内。
    """

    name = "interpretation_timeliness"
    params = InterpretationTimelinessParams
    needs = ("documents", "interpretations")

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: InterpretationTimelinessParams = ctx.params
        out = RuleOutput()
        it = ctx.table("interpretations")
        docs = ctx.table("documents")
        docs = docs[docs["doc_id"].notna()]
        it = it[it["doc_id"].notna()]
        # each interpretation's document (the first row with its unit_id and doc_id): a left merge,
        # done as integer keys and a take (first_match) — the merge on two text columns cost ~3x more
        at = first_match(it[["unit_id", "doc_id"]], docs[["unit_id", "doc_id"]])
        doc_pub = docs["published_on"].reset_index(drop=True).reindex(at).to_numpy()  # -1: no row, NaT
        j = it.assign(doc_published_on=doc_pub, _orphan=at < 0)
        start = j["doc_published_on"].fillna(j["published_on"])
        j = j[in_period(start, ctx) | j["_orphan"]]
        orphan = j["_orphan"]
        nodate = ~orphan & (j["doc_published_on"].isna() | j["published_on"].isna())
        ok = ~orphan & ~nodate
        c = j[ok]
        lt = lateness(ctx, c["doc_published_on"], c["published_on"], p.max_workdays)
        c = c[lt.late]
        lab = interp_label(j)
        parts = [
            make_findings(c, table="interpretations", ref=c["interp_id"], deduction=p.per_item,
                          message=lab.reindex(c.index) + " 于" + fmt_date(c["published_on"]) + "发布，所解读的文件 "
                          + c["doc_id"].astype(str) + " 于" + fmt_date(c["doc_published_on"]) + "发布，"
                          + late_text(lt, "解读期限", f"文件发布后{p.max_workdays}个工作日")),
            make_findings(j[orphan], table="interpretations", ref=j.loc[orphan, "interp_id"], deduction=0,
                          kind="cannot_check",
                          message=lab[orphan] + " 关联的文件 " + j.loc[orphan, "doc_id"].astype(str)
                          + " 不在政策文件表中，解读时效无法核验"),
            make_findings(j[nodate], table="interpretations", ref=j.loc[nodate, "interp_id"], deduction=0,
                          kind="cannot_check",
                          message=lab[nodate] + " 发布日期" + fmt_date(j.loc[nodate, "published_on"]) + "，文件 "
                          + j.loc[nodate, "doc_id"].astype(str) + " 发布日期" + fmt_date(j.loc[nodate, "doc_published_on"])
                          + "，缺少日期，解读时效无法核验"),
        ]
        out.findings = concat_findings(parts)
        return out


# ---------------------------------------------------------------------------
# C4


class InterpretationFormsParams(RuleParams):
    #: forms that count as plain text; any other form counts as "other than text"
    text_forms: tuple[str, ...] = ("文字", "文字解读")
    #: share of interpretations with another form that earns full points
    threshold: Decimal = Field(Decimal("0.3"), gt=0, le=1)


@register
class InterpretationForms(RuleKind):
    """解读形式（C4）

    什么：解读形式（forms，可用 、,，; 分隔多个）中含有 `text_forms`（默认 文字）以外形式（图解、视频、
    H5、新闻发布会、负责人解读……）的解读所占比例 ≥ `threshold`（默认 30%）得满分；否则得
    满分 × 比例 ÷ threshold（得分不是扣分，问题说明写明比例和得分）。没有解读的单位不扣分。
    为什么：各地考评方案鼓励图解、音视频、负责人解读等多样化解读形式。
    """

    name = "interpretation_forms"
    params = InterpretationFormsParams
    needs = ("interpretations",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: InterpretationFormsParams = ctx.params
        out = RuleOutput()
        it = ctx.table("interpretations")
        textual = {norm_text(t) for t in p.text_forms}
        # forms repeat (a handful of distinct values): tokenise each distinct value once, then look
        # each row's answer up by its value's code; a missing value (-1) has no other form
        codes, values = pd.factorize(it["forms"])
        tok = norm_series(split_tokens(pd.Series(values, dtype=object)))
        other_v = (tok.notna() & tok.ne("") & ~tok.isin(textual)).groupby(level=0).any()
        other_v = other_v.reindex(range(len(values)), fill_value=False).to_numpy(dtype=bool)
        other = pd.Series(np.append(other_v, False)[codes], index=it.index)
        agg = pd.DataFrame({"unit_id": it["unit_id"].astype(str), "other": other}).groupby("unit_id", sort=False)["other"]
        n, k = agg.size(), agg.sum()
        thr = to_fraction(p.threshold)
        rows = []
        for u in n.index:  # one entry per unit
            share = Fraction(int(k[u]), int(n[u]))
            got = min(ctx.points, ctx.points * share / thr)
            out.awarded[u] = got
            if got < ctx.points:
                rows.append((u, int(k[u]), int(n[u]), share, got))
        if rows:
            r = pd.DataFrame(rows, columns=["unit_id", "k", "n", "share", "got"])
            pct = r["share"].map(lambda s: fmt_points(round(Decimal(s.numerator) / Decimal(s.denominator) * 100, 1)))
            msg = ("非文字形式的解读 " + r["k"].astype(str) + "/" + r["n"].astype(str) + " 条（" + pct + "%），低于"
                   + fmt_points(thr * 100) + "%，得 " + r["got"].map(lambda g: fmt_points(round(Decimal(g.numerator) / Decimal(g.denominator), 2)))
                   + " 分（满分 " + fmt_points(ctx.points) + " 分）")
            out.findings = make_findings(r, table="interpretations", ref="", message=msg,
                                         deduction=pd.Series([ctx.points - g for g in r["got"]], index=r.index))
        return out


# ---------------------------------------------------------------------------
# C5


class InterpretationLinkedParams(RuleParams):
    #: deduction per finding
    per_item: Points = Decimal(1)


@register
class InterpretationLinked(RuleKind):
    """相互关联（C5）

    什么：相互关联（linked）为“否”的解读（文件页与解读页没有互相链接），每条扣 `per_item` 分；
    留空的记“无法核验”，不扣分。
    为什么：安徽等地要求规范性文件与解读一一对应、互相关联，方便公众对照阅读。
    """

    name = "interpretation_linked"
    params = InterpretationLinkedParams
    needs = ("interpretations",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: InterpretationLinkedParams = ctx.params
        out = RuleOutput()
        it = ctx.table("interpretations")
        bad = is_false(it["linked"])
        unk = it["linked"].isna()
        lab = interp_label(it)
        doc = (" 与文件 " + it["doc_id"].astype("string")).fillna(" 与所解读文件").astype(object)
        out.findings = concat_findings([
            make_findings(it[bad], table="interpretations", ref=it.loc[bad, "interp_id"], deduction=p.per_item,
                          message=lab[bad] + doc[bad] + "未相互关联（链接）"),
            make_findings(it[unk], table="interpretations", ref=it.loc[unk, "interp_id"], deduction=0,
                          kind="cannot_check", message=lab[unk] + " 未填写是否与文件相互关联，无法核验"),
        ])
        return out

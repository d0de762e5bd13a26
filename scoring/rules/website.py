"""Rule kinds on the website content checks (page_checks) and on interpretation wording.

- ``website_marks``: 网站标识（标识码、ICP 备案、公安备案、党政机关标识）and 站内检索;
- ``home_page_updated``: 首页更新 (the 国办 veto: 2 周未更新);
- ``website_text_errors``: 表述错误 found on the site's pages (the 国办 veto: 严重表述错误; 错别字 deductions);
- ``interpretation_text_errors``: the same lexicon over the interpretation texts of the evidence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from scoring import lexicon as lexicon_mod
from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import Points, concat_findings, make_findings, units_frame
from scoring.rules.text import evidence_texts
from scoring.textnorm import nfkc_series

MARK_NAMES = {"site_code": "网站标识码", "icp": "ICP备案编号", "police_record": "公安机关备案号",
              "conac": "党政机关网站标识", "search": "站内检索"}
Mark = Literal["site_code", "icp", "police_record", "conac", "search"]
Severity = Literal["严重", "一般"]


def _checks(ctx: RuleContext, check: str) -> pd.DataFrame:
    pc = ctx.table("page_checks")
    return pc[pc["check"].astype("string").str.strip().eq(check).fillna(False).astype(bool)]


def _vetoes_at(counts: pd.Series, veto_at: int | None, why: pd.Series) -> dict[str, str]:
    if veto_at is None:
        return {}
    hit = counts[counts >= veto_at]
    return {str(u): why[u] for u in hit.index}


class WebsiteMarksParams(RuleParams):
    #: which marks this indicator checks (a rubric may split them into several indicators)
    checks: tuple[Mark, ...] = ("site_code", "icp", "police_record", "conac", "search")
    #: deduction per mark missing or wrong
    per_item: Points = Decimal(1)


@register
class WebsiteMarks(RuleKind):
    """网站标识与站内检索

    什么：网站内容检查（page_checks）中 `checks` 所列各项（site_code 网站标识码、icp ICP备案编号、
    police_record 公安机关备案号、conac 党政机关网站标识、search 站内检索）结果为 missing（缺少）或
    error（标识码与底稿不符、检索无法使用）的，每项扣 `per_item` 分；某项没有检查记录的记“无法核验”。
    为什么：国办发〔2017〕47号《政府网站发展指引》要求政府网站在首页底部标注网站标识码、ICP备案编号、
    公安机关备案标识和党政机关网站标识，并提供站内搜索；国办秘函〔2019〕19号据此扣分。
    """

    name = "website_marks"
    params = WebsiteMarksParams
    needs = ("page_checks",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: WebsiteMarksParams = ctx.params
        pc = ctx.table("page_checks")
        check = pc["check"].astype("string").str.strip()
        rows = pc[check.isin(list(p.checks)).fillna(False).astype(bool)]
        result = rows["result"].astype("string").str.strip()
        bad = rows[result.isin(["missing", "error"]).fillna(False).astype(bool)]
        label = bad["check"].astype(str).str.strip().map(MARK_NAMES)
        detail = bad["detail"].astype("string")
        missing = bad["result"].astype(str).str.strip().eq("missing")
        msg = ("页面 " + bad["url"].astype(str) + np.where(missing, " 缺少", " 的") + label
               + np.where(missing, "", "无法使用或不符" + ("：" + detail).fillna("")))
        parts = [make_findings(bad, table="page_checks", ref=bad["url"], message=msg.astype(object),
                               deduction=p.per_item)]
        units = units_frame(ctx, "page_checks")[["unit_id"]]
        want = units.merge(pd.DataFrame({"check": list(p.checks)}), how="cross")
        have = rows.assign(unit_id=rows["unit_id"].astype(str), check=rows["check"].astype(str).str.strip())
        absent = want.merge(have[["unit_id", "check"]].drop_duplicates(), how="left", indicator=True)
        absent = absent[absent["_merge"] == "left_only"]
        parts.append(make_findings(absent, table="page_checks", ref="", deduction=0, kind="cannot_check",
                                   message=("网站内容检查中没有「" + absent["check"].map(MARK_NAMES)
                                            + "」的检查记录，无法核验").astype(object)))
        return RuleOutput(findings=concat_findings(parts))


class HomePageUpdatedParams(RuleParams):
    #: the home page's newest date may be at most this many days before the check date
    max_age_days: int = Field(14, ge=0, le=3660)
    #: deduction when it is older
    per_item: Points = Decimal(0)
    #: an older home page vetoes the unit
    veto: bool = True


@register
class HomePageUpdated(RuleKind):
    """首页更新

    什么：网站内容检查（page_checks）中首页更新（home_updated）一行的 `detail` 是首页上最新的日期；它早于
    检查日期（checked_on）超过 `max_age_days` 天（默认 14 天）的，扣 `per_item` 分，`veto` 为真时单项否决。
    首页上没有日期或首页无法打开的记“无法核验”。同一单位有多天的检查时按最近一天。
    为什么：国办秘函〔2019〕19号：网站首页栏目信息超过 2 周未更新的，单项否决。
    """

    name = "home_page_updated"
    params = HomePageUpdatedParams
    needs = ("page_checks",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: HomePageUpdatedParams = ctx.params
        h = _checks(ctx, "home_updated").copy()
        h["_on"] = h["checked_on"].fillna(ctx.as_of) if "checked_on" in h.columns else ctx.as_of
        h = h.sort_values("_on", kind="stable").drop_duplicates("unit_id", keep="last")
        newest = pd.to_datetime(h["detail"].astype("string").str.strip(), errors="coerce", format="%Y-%m-%d")
        age = (h["_on"] - newest).dt.days
        unknown = h[newest.isna()]
        old = h[age > p.max_age_days]
        msg = ("首页 " + old["url"].astype(str) + " 最新信息日期为 " + old["detail"].astype(str) + "，距检查日 "
               + age[old.index].astype(int).astype(str) + " 天，超过 " + str(p.max_age_days) + " 天未更新")
        why = ("首页 " + unknown["url"].astype(str) + " 上没有找到信息日期"
               + ("（" + unknown["detail"].astype("string") + "）").fillna("") + "，无法核验首页更新")
        out = RuleOutput(findings=concat_findings([
            make_findings(old, table="page_checks", ref=old["url"], message=msg.astype(object), deduction=p.per_item),
            make_findings(unknown, table="page_checks", ref=unknown["url"], message=why.astype(object),
                          deduction=0, kind="cannot_check")]))
        if p.veto:
            out.vetoes = dict(zip(old["unit_id"].astype(str), msg.astype(str)))
        return out


class TextErrorParams(RuleParams):
    #: which severities count
    severities: tuple[Severity, ...] = ("严重", "一般")
    #: deduction per error (per page and wrong form)
    per_item: Points = Decimal(1)
    #: veto when a unit has at least this many; None: never
    veto_at: int | None = Field(None, ge=1)


def _text_error_output(rows: pd.DataFrame, table: str, ref: pd.Series, msg: pd.Series,
                       p: TextErrorParams, what: str) -> RuleOutput:
    out = RuleOutput(findings=make_findings(rows, table=table, ref=ref, message=msg.astype(object),
                                            deduction=p.per_item))
    if p.veto_at is not None and len(rows):
        uid = rows["unit_id"].astype(str)
        counts = uid.value_counts()
        first = pd.Series(msg.astype(str).to_numpy(), index=uid.to_numpy()).groupby(level=0).first()
        why = what + " " + counts.astype(str) + " 处，如：" + first.reindex(counts.index)
        out.vetoes = _vetoes_at(counts, p.veto_at, why)
    return out


@register
class WebsiteTextErrors(RuleKind):
    """网站表述错误

    什么：网站内容检查（page_checks）中表述错误（text_error）、结果为 found 的行，严重程度在 `severities`
    之中的，每处（每个页面每种错误写法）扣 `per_item` 分；达到 `veto_at` 处单项否决。`detail` 为
    “错误→正确（严重程度）”，由 zwgk collect 按词表（rubrics/lexicons/，可用 --lexicon 追加）检查页面正文得出。
    为什么：国办秘函〔2019〕19号：网站出现严重表述错误的，单项否决；错别字扣分。
    """

    name = "website_text_errors"
    params = TextErrorParams
    needs = ("page_checks",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: TextErrorParams = ctx.params
        t = _checks(ctx, "text_error")
        t = t[t["result"].astype("string").str.strip().eq("found").fillna(False).astype(bool)]
        detail = t["detail"].astype("string").fillna("")
        sev = detail.str.extract(r"（(严重|一般)）\s*$")[0]
        t = t[sev.isin(list(p.severities)).fillna(False).astype(bool)]
        detail = detail[t.index]
        msg = ("页面 " + t["url"].astype(str) + " 有表述错误 " + detail
               + ("：" + t["context"].astype("string")).fillna(""))
        return _text_error_output(t, "page_checks", t["url"], msg, p, "网站有表述错误")


@register
class InterpretationTextErrors(RuleKind):
    """解读表述错误

    什么：用与 zwgk collect 相同的词表（rubrics/lexicons/，可用 --lexicon 追加）检查政策解读的正文（解读正文列
    和正文文件），严重程度在 `severities` 之中的错误写法，每篇每种扣 `per_item` 分；达到 `veto_at` 处单项否决。
    词表中 `except` 所列的正确长词不算错误。
    为什么：国办秘函〔2019〕19号：严重表述错误单项否决、错别字扣分，同样适用于网站发布的解读材料。
    """

    name = "interpretation_text_errors"
    params = TextErrorParams
    needs = ("interpretations",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: TextErrorParams = ctx.params
        it = ctx.table("interpretations")
        entries = [e for e in lexicon_mod.current() if e.severity in p.severities]
        texts = nfkc_series(pd.Series(evidence_texts(it).texts, index=it.index, dtype=object))
        parts = []
        for e in entries:  # a loop over the lexicon's entries, each a vectorised search over all texts
            masked = texts
            for x in e.exceptions:
                masked = masked.str.replace(x, "\x00" * len(x), regex=False)
            has = masked.str.contains(e.wrong, regex=False).fillna(False).astype(bool)
            if has.any():
                parts.append(it[has].assign(_label=e.label))
        hits = pd.concat(parts) if parts else it.iloc[0:0].assign(_label=pd.Series(dtype=object))
        msg = "解读 " + hits["interp_id"].astype(str) + " 有表述错误 " + hits["_label"].astype(str)
        return _text_error_output(hits, "interpretations", hits["interp_id"], msg, p, "解读有表述错误")

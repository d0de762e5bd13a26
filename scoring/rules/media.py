"""Rule kinds on government new-media accounts (政务新媒体, media_accounts): updates, filing, comments.

The 国办秘函〔2019〕19号 indicators check 政务新媒体 as they check websites: an account not
updated for two weeks, or with a comment left unanswered for over three months, is a veto for it.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from pydantic import Field

from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import Points, concat_findings, fmt_date, is_false, make_findings


def account_label(df: pd.DataFrame) -> pd.Series:
    """微信公众号「青山发布」（账号 QS-XMT-01）; a blank platform or name is left out."""
    platform = df["platform"].astype(object).where(df["platform"].notna(), "政务新媒体")
    name = ("「" + df["name"].astype("string") + "」").fillna("").astype(object)
    return (platform + name + "（账号 " + df["account_id"].astype(str) + "）").astype(object)


def _veto_reasons(found: pd.DataFrame, veto_at: int | None, what: str) -> dict[str, str]:
    """unit -> reason, for units with at least ``veto_at`` accounts in ``found`` (labelled in ``_label``)."""
    if veto_at is None or not len(found):
        return {}
    n = found.groupby("unit_id", sort=False)["_label"].agg(["size", "first"])
    n = n[n["size"] >= veto_at]
    return {str(u): f"{r['size']} 个政务新媒体账号{what}（如 {r['first']}）" for u, r in n.iterrows()}


class MediaUpdatesParams(RuleParams):
    #: an account whose latest post is more than this many days before as_of is not updated
    max_idle_days: int = Field(14, ge=0, le=100000)
    #: deduction per account not updated
    per_item: Points = Decimal(1)
    #: veto when a unit has at least this many accounts not updated (None: no veto)
    veto_at: int | None = Field(1, ge=1)
    #: deduction per account with no posts in the assessment period (posts = 0); None: not checked
    per_silent: Points | None = Decimal(1)


@register
class MediaUpdates(RuleKind):
    """政务新媒体更新

    什么：最近发布日期早于 as_of 前 `max_idle_days`（默认 14）天的账号，每个扣 `per_item` 分，有 `veto_at`（1）个
    即单项否决；测评期发布条数为 0 的账号（“僵尸号”）每个另扣 `per_silent` 分。最近发布日期未填的记“无法核验”。
    问题在 as_of 仍未解决（账号恢复更新即整改），记为未办结（pending）。
    为什么：国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：政务新媒体 2 周内无更新的，单项否决。
    """

    name = "media_updates"
    params = MediaUpdatesParams
    needs = ("media_accounts",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: MediaUpdatesParams = ctx.params
        out = RuleOutput()
        ma = ctx.table("media_accounts")
        ma = ma.assign(_label=account_label(ma))
        limit = ctx.as_of - pd.Timedelta(days=p.max_idle_days)
        stale = ma[(ma["last_post_on"] < limit).fillna(False).astype(bool)]
        idle = (ctx.as_of - stale["last_post_on"]).dt.days.astype(str)
        parts = [make_findings(
            stale, table="media_accounts", ref=stale["account_id"], deduction=p.per_item, pending=True,
            message=(stale["_label"] + "最近发布于" + fmt_date(stale["last_post_on"]) + "，截至"
                     + ctx.as_of.strftime("%Y-%m-%d") + "已 " + idle + f" 天未更新，超过{p.max_idle_days}天（"
                     + limit.strftime("%Y-%m-%d") + " 之后应有更新）"))]
        unknown = ma[ma["last_post_on"].isna()]
        parts.append(make_findings(unknown, table="media_accounts", ref=unknown["account_id"], deduction=0,
                                   kind="cannot_check",
                                   message=unknown["_label"] + "最近发布日期未填，无法核验是否按时更新"))
        if p.per_silent is not None:
            silent = ma[ma["posts"].eq(0).fillna(False).astype(bool)]
            parts.append(make_findings(silent, table="media_accounts", ref=silent["account_id"],
                                       deduction=p.per_silent, pending=True,
                                       message=silent["_label"] + "测评期内发布 0 条信息"))
        out.findings = concat_findings(parts)
        out.vetoes = _veto_reasons(stale, p.veto_at, f"超过{p.max_idle_days}天未更新")
        return out


class MediaFilingParams(RuleParams):
    #: deduction per account not filed (已备案 = 否)
    per_item: Points = Decimal(1)


@register
class MediaFiling(RuleKind):
    """政务新媒体备案

    什么：已备案为“否”的账号，每个扣 `per_item` 分；留空的记“无法核验”，不扣分。未备案的账号在 as_of 仍可补办，
    记为未办结（pending）。
    为什么：国办秘函〔2019〕19号和《关于推进政务新媒体健康有序发展的意见》（国办发〔2018〕123号）要求政务新媒体开设、
    变更、关停须报送备案。
    """

    name = "media_filing"
    params = MediaFilingParams
    needs = ("media_accounts",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: MediaFilingParams = ctx.params
        out = RuleOutput()
        ma = ctx.table("media_accounts")
        label = account_label(ma)
        no, blank = ma[is_false(ma["filed"])], ma[ma["filed"].isna()]
        out.findings = concat_findings([
            make_findings(no, table="media_accounts", ref=no["account_id"], deduction=p.per_item, pending=True,
                          message=label[no.index] + "未备案"),
            make_findings(blank, table="media_accounts", ref=blank["account_id"], deduction=0, kind="cannot_check",
                          message=label[blank.index] + "是否已备案未填，无法核验"),
        ])
        return out


class MediaCommentsParams(RuleParams):
    #: a comment left unanswered for more than this many calendar months at as_of is too long
    max_months: int = Field(3, ge=1, le=1200)
    #: deduction per account with such a comment
    per_item: Points = Decimal(1)
    #: veto when a unit has at least this many such accounts (None: no veto)
    veto_at: int | None = Field(1, ge=1)


@register
class MediaComments(RuleKind):
    """政务新媒体留言回复

    什么：开通留言（未填“否”）的账号，最早未回复留言日期早于 as_of 前 `max_months`（默认 3）个自然月的，每个扣
    `per_item` 分，有 `veto_at`（1）个即单项否决。留言至 as_of 仍未回复，记为未办结（pending）。
    为什么：国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：政务新媒体留言超过 3 个月未回复的，单项否决。
    """

    name = "media_comments"
    params = MediaCommentsParams
    needs = ("media_accounts",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: MediaCommentsParams = ctx.params
        out = RuleOutput()
        ma = ctx.table("media_accounts")
        ma = ma[~is_false(ma["has_comments"])]
        limit = ma["oldest_unanswered_on"] + pd.DateOffset(months=p.max_months)
        long = ma[(limit < ctx.as_of).fillna(False).astype(bool)]
        long = long.assign(_label=account_label(long))
        days = (ctx.as_of - long["oldest_unanswered_on"]).dt.days.astype(str)
        out.findings = make_findings(
            long, table="media_accounts", ref=long["account_id"], deduction=p.per_item, pending=True,
            message=(long["_label"] + "有留言自" + fmt_date(long["oldest_unanswered_on"]) + "起未回复，截至"
                     + ctx.as_of.strftime("%Y-%m-%d") + "已等待 " + days + f" 天，超过{p.max_months}个月（"
                     + fmt_date(limit[long.index]) + "）"))
        out.vetoes = _veto_reasons(long, p.veto_at, f"有留言超过{p.max_months}个月未回复")
        return out

"""Rule kinds on public messages (留言办理, messages): E1 reply time, E2 long unanswered (veto)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from pydantic import Field

from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import Points, fmt_date, in_period, late_text, lateness, make_findings, months_before


def msg_label(df: pd.DataFrame) -> pd.Series:
    return ("留言 " + df["message_id"].astype(str)).astype(object)


class MessageTimelinessParams(RuleParams):
    #: a reply is due within this many working days of receipt
    max_workdays: int = Field(5, ge=0)
    #: deduction per finding
    per_item: Points = Decimal(1)


@register
class MessageTimeliness(RuleKind):
    """留言答复时效（E1）

    什么：留言日期在测评期内的每条留言，答复晚于留言日期后第 `max_workdays` 个工作日（默认 5），
    或至 as_of 未答复且已超过该期限的，扣 `per_item` 分。
    为什么：各地考评方案规定留言答复时限（3、5 或 10 个工作日，因地而异，故为参数）。
    """

    name = "message_timeliness"
    params = MessageTimelinessParams
    needs = ("messages",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: MessageTimelinessParams = ctx.params
        out = RuleOutput()
        ms = ctx.table("messages")
        ms = ms[in_period(ms["received_on"], ctx)]
        replied = ms["replied_on"].notna()
        end = ms["replied_on"].where(replied, pd.Series(ctx.as_of, index=ms.index))
        lt = lateness(ctx, ms["received_on"], end, p.max_workdays)
        m, rep = ms[lt.late], replied[lt.late]
        outcome = ("实际于" + fmt_date(m["replied_on"]) + "答复").where(
            rep, "截至" + ctx.as_of.strftime("%Y-%m-%d") + "尚未答复")
        msg = (msg_label(m) + " 于" + fmt_date(m["received_on"]) + "收到，" + outcome + "，"
               + late_text(lt, "答复期限", f"{p.max_workdays}个工作日"))
        out.findings = make_findings(m, table="messages", ref=m["message_id"], message=msg, deduction=p.per_item,
                                     pending=~rep)
        return out


class MessageLongUnansweredParams(RuleParams):
    #: only messages received within this many months before as_of
    window_months: int = Field(12, ge=1, le=1200)
    #: waiting longer than this many calendar months (reply, or as_of when unreplied) is too long
    max_months: int = Field(3, ge=1, le=1200)
    #: deduction per finding
    per_item: Points = Decimal(4)
    #: veto when a unit has at least this many such messages (None: no veto)
    veto_at: int | None = Field(1, ge=1)


@register
class MessageLongUnanswered(RuleKind):
    """长期未回复（E2）

    什么：as_of 前 `window_months`（12）个月内收到的留言，等待时间（答复日期，未答复按 as_of，减留言日期）
    超过 `max_months`（3）个自然月的，每条扣 `per_item` 分（默认 4 分），并且有 `veto_at`（1）条即单项否决。
    为什么：国办秘函〔2019〕19号：检查前一年内留言超过 3 个月未回复，单项否决。
    """

    name = "message_long_unanswered"
    params = MessageLongUnansweredParams
    needs = ("messages",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: MessageLongUnansweredParams = ctx.params
        out = RuleOutput()
        ms = ctx.table("messages")
        start = months_before(ctx.as_of, p.window_months)
        ms = ms[((ms["received_on"] > start) & (ms["received_on"] <= ctx.as_of)).fillna(False).astype(bool)]
        replied = ms["replied_on"].notna()
        end = ms["replied_on"].where(replied, pd.Series(ctx.as_of, index=ms.index))
        limit = ms["received_on"] + pd.DateOffset(months=p.max_months)
        long = (end > limit).fillna(False).astype(bool)
        m, end, rep, limit = ms[long], end[long], replied[long], limit[long]
        days = (end - m["received_on"]).dt.days
        tail = ("，" + fmt_date(m["replied_on"]) + "才答复").where(
            rep, "，截至" + ctx.as_of.strftime("%Y-%m-%d") + "仍未答复")
        msg = (msg_label(m) + " 于" + fmt_date(m["received_on"]) + "收到" + tail + "，等待" + days.astype(str)
               + f"天，超过{p.max_months}个月（" + fmt_date(limit) + "）")
        out.findings = make_findings(m, table="messages", ref=m["message_id"], message=msg, deduction=p.per_item,
                                     pending=~rep)
        if p.veto_at is not None and len(m):
            n = m.groupby("unit_id", sort=False)["message_id"].agg(["size", "first"])
            n = n[n["size"] >= p.veto_at]
            out.vetoes = {str(u): f"{r['size']} 条留言超过{p.max_months}个月未回复（如留言 {r['first']}），单项否决"
                          for u, r in n.iterrows()}
        return out

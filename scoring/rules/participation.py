"""Rule kinds on public participation: 决策预公开 (consultations) and 建议提案办理 (proposals)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from pydantic import Field

from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register, to_fraction
from scoring.rules.common import (
    Points,
    concat_findings,
    fmt_date,
    fmt_int,
    fmt_points,
    in_period,
    is_false,
    late_text,
    lateness,
    make_findings,
)


def consult_label(df: pd.DataFrame) -> pd.Series:
    return ("征求意见 " + df["consult_id"].astype(str)).astype(object)


class ConsultationPeriodParams(RuleParams):
    #: the comment period (closes_on − opened_on, natural days) must be at least this many days
    min_days: int = Field(30, ge=0, le=100000)
    #: deduction per consultation with a shorter period
    per_item: Points = Decimal(1)


@register
class ConsultationPeriod(RuleKind):
    """征求意见期限

    什么：发布日期在测评期内的每次征求意见，征求意见期（截止日期减发布日期，按自然日计）少于 `min_days`
    （默认 30）天的，扣 `per_item` 分；缺少发布日期或截止日期的记“无法核验”。截止日期在 as_of 之后（仍可延长）的
    记为未办结（pending）。
    为什么：《重大行政决策程序暂行条例》第十五条：决策草案公开征求意见的期限一般不少于 30 日。
    """

    name = "consultation_period"
    params = ConsultationPeriodParams
    needs = ("consultations",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: ConsultationPeriodParams = ctx.params
        out = RuleOutput()
        cs = ctx.table("consultations")
        cs = cs[in_period(cs["opened_on"], ctx)]
        days = (cs["closes_on"] - cs["opened_on"]).dt.days
        short = cs[(days < p.min_days).fillna(False).astype(bool)]
        nodate = cs[cs["closes_on"].isna()]
        out.findings = concat_findings([
            make_findings(short, table="consultations", ref=short["consult_id"], deduction=p.per_item,
                          pending=(short["closes_on"] > ctx.as_of),
                          message=(consult_label(short) + " 于" + fmt_date(short["opened_on"]) + "发布、"
                                   + fmt_date(short["closes_on"]) + "截止，征求意见期 " + fmt_int(days[short.index])
                                   + f" 天，少于{p.min_days}天")),
            make_findings(nodate, table="consultations", ref=nodate["consult_id"], deduction=0, kind="cannot_check",
                          message=consult_label(nodate) + " 截止日期未填，征求意见期限无法核验"),
        ])
        return out


class ConsultationFeedbackParams(RuleParams):
    #: feedback (意见采纳情况) is due within this many days after closes_on
    max_days: int = Field(30, ge=0, le=100000)
    #: count max_days as working days (holidays and 调休 per the calendar) instead of natural days
    workdays: bool = False
    #: deduction per consultation whose feedback was published after the deadline
    per_item: Points = Decimal(1)
    #: deduction per consultation whose feedback is still not published at as_of, past the deadline
    per_missing: Points = Decimal(1)


@register
class ConsultationFeedback(RuleKind):
    """征集意见反馈

    什么：截止日期在测评期内的每次征求意见，意见采纳情况反馈晚于截止日期后 `max_days`（默认 30）天公布的，扣
    `per_item` 分；至 as_of 已过期限仍未公布的，扣 `per_missing` 分并记为未办结（pending）。`workdays: true` 时
    期限按工作日计。缺少截止日期的记“无法核验”。
    为什么：《重大行政决策程序暂行条例》第十五条要求公开征求意见后反馈意见采纳情况，各地考评方案要求“将征集
    反馈及时公示”；反馈时限是本地规则，故为参数。
    """

    name = "consultation_feedback"
    params = ConsultationFeedbackParams
    needs = ("consultations",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: ConsultationFeedbackParams = ctx.params
        out = RuleOutput()
        cs = ctx.table("consultations")
        nodate = cs[cs["closes_on"].isna() & in_period(cs["opened_on"], ctx)]
        cs = cs[in_period(cs["closes_on"], ctx)]
        given = cs["feedback_on"].notna()
        end = cs["feedback_on"].where(given, pd.Series(ctx.as_of, index=cs.index))
        late, over = self._overdue(ctx, cs["closes_on"], end, p)
        c, pub = cs[late], given[late]
        outcome = (fmt_date(c["feedback_on"]) + "才公布意见采纳情况").where(
            pub, "截至" + ctx.as_of.strftime("%Y-%m-%d") + "仍未公布意见采纳情况")
        out.findings = concat_findings([
            make_findings(c, table="consultations", ref=c["consult_id"], pending=~pub,
                          deduction=pd.Series(to_fraction(p.per_item), index=c.index).where(
                              pub, to_fraction(p.per_missing)),
                          message=consult_label(c) + " 于" + fmt_date(c["closes_on"]) + "截止，" + outcome + "，" + over),
            make_findings(nodate, table="consultations", ref=nodate["consult_id"], deduction=0, kind="cannot_check",
                          message=consult_label(nodate) + " 截止日期未填，意见反馈时效无法核验"),
        ])
        return out

    @staticmethod
    def _overdue(ctx: RuleContext, start: pd.Series, end: pd.Series,
                 p: ConsultationFeedbackParams) -> tuple[pd.Series, pd.Series]:
        """(late: bool per row, how the late rows' lateness reads) in working or natural days."""
        if p.workdays:
            lt = lateness(ctx, start, end, p.max_days)
            return lt.late, late_text(lt, "反馈期限", f"截止后{p.max_days}个工作日")
        days = (end - start).dt.days
        late = (days > p.max_days).fillna(False).astype(bool)
        deadline = start[late] + pd.Timedelta(days=p.max_days)
        return late, ("反馈期限 " + fmt_date(deadline) + f"（截止后{p.max_days}天），逾期 "
                      + fmt_int(days[late] - p.max_days) + " 天")


class ProposalRepliesParams(RuleParams):
    #: deduction per reply not published in full; None: each reply is worth an equal share of the
    #: indicator's points (score = points × share of replies published)
    per_item: Points | None = None


@register
class ProposalReplies(RuleKind):
    """建议提案办理结果公开

    什么：答复日期在测评期内的人大代表建议、政协委员提案，答复全文公开为“否”的每件一条问题，记为未办结
    （pending，补充公开即整改）。默认按公开率计分：每件所占分值为本项分值 ÷ 已答复件数（公开情况留空的记
    “无法核验”，不计入件数），即得分 = 本项分值 × 公开率；写 `per_item` 时改为每件扣 `per_item` 分。没有已答复
    建议提案的单位不扣分。
    为什么：《国务院办公厅关于做好全国人大代表建议和全国政协委员提案办理结果公开工作的通知》（国办发〔2014〕
    46号）和各地考评方案要求公开建议提案办理复文（涉密等除外）。
    """

    name = "proposal_replies"
    params = ProposalRepliesParams
    needs = ("proposals",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: ProposalRepliesParams = ctx.params
        out = RuleOutput()
        pr = ctx.table("proposals")
        pr = pr[in_period(pr["replied_on"], ctx)]
        known = pr[pr["published"].notna()]
        unpublished = is_false(known["published"])
        per_unit = unpublished.groupby(known["unit_id"], sort=False).agg(["size", "sum"])
        no = known[unpublished]
        # one share and one wording per unit (a few dozen), spread over that unit's findings
        n, k = per_unit["size"].astype(int), per_unit["sum"].astype(int)
        share = {u: ctx.points / int(n[u]) if p.per_item is None else to_fraction(p.per_item) for u in n.index}
        counts = {u: f"（已答复 {n[u]} 件、公开 {n[u] - k[u]} 件，公开率 "
                  f"{fmt_points(round(Decimal(int(n[u] - k[u])) / Decimal(int(n[u])) * 100, 1))}%）" for u in n.index}
        deduction = no["unit_id"].map(share)
        kind = no["kind"].astype(object).where(no["kind"].notna(), "建议提案")
        blank = pr[pr["published"].isna()]
        out.findings = concat_findings([
            make_findings(no, table="proposals", ref=no["proposal_id"], deduction=deduction, pending=True,
                          message=(kind + " " + no["proposal_id"].astype(str) + " 于" + fmt_date(no["replied_on"])
                                   + "答复，答复全文未公开" + no["unit_id"].map(counts))),
            make_findings(blank, table="proposals", ref=blank["proposal_id"], deduction=0, kind="cannot_check",
                          message=("建议提案 " + blank["proposal_id"].astype(str) + " 答复全文是否公开未填，无法核验")),
        ])
        return out


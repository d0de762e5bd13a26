"""Rule kinds on information requests (依申请公开, requests): D1 reply deadline, D2 correction notice, D3 reply standard."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from pydantic import Field, field_validator

from scoring.evidence.schema import OUTCOMES
from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import (
    Points,
    concat_findings,
    fmt_date,
    in_period,
    is_false,
    is_true,
    late_text,
    lateness,
    make_findings,
    wd_add,
    wd_between,
)


def req_label(df: pd.DataFrame) -> pd.Series:
    return ("申请 " + df["request_id"].astype(str)).astype(object)


def _text(cond: pd.Series, yes: pd.Series | str, no: pd.Series | str = "") -> pd.Series:
    """yes where cond, else no (object strings)."""
    idx = cond.index
    y = yes if isinstance(yes, pd.Series) else pd.Series(yes, index=idx, dtype=object)
    n = no if isinstance(no, pd.Series) else pd.Series(no, index=idx, dtype=object)
    return y.astype(object).where(cond.astype(bool), n.astype(object))


class RequestTimelinessParams(RuleParams):
    #: the reply period in working days (条例 art. 33)
    max_workdays: int = Field(20, ge=1)
    #: the extension in working days, counted only when noticed in time
    extension_workdays: int = Field(20, ge=0)
    #: deduction per late or overdue request
    per_item: Points = Decimal(3)


def request_limits(ctx: RuleContext, req: pd.DataFrame, p: RequestTimelinessParams) -> pd.DataFrame:
    """Each request's reply period, vectorised. Columns: start (received_on, or corrected_on when
    given), consult, first_limit (working days allowed before any extension), limit (working days
    allowed), ext_counted, ext_no_date / ext_late (why an extension was not counted)."""
    start = req["corrected_on"].fillna(req["received_on"])
    consult = req["consultation_days"].astype("Int64").fillna(0).astype("int64")
    first_limit = consult + p.max_workdays
    ext = is_true(req["extended"])
    notice = req["extension_notice_on"]
    notice_wd = wd_between(ctx, start, notice)  # NaN without a notice date
    counted = ext & (notice_wd <= first_limit).fillna(False).astype(bool)
    limit = first_limit + counted.astype("int64") * p.extension_workdays
    late_noticed = ext & notice.notna() & ~counted
    return pd.DataFrame({"start": start, "consult": consult, "first_limit": first_limit, "limit": limit,
                         "ext_counted": counted, "ext_no_date": ext & notice.isna(), "ext_late": late_noticed},
                        index=req.index)


@register
class RequestTimeliness(RuleKind):
    """答复时效（D1）

    什么：收到日期在测评期内的每件申请，答复日期晚于答复期限，或至 as_of 仍未答复且期限已过的，
    扣 `per_item` 分（默认 3 分）。答复期限 = 起算日后第 N 个工作日（按国务院节假日安排，含调休，起算日
    当日不计）：起算日为收到日期，有补正收到日期（corrected_on）的从补正收到日期起算；
    N = `max_workdays`（20）+ 征求意见工作日（consultation_days）+ 延期 `extension_workdays`（20）。
    延期只在 延期 = 是 且 延期告知日期不晚于原答复期限（含征求意见日）时计入；没有告知日期或告知晚了
    不计入，问题说明写明原因。问题说明写明答复期限和逾期多少个工作日。
    为什么：条例第 30、33 条：20 个工作日内答复；补正后重新起算；延期不超过 20 个工作日且须告知
    申请人；征求第三方意见的时间不计入。
    """

    name = "request_timeliness"
    params = RequestTimelinessParams
    needs = ("requests",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: RequestTimelinessParams = ctx.params
        out = RuleOutput()
        req = ctx.table("requests")
        req = req[in_period(req["received_on"], ctx)]
        replied = req["replied_on"].notna()
        end = req["replied_on"].where(replied, pd.Series(ctx.as_of, index=req.index))
        d = request_limits(ctx, req, p)
        lt = lateness(ctx, d["start"], end, d["limit"])
        r, d = req[lt.late], d[lt.late]
        first = wd_add(ctx, d["start"], d["first_limit"])
        reason = _text(d["ext_no_date"], "；延期未计入期限：未填写延期告知日期（延期须告知申请人）")
        reason = _text(d["ext_late"], "；延期未计入期限：延期告知日期" + fmt_date(r["extension_notice_on"])
                       + "晚于原答复期限" + fmt_date(first) + "（延期须在原答复期限内告知）", reason)
        how = (f"{p.max_workdays}个工作日"
               + _text(d["consult"] > 0, "，另加征求意见" + d["consult"].astype(str) + "个工作日")
               + _text(d["ext_counted"], f"，含延期{p.extension_workdays}个工作日"))
        corrected = r["corrected_on"].notna()
        start_text = _text(corrected, "，补正后于" + fmt_date(r["corrected_on"]) + "收到（期限自补正之日起算）")
        rep = r["replied_on"].notna()
        outcome = _text(rep, "，实际于" + fmt_date(r["replied_on"]) + "答复",
                        "，截至" + ctx.as_of.strftime("%Y-%m-%d") + "尚未答复")
        msg = (req_label(r) + " 于" + fmt_date(r["received_on"]) + "收到" + start_text + outcome + "，"
               + late_text(lt, "法定答复期限", how) + reason)
        out.findings = make_findings(r, table="requests", ref=r["request_id"], message=msg, deduction=p.per_item,
                                     pending=~rep)
        return out


class RequestCorrectionTimelinessParams(RuleParams):
    #: the correction notice is due within this many working days of receipt (条例 art. 30)
    max_workdays: int = Field(7, ge=0)
    #: deduction per finding
    per_item: Points = Decimal(1)


@register
class RequestCorrectionTimeliness(RuleKind):
    """补正规范（D2）

    什么：收到日期在测评期内、有补正告知日期（correction_notice_on）的申请，补正告知晚于收到日期后
    第 `max_workdays` 个工作日（默认 7）的，每件扣 `per_item` 分。
    为什么：条例第 30 条：申请内容不明确的，应当自收到申请之日起 7 个工作日内一次性告知补正。
    """

    name = "request_correction_timeliness"
    params = RequestCorrectionTimelinessParams
    needs = ("requests",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: RequestCorrectionTimelinessParams = ctx.params
        out = RuleOutput()
        req = ctx.table("requests")
        req = req[in_period(req["received_on"], ctx) & req["correction_notice_on"].notna()]
        lt = lateness(ctx, req["received_on"], req["correction_notice_on"], p.max_workdays)
        r = req[lt.late]
        msg = (req_label(r) + " 于" + fmt_date(r["received_on"]) + "收到，" + fmt_date(r["correction_notice_on"])
               + "才告知补正，" + late_text(lt, "法定补正告知期限", f"收到后{p.max_workdays}个工作日，应一次性告知"))
        out.findings = make_findings(r, table="requests", ref=r["request_id"], message=msg, deduction=p.per_item)
        return out


class RequestReplyStandardParams(RuleParams):
    #: outcomes that fully disclose and need no reasons
    full_disclosure: tuple[str, ...] = ("予以公开",)
    #: deduction per reply without reasons (when not fully disclosed)
    per_missing_reason: Points = Decimal(1)
    #: deduction per reply that does not inform of 行政复议/行政诉讼 rights
    per_missing_remedy: Points = Decimal(1)

    @field_validator("full_disclosure")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [o for o in v if o not in OUTCOMES]
        if bad:
            raise ValueError(f"未知的答复结果 {'、'.join(bad)}，应为：{'、'.join(OUTCOMES)}")
        return v


@register
class RequestReplyStandard(RuleKind):
    """答复规范（D3）

    什么：每件已答复的申请（有答复日期或答复结果）：答复结果不属于 `full_disclosure`（默认 予以公开）
    且说明理由（states_reason）= 否的，扣 `per_missing_reason` 分；告知救济（informs_remedy）= 否的，
    扣 `per_missing_remedy` 分。说明理由或告知救济留空的记“无法核验”，不扣分。
    为什么：条例第 36、37 条：不予公开等答复须说明理由和依据，并告知申请人申请行政复议、提起行政诉讼的权利。
    """

    name = "request_reply_standard"
    params = RequestReplyStandardParams
    needs = ("requests",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: RequestReplyStandardParams = ctx.params
        out = RuleOutput()
        req = ctx.table("requests")
        req = req[req["replied_on"].notna() | req["outcome"].notna()]
        lab = req_label(req)
        partial = req["outcome"].notna() & ~req["outcome"].isin(p.full_disclosure)
        no_reason = partial & is_false(req["states_reason"])
        unk_reason = partial & req["states_reason"].isna()
        no_remedy = is_false(req["informs_remedy"])
        unk_remedy = req["informs_remedy"].isna()
        oc = "（答复结果：" + req["outcome"].astype("string").fillna("未填") + "）"
        out.findings = concat_findings([
            make_findings(req[no_reason], table="requests", ref=req.loc[no_reason, "request_id"],
                          deduction=p.per_missing_reason,
                          message=lab[no_reason] + "的答复未说明理由和依据" + oc[no_reason].astype(object)),
            make_findings(req[no_remedy], table="requests", ref=req.loc[no_remedy, "request_id"],
                          deduction=p.per_missing_remedy,
                          message=lab[no_remedy] + "的答复未告知申请行政复议或提起行政诉讼的权利"),
            make_findings(req[unk_reason], table="requests", ref=req.loc[unk_reason, "request_id"], deduction=0,
                          kind="cannot_check",
                          message=lab[unk_reason] + "未填写是否说明理由" + oc[unk_reason].astype(object) + "，无法核验"),
            make_findings(req[unk_remedy], table="requests", ref=req.loc[unk_remedy, "request_id"], deduction=0,
                          kind="cannot_check", message=lab[unk_remedy] + "未填写是否告知救济途径，无法核验"),
        ])
        return out


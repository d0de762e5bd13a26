"""Rule kind on the website checks (site_checks): A4 网站可用."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from pydantic import Field

from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register, to_fraction
from scoring.rules.common import Points, concat_findings, make_findings, units_frame


def _failed(status: pd.Series) -> pd.Series:
    """A check failed when its status is not a 2xx/3xx code (an error word counts as failed)."""
    ok = status.astype("string").str.strip().str.fullmatch(r"[23]\d\d").fillna(False).astype(bool)
    return status.notna() & ~ok


class SiteAvailabilityParams(RuleParams):
    #: deduction per failing link check
    per_link: Points = Decimal("0.5")
    #: veto when the home page is unreachable
    veto_home: bool = True
    #: with several home checks: veto when at least this share of them failed
    #: (0.05 = the 国办 "≥5% of tries"); None: any failed home check vetoes
    home_veto_share: Decimal | None = Field(None, gt=0, le=1)


@register
class SiteAvailability(RuleKind):
    """网站可用（A4）

    什么：网站检查（site_checks）中首页（kind = home）检查失败（状态不是 2xx/3xx，或为 timeout、dns
    等错误）即单项否决；有多次首页检查时可用 `home_veto_share` 规定失败比例。每个失败的链接检查
    （kind = link）扣 `per_link` 分（默认 0.5 分）。提供了网站检查却没有首页检查记录的单位记“无法核验”。
    为什么：国办秘函〔2019〕19号：网站无法访问是单项否决项；错链断链影响使用。
    """

    name = "site_availability"
    params = SiteAvailabilityParams
    needs = ("site_checks",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: SiteAvailabilityParams = ctx.params
        out = RuleOutput()
        sc = ctx.table("site_checks")
        failed = _failed(sc["status"])
        kind = sc["kind"].astype("string").str.strip().str.lower()
        home = kind.eq("home").fillna(False).astype(bool)
        link = kind.eq("link").fillna(False).astype(bool)

        bad = sc[link & failed]
        where = bad["found_on"].astype("string")
        msg = ("链接 " + bad["url"].astype(str) + ("（位于 " + where + "）").fillna("")
               + " 无法访问（状态：" + bad["status"].astype(str) + "）")
        parts = [make_findings(bad, table="site_checks", ref=bad["url"], message=msg.astype(object),
                               deduction=p.per_link)]

        units = units_frame(ctx, "site_checks")
        homes = sc[home]
        no_home = units[~units["unit_id"].isin(homes["unit_id"].astype(str))]
        parts.append(make_findings(no_home, table="site_checks", ref="", deduction=0, kind="cannot_check",
                                   message="网站检查中没有首页（home）检查记录，无法核验首页是否可访问"))
        hf = homes.assign(_failed=failed[home]).groupby("unit_id", sort=False)["_failed"].agg(["sum", "count"])
        if p.veto_home and len(hf):
            if p.home_veto_share is None:
                veto = hf[hf["sum"] > 0]
            else:
                f = to_fraction(p.home_veto_share)
                veto = hf[hf["sum"] * f.denominator >= hf["count"] * f.numerator]
            first_bad = homes[failed[home]].drop_duplicates("unit_id").set_index("unit_id")
            out.vetoes = {
                str(u): (f"首页 {first_bad.at[u, 'url']} 无法访问（状态：{first_bad.at[u, 'status']}）"
                         + (f"，{int(r['sum'])}/{int(r['count'])} 次首页检查失败" if r["count"] > 1 else ""))
                for u, r in veto.iterrows()
            }
        out.findings = concat_findings(parts)
        return out

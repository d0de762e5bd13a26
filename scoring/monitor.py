"""月度通报 of the 日查网: what the recorded daily snapshots of a period say, per unit and per day.

Per unit (:func:`summarize`):

- availability: the share of polls (home page checks, one per ``collect --record`` run) that
  opened (2xx/3xx within the timeout); the 国办 veto is failures >= 5% of the polls of the
  period (国办秘函〔2019〕19号: 一周内 5% 以上无法访问);
- dead links: failing links seen in the period, and how many of them no longer fail in the
  unit's last snapshot (fixed);
- stale columns: catalog columns whose newest item is older than ``stale_days`` before the
  snapshot's day on the last snapshot, and of those the ones that were fresh on an earlier day;
- text errors: wrong expressions (page_checks ``text_error``) found, and fixed by the last snapshot.

Per day (:func:`trend`): polls, availability, dead links and text errors of all units.
Everything is vectorised over the recorded rows; rates are exact fractions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

VETO_SHARE = Fraction(1, 20)
STALE_DAYS = 14


def _ok(status: pd.Series) -> pd.Series:
    return status.astype(str).str.strip().str.fullmatch(r"[23]\d\d").fillna(False).astype(bool)


@dataclass
class Period:
    start: dt.date
    end: dt.date
    units: pd.DataFrame      # one row per unit, columns of :data:`UNIT_COLUMNS`
    trend: pd.DataFrame      # one row per day
    dead_links: pd.DataFrame  # unit_id, url, found_on, first_day, last_status, fixed
    text_errors: pd.DataFrame  # unit_id, url, detail, context, first_day, fixed
    veto_share: Fraction


def last_days(*frames: pd.DataFrame) -> pd.Series:
    """unit_id -> the day of the unit's last snapshot (a day without any of its rows in one table
    still is its snapshot: no error rows that day means the errors were fixed)."""
    return pd.concat([f[["unit_id", "day"]] for f in frames]).groupby("unit_id")["day"].max()


def _dead_links(sites: pd.DataFrame, last: pd.Series) -> pd.DataFrame:
    links = sites[sites["kind"] == "link"].assign(_bad=lambda d: ~_ok(d["status"]))
    bad = links[links["_bad"]]
    first = bad.groupby(["unit_id", "url"], sort=False).agg(first_day=("day", "min"), found_on=("found_on", "first"))
    now = links[links["day"] == links["unit_id"].map(last)].set_index(["unit_id", "url"])
    still = now["_bad"].astype(bool).reindex(first.index, fill_value=False)
    out = first.assign(fixed=~still.to_numpy()).reset_index()
    return out[["unit_id", "url", "found_on", "first_day", "fixed"]]


def _stale_columns(sites: pd.DataFrame, stale_days: int, last_day: pd.Series) -> pd.DataFrame:
    cols = sites[sites["kind"] == "column"].copy()
    upd = pd.to_datetime(cols["last_updated"], errors="coerce")
    cols["_stale"] = upd.isna() | ((pd.to_datetime(cols["day"]) - upd).dt.days > stale_days)
    last = cols[cols["day"] == cols["unit_id"].map(last_day)]
    stale_now = last[last["_stale"]][["unit_id", "url"]]
    fresh_before = cols[~cols["_stale"]][["unit_id", "url"]].drop_duplicates()
    went = stale_now.merge(fresh_before, how="inner")
    return stale_now.assign(went_stale=stale_now.set_index(["unit_id", "url"]).index.isin(
        went.set_index(["unit_id", "url"]).index))


def _text_errors(pages: pd.DataFrame, last: pd.Series) -> pd.DataFrame:
    t = pages[(pages["check"] == "text_error") & (pages["result"] == "found")]
    first = t.groupby(["unit_id", "url", "detail"], sort=False).agg(
        first_day=("day", "min"), context=("context", "first"))
    now = t[t["day"] == t["unit_id"].map(last)].set_index(["unit_id", "url", "detail"]).index
    out = first.assign(fixed=~first.index.isin(now)).reset_index()
    return out[["unit_id", "url", "detail", "context", "first_day", "fixed"]]


def summarize(polls: pd.DataFrame, sites: pd.DataFrame, pages: pd.DataFrame, start: dt.date, end: dt.date,
              veto_share: Fraction = VETO_SHARE, stale_days: int = STALE_DAYS) -> Period:
    polls = polls.assign(_ok=_ok(polls["status"]))
    per = polls.groupby("unit_id").agg(polls=("_ok", "size"), opened=("_ok", "sum"))
    per["failed"] = per["polls"] - per["opened"]
    per["vetoed"] = per["failed"] * veto_share.denominator >= per["polls"] * veto_share.numerator
    last = last_days(sites, pages)
    dead = _dead_links(sites, last)
    stale = _stale_columns(sites, stale_days, last)
    errs = _text_errors(pages, last)
    units = sorted(set(per.index) | set(sites["unit_id"]) | set(pages["unit_id"]))
    u = per.reindex(units)
    u[["polls", "opened", "failed"]] = u[["polls", "opened", "failed"]].fillna(0).astype(int)
    u["vetoed"] = u["vetoed"].fillna(False).astype(bool)
    count = lambda f, col=None: (f[f[col]] if col else f).groupby("unit_id").size().reindex(units, fill_value=0)  # noqa: E731
    u["dead_links"] = count(dead)
    u["dead_fixed"] = count(dead, "fixed")
    u["stale_columns"] = count(stale)
    u["went_stale"] = count(stale, "went_stale")
    u["text_errors"] = count(errs)
    u["text_fixed"] = count(errs, "fixed")
    u["serious_errors"] = errs[~errs["fixed"] & errs["detail"].astype(str).str.endswith("（严重）")] \
        .groupby("unit_id").size().reindex(units, fill_value=0)
    u = u.rename_axis("unit_id").reset_index()
    return Period(start, end, u, trend(polls, sites, pages), dead, errs, veto_share)


def rate(opened: int, polls: int) -> Fraction | None:
    return Fraction(int(opened), int(polls)) if polls else None


def percent(f: Fraction | None) -> str:
    """99.52% (half up to 2 places); 无检测 when there were no polls."""
    if f is None:
        return "无检测"
    hundredths = (f * 10000 + Fraction(1, 2)).__floor__()
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def trend(polls: pd.DataFrame, sites: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    p = polls.assign(_ok=_ok(polls["status"])).groupby("day").agg(polls=("_ok", "size"), opened=("_ok", "sum"))
    links = sites[sites["kind"] == "link"]
    dead = links[~_ok(links["status"])].groupby("day").size()
    errs = pages[(pages["check"] == "text_error") & (pages["result"] == "found")].groupby("day").size()
    days = sorted(set(p.index) | set(dead.index) | set(errs.index))
    out = p.reindex(days).fillna(0).astype(int)
    out["dead_links"] = dead.reindex(days, fill_value=0).astype(int)
    out["text_errors"] = errs.reindex(days, fill_value=0).astype(int)
    return out.rename_axis("day").reset_index()

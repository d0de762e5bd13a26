"""日查网 snapshots in the round store: each `zwgk collect --record` run, kept by day.

A run adds one *poll* per unit (its home page status: the availability rate counts polls, so
a timer that runs collect several times a day gives a finer rate) and replaces the unit's
snapshot of that day (site_checks and page_checks rows). One transaction per run.

    record_day(store, day, site_rows, page_rows)        # DataFrames as collect writes them
    polls, sites, pages = read_period(store, start, end)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from scoring.store.api import Store
from scoring.store.db import StoreError
from scoring.store.schema import monitor_page_checks, monitor_polls, monitor_site_checks

SITE_COLUMNS = ["url", "kind", "status", "last_updated", "found_on"]
PAGE_COLUMNS = ["url", "check", "result", "detail", "context"]


def _text(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else str(v)


def _date(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return pd.Timestamp(v).date()


def _rows(frame: pd.DataFrame, day: dt.date, columns: list[str], dates: set[str] = frozenset()) -> list[dict]:
    out = []
    seq: dict[str, int] = {}
    for r in frame.to_dict("records"):
        uid = str(r["unit_id"])
        seq[uid] = seq.get(uid, 0) + 1
        row = {"day": day, "unit_id": uid, "seq": seq[uid]}
        row |= {c: (_date(r.get(c)) if c in dates else _text(r.get(c))) for c in columns}
        out.append(row)
    return out


def record_day(store: Store, day: dt.date, site_rows: pd.DataFrame, page_rows: pd.DataFrame,
               polled_at: dt.datetime | None = None) -> int:
    """Record one run of collect as the snapshot of ``day``; returns the number of units polled."""
    polled_at = polled_at or dt.datetime.now().replace(microsecond=0)
    homes = site_rows[site_rows["kind"].astype(str) == "home"]
    polls = [{"day": day, "polled_at": polled_at, "unit_id": str(r["unit_id"]), "url": str(r["url"]),
              "status": str(r["status"])} for r in homes.to_dict("records")]
    units = sorted(set(site_rows["unit_id"].astype(str)) | set(page_rows["unit_id"].astype(str)))
    try:
        with store.engine.begin() as conn:
            for t in (monitor_site_checks, monitor_page_checks):
                conn.execute(sa.delete(t).where(t.c.day == day, t.c.unit_id.in_(units)))
            if polls:
                conn.execute(sa.insert(monitor_polls), polls)
            site = _rows(site_rows, day, SITE_COLUMNS, {"last_updated"})
            if site:
                conn.execute(sa.insert(monitor_site_checks), site)
            page = _rows(page_rows, day, PAGE_COLUMNS)
            if page:
                conn.execute(sa.insert(monitor_page_checks), page)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"无法写入测评轮次库 {store.where}：{str(exc.orig).strip()}") from None
    return len(polls)


def read_period(store: Store, start: dt.date, end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(polls, site_checks, page_checks) recorded for days start..end, ordered by day."""
    out = []
    with store.reading() as conn:
        for t, cols in ((monitor_polls, ["day", "polled_at", "unit_id", "url", "status"]),
                        (monitor_site_checks, ["day", "unit_id", "seq", *SITE_COLUMNS]),
                        (monitor_page_checks, ["day", "unit_id", "seq", *PAGE_COLUMNS])):
            q = sa.select(*(t.c[c] for c in cols)).where(t.c.day >= start, t.c.day <= end)
            q = q.order_by(t.c.day, t.c.unit_id, t.c["polled_at" if t is monitor_polls else "seq"])
            out.append(pd.DataFrame(conn.execute(q).fetchall(), columns=cols))
    return out[0], out[1], out[2]

"""日查网: a week of snapshots recorded with fixed dates; `zwgk monitor report` gives the 月度通报."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from collect_site import serve
from scoring.cli import main
from scoring.store import open_store
from scoring.store.monitor import read_period, record_day
from website_site import Handler

DAY1 = dt.date(2026, 11, 2)


def site_rows(day: dt.date, statuses: dict[str, str]) -> pd.DataFrame:
    rows = [{"unit_id": u, "url": f"http://{u.lower()}.gov.cn/", "kind": "home", "status": s} for u, s in statuses.items()]
    # unit A: a dead link seen on days 2-4, fixed on day 5; a column last updated 2026-10-20
    if dt.date(2026, 11, 3) <= day <= dt.date(2026, 11, 5):
        rows.append({"unit_id": "A", "url": "http://a.gov.cn/old.html", "kind": "link", "status": "404",
                     "found_on": "http://a.gov.cn/"})
    rows.append({"unit_id": "A", "url": "http://a.gov.cn/gzdt/", "kind": "column", "status": "200",
                 "last_updated": "2026-10-20"})
    return pd.DataFrame(rows)


def page_rows(day: dt.date) -> pd.DataFrame:
    rows = [{"unit_id": "B", "url": "http://b.gov.cn/news.html", "check": "text_error", "result": "found",
             "detail": "二十次三中全会→二十届三中全会（严重）", "context": "=学习二十次三中全会精神"}]
    if day < dt.date(2026, 11, 4):   # fixed from day 3 on
        rows.append({"unit_id": "A", "url": "http://a.gov.cn/", "check": "text_error", "result": "found",
                     "detail": "布署→部署（一般）", "context": "统一布署"})
    return pd.DataFrame(rows)


def record_week(db: Path) -> None:
    """A week, 3 polls a day: A fails once in 20 polls (5%: veto), B once in 21 (4.76%), C never."""
    with open_store(db) as store:
        n = {"A": 0, "B": 0}
        for d in range(7):
            day = DAY1 + dt.timedelta(days=d)
            for k in range(3):
                statuses = {"A": "200", "B": "200", "C": "200"}
                if d == 6 and k == 2:
                    statuses.pop("A")                    # A: 20 polls
                if d == 3 and k == 1:
                    statuses["A"] = "timeout"
                if d == 5 and k == 0:
                    statuses["B"] = "503"
                record_day(store, day, site_rows(day, statuses), page_rows(day),
                           polled_at=dt.datetime.combine(day, dt.time(8 + 4 * k)))


def test_a_week_of_snapshots_gives_availability_rates_and_the_five_percent_veto(tmp_path):
    db = tmp_path / "zwgk.db"
    record_week(db)
    out = tmp_path / "monthly"
    r = CliRunner().invoke(main, ["monitor", "report", "--from", "2026-11-02", "--to", "2026-11-08",
                                  "--out", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "可用性否决：A" in r.output
    summary = pd.read_csv(out / "monitor.csv", dtype=str, encoding="utf-8-sig").set_index("单位编码")
    assert summary.loc["A", ["检测次数", "打开次数", "可用率", "可用性否决"]].tolist() == ["20", "19", "95.00%", "否决"]
    assert summary.loc["B", ["检测次数", "打开次数", "可用率"]].tolist() == ["21", "20", "95.24%"]
    assert pd.isna(summary.loc["B", "可用性否决"]) and summary.loc["C", "可用率"] == "100.00%"
    # A: the dead link found and fixed; the column went stale during the week; the typo corrected
    assert summary.loc["A", ["失效链接", "已修复链接", "超期栏目", "期间变为超期", "表述错误", "已更正错误"]].tolist() \
        == ["1", "1", "1", "1", "1", "1"]
    assert summary.loc["B", ["表述错误", "已更正错误", "未更正严重错误"]].tolist() == ["1", "0", "1"]

    wb = load_workbook(out / "monitor.xlsx")
    trend = wb["每日趋势"]
    assert [trend.cell(r, 1).value for r in range(3, 10)] == [(DAY1 + dt.timedelta(days=d)).isoformat() for d in range(7)]
    assert trend.cell(6, 2).value == 9 and trend.cell(6, 3).value == 8      # day 4: A timed out once
    assert len(trend._charts) == 1
    errs = wb["表述错误"]
    [b] = [r for r in range(3, errs.max_row + 1) if errs.cell(r, 1).value == "B"]
    assert errs.cell(b, 4).value == "=学习二十次三中全会精神" and errs.cell(b, 4).data_type == "s"  # text, never a formula
    md = (out / "monitor.md").read_text(encoding="utf-8")
    assert "关于2026年11月2日至2026年11月8日政府网站日常监测情况的通报" in md and "A（可用率 95.00%）" in md
    import docx
    text = "\n".join(p.text for p in docx.Document(str(out / "monitor.docx")).paragraphs)
    assert "单项否决情形：A（可用率 95.00%）" in text


def test_collect_record_keeps_the_day_and_a_rerun_replaces_that_days_snapshot(tmp_path):
    db = tmp_path / "zwgk.db"
    with serve(handler=Handler) as (base, _):
        d = tmp_path / "batch" / "W2"
        d.mkdir(parents=True)
        (d / "unit.yaml").write_text(yaml.safe_dump({"unit_id": "W2", "name": "乙县人民政府", "kind": "县区政府",
                                                     "site_url": base + "/b/"}, allow_unicode=True), encoding="utf-8")
        for _ in range(2):
            r = CliRunner().invoke(main, ["collect", str(d.parent), "--delay", "0", "--timeout", "2",
                                          "--as-of", "2026-11-20", "--record", "--db", str(db)])
            assert r.exit_code == 0, r.output
    with open_store(db) as store:
        polls, sites, pages = read_period(store, dt.date(2026, 11, 20), dt.date(2026, 11, 20))
    assert polls["status"].tolist() == ["200", "200"]                      # two polls of the day
    assert (sites["kind"] == "home").sum() == 1                             # one snapshot of the day
    assert pages[pages["check"] == "text_error"]["detail"].tolist() == ["二十次三中全会→二十届三中全会（严重）"]


def test_a_period_without_snapshots_is_a_clear_error(tmp_path):
    db = tmp_path / "zwgk.db"
    record_week(db)
    r = CliRunner().invoke(main, ["monitor", "report", "--from", "2026-12-01", "--to", "2026-12-07",
                                  "--out", str(tmp_path / "o"), "--db", str(db)])
    assert r.exit_code == 2 and "没有 2026-12-01 至 2026-12-07 的日查网快照" in r.output
    assert not (tmp_path / "o").exists()

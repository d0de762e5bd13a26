"""`zwgk collect` against the fixture website served on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from collect_site import Site, serve
from scoring.cli.collect import collect
from scoring.collect.crawler import Options, Target, run
from scoring.collect.fetch import Limits
from scoring.collect.state import State
from scoring.evidence.load import load_batch

AS_OF = "2026-11-20"
FAST = ["--delay", "0", "--timeout", "0.5", "--max-size", "1", "--as-of", AS_OF]


def expected_rows(base: str, refused: str) -> list[tuple]:
    """What an assessor would write down after clicking through the fixture site by hand."""
    h = f"{base}/zwgk/"
    rows = [
        (f"{base}/zwgk/", "home", "200", None, None),
        (f"{base}/zwgk/gzdt/", "column", "200", "2026-11-03", h),      # 2026-12-31 is after the check date
        (f"{base}/zwgk/tzgg/", "column", "200", "2026-05-06", h),      # GBK page, dates written 2026年5月6日
        (f"{base}/zwgk/about.html", "page", "200", None, h),           # #top is the same page
        (f"{base}/zwgk/old", "page", "200", None, h),                  # 301 -> 302 -> 200
        (f"{base}/zwgk/loop-a", "link", "too_many_redirects", None, h),
        (f"{base}/zwgk/slow.html", "link", "timeout", None, h),
        (f"{base}/zwgk/busy.html", "page", "200", None, h),            # 429 Retry-After: 1, then 200
        (f"{base}/zwgk/huge.html", "link", "too_large", None, h),
        (f"{base}/files/report.pdf", "link", "200", None, h),
        (f"{base}/files/nohead.pdf", "link", "200", None, h),          # HEAD 405, GET 200
        (refused, "link", "refused", None, h),
        (f"{base}/zwgk/zcwj/", "column", "200", "2025-12-30", f"{base}/zwgk/tzgg/"),  # named in GBK text
        (f"{base}/zwgk/dead404.html", "link", "404", None, f"{base}/zwgk/tzgg/"),
        (f"{base}/zwgk/gone.html", "link", "410", None, f"{base}/zwgk/about.html"),
    ]
    return [("U1", u, k, s, AS_OF, lu, f) for u, k, s, lu, f in rows]


def read_rows(path) -> list[tuple]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return [tuple(v if v != "" else None for v in r) for r in df.itertuples(index=False)]


@pytest.fixture
def site():
    with serve() as (base, s):
        yield base, s


def make_batch(tmp_path, base: str) -> None:
    (tmp_path / "units.csv").write_text(
        f"单位编码,单位名称,单位类型,网站地址\nU1,某县人民政府,县区政府,{base}/zwgk/\n", encoding="utf-8")


def test_fixture_site_yields_exactly_the_rows_an_assessor_would_record(tmp_path, site):
    base, s = site
    make_batch(tmp_path, base)
    out = tmp_path / "out" / "网站检查.csv"
    r = CliRunner().invoke(collect, [str(tmp_path), "--out", str(out), *FAST])
    assert r.exit_code == 0, r.output
    assert read_rows(out) == expected_rows(base, s.refused_url)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "检查日期：2026-11-20" in r.output


def test_robots_disallowed_page_is_never_requested(tmp_path, site):
    base, s = site
    make_batch(tmp_path, base)
    r = CliRunner().invoke(collect, [str(tmp_path), *FAST])
    assert r.exit_code == 0, r.output
    assert not any(p.startswith("/private/") for p in s.requested())
    assert "robots.txt 不允许而跳过 1 个" in r.output


def test_ignore_robots_checks_the_disallowed_page_and_says_so(tmp_path, site):
    base, s = site
    make_batch(tmp_path, base)
    r = CliRunner().invoke(collect, [str(tmp_path), "--ignore-robots", *FAST])
    assert r.exit_code == 0, r.output
    assert "/private/secret.html" in s.requested()
    assert "忽略 robots.txt" in r.output
    rows = read_rows(tmp_path / "site_checks.csv")
    assert ("U1", f"{base}/private/secret.html", "page", "200", AS_OF, None, f"{base}/zwgk/") in rows


def test_each_address_is_requested_once_even_when_linked_from_several_pages(tmp_path, site):
    base, s = site
    make_batch(tmp_path, base)
    CliRunner().invoke(collect, [str(tmp_path), *FAST])
    gets = s.requested("GET")
    # about.html is linked from home (twice, once with #top) and from the 工作动态 list three times
    assert gets.count("/zwgk/about.html") == 1
    assert gets.count("/zwgk/dead404.html") == 1
    # the 429 answer is retried once; nothing else twice
    assert gets.count("/zwgk/busy.html") == 2


def test_collected_rows_load_as_site_checks_evidence(tmp_path, site):
    base, _ = site
    make_batch(tmp_path, base)
    r = CliRunner().invoke(collect, [str(tmp_path), *FAST])
    assert r.exit_code == 0, r.output
    sc = load_batch(tmp_path).tables["site_checks"]
    assert set(sc["kind"]) == {"home", "page", "column", "link"}
    assert sc.loc[sc["url"] == f"{base}/zwgk/gzdt/", "last_updated"].iloc[0] == pd.Timestamp("2026-11-03")
    assert (sc["checked_on"] == pd.Timestamp(AS_OF)).all()


def test_catalog_column_url_from_the_evidence_is_checked_for_its_newest_date(tmp_path, site):
    base, _ = site
    make_batch(tmp_path, base)
    (tmp_path / "catalog.csv").write_text(
        f"unit_id,column,items,url\nU1,新闻/新版栏目,3,{base}/zwgk/new.html\nU1,通知公告,2,{base}/zwgk/tzgg/\n",
        encoding="utf-8")
    out = tmp_path / "sc.csv"
    r = CliRunner().invoke(collect, [str(tmp_path), "--out", str(out), "--depth", "1", *FAST])
    assert r.exit_code == 0, r.output
    rows = {u: (k, s, lu, f) for _, u, k, s, _, lu, f in read_rows(out)}
    # not reached at depth 1 (it sits behind a redirect chain's end), so fetched from the catalog
    assert rows[f"{base}/zwgk/new.html"] == ("column", "200", None, None)
    assert rows[f"{base}/zwgk/tzgg/"][0] == "column"


def test_retry_after_of_a_429_is_honoured_before_asking_again(tmp_path, site):
    base, s = site
    waits: list[float] = []

    async def recording_sleep(seconds: float) -> None:
        waits.append(seconds)

    state = State(tmp_path / "st.sqlite")
    out = run([Target("U1", f"{base}/zwgk/busy.html")], state,
              Limits(delay=0, timeout=0.5), Options(depth=0), dt.date(2026, 11, 20), sleep=recording_sleep)
    assert out.rows["status"].tolist() == ["200"]
    assert waits[0] == 1.0
    assert s.requested("GET").count("/zwgk/busy.html") == 2


def test_retry_after_longer_than_the_cap_records_the_429(tmp_path, site):
    base, s = site
    state = State(tmp_path / "st.sqlite")
    out = run([Target("U1", f"{base}/zwgk/busy.html")], state,
              Limits(delay=0, timeout=0.5, max_retry_wait=0.5), Options(depth=0), dt.date(2026, 11, 20))
    assert out.rows["status"].tolist() == ["429"]


def test_home_page_down_gives_a_single_failed_home_row(tmp_path):
    from collect_site import closed_port
    (tmp_path / "units.csv").write_text(
        f"unit_id,name,kind,site_url\nU9,某镇,乡镇街道,http://127.0.0.1:{closed_port()}/\n", encoding="utf-8")
    r = CliRunner().invoke(collect, [str(tmp_path), *FAST])
    assert r.exit_code == 0, r.output
    rows = read_rows(tmp_path / "site_checks.csv")
    assert [(k, st) for _, _, k, st, *_ in rows] == [("home", "refused")]


def test_unit_with_a_non_http_site_url_is_an_error_naming_file_row_and_column(tmp_path):
    (tmp_path / "units.csv").write_text(
        "unit_id,name,kind,site_url\nU1,某县,县区政府,http://127.0.0.1:9/\nU2,某镇,乡镇街道,ftp://x.gov.cn/\n"
        "U3,某局,市直部门,www\n", encoding="utf-8")
    r = CliRunner().invoke(collect, [str(tmp_path), *FAST])
    assert r.exit_code == 2
    assert "units.csv 第3行 「网站地址」列" in r.output and "ftp://x.gov.cn/" in r.output
    assert "units.csv 第4行" in r.output
    assert not (tmp_path / "site_checks.csv").exists()


def test_unknown_unit_in_units_option_is_an_error_listing_the_known_ones(tmp_path, site):
    base, _ = site
    make_batch(tmp_path, base)
    r = CliRunner().invoke(collect, [str(tmp_path), "--units", "U1,X9", *FAST])
    assert r.exit_code == 2
    assert "X9" in r.output and "U1" in r.output
    assert not (tmp_path / "site_checks.csv").exists()


def test_evidence_errors_exit_2_without_writing(tmp_path):
    (tmp_path / "units.csv").write_text("unit_id,name\nU1,某县\n", encoding="utf-8")
    r = CliRunner().invoke(collect, [str(tmp_path), *FAST])
    assert r.exit_code == 2
    assert "单位类型" in r.output
    assert not (tmp_path / "site_checks.csv").exists()


def test_link_text_starting_like_a_formula_is_written_as_text(tmp_path):
    from scoring.collect.output import write_all
    p = tmp_path / "sc.csv"
    write_all({p: pd.DataFrame({"url": ["=HYPERLINK(\"http://x\")"], "found_on": ["http://a/"]})})
    assert "'=HYPERLINK" in p.read_text(encoding="utf-8-sig")

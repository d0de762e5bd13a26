"""The small parts of `zwgk collect`: URL identity, page decoding, dates, Retry-After."""

from __future__ import annotations

import datetime as dt

from scoring.collect.fetch import retry_after_seconds
from scoring.collect.page import dates_in, decode, parse
from scoring.collect.robots import Robots
from scoring.collect.urls import looks_like_html, normalize


def test_same_page_written_differently_is_one_address():
    a = normalize("HTTP://WWW.Gov.CN:80/zwgk/./a/../index.html#top")
    assert a == "http://www.gov.cn/zwgk/index.html"
    assert normalize("index.html", "http://www.gov.cn/zwgk/") == a
    assert normalize("http://www.gov.cn") == "http://www.gov.cn/"
    assert normalize("https://x.gov.cn:443/a b") == "https://x.gov.cn/a%20b"


def test_only_http_and_https_links_are_followed():
    for href in ("mailto:a@b.cn", "javascript:void(0)", "ftp://x.gov.cn/f", "tel:12345", ""):
        assert normalize(href, "http://x.gov.cn/") is None


def test_attachments_are_checked_not_parsed():
    assert not looks_like_html("http://x.gov.cn/files/2026年报.PDF")
    assert looks_like_html("http://x.gov.cn/zwgk/list")
    assert looks_like_html("http://x.gov.cn/zwgk/index.shtml")


def test_gbk_page_declared_only_in_meta_is_read_correctly():
    body = '<meta charset="gb2312"><p>通知公告 2026年5月6日</p>'.encode("gbk")
    assert "通知公告" in decode(body, "text/html")


def test_header_charset_wins_and_undeclared_gbk_falls_back_to_gb18030():
    assert decode("政务公开".encode("gb18030"), "text/html; charset=GBK") == "政务公开"
    assert decode("政务公开".encode("gbk"), None) == "政务公开"
    assert decode("政务公开".encode("utf-8"), None) == "政务公开"


def test_dates_in_every_spelling_are_found_and_impossible_ones_ignored():
    text = "2026-11-03 发布；2026年10月28日；2026/10/1；2026.2.30；电话 0551-20261103"
    assert dates_in(text) == [dt.date(2026, 10, 1), dt.date(2026, 10, 28), dt.date(2026, 11, 3)]


def test_links_keep_their_anchor_text_and_scripts_are_not_text():
    p = parse('<script>var d="2020-01-01"</script><a href="/gzdt/"> 工作\n动态 </a><iframe src="/f.html"></iframe>')
    assert p.links == [("/gzdt/", "工作 动态"), ("/f.html", "")]
    assert "2020-01-01" not in " ".join(p.text)


def test_retry_after_in_seconds_and_as_an_http_date():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None


def test_robots_server_error_forbids_and_missing_robots_allows():
    assert not Robots("503", "").allowed("http://x.gov.cn/a")
    assert Robots("404", "").allowed("http://x.gov.cn/a")
    r = Robots("200", "User-agent: zwgk\nDisallow: /tmp/\nCrawl-delay: 3\n")
    assert not r.allowed("http://x.gov.cn/tmp/x") and r.allowed("http://x.gov.cn/zwgk/")
    assert r.crawl_delay() == 3.0

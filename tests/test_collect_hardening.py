"""`zwgk collect` against hostile or broken servers (served on 127.0.0.1): bounded memory, bounded
waits, and answers recorded as what they are."""

from __future__ import annotations

import datetime as dt
import gzip
import tracemalloc
from http.server import BaseHTTPRequestHandler

import pytest

from collect_site import serve
from scoring.collect.crawler import Options, Target, run
from scoring.collect.fetch import Limits
from scoring.collect.state import State

CHECKED = dt.date(2026, 11, 20)
PAGE = "<html><body><a href='/about.html'>机构概况</a></body></html>".encode("utf-8")
ZEROS_MB = 64
BOMB = gzip.compress(b"\0" * (ZEROS_MB * 1024 * 1024), compresslevel=9)   # ~64 KB on the wire
DOUBLE_BOMB = gzip.compress(BOMB, compresslevel=9)                        # a few hundred bytes


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    robots = b"User-agent: *\nAllow: /\n"

    def log_message(self, *a):
        pass

    def _send(self, code: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == "/robots.txt":
            return self._send(200, self.robots, Content_Type="text/plain")
        if self.path == "/double-gzip.html":
            return self._send(200, DOUBLE_BOMB, Content_Encoding="gzip, gzip")
        if self.path == "/brotli.html":
            return self._send(200, b"\x1b\x00", Content_Encoding="br")
        if self.path == "/bomb.html":
            return self._send(200, BOMB, Content_Encoding="gzip")
        if self.path == "/gzipped.html":
            return self._send(200, gzip.compress(PAGE), Content_Encoding="gzip")
        if self.path == "/broken-redirect/":
            return self._send(302, Location="http://[::1")
        if self.path == "/control-redirect/":
            return self._send(302, Location="http://a\x7fb/")
        return self._send(200, PAGE)


def _crawl(tmp_path, base: str, path: str, limits: Limits | None = None, depth: int = 0, **kw):
    logs: list[str] = []
    out = run([Target("U1", f"{base}{path}")], State(tmp_path / "st.sqlite"),
              limits or Limits(delay=0, timeout=2, max_bytes=1024 * 1024), Options(depth=depth), CHECKED,
              log=logs.append, **kw)
    return out, logs


def _peak_mb(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


@pytest.fixture
def hostile():
    with serve(handler=Hostile) as (base, _):
        yield base


def test_stacked_gzip_is_refused_without_decoding_it_and_said_so(tmp_path, hostile):
    (out, logs), peak = _peak_mb(lambda: _crawl(tmp_path, hostile, "/double-gzip.html"))
    assert out.rows["status"].tolist() == ["200"]                 # the page answered
    assert any("gzip, gzip" in line and "不受支持" in line for line in logs)
    assert peak < 16, f"{peak:.0f} MB held for a {len(DOUBLE_BOMB)}-byte answer"


def test_an_unknown_coding_is_not_read_as_html(tmp_path, hostile):
    out, logs = _crawl(tmp_path, hostile, "/brotli.html", depth=1)
    assert out.rows["status"].tolist() == ["200"]
    assert any("「br」" in line for line in logs)


def test_a_gzip_bomb_is_too_large_and_never_held_whole(tmp_path, hostile):
    (out, _), peak = _peak_mb(lambda: _crawl(tmp_path, hostile, "/bomb.html"))
    assert out.rows["status"].tolist() == ["too_large"]
    assert peak < 16, f"{peak:.0f} MB held for a {ZEROS_MB} MB bomb under a 1 MB cap"


def test_an_ordinary_gzipped_page_is_read_and_its_links_followed(tmp_path, hostile):
    out, _ = _crawl(tmp_path, hostile, "/gzipped.html", depth=1)
    assert out.rows[["url", "kind", "status"]].values.tolist() == [
        [f"{hostile}/gzipped.html", "home", "200"], [f"{hostile}/about.html", "page", "200"]]


def test_a_huge_crawl_delay_is_capped_and_said_so_also_when_resuming(tmp_path):
    class SlowPlease(Hostile):
        robots = b"User-agent: *\nCrawl-delay: 100000\n"

    waits: list[float] = []

    async def recording_sleep(seconds: float) -> None:
        waits.append(seconds)

    with serve(handler=SlowPlease) as (base, _):
        resumed = State(tmp_path / "resumed.sqlite")                # a run interrupted after reading robots.txt
        resumed.put_robots(base.split("://")[1], "200", SlowPlease.robots.decode())
        resumed.close()
        for state_file in ("fresh.sqlite", "resumed.sqlite"):
            logs: list[str] = []
            out = run([Target("U1", f"{base}/index.html")], State(tmp_path / state_file),
                      Limits(delay=0, timeout=2, max_crawl_delay=30), Options(depth=1), CHECKED,
                      log=logs.append, sleep=recording_sleep)
            assert out.rows["status"].tolist() == ["200", "200"]
            assert any("Crawl-delay" in line and "100000" in line and "按 30 秒" in line for line in logs)
    assert waits and max(waits) <= 30


@pytest.mark.parametrize("path", ["/broken-redirect/", "/control-redirect/"])
def test_a_malformed_redirect_records_the_answer_not_a_dead_site(tmp_path, hostile, path):
    out, logs = _crawl(tmp_path, hostile, path)
    assert out.rows[["kind", "status"]].values.tolist() == [["home", "302"]]
    assert any("跳转到无效地址" in line for line in logs)
    assert not any("\x7f" in line for line in logs)                # the server's bytes are not printed raw

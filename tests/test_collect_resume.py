"""An interrupted collect resumes from its SQLite state without refetching what it already has."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from collect_site import Site, serve
from scoring.cli.collect import collect
from scoring.collect.state import State

ROOT = Path(__file__).resolve().parents[1]
N = 30          # pages linked from home; page i links to a dead page
BLOCK_AT = 15   # the server holds this page until the first run is killed
OPTS = ["--delay", "0", "--timeout", "5", "--concurrency", "1", "--per-host", "1", "--as-of", "2026-11-20",
        "--no-progress"]


def chain_site(site: Site, release: threading.Event, blocked: threading.Event):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *a):
            pass

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            with site.lock:
                site.log.append((self.command, self.path))
            if self.path == f"/p/{BLOCK_AT}.html":
                blocked.set()
                release.wait(20)
            if self.path == "/":
                body = "".join(f'<a href="/p/{i}.html">第{i}页</a>' for i in range(N))
            elif self.path.startswith("/p/"):
                i = int(self.path.split("/")[-1].split(".")[0])
                body = f'<a href="/dead/{i}.html">失效</a><a href="/">首页</a>'
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = f"<html><body>{body}</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    return H


def _units(tmp_path: Path, base: str) -> Path:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "units.csv").write_text(f"unit_id,name,kind,site_url\nU1,某局,市直部门,{base}/\n", encoding="utf-8")
    return ev


def test_collect_killed_half_way_resumes_and_fetches_only_the_rest(tmp_path):
    site, release, blocked = Site(), threading.Event(), threading.Event()
    with serve(site, chain_site(site, release, blocked)) as (base, _):
        ev = _units(tmp_path, base)
        out, state = tmp_path / "sc.csv", tmp_path / "run.sqlite"
        args = [str(ev), "--out", str(out), "--state", str(state), *OPTS]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "scoring.collect", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert blocked.wait(30), "the first run never reached the blocking page"
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
        assert not out.exists()                       # nothing half-written
        st = State(state)
        done_before = st.fetched_urls()
        st.close()
        assert f"{base}/p/{BLOCK_AT}.html" not in done_before
        assert len(done_before) >= BLOCK_AT           # home and the pages before the blocked one

        first_run = len(site.log)
        r = CliRunner().invoke(collect, args)
        assert r.exit_code == 0, r.output
        assert "不再重复访问" in r.output
        second = [base + p for _, p in site.log[first_run:]]
        assert not set(second) & done_before          # nothing fetched twice
        assert f"{base}/p/{BLOCK_AT}.html" in second  # the rest is fetched

        # the resumed result is the same as one uninterrupted run
        fresh = tmp_path / "fresh.csv"
        r = CliRunner().invoke(collect, [str(ev), "--out", str(fresh), "--state", str(tmp_path / "f.sqlite"), *OPTS])
        assert r.exit_code == 0, r.output
    got = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert got.equals(pd.read_csv(fresh, dtype=str, encoding="utf-8-sig"))
    assert (got["status"] == "404").sum() == N


def test_state_from_another_check_date_is_refused(tmp_path):
    st = State(tmp_path / "s.sqlite")
    st.bind("2026-10-01")
    st.close()
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "units.csv").write_text("unit_id,name,kind,site_url\nU1,某局,市直部门,http://127.0.0.1:9/\n", encoding="utf-8")
    r = CliRunner().invoke(collect, [str(ev), "--state", str(tmp_path / "s.sqlite"), "--as-of", "2026-11-20"])
    assert r.exit_code == 2
    assert "2026-10-01" in r.output and "--as-of 2026-10-01" in r.output


def test_default_state_is_removed_after_a_complete_run_and_kept_dates_reused(tmp_path):
    site = Site()
    release, blocked = threading.Event(), threading.Event()
    release.set()
    with serve(site, chain_site(site, release, blocked)) as (base, _):
        ev = _units(tmp_path, base)
        r = CliRunner().invoke(collect, [str(ev), *OPTS])
        assert r.exit_code == 0, r.output
    assert (ev / "site_checks.csv").is_file()
    assert not list(ev.glob(".site_checks.csv.state.sqlite*"))

"""Benchmark: `zwgk collect` against LinkChecker on a generated local site.

    .venv/bin/python bench/collect_bench.py [--pages 2000] [--dead 0.05] [--concurrency 8]

Generates a static site of ``--pages`` pages (plus a home page and section pages) where about
``--dead`` of the pages carry a link to a missing page, serves it on 127.0.0.1 from a separate
process, runs both tools one after the other at the same concurrency with rate limits off
(zwgk: ``--delay 0 --per-host N``; LinkChecker: ``maxrequestspersecond`` raised, which it allows
only when the server answers with a ``LinkChecker`` header, so the server sends one), and
measures wall time and peak resident memory (process tree, sampled with psutil). Both tools
must find the same number of dead links. The figures are written into docs/BENCHMARKS.md under
``## zwgk collect vs linkchecker`` (only that section is replaced).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.server
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## zwgk collect vs linkchecker"


# --------------------------------------------------------------------------- the site

def generate(root: Path, pages: int, dead_share: float, seed: int = 2026) -> int:
    """Write the site; returns the number of distinct dead URLs linked from it."""
    rnd = random.Random(seed)
    per_section = 50
    sections = (pages + per_section - 1) // per_section
    (root / "p").mkdir(parents=True)
    home = ['<a href="/s/%d.html">栏目%d</a>' % (s, s) for s in range(sections)]
    (root / "s").mkdir()
    (root / "index.html").write_text(_html("首页", home), encoding="utf-8")
    for s in range(sections):
        links = ['<a href="/p/%d.html">文章%d</a>' % (i, i)
                 for i in range(s * per_section, min(pages, (s + 1) * per_section))]
        links.append('<a href="/">返回首页</a>')
        (root / "s" / f"{s}.html").write_text(_html(f"栏目{s}", links), encoding="utf-8")
    dead = 0
    for i in range(pages):
        links = ['<a href="/p/%d.html">相关%d</a>' % (rnd.randrange(pages), k) for k in range(5)]
        links.append('<a href="/s/%d.html">所在栏目</a>' % (i // per_section))
        if rnd.random() < dead_share:
            links.append('<a href="/missing/%d.html">已删除的文章</a>' % i)
            dead += 1
        (root / "p" / f"{i}.html").write_text(_html(f"文章{i}", links, body="正文" * 200), encoding="utf-8")
    return dead


def _html(title: str, links: list[str], body: str = "") -> str:
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<h1>{title}</h1><p>{body}</p><ul>' + "".join(f"<li>{a}</li>" for a in links) + "</ul></body></html>")


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # headers and body go out in two writes: without TCP_NODELAY every keep-alive
        # response waits for the client's delayed ACK (~40 ms) and the server is the bottleneck
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def end_headers(self):
        self.send_header("LinkChecker", "benchmark")  # lets LinkChecker go above 10 requests/s
        super().end_headers()

    def log_message(self, *a):
        pass


def serve_forever(directory: str, port: int) -> None:
    handler = lambda *a, **k: _Handler(*a, directory=directory, **k)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    srv.serve_forever()


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


# --------------------------------------------------------------------------- measuring

def measure(cmd: list[str], stdout: Path | None = None, **kw) -> tuple[float, int, int]:
    """(wall seconds, peak RSS of the process tree in bytes, exit code)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, **kw)
    ps = psutil.Process(proc.pid)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            try:
                rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
                peak = max(peak, rss)
            except psutil.Error:
                pass
            stop.wait(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    if stdout:
        out.close()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-3000:])
    return wall, peak, proc.returncode


def zwgk_dead(csv_path: Path) -> int:
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = {r["url"] for r in rows if not (r["status"].isdigit() and 200 <= int(r["status"]) < 400)}
    return len(bad)


def linkchecker_dead(csv_path: Path) -> int:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    return len({r["url"] for r in rows if r.get("valid", "").strip().lower() in ("false", "0")})


# --------------------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--dead", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--serve", nargs=2, metavar=("DIR", "PORT"), help=argparse.SUPPRESS)
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    a = ap.parse_args()
    if a.serve:
        serve_forever(a.serve[0], int(a.serve[1]))
        return

    tmp = Path(tempfile.mkdtemp(prefix="zwgk-bench-"))
    try:
        site = tmp / "site"
        dead = generate(site, a.pages, a.dead)
        port = free_port()
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(site), str(port)])
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        try:
            ev = tmp / "ev"
            ev.mkdir()
            (ev / "units.csv").write_text(f"unit_id,name,kind,site_url\nBENCH,基准站点,县区政府,{base}\n",
                                          encoding="utf-8")
            bindir = Path(sys.executable).parent
            c = a.concurrency
            zout = tmp / "zwgk.csv"
            zcmd = [str(bindir / "zwgk"), "collect", str(ev), "--out", str(zout), "--state", str(tmp / "z.sqlite"),
                    "--depth", "100", "--max-pages", str(a.pages * 2), "--concurrency", str(c), "--per-host", str(c),
                    "--delay", "0", "--timeout", "15", "--no-progress", "--as-of", dt.date.today().isoformat()]
            if not (bindir / "zwgk").exists():
                zcmd = [sys.executable, "-m", "scoring.collect", *zcmd[2:]]
            z_wall, z_mem, z_rc = measure(zcmd, cwd=ROOT)

            rc = tmp / "linkcheckerrc"
            rc.write_text("[checking]\nmaxrequestspersecond=100000\nthreads=%d\n" % c, encoding="utf-8")
            lout = tmp / "lc.csv"
            # LinkChecker drops root privileges to "nobody": its config must be readable and its
            # output is taken from stdout (written by this process)
            os.chmod(tmp, 0o755)
            os.chmod(rc, 0o644)
            lcmd = [str(bindir / "linkchecker"), "-f", str(rc), "--threads", str(c), "--no-status",
                    "-o", "csv", base]
            l_wall, l_mem, l_rc = measure(lcmd, stdout=lout, cwd=tmp, env={**os.environ, "HOME": str(tmp)})
        finally:
            server.terminate()
            server.wait(10)

        zd, ld = zwgk_dead(zout), linkchecker_dead(lout)
        with open(zout, encoding="utf-8-sig") as fh:
            z_rows = sum(1 for _ in fh) - 1
        ratio = l_wall / z_wall if z_wall else float("nan")
        print(f"site: {a.pages} pages (+{(a.pages + 49) // 50} sections + home), {dead} dead links generated")
        print(f"zwgk collect : {z_wall:7.2f} s, peak RSS {z_mem / 2**20:6.1f} MiB, dead links {zd}, rows {z_rows}, exit {z_rc}")
        print(f"linkchecker  : {l_wall:7.2f} s, peak RSS {l_mem / 2**20:6.1f} MiB, dead links {ld}, exit {l_rc}")
        print(f"linkchecker / zwgk wall time: {ratio:.2f}x; dead-link counts {'agree' if zd == ld == dead else 'DISAGREE'}")
        if not a.no_write:
            write_section(a, dead, z_wall, z_mem, zd, l_wall, l_mem, ld, ratio)
        if not (zd == ld == dead):
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_section(a, dead, z_wall, z_mem, zd, l_wall, l_mem, ld, ratio) -> None:
    import importlib.metadata as md

    path = ROOT / "docs" / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lc_version = md.version("LinkChecker")
    body = f"""{SECTION}

Run with `.venv/bin/python bench/collect_bench.py --pages {a.pages} --concurrency {a.concurrency}` on
{dt.date.today().isoformat()} ({platform.python_implementation()} {platform.python_version()}, {platform.machine()},
{os.cpu_count()} CPUs). A generated site of {a.pages} article pages, {(a.pages + 49) // 50} section pages and a home page;
{dead} pages (about {a.dead:.0%}) link to a missing page. Served on 127.0.0.1 by a threaded `http.server` in its own
process (HTTP/1.1 keep-alive). Both tools at {a.concurrency} concurrent requests, rate limits off (zwgk `--delay 0
--per-host {a.concurrency}`; LinkChecker {lc_version} `--threads {a.concurrency}`, `maxrequestspersecond=100000`).
Peak memory is the resident set of the tool's process tree, sampled every 20 ms.

| tool | wall time | peak memory | dead links found |
|---|---:|---:|---:|
| zwgk collect | {z_wall:.2f} s | {z_mem / 2**20:.1f} MiB | {zd} |
| linkchecker | {l_wall:.2f} s | {l_mem / 2**20:.1f} MiB | {ld} |

LinkChecker / zwgk wall time: **{ratio:.2f}×**. Dead links generated: {dead}; the two tools
{'agree' if zd == ld == dead else 'DO NOT agree'}.

Why zwgk is not clearly faster here (profile, cProfile of `zwgk collect` on a 1,000-page copy of
this site): the run is CPU-bound on both sides of a small machine. zwgk spends about 60% of its
wall time on CPU, most of it in httpx/httpcore's per-request machinery (connection-pool
bookkeeping, anyio stream wrappers), then `html.parser` and URL normalisation; SQLite state
writes are under 3%. The fixture server is one Python process competing for the same CPUs, and
it bounds both tools at a few hundred requests per second, so repeated runs land between about
0.7× and 1.1×. Two fixes went in while profiling: installing `sniffio` (without it httpcore
re-attempts a failed import on every request, a third of the CPU time), and `TCP_NODELAY` on the
benchmark server (without it every keep-alive answer waited for a delayed ACK). Peak memory is
higher for zwgk because it imports pandas for the evidence loader (about 60 MiB before the
first request). Run on a machine with more cores, or against a faster server, to compare the
clients rather than the server.
"""
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[nxt:] if nxt != -1 else "")
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    main()

"""A fixture website for the `zwgk collect` tests, served for real on 127.0.0.1.

Not a test module: ``test_collect_*.py`` start it with :func:`serve`. Every request is logged
(method, path), so a test can say what the collector asked for.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE_BYTES = 2 * 1024 * 1024  # served without Content-Length; tests cap pages at 1 MB

HOME = """<!doctype html><html><head><meta charset="utf-8"><title>某县政府信息公开</title></head><body>
<a href="gzdt/">工作动态</a>
<a href="tzgg/">通知公告</a>
<a href="about.html">机构概况</a>
<a href="about.html#top">机构概况（页内）</a>
<a href="old">旧版栏目</a>
<a href="loop-a">循环跳转</a>
<a href="slow.html">很慢的页面</a>
<a href="busy.html">繁忙的页面</a>
<a href="/private/secret.html">内部页面</a>
<a href="huge.html">超大页面</a>
<a href="/files/report.pdf">年度报告（PDF）</a>
<a href="/files/nohead.pdf">不支持 HEAD 的附件</a>
<a href="{refused}">已关闭的外部网站</a>
<a href="mailto:gk@example.gov.cn">信箱</a>
<a href="javascript:void(0)">脚本</a>
</body></html>"""

GZDT = """<html><head><meta charset="utf-8"></head><body><ul>
<li><a href="../about.html">关于召开全县政务公开工作会议的通知</a><span>2026-11-03</span></li>
<li><a href="../about.html">县长调研乡村振兴</a><span>2026年10月28日</span></li>
<li><a href="../about.html">政务公开培训</a><span>2026/10/1</span></li>
<li>活动预告 2026-12-31</li>
</ul></body></html>"""

TZGG_GBK = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<h1>通知公告</h1>
<ul><li>关于征求意见的公告 2026年5月6日</li><li>关于停水的通知 2026年4月30日</li></ul>
<a href="../zcwj/">政策文件</a>
<a href="../dead404.html">失效的通知</a>
</body></html>"""

ZCWJ = """<html><head><meta charset="utf-8"></head><body><p>暂无新文件</p>
<p>县政府办公室 2025.12.30 印发</p></body></html>"""

ABOUT = """<html><head><meta charset="utf-8"></head><body>
<a href="dead404.html">已删除的页面</a>
<a href="gone.html">已撤下的页面</a>
<a href="./">返回首页</a>
</body></html>"""

NEW = "<html><body><p>新版栏目</p></body></html>"


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Site:
    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.busy_seen = 0
        self.refused_url = f"http://127.0.0.1:{closed_port()}/index.html"

    def requested(self, method: str | None = None) -> list[str]:
        with self.lock:
            return [p for m, p in self.log if method is None or m == method]


def _handler(site: Site):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *a):  # quiet
            pass

        def _send(self, code: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                  headers: dict | None = None, length: bool = True) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            path = self.path
            with site.lock:
                site.log.append((self.command, path))
            html = lambda s: s.encode("utf-8")  # noqa: E731
            if path == "/robots.txt":
                return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if path == "/zwgk/":
                return self._send(200, html(HOME.format(refused=site.refused_url)))
            if path == "/zwgk/gzdt/":
                return self._send(200, html(GZDT))
            if path == "/zwgk/tzgg/":
                # charset only in <meta>, header without it: must be read as GBK
                return self._send(200, TZGG_GBK.encode("gbk"), "text/html")
            if path == "/zwgk/zcwj/":
                return self._send(200, html(ZCWJ))
            if path == "/zwgk/about.html":
                return self._send(200, html(ABOUT))
            if path == "/zwgk/gone.html":
                return self._send(410, b"gone")
            if path == "/zwgk/old":
                return self._send(301, b"", headers={"Location": "/zwgk/old2"})
            if path == "/zwgk/old2":
                return self._send(302, b"", headers={"Location": "new.html"})
            if path == "/zwgk/new.html":
                return self._send(200, html(NEW))
            if path == "/zwgk/loop-a":
                return self._send(302, b"", headers={"Location": "/zwgk/loop-b"})
            if path == "/zwgk/loop-b":
                return self._send(302, b"", headers={"Location": "/zwgk/loop-a"})
            if path == "/zwgk/slow.html":
                time.sleep(1.5)
                return self._send(200, html(NEW))
            if path == "/zwgk/busy.html":
                with site.lock:
                    site.busy_seen += 1
                    first = site.busy_seen == 1
                if first:
                    return self._send(429, b"busy", headers={"Retry-After": "1"})
                return self._send(200, html(NEW))
            if path == "/zwgk/huge.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                try:
                    chunk = b"<p>" + b"x" * 65530 + b"</p>"
                    for _ in range(HUGE_BYTES // len(chunk) + 1):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            if path == "/files/report.pdf":
                return self._send(200, b"%PDF-1.4 fake", "application/pdf")
            if path == "/files/nohead.pdf":
                if self.command == "HEAD":
                    return self._send(405, b"")
                return self._send(200, b"%PDF-1.4 fake", "application/pdf")
            if path.startswith("/private/"):
                return self._send(200, html(NEW))
            return self._send(404, b"not found")

    return H


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that gave up is not an error here
        pass


@contextmanager
def serve(site: Site | None = None, handler=None):
    """Serve the fixture site (or a given handler class) on 127.0.0.1; yields (base_url, site)."""
    site = site or Site()
    srv = _Server(("127.0.0.1", 0), handler or _handler(site))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", site
    finally:
        srv.shutdown()
        srv.server_close()

"""Two fixture government sites for the website content checks (page_checks), served on 127.0.0.1.

Not a test module. ``/a/`` (unit W1) carries every mark but the police record, a working GET
search, a fresh home page, a 严重 error inside a script (not visible text), a correct longer
word containing a wrong form (按排名) and one 错别字 (布署) in body text. ``/b/`` (unit W2) carries
only the police record and a SiteIDCode that differs from its evidence, a search that answers
500, a home page last updated on 2026-10-01, and a 严重 error (二十次三中全会) in body text.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

A_HOME = """<!doctype html><html><head><meta charset="utf-8"><title>甲县人民政府</title>
<script>var banner = "台湾总统";</script><style>.x:after{content:"二十次三中全会"}</style></head><body>
<form action="/a/search" method="get"><input type="hidden" name="site" value="a"><input name="q"></form>
<ul><li><a href="notice.html">关于评估结果的通知</a> 2026-11-15</li><li><a href="rank.html">评估排名</a> 2026-10-20</li></ul>
<div class="footer" title="台湾政府">网站标识码：3401000001 <a href="beian.html">皖ICP备12345678号</a>
<img src="https://dcs.conac.cn/image/red.png" alt="党政机关"></div>
</body></html>"""

A_NOTICE = """<html><head><meta charset="utf-8"></head><body>
<p>县政府统一布署，各乡镇抓好落实。</p></body></html>"""

A_RANK = """<html><head><meta charset="utf-8"></head><body><p>按排名先后公布评估结果。</p></body></html>"""

B_HOME = """<!doctype html><html><head><meta charset="utf-8"><meta name="SiteIDCode" content="3402000002">
<title>乙县人民政府</title></head><body>
<form action="search.html" method="get"><input type="text" name="keyword"><input type="submit"></form>
<ul><li><a href="news.html">学习会议精神</a> 2026-10-01</li></ul>
<p>皖公网安备 34010202000001号</p>
</body></html>"""

B_NEWS = """<html><head><meta charset="utf-8"></head><body>
<p>全县干部深入学习党的二十次三中全会精神。</p></body></html>"""

PAGES = {"/a/": A_HOME, "/a/notice.html": A_NOTICE, "/a/rank.html": A_RANK, "/a/beian.html": "<p>备案</p>",
         "/b/": B_HOME, "/b/news.html": B_NEWS}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *a):  # quiet
        pass

    def _send(self, code: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/robots.txt":
            return self._send(404, "")
        if path == "/a/search" and "q=" in query:
            return self._send(200, "<html><body><p>检索结果：甲县人民政府</p></body></html>")
        if path == "/b/search.html":
            return self._send(500, "error")
        if path in PAGES:
            return self._send(200, PAGES[path])
        return self._send(404, "not found")

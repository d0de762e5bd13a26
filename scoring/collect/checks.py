"""The ``page_checks`` rows of one unit: identity marks, search, home page date, wrong expressions.

What each check reads (all from pages already fetched by the crawl, except the one search query):

- ``site_code``: 网站标识码 in the home page's visible text (``网站标识码：3401000001``) or its
  ``<meta name="SiteIDCode">``; when the unit's evidence gives ``site_code``, they must match;
- ``icp`` (``皖ICP备12345678号``), ``police_record`` (``皖公网安备 34010202000001号``): in the home
  page's visible text;
- ``conac``: an image, link or script of the conac registry (``*.conac.cn``), or its placeholder
  ``id="_ideConac"``, on the home page (never run, only seen);
- ``search``: a form on the home page with a text field; a GET form is submitted once with the
  unit's name, and the answer must be an HTML page (2xx). A POST form is not submitted;
- ``home_updated``: the newest date written on the home page, not later than the check date;
- ``text_error``: each lexicon entry found in the visible text of a same-site page (first
  occurrence per page and entry).

``result``: ok / missing / found (text_error) / error (a code that does not match, a search that
fails, a home page that did not open).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlencode, urlsplit, urlunsplit

from scoring.collect.page import ParsedPage
from scoring.collect.state import PageResult
from scoring.collect.urls import normalize
from scoring.lexicon import Entry, scan

COLUMNS = ["unit_id", "url", "check", "result", "detail", "context", "checked_on"]
MARKS = ("site_code", "icp", "police_record", "conac")

_SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{6,20})")
_ICP = re.compile(r"[\u4e00-\u9fff]\s*ICP\s*备\s*\d{4,}\s*号(?:\s*-\s*\d+)?", re.I)
_POLICE = re.compile(r"[\u4e00-\u9fff]\s*公网安备\s*\d{6,}\s*号?")


def page_info(parsed: ParsedPage, base: str) -> dict:
    """What the content checks need of a parsed page (stored with it in the run's state)."""
    forms = []
    for f in parsed.forms:
        action = normalize(f.action, base) if f.action.strip() else normalize(base)
        if action is not None:
            forms.append({"action": action, "method": f.method, "field": f.field, "hidden": f.hidden})
    return {"text": "".join(parsed.text), "site_id_meta": parsed.site_id_meta, "conac": parsed.conac,
            "forms": forms}


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def search_query(info: dict, unit_name: str) -> str | None:
    """The URL of a search for the unit's name on the home page's first GET search form; None otherwise."""
    forms = [f for f in info.get("forms", []) if f["method"] == "get"]
    if not forms:
        return None
    f = forms[0]
    parts = urlsplit(f["action"])
    query = urlencode([(k, v) for k, v in f["hidden"]] + [(f["field"], unit_name)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


class UnitChecks:
    """Builds one unit's rows; every row names the page it was seen on."""

    def __init__(self, unit_id: str, checked_on: dt.date):
        self.unit_id = unit_id
        self.checked_on = checked_on.isoformat()
        self.rows: list[dict] = []

    def add(self, url: str, check: str, result: str, detail: str | None = None, context: str | None = None):
        self.rows.append({"unit_id": self.unit_id, "url": url, "check": check, "result": result,
                          "detail": detail, "context": context, "checked_on": self.checked_on})

    def home_failed(self, home: str, res: PageResult) -> None:
        why = f"首页不是网页（{res.status}）" if res.ok else f"首页无法打开（{res.status}）"
        for c in (*MARKS, "search", "home_updated"):
            self.add(home, c, "error", why)

    def marks(self, home: str, res: PageResult, site_code: str | None) -> None:
        info = res.info
        text = _nfkc(info.get("text", ""))
        m = _SITE_CODE.search(text)
        code = (info.get("site_id_meta") or "").strip() or (m.group(1) if m else "")
        if not code:
            self.add(home, "site_code", "missing")
        elif site_code and code != site_code.strip():
            self.add(home, "site_code", "error", f"页面上为 {code}，底稿中为 {site_code.strip()}")
        else:
            self.add(home, "site_code", "ok", code)
        for check, rx in (("icp", _ICP), ("police_record", _POLICE)):
            m = rx.search(text)
            self.add(home, check, "ok" if m else "missing", " ".join(m.group(0).split()) if m else None)
        conac = info.get("conac")
        self.add(home, "conac", "ok" if conac else "missing", conac or None)

    def home_updated(self, home: str, res: PageResult) -> None:
        past = [d for d in res.dates if d <= self.checked_on]
        self.add(home, "home_updated", "ok" if past else "missing", max(past) if past else None)

    def search(self, home: str, query: str | None, res: PageResult | None, has_form: bool) -> None:
        if not has_form:
            self.add(home, "search", "missing")
        elif query is None:
            self.add(home, "search", "ok", "检索表单以 POST 提交，未自动检索")
        elif res is None:
            self.add(query, "search", "error", "robots.txt 不允许访问检索结果页")
        elif not (res.ok and res.is_html):
            self.add(query, "search", "error", f"检索结果页无法打开（{res.status}）")
        else:
            self.add(query, "search", "ok")

    def text_errors(self, url: str, res: PageResult, lexicon: list[Entry]) -> None:
        for h in scan(res.info.get("text", ""), lexicon):
            self.add(url, "text_error", "found", h.entry.label, h.context)

"""What a fetched HTML page holds: its text decoded, its links, the dates listed on it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from scoring.evidence.charset import decode_html

#: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 (not inside a longer number)
_DATE = re.compile(r"(?<!\d)(19\d\d|20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")


def decode(body: bytes, content_type: str | None) -> str:
    """Decode a page: :func:`scoring.evidence.charset.decode_html` (declared charset, else UTF-8, else GB18030)."""
    return decode_html(body, content_type)


@dataclass
class SearchForm:
    """A site search form: where it goes, how, its text field and hidden fields (as written)."""
    action: str
    method: str
    field: str
    hidden: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedPage:
    #: (href as written, anchor text), in document order
    links: list[tuple[str, str]] = field(default_factory=list)
    base: str | None = None
    #: visible text pieces (no script, style or attribute); "\n" between blocks
    text: list[str] = field(default_factory=list)
    #: content of <meta name="SiteIDCode">
    site_id_meta: str | None = None
    #: an image, link or script of the conac registry (党政机关网站标识), or its placeholder
    conac: str | None = None
    #: forms with a text field (the first is the site search)
    forms: list[SearchForm] = field(default_factory=list)


class _Parser(HTMLParser):
    _LINK_ATTRS = {"a": "href", "area": "href", "iframe": "src", "frame": "src"}
    _BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "ul", "ol", "table", "footer", "header", "form", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._anchor: list[str] | None = None
        self._href: str | None = None
        self._skip = 0
        self._form: SearchForm | None = None

    def _marks(self, tag: str, attrs: dict) -> None:
        """The attributes the identity checks read: SiteIDCode, the conac mark, search forms."""
        if tag == "meta" and (attrs.get("name") or "").lower() == "siteidcode" and self.page.site_id_meta is None:
            self.page.site_id_meta = (attrs.get("content") or "").strip()
        if self.page.conac is None:
            for a in ("src", "href"):
                v = attrs.get(a) or ""
                if "conac.cn" in v.lower():
                    self.page.conac = v
            if attrs.get("id") == "_ideConac":
                self.page.conac = "_ideConac"
        if tag == "form":
            self._form = SearchForm(attrs.get("action") or "", (attrs.get("method") or "get").lower(), "")
        elif tag == "input" and self._form is not None:
            kind = (attrs.get("type") or "text").lower()
            name = attrs.get("name") or ""
            if kind in ("text", "search") and name and not self._form.field:
                self._form.field = name
            elif kind == "hidden" and name:
                self._form.hidden.append((name, attrs.get("value") or ""))

    def handle_starttag(self, tag, attrs):
        self._marks(tag, {k: v for k, v in attrs if isinstance(k, str)})
        if tag in ("script", "style"):
            self._skip += 1
            return
        if tag in self._BLOCK:
            self.page.text.append("\n")
        if tag == "base" and self.page.base is None:
            self.page.base = dict(attrs).get("href")
            return
        attr = self._LINK_ATTRS.get(tag)
        if attr is None:
            return
        href = dict(attrs).get(attr)
        if not href:
            return
        if tag == "a":
            self._finish_anchor()
            self._anchor, self._href = [], href
        else:
            self.page.links.append((href, ""))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "a":
            self._finish_anchor()
        elif tag == "form" and self._form is not None:
            if self._form.field:
                self.page.forms.append(self._form)
            self._form = None
        if tag in self._BLOCK:
            self.page.text.append("\n")

    def handle_data(self, data):
        if self._skip or self.cdata_elem:
            return
        self.page.text.append(data)
        if self._anchor is not None:
            self._anchor.append(data)

    def _finish_anchor(self):
        if self._href is not None:
            self.page.links.append((self._href, " ".join("".join(self._anchor or []).split())))
        self._anchor, self._href = None, None

    def close(self):
        super().close()
        self._finish_anchor()


def parse(html: str) -> ParsedPage:
    p = _Parser()
    try:
        p.feed(html)
        p.close()
    except Exception:  # noqa: BLE001 - a broken page still yields the links read so far
        p._finish_anchor()
    return p.page


def dates_in(text: str) -> list[dt.date]:
    """Every valid calendar date written in the text, sorted, unique."""
    out = set()
    for y, m, d in _DATE.findall(text):
        try:
            out.add(dt.date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return sorted(out)

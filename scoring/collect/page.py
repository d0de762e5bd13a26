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
class ParsedPage:
    #: (href as written, anchor text), in document order
    links: list[tuple[str, str]] = field(default_factory=list)
    base: str | None = None
    text: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    _LINK_ATTRS = {"a": "href", "area": "href", "iframe": "src", "frame": "src"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._anchor: list[str] | None = None
        self._href: str | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
            return
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

    def handle_data(self, data):
        if self._skip:
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

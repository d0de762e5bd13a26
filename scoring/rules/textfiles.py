"""Reading an interpretation's text file (.txt, .html, .docx) as plain text.

Text from evidence is data: HTML is reduced to its visible text (tags stripped,
entities decoded, script/style dropped) and never rendered or evaluated.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

from scoring.evidence.charset import CharsetError, decode_text

SUPPORTED = (".txt", ".html", ".htm", ".docx")


class UnreadableText(Exception):
    """A file that could not be read as text; the message is Chinese."""


def _decode(data: bytes) -> str:
    # the evidence decoder: a BOM, else UTF-8, else GB18030 -- never a file with both mixed
    try:
        return decode_text(data)
    except CharsetError as exc:
        raise UnreadableText(f"文件编码无法识别（应为 UTF-8 或 GB18030）：{exc}") from None


class _TextOnly(HTMLParser):
    _SKIP = {"script", "style", "head", "title", "noscript", "template"}
    _BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(source: str) -> str:
    parser = _TextOnly()
    parser.feed(source)
    parser.close()
    return html.unescape("".join(parser.parts))


def docx_text(path: Path) -> str:
    import docx  # python-docx

    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise UnreadableText(f"不是有效的 .docx 文件（{type(exc).__name__}）") from exc
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def read_text(path: str | Path) -> str:
    """The plain text of a .txt, .html/.htm or .docx file; raises UnreadableText."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableText(f"不支持的正文文件格式「{p.suffix or '无扩展名'}」，应为 .txt、.html 或 .docx")
    if suffix == ".docx":
        return docx_text(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableText(f"无法读取（{exc.strerror or exc}）") from exc
    text = _decode(data)
    return html_text(text) if suffix in (".html", ".htm") else text

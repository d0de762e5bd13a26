"""A published annual report as a flat sequence of text lines and table grids.

Every source format (saved HTML page, ``.docx``, PDF, legacy ``.doc``/``.wps``) is turned
into the same :class:`Document`: the text lines in reading order, each tagged
with the innermost table it sits in (so layout tables can be told apart from
the report's own tables later), and every table expanded into a rectangular
grid of cell texts, rowspan/colspan copied into every position they cover.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from scoring.evidence.charset import decode_html  # noqa: F401 - also imported from here (attachments)

_MAX_SPAN = 200
#: bounds of one expanded table (an annual report's tables have about 30 rows and 10 columns);
#: rowspan x colspan could otherwise make a 42 KB page hold gigabytes
MAX_GRID_ROWS = 2000
MAX_GRID_COLS = 200
MAX_GRID_CELLS = 200_000
#: all tables of one document together, and how deep tables may nest
MAX_DOC_CELLS = 1_000_000
MAX_NESTING = 50


class SourceError(Exception):
    """The file could not be read as a report page (Chinese message)."""


@dataclass
class Grid:
    """One table, expanded: rows x columns of cell texts."""

    rows: list[list[str]]
    #: position of the table in the document's line sequence
    at: int
    #: 1-based number of the table in the document, for messages
    number: int


@dataclass
class Line:
    text: str
    #: number of the innermost table holding this line (None: outside every table)
    table: int | None


@dataclass
class Document:
    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    title: str = ""
    #: <meta name=...> values, names lower-cased
    meta: dict[str, str] = field(default_factory=dict)
    canonical_url: str | None = None
    kind: str = "html"


# ---------------------------------------------------------------------------
# grids


def too_large(number: int, what: str) -> SourceError:
    return SourceError(f"第{number}个表格过大（{what}），不是年度报告的表格，未提取；"
                       f"一个表格至多 {MAX_GRID_ROWS} 行、{MAX_GRID_COLS} 列、{MAX_GRID_CELLS} 格")


def expand(rows: list[list[tuple[str, int, int]]], number: int = 1) -> list[list[str]]:
    """(text, rowspan, colspan) cells per row -> rectangular grid (spans copied, short rows padded right).

    Raises SourceError naming table ``number`` when the grid would exceed the
    MAX_GRID_* bounds (checked before anything is copied).
    """
    grid: dict[tuple[int, int], str] = {}
    width = 0
    height = len(rows)
    if height > MAX_GRID_ROWS:
        raise too_large(number, f"{height} 行")
    for r, cells in enumerate(rows):
        c = 0
        for text, rs, cs in cells:
            while (r, c) in grid:
                c += 1
            if r + rs > MAX_GRID_ROWS or c + cs > MAX_GRID_COLS:
                raise too_large(number, f"第{r + 1}行的单元格合并 {rs} 行 × {cs} 列，超出范围")
            height, width = max(height, r + rs), max(width, c + cs)
            if len(grid) + rs * cs > MAX_GRID_CELLS or height * width > MAX_GRID_CELLS:
                raise too_large(number, f"展开后超过 {MAX_GRID_CELLS} 格")
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), text)
            c += cs
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def _span(value: str | None) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), _MAX_SPAN)


class _Table:
    def __init__(self, number: int, at: int) -> None:
        self.number = number
        self.at = at
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list[str] | None = None
        self.spans = (1, 1)
        self.row_open = False

    def start_row(self) -> None:
        self.end_cell()
        self.rows.append([])
        self.row_open = True

    def end_row(self) -> None:
        self.end_cell()
        self.row_open = False

    def start_cell(self, rowspan: int, colspan: int) -> None:
        self.end_cell()
        if not self.row_open:
            self.start_row()
        self.cell = []
        self.spans = (rowspan, colspan)

    def end_cell(self) -> None:
        if self.cell is not None:
            self.rows[-1].append(("".join(self.cell), *self.spans))
            self.cell = None


_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
          "section", "article", "ul", "ol", "dd", "dt", "dl", "title", "caption", "center", "blockquote"}


class _HtmlReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.stack: list[_Table] = []
        self.line: list[str] = []
        self.skip = 0
        self.in_title = False
        self.count = 0
        self.cells = 0

    # text stream
    def _flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        if text.strip():
            self.doc.lines.append(Line(text, self.stack[-1].number if self.stack else None))

    def _break(self) -> None:
        self._flush()
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell.append("\n")

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("script", "style", "noscript"):
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
        if tag == "meta":
            name = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if name and "content" in a:
                self.doc.meta.setdefault(name, a["content"])
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.doc.canonical_url = a["href"]
            return
        if tag in _BLOCK:
            self._break()
        if tag == "table":
            self.count += 1
            if len(self.stack) >= MAX_NESTING:
                raise SourceError(f"第{self.count}个表格嵌套超过 {MAX_NESTING} 层，不是年度报告，未提取")
            self.stack.append(_Table(self.count, len(self.doc.lines)))
        elif tag == "tr" and self.stack:
            self.stack[-1].start_row()
        elif tag in ("td", "th") and self.stack:
            self.stack[-1].start_cell(_span(a.get("rowspan")), _span(a.get("colspan")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "meta", "link", "img", "hr", "input"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self._break()
        if tag == "table" and self.stack:
            t = self.stack.pop()
            t.end_row()
            self._add_grid(Grid(expand(t.rows, t.number), t.at, t.number))
        elif tag == "tr" and self.stack:
            self.stack[-1].end_row()
        elif tag in ("td", "th") and self.stack:
            self.stack[-1].end_cell()

    def _add_grid(self, grid: Grid) -> None:
        self.cells += len(grid.rows) * (len(grid.rows[0]) if grid.rows else 0)
        if self.cells > MAX_DOC_CELLS:
            raise SourceError(f"页面中的表格过多过大（至第{grid.number}个表格共超过 {MAX_DOC_CELLS} 格），"
                              "不是年度报告，未提取")
        self.doc.grids.append(grid)

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.doc.title += data
            return
        self.line.append(data)
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell.append(data)

    def close(self):
        super().close()
        self._flush()
        while self.stack:  # unclosed tables
            self.handle_endtag("table")
        self.doc.grids.sort(key=lambda g: g.number)


def read_html(text: str) -> Document:
    reader = _HtmlReader()
    reader.feed(text)
    reader.close()
    reader.doc.title = " ".join(reader.doc.title.split())
    return reader.doc


# ---------------------------------------------------------------------------
# .docx


def read_docx(data: bytes) -> Document:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise SourceError("读取 .docx 需要 python-docx") from exc
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any failure means "not a readable .docx"
        raise SourceError(f"无法作为 .docx 文件读取：{exc}") from exc
    doc = Document(kind="docx")
    doc.title = (d.core_properties.title or "").strip()
    counter = [0]
    total = [0]   # cells of all tables so far

    def walk(parent, table_no: int | None, depth: int = 0) -> None:
        for child in parent.iter_inner_content():
            if isinstance(child, Paragraph):
                if child.text.strip():
                    doc.lines.append(Line(child.text, table_no))
            elif isinstance(child, Table):
                table(child, depth + 1)

    def table(t, depth: int) -> None:
        counter[0] += 1
        number = counter[0]
        if depth > MAX_NESTING:
            raise SourceError(f"第{number}个表格嵌套超过 {MAX_NESTING} 层，不是年度报告，未提取")
        total[0] += _check_docx_table(t, number)
        if total[0] > MAX_DOC_CELLS:
            raise SourceError(f"文件中的表格过多过大（至第{number}个表格共超过 {MAX_DOC_CELLS} 格），"
                              "不是年度报告，未提取")
        rows = [_drop_slivers(t, [c.text for c in row.cells]) for row in t.rows]
        doc.grids.append(Grid(rows, len(doc.lines), number))
        seen: set = set()  # lxml elements (hashable by identity; the set keeps them alive)
        for row in t.rows:
            for cell in row.cells:
                if cell._tc not in seen:  # a merged cell appears once per position it covers
                    seen.add(cell._tc)
                    walk(cell, number, depth)

    walk(d, None)
    doc.grids.sort(key=lambda g: g.number)
    return doc


def _check_docx_table(t, number: int) -> int:
    """The same bounds as for a web page, from the table's XML before python-docx expands its spans;
    returns the table's cells."""
    rows = t._tbl.tr_lst
    if len(rows) > MAX_GRID_ROWS:
        raise too_large(number, f"{len(rows)} 行")
    width = 0
    for r, tr in enumerate(rows, 1):
        span = sum(max(1, int(tc.grid_span or 1)) for tc in tr.tc_lst)
        if span > MAX_GRID_COLS:
            raise too_large(number, f"第{r}行合并后有 {span} 列")
        width = max(width, span)
    if len(rows) * width > MAX_GRID_CELLS:
        raise too_large(number, f"展开后超过 {MAX_GRID_CELLS} 格")
    return len(rows) * width


#: EMU; a grid column narrower than 1 mm is a rounding artefact (LibreOffice's .doc export makes them)
_SLIVER = 36000


def _drop_slivers(table, cells: list[str]) -> list[str]:
    """A row's cell texts without the positions of hair-thin grid columns.

    Such a column is only a border drawn a hair off in one row; kept, it would split the
    column below it in two (a value read twice, under two headers)."""
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst] if table._tbl.tblGrid is not None else []
    if len(widths) != len(cells):
        return cells
    return [text for text, w in zip(cells, widths) if w is None or w >= _SLIVER]


# ---------------------------------------------------------------------------
# PDF (text layer)


def read_pdf(data: bytes) -> Document:
    """A PDF's ruled tables and text layer (see :mod:`scoring.annual_report.pdf`)."""
    from scoring.annual_report.pdf import read_pdf as read

    return read(data)


def read_bytes(data: bytes, content_type: str | None = None, name: str = "") -> Document:
    """Pick the reader by content, not by name: ZIP -> .docx, %PDF -> PDF, OLE2 -> .doc/.wps, else HTML."""
    ct = (content_type or "").lower()
    if data[:4] == b"PK\x03\x04" or "wordprocessingml" in ct:
        return read_docx(data)
    if b"%PDF-" in data[:1024] or "application/pdf" in ct:  # some servers prepend junk
        return read_pdf(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # .doc / .wps: through LibreOffice
        from scoring.annual_report.legacy import to_docx

        return read_docx(to_docx(data, name))
    return read_html(decode_html(data, content_type))

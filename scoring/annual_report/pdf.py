"""A report published as PDF, read into the same :class:`Document` as an HTML page.

Only ruled tables are read — the tables of the national format as Word, WPS, LibreOffice and
browsers print them, every cell drawn with lines. pdfplumber finds the cells from those lines;
each cell's row and column span is known from the line positions, so the grid is the same
rectangle of cell texts an HTML ``<table>`` gives (a merged cell's text copied into every
position it covers, a blank cell kept blank). Nothing is inferred from text positions alone.

PDF specifics handled here, so that the extractor sees no difference from HTML:

- a table continued on the next page is one grid (same left and right edges, nothing but
  page furniture between the two parts); a repeated header row is just read again;
- a continuation part whose first row has no top rule (browsers draw none after a page
  break) is closed by a line at the top of its column rules;
- page headers and footers (page numbers, the browser's date/title/address lines) are left out;
- radical code points that some fonts map CJK characters to (Kangxi U+2F00..., and the CJK
  Radicals Supplement: ⻘ for 青, ⺠ for 民) are folded back to the ordinary characters.

A PDF without a text layer (a scan), an encrypted or a broken PDF is a :class:`SourceError`.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from scoring.annual_report.document import Document, Grid, Line, SourceError

#: a page must have at least this many visible characters for the PDF to count as having text
_MIN_TEXT_CHARS = 20
#: points: two ruling positions closer than this are the same line
_SNAP = 3.0
#: page furniture lives in the top and bottom strips of this fraction of the page height
_MARGIN = 0.09
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第?\s*\d+\s*页?(?:\s*[/共]\s*\d+\s*页?)?)[-—–\s]*$")
_RADICALS = re.compile(r"[\u2e80-\u2fdf]")
_CONTINUED = re.compile(r"^[（(]?续表?[)）]?\S{0,6}$")

NO_TEXT_LAYER = ("该 PDF 没有文字层（是扫描件或图片），无法读取其中的表格；本工具不做文字识别（OCR）。"
                 "请向发布单位索取可复制文字的 PDF、网页版或 .docx 版，或把表二、表三、表四的数字"
                 "按证据模板录入年报数据表（annual_report_cells）")


def _plumber():
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise SourceError("读取 PDF 需要 pdfplumber（pip install pdfplumber）") from exc
    # pdfminer logs a warning for every font without a bounding box: noise for the user
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return pdfplumber


#: CJK Radicals Supplement characters that stand for a whole character (Unicode's
#: EquivalentUnifiedIdeograph.txt; NFKC knows only two of them); Noto CJK maps 青 民 页 ... to these
_SUPPLEMENT = dict(zip(
    "⺠⺩⺼⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⺟⻳",
    "民王月西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙母龟"))


def fold_radicals(text: str) -> str:
    """'第⼆⼗条 ⻘川' (radical code points, as some PDF fonts map CJK characters) -> '第二十条 青川'."""
    return _RADICALS.sub(lambda m: _SUPPLEMENT.get(m.group()) or unicodedata.normalize("NFKC", m.group()), text)


# ---------------------------------------------------------------------------
# one page


@dataclass
class _Part:
    """A table found on one page: its cells as (top, bottom, left, right) plus their texts."""
    x0: float
    x1: float
    top: float
    bottom: float
    #: (top, bottom, x0, x1, text) per cell
    cells: list[tuple[float, float, float, float, str]]


@dataclass
class _Page:
    height: float
    #: ("line", top, text) and ("table", top, _Part), in reading order
    items: list[tuple[str, float, object]] = field(default_factory=list)
    chars: int = 0
    images: int = 0


def _rule_blocks(page) -> list[tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) of every block of overlapping column rules: one table, or tables stacked without a gap."""
    verticals = sorted((e for e in page.edges if e["orientation"] == "v" and e["height"] >= 3),
                       key=lambda e: e["top"])
    blocks: list[list[float]] = []  # [top, bottom, x0, x1, count]
    for e in verticals:
        if blocks and e["top"] <= blocks[-1][1] + 1:
            b = blocks[-1]
            b[1], b[2], b[3], b[4] = max(b[1], e["bottom"]), min(b[2], e["x0"]), max(b[3], e["x1"]), b[4] + 1
        else:
            blocks.append([e["top"], e["bottom"], e["x0"], e["x1"], 1])
    return [(x0, top, x1, bottom) for top, bottom, x0, x1, n in blocks if n >= 3 and x1 - x0 >= 10]


def _find_tables(page) -> list:
    """pdfplumber's ruled tables, block by block.

    Each block is searched on its own, so that the rules of one table are never snapped to
    those of another; and it is closed by a line at the top and bottom of its column rules — a
    table continued from the previous page often has no rule above its first row, and without
    one pdfplumber would drop that row (a line where a rule already exists changes nothing).
    """
    found = []
    for x0, top, x1, bottom in _rule_blocks(page):
        region = page.crop((max(x0 - 2, page.bbox[0]), max(top - 2, page.bbox[1]),
                            min(x1 + 2, page.bbox[2]), min(bottom + 2, page.bbox[3])))
        lines = [{"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
                 for y in (top, bottom)]
        found += region.find_tables({"explicit_horizontal_lines": lines})
    return found


def _cell_texts(cells: list[tuple], chars: list[dict], extract_text) -> list[str]:
    """The text of every cell (x0, top, x1, bottom): each character goes to the cell holding its centre."""
    xs = _snap(sorted(x for c in cells for x in (c[0], c[2])))
    ys = _snap(sorted(y for c in cells for y in (c[1], c[3])))
    at: dict[tuple[int, int], int] = {}
    for k, (x0, top, x1, bottom) in enumerate(cells):
        for r in range(_index(ys, top), _index(ys, bottom)):
            for c in range(_index(xs, x0), _index(xs, x1)):
                at[(r, c)] = k
    found: list[list[dict]] = [[] for _ in cells]
    for ch in chars:
        r = bisect.bisect_right(ys, (ch["top"] + ch["bottom"]) / 2) - 1
        c = bisect.bisect_right(xs, (ch["x0"] + ch["x1"]) / 2) - 1
        k = at.get((r, c))
        if k is not None:
            found[k].append(ch)
    return [fold_radicals(extract_text(f, x_tolerance=1.5, y_tolerance=3)) if f else "" for f in found]


def _read_page(page, extract_text) -> _Page:
    out = _Page(height=float(page.height), images=len(page.images))
    chars = [c for c in page.chars if c["text"].strip()]
    out.chars = len(chars)
    if not chars:
        return out
    tables = _find_tables(page)
    boxes = []
    for t in tables:
        cells = [tuple(c) for c in t.cells]
        if len(cells) < 2:
            continue
        x0, top, x1, bottom = t.bbox
        inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        texts = _cell_texts(cells, inside, extract_text)
        part = _Part(x0, x1, top, bottom, [(c[1], c[3], c[0], c[2], s) for c, s in zip(cells, texts)])
        out.items.append(("table", top, part))
        boxes.append(t.bbox)

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    free = page.filter(outside) if boxes else page
    # y_tolerance 5: digits in a Latin face sit a few points off the CJK characters of their line
    for ln in free.extract_text_lines(layout=False, strip=True, return_chars=False, x_tolerance=1.5, y_tolerance=5):
        if ln["text"].strip():
            out.items.append(("line", ln["top"], fold_radicals(ln["text"])))
    out.items.sort(key=lambda it: it[1])
    return out


# ---------------------------------------------------------------------------
# the whole document


def _furniture(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page, item) positions of running headers/footers and page numbers."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", "".join(text.split()))

    in_margin: list[tuple[int, int, str]] = []
    for pi, p in enumerate(pages):
        for ii, (kind, top, obj) in enumerate(p.items):
            if kind == "line" and (top < p.height * _MARGIN or top > p.height * (1 - _MARGIN)):
                in_margin.append((pi, ii, obj))
    seen: dict[str, set[int]] = {}
    for pi, _, text in in_margin:
        seen.setdefault(key(text), set()).add(pi)
    return {(pi, ii) for pi, ii, text in in_margin
            if _PAGE_NUMBER.match(text.strip()) or len(seen[key(text)]) > 1}


def _continues(prev: _Part, nxt: _Part, between: list[str]) -> bool:
    """Is ``nxt`` (first on its page) the rest of ``prev`` (last on the page before)?"""
    if abs(prev.x0 - nxt.x0) > 3 or abs(prev.x1 - nxt.x1) > 3:
        return False
    return all(_CONTINUED.match("".join(t.split())) for t in between)


def _grid(parts: list[_Part]) -> list[list[str]]:
    """The parts of one table (page by page) as one rectangular grid, spans copied."""
    xs = _snap(sorted(x for p in parts for c in p.cells for x in (c[2], c[3])))
    rows: list[list[str]] = []
    for p in parts:
        ys = _snap(sorted(y for c in p.cells for y in (c[0], c[1])))
        part = [[""] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for top, bottom, x0, x1, text in p.cells:
            r0, r1 = _index(ys, top), _index(ys, bottom)
            c0, c1 = _index(xs, x0), _index(xs, x1)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    part[r][c] = text
        if rows and part:
            _join_split_row(rows, part)
        rows += part
    return rows


def _join_split_row(above: list[list[str]], below: list[list[str]]) -> None:
    """Word and LibreOffice let a row break across pages: its label continues on the next page.

    The last row above the break and the first body row below it (after a repeated header)
    are one row when the first row below holds no label of the national format on its own, the
    two together hold more than the last row alone (a label cut in two matches nothing, joined
    it does), and no column holds a number in both parts. ``below`` loses that row. Header rows
    cut in two are joined the same way. Otherwise, a cell spanning both rows whose text the
    break cut in two ("结" above, "果维持" below) gets its whole text in both rows.
    """
    head = 0
    while head < len(below) and head < len(above) and below[head] == above[head]:
        head += 1
    if head >= len(below):
        return
    last, first = above[-1], below[head]
    joined = [a if not b.strip() or a == b else (b if not a.strip() else a + b) for a, b in zip(last, first)]
    if not any(_is_value(a) and _is_value(b) for a, b in zip(last, first)) \
            and not _known_labels(first) and _known_labels(joined) > _known_labels(last):
        for c, (a, b, whole) in enumerate(zip(last, first, joined)):
            _retext(below[head + 1:], c, b, whole)  # a cell spanning further rows gets its whole text too
            _retext(above[::-1], c, a, whole)
        del below[head]
        return
    for c, (a, b) in enumerate(zip(last, first)):  # a cell spanning both rows, its text cut: 结 | 果维持
        if a.strip() and b.strip() and a != b and "text" == _kind(a) == _kind(b) \
                and not _known_text(a) and not _known_text(b) and _known_text(a + b):
            _retext(above[::-1], c, a, a + b)
            _retext(below[head:], c, b, a + b)


def _retext(rows: list[list[str]], c: int, old: str, new: str) -> None:
    """Column ``c`` of the leading ``rows`` that hold ``old`` (one merged cell, its text copied) -> ``new``."""
    for row in rows:
        if row[c] != old:
            break
        row[c] = new


def _kind(text: str) -> str:
    from scoring.annual_report.extract import parse_value

    return parse_value(text)[0]


def _is_value(text: str) -> bool:
    return _kind(text) not in ("text", "blank")


def _known_text(text: str) -> bool:
    """Is one cell's text a row label, a group of rows (（五）不予处理) or a column label of table 2, 3 or 4?"""
    from scoring.annual_report.extract import _PARENT_KEYS, _key, _strip_remarks, clean, col_of, row_candidates

    t = clean(text)
    last = _key(_strip_remarks(t)).split("/")[-1]
    return any(col_of(n, t) or row_candidates(n, t) or last in {k.split("/")[-1] for k in _PARENT_KEYS[n]}
               for n in ("2", "3", "4"))


def _known_labels(row: list[str]) -> int:
    """How many of the row's texts are labels of the national format: its row label path (one),
    plus each distinct column label (a header row), in whichever of tables 2, 3, 4 knows most."""
    from scoring.annual_report.extract import _dedupe, col_of, parse_value, row_candidates

    texts = _dedupe([t for t in row if parse_value(t)[0] == "text"])
    if not texts:
        return 0
    label = "/".join(texts)
    return max(bool(row_candidates(t, label)) + sum(bool(col_of(t, x)) for x in dict.fromkeys(texts))
               for t in ("2", "3", "4"))


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(snapped: list[float], v: float) -> int:
    i = bisect.bisect_left(snapped, v - _SNAP)
    return min(i, len(snapped) - 1)


def _assemble(pages: list[_Page], title: str) -> Document:
    doc = Document(kind="pdf", title=title)
    skip = _furniture(pages)
    seq: list[tuple[str, object]] = []  # ("line", text) | ("table", [parts]) | ("page", None)
    for pi, p in enumerate(pages):
        seq.append(("page", None))
        for ii, (kind, _, obj) in enumerate(p.items):
            if (pi, ii) not in skip:
                seq.append((kind, obj))
    merged: list[tuple[str, object]] = []
    for kind, obj in seq:
        if kind == "table":
            k = len(merged) - 1
            while k >= 0 and merged[k][0] != "table":
                k -= 1
            between = [o for kd, o in merged[k + 1:] if kd == "line"]
            crossed = any(kd == "page" for kd, _ in merged[k + 1:])
            if k >= 0 and crossed and _continues(merged[k][1][-1], obj, between):
                merged[k][1].append(obj)
                del merged[k + 1:]  # only page breaks and 续表 lines were between
                continue
            merged.append(("table", [obj]))
        else:
            merged.append((kind, obj))
    for kind, obj in merged:
        if kind == "line":
            doc.lines.append(Line(obj, None))
        elif kind == "table":
            number = len(doc.grids) + 1
            grid = Grid(_grid(obj), len(doc.lines), number)
            doc.grids.append(grid)
            for text in dict.fromkeys(t for row in grid.rows for t in row if t.strip()):
                doc.lines.append(Line(text, number))
    return doc


def _why_unreadable(exc: Exception) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return "该 PDF 已加密（需要密码或不允许提取），无法读取；请向发布单位索取未加密的版本、网页版或 .docx 版"
    return f"无法作为 PDF 读取，文件可能已损坏或不完整（{name}）；请重新下载，或使用该报告的网页版或 .docx 版"


def read_pdf(data: bytes) -> Document:
    pdfplumber = _plumber()
    from pdfplumber.utils import extract_text

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta_title = pdf.metadata.get("Title")
            pages = [_read_page(p, extract_text) for p in pdf.pages]
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken or encrypted file
        raise SourceError(_why_unreadable(exc)) from exc
    if not pages:
        raise SourceError("该 PDF 没有任何页面")
    if sum(p.chars for p in pages) < _MIN_TEXT_CHARS:
        raise SourceError(NO_TEXT_LAYER)
    title = fold_radicals(" ".join(str(meta_title).split())) if isinstance(meta_title, str) else ""
    return _assemble(pages, title)

"""Reading one table file or sheet into raw cells, with every problem located.

A CSV file or a worksheet becomes a :class:`Sheet`: the header as written and
a frame of raw cells (object dtype, one column per header cell), or the
problems that stop it from being read, each with the row as the user sees it
(header = row 1) and the column:

- text that is not in one encoding (:mod:`scoring.evidence.charset`), holds a
  NUL or another character evidence text may not hold;
- a row longer than the header (pandas would quietly turn the first column
  into an index, or stop with an English message);
- a workbook too large once unzipped, a cell over Excel's 32,767 characters,
  more rows than Excel has.

CSV fast path: a file that is UTF-8 and holds no suspicious byte (checked in
C on the raw bytes) goes straight to pandas' C parser, as before. Anything
else is decoded in Python first, with undecodable bytes kept as lone
surrogates and NUL swapped for a marker, so the cells that hold them can be
named after parsing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.evidence import charset

#: Excel's limit on the characters of one cell
CELL_CHARS = 32_767
#: Excel's limit on the rows of a sheet
SHEET_ROWS = 1_048_576
#: the most a workbook may unzip to (the zip directory's sizes, checked before opening)
WORKBOOK_UNZIPPED = 1 << 30
#: an XML part above this size may not unzip to more than RATIO times its compressed size
_RATIO_FROM = 16 << 20
RATIO = 200
#: the most problems of one kind listed per column
_CAP = 200
#: pandas' C parser cuts a cell at NUL: NUL is swapped for this marker before parsing
_NUL_MARK = "\udc00"
_CSV_OPTS = dict(header=None, dtype=object, keep_default_na=False, skip_blank_lines=False, engine="c")
_TOO_MANY_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


@dataclass
class Problem:
    """A reason a file could not be read as a table; row/column None when it is the whole file."""

    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass
class Sheet:
    """A table as read: raw cells under the header as written (duplicates allowed), or problems."""

    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------------------
# CSV


def read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return Sheet(None, [Problem(None, None, None, "文件是空的：至少应有表头行")])
    bom = charset.bom_codec(data)
    if (bom is None or bom[0] == "utf-8-sig") and not charset.utf8_needs_care(data):
        del data  # the C parser reads UTF-8 straight from the file
        fast = _parsed_arrow(path)
        if fast is not None:
            return fast
        try:
            return _parsed(path, "utf-8-sig")
        except UnicodeDecodeError:
            data = path.read_bytes()
    return _read_decoded(data)


#: files smaller than this are parsed by pandas alone (starting pyarrow's threads costs more)
_ARROW_FROM = 4 << 20


def _parsed_arrow(path: Path) -> Sheet | None:
    """A well-formed UTF-8 file parsed by pyarrow's multithreaded CSV reader: the same cells as
    :func:`_parsed` gives. None for anything unusual (a short or long row, a blank line, bad
    UTF-8, a small file): the pandas path then reads it and names every problem as before."""
    if path.stat().st_size < _ARROW_FROM:
        return None
    import pyarrow as pa
    from pyarrow import csv as pacsv

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=_AllText(), strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, null_values=[]))
    except (pa.ArrowInvalid, pa.ArrowException, OSError):
        return None
    if table.num_rows == 0:
        return None
    cells = table.to_pandas()
    cells.columns = range(table.num_columns)
    header = [h if h != "" else f"Unnamed: {i}" for i, h in enumerate(cells.iloc[0])]
    frame = cells.iloc[1:]
    frame.columns = header
    return Sheet(frame)


class _AllText(dict):
    """Every column read as text (pyarrow asks per column name)."""

    def __missing__(self, key):
        import pyarrow as pa

        return pa.string()

    def __contains__(self, key) -> bool:
        return True


def _read_decoded(data: bytes) -> Sheet:
    """The careful path: decode in Python, parse, then name the cells that hold bad text."""
    undecodable = None
    try:
        codec = charset.detect_encoding(data)
    except charset.CharsetError as exc:  # mixed: the rows that are not UTF-8 get named below
        codec, undecodable = "utf-8", str(exc)
    text, bad_line = charset.decode_marked(data, codec)
    if bad_line is not None and undecodable is None:
        undecodable = f"这一处不是有效的 {charset.codec_name(codec)} 编码"
        if charset.bom_codec(data) is not None and codec != "utf-8-sig":  # UTF-16/32: no cell to point at
            return Sheet(None, [Problem(bad_line, None, None, undecodable)])
    if text.startswith("\ufeff"):
        text = text[1:]
    del data
    text = text.replace("\x00", _NUL_MARK)
    sheet = _parsed(io.StringIO(text), None)
    if sheet.frame is None or charset.FORBIDDEN.search(text) is None:
        return sheet
    return Sheet(None, _bad_text(sheet.frame, undecodable))


def _parsed(source, encoding: str | None) -> Sheet:
    """Parse with the header as the first data row, so that every row longer than it is an error."""
    opts = dict(_CSV_OPTS, encoding=encoding) if encoding else dict(_CSV_OPTS, encoding_errors="surrogatepass")
    try:
        cells = pd.read_csv(source, **opts)
    except pd.errors.EmptyDataError:
        return Sheet(None, [Problem(None, None, None, "文件是空的：至少应有表头行")])
    except pd.errors.ParserError as exc:
        return Sheet(None, [_parser_problem(str(exc))])
    header = [h if h != "" else f"Unnamed: {i}" for i, h in enumerate(cells.iloc[0])] if len(cells) else []
    frame = cells.iloc[1:]
    frame.columns = header
    return Sheet(frame)


def _parser_problem(message: str) -> Problem:
    m = _TOO_MANY_FIELDS.search(message)
    if m:
        width, row, seen = (int(g) for g in m.groups())
        return Problem(row, f"第{width + 1}列", None,
                       f"这一行有 {seen} 个单元格，多于表头的 {width} 列（多出的单元格没有列名；"
                       "若是单元格内的逗号，请给该单元格加上英文双引号）")
    m = _OPEN_QUOTE.search(message)
    if m:
        return Problem(int(m.group(1)) + 1, None, None, "英文双引号没有闭合：从这一行起直到文件末尾都在一个单元格里")
    return Problem(None, None, None, f"无法按 CSV 解析：{charset.printable(message.strip())}")


def _bad_text(frame: pd.DataFrame, undecodable: str | None) -> list[Problem]:
    """Every cell (header included) holding undecodable bytes, NUL or another forbidden character."""
    problems: list[Problem] = []
    header = list(frame.columns)
    for i, h in enumerate(header):
        why = _cell_fault(h, undecodable)
        if why:
            problems.append(Problem(1, f"第{i + 1}列", _shown(h), why))
    for i in range(len(header)):
        col = frame.iloc[:, i].to_numpy(dtype=object)
        hits = np.flatnonzero([charset.FORBIDDEN.search(v) is not None for v in col])
        for p in hits[:_CAP]:
            problems.append(Problem(int(p) + 2, _column_label(header[i], i), _shown(col[p]),
                                    _cell_fault(col[p], undecodable)))
        if len(hits) > _CAP:
            problems.append(Problem(None, _column_label(header[i], i), None, f"同类错误另有 {len(hits) - _CAP} 行未逐一列出"))
    return problems


def _cell_fault(text: str, undecodable: str | None) -> str | None:
    if charset.ESCAPED.search(text):
        return undecodable or "含无法解码的字节"
    if _NUL_MARK in text:
        return "含 NUL 字符（U+0000）：NUL 会截断单元格，请删去（文件若是不带 BOM 的 UTF-16，请另存为 UTF-8）"
    return charset.forbidden_message(text)


def _shown(text: str) -> str:
    return charset.printable(text.replace(_NUL_MARK, "\x00"), limit=80)


def _column_label(header: str, i: int) -> str:
    bad = charset.FORBIDDEN.search(header) or header.startswith("Unnamed: ")
    return f"第{i + 1}列" if bad else header


# ---------------------------------------------------------------------------
# workbooks


def workbook_problems(path: Path) -> list[Problem]:
    """What makes a workbook unsafe to open, from the zip directory alone (nothing is unzipped)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [Problem(None, None, None, f"不是有效的 .xlsx 工作簿（{charset.printable(str(exc), 120)}）")]
    total = sum(i.file_size for i in infos)
    if total > WORKBOOK_UNZIPPED:
        return [Problem(None, None, None, f"工作簿解压后有 {total / (1 << 20):,.0f} MB，超过上限 "
                        f"{WORKBOOK_UNZIPPED >> 20:,} MB；请拆成几个工作簿或改用 CSV")]
    for i in infos:
        if i.file_size > _RATIO_FROM and i.file_size > RATIO * max(i.compress_size, 1):
            return [Problem(None, None, None, f"工作簿中的 {charset.printable(i.filename, 80)} 解压后是压缩时的 "
                            f"{i.file_size // max(i.compress_size, 1):,} 倍，不像正常的表格（疑为压缩炸弹），已拒绝读取")]
    return []


def read_sheet(ws) -> Sheet:
    """A worksheet of an openpyxl read-only workbook (the caller checked :func:`workbook_problems`)."""
    ws.reset_dimensions()  # a sheet's declared size is not trusted: rows are as wide as their cells
    header_row = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    header = ["" if h is None else str(h) for h in header_row]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    if not width:
        return Sheet(pd.DataFrame())
    data = []
    for r in ws.iter_rows(min_row=2, max_col=width, values_only=True):
        if len(data) >= SHEET_ROWS:
            return Sheet(None, [Problem(None, None, None, f"工作表超过 Excel 的 {SHEET_ROWS:,} 行上限")])
        data.append(r if len(r) == width else tuple(r) + (None,) * (width - len(r)))
    frame = pd.DataFrame(data, columns=range(width), dtype=object)
    problems = _sheet_text_problems(header, frame)
    frame.columns = header
    return Sheet(None if problems else frame, problems)


def _sheet_text_problems(header: list[str], frame: pd.DataFrame) -> list[Problem]:
    """Header and text cells: no forbidden character, none longer than Excel allows."""
    problems = [Problem(1, f"第{i + 1}列", _shown(h), charset.forbidden_message(h) or
                        f"表头有 {len(h):,} 个字符，超过 Excel 单元格 {CELL_CHARS:,} 个字符的上限")
                for i, h in enumerate(header) if charset.FORBIDDEN.search(h) or len(h) > CELL_CHARS]
    for i in range(len(header)):
        col = frame[i].to_numpy(dtype=object)
        texts = [v for v in col if type(v) is str]
        if not texts:
            continue
        too_long = max(map(len, texts)) > CELL_CHARS
        if not too_long and charset.FORBIDDEN.search("\n".join(texts)) is None:
            continue
        label = _column_label(header[i], i)
        bad = [p for p, v in enumerate(col)
               if type(v) is str and (len(v) > CELL_CHARS or charset.FORBIDDEN.search(v))]
        for p in bad[:_CAP]:
            v = col[p]
            why = (f"单元格有 {len(v):,} 个字符，超过 Excel 单元格 {CELL_CHARS:,} 个字符的上限"
                   if len(v) > CELL_CHARS else charset.forbidden_message(v))
            problems.append(Problem(p + 2, label, _shown(v), why))
        if len(bad) > _CAP:
            problems.append(Problem(None, label, None, f"同类错误另有 {len(bad) - _CAP} 行未逐一列出"))
    return problems

"""``zwgk validate``: every loading problem of a batch at once, without scoring, and the problem workbook.

The problem workbook (``--xlsx REPORT``) has a 问题清单 sheet (level, file,
sheet, row, column, value, what is expected, a link to the marked cell), then
a copy of each table that has problems: a sheet copied from a workbook or
built from a CSV file, every wrong cell filled red with the message as its
note. A source of more than ``FULL_COPY_ROWS`` rows is copied as its header
and the rows with problems only, with the original row number in a first
column 原行号. Evidence text stays text (never a formula); the file is
written to a temp file and renamed into place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from scoring.evidence.batch import EvidenceError, LoadIssue
from scoring.evidence.load import load_batch
from scoring.evidence.read import read_csv
from scoring.evidence.sheets import (
    HEAD_FILL,
    HEAD_FONT,
    WRAP,
    display_width,
    print_wide,
    put_text,
    put_value,
    save_atomically,
)

PROBLEMS_SHEET = "问题清单"
#: a source with more data rows than this is copied as its rows with problems only
FULL_COPY_ROWS = 10_000
RED = PatternFill("solid", fgColor="FF8080")
LINK_FONT = Font(color="0563C1", underline="single")
PROBLEMS_HEADER = ("级别", "文件", "工作表", "行", "列", "值", "问题与应当怎样写", "标出的单元格")
_SHEET_OF = re.compile(r"^(.*)\[([^\[\]]*)\]$")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\']")


@dataclass
class Validation:
    """What validating a batch found."""

    evidence: Path
    issues: list[LoadIssue]
    #: units loaded (None when the batch has errors)
    units: int | None = None

    @property
    def errors(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[LoadIssue]:
        return [i for i in self.issues if i.level != "error"]


def validate_evidence(path: str | Path) -> Validation:
    """Load the batch as ``assess`` would, keeping every problem instead of raising."""
    try:
        batch = load_batch(path)
    except EvidenceError as exc:
        return Validation(Path(path), list(exc.issues))
    return Validation(Path(path), list(batch.warnings), units=len(batch.units))


# ---------------------------------------------------------------------------
# the problem workbook


@dataclass
class _Source:
    """One table file or sheet that has problems, and the sheet of the report that copies it."""

    path: Path
    sheet: str | None
    title: str
    #: (row, header) -> messages
    marks: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    #: (row, header) -> cell coordinate in the report sheet, once copied
    placed: dict[tuple[int, str], str] = field(default_factory=dict)


def write_problem_book(v: Validation, report: str | Path) -> Path:
    """Write the problem workbook (atomically)."""
    wb = Workbook()
    problems = wb.active
    problems.title = PROBLEMS_SHEET
    sources = _sources(v, {PROBLEMS_SHEET})
    for src in sources.values():
        if src.marks:
            _copy_source(wb.create_sheet(src.title), src)
    _problem_list(problems, v, sources)
    return save_atomically(wb, report)


def _locate(root: Path, display: str) -> tuple[Path, str | None] | None:
    """The file (and sheet) an issue's file names, if it is a table file of the batch."""
    m = _SHEET_OF.match(display)
    name, sheet = (m.group(1), m.group(2)) if m else (display, None)
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        return None
    for base in (root.parent, root):
        p = base / name
        if p.is_file():
            return p, sheet
    return None


def _sources(v: Validation, taken: set[str]) -> dict[str, _Source]:
    sources: dict[str, _Source] = {}
    for issue in v.issues:
        if issue.file not in sources:
            found = _locate(v.evidence, issue.file)
            if found is None:
                continue
            sources[issue.file] = _Source(found[0], found[1], _title(v.evidence, issue.file, found[1], taken))
        if issue.row is not None and issue.column:
            sources[issue.file].marks.setdefault((issue.row, issue.column), []).append(issue.message)
    return sources


def _title(root: Path, display: str, sheet: str | None, taken: set[str]) -> str:
    """A unique sheet title for a source: its path inside the batch without suffix, and its sheet."""
    m = _SHEET_OF.match(display)
    parts = list(Path(m.group(1) if m else display).with_suffix("").parts)
    if root.is_dir() and len(parts) > 1 and parts[0] == root.name:
        parts = parts[1:]
    if root.is_file():
        parts = []
    text = _BAD_TITLE.sub("_", " ".join(parts + ([sheet] if sheet else []))).strip() or "底稿"
    title, k = text[:31], 2
    while title in taken:
        suffix = f"~{k}"
        title, k = text[:31 - len(suffix)] + suffix, k + 1
    taken.add(title)
    return title


def _read_rows(src: _Source) -> tuple[list[str], list[list]]:
    """The header and the data rows of a source, as written."""
    if src.path.suffix.lower() == ".csv":
        frame = read_csv(src.path).frame
        if frame is None:  # unreadable as a table (encoding, NUL, quotes): its problems are listed, no copy
            return [], []
        return [str(h) for h in frame.columns], frame.to_numpy(dtype=object).tolist()
    wb = load_workbook(src.path, read_only=True, data_only=True)
    try:
        ws = wb[src.sheet] if src.sheet is not None else wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        return [], []
    return ["" if h is None else str(h) for h in rows[0]], rows[1:]


def _copy_source(ws, src: _Source) -> None:
    header, rows = _read_rows(src)
    full = len(rows) <= FULL_COPY_ROWS
    marked_rows = sorted({r for r, _ in src.marks})
    picked = list(range(2, len(rows) + 2)) if full else [r for r in marked_rows if 2 <= r < len(rows) + 2]
    shift = 0 if full else 1
    if not full:
        put_text(ws.cell(row=1, column=1), "原行号")
    for k, h in enumerate(header, start=1 + shift):
        put_text(ws.cell(row=1, column=k), h)
        ws.cell(row=1, column=k).font, ws.cell(row=1, column=k).fill = HEAD_FONT, HEAD_FILL
        sample = [rows[r - 2][k - 1 - shift] for r in picked[:200] if k - 1 - shift < len(rows[r - 2])]
        widest = max([display_width(h) + 4] + [display_width(str(x)[:40]) + 2 for x in sample if x is not None])
        ws.column_dimensions[get_column_letter(k)].width = min(40, max(10, widest))
    for out_row, r in enumerate(picked, start=2):
        if not full:
            ws.cell(row=out_row, column=1, value=r)
        for k, value in enumerate(rows[r - 2], start=1 + shift):
            put_value(ws.cell(row=out_row, column=k), value)
    where = {r: (r if full else out_row) for out_row, r in enumerate(picked, start=2)}
    where[1] = 1
    columns = {h.strip(): k for k, h in reversed(list(enumerate(header, start=1 + shift)))}
    for (r, h), messages in src.marks.items():
        k = columns.get(str(h).strip())
        if k is None or r not in where:
            continue
        cell = ws.cell(row=where[r], column=k)
        cell.fill = RED
        text = "\n".join(dict.fromkeys(messages))
        cell.comment = Comment(text, "zwgk", height=20 * (len(text) // 24 + 3), width=300)
        src.placed[(r, h)] = cell.coordinate
    ws.freeze_panes = "A2"
    print_wide(ws, comments=True)


def _problem_list(ws, v: Validation, sources: dict[str, _Source]) -> None:
    for k, h in enumerate(PROBLEMS_HEADER, start=1):
        put_text(ws.cell(row=1, column=k), h)
        ws.cell(row=1, column=k).font, ws.cell(row=1, column=k).fill = HEAD_FONT, HEAD_FILL
    ordered = v.errors + v.warnings
    if not ordered:
        put_text(ws.cell(row=2, column=1), "未发现问题")
    for r, i in enumerate(ordered, start=2):
        m = _SHEET_OF.match(i.file)
        file, sheet = (m.group(1), m.group(2)) if m else (i.file, "")
        values = ("错误" if i.level == "error" else "警告", file, sheet, i.row, i.column, i.value, i.message)
        for k, value in enumerate(values, start=1):
            if isinstance(value, int):
                ws.cell(row=r, column=k, value=value)
            else:
                put_text(ws.cell(row=r, column=k), value)
            ws.cell(row=r, column=k).alignment = WRAP
        src = sources.get(i.file)
        coord = src.placed.get((i.row, i.column)) if src is not None and i.row is not None else None
        if coord is not None:
            cell = ws.cell(row=r, column=len(values) + 1)
            put_text(cell, f"{src.title}!{coord}")
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{src.title}'!{coord}")
            cell.font = LINK_FONT
    for col, width in zip("ABCDEFGH", (6, 30, 14, 6, 16, 20, 60, 24)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    print_wide(ws)
    ws.auto_filter.ref = f"A1:H{max(2, len(ordered) + 1)}"

"""openpyxl helpers shared by the template and the validation report: text cells, header style, atomic save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from scoring.staging import write_atomic

HEAD_FONT = Font(name="黑体", bold=True)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")


def put_text(cell, value) -> None:
    """Store evidence text as a string cell, whatever it looks like: '=SUM(A1)' stays text, never a formula.

    Control characters that XML cannot hold are dropped (openpyxl would refuse them).
    """
    cell.value = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"


def put_value(cell, value) -> None:
    """A copied cell: text as text (see ``put_text``), numbers and dates as they are (a date shown as a date)."""
    if value is None or isinstance(value, str):
        if value is not None:
            put_text(cell, value)
        return
    cell.value = value
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        cell.number_format = "yyyy-mm-dd"


def display_width(text: str) -> int:
    """Width in Excel character units: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def print_wide(ws, comments: bool = False) -> None:
    """A4 landscape, all columns on one page width; with ``comments`` the cell notes print after the sheet."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if comments:
        ws.page_setup.cellComments = "atEnd"


def save_atomically(wb, path: str | Path) -> Path:
    """Save a workbook whole (:func:`scoring.staging.write_atomic`): never half-written."""
    return write_atomic(path, wb.save)

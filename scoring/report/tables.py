"""Plain tables as a CSV (UTF-8 with BOM, formula-guarded) and as a styled workbook: diff and history."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from openpyxl import Workbook

from scoring.safe_csv import safe_cell
from scoring.report.workbook import _Sheet


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str) and not _NUMBER.fullmatch(v):   # a signed number (a change: -1.5) stays a number
        return safe_cell(v)
    return str(v)


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """CSV that Excel opens with the Chinese intact; no text cell can be read as a formula."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    w.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def write_workbook(path: Path, sheets: list[tuple[str, str, list[tuple[str, int]], list[list]]],
                   wrap: set[int] = frozenset()) -> Path:
    """Sheets of (title, heading, [(column, width)], rows); text is always text, numbers stay numbers."""
    wb = Workbook()
    for k, (title, heading, columns, rows) in enumerate(sheets):
        s = _Sheet(wb, title, heading, columns, first=(k == 0))
        for row in rows:
            numeric = {j for j, v in enumerate(row) if isinstance(v, (int, float)) and not isinstance(v, bool)}
            s.add(list(row), numeric=numeric, wrap={j for j in wrap if j < len(columns)})
        s.finish()
    wb.properties.creator = "zwgk"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.zwgk-tmp")
    wb.save(tmp)            # then moved into place: never a half-written workbook
    os.replace(tmp, path)
    return path

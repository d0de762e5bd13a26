"""Plain tables as a CSV (UTF-8 with BOM, formula-guarded) and as a styled workbook: diff and history."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from scoring.report.workbook import _Sheet
from scoring.safe_csv import rows_bytes


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """CSV that Excel opens with the Chinese intact; no text cell can be read as a formula.

    Every column counts as numeric: a signed number (a change such as -1.5) stays a number,
    any other text is guarded.
    """
    return rows_bytes(columns, rows, numeric=columns)


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

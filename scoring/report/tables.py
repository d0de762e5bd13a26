"""Plain tables as a CSV (UTF-8 with BOM, formula-guarded) and as a styled workbook: diff and history."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from scoring.safe_csv import table_bytes
from scoring.report.workbook import _Sheet


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """CSV that Excel opens with the Chinese intact, through the one guarded writer: no text cell can be read
    as a formula, and a signed number (a change: -1.5) stays a number."""
    rows = list(rows)
    return table_bytes(columns, [[row[k] for row in rows] for k in range(len(columns))],
                       numeric={str(c) for c in columns})


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

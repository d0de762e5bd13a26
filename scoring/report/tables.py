"""Plain tables as a CSV (UTF-8 with BOM, formula-guarded) and as a styled workbook: diff and history."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from scoring.safe_csv import table_bytes
from scoring.staging import write_atomic
from scoring.report.workbook import _Sheet


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """CSV that Excel opens with the Chinese intact; no text cell can be read as a formula.

    Every column goes through the one guard (:func:`scoring.safe_csv.safe_number`): a number,
    also a signed one written as text (a change: -1.5), stays a number; other text is guarded.
    """
    columns_of = list(zip(*rows)) if rows else [[] for _ in columns]
    return table_bytes(columns, columns_of, numeric=[str(c) for c in columns])


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
    return write_atomic(path, wb.save)   # never a half-written workbook

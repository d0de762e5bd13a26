"""Every CSV file the project writes: one formula guard, one format, one atomic write.

- **Text stays data.** A cell that Excel or WPS would take for a formula (it
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written
  with a leading apostrophe: ``=HYPERLINK(…)`` from a web page, an evidence
  file or an option is shown as those characters, never run. Columns named as
  numeric keep plain numbers as they are (``-3``, ``+1.5``); anything else in
  them is guarded like text.
- **One format.** UTF-8 with BOM (Excel opens the Chinese correctly), CRLF line
  ends, minimal quoting (the ``csv`` module's defaults).
- **All or nothing.** :func:`write_files` writes each file to a temporary name
  beside it and moves them all into place only when every one is complete.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import pandas as pd

from scoring.staging import temp_beside

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _text(value) -> str:
    """A cell's text; missing values (None, NaN, pandas' NA and NaT) are empty."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _guard(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_cell(value) -> str:
    """Text for a CSV/Excel cell that can never be read as a formula (None and NaN: empty)."""
    return _guard(_text(value))


def safe_number(value) -> str:
    """A numeric cell: a plain number as it is, anything else guarded like text."""
    s = _text(value)
    return s if _NUMBER.fullmatch(s) else _guard(s)


def safe_column(values: Iterable, numeric: bool = False) -> list[str]:
    """A whole column made safe, each distinct value once (columns repeat their values a lot)."""
    guard = safe_number if numeric else safe_cell
    memo: dict = {}
    out = []
    for v in values:
        try:
            s = memo[v]
        except KeyError:
            s = memo[v] = guard(v)
        except TypeError:  # unhashable
            s = guard(v)
        out.append(s)
    return out


def table_bytes(header: Sequence[str], columns: Sequence[Iterable], numeric: Collection[str] = ()) -> bytes:
    """The CSV file of a table given column by column; every cell passes the guard."""
    cols = [safe_column(c, numeric=str(h) in numeric) for h, c in zip(header, columns)]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in header])
    w.writerows(zip(*cols))
    return buf.getvalue().encode("utf-8-sig")


def frame_bytes(frame, numeric: Collection[str] = ()) -> bytes:
    """The CSV file of a DataFrame (no index); missing values are empty cells."""
    header = [str(c) for c in frame.columns]
    return table_bytes(header, [frame.iloc[:, i].tolist() for i in range(frame.shape[1])], numeric)


def frame_text(frame, numeric: Collection[str] = ()) -> str:
    """The same CSV as text without the BOM (for standard output)."""
    return frame_bytes(frame, numeric).decode("utf-8-sig")


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write every file to a temporary name beside it, then move them all into place."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = temp_beside(path)
            temps.append((tmp, path))
            tmp.write_bytes(data)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
    return [Path(p) for p in files]

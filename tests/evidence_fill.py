"""Filling `zwgk template` workbooks with a unit folder's tables, as a unit would (by script here)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import yaml
from openpyxl import load_workbook

from scoring.dates import parse_date_text
from scoring.evidence.schema import TABLE_NAMES, TABLES
from scoring.evidence.template import build_template


def read_table(path: Path) -> pd.DataFrame:
    """A table file's cells as written (CSV in UTF-8 or GBK, or the first sheet of a workbook)."""
    if path.suffix == ".xlsx":
        wb = load_workbook(path, read_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        return pd.DataFrame(rows[1:], columns=[str(h) for h in rows[0]], dtype=object)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=object, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(path)


def english(table: str, header: str) -> str:
    for c in TABLES[table].columns:
        if header.strip() in (c.name, c.alias):
            return c.name
    raise AssertionError(f"{table}: {header}")


def cell_value(table: str, column: str, value):
    """What a person types: real dates in date columns, blank for empty cells, text otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if TABLES[table].column(column).type == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        return parse_date_text(value)
    return value


def fill_unit_workbook(unit_dir: Path, out: Path) -> Path:
    """The template for this unit, filled with its tables; sheets of tables it did not provide removed."""
    unit = yaml.safe_load((unit_dir / "unit.yaml").read_text(encoding="utf-8"))
    book = out / f"{unit['unit_id']}.xlsx"
    build_template(book, unit)
    wb = load_workbook(book)
    provided = {"units"}
    for f in sorted(unit_dir.iterdir()):
        table = TABLE_NAMES.get(f.stem)
        if table is None or f.suffix not in (".csv", ".xlsx"):
            if f.is_file() and f.name != "unit.yaml":
                shutil.copy(f, out / f.name)  # interpretation text files, next to the workbook
            continue
        provided.add(table)
        ws = wb[TABLES[table].alias]
        order = TABLES[table].column_names
        frame = read_table(f)
        for r, row in enumerate(frame.itertuples(index=False), start=2):
            for header, value in zip(frame.columns, row):
                col = english(table, header)
                ws.cell(row=r, column=order.index(col) + 1, value=cell_value(table, col, value))
    for t in TABLES.values():
        if t.name not in provided:
            del wb[t.alias]
    wb.save(book)
    return book


def fill_batch(sample: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for unit_dir in sorted(d for d in sample.iterdir() if (d / "unit.yaml").is_file()):
        fill_unit_workbook(unit_dir, out)
    return out

"""A folder of workbooks (one per unit, e.g. filled ``zwgk template`` workbooks) as one batch.

Each workbook is a batch of its own (a sheet per table, its units on the 单位
sheet) and is loaded as such; the batch is their union. A table is provided
for the units of the workbooks that have its sheet, so a unit that leaves a
sheet out has not provided that table, while a sheet with headers only says
the unit has none of those items. Every problem of every workbook is
reported together.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.evidence.batch import Batch, EvidenceError, LoadIssue
from scoring.evidence.load import TABLE_SUFFIXES, UNIT_FILE, _table_name, load_batch


def workbook_files(root: Path) -> list[Path] | None:
    """The workbooks of a folder of workbooks; None when the folder has another layout.

    That layout: no ``unit.yaml`` here or in a subfolder, no file named after a
    table, at least one ``.xlsx``.
    """
    if (root / UNIT_FILE).is_file():
        return None
    entries = [p for p in sorted(root.iterdir()) if not p.name.startswith((".", "~$"))]
    if any(p.is_dir() and (p / UNIT_FILE).is_file() for p in entries):
        return None
    files = [p for p in entries if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES]
    if any(_table_name(p.stem) is not None for p in files):
        return None
    return [p for p in files if p.suffix.lower() == ".xlsx"] or None


def load_workbook_folder(root: Path, books: list[Path]) -> Batch:
    """Load every workbook and join them; raises :class:`EvidenceError` with all problems."""
    batches: list[Batch] = []
    issues: list[LoadIssue] = []
    for book in books:
        try:
            batches.append(load_batch(book))
        except EvidenceError as exc:
            issues += exc.issues
    for p in sorted(root.iterdir()):
        if p.is_file() and p.suffix.lower() == ".csv" and not p.name.startswith((".", "~$")):
            issues.append(LoadIssue(p.name, None, None, None, "文件名不是已知的表名，已忽略", level="warning"))
    issues += _duplicate_units(batches)
    if any(i.level == "error" for i in issues):
        errors = [i for i in issues if i.level == "error"]
        raise EvidenceError(errors + [i for i in issues if i.level != "error"])
    return _join(root, batches, [i for i in issues if i.level != "error"])


def _duplicate_units(batches: list[Batch]) -> list[LoadIssue]:
    first: dict[str, str] = {}
    issues = []
    for b in batches:
        for uid, file, row in zip(b.units["unit_id"].astype(str), b.units["_file"], b.units["_row"]):
            if uid in first:
                issues.append(LoadIssue(str(file), None if pd.isna(row) else int(row), "单位编码", uid,
                                        f"单位编码与 {first[uid]} 重复"))
            else:
                first[uid] = str(file)
    return issues


def _join(root: Path, batches: list[Batch], warnings: list[LoadIssue]) -> Batch:
    units = pd.concat([b.units for b in batches], ignore_index=True)
    names = sorted({t for b in batches for t in b.tables})
    tables = {t: pd.concat([b.tables[t] for b in batches if t in b.tables], ignore_index=True) for t in names}
    provided = pd.concat([b.provided for b in batches]).fillna(False).astype(bool)
    sources: dict[str, list[str]] = {}
    for b in batches:
        for t, files in b.sources.items():
            sources.setdefault(t, []).extend(files)
    return Batch(root=root, units=units, tables=tables, provided=provided,
                 warnings=[w for b in batches for w in b.warnings] + warnings, sources=sources)

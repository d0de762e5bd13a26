"""Writing extracted reports as evidence files: ``annual_report_cells.csv`` and ``annual_reports.csv``.

``--out`` is a folder (a batch folder or a unit folder). The two files are
written there by the project's one CSV writer (scoring.safe_csv: UTF-8 with
BOM, text that looks like a formula guarded, all files or none). Rows already in those files for other
units or other years are kept; rows of the same unit and year are replaced, so
re-extracting a corrected page is safe. The narrative figures quoted in the
report's text go into extra columns of ``annual_reports.csv`` (``正文_本年新收申请``
…), which the loader keeps and the ``annual_report_narrative`` rule reads.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from scoring.annual_report.extract import CELL_COLUMNS, NARRATIVE_FIGURES, REPORT_COLUMNS, ExtractError, ExtractResult
from scoring.evidence.charset import CharsetError, decode_text
from scoring.evidence.schema import TABLES
from scoring.evidence.unit_yaml import UnitYamlError, read_unit_yaml
from scoring.safe_csv import frame_bytes, write_files

CELLS_FILE = "annual_report_cells.csv"
REPORTS_FILE = "annual_reports.csv"
_KEY = ["unit_id", "year"]
#: columns holding numbers: a plain number is written as it is, anything else guarded like text
NUMERIC = frozenset({"year", "table", "value"} | {f.key for f in NARRATIVE_FIGURES})


def unit_of_folder(folder: Path) -> str | None:
    """The unit_id of a unit folder (``unit.yaml``), else None."""
    f = folder / "unit.yaml"
    if not f.is_file():
        return None
    try:
        data = read_unit_yaml(f)
    except UnitYamlError as exc:
        raise ExtractError(str(f), [f"无法读取单位信息：{exc}"]) from None
    aliases = {c.alias: c.name for c in TABLES["units"].columns}
    uid = next((v for k, v in data.items() if aliases.get(k, k) == "unit_id"), None)
    return uid.strip() if isinstance(uid, str) and uid.strip() else None


def _read_existing(path: Path, table: str, folder_unit: str | None = None) -> pd.DataFrame | None:
    """The rows already in ``path`` (canonical column names); a unit folder's file may omit unit_id."""
    if not path.exists():
        return None
    try:
        text = decode_text(path.read_bytes())
    except CharsetError as exc:
        raise ExtractError(str(path), [f"已有文件的编码无法识别：{exc}；请换一个 --out 文件夹"]) from None
    text = text.removeprefix("\ufeff")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    names = {c.alias: c.name for c in TABLES[table].columns} | {c.name: c.name for c in TABLES[table].columns}
    frame = frame.rename(columns=lambda h: names.get(str(h).strip().lstrip("\ufeff"), h))
    if "unit_id" not in frame.columns and folder_unit:
        frame.insert(0, "unit_id", folder_unit)
    missing = [c for c in _KEY if c not in frame.columns]
    if missing:
        raise ExtractError(str(path), [f"已有文件缺少「{'、'.join(missing)}」列，无法合并；请换一个 --out 文件夹"])
    return frame


def _merge(existing: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    if existing is None:
        return new
    keys = set(zip(new["unit_id"].astype(str), new["year"].astype(str)))
    old_keys = pd.Series(list(zip(existing["unit_id"].astype(str).str.strip(), existing["year"].astype(str).str.strip())),
                         index=existing.index, dtype=object)
    kept = existing[~old_keys.isin(keys)]
    return pd.concat([kept, new.astype(str)], ignore_index=True).fillna("")


def _conflicting_files(folder: Path, table: str, own: str) -> list[str]:
    """Other files the loader would also read as this table (e.g. 年报数据.csv beside annual_report_cells.csv)."""
    spec = TABLES[table]
    out = []
    for stem in (spec.name, spec.alias):
        for suffix in (".csv", ".xlsx"):
            name = stem + suffix
            if name != own and (folder / name).exists():
                out.append(name)
    return out


def frames(results: list[ExtractResult], unit_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cells and reports rows of several extracted reports of one unit."""
    years = [r.year for r in results]
    dups = sorted({y for y in years if years.count(y) > 1})
    if dups:
        srcs = [r.source for r in results if r.year in dups]
        raise ExtractError("、".join(srcs), [f"多个文件都是 {'、'.join(map(str, dups))} 年度的报告，同一单位同一年度只能有一份"])
    cells = pd.concat([r.cells_frame(unit_id) for r in results], ignore_index=True) if results else \
        pd.DataFrame(columns=CELL_COLUMNS)
    reports = pd.DataFrame([r.report_row(unit_id) for r in results],
                           columns=REPORT_COLUMNS + [f.key for f in NARRATIVE_FIGURES])
    return cells.astype(str), reports.astype(str)


def existing_csv(folder: Path, table: str) -> str | None:
    """The one CSV file of ``table`` already in ``folder`` under its name or alias (年度报告.csv), else None."""
    spec = TABLES[table]
    found = [f"{stem}{sfx}" for stem in (spec.name, spec.alias) for sfx in (".csv", ".xlsx")
             if (folder / f"{stem}{sfx}").exists()]
    return found[0] if len(found) == 1 and found[0].endswith(".csv") else None


def write_outputs(results: list[ExtractResult], unit_id: str, out_dir: Path, *,
                  keep_file_names: bool = False) -> list[Path]:
    """Write (merge) both files into ``out_dir``; nothing is replaced unless everything was written.

    ``keep_file_names``: merge into the table's CSV already in the folder when it has its Chinese
    name (``年度报告.csv``, ``年报数据.csv``) instead of refusing it as a second file of the table.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    cells, reports = frames(results, unit_id)
    names = {"annual_report_cells": CELLS_FILE, "annual_reports": REPORTS_FILE}
    if keep_file_names:
        for table in names:
            names[table] = existing_csv(out_dir, table) or names[table]
    folder_unit = unit_of_folder(out_dir)
    problems = []
    for table, own in names.items():
        other = _conflicting_files(out_dir, table, own)
        if other:
            problems.append(f"文件夹中已有 {'、'.join(other)}，与要写入的 {own} 是同一张表；"
                            "请把提取结果合并进去，或换一个 --out 文件夹")
    if problems:
        raise ExtractError(str(out_dir), problems)
    targets = {
        out_dir / names[t]: _merge(_read_existing(out_dir / names[t], t, folder_unit), new)
        for t, new in (("annual_report_cells", cells), ("annual_reports", reports))
    }
    write_files({path: frame_bytes(frame, NUMERIC) for path, frame in targets.items()})
    return list(targets)

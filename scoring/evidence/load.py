"""Load a batch of evidence (测评底稿) into typed DataFrames, collecting every problem.

Layouts (CONTRACT.md §1):

- a folder of table files (``units.csv`` required; ``requests.csv`` or
  ``依申请公开.csv``; ``.csv`` or one-sheet ``.xlsx``);
- one workbook with a sheet per table;
- a unit folder (``unit.yaml`` + that unit's table files, ``unit_id`` optional);
- a folder whose subfolders are unit folders.

Every problem becomes a :class:`LoadIssue` naming the file, the row as the
user sees it (header = row 1), the column as the user wrote it, the value and
what was expected. Any error raises :class:`EvidenceError` with all of them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ConfigDict, ValidationError, create_model

from scoring.evidence import charset, read
from scoring.evidence.batch import Batch, EvidenceError, LoadIssue, empty_table
from scoring.evidence.parse import (
    BOOL_SPELLINGS,
    DATE_SPELLINGS,
    NUMBER_RANGE,
    blank_mask,
    parse_bools,
    parse_dates,
    parse_ints,
    parse_numbers,
    to_text,
)
from scoring.evidence.schema import IGNORED_SHEETS, TABLE_NAMES, TABLES, TableSpec
from scoring.evidence.unit_yaml import UnitYamlError, read_unit_yaml

TABLE_SUFFIXES = (".csv", ".xlsx")
UNIT_FILE = "unit.yaml"
#: the most values of one kind of error listed per column before summarising
_PER_COLUMN_CAP = 200


#: the units row as written in a unit folder's ``unit.yaml``: the units table's declared
#: columns as keys (required ones must be there), values text; other keys are kept
UnitRow = create_model(
    "UnitRow", __config__=ConfigDict(extra="allow", str_strip_whitespace=True),
    **{c.name: (str, ...) if c.required else (str | None, None) for c in TABLES["units"].columns},
)
_UNIT_REQUIRED = "、".join(c.name for c in TABLES["units"].columns if c.required)


@dataclass
class RawTable:
    """One table as read from one file or sheet, before typing."""

    table: str
    frame: pd.DataFrame            # raw cells, object dtype, columns renamed to English where known
    display: str                   # file as the user names it
    headers: dict[str, str]        # English column -> header as the user wrote it
    base_dir: Path                 # text_file paths are relative to this
    unit_id: str | None = None     # set for a unit folder's files
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


# ---------------------------------------------------------------------------
# reading files


def _norm_header(h: str) -> str:
    return unicodedata.normalize("NFKC", str(h)).strip().lstrip("\ufeff").strip()


def _column_index(spec: TableSpec) -> dict[str, str]:
    idx: dict[str, str] = {}
    for c in spec.columns:
        idx[c.name.lower()] = c.name
        idx[_norm_header(c.alias)] = c.name
    return idx


def _table_name(stem: str) -> str | None:
    s = _norm_header(stem)
    return TABLE_NAMES.get(s) or TABLE_NAMES.get(s.lower())


class _Collector:
    def __init__(self) -> None:
        self.issues: list[LoadIssue] = []
        self.warnings: list[LoadIssue] = []

    def error(self, file: str, row: int | None, column: str | None, value: object, message: str) -> None:
        # a file name, header or cell may hold bytes that did not decode, control
        # characters or megabytes: messages show them spelled out and cut short
        self.issues.append(LoadIssue(charset.printable(file, 300), row,
                                     None if column is None else charset.printable(column, 80),
                                     None if value is None else charset.printable(str(value), 80), message))

    def warn(self, file: str, message: str) -> None:
        self.warnings.append(LoadIssue(file, None, None, None, message, level="warning"))

    def column_errors(self, raw: RawTable, col: str, mask: pd.Series, values: pd.Series, message: str) -> None:
        """One issue per failing row of a column (capped per column, with a summary)."""
        if not mask.any():
            return
        header = raw.headers.get(col, col)
        pos = np.flatnonzero(mask.to_numpy())
        for p in pos[:_PER_COLUMN_CAP]:
            v = values.iloc[p]
            self.error(raw.display, int(raw.rows[p]), header, None if v is None or v is pd.NA else v, message)
        if len(pos) > _PER_COLUMN_CAP:
            self.error(raw.display, None, header, None,
                       f"同类错误另有 {len(pos) - _PER_COLUMN_CAP} 行未逐一列出（{message}）")


def _prepare(frame: pd.DataFrame, table: str, display: str, base_dir: Path, unit_id: str | None,
             out: _Collector, first_row: int = 2) -> RawTable | None:
    spec = TABLES[table]
    if _duplicate_headers(frame, display, out):
        return None
    index = _column_index(spec)
    headers: dict[str, str] = {}
    rename: dict[str, str] = {}
    for h in frame.columns:
        key = _norm_header(h)
        name = index.get(key) or index.get(key.lower())
        if name is None:
            continue  # an extra column: kept, ignored
        if name in headers:
            out.error(display, 1, str(h), None,
                      f"与「{headers[name]}」是同一列（{name}/{spec.column(name).alias}），一列只能出现一次")
            continue
        headers[name] = str(h)
        rename[h] = name
    # copy=False: the cells are not copied, only the column labels change
    frame = frame.rename(columns=rename, copy=False)
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    # drop rows that are entirely blank (trailing lines, spacer rows)
    if len(frame):
        # narrow the candidates column by column: after the first column
        # almost no row is left to look at
        blank = np.ones(len(frame), dtype=bool)
        for i in range(frame.shape[1]):  # by position: blank headers may repeat
            cand = np.flatnonzero(blank)
            if not len(cand):
                break
            blank[cand] = blank_mask(frame.iloc[cand, i]).to_numpy()
        if blank.any():
            frame = frame[~blank]
            rows = rows[~blank]
    # a fresh 0..n-1 index; reset_index(drop=True) would copy every cell. The
    # frame is our own object here (rename and the blank-row cut made it).
    frame.index = pd.RangeIndex(len(frame))
    missing = [c for c in spec.columns if c.required and c.name not in headers
               and not (c.name == "unit_id" and unit_id is not None)]
    for c in missing:
        out.error(display, 1, f"{c.alias}（{c.name}）", None,
                  f"缺少必填列「{c.alias}」（也可写作 {c.name}）")
    if missing:
        return None
    return RawTable(table, frame, display, headers, base_dir, unit_id, rows)


def _duplicate_headers(frame: pd.DataFrame, display: str, out: _Collector) -> bool:
    """An error for each header written twice (blank headers aside); True if there was one."""
    first: dict[str, int] = {}
    found = False
    for i, h in enumerate(frame.columns):
        key = _norm_header(h)
        if key == "" or str(h).startswith("Unnamed: "):
            continue
        if key in first:
            out.error(display, 1, f"第{i + 1}列", h, f"与第{first[key] + 1}列的表头相同：一列只能出现一次")
            found = True
        else:
            first[key] = i
    return found


def _report(sheet: read.Sheet, display: str, out: _Collector) -> pd.DataFrame | None:
    """The sheet's problems as errors of ``display``; its frame when there were none."""
    for p in sheet.problems:
        out.error(display, p.row, p.column, p.value, p.message)
    return None if sheet.problems else sheet.frame


def _read_sheet(ws, display: str, out: _Collector) -> pd.DataFrame | None:
    try:
        sheet = read.read_sheet(ws)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged sheet
        out.error(display, None, None, None, f"无法读取该工作表（{type(exc).__name__}：{charset.printable(str(exc), 120)}）")
        return None
    return _report(sheet, display, out)


def _read_table_file(path: Path, display: str, base_dir: Path, unit_id: str | None,
                     out: _Collector) -> RawTable | None:
    table = _table_name(path.stem)
    assert table is not None
    if path.suffix.lower() == ".csv":
        try:
            frame = _report(read.read_csv(path), display, out)
        except OSError as exc:
            out.error(display, None, None, None, f"无法读取该文件：{exc.strerror or exc}")
            return None
    else:
        frame = _with_workbook(path, display, out, lambda wb: _read_sheet(wb.worksheets[0], display, out))
    if frame is None:
        return None
    return _prepare(frame, table, display, base_dir, unit_id, out)


def _with_workbook(path: Path, display: str, out: _Collector, use):
    """``use(workbook)`` on a read-only workbook that passed the size checks; None if it cannot be opened."""
    from openpyxl import load_workbook

    problems = read.workbook_problems(path)
    if problems:
        _report(read.Sheet(None, problems), display, out)
        return None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        out.error(display, None, None, None, f"无法读取该工作簿（{type(exc).__name__}：{charset.printable(str(exc), 120)}）")
        return None
    try:
        return use(wb)
    finally:
        wb.close()


def _table_files(folder: Path, out: _Collector, root: Path) -> list[Path]:
    files = []
    seen: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name.startswith((".", "~$")):
            continue
        if p.suffix.lower() not in TABLE_SUFFIXES:
            continue
        table = _table_name(p.stem)
        if table is None:
            names = "、".join(f"{t.name}/{t.alias}" for t in TABLES.values())
            out.warn(_display(p, root), f"文件名不是已知的表名，已忽略。已知的表：{names}")
            continue
        if table in seen:
            out.error(_display(p, root), None, None, None,
                      f"与 {_display(seen[table], root)} 是同一张表（{table}），一张表只能提供一个文件")
            continue
        seen[table] = p
        files.append(p)
    return files


def _display(p: Path, root: Path) -> str:
    try:
        rel = p.relative_to(root.parent if root.is_dir() else root.parent)
    except ValueError:
        return str(p)
    return str(rel)


# ---------------------------------------------------------------------------
# layouts


def _read_units_yaml(path: Path, root: Path, out: _Collector) -> dict | None:
    display = _display(path, root)
    try:
        raw = read_unit_yaml(path)
    except UnitYamlError as exc:
        for key, message in exc.problems:
            out.error(display, None, key, None, message)
        return None
    # accept Chinese keys too; a key written both ways is ambiguous
    aliases = {c.alias: c.name for c in TABLES["units"].columns}
    data: dict[str, object] = {}
    for k, v in raw.items():
        name = aliases.get(k, k)
        if name in data:
            out.error(display, None, k, None, f"与另一个键是同一项（{name}），只能写一次")
            return None
        data[name] = v
    try:
        row = UnitRow.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            key = ".".join(str(x) for x in e["loc"])
            alias = next((c.alias for c in TABLES["units"].columns if c.name == key), key)
            msg = "缺少必填项" if e["type"] == "missing" else "应为文本"
            out.error(display, None, f"{alias}（{key}）", None, f"{msg}：unit.yaml 需写明 {_UNIT_REQUIRED}")
        return None
    return row.model_dump()


def _collect_folder(root: Path, out: _Collector) -> tuple[list[RawTable], dict[str, dict], str]:
    """Returns raw tables, per-unit-folder units rows (if any), and the layout name."""
    raws: list[RawTable] = []
    unit_rows: dict[str, dict] = {}
    if (root / UNIT_FILE).is_file():
        unit_dirs = [root]
        layout = "unit"
    else:
        unit_dirs = sorted(d for d in root.iterdir() if d.is_dir() and (d / UNIT_FILE).is_file())
        layout = "units" if unit_dirs else "tables"
    if layout == "tables":
        files = _table_files(root, out, root)
        for f in files:
            r = _read_table_file(f, _display(f, root), root, None, out)
            if r is not None:
                raws.append(r)
        return raws, unit_rows, layout
    for d in unit_dirs:
        ydisp = _display(d / UNIT_FILE, root)
        unit = _read_units_yaml(d / UNIT_FILE, root, out)
        if unit is None:
            continue
        uid = unit["unit_id"]
        if uid in unit_rows:
            out.error(ydisp, None, "单位编码（unit_id）", uid, f"单位编码与 {unit_rows[uid]['_file']} 重复")
            continue
        unit["_file"] = ydisp
        unit_rows[uid] = unit
        for f in _table_files(d, out, root):
            if _table_name(f.stem) == "units":
                out.warn(_display(f, root), "单位文件夹内的单位表已忽略（单位信息取自 unit.yaml）")
                continue
            r = _read_table_file(f, _display(f, root), d, uid, out)
            if r is not None:
                raws.append(r)
    if layout == "units":
        for d in sorted(x for x in root.iterdir() if x.is_dir() and not (x / UNIT_FILE).is_file()
                        and not x.name.startswith((".", "_"))):
            out.warn(_display(d, root), "该文件夹没有 unit.yaml，不是单位文件夹，已忽略")
    return raws, unit_rows, layout


def _collect_workbook(path: Path, out: _Collector) -> list[RawTable]:
    return _with_workbook(path, path.name, out, lambda wb: _workbook_tables(wb, path, out)) or []


def _workbook_tables(wb, path: Path, out: _Collector) -> list[RawTable]:
    raws: list[RawTable] = []
    sheets: list[tuple[str, str, pd.DataFrame]] = []
    seen: dict[str, str] = {}
    for ws in wb.worksheets:
        display = f"{path.name}[{ws.title}]"
        if _norm_header(ws.title) in IGNORED_SHEETS:
            continue  # a template's instructions and drop-down lists
        table = _table_name(ws.title)
        if table is None:
            out.warn(display, "工作表名不是已知的表名，已忽略")
            continue
        if table in seen:
            out.error(display, None, None, None, f"与工作表「{seen[table]}」是同一张表（{table}）")
            continue
        seen[table] = ws.title
        frame = _read_sheet(ws, display, out)
        if frame is not None:
            sheets.append((table, display, frame))
    # the units sheet first: a workbook of one unit lends its unit_id to the other sheets' blank cells
    default_unit = None
    for table, display, frame in sorted(sheets, key=lambda s: s[0] != "units"):
        r = _prepare(frame, table, display, path.parent, None if table == "units" else default_unit, out)
        if r is not None:
            raws.append(r)
            if table == "units":
                default_unit = _only_unit(r)
    return raws


def _only_unit(units: RawTable) -> str | None:
    """The unit_id of a units table with exactly one row, else None."""
    ids = to_text(units.frame["unit_id"]) if "unit_id" in units.frame.columns else None
    if ids is None or len(ids) != 1 or ids.iloc[0] is None:
        return None
    return str(ids.iloc[0])


# ---------------------------------------------------------------------------
# typing and checks


#: column type -> (vectorised parser giving (values, unparsable mask), what an unparsable cell should be)
_PARSERS = {
    "date": (parse_dates, f"日期无法识别，应为 {DATE_SPELLINGS}"),
    "bool": (parse_bools, f"是否值无法识别，应为 {BOOL_SPELLINGS}，空白表示未知"),
    "int": (parse_ints, f"应为整数（{NUMBER_RANGE}）"),
    "number": (parse_numbers, f"应为数字（{NUMBER_RANGE}）"),
}


def _type_table(raw: RawTable, out: _Collector) -> pd.DataFrame:
    spec = TABLES[raw.table]
    f = raw.frame
    typed: dict[str, pd.Series] = {}
    for c in spec.columns:
        if c.name not in f.columns:
            continue
        col = f[c.name]
        bad = None
        if c.type in ("text", "url", "path"):
            typed[c.name] = to_text(col)
        elif c.type in _PARSERS:
            parse, message = _PARSERS[c.type]
            typed[c.name], bad = parse(col)
            out.column_errors(raw, c.name, bad, col, message)
        if c.min_value is not None and c.name in typed:
            v = typed[c.name]
            neg = (v < c.min_value).fillna(False).astype(bool)
            out.column_errors(raw, c.name, neg, col, f"不能为负数（应 ≥ {c.min_value:g}）")
        if c.required and c.name in typed and not (c.name == "unit_id" and raw.unit_id is not None):
            # blank = unknown after typing, less the cells that failed to parse
            miss = typed[c.name].isna()
            if bad is not None:
                miss &= ~bad
            out.column_errors(raw, c.name, miss, col, f"必填项「{c.alias}」为空")
    # copy=False: every column above is a fresh array of its own, so there is
    # no need to copy them all once more into one consolidated block
    df = pd.DataFrame(typed, index=f.index, copy=False)
    for c in spec.columns:  # typed empty columns for those the file did not have
        if c.name not in df.columns and not (c.name == "unit_id" and raw.unit_id is not None):
            df[c.name] = empty_table(raw.table)[c.name].reindex(df.index)
    if raw.unit_id is not None:
        if "unit_id" in df.columns:
            other = df["unit_id"].notna() & (df["unit_id"] != raw.unit_id)
            out.column_errors(raw, "unit_id", other, f["unit_id"],
                              f"这里的行只能属于单位 {raw.unit_id}（留空或写 {raw.unit_id}）")
        df["unit_id"] = raw.unit_id
    extras = [c for c in f.columns if c not in typed]
    for c in extras:
        df[c] = to_text(f[c]) if c != "" else None
    df["_file"] = raw.display
    df["_row"] = pd.array(raw.rows, dtype="Int64")
    return df


def _check_table(raw: RawTable, out: _Collector) -> pd.DataFrame:
    """The one stage every table goes through, driven by its declaration (scoring/evidence/schema.py).

    Each column parsed by its type (with its minimum and required checks), then
    each column's normaliser and allowed values, the table's derived columns,
    and its row checks. Problems are reported in that order; keys are checked
    once all files of a table are together (:func:`_duplicates`).
    """
    spec = TABLES[raw.table]
    df = _type_table(raw, out)
    for c in spec.columns:
        if c.name not in raw.headers:
            continue  # a column the file did not have is blank: nothing to normalise or check
        if c.normaliser is not None:  # it maps each cell to an allowed value or reports it
            df[c.name], problems = c.normaliser(df[c.name], df, c)
            _report_problems(raw, df, problems, out)
        elif c.values and not c.open_values:
            bad = df[c.name].notna() & ~df[c.name].isin(c.values)
            out.column_errors(raw, c.name, bad, raw.frame[c.name],
                              f"未知的{c.value_name or c.alias}，应为：{'、'.join(c.values)}（或留空）")
    for name, compute in spec.derived:
        df[name] = compute(df, raw.base_dir)
    for check in spec.row_checks:
        _report_problems(raw, df, check(df, raw.base_dir), out)
    return df


def _report_problems(raw: RawTable, df: pd.DataFrame, problems, out: _Collector) -> None:
    """Each located problem as errors naming the user's rows, header and cell as written."""
    for p in problems:
        shown = raw.frame[p.column] if p.column in raw.frame.columns else df[p.column]
        out.column_errors(raw, p.column, p.rows, shown, p.message)


def _duplicates(table: str, df: pd.DataFrame, out: _Collector, headers: dict[tuple[str, str], str]) -> None:
    spec = TABLES[table]
    if not spec.unique_id or spec.id_column is None or table == "units":
        return
    key = ["unit_id", spec.id_column]
    # Integer keys instead of cutting the frame and comparing string pairs:
    # ids and units are factorised once each (blank id: code -1, not checked;
    # blank unit: its own group, as DataFrame.duplicated treats NaN).
    id_codes, id_uniq = pd.factorize(df[spec.id_column].to_numpy(dtype=object))
    given = id_codes >= 0
    n_ids = len(id_uniq)
    if n_ids == int(given.sum()):
        return  # no id appears twice in the whole table, so none within a unit
    unit_codes, _ = pd.factorize(df["unit_id"].to_numpy(dtype=object))
    pair = (unit_codes[given].astype(np.int64) + 1) * n_ids + id_codes[given]
    if not pd.Series(pair).duplicated(keep="first").any():
        return
    # duplicates to report (rare): the original, frame-based listing
    sub = df[given]
    dup = sub.duplicated(key, keep="first")
    first = sub.drop_duplicates(key, keep="first").set_index(key)[["_file", "_row"]]
    for idx, r in sub[dup].head(_PER_COLUMN_CAP).iterrows():
        f0 = first.loc[(r["unit_id"], r[spec.id_column])]
        where = f"第{f0['_row']}行" if f0["_file"] == r["_file"] else f"{f0['_file']} 第{f0['_row']}行"
        out.error(r["_file"], int(r["_row"]), headers.get((r["_file"], spec.id_column), spec.column(spec.id_column).alias),
                  r[spec.id_column], f"同一单位内{spec.column(spec.id_column).alias}重复（与{where}相同）")


# ---------------------------------------------------------------------------


def load_batch(path: str | Path) -> Batch:
    """Load a batch; raises :class:`EvidenceError` with every problem found."""
    root = Path(path)
    out = _Collector()
    if not root.exists():
        raise EvidenceError([LoadIssue(str(path), None, None, None, "找不到该文件或文件夹")])
    if root.is_file():
        if root.suffix.lower() != ".xlsx":
            raise EvidenceError([LoadIssue(str(path), None, None, None,
                                           "应为一个底稿文件夹或一个 .xlsx 工作簿（每张表一个工作表）")])
        raws, unit_rows, layout = _collect_workbook(root, out), {}, "workbook"
    else:
        from scoring.evidence.workbooks import load_workbook_folder, workbook_files

        books = workbook_files(root)
        if books:
            return load_workbook_folder(root, books)
        raws, unit_rows, layout = _collect_folder(root, out)
    units, units_raw = _units_table(root, raws, unit_rows, layout, out)
    typed, sources, headers = _other_tables(raws, units, units_raw, out)
    tables = _combined_tables(typed, headers, out)
    if out.issues:
        raise EvidenceError(out.issues + out.warnings)
    return Batch(root=root, units=units.reset_index(drop=True), tables=tables,
                 provided=_provided(units, typed, raws, tables, layout), warnings=out.warnings, sources=sources)


def _units_table(root: Path, raws: list[RawTable], unit_rows: dict[str, dict], layout: str,
                 out: _Collector) -> tuple[pd.DataFrame, RawTable | None]:
    """The units: from the unit folders' unit.yaml, or from the units table (checked like any table)."""
    if layout in ("unit", "units"):
        if not unit_rows and not out.issues:
            out.error(str(root), None, None, None, "没有找到任何单位（unit.yaml）")
        units = pd.DataFrame(list(unit_rows.values()))
        if len(units):
            units["_row"] = pd.array([None] * len(units), dtype="Int64")
        units_raw = None
    else:
        units_raw = next((r for r in raws if r.table == "units"), None)
        if units_raw is None and not any(i.column and "单位编码" in i.column for i in out.issues):
            if not any(i.file.startswith(("units", "单位")) or "[单位]" in i.file or "[units]" in i.file
                       for i in out.issues):
                out.error(str(root), None, None, None,
                          "缺少单位表：需要 units.csv（或 单位.csv、units.xlsx、工作表「单位」）")
        units = _check_table(units_raw, out) if units_raw is not None else pd.DataFrame(columns=["unit_id"])
        if units_raw is not None:
            dup = units["unit_id"].notna() & units.duplicated("unit_id", keep="first")
            out.column_errors(units_raw, "unit_id", dup, units_raw.frame["unit_id"], "单位编码重复")
    for c in TABLES["units"].columns:
        if c.name not in units.columns:
            units[c.name] = None
    return units, units_raw


def _other_tables(raws: list[RawTable], units: pd.DataFrame, units_raw: RawTable | None,
                  out: _Collector) -> tuple[dict[str, list[pd.DataFrame]], dict[str, list[str]], dict]:
    """Every other table's files checked by their declarations, rows of units not registered refused;
    also each file's headers as written (for the duplicate-key messages)."""
    known_units = set(units["unit_id"].dropna().astype(str))
    typed: dict[str, list[pd.DataFrame]] = {}
    sources: dict[str, list[str]] = {}
    headers: dict[tuple[str, str], str] = {}
    for raw in raws:
        sources.setdefault(raw.table, []).append(raw.display)
        if raw.table == "units":
            continue
        df = _check_table(raw, out)
        if raw.unit_id is None and "unit_id" in df.columns and (known_units or units_raw is not None):
            unknown = df["unit_id"].notna() & ~df["unit_id"].isin(known_units)
            out.column_errors(raw, "unit_id", unknown, raw.frame["unit_id"],
                              "单位编码不在单位表中（先在 units 表登记该单位）")
        headers.update({(raw.display, col): h for col, h in raw.headers.items()})
        typed.setdefault(raw.table, []).append(df)
    return typed, sources, headers


def _combined_tables(typed: dict[str, list[pd.DataFrame]], headers: dict,
                     out: _Collector) -> dict[str, pd.DataFrame]:
    """Each table's files as one frame with every declared column; keys checked across the files."""
    tables: dict[str, pd.DataFrame] = {}
    for name, frames in typed.items():
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        base = empty_table(name)
        for c in base.columns:
            if c not in df.columns:
                df[c] = base[c]
        _duplicates(name, df, out, headers)
        df["unit_id"] = df["unit_id"].astype(str).where(df["unit_id"].notna(), None)
        tables[name] = df
    return tables


def _provided(units: pd.DataFrame, typed: dict[str, list[pd.DataFrame]], raws: list[RawTable],
              tables: dict[str, pd.DataFrame], layout: str) -> pd.DataFrame:
    """Which unit provided which table: per unit folder (a header-only file counts), else every unit."""
    unit_ids = pd.Index(units["unit_id"].astype(str), name="unit_id")
    provided = pd.DataFrame(False, index=unit_ids, columns=[t for t in TABLES if t != "units"])
    if layout in ("unit", "units"):
        for name, frames in typed.items():
            for df in frames:
                if len(df):
                    provided.loc[df["unit_id"].iloc[0], name] = True
        for raw in raws:  # header-only files: provided, with no items
            if raw.unit_id is not None and raw.table in provided.columns:
                provided.loc[raw.unit_id, raw.table] = True
    else:
        for name in tables:
            provided[name] = True
    return provided

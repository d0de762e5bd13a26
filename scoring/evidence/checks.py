"""The table-specific functions the evidence declarations name (scoring/evidence/schema.py).

Three kinds, each run by the loader's one generic stage (``load._check_table``):

- a column's **normaliser** ``(values, frame, column) -> (values, problems)``:
  rewrites the typed column (canonical spellings) and reports cells it cannot
  place; it runs before the column's allowed values are checked;
- a table's **derived column** ``(frame, base_dir) -> Series``: a column the
  loader adds to the typed frame (its name starts with ``_``);
- a table's **row check** ``(frame, base_dir) -> problems``: a rule across the
  columns of a row, run once the derived columns are there.

``frame`` is the typed frame of one file (English column names, a column the
file did not have is blank); ``base_dir`` is the folder paths in that file are
relative to. A :class:`Problem` locates rows by a boolean mask on one column;
the loader names the file, row, header and value. Every function here works on
whole columns, each distinct value judged once (``pd.factorize``), never with
a Python loop per row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from scoring.evidence import annual_labels as al

if TYPE_CHECKING:
    from scoring.evidence.schema import ColumnSpec


class Problem(NamedTuple):
    """Rows of a table where ``column`` is wrong, and what is wrong (Chinese)."""

    column: str
    rows: pd.Series          # bool, aligned with the frame: True where the row has the problem
    message: str


# ---------------------------------------------------------------------------
# normalisers


#: a site check's status that is an HTTP status code
_HTTP_STATUS = re.compile(r"\d{3}")


def http_status(values: pd.Series, frame: pd.DataFrame, column: ColumnSpec) -> tuple[pd.Series, list[Problem]]:
    """A status is a three-digit HTTP code or one of the column's error names; kept as written."""
    # judged once per distinct status (a handful), spread back by code;
    # code -1 (a blank cell, the last entry) is not an error
    codes, uniq = pd.factorize(values.to_numpy(dtype=object))
    known = np.array([_HTTP_STATUS.fullmatch(u) is not None or u in column.values for u in uniq] + [True],
                     dtype=bool)
    bad = pd.Series(~known[codes], index=values.index)
    return values, [Problem(column.name, bad,
                            f"未知的{column.alias}，应为三位 HTTP 状态码或 {'、'.join(column.values)}")]


def annual_table(values: pd.Series, frame: pd.DataFrame, column: ColumnSpec) -> tuple[pd.Series, list[Problem]]:
    """'3', '表3', '三' -> '3' (al.normalize_table); an unknown table number is an error."""
    # a million cells carry a handful of distinct spellings: each is normalised
    # once and spread back over the rows with an integer take (code -1 = blank,
    # the last entry, NaN as Series.map gives for a missing key)
    codes, uniq = pd.factorize(values.to_numpy(dtype=object))
    norm = np.array([al.normalize_table(u) for u in uniq] + [np.nan], dtype=object)
    bad = pd.Series((codes >= 0) & pd.isna(norm)[codes], index=values.index)
    return (pd.Series(norm[codes], index=values.index, dtype=object),
            [Problem(column.name, bad, "未知的表号，应为 2、3 或 4（年报第二、三、四部分）")])


def annual_row(values: pd.Series, frame: pd.DataFrame, column: ColumnSpec) -> tuple[pd.Series, list[Problem]]:
    """A row label as printed -> its canonical path in its table (al.canonical_row)."""
    return _annual_label(values, frame["table"], column.name, "行", al.canonical_row, al.ROWS)


def annual_col(values: pd.Series, frame: pd.DataFrame, column: ColumnSpec) -> tuple[pd.Series, list[Problem]]:
    """A column label as printed -> its canonical name in its table (al.canonical_col)."""
    return _annual_label(values, frame["table"], column.name, "列", al.canonical_col, al.COLS)


def _annual_label(values: pd.Series, tables: pd.Series, name: str, what: str, canonical,
                  labels: dict[str, tuple[str, ...]]) -> tuple[pd.Series, list[Problem]]:
    """Canonical labels per table number (already normalised); unknown labels of a known table are errors.

    The canonical label where there is one, else the cell as written. A million
    cells hold a few hundred distinct (table, label) pairs: each pair is looked
    up once and the results are spread back over the rows with integer takes.
    """
    t_codes, t_uniq = pd.factorize(tables.to_numpy(dtype=object))   # -1: a blank or unknown table
    codes, uniq = pd.factorize(values.to_numpy(dtype=object))        # -1: a blank label
    pair_codes, pairs = pd.factorize((t_codes.astype(np.int64) + 1) * (len(uniq) + 1) + (codes + 1))
    tab_of = [t_uniq[p // (len(uniq) + 1) - 1] if p // (len(uniq) + 1) else None for p in pairs]
    label_of = [uniq[p % (len(uniq) + 1) - 1] if p % (len(uniq) + 1) else None for p in pairs]
    found = [canonical(t, v) if t in labels and v is not None else None for t, v in zip(tab_of, label_of)]
    shown = np.array([f if f is not None else v for f, v in zip(found, label_of)], dtype=object)
    unknown = np.array([t in labels and v is not None and f is None
                        for t, v, f in zip(tab_of, label_of, found)], dtype=bool)
    problems = []
    for tab in labels:
        in_tab = np.array([t == tab for t in tab_of], dtype=bool)
        if not in_tab[pair_codes].any():
            continue
        bad = pd.Series((unknown & in_tab)[pair_codes], index=values.index)
        problems.append(Problem(name, bad, f"表{tab}中未知的{what}，应为：{'、'.join(labels[tab])}"))
    return pd.Series(shown[pair_codes], index=values.index, dtype=object), problems


# ---------------------------------------------------------------------------
# derived columns


def text_path(frame: pd.DataFrame, base_dir: Path) -> pd.Series:
    """The absolute path of a row's ``text_file`` when that file exists, else None."""
    codes, uniq = pd.factorize(frame["text_file"].to_numpy(dtype=object))
    paths = [str((base_dir / p).resolve()) for p in uniq]
    found = np.array([p if Path(p).is_file() else None for p in paths] + [None], dtype=object)
    return pd.Series(found[codes], index=frame.index, dtype=object)


# ---------------------------------------------------------------------------
# row checks


def _before(frame: pd.DataFrame, col: str, than: str) -> pd.Series:
    return (frame[col] < frame[than]).fillna(False).astype(bool)


def replied_after_received(frame: pd.DataFrame, base_dir: Path) -> list[Problem]:
    """A reply cannot come before the request or message it answers."""
    return [Problem("replied_on", _before(frame, "replied_on", "received_on"), "答复日期早于收到日期")]


def request_steps_after_received(frame: pd.DataFrame, base_dir: Path) -> list[Problem]:
    """Correction and extension notices come after the request was received."""
    return [Problem(col, _before(frame, col, "received_on"), f"{what}早于收到日期")
            for col, what in (("corrected_on", "补正收到日期"), ("correction_notice_on", "补正告知日期"),
                              ("extension_notice_on", "延期告知日期"))]


def consultation_dates_after_opening(frame: pd.DataFrame, base_dir: Path) -> list[Problem]:
    """The comment period closes, and the feedback is published, after the draft was put out."""
    return [Problem(col, _before(frame, col, "opened_on"), f"{what}早于发布日期")
            for col, what in (("closes_on", "截止日期"), ("feedback_on", "意见采纳情况反馈日期"))]


def text_file_exists(frame: pd.DataFrame, base_dir: Path) -> list[Problem]:
    """A ``text_file`` that is written must exist (the derived ``_text_path`` is None otherwise)."""
    missing = frame["text_file"].notna() & frame["_text_path"].isna()
    return [Problem("text_file", missing.astype(bool), f"正文文件不存在（路径相对于 {base_dir.name or base_dir}）")]

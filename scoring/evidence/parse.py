"""Vectorised parsing of evidence cells: dates, booleans, integers, numbers, text.

Each parser takes a Series of raw cells (str from CSV; str, int, float,
datetime or bool from a workbook) and returns ``(parsed, bad)`` where ``bad``
is a boolean mask of non-blank cells that could not be parsed. Blank cells are
"unknown" (NaT / <NA> / None), never an error here.

Speed: a column of text cells (every CSV column) is factorised first and each
distinct spelling is parsed once, then spread back over the rows with a numpy
take. Evidence columns repeat a lot (365 dates, 是/否, a few thousand unit
ids), so a province batch parses a few thousand strings per column instead of
millions; the per-value parsers below only ever see the distinct values.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from scoring.dates import DATE_RE

DATE_SPELLINGS = "2026-03-05、2026/3/5、2026.3.5、2026年3月5日 或 Excel 日期单元格"
BOOL_SPELLINGS = "是/否、有/无、Y/N、yes/no、true/false、1/0、√/×"

_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "1.0", "t"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "✘", "x", "0.0", "f"}
BOOL_MAP = {**{k: True for k in _TRUE}, **{k: False for k in _FALSE}}



#: numbers and integers must be finite and smaller than this in absolute value: every
#: integer below it is exact in float64, and no count or points of an assessment come near
NUMBER_LIMIT = 1e15
NUMBER_RANGE = "绝对值小于 10^15"

#: columns shorter than this are parsed cell by cell (factorising does not pay)
_UNIQUE_MIN = 256


def _factorized(raw: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """``(take, uniques)`` for a long all-text column, else None.

    ``uniques`` holds each distinct cell once plus a final None for the blank
    (NaN/None) cells; ``uniques.iloc[take]`` rebuilds the column.
    """
    if len(raw) < _UNIQUE_MIN:
        return None
    codes, uniq = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    # "all text" is checked on the distinct values, not on millions of cells:
    # no non-str cell is equal to a str, so a cell of another type (a number
    # from a workbook) shows up among the distinct values as itself
    if not _all_str(pd.Series(uniq, dtype=object)):
        return None
    take = np.where(codes < 0, len(uniq), codes)
    return take, pd.Series(np.append(np.asarray(uniq, dtype=object), None), dtype=object)


def _spread(values: pd.Series, take: np.ndarray, index: pd.Index) -> pd.Series:
    if isinstance(values.dtype, np.dtype):
        return pd.Series(values.to_numpy()[take], index=index, copy=False)
    return pd.Series(values.array.take(take), index=index, copy=False)


def _by_unique(parser):
    """Wrap a ``raw -> (parsed, bad)`` parser to run on distinct values only."""
    def run(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
        fz = _factorized(raw)
        if fz is None:
            return parser(raw)
        take, uniq = fz
        parsed, bad = parser(uniq)
        return _spread(parsed, take, raw.index), pd.Series(bad.to_numpy()[take], index=raw.index)
    run.__doc__ = parser.__doc__
    run.__name__ = parser.__name__.lstrip("_")
    return run


def _strip_str_cells(arr: np.ndarray) -> np.ndarray | None:
    """Each cell stripped of whitespace at both ends, if every cell is a str; else None.

    Every cell of a CSV column is a str (``keep_default_na=False``: a blank
    cell is ""), so this is the path for millions of cells. ``str.strip`` is
    mapped over the cells in C, with no Python frame per cell, and returns the
    very same object when there is nothing to strip (almost every cell), so
    this costs one pointer array rather than a scan of joined text or a copy of
    the strings. It strips exactly what ``Series.str.strip()`` strips.

    A cell that is not a str (a blank None/NaN or a number or date from a
    workbook) makes ``str.strip`` raise TypeError: such a column is handled
    cell by cell by the caller instead.
    """
    try:
        return np.fromiter(map(str.strip, arr), dtype=object, count=len(arr))
    except TypeError:
        return None


def blank_mask(raw: pd.Series) -> pd.Series:
    """True where a cell is empty (None, NaN, NaT, or only whitespace)."""
    stripped = _strip_str_cells(raw.to_numpy(dtype=object))
    if stripped is not None:
        return pd.Series(stripped == "", index=raw.index)
    return _blank_each(raw)


def _blank_each(raw: pd.Series) -> pd.Series:
    if _all_str(raw):
        return raw.isna() | raw.str.strip().eq("").fillna(False).astype(bool)
    return raw.map(
        lambda v: v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
    ).astype(bool)


def _all_str(s: pd.Series) -> bool:
    return pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")


def to_text(raw: pd.Series) -> pd.Series:
    """Text cells: stripped str, None when blank. Numbers from workbooks lose a trailing .0."""
    stripped = _strip_str_cells(raw.to_numpy(dtype=object))
    if stripped is None:
        return _text_each(raw)
    stripped[stripped == ""] = None
    return pd.Series(stripped, index=raw.index, dtype=object)


def _text_each(raw: pd.Series) -> pd.Series:
    if _all_str(raw):
        s = raw.str.strip()
    else:
        def conv(v: object) -> object:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                return None
            if isinstance(v, float) and v.is_integer():
                return str(int(v))
            if isinstance(v, (dt.datetime, pd.Timestamp)):
                return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
            return str(v).strip()
        s = raw.map(conv)
    s = s.astype(object)
    return s.where(s.notna() & (s != ""), None)


def _parse_dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = _blank_each(raw)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    is_dt = raw.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))) if not _all_str(raw) else pd.Series(False, index=raw.index)
    if is_dt.any():
        # a workbook's date cell may lie outside what datetime64[ns] holds (9999-12-31): NaT, so bad
        out[is_dt] = pd.to_datetime(raw[is_dt].map(_day_or_nat))
    todo = ~blank & ~is_dt
    if todo.any():
        s = raw[todo].astype(str).str.strip()
        # fast path: the ISO spelling most files use
        fast = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
        out[todo] = fast
        rest = fast.isna()
        if rest.any():
            r = s[rest].map(lambda v: unicodedata.normalize("NFKC", v))
            parts = r.str.extract(DATE_RE)
            ymd = parts.apply(pd.to_numeric, errors="coerce")
            ok = ymd.notna().all(axis=1)
            parsed = pd.to_datetime(
                pd.DataFrame({"year": ymd[0], "month": ymd[1], "day": ymd[2]})[ok], errors="coerce"
            ) if ok.any() else pd.Series(dtype="datetime64[ns]")
            out.loc[parsed.index] = parsed
    bad = ~blank & out.isna()
    return out, bad


def _day_or_nat(v: dt.date | pd.Timestamp) -> pd.Timestamp:
    try:
        return pd.Timestamp(v).normalize().as_unit("ns")
    except (OverflowError, ValueError):  # OutOfBoundsDatetime is a ValueError
        return pd.NaT


def _parse_bools(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = _blank_each(raw)
    keys = raw.map(lambda v: str(v).strip().lower() if not isinstance(v, bool) else ("true" if v else "false"))
    mapped = keys.map(BOOL_MAP)
    out = pd.array(mapped.where(~blank, None).tolist(), dtype="boolean")
    out = pd.Series(out, index=raw.index)
    bad = ~blank & mapped.isna()
    out[bad] = pd.NA
    return out, bad


def _numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = _blank_each(raw)
    if _all_str(raw):
        s = raw.str.strip().str.replace(",", "", regex=False)
        num = pd.to_numeric(s, errors="coerce")
        retry = num.isna() & ~blank
        if retry.any():
            num[retry] = pd.to_numeric(
                s[retry].map(lambda v: unicodedata.normalize("NFKC", v).replace(",", "").strip()), errors="coerce")
    else:
        num = pd.to_numeric(raw.map(lambda v: str(v).strip().replace(",", "") if v is not None else None),
                            errors="coerce")
    num = num.astype("float64")
    num[blank] = np.nan
    # inf, nan and values beyond NUMBER_LIMIT (1e20, 2**63) are bad, not numbers to carry on with
    num[~(num.abs() < NUMBER_LIMIT)] = np.nan
    bad = ~blank & num.isna()
    return num, bad


def _parse_numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _numbers(raw)


def _parse_ints(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    num, bad = _numbers(raw)
    frac = num.notna() & (num != np.floor(num.fillna(0)))
    bad = bad | frac
    num[frac] = np.nan
    return num.round().astype("Int64"), bad


parse_dates = _by_unique(_parse_dates)
parse_bools = _by_unique(_parse_bools)
parse_numbers = _by_unique(_parse_numbers)
parse_ints = _by_unique(_parse_ints)

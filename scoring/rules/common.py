"""Helpers shared by the rule kinds: building findings, periods, dates.

Everything here works on whole columns; nothing loops over evidence rows.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from fractions import Fraction
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from scoring.results import exact_text
from scoring.rubric.model import Points  # noqa: F401 - the rules' points type (0 .. 10^6, 6 decimal places)
from scoring.rules.base import FINDING_COLUMNS, RuleContext, empty_findings, to_fraction



class NamedItem(BaseModel):
    """A name with synonyms (a catalog column, an interpretation element)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    synonyms: tuple[str, ...] = ()

    @field_validator("name")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("名称不能为空")
        return v.strip()

    @property
    def spellings(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in (self.name, *self.synonyms):
            seen.setdefault(norm_text(s), None)
        return tuple(seen)


#: a NamedItem that may also be written as a bare string in the rubric
Named = Annotated[NamedItem, BeforeValidator(lambda v: {"name": v} if isinstance(v, str) else v,
                                           json_schema_input_type=str | NamedItem)]


def norm_text(s: str) -> str:
    """NFKC and no whitespace: how names are compared."""
    return "".join(unicodedata.normalize("NFKC", str(s)).split())


def norm_series(s: pd.Series) -> pd.Series:
    """Vectorised :func:`norm_text`; missing stays missing."""
    # bulk NFKC (scoring/textnorm.py): same result, ~6x faster on Chinese text
    from scoring.textnorm import nfkc_series

    return nfkc_series(s, remove_space=True)


def fmt_date(s: pd.Series) -> pd.Series:
    """2026-10-29, or 未填 for a missing date."""
    return s.dt.strftime("%Y-%m-%d").fillna("未填")


def fmt_int(s: Any) -> pd.Series:
    return pd.Series(s).astype("Int64").astype("string").fillna("?").astype(object)


def fmt_points(x: Fraction | Decimal) -> str:
    """A rubric parameter or share quoted exactly in a message ('0.5', '8'): :func:`scoring.results.exact_text`."""
    return exact_text(to_fraction(x))


def in_period(dates: pd.Series, ctx: RuleContext) -> pd.Series:
    """True where the date falls in ctx.period_start..ctx.period_end (inclusive)."""
    return ((dates >= ctx.period_start) & (dates <= ctx.period_end)).fillna(False).astype(bool)


def is_true(s: pd.Series) -> pd.Series:
    return s.astype("boolean").fillna(False).astype(bool)


def is_false(s: pd.Series) -> pd.Series:
    return (~s.astype("boolean")).fillna(False).astype(bool)


def is_blank(s: pd.Series) -> pd.Series:
    """Missing, or text that is only whitespace."""
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        return s.isna() | s.astype("string").str.strip().eq("").fillna(True).astype(bool)
    return s.isna()


def make_findings(
    rows: pd.DataFrame,
    *,
    table: str,
    ref: pd.Series | str,
    message: pd.Series | str,
    deduction: Fraction | Decimal | int | pd.Series,
    kind: str | pd.Series = "deduction",
    unit_id: pd.Series | None = None,
    pending: bool | pd.Series = False,
) -> pd.DataFrame:
    """Findings for each row of ``rows`` (an evidence frame subset, or any frame with unit_id).

    ``file``/``row`` come from ``rows['_file']``/``rows['_row']`` when present.
    ``pending``: the row's item is still not done at as_of (a request not yet
    answered, a report not yet published); the recheck treats it as rectifiable.
    """
    n = len(rows)
    if n == 0:
        return empty_findings()
    idx = rows.index

    def col(v: Any) -> pd.Series:
        if isinstance(v, pd.Series):
            return v.reindex(idx)
        return pd.Series([v] * n, index=idx, dtype=object)

    if isinstance(deduction, pd.Series):
        ded = deduction.reindex(idx).map(to_fraction)
    else:
        ded = col(to_fraction(deduction))
    out = pd.DataFrame(
        {
            "unit_id": (unit_id if unit_id is not None else rows["unit_id"]).reindex(idx).astype(str),
            "table": table,
            "ref": col(ref).fillna("").astype(str),
            "message": col(message).astype(str),
            "deduction": ded.astype(object),
            "file": rows["_file"].fillna("").astype(str) if "_file" in rows else "",
            "row": rows["_row"].astype("Int64") if "_row" in rows else pd.array([pd.NA] * n, dtype="Int64"),
            "kind": col(kind),
            "pending": (pending.reindex(idx).fillna(False).astype(bool) if isinstance(pending, pd.Series)
                        else pd.Series(bool(pending), index=idx, dtype=bool)),
        },
        index=idx,
    )
    return out[FINDING_COLUMNS]


def concat_findings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_findings()
    out = pd.concat(parts, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    return out[FINDING_COLUMNS]


def units_frame(ctx: RuleContext, provided: str | None = None) -> pd.DataFrame:
    """unit_id and kind of every unit, as strings; only units that provided table ``provided``."""
    u = ctx.batch.units
    out = pd.DataFrame({"unit_id": u["unit_id"].astype(str).to_numpy(),
                        "kind": u["kind"].astype(str).to_numpy()})
    if provided is not None:
        out = out[out["unit_id"].isin(provided_units(ctx, provided))]
    return out.reset_index(drop=True)


def provided_units(ctx: RuleContext, table: str) -> pd.Index:
    """Units whose evidence included ``table``."""
    p = ctx.batch.provided
    if table not in p.columns:
        return pd.Index([], dtype=object)
    return pd.Index(p.index[p[table].astype(bool).to_numpy()].astype(str))




def months_before(ts: pd.Timestamp, months: int) -> pd.Timestamp:
    """2026-11-20 minus 6 months = 2026-05-20 (calendar months, day clipped to the month's end)."""
    return ts - pd.DateOffset(months=months)


def wd_between(ctx: RuleContext, start: pd.Series, end: pd.Series) -> pd.Series:
    """Working days after start up to end (float, NaN where a date is missing)."""
    if len(start) == 0:
        return pd.Series(dtype="float64", index=start.index)
    return pd.Series(ctx.calendar.workdays_between_vec(start, end), index=start.index)


def wd_add(ctx: RuleContext, start: pd.Series, n: Any) -> pd.Series:
    """The Nth working day after start (datetime64, NaT where missing)."""
    if len(start) == 0:
        return pd.Series(dtype="datetime64[ns]", index=start.index)
    n_arr = n.to_numpy(dtype=object) if isinstance(n, pd.Series) else n
    return pd.Series(ctx.calendar.add_workdays_vec(start, n_arr), index=start.index)



@dataclass
class Lateness:
    """Evidence rows judged against a deadline of ``limit`` working days after their start date.

    ``late`` has one entry per row judged; the other Series only the late rows' (same index).
    """

    late: pd.Series      # bool: the end date falls after the deadline
    taken: pd.Series     # working days after the start up to the end (start day not counted)
    limit: pd.Series     # the working days allowed
    days: pd.Series      # working days past the deadline (taken - limit, > 0)
    deadline: pd.Series  # the last day in time: the limit-th working day after the start


def lateness(ctx: RuleContext, start: pd.Series, end: pd.Series, limit: int | pd.Series) -> Lateness:
    """Working-day lateness for the timeliness kinds (B5, C3, D1, D2, E1), vectorised.

    Late = more than ``limit`` working days after ``start`` up to ``end`` (holidays and 调休 per the
    calendar; the start day not counted); a row missing either date is not late. Deadlines are
    computed for the late rows only: they lie before ``end``, in years the calendar knows.
    """
    taken = wd_between(ctx, start, end)
    lim = limit if isinstance(limit, pd.Series) else pd.Series(limit, index=start.index, dtype="int64")
    late = (taken > lim).fillna(False).astype(bool)
    deadline = wd_add(ctx, start[late], lim[late] if isinstance(limit, pd.Series) else limit)
    return Lateness(late=late, taken=taken[late], limit=lim[late], days=(taken - lim)[late], deadline=deadline)


def late_text(lt: Lateness, deadline: str, basis: str | pd.Series) -> pd.Series:
    """How every timeliness finding words its lateness (one phrasing for B5, C3, D1, D2, E1)::

        法定答复期限 2026-10-29（20个工作日），逾期 1 个工作日

    ``deadline`` names the deadline (法定答复期限, 解读期限, ...); ``basis`` says how it was counted.
    """
    return (deadline + " " + fmt_date(lt.deadline) + "（" + basis + "），逾期 " + fmt_int(lt.days)
            + " 个工作日")


def row_keys(left: pd.DataFrame, right: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One int64 key per row of ``left`` and of ``right`` (same columns): equal rows, equal keys.

    What a MultiIndex or a merge on these columns compares, ~3x cheaper: each column of both frames
    is factorised once and the codes are combined mixed-radix (exact: no joined strings that a
    separator character could confuse). Missing values equal missing values, as in a merge.
    """
    n = len(left)
    key = np.zeros(n + len(right), dtype=np.int64)
    for c in left.columns:  # a loop over the key columns, not over rows
        codes, uniq = pd.factorize(np.concatenate([left[c].to_numpy(dtype=object), right[c].to_numpy(dtype=object)]),
                                   use_na_sentinel=True)
        key = key * (len(uniq) + 1) + (codes + 1)  # missing (-1) becomes 0
        key = pd.factorize(key)[0].astype(np.int64)  # renumbered 0..rows-1: no overflow however many columns
    return key[:n], key[n:]


def rows_isin(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """For each row of ``left``: does an equal row occur in ``right``? (``MultiIndex.isin``, see row_keys)"""
    lk, rk = row_keys(left, right)
    return np.isin(lk, rk)


def first_match(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """For each row of ``left``: the position in ``right`` of the first equal row, -1 if none.

    A left merge with ``right.drop_duplicates()`` (keep first), as positions to take from.
    """
    lk, rk = row_keys(left, right)
    uniq, first = np.unique(rk, return_index=True)  # first occurrence of each key
    at = np.searchsorted(uniq, lk)
    at = np.minimum(at, len(uniq) - 1) if len(uniq) else at
    hit = (uniq[at] == lk) if len(uniq) else np.zeros(len(lk), dtype=bool)
    return np.where(hit, first[at] if len(uniq) else -1, -1)


def split_tokens(s: pd.Series, pattern: str = r"[、,，;；/|\s]+") -> pd.Series:
    """Split a multi-valued text column into a long Series (index repeats)."""
    return s.fillna("").astype(str).str.split(pattern, regex=True).explode().str.strip()

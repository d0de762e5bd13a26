"""Statutory working days on the official holiday calendar (调休 included).

Day 1 is the first working day *after* the start date (民法典 art. 201); the
deadline of "N working days" is the Nth working day after it. Working days
follow the State Council's yearly holiday notice: statutory holidays are off
even on weekdays, and weekend make-up days (调休上班日) are working days.

The official tables come from ``chinesecalendar`` (pinned); a user calendar
file adds a year the package does not know yet (the notice comes out around
November for the next year) or overrides one. A date in a year no table
covers is an error naming that year — never a weekday guess.

Everything is answered from a precomputed index over the known days:
``cum[i]`` is the number of working days from the index's first day through
day ``i``; "working days after a up to b" is ``cum[b] - cum[a]`` and "the Nth
working day after a" is ``workday_positions[cum[a] + n - 1]``. Both work on
whole columns at once with numpy.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from scoring.safe_yaml import clip, load_positioned, short

try:  # pragma: no cover - exercised through the installed package
    import chinese_calendar
    from chinese_calendar import constants as _cc
    CHINESECALENDAR_VERSION = getattr(chinese_calendar, "__version__", "?")
except ImportError:  # pragma: no cover
    _cc = None
    CHINESECALENDAR_VERSION = None

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

WEEKDAYS_ZH = "一二三四五六日"


class CalendarError(ValueError):
    """A date outside every known holiday table, or a bad calendar file."""

    def __init__(self, message: str, years: Iterable[int] = ()):
        super().__init__(message)
        self.years = sorted(set(years))


def missing_year_message(years: Iterable[int], known: tuple[int, int] | None = None) -> str:
    ys = "、".join(f"{y}年" for y in sorted(set(years)))
    cover = f"（已知节假日安排覆盖 {known[0]}–{known[1]} 年）" if known else ""
    return (
        f"{ys}的法定节假日与调休安排未知{cover}，不能按工作日计算期限，也不会按周一至周五推测。"
        f"请在国务院办公厅公布该年节假日安排后，把它写成日历文件（YAML，每年列出 holidays 放假日"
        f"与 workdays 调休上班日，见 docs/CALENDAR.md），用 --calendar 文件 指定，或在评分细则中用 calendar 指定。"
    )


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    workday: bool
    name: str | None      # holiday name for holidays and make-up days


_RANGE = re.compile(
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*(?:(?:~|～|至|到|\.\.|—|--)\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}))?\s*(.*?)\s*$"
)


def as_date(d: dt.date | np.datetime64) -> dt.date:
    """A calendar day from a date, a datetime (pandas Timestamps included) or a numpy datetime64."""
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    return np.datetime64(d, "D").astype(dt.date)


def _parse_day(text: str) -> dt.date:
    y, m, d = re.split(r"[-/.]", text)
    return dt.date(int(y), int(m), int(d))


def _expand(entry: Any, where: str, year: int) -> list[tuple[dt.date, str | None]]:
    """One list entry of a calendar file -> (day, name) pairs (days of ``year`` only)."""
    if isinstance(entry, dt.date):
        start = end = entry.date() if isinstance(entry, dt.datetime) else entry
        name = None
    elif isinstance(entry, dict):
        unknown = set(entry) - {"date", "to", "name"}
        if unknown or "date" not in entry:
            raise CalendarError(f"{where}：条目 {short(entry)} 应为 {{date: 日期, to: 结束日期(可选), name: 名称(可选)}}")
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise CalendarError(f"{where}：条目的 name 应为文字（值：{short(name)}）")
        try:
            start, end = (_as_day(entry["date"]), _as_day(entry.get("to", entry["date"])))
        except ValueError:
            raise CalendarError(f"{where}：条目 {short(entry)} 的日期无法识别（应为 2027-01-01 这样的日期）") from None
    else:
        m = _RANGE.match(str(entry)) if isinstance(entry, str) else None
        if not m:
            raise CalendarError(f"{where}：条目 {short(entry)} 无法识别，应为 2027-01-01、2027-10-01~2027-10-07 国庆节 或映射")
        try:
            start = _parse_day(m.group(1))
            end = _parse_day(m.group(2)) if m.group(2) else start
        except ValueError:
            raise CalendarError(f"{where}：条目 {short(entry)} 的日期不存在") from None
        name = clip(m.group(3), 40) or None
    if end < start:
        raise CalendarError(f"{where}：条目 {short(entry)} 的结束日期早于开始日期")
    if start.year != year or end.year != year:
        raise CalendarError(f"{where}：日期 {start if start.year != year else end} 不在 {year} 年内")
    return [(start + dt.timedelta(days=i), name) for i in range((end - start).days + 1)]


def _as_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*", value):
        raise ValueError(value)
    return _parse_day(value.strip())


#: the years a calendar file may hold (the working-day index runs from the first to the last)
YEARS = (1900, 2199)


def _at(p: Path, pos: tuple[str, int] | None, key: str) -> str:
    line = f" 第{pos[1]}行" if pos else ""
    return f"日历文件 {p}{line} 「{key}」"


def read_calendar_file(path: str | Path) -> dict[int, dict[str, dict[dt.date, str | None]]]:
    """A user calendar file: ``{year: {holidays: [...], workdays: [...]}}``.

    Each list entry is a date (``2027-01-01``), a range with an optional name
    (``2027-10-01~2027-10-07 国庆节``) or a mapping ``{date, to, name}``.
    Every problem is collected (with its line) and raised as one CalendarError.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CalendarError(f"日历文件 {p} 不存在") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError(f"日历文件 {p} 无法读取（应为 UTF-8 编码的 YAML）：{clip(str(exc), 120)}") from exc
    raw, problems = load_positioned(text, str(p))
    errors = [f"日历文件 {p}" + (f" 第{i.line}行" if i.line else "") + f"：{i.message}" for i in problems]
    if raw is None and problems:
        raise CalendarError("\n".join(errors))
    if isinstance(raw, dict) and "years" in raw and isinstance(raw["years"], dict):
        raw = raw["years"]
    if not isinstance(raw, dict) or not raw:
        raise CalendarError("\n".join(errors + [
            f"日历文件 {p} 应为按年份组织的映射，例如 2027: {{holidays: [...], workdays: [...]}}"]))
    out: dict[int, dict[str, dict[dt.date, str | None]]] = {}
    for key, body in raw.items():
        pos = getattr(raw, "pos", {}).get(key)
        year = _year(key)
        if year is None:
            errors.append(f"{_at(p, pos, clip(str(key), 40))}：应为 {YEARS[0]}–{YEARS[1]} 之间的年份（如 2027）")
            continue
        if not isinstance(body, dict) or set(body) - {"holidays", "workdays", "source"}:
            errors.append(f"{_at(p, pos, str(year))}：应只含 holidays（放假日）、workdays（调休上班日）和可选的 source（依据）")
            continue
        entry, errs = _year_entry(p, year, body)
        errors += errs
        out[year] = entry
    if errors:
        raise CalendarError("\n".join(errors))
    return out


def _year(key: Any) -> int | None:
    if isinstance(key, bool) or not isinstance(key, (int, str)) or not re.fullmatch(r"\d{4}", str(key).strip()):
        return None
    year = int(str(key).strip())
    return year if YEARS[0] <= year <= YEARS[1] else None


def _year_entry(p: Path, year: int, body: dict) -> tuple[dict[str, dict[dt.date, str | None]], list[str]]:
    entry: dict[str, dict[dt.date, str | None]] = {"holidays": {}, "workdays": {}}
    errors: list[str] = []
    for part in ("holidays", "workdays"):
        items = body.get(part) or []
        part_pos = getattr(body, "pos", {}).get(part)
        if not isinstance(items, list):
            errors.append(f"{_at(p, part_pos, f'{year}.{part}')}：应为列表")
            continue
        positions = getattr(items, "pos", [])
        for k, item in enumerate(items):
            where = _at(p, positions[k] if k < len(positions) else part_pos, f"{year}.{part}")
            try:
                entry[part].update(_expand(item, where, year))
            except CalendarError as exc:
                errors.append(str(exc))
    both = set(entry["holidays"]) & set(entry["workdays"])
    if both:
        errors.append(f"{_at(p, getattr(body, 'pos', {}).get('workdays'), str(year))}：{min(both)} 同时列为放假日和调休上班日")
    return entry, errors


class WorkCalendar:
    """Working days over a contiguous range of years, some of them known."""

    def __init__(self, tables: dict[int, dict[str, dict[dt.date, str | None]]], sources: dict[int, str]):
        if not tables:
            raise CalendarError("没有任何年份的节假日安排")
        self.sources = dict(sorted(sources.items()))
        self.first_year = min(tables)
        self.last_year = max(tables)
        self.known_years = frozenset(tables)
        self.day0 = np.datetime64(f"{self.first_year}-01-01", "D")
        end = np.datetime64(f"{self.last_year + 1}-01-01", "D")
        days = np.arange(self.day0, end, dtype="datetime64[D]")
        weekday = (days.astype("int64") - 4) % 7  # 1970-01-01 was a Thursday (3); Monday = 0
        years = days.astype("datetime64[Y]").astype(int) + 1970
        self.known = np.isin(years, list(tables))
        work = (weekday < 5) & self.known
        self.names: dict[dt.date, str] = {}
        self.holidays: set[dt.date] = set()
        self.makeup: set[dt.date] = set()
        for year, t in tables.items():
            for day, name in t["holidays"].items():
                work[(np.datetime64(day, "D") - self.day0).astype(int)] = False
                self.holidays.add(day)
                if name:
                    self.names[day] = name
            for day, name in t["workdays"].items():
                work[(np.datetime64(day, "D") - self.day0).astype(int)] = True
                self.makeup.add(day)
                if name:
                    self.names[day] = name
        self.is_work = work
        self.cum = np.cumsum(work, dtype=np.int64)
        self.unknown_cum = np.cumsum(~self.known, dtype=np.int64)
        self.workday_positions = np.flatnonzero(work)
        self.years = years

    # -- construction ---------------------------------------------------
    @classmethod
    def load(cls, user_file: str | Path | None = None) -> "WorkCalendar":
        """The official tables, plus (or overridden by) a user calendar file."""
        tables: dict[int, dict[str, dict[dt.date, str | None]]] = {}
        sources: dict[int, str] = {}
        if _cc is not None:
            first = min(_cc.holidays).year
            last = max(_cc.holidays).year
            for y in range(first, last + 1):
                tables[y] = {"holidays": {}, "workdays": {}}
                sources[y] = f"chinesecalendar {CHINESECALENDAR_VERSION}"
            for day, name in _cc.holidays.items():
                tables[day.year]["holidays"][day] = HOLIDAY_NAMES_ZH.get(name, name)
            for day, name in _cc.workdays.items():
                tables[day.year]["workdays"][day] = HOLIDAY_NAMES_ZH.get(name, name)
        if user_file is not None:
            for y, t in read_calendar_file(user_file).items():
                tables[y] = t
                sources[y] = str(user_file)
        return cls(tables, sources)

    # -- scalar ---------------------------------------------------------
    def _index(self, d: dt.date | np.datetime64) -> int:
        day = np.datetime64(as_date(d), "D")
        i = int((day - self.day0).astype(int))
        if i < 0 or i >= len(self.is_work) or not self.known[i]:
            year = as_date(d).year
            raise CalendarError(missing_year_message([year], (self.first_year, self.last_year)), [year])
        return i

    def _check_span(self, i: int, j: int) -> None:
        lo, hi = min(i, j), max(i, j)
        if self.unknown_cum[hi] - self.unknown_cum[lo] > 0:
            gap = [int(y) for y in np.unique(self.years[lo:hi + 1][~self.known[lo:hi + 1]])]
            raise CalendarError(missing_year_message(gap, (self.first_year, self.last_year)), gap)

    def is_workday(self, d: dt.date) -> bool:
        return bool(self.is_work[self._index(d)])

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The Nth working day after ``d`` (``d`` itself not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        i = self._index(d)
        if n == 0:
            return as_date(d)
        k = int(self.cum[i]) + n - 1
        if k >= len(self.workday_positions):
            year = self.last_year + 1
            raise CalendarError(missing_year_message([year], (self.first_year, self.last_year)), [year])
        j = int(self.workday_positions[k])
        self._check_span(i, j)
        return (self.day0 + np.timedelta64(j, "D")).astype(dt.date)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        i, j = self._index(start), self._index(end)
        self._check_span(i, j)
        return int(self.cum[j] - self.cum[i])

    def crossed(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """Holidays that fall on weekdays and make-up workdays in (start, end]."""
        out = []
        d = start + dt.timedelta(days=1)
        while d <= end:
            if d in self.makeup:
                out.append(DayInfo(d, True, self.names.get(d)))
            elif d in self.holidays:
                out.append(DayInfo(d, False, self.names.get(d)))
            d += dt.timedelta(days=1)
        return out

    # -- vectorised -----------------------------------------------------
    def _indices(self, dates: Any) -> tuple[np.ndarray, np.ndarray]:
        import pandas as pd  # only the vectorised path needs it (keeps `zwgk deadline` light)

        arr = pd.to_datetime(pd.Series(np.asarray(dates) if not isinstance(dates, pd.Series) else dates.to_numpy()),
                             errors="raise").to_numpy(dtype="datetime64[D]")
        valid = ~np.isnat(arr)
        idx = np.zeros(len(arr), dtype=np.int64)
        idx[valid] = (arr[valid] - self.day0).astype(np.int64)
        bad = valid & ((idx < 0) | (idx >= len(self.is_work)))
        inside = valid & ~bad
        bad[inside] = ~self.known[idx[inside]]
        if bad.any():
            years = sorted({int(y) for y in arr[bad].astype("datetime64[Y]").astype(int) + 1970})
            raise CalendarError(missing_year_message(years, (self.first_year, self.last_year)), years)
        return idx, valid

    def _check_spans(self, i: np.ndarray, j: np.ndarray, valid: np.ndarray) -> None:
        lo = np.minimum(i, j)[valid]
        hi = np.maximum(i, j)[valid]
        gaps = self.unknown_cum[hi] - self.unknown_cum[lo] > 0
        if gaps.any():
            years = set()
            for a, b in zip(lo[gaps][:50], hi[gaps][:50]):  # only for the error message
                years |= {int(y) for y in np.unique(self.years[a:b + 1][~self.known[a:b + 1]])}
            raise CalendarError(missing_year_message(years, (self.first_year, self.last_year)), years)

    def add_workdays_vec(self, dates: Any, n: Any) -> np.ndarray:
        """Vectorised :meth:`add_workdays`: ``datetime64[ns]`` array, NaT where the date (or n) is missing."""
        import pandas as pd

        idx, valid = self._indices(dates)
        nn = pd.array(np.broadcast_to(np.asarray(n, dtype=object), idx.shape), dtype="Int64")
        valid = valid & ~np.asarray(nn.isna())
        nv = np.asarray(nn.fillna(0), dtype=np.int64)
        if (nv[valid] < 0).any():
            raise ValueError("n must be >= 0")
        k = self.cum[idx] + nv - 1
        over = valid & (k >= len(self.workday_positions))
        if over.any():
            year = self.last_year + 1
            raise CalendarError(missing_year_message([year], (self.first_year, self.last_year)), [year])
        j = np.where(nv == 0, idx, self.workday_positions[np.clip(k, 0, len(self.workday_positions) - 1)])
        self._check_spans(idx, j, valid)
        out = (self.day0 + j.astype("timedelta64[D]")).astype("datetime64[ns]")
        out[~valid] = np.datetime64("NaT")
        return out

    def workdays_between_vec(self, start: Any, end: Any) -> np.ndarray:
        """Vectorised :meth:`workdays_between`: float array (exact integers), NaN where a date is missing."""
        i, vi = self._indices(start)
        j, vj = self._indices(end)
        valid = vi & vj
        self._check_spans(i, j, valid)
        out = (self.cum[j] - self.cum[i]).astype(np.float64)
        out[~valid] = np.nan
        return out

    def describe(self) -> str:
        parts = []
        for y, src in self.sources.items():
            if not parts or parts[-1][1] != src:
                parts.append([y, src, y])
            else:
                parts[-1][2] = y
        return "；".join(f"{a}–{b} 年：{src}" if a != b else f"{a} 年：{src}" for a, src, b in parts)

"""Writing what ``assess`` produces: results.json, scores.csv, findings.csv — atomically.

Everything is written into a temporary folder next to the output folder and
moved into place only when complete; nothing half-written is ever left in
``--out``. Other writers (the ranking workbook, notices) can join the same
transaction through ``writers``: callables ``(results, tmp_dir) -> None``.

CSV files are UTF-8 with BOM (Excel opens the Chinese correctly). Points in
the CSVs are the rounded display values (``87.5``, ``1.33``): an exact
fraction such as ``4/3`` would be read by Excel as a date. Text cells that
Excel would take for a formula (starting with = + - @ or a tab) are prefixed
with an apostrophe: evidence text is data, never a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, Iterable

from scoring.results import Pts, Results, display_text
from scoring.staging import publish

Writer = Callable[[Results, Path], None]

FINDINGS_HEADER = ["unit_id", "indicator_id", "table", "ref", "message", "deduction", "rectify"]
SCORES_HEAD = ["unit_id", "name", "group", "total", "grade", "rank"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str | None) -> str:
    """Text for a CSV/Excel cell that can never be read as a formula."""
    if text is None:
        return ""
    s = str(text)
    return "'" + s if s.startswith(_FORMULA_START) else s


_NUM_CACHE: dict[str, str] = {}


def _num(p: Pts | None) -> str:
    if p is None:
        return ""
    text = _NUM_CACHE.get(p.exact)
    if text is None:
        text = display_text(p.fraction)
        if len(_NUM_CACHE) < 100_000:
            _NUM_CACHE[p.exact] = text
    return text


def _csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def scores_csv(results: Results) -> bytes:
    tops = [i for i in results.indicators if i.parent is None]
    header = SCORES_HEAD + [i.id for i in tops]
    rows = []
    for u in results.units:
        by_id = {i.id: i for i in u.indicators}
        rows.append([safe_cell(u.unit_id), safe_cell(u.name), safe_cell(u.group), _num(u.total),
                     safe_cell(u.grade), str(u.rank)] + [_num(by_id[t.id].score) for t in tops])
    return _csv_bytes(header, rows)


def findings_csv(results: Results) -> bytes:
    # column-wise: one list per column, made safe once per distinct value, then one csv write
    cols: list[list] = [[] for _ in FINDINGS_HEADER]
    unit_c, ind_c, table_c, ref_c, msg_c, ded_c, rect_c = cols
    for u in results.units:
        for ind in u.indicators:
            fl = ind.findings
            if not fl:
                continue
            unit_c.extend([u.unit_id] * len(fl))
            ind_c.extend([ind.id] * len(fl))
            for f in fl:
                table_c.append(f.table)
                ref_c.append(f.ref)
                msg_c.append(f.message)
                ded_c.append(f.deduction)
                rect_c.append(f.rectify)
    out = [_safe_column(c) for c in (unit_c, ind_c, table_c, ref_c, msg_c)]
    out.append([_num(p) for p in ded_c])
    out.append(_safe_column(rect_c))
    return _csv_bytes(FINDINGS_HEADER, zip(*out))


def _safe_column(values: list) -> list[str]:
    memo: dict = {}
    res = []
    for v in values:
        try:
            s = memo[v]
        except KeyError:
            s = memo[v] = safe_cell(v)
        except TypeError:  # unhashable
            s = safe_cell(v)
        res.append(s)
    return res


def write_outputs(results: Results, out_dir: str | Path, writers: Iterable[Writer] = (),
                  say: Callable[[str], None] | None = None) -> list[Path]:
    """Write every output into a staging folder, then swap it in for ``out_dir`` (see scoring.staging).

    Every file an earlier run wrote there is replaced or removed (``--no-reports``
    leaves no old workbook beside new results); files zwgk did not write are kept.
    Returns the paths written. Raises ``OutputError`` for an unusable ``out_dir``.
    """
    def fill(tmp: Path) -> None:
        (tmp / "results.json").write_bytes(results.to_json().encode("utf-8"))
        (tmp / "scores.csv").write_bytes(scores_csv(results))
        (tmp / "findings.csv").write_bytes(findings_csv(results))
        for w in writers:
            w(results, tmp)

    return publish(out_dir, fill, say=say)

"""Writing what ``assess`` produces: results.json, scores.csv, findings.csv — atomically.

Everything is written into a temporary folder next to the output folder and
moved into place only when complete; nothing half-written is ever left in
``--out``. Other writers (the ranking workbook, notices) can join the same
transaction through ``writers``: callables ``(results, tmp_dir) -> None``.

CSV files are written by :mod:`scoring.safe_csv` (UTF-8 with BOM; a text cell
Excel would take for a formula gets a leading apostrophe). Points in the CSVs
are the rounded display values (``87.5``, ``1.33``): an exact fraction such as
``4/3`` would be read by Excel as a date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from scoring.results import Pts, Results, display_text
from scoring.safe_csv import table_bytes
from scoring.staging import publish

Writer = Callable[[Results, Path], None]

FINDINGS_HEADER = ["unit_id", "indicator_id", "table", "ref", "message", "deduction", "rectify"]
SCORES_HEAD = ["unit_id", "name", "group", "total", "grade", "rank"]

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


def scores_csv(results: Results) -> bytes:
    tops = [i for i in results.indicators if i.parent is None]
    header = SCORES_HEAD + [i.id for i in tops]
    rows = []
    for u in results.units:
        by_id = {i.id: i for i in u.indicators}
        rows.append([u.unit_id, u.name, u.group, _num(u.total), u.grade, str(u.rank)]
                    + [_num(by_id[t.id].score) for t in tops])
    columns = list(zip(*rows)) if rows else [[] for _ in header]
    return table_bytes(header, columns, numeric=["total", "rank"] + [t.id for t in tops])


def findings_csv(results: Results) -> bytes:
    # column-wise: one list per column (the writer guards each distinct value once), then one csv write
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
    return table_bytes(FINDINGS_HEADER, [unit_c, ind_c, table_c, ref_c, msg_c, [_num(p) for p in ded_c], rect_c],
                       numeric=["deduction"])


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

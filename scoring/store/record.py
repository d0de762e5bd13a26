"""Recording a round: every row of it in one transaction, inserted in bulk.

The rows come from the results object (units, indicator scores, findings)
and from the caller (notices issued, re-check items, verdicts, urges). A
failure or a kill anywhere leaves no trace of the round: the transaction is
committed only after the last row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zlib
from pathlib import Path
from typing import Callable, Iterable, Sequence

import sqlalchemy as sa

from scoring import __version__
from scoring.results import Results
from scoring.store import schema as t
from scoring.store.model import KINDS, NoticeRecord, RecheckItem, UnitVerdict, UrgeRecord

#: rows per executemany (or COPY) call
CHUNK = 20_000
#: called after each chunk with (table name, rows so far); tests use it to interrupt a recording
BATCH_HOOK: Callable[[str, int], None] | None = None


class RoundExists(Exception):
    """A round of that name is already recorded (and ``replace`` was not asked)."""


def evidence_sha256(path: str | os.PathLike) -> str:
    """sha256 over the evidence: every file under the folder (or the file), by relative path and content."""
    root = Path(path)
    files = [root] if root.is_file() else sorted(
        (p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)),
        key=lambda p: p.relative_to(root).as_posix())
    h = hashlib.sha256()
    for p in files:
        rel = p.name if p == root else p.relative_to(root).as_posix()
        h.update(rel.encode("utf-8") + b"\0")
        fh = hashlib.sha256()
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                fh.update(block)
        h.update(fh.digest())
    return h.hexdigest()


def round_row(name: str, kind: str, results: Results | None, results_json: bytes | None,
              baseline: str | None, evidence_sha: str | None, n_units: int) -> dict:
    if kind not in KINDS:
        raise ValueError(f"round kind must be one of {KINDS}, got {kind!r}")
    blob = None
    if results is not None:
        raw = results_json if results_json is not None else results.to_json().encode("utf-8")
        blob = zlib.compress(raw, 1)
    r = results
    return {
        "name": name, "kind": kind, "baseline": baseline,
        "rubric_id": r.rubric.id if r else None, "rubric_version": r.rubric.version if r else None,
        "rubric_sha256": r.rubric.sha256 if r else None,
        "as_of": dt.date.fromisoformat(r.as_of) if r else None,
        "evidence": r.evidence if r else None, "evidence_sha256": evidence_sha,
        "tool_version": r.tool.version if r else __version__,
        "recorded_at": dt.datetime.now().replace(microsecond=0),
        "n_units": n_units, "results_json": blob,
    }


def unit_rows(round_id: int, results: Results) -> list[dict]:
    return [{"round_id": round_id, "unit_id": u.unit_id, "name": u.name, "group_name": u.group,
             "total_exact": u.total.exact, "total_value": u.total.value, "grade": u.grade, "rank": u.rank,
             "group_size": u.group_size, "vetoed": bool(u.vetoed)} for u in results.units]


def indicator_rows(round_id: int, results: Results) -> list[dict]:
    return [{"round_id": round_id, "unit_id": u.unit_id, "indicator_id": i.id, "title": i.title, "state": i.state,
             "score_exact": i.score.exact if i.score is not None else None,
             "score_value": i.score.value if i.score is not None else None, "max_exact": i.max.exact}
            for u in results.units for i in u.indicators]


def finding_rows(round_id: int, results: Results) -> list[dict]:
    rows = []
    for u in results.units:
        seq = 0
        for i in u.indicators:
            for f in i.findings:
                seq += 1
                rows.append({"round_id": round_id, "unit_id": u.unit_id, "seq": seq, "indicator_id": i.id,
                             "table_name": f.table, "ref": f.ref, "message": f.message,
                             "deduction_exact": f.deduction.exact, "deduction_value": f.deduction.value,
                             "kind": f.kind})
    return rows


def record(conn: sa.Connection, name: str, kind: str, results: Results | None = None, *,
           results_json: bytes | None = None, evidence_sha: str | None = None,
           notices: Sequence[NoticeRecord] = (), rechecks: Sequence[RecheckItem] = (),
           verdicts: Sequence[UnitVerdict] = (), urges: Sequence[UrgeRecord] = (),
           baseline: str | None = None, replace: bool = False) -> None:
    """Insert the round on ``conn`` (inside the caller's transaction)."""
    old = conn.execute(sa.select(t.rounds.c.id).where(t.rounds.c.name == name)).scalar()
    if old is not None:
        if not replace:
            raise RoundExists(name)
        delete_round(conn, old)
    units = {u.unit_id for u in results.units} if results is not None else set()
    units |= {x.unit_id for x in (*notices, *rechecks, *verdicts, *urges)}
    row = round_row(name, kind, results, results_json, baseline, evidence_sha, len(units))
    rid = conn.execute(sa.insert(t.rounds).values(**row).returning(t.rounds.c.id)).scalar_one()
    if results is not None:
        insert_rows(conn, t.unit_scores, unit_rows(rid, results))
        insert_rows(conn, t.indicator_scores, indicator_rows(rid, results))
        insert_rows(conn, t.findings, finding_rows(rid, results))
    insert_rows(conn, t.notices, [{"round_id": rid, "unit_id": n.unit_id, "doc_number": n.doc_number,
                                   "issue_date": n.issue_date, "deadline": n.deadline} for n in notices])
    insert_rows(conn, t.recheck_items, [{"round_id": rid, "seq": k, "unit_id": x.unit_id,
                                         "indicator_id": x.indicator_id, "ref": x.ref, "status": x.status,
                                         "before": x.before, "after": x.after, "message": x.message}
                                        for k, x in enumerate(rechecks, 1)])
    insert_rows(conn, t.unit_verdicts, [{"round_id": rid, "unit_id": v.unit_id, "verdict": v.verdict,
                                         "note": v.note} for v in verdicts])
    insert_rows(conn, t.urges, [{"round_id": rid, "unit_id": u.unit_id, "doc_number": u.doc_number,
                                 "deadline": u.deadline, "urged_on": u.urged_on, "status": u.status}
                                for u in urges])


#: tables whose values are only text, numbers, booleans and NULL (no dates): inserted by the driver directly
PLAIN_TABLES = ("unit_scores", "indicator_scores", "findings")

CHILD_TABLES = (t.unit_scores, t.indicator_scores, t.findings, t.notices, t.recheck_items, t.unit_verdicts, t.urges)


def delete_round(conn: sa.Connection, round_id: int) -> None:
    for table in CHILD_TABLES:
        conn.execute(sa.delete(table).where(table.c.round_id == round_id))
    conn.execute(sa.delete(t.rounds).where(t.rounds.c.id == round_id))


def insert_rows(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany elsewhere, in chunks of CHUNK rows."""
    if not rows:
        return
    dialect = conn.dialect.name
    cols = list(rows[0])
    plain = dialect == "sqlite" and table.name in PLAIN_TABLES
    sql = f'INSERT INTO "{table.name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        if dialect == "postgresql":
            _copy(conn, table, cols, chunk)
        elif plain:   # values the driver takes as they are: skip SQLAlchemy's per-value processing
            conn.exec_driver_sql(sql, [tuple(r.values()) for r in chunk])
        else:
            conn.execute(sa.insert(table), chunk)
        if BATCH_HOOK is not None:
            BATCH_HOOK(table.name, start + len(chunk))


def _copy(conn: sa.Connection, table: sa.Table, cols: list[str], rows: Iterable[dict]) -> None:
    raw = conn.connection.driver_connection
    names = ", ".join(f'"{c}"' for c in cols)
    with raw.cursor() as cur:
        with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as cp:
            for r in rows:
                cp.write_row([r[c] for c in cols])

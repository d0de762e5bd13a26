"""Reading the store: rounds, per-unit rows, the results of a round, one unit across rounds."""

from __future__ import annotations

import json
import zlib

import pandas as pd
import sqlalchemy as sa

from scoring.results import Results
from scoring.store import schema as t
from scoring.store import model

_ROUND_COLS = [c for c in t.rounds.c if c.name not in ("id", "results_json")]


def _round_info(row) -> model.RoundInfo:
    m = row._mapping
    return model.RoundInfo(**{c.name: m[c.name] for c in _ROUND_COLS}, has_results=bool(m["has_results"]))


def _round_select():
    return sa.select(t.rounds.c.id, *_ROUND_COLS, (t.rounds.c.results_json.is_not(None)).label("has_results"))


def rounds(conn: sa.Connection, kind: str | None = None) -> list[tuple[int, model.RoundInfo]]:
    """(id, info) of every round, in recording order."""
    q = _round_select().order_by(t.rounds.c.recorded_at, t.rounds.c.id)
    if kind is not None:
        q = q.where(t.rounds.c.kind == kind)
    return [(r.id, _round_info(r)) for r in conn.execute(q)]


def round_by_name(conn: sa.Connection, name: str) -> tuple[int, model.RoundInfo] | None:
    r = conn.execute(_round_select().where(t.rounds.c.name == name)).first()
    return None if r is None else (r.id, _round_info(r))


def results_of(conn: sa.Connection, round_id: int) -> Results | None:
    blob = conn.execute(sa.select(t.rounds.c.results_json).where(t.rounds.c.id == round_id)).scalar()
    if blob is None:
        return None
    return Results.model_validate_json(zlib.decompress(blob))


def results_dict(conn: sa.Connection, round_id: int) -> dict | None:
    """The stored results.json as plain JSON data (faster than the model when only a few fields are read)."""
    blob = conn.execute(sa.select(t.rounds.c.results_json).where(t.rounds.c.id == round_id)).scalar()
    return None if blob is None else json.loads(zlib.decompress(blob))


def _rows(conn, table: sa.Table, round_id: int, cls, rename: dict | None = None, unit_id: str | None = None,
          order=None):
    q = sa.select(table).where(table.c.round_id == round_id)
    if unit_id is not None:
        q = q.where(table.c.unit_id == unit_id)
    q = q.order_by(*(order or [table.c.unit_id]))
    rename = rename or {}
    fields = set(cls.__dataclass_fields__)
    out = []
    for r in conn.execute(q):
        m = {rename.get(k, k): v for k, v in r._mapping.items()}
        out.append(cls(**{k: v for k, v in m.items() if k in fields}))
    return out


def unit_scores(conn, round_id: int, unit_id: str | None = None) -> list[model.UnitScore]:
    return _rows(conn, t.unit_scores, round_id, model.UnitScore, {"group_name": "group"}, unit_id)


def findings(conn, round_id: int, unit_id: str | None = None) -> list[model.FindingRecord]:
    return _rows(conn, t.findings, round_id, model.FindingRecord, {"table_name": "table"}, unit_id,
                 order=[t.findings.c.unit_id, t.findings.c.seq])


def notices(conn, round_id: int, unit_id: str | None = None) -> list[model.NoticeRecord]:
    return _rows(conn, t.notices, round_id, model.NoticeRecord, unit_id=unit_id)


def rechecks(conn, round_id: int, unit_id: str | None = None) -> list[model.RecheckItem]:
    return _rows(conn, t.recheck_items, round_id, model.RecheckItem, unit_id=unit_id, order=[t.recheck_items.c.seq])


def verdicts(conn, round_id: int, unit_id: str | None = None) -> list[model.UnitVerdict]:
    return _rows(conn, t.unit_verdicts, round_id, model.UnitVerdict, unit_id=unit_id)


def urges(conn, round_id: int, unit_id: str | None = None) -> list[model.UrgeRecord]:
    return _rows(conn, t.urges, round_id, model.UrgeRecord, unit_id=unit_id)


def scores_frame(conn, round_id: int) -> pd.DataFrame:
    """One row per unit: unit_id, name, group, total_exact, total_value, grade, rank, vetoed."""
    q = sa.select(t.unit_scores.c.unit_id, t.unit_scores.c.name, t.unit_scores.c.group_name.label("group"),
                  t.unit_scores.c.total_exact, t.unit_scores.c.total_value, t.unit_scores.c.grade,
                  t.unit_scores.c.rank, t.unit_scores.c.vetoed).where(t.unit_scores.c.round_id == round_id)
    return pd.DataFrame(conn.execute(q).all(), columns=["unit_id", "name", "group", "total_exact", "total_value",
                                                        "grade", "rank", "vetoed"])


def indicators_frame(conn, round_id: int) -> pd.DataFrame:
    """One row per unit and indicator: unit_id, indicator_id, title, state, score_exact, score_value."""
    c = t.indicator_scores.c
    q = sa.select(c.unit_id, c.indicator_id, c.title, c.state, c.score_exact, c.score_value).where(
        c.round_id == round_id)
    return pd.DataFrame(conn.execute(q).all(),
                        columns=["unit_id", "indicator_id", "title", "state", "score_exact", "score_value"])

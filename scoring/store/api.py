"""The ``Store`` object: one opened round store (see the package docstring for the whole API)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Sequence

import pandas as pd
import sqlalchemy as sa

from scoring.results import Results
from scoring.store import model, read
from scoring.store.db import StoreError, connect, shown
from scoring.store.record import RoundExists, record


class UnknownRound(StoreError):
    """No round of that name is recorded."""


class RoundAlreadyRecorded(StoreError):
    """A round of that name is already recorded and ``replace`` was not asked."""


def open_store(db: str | os.PathLike | None = None) -> "Store":
    """Open (creating or upgrading) the store: ``db`` a SQLite path or a database URL; None: ZWGK_DB, else ./zwgk.db.

    Raises StoreError (Chinese message): unreachable database (URL named, password
    masked), a schema newer than this program, a path in a missing folder.
    """
    engine, url = connect(db)
    return Store(engine, shown(url))


class Store:
    def __init__(self, engine: sa.Engine, where: str):
        self.engine = engine
        #: the store for messages: a SQLite path, or the URL with the password masked
        self.where = where

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        """A read transaction: one consistent snapshot while a round may be being recorded."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError(f"无法读取测评轮次库 {self.where}：{str(exc.orig).strip()}") from None

    # -- writing ----------------------------------------------------------------------------------------

    def record_round(self, name: str, kind: str, results: Results | None = None, *,
                     results_json: bytes | None = None, evidence_sha256: str | None = None,
                     notices: Sequence[model.NoticeRecord] = (), rechecks: Sequence[model.RecheckItem] = (),
                     verdicts: Sequence[model.UnitVerdict] = (), urges: Sequence[model.UrgeRecord] = (),
                     baseline: str | None = None, replace: bool = False) -> model.RoundInfo:
        """Record a round in one transaction; all of it or, on any failure, nothing.

        ``kind``: 测评 / 复核 / 催办. ``results``: the round's scores (optional for a
        催办 round); ``results_json``: its results.json bytes when already written
        (saves serialising again). ``baseline``: the round this one follows up.
        An existing name raises RoundAlreadyRecorded unless ``replace``.
        """
        try:
            with self.engine.connect().execution_options(zwgk_write=True) as conn, conn.begin():
                record(conn, name, kind, results, results_json=results_json, evidence_sha=evidence_sha256,
                       notices=notices, rechecks=rechecks, verdicts=verdicts, urges=urges,
                       baseline=baseline, replace=replace)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"测评轮次「{name}」未能记录到 {self.where}（未写入任何内容）：{str(exc.orig).strip()}") from None
        except (RoundExists, sa.exc.IntegrityError) as exc:
            if isinstance(exc, sa.exc.IntegrityError) and self.has_round(name) is False:
                raise
            raise RoundAlreadyRecorded(f"测评轮次「{name}」已记录在 {self.where}；"
                                       f"如要重新记录，请加 --replace（原记录将被替换）") from None
        return self.round(name)

    def delete_round(self, name: str) -> None:
        from scoring.store.record import delete_round

        with self.engine.connect().execution_options(zwgk_write=True) as conn, conn.begin():
            delete_round(conn, self._id(conn, name))

    # -- reading ----------------------------------------------------------------------------------------

    def rounds(self, kind: str | None = None) -> list[model.RoundInfo]:
        """Every recorded round (of ``kind``), in recording order."""
        with self.reading() as conn:
            return [info for _, info in read.rounds(conn, kind)]

    def has_round(self, name: str) -> bool:
        with self.reading() as conn:
            return read.round_by_name(conn, name) is not None

    def round(self, name: str) -> model.RoundInfo:
        """The round's header; UnknownRound (Chinese message listing the rounds) when absent."""
        with self.reading() as conn:
            return self._find(conn, name)[1]

    def load_results(self, name: str) -> Results:
        """The round's results.json as recorded (the baseline a re-check compares with)."""
        with self.reading() as conn:
            rid, info = self._find(conn, name)
            results = read.results_of(conn, rid)
        if results is None:
            raise StoreError(f"测评轮次「{name}」（{info.kind}）没有记录评分结果")
        return results

    def unit_scores(self, name: str, unit_id: str | None = None) -> list[model.UnitScore]:
        return self._list(read.unit_scores, name, unit_id)

    def findings(self, name: str, unit_id: str | None = None) -> list[model.FindingRecord]:
        return self._list(read.findings, name, unit_id)

    def notices(self, name: str, unit_id: str | None = None) -> list[model.NoticeRecord]:
        """The 整改通知书 issued in the round (文号, issue date, deadline), by unit."""
        return self._list(read.notices, name, unit_id)

    def rechecks(self, name: str, unit_id: str | None = None) -> list[model.RecheckItem]:
        return self._list(read.rechecks, name, unit_id)

    def verdicts(self, name: str, unit_id: str | None = None) -> list[model.UnitVerdict]:
        return self._list(read.verdicts, name, unit_id)

    def urges(self, name: str, unit_id: str | None = None) -> list[model.UrgeRecord]:
        return self._list(read.urges, name, unit_id)

    def urges_following(self, baseline: str) -> list[tuple[model.RoundInfo, model.UrgeRecord]]:
        """Every urge (催办 / 通报) recorded in rounds that follow up ``baseline``, in recording order."""
        out = []
        with self.reading() as conn:
            for rid, info in read.rounds(conn):
                if info.baseline == baseline:
                    out += [(info, u) for u in read.urges(conn, rid)]
        return out

    def scores_frame(self, name: str) -> pd.DataFrame:
        return self._frame(read.scores_frame, name)

    def indicators_frame(self, name: str) -> pd.DataFrame:
        return self._frame(read.indicators_frame, name)

    # -- helpers ----------------------------------------------------------------------------------------

    def _find(self, conn, name: str) -> tuple[int, model.RoundInfo]:
        found = read.round_by_name(conn, name)
        if found is None:
            names = [i.name for _, i in read.rounds(conn)]
            known = "、".join(names[-20:]) if names else "（库中还没有任何轮次）"
            raise UnknownRound(f"测评轮次「{name}」不在 {self.where} 中；已有的轮次：{known}")
        return found

    def _id(self, conn, name: str) -> int:
        return self._find(conn, name)[0]

    def _list(self, fn, name: str, unit_id: str | None):
        with self.reading() as conn:
            return fn(conn, self._id(conn, name), unit_id)

    def _frame(self, fn, name: str) -> pd.DataFrame:
        with self.reading() as conn:
            return fn(conn, self._id(conn, name))

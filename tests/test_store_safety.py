"""Nothing lost: a killed recording leaves no trace, readers work during a recording, old stores upgrade."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import report_helpers as h
from store_helpers import db, synthetic_results  # noqa: F401 - the db fixture
from scoring.store import StoreError, open_store
from scoring.store.db import connect, known_revisions

TESTS = Path(__file__).resolve().parent
BIG = 3000

# Records a 3,000-unit round in a child process that reports each inserted chunk and,
# after the first chunk of indicator scores, waits (for a file, or a long time): the
# recording's transaction is open, half its rows written.
RECORDER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {tests!r})
    from store_helpers import synthetic_results
    import scoring.store.record as rec
    from scoring.store import open_store
    results = synthetic_results({n})
    store = open_store(sys.argv[1])
    rec.CHUNK = 2000
    def hook(table, n):
        print("inserted", table, n, flush=True)
        if table == "indicator_scores" and n == rec.CHUNK:
            go = sys.argv[2]
            for _ in range(1200):
                if os.path.exists(go):
                    break
                time.sleep(0.1)
    rec.BATCH_HOOK = hook
    store.record_round("全省第二轮", "测评", results)
    print("committed", flush=True)
""")


def start_recorder(db: str, go: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", RECORDER.format(tests=str(TESTS), n=BIG), db, str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in p.stdout:   # wait until the recording is mid-way
        if line.startswith("inserted indicator_scores"):
            return p
    p.wait()
    pytest.fail(f"the recorder ended before pausing: {p.stderr.read()[-2000:]}")


def counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"select count(*) from {t}")).scalar()
                for t in ("rounds", "unit_scores", "indicator_scores", "findings")}


def test_a_recording_killed_midway_leaves_no_trace_of_the_round(db, tmp_path):
    with open_store(db) as store:
        store.record_round("全省第一轮", "测评", synthetic_results(5))
        before = counts(store)
    p = start_recorder(db, tmp_path / "never")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert p.returncode == -signal.SIGKILL
    with open_store(db) as store:
        assert [r.name for r in store.rounds()] == ["全省第一轮"]
        assert counts(store) == before
        assert len(store.unit_scores("全省第一轮")) == 5
        # and the store takes the same round afterwards, whole
        store.record_round("全省第二轮", "测评", synthetic_results(BIG))
        assert store.round("全省第二轮").n_units == BIG
        assert len(store.indicators_frame("全省第二轮")) == BIG * 4


def test_history_and_diff_work_while_a_round_is_being_recorded(db, tmp_path):
    with open_store(db) as store:
        store.record_round("全省第一轮", "测评", synthetic_results(6))
        store.record_round("全省第一轮补测", "测评", synthetic_results(6, shift=1))
    go = tmp_path / "go"
    p = start_recorder(db, go)
    try:
        r = h.run("history", "DW00001", "--db", db)
        assert r.exit_code == 0, r.output
        assert "全省第一轮补测" in r.output and "全省第二轮" not in r.output
        r = h.run("diff", "全省第一轮", "全省第一轮补测", "--db", db, "--out", tmp_path / "d")
        assert r.exit_code == 0, r.output
        assert p.poll() is None            # the recording was still open throughout
    finally:
        go.touch()
        out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err[-2000:]
    r = h.run("history", "DW00001", "--db", db)
    assert "全省第二轮" in r.output


REV1_ROWS = [
    "insert into rounds (name, kind, rubric_id, rubric_version, rubric_sha256, as_of, tool_version, recorded_at, n_units)"
    " values ('2025年第一轮', '测评', 'provincial-2025', '2025.1', 'ab', '2025-11-20', '0.0.9', '2025-11-21 09:00:00', 1)",
    "insert into unit_scores values ((select id from rounds), 'DW00001', '青川市教育局', '市直部门', '87.5', 87.5, '良好', 2, 9, false)",
    "insert into findings values ((select id from rounds), 'DW00001', 1, 'A1', '目录栏目', 'LM-1', '栏目空白', '2', 2.0, 'deduction')",
    "insert into notices values ((select id from rounds), 'DW00001', '政务公开整改〔2025〕1号', '2025-11-20', '2025-12-11')",
]


def test_a_store_made_by_the_first_schema_is_upgraded_and_read(db):
    engine, _ = connect(db, upgrade_to="0001")
    with engine.begin() as conn:
        assert "ix_unit_scores_unit" not in {i["name"] for i in sa.inspect(conn).get_indexes("unit_scores")}
        for sql in REV1_ROWS:
            conn.execute(sa.text(sql))
    engine.dispose()
    with open_store(db) as store:
        with store.engine.connect() as conn:
            assert "ix_unit_scores_unit" in {i["name"] for i in sa.inspect(conn).get_indexes("unit_scores")}
            assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == known_revisions()[1]
        [score] = store.unit_scores("2025年第一轮")
        assert (score.unit_id, score.total_exact, score.rank) == ("DW00001", "87.5", 2)
        assert store.notices("2025年第一轮")[0].deadline == dt.date(2025, 12, 11)
        store.record_round("2026年第一轮", "测评", synthetic_results(2))
    r = h.run("history", "DW00001", "--db", db)
    assert r.exit_code == 0 and "2025年第一轮" in r.output and "2026年第一轮" in r.output
    assert "LM-1 栏目空白 —— 2025年第一轮 存在" in r.output


def test_the_migrations_build_the_schema_the_code_uses(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scoring.store.schema import metadata

    with open_store(db) as store, store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_store_from_a_newer_program_is_refused_untouched(db):
    with open_store(db) as store:
        store.record_round("第一轮", "测评", synthetic_results(2))
        with store.engine.begin() as conn:
            conn.execute(sa.text("update alembic_version set version_num = '0099'"))
    with pytest.raises(StoreError, match="结构版本 0099 比本程序新.*请升级 zwgk"):
        open_store(db)
    r = h.run("diff", "第一轮", "第一轮", "--db", db)
    assert r.exit_code == 2 and "比本程序新" in r.output

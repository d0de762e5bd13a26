"""The round-store tests' databases and results.

``db`` fixture: parametrised over SQLite (a file in tmp_path) and PostgreSQL
(a fresh database per test on the server named by ``ZWGK_TEST_PG_URL``; .ci/run
starts one; elsewhere one is started here from the Debian binaries). When no
server can be had, the PostgreSQL cases skip with the reason, except under
CI=true, where they fail.

``synthetic_results(n)``: a valid results object of ``n`` units without
scoring any evidence (the store only reads results).
"""

from __future__ import annotations

import atexit
import os
import tempfile
import uuid
from fractions import Fraction

import pytest

import pg_server
from scoring.results import (
    Finding, GradeBand, GroupInfo, IndicatorInfo, IndicatorResult, Period, Pts, Results, RubricInfo, Tool,
    UnitResult,
)

PG_ENV = "ZWGK_TEST_PG_URL"
_server: dict = {}


def pg_admin_url() -> str:
    """The test server's URL (started once per session when not given); skips or fails when there is none."""
    url = os.environ.get(PG_ENV) or _server.get("url")
    if url:
        return url
    if "error" not in _server:
        folder = tempfile.mkdtemp(prefix="zwgk-pg-")
        try:
            _server["url"] = pg_server.start(folder)
            atexit.register(pg_server.stop, folder)
            return _server["url"]
        except pg_server.NoServer as exc:
            _server["error"] = str(exc)
    reason = f"PostgreSQL store tests NOT RUN: no server ({PG_ENV} unset and none could be started: {_server['error']})"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def fresh_pg_database() -> tuple[str, callable]:
    """(URL of a new empty database, a function dropping it)."""
    import sqlalchemy as sa

    admin = sa.engine.make_url(pg_admin_url())
    name = f"zwgk_t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()

    return admin.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A store location: a SQLite file path, or the URL of an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "zwgk.db")
        return
    url, drop = fresh_pg_database()
    yield url
    drop()


P = Pts.of
INDICATORS = [("A1", "主动公开目录", 20), ("A2", "政策文件", 30), ("A3", "依申请公开", 30), ("A4", "留言办理", 20)]


def synthetic_results(n_units: int, *, as_of: str = "2026-11-20", shift: int = 0, rubric_version: str = "2026.1",
                      indicators=INDICATORS, findings_per_unit: int = 3) -> Results:
    """``n_units`` units (DW00001…) in two groups; ``shift`` changes scores and ranks from round to round."""
    infos = [IndicatorInfo(id=i, parent=None, level=0, title=t, points=P(p), rule="x") for i, t, p in indicators]
    units = []
    for k in range(n_units):
        uid = f"DW{k + 1:05d}"
        inds = []
        for j, (iid, title, pmax) in enumerate(indicators):
            lost = (k * 7 + j * 3 + shift) % 5 if j < 2 else 0
            fs = [Finding(table="政策文件", ref=f"WJ-{k}-{iid}-{n}", message=f"{title}问题{n}", deduction=P(1),
                          rectify="整改", file="x.csv", row=n + 2, kind="deduction")
                  for n in range(min(lost, findings_per_unit))]
            inds.append(IndicatorResult(id=iid, parent=None, level=0, title=title, score=P(pmax - lost),
                                        max=P(pmax), state="scored", findings=fs))
        total = sum((i.score.fraction for i in inds), Fraction(0))
        units.append((uid, total, inds))
    groups = {0: "市直部门", 1: "县区政府"}
    out = []
    for g, gname in groups.items():
        members = sorted((u for n, u in enumerate(units) if n % 2 == g), key=lambda u: (-u[1], u[0]))
        for rank, (uid, total, inds) in enumerate(members, 1):
            out.append(UnitResult(unit_id=uid, name=f"单位{uid}", kind=gname, group=gname, region=None,
                                  total=P(total), max=P(100), raw=P(total), base=P(total), bonus=P(0),
                                  grade="优秀" if total >= 95 else "良好", rank=rank, group_size=len(members),
                                  vetoed=False, indicators=inds))
    return Results(tool=Tool(version="0.1.0"),
                   rubric=RubricInfo(id="test-rubric", version=rubric_version, title="测试细则", sha256="0" * 64,
                                     path="test.yaml"),
                   as_of=as_of, period=Period(start="2025-11-21", end=as_of), calendar="cn", evidence="evidence",
                   full_points=P(100), indicators=infos, grades=[GradeBand(name="优秀", min=P(95)),
                                                                 GradeBand(name="良好", min=P(0))],
                   veto_grade="不合格", bonus=None, group_by="kind",
                   groups=[GroupInfo(name=n, size=sum(1 for u in out if u.group == n)) for n in groups.values()],
                   units=out)



"""Fuzz: `zwgk report` on randomly edited results.json answers exit 0, or exit 2 naming where.

Never a traceback, a hang or unbounded memory, whatever a field holds. The budget is
small by default; `make fuzz` (ZWGK_FUZZ=long) runs many more examples.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import fuzz_helpers as fz
import report_helpers as h
from scoring.cli import main

_BASE: dict = {}


@pytest.fixture(scope="module", autouse=True)
def base_results(tmp_path_factory):
    out = h.assess_batch(tmp_path_factory.mktemp("fuzz"), "--no-reports")
    _BASE.update(json.loads((out / "results.json").read_text(encoding="utf-8")))


def _report_answers_cleanly(data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "results.json"
        path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=True), encoding="utf-8")
        with fz.bounded():
            r = CliRunner().invoke(main, ["report", str(path), "--out", str(Path(tmp) / "out")])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 2), r.output
    if r.exit_code == 2:
        assert "错误" in r.output and len(r.output) < 20_000
        assert "results.json" in r.output or "整改期限" in r.output or "通知书文件名" in r.output, r.output
        assert not (Path(tmp) / "out" / "notices").exists()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_fuzz_report_on_edited_results_exits_0_or_2(data):
    _report_answers_cleanly(data.draw(fz.mutated(_BASE)))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(fz.NASTY_TEXT), st.text(min_size=1, max_size=40)), min_size=3, max_size=3))
def test_fuzz_report_with_any_unit_ids_gives_each_unit_its_notice(ids):
    data = json.loads(json.dumps(_BASE))
    for unit, new_id in zip(data["units"], ids):
        unit["unit_id"] = new_id
    _report_answers_cleanly(data)

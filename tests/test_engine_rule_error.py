"""A rule kind that raises stops the run: exit code 2, a Chinese message naming the kind,
the indicator and the error, no traceback and nothing written."""

import datetime as dt

import pytest
from click.testing import CliRunner
from engine_helpers import batch_with, engine_test_kind, rubric_file

from scoring.cli import main
from scoring.engine import RuleError, assess
from scoring.evidence.load import load_batch
from scoring.rubric.load import load_rubric
from scoring.workdays import CalendarError, WorkCalendar

assert engine_test_kind  # autouse fixture: registers the test-only rule kind

UNITS = [("U1", "甲局", "市直部门")]


def broken(tmp_path):
    """A batch and a rubric whose M1 rule kind raises ValueError("列 channel 不存在")."""
    return (batch_with(tmp_path, UNITS, bad={"U1": 1}),
            rubric_file(tmp_path, params="{per_item: 1, fail_with: 列 channel 不存在}"))


def test_the_engine_names_the_rule_kind_the_indicator_and_the_error(tmp_path):
    ev, rubric = broken(tmp_path)
    with pytest.raises(RuleError) as err:
        assess(load_batch(ev), load_rubric(rubric), dt.date(2026, 11, 20), WorkCalendar.load())
    text = err.value.message
    assert "M1" in text and "engine_test_messages" in text and "ValueError: 列 channel 不存在" in text


def test_assess_stops_with_exit_2_and_writes_nothing(tmp_path):
    ev, rubric = broken(tmp_path)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["assess", str(ev), "--rubric", str(rubric), "--as-of", "2026-11-20",
                                  "--out", str(out), "--no-reports"])
    assert r.exit_code == 2
    assert "错误：评分中止：指标 M1 的规则类型 engine_test_messages 运行出错" in r.stderr
    assert "列 channel 不存在" in r.stderr and "Traceback" not in r.output
    assert not (out / "results.json").exists()


def test_check_stops_the_same_way(tmp_path):
    ev, rubric = broken(tmp_path)
    r = CliRunner().invoke(main, ["check", str(ev), "--rubric", str(rubric), "--as-of", "2026-11-20"])
    assert r.exit_code == 2
    assert "指标 M1 的规则类型 engine_test_messages" in r.stderr and "Traceback" not in r.output


def test_a_date_beyond_the_holiday_tables_is_still_a_calendar_error(tmp_path, engine_test_kind, monkeypatch):
    def no_calendar(self, ctx):
        raise CalendarError("2031 年的节假日安排尚未发布", years=[2031])

    monkeypatch.setattr(engine_test_kind, "run", no_calendar)
    ev, rubric = batch_with(tmp_path, UNITS, bad={"U1": 1}), rubric_file(tmp_path)
    with pytest.raises(CalendarError):
        assess(load_batch(ev), load_rubric(rubric), dt.date(2026, 11, 20), WorkCalendar.load())

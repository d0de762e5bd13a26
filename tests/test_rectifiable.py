"""What the recheck needs from a scoring run: which indicators are rectifiable, which findings are still pending."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import scoring
from scoring.rubric.load import load_rubric


@pytest.fixture(scope="module")
def results():
    return scoring.score("sample_units", as_of=dt.date(2026, 11, 20))


def test_shipped_timeliness_indicators_are_not_rectifiable_and_the_rest_are():
    rect = load_rubric("provincial-2026").model.rectifiable()
    assert {i for i, ok in rect.items() if not ok} == {"B5", "C3", "D1", "D2", "E1", "E2", "F1"}
    # the rubric extending it inherits the setting
    assert not load_rubric("provincial-2026-annual-text").model.rectifiable()["D1"]


def test_a_parent_not_rectifiable_passes_it_to_its_children_unless_they_say_otherwise(tmp_path):
    text = (tmp_path / "r.yaml")
    base = load_rubric("provincial-2026").path
    text.write_text(f"id: loop-test\nversion: \"1\"\ntitle: 测试\nextends: {base}\nindicators:\n"
                    "  - id: A\n    rectifiable: false\n    children:\n      - id: A2\n        rectifiable: true\n",
                    encoding="utf-8")
    rect = load_rubric(str(text)).model.rectifiable()
    assert (rect["A"], rect["A1"], rect["A2"], rect["B1"]) == (False, False, True, True)


def test_an_unanswered_request_is_pending_and_a_late_reply_is_not(results):
    d1 = {f.ref: f.pending for f in next(i for i in results.unit("QC-XQ-03").indicators if i.id == "D1").findings}
    assert d1 == {"LJ-2026-01": False, "LJ-2026-02": False, "LJ-2026-06": True}
    f1 = {u.unit_id: [f.pending for i in u.indicators if i.id == "F1" for f in i.findings] for u in results.units}
    assert f1["QC-SZ-02"] == [True] and f1["QC-XQ-04"] == [False]   # no 2025 report / published late


def test_results_json_writes_the_loop_fields_only_when_not_default(results):
    data = json.loads(results.to_json())
    findings = [f for u in data["units"] for i in u["indicators"] for f in i["findings"]]
    assert all(f["pending"] is True for f in findings if "pending" in f)
    assert sum("pending" in f for f in findings) == sum(f.pending for u in results.units
                                                        for i in u.indicators for f in i.findings) > 0
    assert {i["id"] for i in data["indicators"] if "rectifiable" in i} == {"B5", "C3", "D1", "D2", "E1", "E2", "F1"}

"""End to end: `zwgk assess sample_units --rubric provincial-2026-full` against the hand computation in
docs/SAMPLE_UNITS.md (政务新媒体, 决策预公开, 建议提案), and the default rubric left untouched by those tables."""

import re
import shutil
from fractions import Fraction
from pathlib import Path

import json
import pytest
import yaml
from click.testing import CliRunner

from scoring.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: the sample files that hold the three tables the default rubric does not use
NEW_TABLE_FILES = {
    "media_accounts.csv", "consultations.csv", "proposals.csv", "政务新媒体.csv", "决策预公开.csv", "建议提案.csv",
}


def hand_computed() -> dict:
    text = (ROOT / "docs" / "SAMPLE_UNITS.md").read_text(encoding="utf-8")
    return yaml.safe_load(re.search(r"## 完整版细则的机器可读预期结果\s*```yaml\n(.*?)```", text, re.S).group(1))


EXPECTED = hand_computed()


def frac(v) -> Fraction:
    return Fraction(str(v))


def assess(evidence: Path, out: Path, *extra: str) -> Path:
    r = CliRunner().invoke(main, ["assess", str(evidence), "--as-of", "2026-11-20", "--out", str(out),
                                  "--no-reports", *extra])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def units(tmp_path_factory):
    out = assess(ROOT / "sample_units", tmp_path_factory.mktemp("full") / "out", "--rubric", EXPECTED["rubric"])
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {u["unit_id"]: u for u in results["units"]}


def indicator(unit: dict, ind: str) -> dict:
    return next(i for i in unit["indicators"] if i["id"] == ind)


@pytest.mark.parametrize("unit_id", sorted(EXPECTED["units"]))
def test_each_sample_unit_scores_under_the_full_rubric_as_computed_by_hand(units, unit_id):
    exp, u = EXPECTED["units"][unit_id], units[unit_id]
    for top in "ABCDEFH":
        assert Fraction(indicator(u, top)["score"]["exact"]) == frac(exp[top]), f"{unit_id} {top}"
    for key in ("base", "bonus", "total"):
        assert Fraction(u[key]["exact"]) == frac(exp[key]), f"{unit_id} {key}"
    assert (u["grade"], u["rank"], u["vetoed"]) == (exp["grade"], exp["rank"], exp["vetoed"])
    assert sorted(v["indicator_id"] for v in u["veto_reasons"]) == sorted(exp.get("veto", []))


@pytest.mark.parametrize("unit_id", sorted(EXPECTED["units"]))
def test_new_media_and_participation_items_lose_exactly_the_hand_computed_points(units, unit_id):
    partial = {k: frac(v) for k, v in (EXPECTED["partial_h"].get(unit_id) or {}).items()}
    absent_items = set(EXPECTED["not_provided"].get(unit_id) or [])
    for n in range(1, 7):
        ind = indicator(units[unit_id], f"H{n}")
        absent = ind["id"] in absent_items
        want = Fraction(0) if absent else partial.get(ind["id"], Fraction(ind["max"]["exact"]))
        assert Fraction(ind["score"]["exact"]) == want, f"{unit_id} H{n}"
        assert (ind["state"] == "not_provided") == absent


def test_unpublished_feedback_is_pending_and_the_late_one_is_history(units):
    h5 = [f for f in indicator(units["QC-XQ-02"], "H5")["findings"] if f["kind"] == "deduction"]
    assert [(f["ref"], f.get("pending", False)) for f in h5] == [("HX-ZQYJ-2026-01", False), ("HX-ZQYJ-2026-02", True)]


def test_default_rubric_results_are_byte_identical_without_the_new_tables(tmp_path):
    with_tables = tmp_path / "with" / "sample_units"
    without = tmp_path / "without" / "sample_units"
    shutil.copytree(ROOT / "sample_units", with_tables)
    shutil.copytree(ROOT / "sample_units", without)
    removed = [p for p in without.rglob("*.csv") if p.name in NEW_TABLE_FILES]
    assert len(removed) == 13  # five units provide them
    for p in removed:
        p.unlink()
    a = assess(with_tables, tmp_path / "out-with")
    b = assess(without, tmp_path / "out-without")
    for name in ("results.json", "scores.csv", "findings.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_full_rubric_marks_consultation_timeliness_as_history_and_new_media_as_rectifiable():
    from scoring.rubric.load import load_rubric

    rect = load_rubric("provincial-2026-full").model.rectifiable()
    assert {i for i, ok in rect.items() if not ok and i.startswith("H")} == {"H4", "H5"}
    assert rect["H1"] and rect["H3"] and rect["H6"] and not rect["D1"]


def test_website_rubric_vetoes_stale_and_unanswered_new_media_and_skips_units_without_them(tmp_path):
    out = assess(ROOT / "sample_units", tmp_path / "gov", "--rubric", "gov-website-2019")
    units = {u["unit_id"]: u for u in json.loads((out / "results.json").read_text(encoding="utf-8"))["units"]}
    assert sorted(v["indicator_id"] for v in units["QC-XQ-03"]["veto_reasons"]) == ["V6", "V7"]
    v6 = indicator(units["QC-SZ-02"], "V6")
    assert v6["state"] == "not_applicable" and not [f for f in v6["findings"] if f["kind"] == "not_provided"]
    assert indicator(units["QC-XQ-01"], "V6")["state"] == "scored" and not units["QC-XQ-01"]["vetoed"]

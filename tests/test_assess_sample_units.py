"""End to end: `zwgk assess sample_units` against the hand computation in docs/SAMPLE_UNITS.md.

docs/SAMPLE_UNITS.md works every unit's points out by hand from RUBRIC.md (with the
arithmetic of each deduction); its machine-readable block is the expectation here.
"""

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scoring.cli import main

ROOT = Path(__file__).resolve().parents[1]


def hand_computed() -> dict:
    text = (ROOT / "docs" / "SAMPLE_UNITS.md").read_text(encoding="utf-8")
    block = re.search(r"## 机器可读的预期结果\s*```yaml\n(.*?)```", text, re.S).group(1)
    return yaml.safe_load(block)


EXPECTED = hand_computed()


def frac(v) -> Fraction:
    return Fraction(str(v))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("assess") / "out"
    r = CliRunner().invoke(main, ["assess", str(ROOT / "sample_units"), "--as-of", str(EXPECTED["as_of"]),
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return out, results, {u["unit_id"]: u for u in results["units"]}


def score(unit: dict, ind: str) -> Fraction:
    i = next(i for i in unit["indicators"] if i["id"] == ind)
    return Fraction(i["score"]["exact"])


@pytest.mark.parametrize("unit_id", sorted(EXPECTED["units"]))
def test_each_sample_unit_scores_as_computed_by_hand(run, unit_id):
    _, _, units = run
    exp = EXPECTED["units"][unit_id]
    u = units[unit_id]
    assert u["group"] == exp["group"]
    for top in "ABCDEF":
        assert score(u, top) == frac(exp[top]), f"{unit_id} {top}"
    assert Fraction(u["base"]["exact"]) == frac(exp["base"])
    assert Fraction(u["bonus"]["exact"]) == frac(exp["bonus"])
    assert Fraction(u["total"]["exact"]) == frac(exp["total"])
    assert u["grade"] == exp["grade"]
    assert u["rank"] == exp["rank"]
    assert u["vetoed"] == exp["vetoed"]
    if exp["vetoed"]:
        assert sorted(v["indicator_id"] for v in u["veto_reasons"]) == sorted(exp["veto"])


@pytest.mark.parametrize("unit_id", sorted(EXPECTED["units"]))
def test_second_level_indicators_lose_exactly_the_hand_computed_points(run, unit_id):
    _, _, units = run
    u = units[unit_id]
    partial = {k: frac(v) for k, v in (EXPECTED["partial"].get(unit_id) or {}).items()}
    for ind in u["indicators"]:
        if ind["level"] != 1 or ind["id"].startswith("G"):
            continue
        want = partial.get(ind["id"], Fraction(ind["max"]["exact"]))
        assert Fraction(ind["score"]["exact"]) == want, f"{unit_id} {ind['id']}"


def test_the_clean_unit_has_no_findings_and_the_tie_shares_rank_two(run):
    out, _, units = run
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert not [r for r in rows if r["unit_id"] == "QC-XQ-01"]
    assert units["QC-SZ-02"]["rank"] == units["QC-SZ-03"]["rank"] == 2
    assert units["QC-SZ-04"]["rank"] == 4  # vetoed: after all others although its total is the highest


def test_request_answered_one_working_day_after_the_national_day_deadline_is_named(run):
    out, _, _ = run
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    late = [r for r in rows if r["indicator_id"] == "D1" and r["ref"] == "JY-YSQ-2026-03"]
    assert len(late) == 1
    assert "2026-10-29" in late[0]["message"] and "逾期 1 个工作日" in late[0]["message"]
    assert late[0]["deduction"] == "3" and late[0]["rectify"]
    # the extension noticed after the deadline is not counted, and the finding says why
    ext = next(r for r in rows if r["ref"] == "LJ-2026-02")
    assert "延期未计入" in ext["message"] and "2026-05-20" in ext["message"]


def test_a_unit_without_the_messages_table_is_told_the_evidence_was_not_provided(run):
    _, _, units = run
    e1 = next(i for i in units["QC-XZ-01"]["indicators"] if i["id"] == "E1")
    assert e1["state"] == "not_provided"
    assert any("未提供" in f["message"] for f in e1["findings"])


def test_two_runs_write_byte_identical_results_json(run, tmp_path):
    out, _, _ = run
    again = tmp_path / "again"
    r = CliRunner().invoke(main, ["assess", str(ROOT / "sample_units"), "--as-of", str(EXPECTED["as_of"]),
                                  "--out", str(again)])
    assert r.exit_code == 0
    assert (again / "results.json").read_bytes() == (out / "results.json").read_bytes()


@pytest.mark.parametrize("unit_id", sorted(EXPECTED["units"]))
def test_self_check_of_one_unit_scores_what_the_batch_assessment_gives(run, unit_id):
    """`zwgk check BATCH --unit ID` scores the unit alone: its score must not depend on the others."""
    _, _, units = run
    r = CliRunner().invoke(main, ["check", str(ROOT / "sample_units"), "--unit", unit_id,
                                  "--as-of", str(EXPECTED["as_of"]), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["unit"]["total"] == units[unit_id]["total"]
    assert doc["unit"]["grade"] == units[unit_id]["grade"]
    assert [i["score"] for i in doc["unit"]["indicators"]] == [i["score"] for i in units[unit_id]["indicators"]]

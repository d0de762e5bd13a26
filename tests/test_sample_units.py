"""The shipped demo batch `sample_units/` and its hand-computed expectations (docs/SAMPLE_UNITS.md)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from scoring.evidence.load import load_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_units"
DOC = ROOT / "docs" / "SAMPLE_UNITS.md"
POINTS = {"A": 20, "B": 20, "C": 20, "D": 20, "E": 10, "F": 10}


@pytest.fixture(scope="module")
def batch():
    return load_batch(SAMPLE)


@pytest.fixture(scope="module")
def expected():
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/SAMPLE_UNITS.md has no yaml block of expectations"
    return yaml.safe_load(block.group(1))


def frac(v) -> Fraction:
    return Fraction(str(v))


def test_sample_batch_loads_ten_units_in_three_groups(batch):
    kinds = batch.units.set_index("unit_id")["kind"]
    assert len(kinds) == 10
    assert kinds.value_counts().to_dict() == {"县区政府": 4, "市直部门": 4, "乡镇街道": 2}


def test_every_evidence_table_appears_in_the_sample_batch(batch):
    for table, provided in batch.provided.items():
        assert provided.any(), f"no unit provides {table}"
        assert len(batch.tables[table]) > 0, f"{table} has no rows"


def test_street_office_without_message_evidence_is_marked_not_provided(batch):
    assert not batch.provided.loc["QC-XZ-01", "messages"]
    assert batch.provided.loc["QC-XZ-01", "requests"]
    assert not (batch.tables["requests"]["unit_id"] == "QC-XZ-01").any()


def test_gbk_csv_and_excel_workbook_are_read_as_chinese(batch):
    assert (SAMPLE / "QC-XQ-03" / "依申请公开.csv").read_bytes().decode("gb18030").startswith("申请编号")
    with pytest.raises(UnicodeDecodeError):
        (SAMPLE / "QC-XQ-03" / "依申请公开.csv").read_bytes().decode("utf-8")
    req = batch.tables["requests"].set_index("request_id")
    assert req.loc["LJ-2026-05", "outcome"] == "无法提供"
    docs = batch.tables["documents"].set_index("doc_id")
    assert docs.loc["JY-2026-02", "doc_number"] == "青教规〔2026〕1号"
    assert str(docs.loc["JY-2026-02", "published_on"].date()) == "2026-04-17"


def test_every_interpretation_text_file_exists(batch):
    paths = batch.tables["interpretations"]["_text_path"].dropna()
    suffixes = {Path(p).suffix for p in paths}
    assert suffixes == {".txt", ".html", ".docx"}
    assert all(Path(p).is_file() for p in paths)


def test_documented_totals_add_up_from_indicator_points(expected):
    for uid, u in expected["units"].items():
        parts = {k: frac(u[k]) for k in POINTS}
        for k, v in parts.items():
            assert 0 <= v <= POINTS[k], (uid, k)
        base = sum(parts.values(), Fraction(0))
        assert base == frac(u["base"]), uid
        counts = base >= 80 and not u["vetoed"]
        assert frac(u["bonus"]) <= 5 and (counts or frac(u["bonus"]) == 0), uid
        assert frac(u["total"]) == base + frac(u["bonus"]), uid
        grade = "不合格" if u["vetoed"] else next(
            g for g, lo in (("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)) if frac(u["total"]) >= lo)
        assert u["grade"] == grade, uid


def test_documented_ranks_put_vetoed_units_last_and_share_ties(expected):
    units = expected["units"]
    for group in {u["group"] for u in units.values()}:
        members = {k: u for k, u in units.items() if u["group"] == group}
        key = {k: (u["vetoed"], -frac(u["total"])) for k, u in members.items()}
        for k, u in members.items():
            assert u["rank"] == 1 + sum(1 for o in members if key[o] < key[k]), k


def test_documented_expectations_cover_every_unit_of_the_batch(batch, expected):
    assert set(expected["units"]) == set(batch.units["unit_id"])
    assert set(expected["partial"]) <= set(expected["units"])


SUB_POINTS = {"A1": 8, "A2": 4, "A3": 4, "A4": 4, "B1": 5, "B2": 4, "B3": 4, "B4": 4, "B5": 3,
              "C1": 6, "C2": 6, "C3": 4, "C4": 2, "C5": 2, "D1": 12, "D2": 2, "D3": 6,
              "E1": 6, "E2": 4, "F1": 3, "F2": 7}


def test_documented_second_level_scores_add_up_to_each_indicator(expected):
    for uid, u in expected["units"].items():
        partial = {k: frac(v) for k, v in (expected["partial"].get(uid) or {}).items()}
        for top, pts in POINTS.items():
            subs = {k: p for k, p in SUB_POINTS.items() if k.startswith(top)}
            assert sum(subs.values()) == pts
            got = sum((partial.get(k, Fraction(p)) for k, p in subs.items()), Fraction(0))
            assert got == frac(u[top]), (uid, top)

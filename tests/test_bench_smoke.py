"""The synthetic province batch (bench/make_batch.py) stays loadable and assessable.

Not a timing test: it only makes sure `make bench` cannot rot when the
evidence format, the rubric or the engine changes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from make_batch import main as make_batch_cli  # noqa: E402

from scoring.cli import main as zwgk  # noqa: E402
from scoring.evidence.load import load_batch  # noqa: E402

AS_OF = "2026-11-20"


def generate(out: Path, units: int, seed: int = 1) -> Path:
    res = CliRunner().invoke(make_batch_cli, [str(out), "--units", str(units), "--seed", str(seed)])
    assert res.exit_code == 0, res.output
    return out


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("province") / "batch", 20)


def test_synthetic_province_has_a_file_per_table_and_loads_without_errors(small_batch):
    names = {p.stem for p in small_batch.glob("*.csv")}
    assert names == {"units", "requests", "messages", "documents", "interpretations", "catalog",
                     "annual_reports", "annual_report_cells", "site_checks", "bonus"}
    batch = load_batch(small_batch)
    assert len(batch.units) == 20
    assert set(batch.units["kind"]) <= {"县区政府", "市直部门", "乡镇街道"}
    # every unit has evidence in the big tables, and every row belongs to a known unit
    for table in ("requests", "messages", "documents", "catalog", "annual_report_cells"):
        rows = batch.tables[table]
        assert set(rows["unit_id"]) == set(batch.units["unit_id"]), table
    # interpretations point at the unit's own documents
    docs = batch.tables["documents"].set_index(["unit_id", "doc_id"]).index
    interp = batch.tables["interpretations"].set_index(["unit_id", "doc_id"]).index
    assert interp.isin(docs).all()


def test_synthetic_requests_are_answered_on_or_after_receipt_and_some_are_late(small_batch):
    batch = load_batch(small_batch)
    req = batch.tables["requests"]
    replied = req["replied_on"].notna()
    assert (req.loc[replied, "replied_on"] >= req.loc[replied, "received_on"]).all()
    assert replied.mean() > 0.9
    # the dates cover the year, holidays included (National Day week)
    days = req["received_on"].dt.strftime("%m-%d")
    assert days.between("10-01", "10-07").any()


def test_same_seed_writes_the_same_files_and_another_seed_does_not(tmp_path):
    a = digest(generate(tmp_path / "a", 5, seed=3))
    b = digest(generate(tmp_path / "b", 5, seed=3))
    c = digest(generate(tmp_path / "c", 5, seed=4))
    assert a == b
    assert a != c


def test_synthetic_province_assesses_and_every_unit_gets_a_grade_and_a_rank(small_batch, tmp_path):
    out = tmp_path / "results"
    res = CliRunner().invoke(zwgk, ["assess", str(small_batch), "--as-of", AS_OF, "--out", str(out)])
    assert res.exit_code == 0, res.output
    scores = pd.read_csv(out / "scores.csv", encoding="utf-8-sig", dtype={"unit_id": str})
    assert sorted(scores["unit_id"]) == sorted(pd.read_csv(small_batch / "units.csv")["unit_id"])
    assert scores["grade"].isin(["优秀", "良好", "合格", "不合格"]).all()
    assert scores["rank"].ge(1).all()
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["as_of"].startswith(AS_OF)
    # a realistic batch has something to rectify
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert len(findings) > 0


def test_the_300_unit_flag_gives_about_half_a_million_evidence_rows(tmp_path):
    folder = generate(tmp_path / "b300", 300)
    rows = {p.stem: sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in folder.glob("*.csv")}
    assert rows["units"] == 300
    evidence = sum(v for k, v in rows.items() if k != "units")
    # ~1,600 rows per unit (3,000 units ≈ 5 million); lines, so multi-line texts count extra
    assert 300_000 < evidence < 900_000
    load_batch(folder)  # loads without an evidence error

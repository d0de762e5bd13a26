"""results.json is the same however the evidence path was typed, and holds no absolute local path."""

from __future__ import annotations

import json
import os

import pytest

import check_helpers as ch
import report_helpers as h


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("paths")
    return h.write_batch(root), ch.write_rubric(root), root


def _assess(evidence: str, rubric, out) -> bytes:
    r = h.run("assess", evidence, "--rubric", rubric, "--as-of", h.AS_OF, "--out", out, "--no-reports")
    assert r.exit_code == 0, r.output
    return (out / "results.json").read_bytes()


def test_results_are_byte_identical_however_the_evidence_path_is_typed(batch, tmp_path, monkeypatch):
    ev, rubric, root = batch
    monkeypatch.chdir(root)
    spellings = ["evidence", "./evidence", "evidence/", str(ev), str(ev) + os.sep]
    texts = {s: _assess(s, rubric, tmp_path / f"out{k}") for k, s in enumerate(spellings)}
    monkeypatch.chdir(ev)
    texts["."] = _assess(".", rubric, tmp_path / "dot")
    monkeypatch.chdir(ev / h.VETOED)
    texts[".."] = _assess("..", rubric, tmp_path / "dotdot")
    assert len(set(texts.values())) == 1, [s for s in texts if texts[s] != texts["evidence"]]


def test_results_name_the_evidence_and_its_files_relative_to_the_evidence_folder(batch, tmp_path):
    ev, rubric, _ = batch
    results = json.loads(_assess(str(ev), rubric, tmp_path / "out"))
    assert results["evidence"] == "evidence"
    files = {f["file"] for u in results["units"] for i in u["indicators"] for f in i["findings"] if f["file"]}
    assert files and all(f.startswith("evidence/") for f in files)
    assert f"evidence/{h.VETOED}/目录栏目.csv" in files


def test_results_hold_no_absolute_local_path(batch, tmp_path):
    ev, rubric, root = batch
    text = _assess(str(ev), rubric, tmp_path / "out").decode("utf-8")
    assert str(root) not in text and str(tmp_path) not in text and os.getcwd() not in text
    results = json.loads(text)
    assert results["rubric"]["path"] == rubric.name


def test_the_shipped_rubric_is_recorded_by_its_file_name_whatever_the_working_folder(batch, tmp_path, monkeypatch):
    ev, _, _ = batch
    monkeypatch.chdir(tmp_path)
    r = h.run("assess", str(ev), "--as-of", h.AS_OF, "--out", tmp_path / "out", "--no-reports")
    assert r.exit_code == 0, r.output
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["rubric"]["path"] == "provincial-2026.yaml"

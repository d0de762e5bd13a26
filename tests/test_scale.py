"""Scoring at scale: partitions of units, worker processes, the evidence cache, Dask.

What a user checks: the files an assessment writes (results.json, scores.csv, findings.csv) are
byte for byte the same whatever the partition size, the number of workers, the cache or the
scheduler; a changed file is read again; bad evidence is reported with the user's own file,
row and column and leaves no cache behind.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import batch_with, engine_test_kind, rubric_file

from scoring.api import load_inputs, score_inputs
from scoring.cli import main
from scoring.engine.assess import assess
from scoring.engine.write import findings_csv, scores_csv
from scoring.evidence.cache import cache_folder, open_cache

assert engine_test_kind  # fixture: registers the test-only rule kind

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_units"
AS_OF = dt.date(2026, 11, 20)


def outputs(results) -> tuple[str, bytes, bytes]:
    return results.to_json(), scores_csv(results), findings_csv(results)


def whole_batch_outputs(evidence: Path) -> tuple[str, bytes, bytes]:
    """The outputs of the engine scoring the whole batch at once (no partitions)."""
    inputs = load_inputs(evidence)
    return outputs(assess(inputs.batch, inputs.rubric, AS_OF, inputs.calendar, evidence=str(evidence)))


@pytest.fixture(scope="module")
def province_300(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    from make_batch import make_batch

    folder = tmp_path_factory.mktemp("scale") / "province"
    make_batch(folder, 300, seed=3)
    return folder


@pytest.mark.parametrize("size", [1, 3, 7, 1000])
def test_sample_units_score_the_same_in_partitions_of_any_size(size):
    inputs = load_inputs(SAMPLE)
    assert outputs(score_inputs(inputs, AS_OF, partition_units=size)) == whole_batch_outputs(SAMPLE)


def test_a_province_of_300_units_scores_the_same_in_partitions_and_worker_processes(province_300):
    expected = whole_batch_outputs(province_300)
    inputs = load_inputs(province_300)
    assert outputs(score_inputs(inputs, AS_OF, partition_units=37)) == expected
    assert outputs(score_inputs(inputs, AS_OF, partition_units=1000)) == expected
    assert outputs(score_inputs(inputs, AS_OF, partition_units=64, workers=2)) == expected


def test_the_cache_gives_the_same_results_and_is_read_on_the_second_run(province_300, tmp_path):
    expected = whole_batch_outputs(province_300)
    first = load_inputs(province_300, cache=True, cache_dir=tmp_path)
    assert first.cache is not None, "a clean first read fills the cache"
    assert outputs(score_inputs(first, AS_OF, partition_units=50)) == expected
    said: list[str] = []
    second = load_inputs(province_300, cache=True, cache_dir=tmp_path, progress=said.append)
    assert any("使用缓存" in s for s in said)
    assert outputs(score_inputs(second, AS_OF, partition_units=50, workers=2)) == expected
    unit = second.unit_ids[17]
    assert (score_inputs(second, AS_OF, unit_id=unit).to_json()
            == score_inputs(load_inputs(province_300), AS_OF, unit_id=unit).to_json())


def run(*args: str):
    return CliRunner().invoke(main, [*args], catch_exceptions=False)


def copy_sample(tmp_path: Path) -> Path:
    ev = tmp_path / "evidence"
    shutil.copytree(SAMPLE, ev)
    return ev


def test_assess_writes_the_same_files_with_two_workers_the_cache_and_without(tmp_path):
    ev = copy_sample(tmp_path)
    base = ["assess", str(ev), "--as-of", "2026-11-20", "--no-reports"]
    plain = run(*base, "--out", str(tmp_path / "plain"), "--no-cache", "--workers", "1")
    assert plain.exit_code == 0, plain.output
    assert not (tmp_path / ".zwgk-cache").exists(), "--no-cache writes no cache"
    first = run(*base, "--out", str(tmp_path / "first"), "--workers", "2", "--partition-units", "3")
    second = run(*base, "--out", str(tmp_path / "second"), "--workers", "2", "--partition-units", "3")
    assert first.exit_code == second.exit_code == 0
    assert "已写入底稿缓存" in first.stderr and "使用缓存" in second.stderr
    for name in ("results.json", "scores.csv", "findings.csv"):
        want = (tmp_path / "plain" / name).read_bytes()
        assert (tmp_path / "first" / name).read_bytes() == want
        assert (tmp_path / "second" / name).read_bytes() == want


def test_a_changed_evidence_file_is_read_again(tmp_path):
    ev = copy_sample(tmp_path)
    assert load_inputs(ev, cache=True).cache is not None
    units_yaml = next(ev.glob("*/unit.yaml"))
    os.utime(units_yaml, (1, 1))   # touched, same content: the cache still holds
    assert open_cache(ev) is not None
    units_yaml.write_text(units_yaml.read_text(encoding="utf-8").replace("name:", "name: 新", 1), encoding="utf-8")
    assert open_cache(ev) is None, "a changed file invalidates the cache"


def test_bad_evidence_is_reported_in_the_users_file_and_leaves_no_cache(tmp_path):
    ev = copy_sample(tmp_path)
    requests = next(ev.glob("*/requests.csv"))
    lines = requests.read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(",")
    cells = lines[1].split(",")
    col = next(i for i, h in enumerate(head) if h in ("received_on", "收到日期"))
    cells[col] = "去年某天"
    lines[1] = ",".join(cells)
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("assess", str(ev), "--as-of", "2026-11-20", "--no-reports", "--out", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert f"{requests.parent.name}/requests.csv 第2行 「{head[col]}」列" in r.stderr
    assert not cache_folder(ev).exists()


def test_check_unit_reads_only_that_units_bucket_of_the_cache(province_300, tmp_path):
    cache_dir = tmp_path / "cache"
    ev = tmp_path / "province"
    shutil.copytree(province_300, ev)
    r = run("check", str(ev), "--unit", "DW00001", "--as-of", "2026-11-20", "--json", "--cache-dir", str(cache_dir))
    assert r.exit_code == 0
    folder = cache_folder(ev, cache_dir)
    for bucket in folder.glob("b*"):   # every other unit's evidence gone: check must not need it
        if bucket.name != "b00000":
            shutil.rmtree(bucket)
    again = run("check", str(ev), "--unit", "DW00001", "--as-of", "2026-11-20", "--json",
                "--cache-dir", str(cache_dir))
    assert again.exit_code == 0 and again.stdout == r.stdout


def test_cache_clear_removes_the_cache(tmp_path):
    ev = copy_sample(tmp_path)
    load_inputs(ev, cache=True)
    assert cache_folder(ev).is_dir()
    r = run("cache", "clear", str(ev))
    assert r.exit_code == 0 and "已删除底稿缓存" in r.output
    assert not cache_folder(ev).exists()


def test_a_rule_error_in_a_worker_stops_the_run_with_its_message(tmp_path):
    ev = batch_with(tmp_path, [("U1", "甲局", "市直部门"), ("U2", "乙局", "市直部门")], bad={"U1": 1, "U2": 1})
    rubric = rubric_file(tmp_path, params="{per_item: 1, fail_with: 列 channel 不存在}")
    r = CliRunner().invoke(main, ["assess", str(ev), "--rubric", str(rubric), "--as-of", "2026-11-20",
                                  "--out", str(tmp_path / "out"), "--no-reports", "--workers", "2",
                                  "--partition-units", "1"])
    assert r.exit_code == 2
    assert "指标 M1 的规则类型 engine_test_messages 运行出错" in r.stderr and "列 channel 不存在" in r.stderr
    assert not (tmp_path / "out" / "results.json").exists()


def test_a_two_worker_dask_cluster_writes_the_same_files(tmp_path):
    pytest.importorskip("dask.distributed")
    ev = copy_sample(tmp_path)
    base = ["assess", str(ev), "--as-of", "2026-11-20", "--no-reports", "--partition-units", "4"]
    plain = run(*base, "--out", str(tmp_path / "plain"), "--no-cache", "--workers", "1")
    on_dask = run(*base, "--out", str(tmp_path / "dask"), "--scheduler", "local:2")
    assert plain.exit_code == 0 and on_dask.exit_code == 0, on_dask.output
    assert "Dask 调度器" in on_dask.stderr
    for name in ("results.json", "scores.csv", "findings.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("dask.distributed")
    r = run("assess", str(SAMPLE), "--as-of", "2026-11-20", "--no-reports", "--no-cache",
            "--out", str(tmp_path / "out"), "--scheduler", "local:abc")
    assert r.exit_code == 2 and "--scheduler「local:abc」无法识别" in r.stderr


def test_the_multithreaded_csv_reader_gives_the_same_batch_as_the_careful_one(province_300, monkeypatch):
    from scoring.evidence import read
    from scoring.evidence.load import load_batch

    careful = load_batch(province_300)
    monkeypatch.setattr(read, "_ARROW_FROM", 0)
    fast = load_batch(province_300)
    for name, df in careful.tables.items():
        assert fast.tables[name].equals(df), name
    assert fast.units.equals(careful.units)


@pytest.mark.parametrize("body", [
    "申请编号,收到日期\nA1,2026-01-05,多出的单元格\n",        # a row longer than the header
    "申请编号,收到日期\nA1\n",                                 # a short row
    "申请编号,收到日期\n\nA1,2026-01-05\n",                    # a blank line
    '申请编号,收到日期\n"A\n1",2026-01-05\n"A2,2026-01-06\n',   # a quoted newline, an open quote
])
def test_a_malformed_csv_is_reported_the_same_by_either_reader(body, tmp_path, monkeypatch):
    from scoring.evidence import read

    path = tmp_path / "requests.csv"
    path.write_text(body, encoding="utf-8")
    careful = read.read_csv(path)
    monkeypatch.setattr(read, "_ARROW_FROM", 0)
    fast = read.read_csv(path)
    assert [vars(p) for p in fast.problems] == [vars(p) for p in careful.problems]
    assert (fast.frame is None) == (careful.frame is None)
    if fast.frame is not None:
        assert fast.frame.equals(careful.frame)


def test_the_cache_serves_the_same_evidence_named_another_way(tmp_path, monkeypatch):
    ev = copy_sample(tmp_path)
    expected = whole_batch_outputs(ev)
    load_inputs(ev, cache=True)                       # written under the absolute path
    monkeypatch.chdir(tmp_path)
    inputs = load_inputs(Path("evidence"), cache=True)   # read under a relative one
    assert inputs.cache is not None and inputs._batch is None
    assert outputs(score_inputs(inputs, AS_OF)) == whole_batch_outputs(Path("evidence"))
    assert whole_batch_outputs(Path("evidence"))[1:] == expected[1:]

"""Publishing into --out: the old set or the new set, never a mix; bad output paths exit 2 in Chinese.

The kill tests run `zwgk assess` as a real process and kill it with SIGKILL, as
an operator's `kill -9` (or a power cut of the shell) would.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import check_helpers as ch
import report_helpers as h
from scoring.staging import MANIFEST, OutputError, clean_stale, publish

posix_only = pytest.mark.skipif(os.name != "posix", reason="kill -9 and /proc are POSIX")
ZWGK = [sys.executable, "-c", "from scoring.cli import main; main()"]


def snapshot(folder: Path) -> dict[str, object]:
    """What a reader finds in an output folder: each file's content (Office files by their parts,
    without docProps, which hold the time of writing)."""
    out: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_dir():
            continue
        rel = p.relative_to(folder).as_posix()
        if p.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(p) as z:
                out[rel] = [(n, z.read(n)) for n in sorted(z.namelist()) if not n.startswith("docProps/")]
        else:
            out[rel] = p.read_bytes()
    return out


def _assess_args(root: Path, as_of: str, out: Path) -> list[str]:
    return [*ZWGK, "assess", str(root / "evidence"), "--rubric", str(root / "rubric.yaml"),
            "--as-of", as_of, "--out", str(out)]


def _run(args: list[str]) -> float:
    start = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - start


@posix_only
def test_kill_9_of_a_running_assess_leaves_the_complete_old_or_the_complete_new_set(tmp_path):
    h.write_batch(tmp_path)
    ch.write_rubric(tmp_path)
    out = tmp_path / "out"
    sets = {}
    for as_of in ("2026-11-20", "2026-11-27"):      # two different sets (other deadlines, other texts)
        ref = tmp_path / f"ref-{as_of}"
        duration = _run(_assess_args(tmp_path, as_of, ref))
        sets[as_of] = snapshot(ref)
    assert sets["2026-11-20"] != sets["2026-11-27"]
    shutil.copytree(tmp_path / "ref-2026-11-20", out)
    current = "2026-11-20"
    rng = random.Random()
    for _ in range(3):
        other = "2026-11-27" if current == "2026-11-20" else "2026-11-20"
        delay = rng.uniform(0, duration)
        proc = subprocess.Popen(_assess_args(tmp_path, other, out), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(out)
        assert now in (sets[current], sets[other]), f"a mix after kill -9 at {delay:.2f} s"
        current = current if now == sets[current] else other
    _run(_assess_args(tmp_path, "2026-11-20", out))      # the next run cleans what the killed ones left
    assert snapshot(out) == sets["2026-11-20"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.zwgk-")] == []


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p}
        todo += list(kids - found)
        found |= kids
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


POOL_SCRIPT = """
import sys
from pathlib import Path
from scoring.report.notices import render_notices
from scoring.report.options import ReportOptions
from scoring.results import read_results
from scoring.workdays import WorkCalendar

if __name__ == "__main__":
    results = read_results(Path(sys.argv[1]))
    render_notices(results, Path(sys.argv[2]), ReportOptions(), WorkCalendar.load(), workers=2, threshold=1)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_notice_workers_stop_when_the_process_that_started_them_is_killed(tmp_path):
    out = h.assess_batch(tmp_path)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    model = next(u for u in results["units"] if u["unit_id"] == h.VETOED)
    for n in range(400):                               # a big batch: each worker gets long chunks
        u = json.loads(json.dumps(model))
        u["unit_id"] = f"QC-BIG-{n:03d}"
        results["units"].append(u)
    big = tmp_path / "big.json"
    big.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    script = tmp_path / "pool.py"
    script.write_text(POOL_SCRIPT, encoding="utf-8")
    folder = tmp_path / "render"
    proc = subprocess.Popen([sys.executable, str(script), str(big), str(folder)], cwd=tmp_path)
    notices = folder / "notices"
    for _ in range(1200):                              # wait until the workers are rendering
        if notices.is_dir() and len(list(notices.iterdir())) >= 4:
            break
        time.sleep(0.05)
    workers = _descendants(proc.pid)
    assert workers, "the pool had started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    at_kill = len(list(notices.iterdir()))
    for _ in range(600):
        if not any(_alive(p) for p in workers):
            break
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "pool workers outlived the killed process"
    # a worker finishes at most the few notices in hand when it sees the kill, not its chunk of 50
    assert len(list(notices.iterdir())) - at_kill <= 40


# --- output path errors ----------------------------------------------------------------------------

def _assess(tmp_path: Path, out: Path, *extra: str):
    if not (tmp_path / "evidence").exists():
        h.write_batch(tmp_path)
        ch.write_rubric(tmp_path)
    return h.run("assess", tmp_path / "evidence", "--rubric", tmp_path / "rubric.yaml", "--as-of", h.AS_OF,
                 "--out", out, *extra)


def test_out_below_a_regular_file_exits_2_naming_the_option_and_the_file(tmp_path):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    r = _assess(tmp_path, tmp_path / "a-file" / "out")
    assert r.exit_code == 2
    assert "--out" in r.output and "a-file 是文件，不是文件夹" in r.output and "Traceback" not in r.output


def test_out_that_is_a_regular_file_exits_2(tmp_path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    r = h.run("report", h.assess_batch(tmp_path / "b") / "results.json", "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "--out" in r.output and "是文件" in r.output
    assert (tmp_path / "out").read_text(encoding="utf-8") == "x"


def test_read_only_out_exits_2_and_keeps_the_old_set(tmp_path):
    out = h.assess_batch(tmp_path)
    before = snapshot(out)
    out.chmod(0o555)
    try:
        r = _assess(tmp_path, out, "--as-of", "2026-11-27")
    finally:
        out.chmod(0o755)
    assert r.exit_code == 2
    assert "--out" in r.output and "只读" in r.output
    assert snapshot(out) == before


def test_writable_out_in_a_folder_that_is_not_writable_exits_2_naming_that_folder(tmp_path):
    out = h.assess_batch(tmp_path / "locked")
    before = snapshot(out)
    out.parent.chmod(0o555)
    try:
        r = _assess(tmp_path, out)
    finally:
        out.parent.chmod(0o755)
    assert r.exit_code == 2
    assert f"所在的文件夹 {out.parent} 不可写" in r.output
    assert snapshot(out) == before


def test_two_first_runs_into_one_new_out_the_later_one_exits_2_and_the_first_set_stays(tmp_path):
    out = tmp_path / "out"

    def racing_fill(staging: Path) -> None:
        (staging / "results.json").write_text("mine", encoding="utf-8")
        publish(out, lambda other: (other / "results.json").write_text("theirs", encoding="utf-8"))

    with pytest.raises(OutputError) as err:
        publish(out, racing_fill)
    assert "另一个 zwgk 进程刚刚写入了这个文件夹" in str(err.value) and "--out" in str(err.value)
    assert (out / "results.json").read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_users_file_where_the_new_set_writes_is_refused_naming_it(tmp_path):
    r, out = h.assess_run(tmp_path, "--no-reports")
    assert r.exit_code == 0, r.output
    (out / "ranking.xlsx").write_bytes(b"the assessor's own workbook")
    r = _assess(tmp_path, out)
    assert r.exit_code == 2
    assert "ranking.xlsx 不是 zwgk 写出的文件" in r.output
    assert (out / "ranking.xlsx").read_bytes() == b"the assessor's own workbook"
    assert not (out / "notices").exists()


def test_a_run_killed_between_its_two_renames_gets_the_old_folder_back(tmp_path):
    out = tmp_path / "out"
    old = tmp_path / ".out.zwgk-999-dead-old"      # where the fallback rename had put the old set
    old.mkdir()
    (old / "results.json").write_text("old", encoding="utf-8")
    staging = tmp_path / ".out.zwgk-999-dead"
    staging.mkdir()
    (staging / "results.json").write_text("new", encoding="utf-8")
    clean_stale(out)
    assert (out / "results.json").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_live_runs_staging_folder_is_left_alone(tmp_path):
    out = tmp_path / "out"
    seen = []

    def fill(staging: Path) -> None:
        (staging / "results.json").write_text("x", encoding="utf-8")
        clean_stale(out)                          # another run starting now
        seen.extend(p.name for p in tmp_path.iterdir())

    publish(out, fill)
    assert any(n.startswith(".out.zwgk-") and not n.endswith(".lock") for n in seen)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "results.json"]


def test_without_an_atomic_exchange_the_two_renames_still_publish_the_new_set(tmp_path, monkeypatch):
    import scoring.staging as staging

    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    publish(out, lambda d: (d / "results.json").write_text("one", encoding="utf-8"))
    publish(out, lambda d: (d / "results.json").write_text("two", encoding="utf-8"))
    assert (out / "results.json").read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_written_before_the_manifest_existed_is_replaced_and_the_users_files_kept(tmp_path):
    out = tmp_path / "out"
    (out / "notices").mkdir(parents=True)
    (out / "results.json").write_text("old", encoding="utf-8")
    (out / "notices" / "QC-OLD.docx").write_text("old notice", encoding="utf-8")
    (out / "notices" / "回执.txt").write_text("mine", encoding="utf-8")
    (out / "归档").mkdir()
    said: list[str] = []

    def fill(d: Path) -> None:
        (d / "results.json").write_text("new", encoding="utf-8")
        (d / "notices").mkdir()
        (d / "notices" / "QC-NEW.docx").write_text("new notice", encoding="utf-8")

    publish(out, fill, say=said.append)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        MANIFEST, "notices", "notices/QC-NEW.docx", "notices/回执.txt", "results.json", "归档"]
    assert (out / "notices" / "回执.txt").read_text(encoding="utf-8") == "mine"
    assert any(s.startswith("删除") and "notices/" in s for s in said)
    assert any(s.startswith("保留") and "回执" not in s and "notices/（1 个文件）" in s for s in said)

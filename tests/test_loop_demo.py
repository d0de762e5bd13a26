"""The rectification loop of the README, end to end on sample_units: assess and record round 1, fix two
problems in a copy of the evidence, recheck, urge the late units, name those still late, diff the rounds.

Runs on SQLite and on PostgreSQL (the store tests' ``db`` fixture; skipped when no server can be had).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from store_helpers import db  # noqa: F401 - the db fixture
from scoring.cli import main
from scoring.loop.recheck import FIXED, HISTORIC, NEW, OPEN

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_units"

#: the two problems the demo fixes: a blank column gets items, a reply now tells of the remedies
FIXES = {("QC-XQ-02", "A2", "规划计划/专项规划"), ("QC-SZ-02", "D3", "RS-YSQ-001")}


def zwgk(*args: str) -> str:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def fixed_copy(tmp: Path) -> Path:
    folder = tmp / "fixed"
    shutil.copytree(SAMPLE, folder)
    replace_in(folder / "QC-XQ-02" / "目录栏目.csv", "规划计划/专项规划,0,", "规划计划/专项规划,3,")
    replace_in(folder / "QC-SZ-02" / "依申请公开.csv", "2026/3/20,予以公开,是,否", "2026/3/20,予以公开,是,是")
    return folder


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def demo(db, tmp_path):  # noqa: F811 - the db fixture
    """Round 1 recorded, a recheck of the fixed copy recorded; the folders they wrote."""
    zwgk("assess", str(SAMPLE), "--as-of", "2026-11-20", "--record", "2026年第一轮", "--db", db,
         "--out", str(tmp_path / "round1"))
    zwgk("recheck", str(fixed_copy(tmp_path)), "--baseline", "2026年第一轮", "--as-of", "2026-12-01",
         "--rectify-workdays", "10", "--record", "2026年第一轮复核", "--db", db, "--out", str(tmp_path / "recheck"))
    return db, tmp_path


def test_the_readme_loop_demo(demo):
    """One recorded demo per store backend: recheck, its opinions, the urges and the 通报, the diff."""
    recheck_marks_exactly_the_fixed_problems_and_the_rest_not_fixed(*demo)
    recheck_writes_a_recheck_opinion_per_unit_with_what_is_still_open(*demo)
    overdue_urges_the_late_units_then_names_those_still_late(*demo)
    diff_shows_the_change_between_round_one_and_its_recheck(*demo)


def recheck_marks_exactly_the_fixed_problems_and_the_rest_not_fixed(db, tmp):
    rows = read_csv(tmp / "recheck" / "recheck.csv")
    baseline = {(r["unit_id"], r["indicator_id"], r["ref"]) for r in read_csv(tmp / "round1" / "findings.csv")
                if float(r["deduction"]) > 0 or r["message"].startswith("单项否决")}
    status = {(r["unit_id"], r["indicator_id"], r["ref"]): r["status"] for r in rows}
    assert {k for k, s in status.items() if s == FIXED} == FIXES
    assert {s for k, s in status.items() if k in baseline and k not in FIXES} == {OPEN, HISTORIC}
    # a reply sent late stays late: history, not counted
    assert status[("QC-XQ-03", "D1", "LJ-2026-01")] == HISTORIC
    # still unanswered: rectifiable, and not rectified
    assert status[("QC-XQ-03", "D1", "LJ-2026-06")] == OPEN
    assert all(k not in baseline for k, s in status.items() if s == NEW)


def recheck_writes_a_recheck_opinion_per_unit_with_what_is_still_open(db, tmp):
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp / "recheck" / "notices" / "QC-SZ-02.docx")).paragraphs)
    assert "政务公开测评整改复核意见" in text and "青川市人力资源和社会保障局：" in text
    assert "已整改1个" in text and "复核结论：未整改到位" in text
    assert "年度报告表中没有2025年度报告" in text          # still open
    assert "RS-YSQ-001" not in text                        # fixed: not listed
    assert "于2026年12月15日前完成（自本意见印发之日起10个工作日" in text


def overdue_urges_the_late_units_then_names_those_still_late(db, tmp):
    out = zwgk("overdue", "--as-of", "2026-12-18", "--record", "--db", db, "--out", str(tmp / "urge"))
    late = read_csv(tmp / "urge" / "overdue.csv")
    units = {r["unit_id"] for r in read_csv(tmp / "recheck" / "recheck.csv") if r["status"] == OPEN}
    assert {r["unit_id"] for r in late} == units
    assert {(r["deadline"], r["workdays_overdue"], r["status"]) for r in late} == {("2026-12-15", "3", "催办")}
    assert sorted(p.name for p in (tmp / "urge" / "urges").glob("*.docx")) == sorted(f"{u}.docx" for u in units)
    assert "催办函" in out
    # five working days after the urge (Fri 2026-12-25) have passed on Mon 2026-12-28
    zwgk("overdue", "--as-of", "2026-12-28", "--record", "--db", db, "--out", str(tmp / "named"))
    named = read_csv(tmp / "named" / "overdue.csv")
    assert {r["status"] for r in named} == {"通报"} and {r["unit_id"] for r in named} == units
    bulletin = (tmp / "named" / "bulletin.md").read_text(encoding="utf-8")
    assert "关于政务公开测评问题逾期未整改单位的通报" in bulletin and "青川市人力资源和社会保障局" in bulletin


def diff_shows_the_change_between_round_one_and_its_recheck(db, tmp):
    zwgk("diff", "2026年第一轮", "2026年第一轮复核", "--db", db, "--out", str(tmp / "diff"))
    row = next(r for r in read_csv(tmp / "diff" / "diff.csv") if r["单位编码"] == "QC-SZ-02")
    assert (row["总分（前）"], row["总分（后）"], row["总分变化"]) == ("92.5", "93.5", "+1")   # D3 fixed
    assert "D3 5→6" in row["变化的指标"]


def test_unknown_baseline_round_exits_2_in_chinese(db, tmp_path):  # noqa: F811
    r = CliRunner().invoke(main, ["recheck", str(SAMPLE), "--baseline", "没有这一轮", "--db", db,
                                  "--out", str(tmp_path / "out")])
    assert r.exit_code == 2 and "没有这一轮" in r.output and "不在" in r.output
    assert not (tmp_path / "out").exists()


def test_recheck_with_another_rubric_file_exits_2_naming_both_hashes(db, tmp_path):  # noqa: F811
    zwgk("assess", str(SAMPLE), "--as-of", "2026-11-20", "--record", "2026年第一轮", "--db", db, "--no-reports",
         "--out", str(tmp_path / "round1"))
    changed = tmp_path / "changed.yaml"
    changed.write_text((ROOT / "rubrics" / "provincial-2026.yaml").read_text(encoding="utf-8") + "\n# 修改\n",
                       encoding="utf-8")
    r = CliRunner().invoke(main, ["recheck", str(SAMPLE), "--baseline", "2026年第一轮", "--rubric", str(changed),
                                  "--db", db, "--out", str(tmp_path / "bad")])
    assert r.exit_code == 2, r.output
    from scoring.rubric.load import load_rubric

    assert "评分细则" in r.output
    assert load_rubric(str(changed)).sha256 in r.output
    assert load_rubric("provincial-2026").sha256 in r.output
    assert not (tmp_path / "bad").exists()

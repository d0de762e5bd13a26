"""A rule kind from another installed package (entry-point group ``zwgk.rules``) scores like a built-in one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent / "plugins"
ZWGK = [sys.executable, "-c", "from scoring.cli import main; main()"]


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    """The example plugin, installed with pip into a folder of its own (no network: no build isolation)."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(PLUGINS / "zwgk_example_rules")], check=True)
    return site


def _batch(folder: Path) -> Path:
    (folder / "units.csv").write_text("单位编码,单位名称,单位类型\nU1,甲局,市直部门\nU2,乙局,市直部门\n", encoding="utf-8")
    (folder / "catalog.csv").write_text(
        "单位编码,栏目名称,信息条数,最近更新日期\n"
        "U1,政策文件/规范性文件,3,2026-10-01\nU1,政策文件/其他,2,2026-10-01\nU1,工作动态/其它,1,2026-10-01\n"
        "U2,政策文件/规范性文件,4,2026-10-01\n", encoding="utf-8")
    return folder


def _assess(tmp_path: Path, site: Path | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site) if site else ""}
    return subprocess.run([*ZWGK, "assess", str(_batch(tmp_path / "batch")), "--rubric",
                           str(PLUGINS / "local-misc-columns.yaml"), "--as-of", "2026-11-20",
                           "--out", str(tmp_path / "out"), "--no-reports"],
                          capture_output=True, text=True, env=env)


def test_installed_plugin_kind_deducts_per_misc_column(tmp_path, plugin_site):
    (tmp_path / "batch").mkdir()
    done = _assess(tmp_path, plugin_site)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    totals = {u["unit_id"]: u["total"]["exact"] for u in results["units"]}
    assert totals == {"U1": "4", "U2": "10"}
    refs = sorted(f["ref"] for u in results["units"] for i in u["indicators"] for f in i["findings"])
    assert refs == ["工作动态/其它", "政策文件/其他"]


def test_without_the_plugin_the_rubric_names_the_unknown_kind(tmp_path):
    (tmp_path / "batch").mkdir()
    done = _assess(tmp_path, None)
    assert done.returncode == 2
    assert "未知规则类型「catalog_misc_columns」" in done.stderr
    assert not (tmp_path / "out").exists()

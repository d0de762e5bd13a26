"""Acceptance: a collect of a unit's own (fixture) site feeds `zwgk assess`, which scores A4 per RUBRIC.md."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from collect_site import closed_port, serve
from scoring.cli import main
from scoring.evidence.load import load_batch

AS_OF = "2026-11-20"
FAST = ["--delay", "0", "--timeout", "0.5", "--max-size", "1", "--as-of", AS_OF]
SAMPLE_UNITS = Path(__file__).resolve().parents[1] / "sample_units"


def unit_folder(tmp_path: Path, site_url: str) -> Path:
    """A sample unit folder (copied, site_url pointed at the local server), or a minimal one."""
    firsts = sorted(d for d in SAMPLE_UNITS.glob("*") if (d / "unit.yaml").is_file()) if SAMPLE_UNITS.is_dir() else []
    dest = tmp_path / "batch" / (firsts[0].name if firsts else "U1")
    if firsts:
        shutil.copytree(firsts[0], dest)
        for old in [*dest.glob("site_checks.*"), *dest.glob("网站检查.*"), *dest.glob("page_checks.*"),
                    *dest.glob("网站内容检查.*")]:
            old.unlink()
        data = yaml.safe_load((dest / "unit.yaml").read_text(encoding="utf-8-sig"))
    else:
        dest.mkdir(parents=True)
        data = {"unit_id": "U1", "name": "某县人民政府", "kind": "县区政府"}
    data = {("site_url" if k in ("site_url", "网站地址") else k): v for k, v in data.items()}
    data["site_url"] = site_url
    (dest / "unit.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return dest


def a4(results: dict, unit_id: str) -> tuple[dict, dict]:
    u = next(x for x in results["units"] if x["unit_id"] == unit_id)
    return u, next(i for i in u["indicators"] if i["id"] == "A4")


def test_collect_of_a_unit_site_feeds_assess_and_each_dead_link_costs_half_a_point(tmp_path):
    with serve() as (base, _):
        unit = unit_folder(tmp_path, f"{base}/zwgk/")
        r = CliRunner().invoke(main, ["collect", str(unit.parent), *FAST])
        assert r.exit_code == 0, r.output
    csv = unit / "site_checks.csv"
    assert csv.is_file()
    batch = load_batch(unit.parent)           # the collected file is valid evidence
    uid = str(batch.units["unit_id"].iloc[0])
    sc = batch.tables["site_checks"]
    dead = sc[(sc["kind"] == "link") & ~sc["status"].str.fullmatch(r"[23]\d\d")]
    assert len(dead) == 6                     # 404, 410, loop, timeout, too large, refused host

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["assess", str(unit.parent), "--as-of", AS_OF, "--out", str(out)])
    assert r.exit_code == 0, r.output
    u, ind = a4(json.loads((out / "results.json").read_text(encoding="utf-8")), uid)
    assert not u["vetoed"]
    assert Fraction(ind["score"]["exact"]) == Fraction(ind["max"]["exact"]) - Fraction(1, 2) * len(dead)
    assert sorted(f["ref"] for f in ind["findings"]) == sorted(dead["url"])


def test_unreachable_home_page_vetoes_the_unit(tmp_path):
    unit = unit_folder(tmp_path, f"http://127.0.0.1:{closed_port()}/zwgk/")
    r = CliRunner().invoke(main, ["collect", str(unit.parent), *FAST])
    assert r.exit_code == 0, r.output
    uid = str(load_batch(unit.parent).units["unit_id"].iloc[0])
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["assess", str(unit.parent), "--as-of", AS_OF, "--out", str(out)])
    assert r.exit_code == 0, r.output
    u, _ = a4(json.loads((out / "results.json").read_text(encoding="utf-8")), uid)
    assert u["vetoed"]
    assert any("首页" in v and "refused" in v for v in map(str, u["veto_reasons"]))


def test_units_option_leaves_other_units_files_alone(tmp_path):
    with serve() as (base, _):
        b = tmp_path / "b"
        for uid in ("U1", "U2"):
            (b / uid).mkdir(parents=True)
            (b / uid / "unit.yaml").write_text(
                f"unit_id: {uid}\nname: 单位{uid}\nkind: 市直部门\nsite_url: {base}/zwgk/gzdt/\n", encoding="utf-8")
        (b / "U2" / "site_checks.csv").write_text("url,kind,status\nhttp://keep.example/,home,200\n", encoding="utf-8")
        r = CliRunner().invoke(main, ["collect", str(b), "--units", "U1", *FAST])
        assert r.exit_code == 0, r.output
    assert "keep.example" in (b / "U2" / "site_checks.csv").read_text(encoding="utf-8")
    got = pd.read_csv(b / "U1" / "site_checks.csv", encoding="utf-8-sig", dtype=str)
    assert got["kind"].tolist()[0] == "home" and set(got["unit_id"]) == {"U1"}

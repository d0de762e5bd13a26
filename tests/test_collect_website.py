"""Acceptance (issue 18): `zwgk collect` writes the page_checks of two fixture sites, and the
gov-website-2019 rubric vetoes the unit whose page carries a 严重 wrong expression."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml
from click.testing import CliRunner

from collect_site import serve
from scoring.cli import main
from website_site import Handler

AS_OF = "2026-11-20"

#: the default rubric plus a C6 veto for a wrong expression in an interpretation text
INTERPRETATION_ERRORS_RUBRIC = """id: local
version: "1"
title: 解读用语
extends: provincial-2026
indicators:
  - id: C
    children:
      - id: C6
        title: 解读表述错误
        points: 0
        description: 解读中有表述错误的单项否决
        pass: 无
        fail: 有
        rectify: 更正
        rule: interpretation_text_errors
        params: {per_item: 0, veto_at: 1}
"""
FAST = ["--delay", "0", "--timeout", "2", "--max-size", "1", "--as-of", AS_OF]


def batch(tmp_path: Path, base: str) -> Path:
    root = tmp_path / "batch"
    for uid, name, path, code in (("W1", "甲县人民政府", "/a/", None), ("W2", "乙县人民政府", "/b/", "3402000009")):
        d = root / uid
        d.mkdir(parents=True)
        unit = {"unit_id": uid, "name": name, "kind": "县区政府", "site_url": base + path}
        if code:
            unit["site_code"] = code
        (d / "unit.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    return root


def collect(tmp_path: Path, *extra: str) -> tuple[Path, str]:
    with serve(handler=Handler) as (base, _):
        root = batch(tmp_path, base)
        r = CliRunner().invoke(main, ["collect", str(root), *FAST, *extra])
        assert r.exit_code == 0, r.output
    return root, base


def rows(root: Path, base: str) -> set[tuple]:
    out = set()
    for uid in ("W1", "W2"):
        df = pd.read_csv(root / uid / "page_checks.csv", dtype=str, encoding="utf-8-sig").fillna("")
        assert (df["checked_on"] == AS_OF).all()
        for r in df.itertuples():
            out.add((r.unit_id, r.url.replace(base, ""), r.check, r.result, r.detail, r.context))
    return out


def test_collect_writes_exactly_the_expected_page_checks(tmp_path):
    root, base = collect(tmp_path)
    q1 = "/a/search?site=a&q=%E7%94%B2%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
    q2 = "/b/search.html?keyword=%E4%B9%99%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
    assert rows(root, base) == {
        ("W1", "/a/", "site_code", "ok", "3401000001", ""),
        ("W1", "/a/", "icp", "ok", "皖ICP备12345678号", ""),
        ("W1", "/a/", "police_record", "missing", "", ""),
        ("W1", "/a/", "conac", "ok", "https://dcs.conac.cn/image/red.png", ""),
        ("W1", "/a/", "home_updated", "ok", "2026-11-15", ""),
        ("W1", q1, "search", "ok", "", ""),
        # the script's 台湾总统, the style's and the attribute's text are not page text; 按排名 is correct
        ("W1", "/a/notice.html", "text_error", "found", "布署→部署（一般）", "县政府统一布署，各乡镇抓好落实。"),
        ("W2", "/b/", "site_code", "error", "页面上为 3402000002，底稿中为 3402000009", ""),
        ("W2", "/b/", "icp", "missing", "", ""),
        ("W2", "/b/", "police_record", "ok", "皖公网安备 34010202000001号", ""),
        ("W2", "/b/", "conac", "missing", "", ""),
        ("W2", "/b/", "home_updated", "ok", "2026-10-01", ""),
        ("W2", q2, "search", "error", "检索结果页无法打开（500）", ""),
        ("W2", "/b/news.html", "text_error", "found", "二十次三中全会→二十届三中全会（严重）",
         "全县干部深入学习党的二十次三中全会精神。"),
    }


def test_the_website_check_rubric_vetoes_the_unit_with_a_serious_error_and_a_stale_home_page(tmp_path):
    root, _ = collect(tmp_path)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["assess", str(root), "--rubric", "gov-website-2019", "--as-of", AS_OF,
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    units = {u["unit_id"]: u for u in res["units"]}
    assert not units["W1"]["vetoed"]
    assert units["W2"]["vetoed"]
    reasons = {v["indicator_id"]: v["reason"] for v in units["W2"]["veto_reasons"]}
    assert set(reasons) == {"V2", "V8"}
    assert "二十次三中全会" in reasons["V8"] and "2026-10-01" in reasons["V2"]
    k8 = next(i for i in units["W1"]["indicators"] if i["id"] == "K8")
    assert [f["message"] for f in k8["findings"]] == [
        next(f["message"] for f in k8["findings"])] and "布署→部署" in k8["findings"][0]["message"]


def test_a_user_lexicon_adds_entries_and_a_bad_one_is_refused_naming_file_and_entry(tmp_path):
    lex = tmp_path / "mine.yaml"
    lex.write_text("entries:\n  - {wrong: 各乡镇, right: 各乡（镇）, severity: 一般, source: 本地规范}\n", encoding="utf-8")
    root, base = collect(tmp_path, "--lexicon", str(lex))
    assert ("W1", "/a/notice.html", "text_error", "found", "各乡镇→各乡（镇）（一般）", "县政府统一布署，各乡镇抓好落实。") \
        in rows(root, base)
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - {wrong: 布署, right: 部署, severity: 很严重}\n  - {right: 部署}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["collect", str(tmp_path / "batch"), *FAST, "--lexicon", str(bad)])
    assert r.exit_code == 2
    assert "bad.yaml 第1条" in r.output and "severity" in r.output and "bad.yaml 第2条" in r.output
    assert "Traceback" not in r.output


def test_assess_with_a_user_lexicon_finds_its_wrong_form_in_an_interpretation_text(tmp_path):
    unit = tmp_path / "u"
    unit.mkdir()
    (unit / "unit.yaml").write_text("unit_id: W1\nname: 甲县人民政府\nkind: 县区政府\n", encoding="utf-8")
    (unit / "interpretations.csv").write_text("解读编号,解读正文\nJD-01,本县网格化管理全复盖。\n", encoding="utf-8")
    rubric = tmp_path / "r.yaml"
    rubric.write_text(INTERPRETATION_ERRORS_RUBRIC, encoding="utf-8")
    lex = tmp_path / "mine.yaml"
    lex.write_text("entries:\n  - {wrong: 全复盖, right: 全覆盖, severity: 一般, source: 现代汉语词典}\n", encoding="utf-8")

    def veto(*extra):
        out = tmp_path / ("out" + str(len(extra)))
        r = CliRunner().invoke(main, ["assess", str(unit), "--rubric", str(rubric), "--as-of", AS_OF,
                                      "--no-reports", "--out", str(out), *extra])
        assert r.exit_code == 0, r.output
        u = json.loads((out / "results.json").read_text(encoding="utf-8"))["units"][0]
        return [v["reason"] for v in u["veto_reasons"] if v["indicator_id"] == "C6"]

    assert veto() == []
    assert veto("--lexicon", str(lex)) == ["解读有表述错误 1 处，如：解读 JD-01 有表述错误 全复盖→全覆盖（一般）"]


def test_a_home_page_that_does_not_open_gives_an_error_row_for_each_home_check(tmp_path):
    with serve(handler=Handler) as (base, _):
        d = tmp_path / "batch" / "W3"
        d.mkdir(parents=True)
        (d / "unit.yaml").write_text(yaml.safe_dump({"unit_id": "W3", "name": "丙县人民政府", "kind": "县区政府",
                                                     "site_url": base + "/c/"}, allow_unicode=True), encoding="utf-8")
        r = CliRunner().invoke(main, ["collect", str(d.parent), *FAST])
        assert r.exit_code == 0, r.output
    df = pd.read_csv(d / "page_checks.csv", dtype=str, encoding="utf-8-sig")
    assert df["check"].tolist() == ["site_code", "icp", "police_record", "conac", "search", "home_updated"]
    assert set(df["result"]) == {"error"} and set(df["detail"]) == {"首页无法打开（404）"}


def test_a_user_lexicon_reaches_the_worker_processes(tmp_path):
    # --workers scores partitions in other processes: the user's lexicon must go with the job
    for uid in ("W1", "W2"):
        unit = tmp_path / "batch" / uid
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"unit_id: {uid}\nname: {uid}县人民政府\nkind: 县区政府\n", encoding="utf-8")
        (unit / "interpretations.csv").write_text("解读编号,解读正文\nJD-01,本县网格化管理全复盖。\n", encoding="utf-8")
    rubric = tmp_path / "r.yaml"
    rubric.write_text(INTERPRETATION_ERRORS_RUBRIC, encoding="utf-8")
    lex = tmp_path / "mine.yaml"
    lex.write_text("entries:\n  - {wrong: 全复盖, right: 全覆盖, severity: 一般, source: 现代汉语词典}\n", encoding="utf-8")
    outputs = []
    for extra in ([], ["--workers", "2", "--partition-units", "1", "--no-cache"]):
        out = tmp_path / f"out{len(extra)}"
        r = CliRunner().invoke(main, ["assess", str(tmp_path / "batch"), "--rubric", str(rubric), "--as-of", AS_OF,
                                      "--no-reports", "--out", str(out), "--lexicon", str(lex), *extra])
        assert r.exit_code == 0, r.output
        outputs.append((out / "results.json").read_bytes())
    assert outputs[0] == outputs[1]
    units = json.loads(outputs[1])["units"]
    assert all(v["indicator_id"] == "C6" for u in units for v in u["veto_reasons"]) and all(u["vetoed"] for u in units)

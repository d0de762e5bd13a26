"""`zwgk report RESULTS.json`: re-render from results.json alone, atomically."""

from __future__ import annotations

import json
import shutil

import report_helpers as h


def test_report_rerenders_from_results_json_without_the_evidence(tmp_path):
    out = h.assess_batch(tmp_path)
    shutil.rmtree(tmp_path / "evidence")          # re-rendering never re-scores
    again = tmp_path / "again"
    r = h.run("report", out / "results.json", "--out", again)
    assert r.exit_code == 0, r.output
    assert h.outputs(again) == {"ranking.xlsx", "notices", "bulletin.docx", "bulletin.md"}
    assert (again / "notices" / f"{h.VETOED}.docx").is_file()


def test_a_unit_that_no_longer_has_problems_loses_its_old_notice(tmp_path):
    out = h.assess_batch(tmp_path)
    h.report(out)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for u in results["units"]:
        if u["unit_id"] == h.HOSTILE:
            for ind in u["indicators"]:
                ind["findings"] = []
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    r = h.run("report", edited, "--out", out)
    assert r.exit_code == 0, r.output
    assert not (out / "notices" / f"{h.HOSTILE}.docx").exists()
    assert (out / "notices" / f"{h.VETOED}.docx").exists()
    assert (out / "results.json").is_file()       # the scoring outputs are left alone


def test_bad_options_are_all_reported_and_nothing_is_written(tmp_path):
    out = h.assess_batch(tmp_path)
    target = tmp_path / "reports"
    r = h.run("report", out / "results.json", "--out", target, "--issue-date", "2026年13月1日",
              "--rectify-workdays", "0", "--doc-number", "青〔{年}〕{n}号")
    assert r.exit_code == 2
    assert "--issue-date" in r.output and "正整数" in r.output and "{年}" in r.output
    assert not target.exists()


def test_unknown_key_in_config_file_lists_the_keys_expected(tmp_path):
    out = h.assess_batch(tmp_path)
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("issuer: 某办\nsigner: 张三\n", encoding="utf-8")
    r = h.run("report", out / "results.json", "--config", cfg)
    assert r.exit_code == 2 and "signer" in r.output and "doc_number" in r.output


def test_not_a_results_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "results.json"
    bad.write_text('{"schema_version": 1}', encoding="utf-8")
    r = h.run("report", bad)
    assert r.exit_code == 2 and "不是有效的 results.json" in r.output
    assert not (tmp_path / "notices").exists()


def test_deadline_in_a_year_without_holiday_tables_is_an_error(tmp_path):
    out = h.assess_batch(tmp_path)
    r = h.run("report", out / "results.json", "--out", tmp_path / "x", "--issue-date", "2026-12-28")
    assert r.exit_code == 2 and "2027年" in r.output
    assert not (tmp_path / "x").exists()

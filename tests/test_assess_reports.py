"""`zwgk assess` writes the reports too (the same code as `zwgk report`), in one atomic step."""

from __future__ import annotations

import copy
import json

import docx
import openpyxl

import report_helpers as h


def _notice_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_assess_hands_over_workbook_notices_and_bulletin_with_the_scores(tmp_path):
    out = h.assess_batch(tmp_path)
    names = {p.name for p in out.iterdir()}
    assert {"results.json", "scores.csv", "findings.csv", "ranking.xlsx", "notices",
            "bulletin.docx", "bulletin.md"} <= names
    notices = {p.name for p in (out / "notices").iterdir()}
    assert f"{h.VETOED}.docx" in notices and f"{h.HOSTILE}.docx" in notices
    assert f"{h.CLEAN}.docx" not in notices and f"{h.CLEAN}.md" not in notices
    ws = openpyxl.load_workbook(out / "ranking.xlsx")["扣分明细"]
    refs = {c.value for row in ws.iter_rows() for c in row}
    assert h.FORMULA_DOC in refs


def test_assess_notices_match_what_report_renders_from_results_json(tmp_path):
    out = h.assess_batch(tmp_path)
    again = tmp_path / "again"
    r = h.run("report", out / "results.json", "--out", again)
    assert r.exit_code == 0, r.output
    for p in (out / "notices").glob("*.md"):
        assert p.read_text(encoding="utf-8") == (again / "notices" / p.name).read_text(encoding="utf-8")
    for p in (out / "notices").glob("*.docx"):
        assert _notice_text(p) == _notice_text(again / "notices" / p.name)


def test_rescoring_into_the_same_folder_leaves_no_stale_notice_and_keeps_the_users_files(tmp_path):
    out = h.assess_batch(tmp_path)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    gone = copy.deepcopy(next(u for u in results["units"] if u["unit_id"] == h.VETOED))
    gone["unit_id"] = "QC-OLD-99"                  # a unit of an earlier batch, with a notice
    results["units"].append(gone)
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    assert h.run("report", earlier, "--out", out).exit_code == 0
    stale = out / "notices" / "QC-OLD-99.docx"
    assert stale.is_file()
    mine = out / "我的说明.txt"
    mine.write_text("assessor's own file", encoding="utf-8")
    receipt = out / "notices" / "签收回执.txt"
    receipt.write_text("signed", encoding="utf-8")
    r = h.run("assess", tmp_path / "evidence", "--rubric", tmp_path / "rubric.yaml", "--as-of", h.AS_OF,
              "--out", out)
    assert r.exit_code == 0, r.output
    assert not stale.exists()
    assert (out / "notices" / f"{h.VETOED}.docx").is_file()
    assert mine.read_text(encoding="utf-8") == "assessor's own file"
    assert receipt.read_text(encoding="utf-8") == "signed"      # never deleted silently: kept and named
    assert "保留" in r.output and "我的说明.txt" in r.output and "notices/（1 个文件）" in r.output
    assert not [p for p in tmp_path.iterdir() if ".zwgk-" in p.name and p.name != ".zwgk-cache"]   # no staging folder left behind


def test_no_reports_writes_only_the_scoring_files(tmp_path):
    r, out = h.assess_run(tmp_path, "--no-reports")
    assert r.exit_code == 0, r.output
    assert h.outputs(out) == {"results.json", "scores.csv", "findings.csv"}


def test_no_reports_over_an_earlier_run_removes_its_reports_and_says_so(tmp_path):
    out = h.assess_batch(tmp_path)
    r = h.run("assess", tmp_path / "evidence", "--rubric", tmp_path / "rubric.yaml", "--as-of", h.AS_OF,
              "--out", out, "--no-reports")
    assert r.exit_code == 0, r.output
    assert h.outputs(out) == {"results.json", "scores.csv", "findings.csv"}
    assert "删除" in r.output and "ranking.xlsx" in r.output and "notices/" in r.output


def test_bad_notice_options_stop_assess_before_anything_is_written(tmp_path):
    r, out = h.assess_run(tmp_path, "--rectify-workdays", "0", "--issue-date", "2026-13-40")
    assert r.exit_code == 2
    assert "--issue-date" in r.output and "整改" in r.output
    assert not out.exists()


def test_notice_deadline_from_assess_counts_working_days_across_national_day(tmp_path):
    out = h.assess_batch(tmp_path, "--issue-date", "2026-09-30", "--rectify-workdays", "5")
    text = _notice_text(out / "notices" / f"{h.VETOED}.docx")
    assert "于2026年10月13日前完成" in text

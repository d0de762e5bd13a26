"""Evidence text is data everywhere it comes out: in every CSV, on the terminal, in the Word notice."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from click.testing import CliRunner

from scoring.cli import main
from scoring.safe_csv import frame_bytes, safe_cell, table_bytes

PAGES = Path(__file__).parent / "fixtures" / "annual_reports"
FORMULA = '=HYPERLINK("http://evil.example","点此")'


def _rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _no_cell_starts_like_a_formula(rows: list[dict[str, str]], numeric: set[str] = frozenset()) -> None:
    for r in rows:
        for k, v in r.items():
            if k in numeric and re.fullmatch(r"[+-]?\d+(\.\d+)?", v or ""):
                continue
            assert not (v or "").startswith(("=", "+", "-", "@", "\t", "\r")), (k, v)


def test_annual_report_extract_guards_the_canonical_link_the_unit_id_and_the_url(tmp_path):
    page = (PAGES / "messy_2021.html").read_text(encoding="utf-8")
    page = page.replace("<head>", f'<head><link rel="canonical" href=\'{FORMULA}\'>', 1)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["annual-report", "extract", str(tmp_path / "page.html"),
                                  "--unit-id", "=cmd|' /C calc'!A0", "--out", str(out)])
    assert r.exit_code == 0, r.output
    (report,) = _rows((out / "annual_reports.csv").read_bytes())
    assert report["url"] == "'" + FORMULA
    assert report["unit_id"] == "'=cmd|' /C calc'!A0"
    cells = _rows((out / "annual_report_cells.csv").read_bytes())
    assert {c["unit_id"] for c in cells} == {"'=cmd|' /C calc'!A0"}
    _no_cell_starts_like_a_formula(cells, {"value"})
    r = CliRunner().invoke(main, ["annual-report", "extract", str(PAGES / "messy_2021.html"),
                                  "--unit-id", "QC-SZ-01", "--url", "@SUM(1+1)*cmd", "--out", str(tmp_path / "o2")])
    assert r.exit_code == 0, r.output
    (report,) = _rows((tmp_path / "o2" / "annual_reports.csv").read_bytes())
    assert report["url"] == "'@SUM(1+1)*cmd"


def test_annual_report_cells_printed_to_standard_output_are_guarded_too():
    r = CliRunner().invoke(main, ["annual-report", "extract", str(PAGES / "messy_2021.html"), "--unit-id", "-1+1"])
    assert r.exit_code == 0, r.output
    first = next(line for line in r.stdout.splitlines()[1:])
    assert first.startswith("'-1+1,")


def test_numbers_stay_numbers_and_text_in_a_numeric_column_is_guarded():
    import pandas as pd

    raw = frame_bytes(pd.DataFrame({"row": ["-3"], "value": ["-3"], "year": ["=1+1"]}), numeric={"value", "year"})
    (row,) = _rows(raw)
    assert row == {"row": "'-3", "value": "-3", "year": "'=1+1"}
    assert safe_cell(None) == "" and safe_cell(float("nan")) == ""
    assert table_bytes(["@h"], [["x"]]).decode("utf-8-sig").splitlines()[0] == "'@h"


def test_every_csv_the_project_writes_goes_through_the_one_guarded_writer():
    root = Path(__file__).parents[1] / "scoring"
    direct = [str(p.relative_to(root)) for p in root.rglob("*.py") if p.name != "safe_csv.py"
              and re.search(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(", p.read_text(encoding="utf-8"))]
    assert direct == []


# --- the terminal ---------------------------------------------------------------------------------

TITLE_AND_CLIPBOARD = "政务公开/\x1b]0;窗口标题被改\x07栏目\x1b]52;c;ZXZpbA==\x07名称"
#: what the loader lets through (C1 controls, DEL, bidi overrides): the terminal view strips it
C1_AND_BIDI = "政务公开/栏目\x9b2J名\x7f称\u202e"


def test_escape_sequences_in_evidence_are_refused_with_their_cell(tmp_path):
    import check_helpers as ch

    columns = [TITLE_AND_CLIPBOARD] + ch.BLANK_COLUMNS[1:]
    unit = ch.write_unit(tmp_path / "evidence", blank_columns=columns)
    r = CliRunner().invoke(main, ["check", str(unit), "--rubric", str(ch.write_rubric(tmp_path)), "--as-of", ch.AS_OF])
    assert r.exit_code == 2
    assert "第3行 「栏目名称」列：含不允许的字符 U+001B" in r.stderr
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr


def test_control_sequences_in_evidence_never_reach_the_terminal(tmp_path):
    import check_helpers as ch

    columns = [C1_AND_BIDI] + ch.BLANK_COLUMNS[1:]
    unit = ch.write_unit(tmp_path / "evidence", blank_columns=columns)
    rubric = ch.write_rubric(tmp_path)
    for extra in ([], ["--color"]):
        r = CliRunner().invoke(main, ["check", str(unit), "--rubric", str(rubric), "--as-of", ch.AS_OF, *extra])
        assert r.exit_code in (0, 1), r.output
        out = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)          # zwgk's own colours, when asked for
        assert "政务公开/栏目名称" in out
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", out), repr(out)


# --- the Word notice ----------------------------------------------------------------------------

DOCXTPL_ESCAPES = "整改/{_{ 7*7 }_}与{_% if 1 %_}保留"


def test_docxtpl_escape_marks_in_evidence_come_out_as_written_in_docx_and_md(tmp_path):
    import json

    import report_helpers as h

    out = h.assess_batch(tmp_path)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    unit = next(u for u in results["units"] if u["unit_id"] == h.HOSTILE)
    finding = next(f for i in unit["indicators"] for f in i["findings"] if f["kind"] == "deduction")
    finding["message"] = DOCXTPL_ESCAPES
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    r = h.run("report", edited, "--out", tmp_path / "again")
    assert r.exit_code == 0, r.output
    notice = tmp_path / "again" / "notices" / h.HOSTILE
    assert DOCXTPL_ESCAPES in h.docx_text(notice.with_suffix(".docx"))
    md = notice.with_suffix(".md").read_text(encoding="utf-8")
    assert DOCXTPL_ESCAPES in re.sub(r"\\(.)", r"\1", md)          # Markdown shows it unescaped

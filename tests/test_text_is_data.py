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

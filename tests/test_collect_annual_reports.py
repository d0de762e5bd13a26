"""`zwgk collect` opens each unit's annual report URL and extracts it into the unit's evidence.

The reports are the fixture pages of tests/fixtures/annual_reports/, served for real on
127.0.0.1 (no mocks); the resulting folder is then scored by `zwgk assess`.
"""

from __future__ import annotations

import csv
import io
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from collect_site import serve
from scoring.cli import main
from scoring.evidence.load import load_batch

AS_OF = "2026-11-20"
FAST = ["--delay", "0", "--timeout", "2", "--max-size", "1", "--as-of", AS_OF]
PAGES = Path(__file__).parent / "fixtures" / "annual_reports"

HOME = ('<html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>'
        '<a href="/ndbg/2025.html">年度报告</a></body></html>').encode("utf-8")
#: path -> (content type, body); the GBK page's header names no charset, only its <meta> does
ROUTES = {
    "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
    "/zwgk/": ("text/html; charset=utf-8", HOME),
    "/ndbg/2025.html": ("text/html; charset=utf-8", (PAGES / "messy_2021.html").read_bytes()),
    "/qs/ndbg/2025.html": ("text/html", (PAGES / "broken_identity_gbk.html").read_bytes()),
    "/px/tz.html": ("text/html; charset=utf-8", (PAGES / "not_a_report.html").read_bytes()),
    "/private/ndbg.html": ("text/html; charset=utf-8", (PAGES / "messy_2021.html").read_bytes()),
    "/undated.html": ("text/html; charset=utf-8", (PAGES / "messy_2021.html").read_text(encoding="utf-8")
                      .replace('PubDate" content="2026-01-20 09:30"', 'X" content=""')
                      .replace("发布时间：2026-01-20", "").encode("utf-8")),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    log: list[tuple[str, str]] = []

    def log_message(self, *a):  # quiet
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        Handler.log.append((self.command, self.path))
        ctype, body = ROUTES.get(self.path, ("text/plain", b"not found"))
        self.send_response(200 if self.path in ROUTES else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture
def base():
    Handler.log = []
    with serve(handler=Handler) as (url, _):
        yield url


UNITS = {  # unit_id -> (name, kind, folder, annual report path)
    "QC-SZ-01": ("青川市教育局", "市直部门", "教育局", "/ndbg/2025.html"),
    "QC-XQ-01": ("青川市青山区人民政府", "县区政府", "青山区", "/qs/ndbg/2025.html"),
    "QC-SZ-09": ("青川市培训中心", "市直部门", "培训中心", "/px/tz.html"),
}


def make_batch(tmp_path: Path, base: str, reports_name: str = "annual_reports.csv") -> Path:
    """A folder of unit folders, each with unit.yaml and a one-row annual_reports file holding the URL."""
    batch = tmp_path / "batch"
    for uid, (name, kind, folder, path) in UNITS.items():
        d = batch / folder
        d.mkdir(parents=True)
        (d / "unit.yaml").write_text(f"unit_id: {uid}\nname: {name}\nkind: {kind}\nsite_url: {base}/zwgk/\n",
                                     encoding="utf-8")
        (d / reports_name).write_text(f"年度,发布日期,地址\n2025,2026-01-25,{base}{path}\n", encoding="utf-8")
    return batch


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_collect_extracts_reports_into_the_unit_folders_and_assess_checks_them(tmp_path, base):
    batch = make_batch(tmp_path, base)
    r = CliRunner().invoke(main, ["collect", str(batch), *FAST])
    assert r.exit_code == 0, r.output

    # every reachable report was read and merged into its own unit's folder
    for folder in ("教育局", "青山区"):
        assert (batch / folder / "annual_report_cells.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    cells = read_csv(batch / "教育局" / "annual_report_cells.csv")
    assert {c["unit_id"] for c in cells} == {"QC-SZ-01"} and len(cells) > 100
    assert any(c["table"] == "2" and c["row"] == "行政规范性文件" and c["col"] == "现行有效件数" and c["value"] == "15"
               for c in cells)
    [report] = read_csv(batch / "教育局" / "annual_reports.csv")
    assert (report["year"], report["published_on"], report["url"]) == ("2025", "2026-01-20", f"{base}/ndbg/2025.html")
    assert report["正文_本年新收申请"] == "25"
    [gbk] = read_csv(batch / "青山区" / "annual_reports.csv")
    assert gbk["published_on"] == "2026-03-05"

    # the page that is no report: named in the summary, its folder untouched, the run still succeeds
    assert not (batch / "培训中心" / "annual_report_cells.csv").exists()
    assert (batch / "培训中心" / "annual_reports.csv").read_text(encoding="utf-8").startswith("年度,发布日期,地址")
    line = next(x for x in r.output.splitlines() if "QC-SZ-09 年报" in x)
    assert f"{base}/px/tz.html" in line and "没有找到年度报告的表格" in line and "未提取" in line
    assert "QC-SZ-01 年报" in r.output and "已提取" in r.output

    loaded = load_batch(batch)  # what collect wrote is valid evidence
    c = loaded.tables["annual_report_cells"]
    assert set(c["unit_id"]) == {"QC-SZ-01", "QC-XQ-01"}
    ar = loaded.tables["annual_reports"]
    assert len(ar) == 3 and "正文_本年新收申请" in ar.columns

    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["assess", str(batch), "--as-of", AS_OF, "--out", str(out)])
    assert res.exit_code == 0, res.output
    f2 = [f for f in read_csv(out / "findings.csv") if f["indicator_id"] == "F2"]
    assert [f for f in f2 if f["unit_id"] == "QC-SZ-01"] == []
    assert sorted(f["ref"] for f in f2 if f["unit_id"] == "QC-XQ-01") == [
        "2025年报表3「商业企业」列", "2025年报表3「总计」列"]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    unit = next(u for u in results["units"] if u["unit_id"] == "QC-SZ-01")
    ind = next(i for i in unit["indicators"] if i["id"] == "F2")
    assert ind["score"]["exact"] == ind["max"]["exact"]


def test_report_is_fetched_once_and_rerunning_replaces_the_same_unit_and_year(tmp_path, base):
    batch = make_batch(tmp_path, base)
    for _ in range(2):
        r = CliRunner().invoke(main, ["collect", str(batch), *FAST])
        assert r.exit_code == 0, r.output
    cells = read_csv(batch / "教育局" / "annual_report_cells.csv")
    assert len(cells) == len({(c["table"], c["row"], c["col"]) for c in cells})  # replaced, not appended
    assert len(read_csv(batch / "教育局" / "annual_reports.csv")) == 1
    # one GET per run, though the home page links to the same report
    assert [p for m, p in Handler.log if p == "/ndbg/2025.html" and m == "GET"] == ["/ndbg/2025.html"] * 2


def test_chinese_named_files_are_merged_into_and_a_missing_page_is_reported(tmp_path, base):
    batch = make_batch(tmp_path, base, reports_name="年度报告.csv")
    (batch / "青山区" / "年度报告.csv").write_text(f"年度,发布日期,地址\n2025,2026-03-01,{base}/qs/gone.html\n"
                                                  f"2024,2025-03-01,\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["collect", str(batch), *FAST])
    assert r.exit_code == 0, r.output
    assert not (batch / "教育局" / "annual_reports.csv").exists()
    rows = read_csv(batch / "教育局" / "年度报告.csv")
    assert [(x["unit_id"], x["year"], x["published_on"]) for x in rows] == [("QC-SZ-01", "2025", "2026-01-20")]
    assert "QC-XQ-01 年报：2025年度报告" in r.output and "HTTP 404" in r.output
    assert read_csv(batch / "青山区" / "年度报告.csv")[1]["年度"] == "2024"  # untouched
    load_batch(batch)


def test_robots_disallowed_report_is_not_fetched(tmp_path, base):
    batch = make_batch(tmp_path, base)
    (batch / "教育局" / "annual_reports.csv").write_text(
        f"年度,发布日期,地址\n2025,2026-01-25,{base}/private/ndbg.html\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["collect", str(batch), *FAST])
    assert r.exit_code == 0, r.output
    assert ("GET", "/private/ndbg.html") not in Handler.log
    assert "robots.txt 不允许访问" in r.output


def test_no_annual_reports_option_leaves_the_reports_alone(tmp_path, base):
    batch = make_batch(tmp_path, base)
    r = CliRunner().invoke(main, ["collect", str(batch), "--no-annual-reports", *FAST])
    assert r.exit_code == 0, r.output
    assert not any(p.startswith(("/qs/", "/px/")) for _, p in Handler.log)  # linked from no page
    assert not (batch / "教育局" / "annual_report_cells.csv").exists()
    assert "年报" not in r.output


def test_flat_batch_folder_keeps_the_other_units_rows(tmp_path, base):
    (tmp_path / "units.csv").write_text(
        f"单位编码,单位名称,单位类型,网站地址\nQC-SZ-01,青川市教育局,市直部门,{base}/zwgk/\n"
        f"QC-XQ-01,青川市青山区人民政府,县区政府,{base}/zwgk/\n", encoding="utf-8")
    (tmp_path / "annual_reports.csv").write_text(
        f"单位编码,年度,发布日期,地址\nQC-SZ-01,2025,2026-01-25,{base}/ndbg/2025.html\n"
        f"QC-XQ-01,2025,2026-03-02,\nQC-XQ-01,2024,2025-03-02,\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["collect", str(tmp_path), *FAST])
    assert r.exit_code == 0, r.output
    rows = read_csv(tmp_path / "annual_reports.csv")
    assert sorted((x["unit_id"], x["year"], x["published_on"]) for x in rows) == [
        ("QC-SZ-01", "2025", "2026-01-20"), ("QC-XQ-01", "2024", "2025-03-02"), ("QC-XQ-01", "2025", "2026-03-02")]
    assert {c["unit_id"] for c in read_csv(tmp_path / "annual_report_cells.csv")} == {"QC-SZ-01"}
    assert len(load_batch(tmp_path).tables["annual_report_cells"]) > 100


def test_page_without_a_date_keeps_the_date_written_in_the_evidence(tmp_path, base):
    batch = make_batch(tmp_path, base)
    (batch / "教育局" / "annual_reports.csv").write_text(
        f"年度,发布日期,地址\n2025,2026/1/25,{base}/undated.html\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["collect", str(batch), *FAST])
    assert r.exit_code == 0, r.output
    [row] = read_csv(batch / "教育局" / "annual_reports.csv")
    assert (row["published_on"], row["url"]) == ("2026-01-25", f"{base}/undated.html")
    assert "保留底稿中的 2026-01-25" in r.output

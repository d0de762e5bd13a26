"""Annual reports published as PDF (printed by LibreOffice and by Chromium), .doc, or as an attachment.

The PDFs are printed in the test session from the fixture reports (tests/report_files.py) and
cached for the session; tests needing soffice or chromium carry the ``libreoffice`` / ``browser``
markers and skip, saying what to install, when the program is missing.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

import report_files as rf
from collect_site import serve
from scoring.annual_report.extract import ExtractError, extract_file
from scoring.annual_report.output import frames
from scoring.cli import main

PAGES = rf.PAGES
pages = rf.pages
LIBREOFFICE = [pytest.mark.libreoffice, pytest.mark.skipif(not rf.has_soffice(), reason=rf.NO_SOFFICE)]
CHROMIUM = [pytest.mark.browser, pytest.mark.skipif(rf.CHROMIUM is None, reason=rf.NO_CHROMIUM)]
PRINTERS = [pytest.param("soffice", marks=LIBREOFFICE, id="LibreOffice"),
            pytest.param("chromium", marks=CHROMIUM, id="Chromium")]


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """kind -> the file of that kind (docx_2021, soffice_2019, chromium_2021 ...), built once per session."""
    folder = tmp_path_factory.mktemp("report_files")
    return lambda kind: rf.report_pdfs(kind, folder)


def cells_csv(result) -> str:
    """The annual_report_cells rows a report extracts to, as written."""
    cells, _ = frames([result], "QC-SZ-01")
    return cells.to_csv(index=False)


def cells_of(result, table: str) -> dict[tuple[str, str], str]:
    c = result.cells[result.cells["table"] == table]
    return dict(zip(zip(c["row"], c["col"]), c["value"]))


def extract_cli(*args: str):
    return CliRunner().invoke(main, ["annual-report", "extract", *args])


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


# --- the same report, four ways ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_report_as_docx_reads_like_the_published_page(fmt, made):
    page = extract_file(PAGES / rf.REPORTS[fmt][5])
    docx = extract_file(made(f"docx_{fmt}"))
    assert (docx.year, docx.format) == (page.year, fmt)
    assert cells_csv(docx) == cells_csv(page)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("printer", PRINTERS)
def test_same_report_as_html_docx_and_pdf_gives_identical_cells(printer, fmt, made):
    page = extract_file(PAGES / rf.REPORTS[fmt][5])
    pdf = extract_file(made(f"{printer}_{fmt}"))
    assert cells_csv(pdf) == cells_csv(page) == cells_csv(extract_file(made(f"docx_{fmt}")))
    assert (pdf.year, pdf.format) == (page.year, fmt)
    assert pdf.narrative == page.narrative  # 正文数字 from the PDF's text layer


@pytest.mark.parametrize("printer", PRINTERS)
def test_pdf_keeps_blank_cells_blank_and_reads_spanned_headers(printer, made):
    r = extract_file(made(f"{printer}_2021"))
    t2, t3, t4 = cells_of(r, "2"), cells_of(r, "3"), cells_of(r, "4")
    assert t2[("行政强制", "本年处理决定数量")] == ""            # blank, not 0
    assert t2[("行政规范性文件", "本年制发件数")] == "2"         # printed as a full-width ２
    assert t2[("行政规范性文件", "现行有效件数")] == "15"        # two text runs in the page
    assert t2[("行政许可", "本年处理决定数量")] == "356"         # one value across three columns
    # 申请人情况 / 法人或其他组织 / 商业企业: a header three rows deep
    assert t3[("本年新收政府信息公开申请数量", "商业企业")] == "3"
    assert t3[("本年度办理结果/总计", "总计")] == "25"
    # 行政诉讼 / 复议后起诉 / 结果维持 and 行政复议 / 尚未审结
    assert t4[("行政诉讼/未经复议直接起诉", "结果维持")] == "1" and t4[("行政复议", "尚未审结")] == "1"


@pytest.mark.parametrize("kind", [pytest.param("soffice_2021", marks=LIBREOFFICE),
                                  pytest.param("chromium_2021", marks=CHROMIUM),
                                  pytest.param("chromium_2021_thead", marks=CHROMIUM)])
def test_table_3_continued_on_the_next_page_is_read_whole(kind, made):
    pdf = made(kind)
    first = rf.pages_with(pdf, "本年新收政府信息")
    last = rf.pages_with(pdf, "四、结转下年度继续办理")
    assert first and last and first[0] < last[-1], "the fixture must put table 3 across a page break"
    if kind != "chromium_2021":  # Word's repeated header row / a <thead> the browser repeats
        assert len(rf.pages_with(pdf, "申请人情况")) >= 2
    assert cells_of(extract_file(pdf), "3") == cells_of(extract_file(PAGES / "messy_2021.html"), "3")


@pytest.mark.browser
@pytest.mark.skipif(rf.CHROMIUM is None, reason=rf.NO_CHROMIUM)
def test_pdf_row_label_outside_the_national_format_is_an_error_not_a_partial_result(tmp_path):
    page = tmp_path / "nb.html"
    page.write_text((PAGES / "messy_2021.html").read_text(encoding="utf-8").replace("2．重复申请", "2．重复提交的申请"),
                    encoding="utf-8")
    pdf = rf.chromium_pdf(page, tmp_path / "nb.pdf")
    res = extract_cli(str(pdf), "--unit-id", "QC-SZ-01", "--out", str(tmp_path / "out"))
    assert res.exit_code == 2
    assert "nb.pdf" in res.output and "重复提交的申请" in res.output and "无法识别" in res.output
    assert not (tmp_path / "out").exists()


# --- PDFs that cannot be read ---------------------------------------------------------


def test_scanned_pdf_exits_2_naming_the_file_and_saying_no_ocr(tmp_path):
    res = extract_cli(str(PAGES / "scanned_2025.pdf"), "--unit-id", "QC-SZ-01", "--out", str(tmp_path))
    assert res.exit_code == 2
    assert "scanned_2025.pdf" in res.output
    assert "没有文字层" in res.output and "OCR" in res.output and "录入" in res.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("body", [b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
                                  (PAGES / "scanned_2025.pdf").read_bytes()[:700]], ids=["garbage", "truncated"])
def test_broken_pdf_exits_2_naming_the_file(tmp_path, body):
    f = tmp_path / "青川市教育局2025年报.pdf"
    f.write_bytes(body)
    res = extract_cli(str(f), "--unit-id", "QC-SZ-01")
    assert res.exit_code == 2
    assert "青川市教育局2025年报.pdf" in res.output
    assert "无法作为 PDF 读取" in res.output or "没有文字层" in res.output
    assert "Traceback" not in res.output


# --- legacy Word / WPS ------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(not rf.has_soffice(), reason=rf.NO_SOFFICE)
def test_legacy_doc_is_converted_with_libreoffice_and_reads_like_the_docx(tmp_path, made):
    docx = made("docx_2021")
    env_home = tmp_path / "home"
    subprocess.run([shutil.which("soffice") or shutil.which("libreoffice"), "--headless", "--norestore",
                    f"-env:UserInstallation=file://{env_home}/profile", "--convert-to", "doc", "--outdir",
                    str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(env_home), "PATH": "/usr/bin:/bin"})
    doc = tmp_path / (docx.stem + ".doc")
    assert doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert cells_csv(extract_file(doc)) == cells_csv(extract_file(docx))


def test_legacy_doc_without_libreoffice_names_the_missing_converter(tmp_path, monkeypatch):
    monkeypatch.setattr("scoring.annual_report.legacy.soffice", lambda: None)
    f = tmp_path / "年报.wps"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ExtractError) as e:
        extract_file(f)
    assert "年报.wps" in str(e.value) and "LibreOffice" in str(e.value) and "另存为 .docx" in str(e.value)


# --- a report page that only links the report ------------------------------------------

LINK_PAGE = """<html><head><meta charset="utf-8"><title>青川市教育局2025年政府信息公开工作年度报告</title>
<meta name="PubDate" content="2026-01-21 10:00"></head><body>
<h1>青川市教育局2025年政府信息公开工作年度报告</h1><div>发布时间：2026-01-21</div>
<p>详见附件。</p><p>附件：<a href="{href}">{name}</a></p>
<p><a href="/files/政务公开培训通知.pdf">政务公开培训通知.pdf</a></p></body></html>"""


class Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    routes: dict[str, tuple[str, bytes]] = {}
    log: list[str] = []

    def log_message(self, *a):
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        Site.log.append(self.path if self.command == "GET" else f"{self.command} {self.path}")
        ctype, body = Site.routes.get(self.path, ("text/plain", b"not found"))
        self.send_response(200 if self.path in Site.routes else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


def site_with(attachment: Path, ctype: str, robots: str = "User-agent: *\nDisallow: /private/\n"):
    href = f"/files/2025nb{attachment.suffix}"
    Site.routes = {
        "/robots.txt": ("text/plain", robots.encode()),
        "/zwgk/": ("text/html; charset=utf-8", b'<html><body><a href="/ndbg/2025.html">nb</a></body></html>'),
        "/ndbg/2025.html": ("text/html; charset=utf-8",
                            LINK_PAGE.format(href=href, name=f"青川市教育局2025年政府信息公开工作年度报告{attachment.suffix}")
                            .encode("utf-8")),
        href: (ctype, attachment.read_bytes()),
    }
    Site.log = []
    return serve(handler=Site)


def _check_extracted(folder: Path, base: str, suffix: str) -> None:
    cells = read_csv(folder / "annual_report_cells.csv")
    expected = extract_file(PAGES / "messy_2021.html")
    assert {(c["table"], c["row"], c["col"]): c["value"] for c in cells} == {
        (t, r, c): v for t, r, c, v in expected.cells[["table", "row", "col", "value"]].itertuples(index=False)}
    [report] = read_csv(folder / "annual_reports.csv")
    assert report["url"] == f"{base}/ndbg/2025.html"
    assert report["attachment_url"] == f"{base}/files/2025nb{suffix}"
    assert (report["year"], report["published_on"]) == ("2025", "2026-01-21")  # the page's date


def test_extract_url_follows_the_docx_attachment_of_a_page_without_tables(tmp_path, made):
    with site_with(made("docx_2021"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document") \
            as (base, _):
        res = extract_cli(f"{base}/ndbg/2025.html", "--unit-id", "QC-SZ-01", "--out", str(tmp_path))
    assert res.exit_code == 0, res.output
    _check_extracted(tmp_path, base, ".docx")
    assert "附件" in res.output
    assert "/files/政务公开培训通知.pdf" not in Site.log  # only the attachment that names the report


@pytest.mark.libreoffice
@pytest.mark.skipif(not rf.has_soffice(), reason=rf.NO_SOFFICE)
def test_collect_follows_a_pdf_attachment_and_records_both_addresses(tmp_path, made):
    with site_with(made("soffice_2021"), "application/pdf") as (base, _):
        unit = tmp_path / "教育局"
        unit.mkdir()
        (unit / "unit.yaml").write_text(f"unit_id: QC-SZ-01\nname: 青川市教育局\nkind: 市直部门\nsite_url: {base}/zwgk/\n",
                                        encoding="utf-8")
        (unit / "annual_reports.csv").write_text(f"年度,发布日期,地址\n2025,,{base}/ndbg/2025.html\n", encoding="utf-8")
        res = CliRunner().invoke(main, ["collect", str(tmp_path), "--delay", "0", "--timeout", "5",
                                        "--as-of", "2026-11-20"])
    assert res.exit_code == 0, res.output
    _check_extracted(unit, base, ".pdf")
    assert Site.log.count("/files/2025nb.pdf") == 1  # one GET (the link check on the page is a HEAD)
    assert f"从附件 {base}/files/2025nb.pdf 提取" in res.output


def test_attachment_forbidden_by_robots_is_not_fetched_and_the_reason_is_given(tmp_path, made):
    with site_with(made("docx_2021"), "application/msword", robots="User-agent: *\nDisallow: /files/\n") as (base, _):
        res = extract_cli(f"{base}/ndbg/2025.html", "--unit-id", "QC-SZ-01", "--out", str(tmp_path))
    assert res.exit_code == 2
    assert "robots.txt 不允许访问" in res.output and "/files/2025nb.docx" in res.output
    assert "/files/2025nb.docx" not in Site.log
    assert list(tmp_path.iterdir()) == []


def test_saved_page_that_only_links_the_report_names_the_attachment(tmp_path):
    page = tmp_path / "nb.html"
    page.write_text(LINK_PAGE.format(href="https://www.qingchuan.gov.cn/files/2025nb.pdf", name="年报.pdf"),
                    encoding="utf-8")
    res = extract_cli(str(page), "--unit-id", "QC-SZ-01")
    assert res.exit_code == 2
    assert "https://www.qingchuan.gov.cn/files/2025nb.pdf" in res.output and "extract 网址" in res.output


def test_radical_code_points_some_pdf_fonts_use_read_as_the_ordinary_characters():
    from scoring.annual_report.pdf import fold_radicals

    assert fold_radicals("第⼆⼗条第（⼀）项 ⻘川市⼈⺠政府 ⾸⻚") == "第二十条第（一）项 青川市人民政府 首页"

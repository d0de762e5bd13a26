"""The fixture reports as a unit publishes them besides HTML: .docx, and PDF printed two ways.

Every file carries the figures of tests/fixtures/annual_reports/make_pages.py, so the same
report as HTML, as .docx and as PDF must extract to the same cells.

- :func:`report_docx` writes the report as a Word file (python-docx, "Table Grid" rules,
  merged header and label cells), optionally with the header rows of table 3 repeated on
  every page and with extra narrative pushing table 3 across a page break;
- :func:`soffice_pdf` prints a file with LibreOffice headless (as Word / WPS "export to PDF");
- :func:`chromium_pdf` prints a page with Chromium's ``--print-to-pdf`` (the browser's
  "save as PDF", its date/title header and address/page footer included).

:func:`report_pdfs` builds them all once per test session (see the ``report_pdfs`` fixtures).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import tempfile
from pathlib import Path

from browser_helpers import CHROMIUM, NO_CHROMIUM  # noqa: F401 - the tests read them from here
from scoring.report.pdf import soffice_path, to_pdf

PAGES = Path(__file__).parent / "fixtures" / "annual_reports"
_spec = importlib.util.spec_from_file_location("make_pages", PAGES / "make_pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)

NO_SOFFICE = "LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui（CI 的 .ci/run 会安装）"

REPORTS = {  # format -> (title, table 2 sections, table 3, table 4, narrative HTML, HTML fixture)
    "2021": ("青川市教育局2025年政府信息公开工作年度报告", pages.t2_sections_2021, pages.T3_2025, pages.T4_2025,
             pages.NARRATIVE_2025, "messy_2021.html"),
    "2019": ("青川市青山区人民政府2019年政府信息公开工作年度报告", pages.t2_sections_2019, pages.T3_2019,
             pages.T4_2019, pages.NARRATIVE_2019, "trial_2019.html"),
}


def plain(html: str) -> str:
    """Cell or paragraph text without the page's markup."""
    return re.sub(r"<[^>]+>", "", html.replace("<br>", "\n")).replace("&nbsp;", " ").strip()


def _merge(t, r0: int, c0: int, r1: int, c1: int, text: str) -> None:
    cell = t.cell(r0, c0) if (r0, c0) == (r1, c1) else t.cell(r0, c0).merge(t.cell(r1, c1))
    cell.text = text


def _repeat_as_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _widths(t, cm: list[float]) -> None:
    """Column widths as a unit's Word file has them (python-docx's default is equal widths)."""
    from docx.shared import Cm

    t.autofit = False
    for col, w in zip(t._tbl.tblGrid.gridCol_lst, cm):  # LibreOffice lays out by the grid
        col.w = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, cm):
            cell.width = Cm(w)


def _table2(d, sections) -> None:
    width = max(1 + sum(cs for _, cs in cells) for _, cols, rows in sections for _, cells in rows + [("", cols)])
    n = sum(2 + len(rows) for _, _, rows in sections)
    t = d.add_table(rows=n, cols=width)
    t.style = "Table Grid"
    r = 0
    for title, cols, rows in sections:
        _merge(t, r, 0, r, width - 1, title)
        for label, cells in [("信息内容", cols)] + rows:
            r += 1
            t.cell(r, 0).text = label
            c = 1
            for text, cs in cells:
                _merge(t, r, c, r, c + cs - 1, plain(text))
                c += cs
        r += 1


def _table3(d, t3: dict, fmt: str, repeat_header: bool) -> None:
    rows = pages.t3_rows(t3, fmt)
    t = d.add_table(rows=3 + len(rows), cols=10)
    t.style = "Table Grid"
    _widths(t, [1.4, 2.6, 4.6] + [1.1] * 7)
    _merge(t, 0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    _merge(t, 0, 3, 0, 9, "申请人情况")
    _merge(t, 1, 3, 2, 3, "自然人")
    _merge(t, 1, 4, 1, 8, "法人或其他组织")
    _merge(t, 1, 9, 2, 9, "总计")
    for j, h in enumerate(pages.COLS3[1:], start=4):
        t.cell(2, j).text = h
    if repeat_header:
        for row in t.rows[:3]:
            _repeat_as_header(row)
    for r, (labels, values) in enumerate(rows, start=3):
        c = 3 - sum(cs for _, _, cs in labels)
        for text, rs, cs in labels:
            _merge(t, r, c, r + rs - 1, c + cs - 1, plain(text))
            c += cs
        for j, v in enumerate(pages.totals(values), start=3):
            t.cell(r, j).text = str(v)


def _table4(d, t4) -> None:
    t = d.add_table(rows=4, cols=15)
    t.style = "Table Grid"
    _widths(t, [1.05] * 15)
    _merge(t, 0, 0, 0, 4, "行政复议")
    _merge(t, 0, 5, 0, 14, "行政诉讼")
    for j, p in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
        _merge(t, 1, j, 2, j, p)
        t.cell(2, 5 + j).text = p
        t.cell(2, 10 + j).text = p
    _merge(t, 1, 5, 1, 9, "未经复议直接起诉")
    _merge(t, 1, 10, 1, 14, "复议后起诉")
    for j, v in enumerate(v for block in t4 for v in pages.totals(block)):
        t.cell(3, j).text = str(v)


def report_docx(path: Path, fmt: str = "2021", *, repeat_header: bool = False, filler: int = 0) -> Path:
    """The fixture report of ``fmt`` as a Word file; ``filler`` paragraphs push table 3 down the page."""
    import docx

    title, t2, t3, t4, narrative, _ = REPORTS[fmt]
    d = docx.Document()
    d.core_properties.title = title
    d.add_paragraph(title)
    for para in re.findall(r"<p>(.*?)</p>", narrative, flags=re.S):
        d.add_paragraph(plain(para))
    d.add_paragraph("二、主动公开政府信息情况")
    _table2(d, t2())
    for i in range(filler):
        d.add_paragraph(f"（{i + 1}）依申请公开工作情况说明：本机关依法依规办理政府信息公开申请，"
                        "严格执行登记、审核、办理、答复、归档各环节的工作制度。")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    _table3(d, t3, fmt, repeat_header)
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _table4(d, t4)
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph("一是主动公开的及时性有待提高。")
    d.save(path)
    return path


def soffice_pdf(source: Path, out_dir: Path) -> Path:
    return to_pdf(source, out_dir)


def chromium_pdf(page: Path, out: Path) -> Path:
    """Chromium's print-to-PDF of a saved page, exactly as the issue's command line has it."""
    with tempfile.TemporaryDirectory(prefix="zwgk-chromium-") as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        f"--print-to-pdf={out}", page.resolve().as_uri()],
                       capture_output=True, timeout=180, check=True)
    if not out.is_file():
        raise RuntimeError(f"chromium did not print {page}")
    return out


def with_repeated_header(html: str) -> str:
    """The 2021 page with table 3's three header rows in <thead>: the browser repeats them on every page."""
    head = pages.t3_header()
    assert head in html
    return html.replace(head, "<thead>" + head + "</thead><tbody>", 1).replace(
        "\n</table>\n<p align=center><b>四", "\n</tbody></table>\n<p align=center><b>四", 1)


def pages_with(pdf: Path, text: str) -> list[int]:
    """1-based numbers of the pages whose text layer holds ``text`` (spaces ignored)."""
    import logging
    import unicodedata

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(pdf) as doc:
        return [i + 1 for i, p in enumerate(doc.pages)
                if text in unicodedata.normalize("NFKC", "".join((p.extract_text() or "").split()))]


_CACHE: dict[str, Path] = {}


def report_pdfs(kind: str, folder: Path) -> Path:
    """One file of the session's set, built on first use into ``folder`` (a session tmp dir)."""
    if kind in _CACHE:
        return _CACHE[kind]
    folder.mkdir(parents=True, exist_ok=True)
    if kind.startswith("docx_"):  # docx_2021 (header repeated, pushed across a page), docx_2019
        fmt = kind[5:]
        out = report_docx(folder / f"年报_{fmt}.docx", fmt, repeat_header=fmt == "2021", filler=14 if fmt == "2021" else 8)
    elif kind.startswith("soffice_"):
        out = soffice_pdf(report_pdfs("docx_" + kind[8:], folder), folder / "soffice")
    elif kind == "chromium_2021_thead":
        page = folder / "thead_2021.html"
        page.write_text(with_repeated_header((PAGES / "messy_2021.html").read_text(encoding="utf-8")), encoding="utf-8")
        out = chromium_pdf(page, folder / "chromium_2021_thead.pdf")
    elif kind.startswith("chromium_"):
        out = chromium_pdf(PAGES / REPORTS[kind[9:]][5], folder / f"{kind}.pdf")
    else:
        raise KeyError(kind)
    _CACHE[kind] = out
    return out


def has_soffice() -> bool:
    return soffice_path() is not None

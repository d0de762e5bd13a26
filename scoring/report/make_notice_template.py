"""Build the shipped Word templates: ``scoring/templates/notice.docx`` and ``bulletin.docx``.

Run ``python -m scoring.report.make_notice_template`` after changing the layout;
the generated files are committed and ship with the package. An office that
wants its own letterhead opens the generated file in Word or WPS, restyles it
(the styles 发文机关标志, 发文字号, 公文标题, 一级标题, 二级标题, 署名 carry the
layout) keeping the ``{{ ... }}`` / ``{%p ... %}`` tags, and passes it with
``--notice-template``. The tags and their variables are listed in docs/REPORTS.md.

Layout after GB/T 9704-2012: A4, margins 37/35/28/26 mm, 22 lines at a fixed
28.9 pt, red 发文机关标志 and separator line, title in 方正小标宋简体 二号, body
仿宋_GB2312 三号, headings 黑体 (一、) and 楷体_GB2312 (（一）), signature and date
right-indented four characters, page numbers “— 1 —”.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from scoring.report.docx_format import (
    HEITI,
    KAITI,
    add_page_number_footer,
    add_styles,
    red_rule_below,
    set_run_fonts,
    setup_page,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _new_doc():
    doc = Document()
    # drop the default empty paragraph
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    setup_page(doc)
    styles = add_styles(doc)
    add_page_number_footer(doc)
    doc.core_properties.author = "zwgk"
    doc.core_properties.language = "zh-CN"
    return doc, styles


def _p(doc, text: str = "", style=None):
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def _tag(doc, tag: str):
    """A paragraph holding only a docxtpl paragraph tag (``{%p ... %}``); it disappears when rendered."""
    return _p(doc, tag)


def _labelled_items(doc, var: str, seq: str) -> None:
    """A loop of paragraphs, each a 楷体 label (``var.label``) followed by body text (``var.text``)."""
    _tag(doc, f"{{%p for {var} in {seq} %}}")
    p = _p(doc)
    set_run_fonts(p.add_run(f"{{{{ {var}.label }}}}"), KAITI)
    p.add_run(f"{{{{ {var}.text }}}}")
    _tag(doc, "{%p endfor %}")


def _head_block(doc, st) -> None:
    _p(doc, "{{ issuer_mark }}", st["mark"])
    p = _p(doc, "{{ doc_number }}", st["docno"])
    red_rule_below(p)


def _signature(doc, st) -> None:
    _p(doc)
    _p(doc)
    _p(doc, "{{ issuer }}", st["sign"])
    _p(doc, "{{ issue_date_cn }}", st["sign"])


def build_notice() -> Document:
    doc, st = _new_doc()
    _head_block(doc, st)
    _p(doc, "{{ title }}", st["title"])
    _p(doc, "{{ unit_name }}：", st["addressee"])
    _p(doc, "{{ intro }}")
    _p(doc, "{{ summary }}")
    _tag(doc, "{%p for v in veto_lines %}")
    _p(doc, "{{ v }}")
    _tag(doc, "{%p endfor %}")

    _p(doc, "一、存在的问题", st["h1"])
    _tag(doc, "{%p for ind in indicators %}")
    _p(doc, "{{ ind.heading }}", st["h2"])
    _tag(doc, "{%p for f in ind.findings %}")
    _p(doc, "{{ f.no }}. {{ f.text }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")

    _p(doc, "二、整改要求", st["h1"])
    _p(doc, "{{ deadline_text }}")
    _labelled_items(doc, "r", "rectify_items")

    _p(doc, "三、整改情况反馈", st["h1"])
    _p(doc, "{{ feedback_text }}")
    _tag(doc, "{%p if contact %}")
    _p(doc, "联系人及电话：{{ contact }}")
    _tag(doc, "{%p endif %}")
    _signature(doc, st)
    return doc


def _cell_text(cell, text: str, style, bold_font: str | None = None) -> None:
    p = cell.paragraphs[0]
    p.style = style
    r = p.add_run(text)
    if bold_font:
        set_run_fonts(r, bold_font)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def build_bulletin() -> Document:
    doc, st = _new_doc()
    _head_block(doc, st)
    _p(doc, "{{ title }}", st["title"])
    _p(doc, "{{ addressee }}：", st["addressee"])
    _p(doc, "{{ intro }}")

    _p(doc, "一、总体情况", st["h1"])
    _p(doc, "{{ overview }}")

    _p(doc, "二、测评排名", st["h1"])
    _tag(doc, "{%p for g in groups %}")
    _p(doc, "{{ g.heading }}", st["h2"])
    # with --compare a 较上轮 column (rank change against a recorded round)
    _tag(doc, "{%p if compare_round %}")
    _ranking_table(doc, st, ["名次", "单位名称", "得分", "等次", "较上轮", "备注"],
                   ["rank", "name", "total", "grade", "change", "remark"], [16, 58, 18, 18, 18, 28])
    _tag(doc, "{%p else %}")
    _ranking_table(doc, st, ["名次", "单位名称", "得分", "等次", "备注"],
                   ["rank", "name", "total", "grade", "remark"], [16, 68, 20, 20, 32])
    _tag(doc, "{%p endif %}")
    _p(doc)
    _tag(doc, "{%p endfor %}")

    _p(doc, "三、单项否决情况", st["h1"])
    _tag(doc, "{%p for v in veto_lines %}")
    _p(doc, "{{ v }}")
    _tag(doc, "{%p endfor %}")

    _p(doc, "四、共性问题", st["h1"])
    _p(doc, "{{ problems_intro }}")
    _labelled_items(doc, "c", "common_problems")

    _p(doc, "五、工作要求", st["h1"])
    _p(doc, "{{ requirements }}")
    _signature(doc, st)
    return doc


def _ranking_table(doc, st, headers: list[str], keys: list[str], widths_mm: list[int]) -> None:
    widths = [Mm(w) for w in widths_mm]
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        _cell_text(table.rows[0].cells[i], h, st["table"], HEITI)
    _repeat_header(table.rows[0])
    _cell_text(table.rows[1].cells[0], "{%tr for r in g.rows %}", st["table"])
    for i, key in enumerate(keys):
        _cell_text(table.rows[2].cells[i], "{{ r.%s }}" % key, st["table"])
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", st["table"])
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = w          # the grid LibreOffice reads
        for row in table.rows:
            row.cells[i].width = w          # the cell widths Word reads


def main(out_dir: Path = TEMPLATES) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in (("notice.docx", build_notice), ("bulletin.docx", build_bulletin)):
        path = out_dir / name
        build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in main():
        print(p)

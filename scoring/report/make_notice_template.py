"""Build the shipped Word templates: ``scoring/templates/notice.docx`` (整改通知书), ``bulletin.docx``
(测评通报), ``recheck.docx`` (复核意见), ``urge.docx`` (催办函) and ``overdue_bulletin.docx`` (逾期通报).

Run ``python -m scoring.report.make_notice_template [NAME.docx ...]`` after changing the layout;
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


def _opening(addressee: str):
    """A new document with the 公文 head (issuer, 文号), the title, the addressee and the intro."""
    doc, st = _new_doc()
    _head_block(doc, st)
    _p(doc, "{{ title }}", st["title"])
    _p(doc, addressee + "：", st["addressee"])
    _p(doc, "{{ intro }}")
    return doc, st


def _signed(doc, st) -> Document:
    _signature(doc, st)
    return doc


def build_notice() -> Document:
    doc, st = _opening("{{ unit_name }}")
    _p(doc, "{{ summary }}")
    _tag(doc, "{%p for v in veto_lines %}")
    _p(doc, "{{ v }}")
    _tag(doc, "{%p endfor %}")

    _p(doc, "一、存在的问题", st["h1"])
    _indicator_items(doc, st, "indicators")

    _p(doc, "二、整改要求", st["h1"])
    _p(doc, "{{ deadline_text }}")
    _labelled_items(doc, "r", "rectify_items")

    _p(doc, "三、整改情况反馈", st["h1"])
    _p(doc, "{{ feedback_text }}")
    _tag(doc, "{%p if contact %}")
    _p(doc, "联系人及电话：{{ contact }}")
    _tag(doc, "{%p endif %}")
    return _signed(doc, st)


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


def _table(doc, st, var: str, seq: str, columns: list[tuple[str, str, int]]) -> None:
    """A table with a repeated header row and one row per item of ``seq`` (``{%tr for %}``).

    ``columns``: (header, the item's key, width in mm).
    """
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (header, _, _) in enumerate(columns):
        _cell_text(table.rows[0].cells[i], header, st["table"], HEITI)
    _repeat_header(table.rows[0])
    _cell_text(table.rows[1].cells[0], f"{{%tr for {var} in {seq} %}}", st["table"])
    for i, (_, key, _) in enumerate(columns):
        _cell_text(table.rows[2].cells[i], f"{{{{ {var}.{key} }}}}", st["table"])
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", st["table"])
    table.autofit = False
    for i, (_, _, width) in enumerate(columns):
        table.columns[i].width = Mm(width)      # the grid LibreOffice reads
        for row in table.rows:
            row.cells[i].width = Mm(width)      # the cell widths Word reads


def build_bulletin() -> Document:
    doc, st = _opening("{{ addressee }}")

    _p(doc, "一、总体情况", st["h1"])
    _p(doc, "{{ overview }}")

    _p(doc, "二、测评排名", st["h1"])
    _tag(doc, "{%p for g in groups %}")
    _p(doc, "{{ g.heading }}", st["h2"])
    # with --compare a 较上轮 column (rank change against a recorded round)
    _tag(doc, "{%p if compare_round %}")
    _table(doc, st, "r", "g.rows", [("名次", "rank", 16), ("单位名称", "name", 58), ("得分", "total", 18),
                                    ("等次", "grade", 18), ("较上轮", "change", 18), ("备注", "remark", 28)])
    _tag(doc, "{%p else %}")
    _table(doc, st, "r", "g.rows", [("名次", "rank", 16), ("单位名称", "name", 68), ("得分", "total", 20),
                                    ("等次", "grade", 20), ("备注", "remark", 32)])
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
    return _signed(doc, st)


def _indicator_items(doc, st, seq: str, empty: str | None = None) -> None:
    """Indicators (二级标题 ``ind.heading``) each with numbered items (``f.no``. ``f.text``);
    the paragraph ``empty`` (if given) when ``seq`` is empty."""
    _tag(doc, f"{{%p for ind in {seq} %}}")
    _p(doc, "{{ ind.heading }}", st["h2"])
    _tag(doc, "{%p for f in ind.findings %}")
    _p(doc, "{{ f.no }}. {{ f.text }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    if empty is None:
        return
    _tag(doc, f"{{%p if not {seq} %}}")
    _p(doc, empty)
    _tag(doc, "{%p endif %}")


def _contact(doc) -> None:
    _tag(doc, "{%p if contact %}")
    _p(doc, "联系人及电话：{{ contact }}")
    _tag(doc, "{%p endif %}")


def build_recheck() -> Document:
    """复核意见: what the recheck found for one unit, what is still open, the new deadline."""
    doc, st = _opening("{{ unit_name }}")
    _p(doc, "{{ summary }}")
    _p(doc, "一、尚未整改到位的问题", st["h1"])
    _indicator_items(doc, st, "open_indicators", "{{ open_none }}")
    _p(doc, "二、新发现的问题", st["h1"])
    _indicator_items(doc, st, "new_indicators", "{{ new_none }}")
    _p(doc, "三、整改要求", st["h1"])
    _p(doc, "{{ deadline_text }}")
    _labelled_items(doc, "r", "rectify_items")
    _contact(doc)
    return _signed(doc, st)


def build_urge() -> Document:
    """催办函: a unit past its deadline, what is still open, the last deadline before 通报."""
    doc, st = _opening("{{ unit_name }}")
    _p(doc, "一、尚未整改的问题", st["h1"])
    _indicator_items(doc, st, "open_indicators", "{{ open_none }}")
    _p(doc, "二、有关要求", st["h1"])
    _p(doc, "{{ requirement }}")
    _contact(doc)
    return _signed(doc, st)


def build_overdue_bulletin() -> Document:
    """通报 of the units urged and still not fixed: a table of them, then what each has open."""
    doc, st = _opening("{{ addressee }}")
    _p(doc, "一、通报单位", st["h1"])
    _table(doc, st, "r", "rows", [("单位名称", "name", 52), ("通知文号", "doc_number", 44), ("整改期限", "deadline", 24),
                                  ("逾期工作日", "workdays_overdue", 18), ("催办日期", "urged_on", 24)])
    _p(doc)
    _p(doc, "二、尚未整改的问题", st["h1"])
    _tag(doc, "{%p for u in units %}")
    _p(doc, "{{ u.heading }}", st["h2"])
    _tag(doc, "{%p for f in u.findings %}")
    _p(doc, "{{ f.no }}. {{ f.text }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    _p(doc, "三、工作要求", st["h1"])
    _p(doc, "{{ requirements }}")
    return _signed(doc, st)


#: the shipped templates: file name -> builder
BUILDERS = {
    "notice.docx": build_notice,
    "bulletin.docx": build_bulletin,
    "recheck.docx": build_recheck,
    "urge.docx": build_urge,
    "overdue_bulletin.docx": build_overdue_bulletin,
}


def main(out_dir: Path = TEMPLATES, names: list[str] | None = None) -> list[Path]:
    """Build the templates (``names``: some of BUILDERS, default all) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in BUILDERS.items():
        if names and name not in names:
            continue
        path = out_dir / name
        build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    import sys

    for p in main(names=sys.argv[1:] or None):
        print(p)

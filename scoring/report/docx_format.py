"""党政机关公文格式 (GB/T 9704-2012) in python-docx: page, fonts, styles.

Used by ``make_notice_template.py`` to build the shipped Word templates. The
official faces are named (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) on
every style and run, including the east-Asian slot ``w:eastAsia`` that Word
and WPS read for Chinese text; python-docx's ``font.name`` sets only the
Latin slots.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

#: 三号 / 二号 / 四号 in points
SIZE_3 = Pt(16)
SIZE_2 = Pt(22)
SIZE_4 = Pt(14)

#: GB/T 9704-2012 7.2: 22 lines of 28 characters in a 156 mm x 225 mm text block.
#: 225 mm / 22 lines = 28.99 pt; a fixed 28.9 pt keeps 22 lines on a page.
LINE_PITCH = Pt(28.9)

RED = RGBColor(0xE6, 0x00, 0x12)   # the red of the 发文机关标志 and the 版头 separator


def set_run_fonts(rpr_parent, name: str) -> None:
    """Name the face in all four slots (ascii, hAnsi, eastAsia, cs) and say the text is zh-CN.

    ``rpr_parent`` is a run, or a style (anything with ``.element`` owning an rPr).
    """
    el = rpr_parent.element if hasattr(rpr_parent, "element") else rpr_parent._element
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def setup_page(doc) -> None:
    """A4 portrait with the GB/T 9704 margins and a 22-line document grid."""
    for s in doc.sections:
        s.orientation = WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin = Mm(37), Mm(35)
        s.left_margin, s.right_margin = Mm(28), Mm(26)
        s.header_distance, s.footer_distance = Mm(15), Mm(20)
        sect = s._sectPr
        grid = sect.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))


def _para_format(style, *, align=None, first_line_chars: int | None = 2, size=SIZE_3,
                 before=0, after=0) -> None:
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.widow_control = True
    if align is not None:
        pf.alignment = align
    if first_line_chars:
        pf.first_line_indent = Pt(size.pt * first_line_chars)
        ind = style.element.get_or_add_pPr().find(qn("w:ind"))
        if ind is not None:  # the indent in characters, which Word and WPS keep when fonts change
            ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    else:
        pf.first_line_indent = Pt(0)


def _style(doc, name: str, font: str, size, *, base="Normal", bold=False, color=None):
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        st.base_style = styles[base]
    st.font.size = size
    st.font.bold = bold
    if color is not None:
        st.font.color.rgb = color
    set_run_fonts(st, font)
    st.quick_style = True
    return st


def add_styles(doc) -> dict[str, object]:
    """The styles an office restyles in Word: body, title, headings, mark, 文号, signature."""
    normal = _style(doc, "Normal", FANGSONG, SIZE_3)
    _para_format(normal, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    out = {"normal": normal}
    out["mark"] = _style(doc, "发文机关标志", XIAOBIAOSONG, Pt(30), color=RED)
    _para_format(out["mark"], align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None)
    out["mark"].paragraph_format.line_spacing = Pt(44)
    out["docno"] = _style(doc, "发文字号", FANGSONG, SIZE_3)
    _para_format(out["docno"], align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None, after=12)
    out["title"] = _style(doc, "公文标题", XIAOBIAOSONG, SIZE_2)
    _para_format(out["title"], align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None, before=20, after=20)
    out["title"].paragraph_format.line_spacing = Pt(36)
    out["addressee"] = _style(doc, "主送机关", FANGSONG, SIZE_3)
    _para_format(out["addressee"], first_line_chars=None)
    out["h1"] = _style(doc, "一级标题", HEITI, SIZE_3)
    _para_format(out["h1"])
    out["h1"].paragraph_format.keep_with_next = True
    out["h2"] = _style(doc, "二级标题", KAITI, SIZE_3)
    _para_format(out["h2"])
    out["h2"].paragraph_format.keep_with_next = True
    out["sign"] = _style(doc, "署名", FANGSONG, SIZE_3)
    _para_format(out["sign"], align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=None)
    out["sign"].paragraph_format.right_indent = Pt(SIZE_3.pt * 4)   # 成文日期右空四字
    out["table"] = _style(doc, "表格文字", FANGSONG, SIZE_4)
    _para_format(out["table"], align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None)
    out["table"].paragraph_format.line_spacing = Pt(22)
    return out


def red_rule_below(paragraph, width_eighths: int = 12) -> None:
    """The red separator line under the 发文字号 (a bottom border on its paragraph)."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(width_eighths))
    bottom.set(qn("w:space"), "8")
    bottom.set(qn("w:color"), str(RED))
    bdr.append(bottom)
    ppr.append(bdr)


def add_page_number_footer(doc) -> None:
    """Page numbers “— 1 —” in 宋体 四号, centred (GB/T 9704 7.5)."""
    for s in doc.sections:
        p = s.footer.paragraphs[0] if s.footer.paragraphs else s.footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)

        def text(t: str) -> None:
            r = p.add_run(t)
            r.font.size = SIZE_4
            set_run_fonts(r, SONGTI)

        def field_char(kind: str) -> None:
            r = p.add_run()
            r.font.size = SIZE_4
            set_run_fonts(r, SONGTI)
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)

        text("— ")
        field_char("begin")
        r = p.add_run()
        r.font.size = SIZE_4
        set_run_fonts(r, SONGTI)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        r._r.append(instr)
        field_char("separate")
        text("1")
        field_char("end")
        text(" —")

"""整改通知书, opened with python-docx the way the unit reads it."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

import check_helpers as ch
import report_helpers as h
from scoring.workdays import WorkCalendar


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return h.assess_batch(tmp_path_factory.mktemp("notices"), *h.ISSUER_ARGS)


def test_a_notice_for_each_unit_with_problems_and_none_for_a_clean_unit(out):
    names = sorted(p.name for p in (out / "notices").iterdir())
    assert names == sorted(f"{u}.{ext}" for u in (h.VETOED, h.HOSTILE) for ext in ("docx", "md"))
    assert not (out / "notices" / f"{h.CLEAN}.docx").exists()


def test_late_requests_evidence_id_is_in_its_units_notice(out):
    text = h.docx_text(out / "notices" / f"{h.VETOED}.docx")
    assert ch.LATE_REQUEST in text and ch.LATE_MESSAGE in text and ch.UNNUMBERED_DOC in text
    assert ch.LATE_REQUEST not in h.docx_text(out / "notices" / f"{h.HOSTILE}.docx")
    assert ch.LATE_REQUEST in (out / "notices" / f"{h.VETOED}.md").read_text(encoding="utf-8")


def test_notice_is_addressed_to_the_unit_and_states_score_rank_grade_and_veto(out):
    d = docx.Document(str(out / "notices" / f"{h.VETOED}.docx"))
    paras = [p.text for p in d.paragraphs if p.text.strip()]
    assert paras[0] == "青川市人民政府办公室"
    assert paras[1].startswith("青政务公开办〔2026〕") and paras[1].endswith("号")
    assert f"{h.VETOED_NAME}：" in paras
    text = "\n".join(paras)
    assert "排名第3位" in text and "不合格" in text and "单项否决" in text
    for heading in ("一、存在的问题", "二、整改要求", "三、整改情况反馈"):
        assert heading in paras
    assert paras[-2:] == ["青川市人民政府办公室", "2026年11月20日"]   # signature: issuer, then date


def test_default_rectification_period_is_15_working_days_from_the_as_of_date(out):
    due = WorkCalendar.load().add_workdays(dt.date.fromisoformat(h.AS_OF), 15)
    text = h.docx_text(out / "notices" / f"{h.VETOED}.docx")
    assert f"{due.year}年{due.month}月{due.day}日前" in text and "15个工作日" in text


def test_deadline_that_crosses_national_day_is_oct_29(tmp_path):
    # the official example: 20 working days after 2026-09-24 is 2026-10-29 (国庆、中秋 not counted)
    out = h.assess_batch(tmp_path)
    h.report(out, "--issue-date", "2026-09-24", "--rectify-workdays", "20")
    text = h.docx_text(out / "notices" / f"{h.VETOED}.docx")
    assert "于2026年10月29日前完成" in text and "20个工作日" in text and "国庆节" in text
    assert text.rstrip().endswith("2026年9月24日")


def test_evidence_text_cannot_inject_template_directives(out):
    for path in (out / "notices" / f"{h.HOSTILE}.docx", out / "notices" / f"{h.HOSTILE}.md"):
        text = h.docx_text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8").replace("\\", "")
        assert "{{ 7*7 }}" in text and "{% for x in range(3) %}循环{% endfor %}" in text, path.name
        assert "循环循环" not in text and "/49" not in text
        assert h.FORMULA_TITLE in text


def test_page_is_a4_with_the_official_margins(out):
    s = docx.Document(str(out / "notices" / f"{h.VETOED}.docx")).sections[0]
    def mm(length) -> float:
        return round(length.mm, 1)   # Word stores twips: 210 mm is 11906 twips

    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)
    assert (mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)) == (37, 35, 28, 26)


def _east_asian(style) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_fonts_are_the_official_faces_with_east_asian_attributes(out):
    d = docx.Document(str(out / "notices" / f"{h.VETOED}.docx"))
    st = d.styles
    assert (_east_asian(st["Normal"]), st["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert (_east_asian(st["公文标题"]), st["公文标题"].font.size) == ("方正小标宋简体", Pt(22))
    assert _east_asian(st["一级标题"]) == "黑体" and _east_asian(st["二级标题"]) == "楷体_GB2312"
    assert str(st["发文机关标志"].font.color.rgb) == "E60012"
    title = next(p for p in d.paragraphs if p.text == "政务公开测评问题限期整改通知书")
    assert title.style.name == "公文标题" and title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert next(p for p in d.paragraphs if p.text.startswith("（一）A2 空白栏目")).style.name == "二级标题"


def test_issuer_and_doc_number_come_from_a_config_file(tmp_path):
    out = h.assess_batch(tmp_path)
    cfg = tmp_path / "report.yaml"
    cfg.write_text("发文机关: 青川市政务公开办公室\n文号: 青公开〔{year}〕{n:02d}号\ncontact: 王五 0000-7654321\n",
                   encoding="utf-8")
    h.report(out, "--config", cfg)
    paras = [p.text for p in docx.Document(str(out / "notices" / f"{h.VETOED}.docx")).paragraphs if p.text]
    assert paras[0] == "青川市政务公开办公室"
    assert paras[1] in ("青公开〔2026〕01号", "青公开〔2026〕02号")
    assert "联系人及电话：王五 0000-7654321" in paras


def test_restyled_template_is_used_and_a_misspelt_variable_is_an_error(tmp_path):
    from docx import Document

    out = h.assess_batch(tmp_path)
    mine = Document()
    mine.add_paragraph("本办专用：{{ unit_name }}（{{ deadline_cn }}）")
    mine.save(str(tmp_path / "mine.docx"))
    h.report(out, "--notice-template", tmp_path / "mine.docx")
    assert h.docx_text(out / "notices" / f"{h.VETOED}.docx").startswith(f"本办专用：{h.VETOED_NAME}（")

    bad = Document()
    bad.add_paragraph("{{ unit_nmae }}")
    bad.save(str(tmp_path / "bad.docx"))
    r = h.run("report", out / "results.json", "--notice-template", tmp_path / "bad.docx")
    assert r.exit_code == 2 and "unit_nmae" in r.output and "通知书模板" in r.output

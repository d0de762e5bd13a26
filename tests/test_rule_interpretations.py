"""政策解读 rules: C1 coverage, C2 elements in text/txt/html/docx, C3 timeliness, C4 forms, C5 links."""

import io
from fractions import Fraction

from docx import Document

from rule_helpers import batch, deductions, findings_of, run

DOCS = "单位编码,文件编号,文件标题,发布日期,规范性文件,需解读\n"
INTERP = "单位编码,解读编号,关联文件编号,发布日期,解读形式,解读正文,正文文件,相互关联\n"

ALL_ELEMENTS = "出台背景……工作目标……核心内容……主要措施……主要变化……下一步工作"


def rows(*r):
    return "".join(x + "\n" for x in r)


# --- C1 -------------------------------------------------------------------


def test_document_needing_interpretation_with_one_pointing_at_it_passes(tmp_path):
    b = batch(tmp_path, documents=DOCS + rows("QC-SZ-01,GZ-001,资助办法,2026-03-02,是,是"),
              interpretations=INTERP + rows("QC-SZ-01,JD-001,GZ-001,2026-03-02,文字,正文,,是"))
    assert run("interpretation_coverage", b).findings.empty


def test_document_needing_interpretation_without_one_loses_two_points(tmp_path):
    b = batch(tmp_path, documents=DOCS + rows("QC-SZ-01,GZ-001,资助办法,2026-03-02,是,是",
                                              "QC-SZ-01,GZ-002,会议通知,2026-03-02,否,否"),
              interpretations=INTERP + rows("QC-XQ-01,JD-009,GZ-001,2026-03-02,文字,正文,,是"))  # other unit's
    out = run("interpretation_coverage", b)
    f = findings_of(out)
    assert list(f["ref"]) == ["GZ-001"] and "需要解读，但没有对应的解读" in f.loc[0, "message"]
    assert deductions(out, "QC-SZ-01") == 2


def test_when_needs_interpretation_is_left_blank_normative_documents_need_one(tmp_path):
    b = batch(tmp_path, documents=DOCS + rows("QC-SZ-01,GZ-001,资助办法,2026-03-02,是,",
                                              "QC-SZ-01,GZ-002,会议通知,2026-03-02,否,"),
              interpretations=INTERP)
    f = findings_of(run("interpretation_coverage", b))
    assert list(f["ref"]) == ["GZ-001"] and "按规范性文件判断" in f.loc[0, "message"]


# --- C2 -------------------------------------------------------------------


def docx_bytes(paragraphs, cells=()):
    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if cells:
        t = d.add_table(rows=1, cols=len(cells))
        for c, text in zip(t.rows[0].cells, cells):
            c.text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_interpretation_text_with_every_element_or_synonym_passes(tmp_path):
    b = batch(tmp_path, interpretations=INTERP + rows(f"QC-SZ-01,JD-001,GZ-001,2026-03-02,文字,{ALL_ELEMENTS},,是"))
    assert run("interpretation_elements", b).findings.empty


def test_interpretation_missing_old_and_new_differences_loses_one_point_per_element(tmp_path):
    text = "出台背景。工作目标。核心内容。主要措施。"
    b = batch(tmp_path, interpretations=INTERP + rows(f"QC-SZ-01,JD-002,GZ-001,2026-03-02,文字,{text},,是"))
    out = run("interpretation_elements", b)
    f = findings_of(out)
    assert [m.split("缺少要素")[1][:6] for m in f["message"]] == ["「新旧差异」", "「后续工作」"]
    assert deductions(out, "QC-SZ-01") == 2


def test_elements_are_found_in_txt_files_in_utf8_and_gb18030(tmp_path):
    b = batch(tmp_path,
              interpretations=INTERP + rows("QC-SZ-01,JD-1,GZ-001,2026-03-02,文字,,texts/jd1.txt,是",
                                            "QC-SZ-01,JD-2,GZ-001,2026-03-02,文字,,texts/jd2.txt,是"),
              files={"texts/jd1.txt": ALL_ELEMENTS, "texts/jd2.txt": ("出台背景 工作目标 核心内容 主要措施 主要变化"
                                                                      ).encode("gb18030")})
    f = findings_of(run("interpretation_elements", b))
    assert list(f["ref"]) == ["JD-2"] and "后续工作" in f.loc[0, "message"]


def test_elements_are_found_in_html_after_stripping_tags_and_decoding_entities(tmp_path):
    page = ("<html><head><title>主要内容</title><script>var s='下一步工作';</script></head><body>"
            "<p>&#20986;&#21488;背景</p><p><b>工作</b>目标</p><p>核心内容</p><p>主要措施</p><p>主要变化</p>"
            "</body></html>")
    b = batch(tmp_path, interpretations=INTERP + rows("QC-SZ-01,JD-H,GZ-001,2026-03-02,文字,,jd.html,是"),
              files={"jd.html": page})
    f = findings_of(run("interpretation_elements", b))
    # 下一步工作 only occurs inside <script>: not visible text
    assert list(f["message"].str.extract("缺少要素「(.+?)」")[0]) == ["后续工作"]


def test_elements_are_found_in_docx_paragraphs_and_tables(tmp_path):
    content = docx_bytes(["一、出台背景", "二、工作目标", "三、核心内容"], cells=("主要措施", "主要变化", "保障措施"))
    b = batch(tmp_path, interpretations=INTERP + rows("QC-SZ-01,JD-D,GZ-001,2026-03-02,文字,,jd.docx,是",
                                                      "QC-SZ-01,JD-E,GZ-001,2026-03-02,文字,,jd_short.docx,是"),
              files={"jd.docx": content, "jd_short.docx": docx_bytes(["出台背景"])})
    out = run("interpretation_elements", b)
    assert list(findings_of(out)["ref"].unique()) == ["JD-E"]
    assert deductions(out, "QC-SZ-01") == 5


def test_interpretation_without_text_or_file_gets_one_finding_text_not_provided(tmp_path):
    b = batch(tmp_path, interpretations=INTERP + rows("QC-SZ-01,JD-X,GZ-001,2026-03-02,文字,,,是"))
    out = run("interpretation_elements", b)
    f = findings_of(out)
    assert len(f) == 1 and "解读正文未提供" in f.loc[0, "message"] and deductions(out, "QC-SZ-01") == 1


def test_unreadable_docx_is_cannot_check_not_a_missing_element_list(tmp_path):
    b = batch(tmp_path, interpretations=INTERP + rows("QC-SZ-01,JD-Y,GZ-001,2026-03-02,文字,,broken.docx,是"),
              files={"broken.docx": b"not a zip"})
    out = run("interpretation_elements", b)
    assert findings_of(out).empty
    assert "无法读取" in findings_of(out, kind="cannot_check").loc[0, "message"]


def test_element_names_and_synonyms_are_rubric_parameters(tmp_path):
    b = batch(tmp_path, interpretations=INTERP + rows("QC-SZ-01,JD-1,GZ-001,2026-03-02,文字,决策背景和依据,,是"))
    out = run("interpretation_elements", b, elements=[{"name": "背景依据", "synonyms": ["决策背景和依据"]}, "适用范围"])
    assert list(findings_of(out)["message"].str.extract("缺少要素「(.+?)」")[0]) == ["适用范围"]


# --- C3 -------------------------------------------------------------------


def test_interpretation_published_the_first_working_day_after_national_day_is_in_time(tmp_path):
    b = batch(tmp_path, documents=DOCS + rows("QC-SZ-01,GZ-001,办法,2026-09-30,是,是"),
              interpretations=INTERP + rows("QC-SZ-01,JD-1,GZ-001,2026-10-09,文字,正文,,是"))
    assert run("interpretation_timeliness", b).findings.empty


def test_interpretation_published_four_working_days_after_its_document_is_late(tmp_path):
    b = batch(tmp_path, documents=DOCS + rows("QC-SZ-01,GZ-001,办法,2026-03-02,是,是"),
              interpretations=INTERP + rows("QC-SZ-01,JD-1,GZ-001,2026-03-06,文字,正文,,是",
                                            "QC-SZ-01,JD-2,GZ-404,2026-03-06,文字,正文,,是"))
    out = run("interpretation_timeliness", b)
    f = findings_of(out)
    assert list(f["ref"]) == ["JD-1"] and "逾期 1 个工作日" in f.loc[0, "message"]
    assert "不在政策文件表中" in findings_of(out, kind="cannot_check").loc[0, "message"]


# --- C4 -------------------------------------------------------------------


def test_thirty_percent_non_text_interpretations_earn_full_points(tmp_path):
    r = [f"QC-SZ-01,JD-{i},GZ-001,2026-03-02,{'文字、图解' if i < 3 else '文字'},正文,,是" for i in range(10)]
    out = run("interpretation_forms", batch(tmp_path, interpretations=INTERP + rows(*r)), points=2)
    assert out.awarded["QC-SZ-01"] == 2 and out.findings.empty


def test_ten_percent_non_text_interpretations_earn_a_third_of_the_points(tmp_path):
    r = [f"QC-SZ-01,JD-{i},GZ-001,2026-03-02,{'视频' if i == 0 else '文字'},正文,,是" for i in range(10)]
    out = run("interpretation_forms", batch(tmp_path, interpretations=INTERP + rows(*r)), points=2)
    assert out.awarded["QC-SZ-01"] == Fraction(2, 3)
    f = findings_of(out)
    assert f.loc[0, "deduction"] == Fraction(4, 3) and "1/10" in f.loc[0, "message"]


# --- C5 -------------------------------------------------------------------


def test_interpretation_not_linked_with_its_document_loses_a_point(tmp_path):
    b = batch(tmp_path, interpretations=INTERP + rows("QC-SZ-01,JD-1,GZ-001,2026-03-02,文字,正文,,否",
                                                      "QC-SZ-01,JD-2,GZ-002,2026-03-02,文字,正文,,是"))
    out = run("interpretation_linked", b)
    assert list(findings_of(out)["ref"]) == ["JD-1"] and deductions(out, "QC-SZ-01") == 1

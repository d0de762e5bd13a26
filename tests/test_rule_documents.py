"""政策文件 rules: B1–B4 required fields per document, B5 publication within 20 working days."""

from rule_helpers import batch, deductions, findings_of, run

HEAD = "单位编码,文件编号,文件标题,文号,成文日期,发布日期,有效性,规范性文件,可下载\n"


def docs(tmp_path, *rows):
    return batch(tmp_path, documents=HEAD + "".join(r + "\n" for r in rows))


B1 = dict(fields=("doc_number",), normative_only=True, per_item=2)
B2 = dict(fields=("written_on", "published_on"), per_item=1)
B3 = dict(fields=("validity",), normative_only=True, per_item=1)
B4 = dict(fields=("downloadable",), normative_only=True, per_item=2)


def test_complete_normative_document_passes_b1_to_b4(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-001,关于加强校外培训管理的通知,青教规〔2026〕1号,2026-03-02,2026-03-05,有效,是,是")
    for p in (B1, B2, B3, B4):
        assert run("document_fields", b, **p).findings.empty


def test_normative_document_without_doc_number_loses_two_points_but_ordinary_one_does_not(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-002,关于印发资助办法的通知,,2026-03-02,2026-03-05,有效,是,是",
             "QC-SZ-01,XW-001,局领导调研,,2026-03-02,2026-03-05,,否,")
    out = run("document_fields", b, **B1)
    f = findings_of(out)
    assert list(f["ref"]) == ["GZ-002"] and "未标注文号" in f.loc[0, "message"]
    assert "《关于印发资助办法的通知》" in f.loc[0, "message"]
    assert deductions(out, "QC-SZ-01") == 2


def test_document_without_either_date_loses_a_point_for_each(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-003,通知,青教〔2026〕3号,,,有效,否,是")
    out = run("document_fields", b, **B2)
    assert list(findings_of(out)["message"].str.contains("成文日期|发布日期")) == [True, True]
    assert deductions(out, "QC-SZ-01") == 2


def test_normative_document_with_blank_validity_loses_a_point(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-004,办法,青教规〔2026〕4号,2026-03-02,2026-03-05,,是,是")
    assert list(findings_of(run("document_fields", b, **B3))["ref"]) == ["GZ-004"]


def test_normative_document_not_downloadable_loses_two_points_and_blank_flag_is_cannot_check(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-005,办法,青教规〔2026〕5号,2026-03-02,2026-03-05,有效,是,否",
             "QC-SZ-01,GZ-006,办法,青教规〔2026〕6号,2026-03-02,2026-03-05,有效,是,")
    out = run("document_fields", b, **B4)
    assert list(findings_of(out)["ref"]) == ["GZ-005"] and deductions(out, "QC-SZ-01") == 2
    assert list(findings_of(out, kind="cannot_check")["ref"]) == ["GZ-006"]


def test_unknown_document_field_in_the_rubric_is_rejected():
    import pytest
    from pydantic import ValidationError

    from scoring.rules import REGISTRY
    with pytest.raises(ValidationError, match="文号|doc_numbr"):
        REGISTRY["document_fields"].params(fields=("doc_numbr",))


def test_document_written_before_national_day_and_published_oct_29_is_within_20_working_days(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-007,通知,青教〔2026〕7号,2026-09-24,2026-10-29,有效,否,是")
    assert run("publication_timeliness", b).findings.empty


def test_document_published_oct_30_took_21_working_days_and_states_both_dates(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-008,通知,青教〔2026〕8号,2026-09-24,2026-10-30,有效,否,是")
    f = findings_of(run("publication_timeliness", b))
    assert len(f) == 1
    assert "成文于2026-09-24" in f.loc[0, "message"] and "2026-10-30发布" in f.loc[0, "message"]
    assert "法定公开期限 2026-10-29（成文后20个工作日），逾期 1 个工作日" in f.loc[0, "message"] and f.loc[0, "deduction"] == 1


def test_document_written_before_the_period_is_not_judged_for_timeliness(tmp_path):
    b = docs(tmp_path, "QC-SZ-01,GZ-009,通知,青教〔2025〕9号,2025-11-03,2026-02-10,有效,否,是")
    assert run("publication_timeliness", b).findings.empty

"""annual_report_narrative: figures quoted in the report's text against its own tables (identity 5)."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from rule_helpers import batch, deductions, findings_of, run

from scoring.cli import main
from scoring.evidence.load import load_batch
from scoring.rules import REGISTRY

# Until scoring/rules/__init__.py imports annual_narrative (and docs/RULES.md lists it), the kind is
# registered only while these tests run, so the generated rule list elsewhere stays as it is.
_WIRED = "annual_report_narrative" in REGISTRY
from scoring.rules.annual_narrative import AnnualReportNarrative  # noqa: E402

if not _WIRED:
    REGISTRY.pop(AnnualReportNarrative.name, None)


@pytest.fixture(autouse=True)
def _narrative_kind():
    if _WIRED:
        yield
        return
    REGISTRY[AnnualReportNarrative.name] = AnnualReportNarrative
    yield
    REGISTRY.pop(AnnualReportNarrative.name, None)

PAGES = Path(__file__).parent / "fixtures" / "annual_reports"
UNITS = "单位编码,单位名称,单位类型\nQC-SZ-01,青川市教育局,市直部门\nQC-XQ-01,青川市青山区人民政府,县区政府\n"
CELLS = "单位编码,年度,表,行,列,数值\n"


def t3_totals(unit: str, new, carried_in, total, carried_out, year: int = 2025) -> str:
    rows = {"本年新收政府信息公开申请数量": new, "上年结转政府信息公开申请数量": carried_in,
            "本年度办理结果/总计": total, "结转下年度继续办理": carried_out}
    return "".join(f"{unit},{year},3,{r},总计,{'' if v is None else v}\n" for r, v in rows.items())


def t4_totals(unit: str, review, direct, after, year: int = 2025) -> str:
    rows = {"行政复议": review, "行政诉讼/未经复议直接起诉": direct, "行政诉讼/复议后起诉": after}
    return "".join(f"{unit},{year},4,{r},总计,{v}\n" for r, v in rows.items())


REPORTS = "单位编码,年度,发布日期,正文_本年新收申请,正文_结转下年度,正文_行政诉讼\n"


def test_text_saying_25_requests_when_table_3_says_25_passes(tmp_path):
    b = batch(tmp_path, units=UNITS, annual_reports=REPORTS + "QC-SZ-01,2025,2026-01-20,25,2,1\n",
              annual_report_cells=CELLS + t3_totals("QC-SZ-01", 25, 2, 25, 2) + t4_totals("QC-SZ-01", 2, 1, 0))
    assert findings_of(run("annual_report_narrative", b), kind=None).empty


def test_text_and_table_disagreeing_on_carried_over_requests_loses_a_point_and_says_both(tmp_path):
    b = batch(tmp_path, units=UNITS, annual_reports=REPORTS + "QC-SZ-01,2025,2026-01-20,25,2,1\n",
              annual_report_cells=CELLS + t3_totals("QC-SZ-01", 25, 2, 24, 3) + t4_totals("QC-SZ-01", 2, 1, 0))
    out = run("annual_report_narrative", b)
    f = findings_of(out)
    assert list(f["ref"]) == ["2025年报正文_结转下年度"]
    assert "「2」" in f.loc[0, "message"] and "为 3" in f.loc[0, "message"]
    assert f.loc[0, "file"].endswith("annual_reports.csv") and f.loc[0, "row"] == 2
    assert deductions(out, "QC-SZ-01") == 1


def test_litigation_in_the_text_is_compared_with_both_litigation_blocks_together(tmp_path):
    b = batch(tmp_path, units=UNITS, annual_reports=REPORTS + "QC-SZ-01,2025,,,,3\n",
              annual_report_cells=CELLS + t4_totals("QC-SZ-01", 0, 1, 2))
    assert findings_of(run("annual_report_narrative", b)).empty
    b2 = batch(tmp_path / "b2", units=UNITS, annual_reports=REPORTS + "QC-SZ-01,2025,,,,3\n",
               annual_report_cells=CELLS + t4_totals("QC-SZ-01", 0, 1, 1))
    assert "为 2" in findings_of(run("annual_report_narrative", b2)).loc[0, "message"]


def test_blank_table_cell_is_cannot_check_not_a_failure(tmp_path):
    b = batch(tmp_path, units=UNITS, annual_reports=REPORTS + "QC-SZ-01,2025,,25,,\n",
              annual_report_cells=CELLS + t3_totals("QC-SZ-01", None, 2, 25, 2))
    out = run("annual_report_narrative", b)
    assert findings_of(out).empty
    assert "无法核验" in findings_of(out, kind="cannot_check").loc[0, "message"]


def test_only_the_report_year_before_as_of_is_compared(tmp_path):
    b = batch(tmp_path, units=UNITS, annual_reports=REPORTS + "QC-SZ-01,2024,,99,,\n",
              annual_report_cells=CELLS + t3_totals("QC-SZ-01", 25, 2, 25, 2, year=2024))
    assert findings_of(run("annual_report_narrative", b), kind=None).empty


def test_extracted_gbk_page_whose_text_contradicts_its_table_is_reported(tmp_path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    for page, unit in (("messy_2021.html", "QC-SZ-01"), ("broken_identity_gbk.html", "QC-XQ-01")):
        res = CliRunner().invoke(main, ["annual-report", "extract", str(PAGES / page), "--unit-id", unit,
                                        "--out", str(tmp_path)])
        assert res.exit_code == 0, res.output
    out = run("annual_report_narrative", load_batch(tmp_path))
    f = findings_of(out)
    # the GBK page says 结转下年度继续办理2件 but its table 3 says 3
    assert list(zip(f["unit_id"], f["ref"])) == [("QC-XQ-01", "2025年报正文_结转下年度")]

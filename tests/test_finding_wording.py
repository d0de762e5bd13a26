"""Wording a unit can act on: a finding about the unit as a whole says so (never 「底稿：未提供」)."""

import datetime as dt
from pathlib import Path

from scoring.engine import assess
from scoring.evidence.load import load_batch
from scoring.report.notices import _finding_text
from scoring.rubric.load import load_rubric
from scoring.workdays import WorkCalendar

SAMPLE = Path(__file__).parent.parent / "sample_units"


def test_c4_share_in_the_education_bureau_notice_is_checked_on_the_unit_as_a_whole():
    rubric = load_rubric("provincial-2026")
    results = assess(load_batch(SAMPLE), rubric, dt.date(2026, 11, 20), WorkCalendar.load(rubric.calendar_path()))
    c4 = next(i for i in results.unit("QC-SZ-01").indicators if i.id == "C4")
    (f,) = [f for f in c4.findings if f.kind == "deduction"]
    assert f.ref == "" and f.row is None  # the share of all its interpretations, no single row
    text = _finding_text(f)
    assert "（本项按单位整体核查；扣" in text and "未提供" not in text


def test_a_finding_on_an_evidence_row_still_names_it():
    from fractions import Fraction

    from scoring.results import Finding, Pts

    f = Finding(table="requests", ref="YSQ-001", message="申请 YSQ-001 逾期", deduction=Pts.of(Fraction(3)),
                rectify="", file="依申请公开.csv", row=2, kind="deduction")
    assert _finding_text(f) == "申请 YSQ-001 逾期（底稿编号：YSQ-001；扣3分）"

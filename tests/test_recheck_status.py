"""整改复核 statuses and verdicts, on small findings tables (no scoring, no store)."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from scoring.loop.recheck import (
    DONE,
    FIXED,
    HISTORIC,
    NEW,
    NOT_DONE,
    NOT_SUBMITTED,
    OPEN,
    PARTIAL,
    compare,
    finding_keys,
    rate_text,
    unit_verdicts,
)

#: D1 (答复时效) is not rectifiable once the request is answered
RECTIFIABLE = {"A2": True, "B1": True, "D1": False, "E2": False}


def findings(*rows) -> pd.DataFrame:
    """(unit, indicator, ref, deduction[, kind[, pending]]) tuples as a findings frame."""
    out = []
    for r in rows:
        unit, ind, ref, ded, *rest = r
        kind = rest[0] if rest else "deduction"
        pending = rest[1] if len(rest) > 1 else False
        out.append((unit, ind, ref, kind, Fraction(ded), f"{ind} {ref}", pending))
    return pd.DataFrame(out, columns=["unit_id", "indicator_id", "ref", "kind", "deduction", "message", "pending"])


def run(before, after, submitted):
    rows = compare(finding_keys(before, RECTIFIABLE), finding_keys(after, RECTIFIABLE), submitted)
    return rows, {(r.unit_id, r.indicator_id, r.ref): r.status for r in rows.itertuples()}




def test_gone_finding_is_fixed_and_remaining_is_not():
    before = findings(("U1", "A2", "栏目甲", 1), ("U1", "B1", "WJ-01", 2))
    after = findings(("U1", "B1", "WJ-01", 2))
    _, status = run(before, after, ["U1"])
    assert status == {("U1", "A2", "栏目甲"): FIXED, ("U1", "B1", "WJ-01"): OPEN}


def test_smaller_deduction_under_the_same_key_is_partly_fixed():
    # two problems with one document (no 文号 and no date), one of them fixed
    before = findings(("U1", "B1", "WJ-01", 1), ("U1", "B1", "WJ-01", 1))
    after = findings(("U1", "B1", "WJ-01", 1))
    rows, status = run(before, after, ["U1"])
    assert status == {("U1", "B1", "WJ-01"): PARTIAL}
    assert (rows.loc[0, "before"], rows.loc[0, "after"]) == (Fraction(2), Fraction(1))


def test_finding_not_in_the_baseline_is_new_and_does_not_change_the_verdict():
    before = findings(("U1", "A2", "栏目甲", 1))
    after = findings(("U1", "B1", "WJ-09", 2))
    rows, status = run(before, after, ["U1"])
    assert status == {("U1", "A2", "栏目甲"): FIXED, ("U1", "B1", "WJ-09"): NEW}
    units = unit_verdicts(rows, {"U1": "甲局"})
    assert units.loc[0, "verdict"] == DONE
    assert units.loc[0, NEW] == 1 and units.loc[0, "counted"] == 1


def test_unit_absent_from_the_new_evidence_has_not_submitted():
    before = findings(("U1", "A2", "栏目甲", 1), ("U2", "A2", "栏目乙", 1))
    after = findings()
    rows, status = run(before, after, ["U1"])
    assert status[("U2", "A2", "栏目乙")] == NOT_SUBMITTED
    assert status[("U1", "A2", "栏目甲")] == FIXED
    units = unit_verdicts(rows, {}).set_index("unit_id")
    assert units.loc["U2", "verdict"] == NOT_DONE
    assert units.loc["U1", "verdict"] == DONE


def test_request_answered_late_is_history_and_left_out_of_the_rate():
    before = findings(("U1", "D1", "YSQ-01", 3), ("U1", "A2", "栏目甲", 1))
    after = findings(("U1", "D1", "YSQ-01", 3), ("U1", "A2", "栏目甲", 1))
    rows, status = run(before, after, ["U1"])
    assert status[("U1", "D1", "YSQ-01")] == HISTORIC
    units = unit_verdicts(rows, {})
    assert units.loc[0, "counted"] == 1          # only the blank column counts
    assert units.loc[0, "rate"] == 0 and units.loc[0, "verdict"] == NOT_DONE


def test_request_still_unanswered_stays_rectifiable():
    before = findings(("U1", "D1", "YSQ-02", 3, "deduction", True))
    after = findings(("U1", "D1", "YSQ-02", 3, "deduction", True))
    rows, status = run(before, after, ["U1"])
    assert status[("U1", "D1", "YSQ-02")] == OPEN
    assert unit_verdicts(rows, {}).loc[0, "verdict"] == NOT_DONE


def test_request_answered_after_the_notice_no_longer_blocks_the_verdict():
    # unanswered at the assessment, answered (late) by the recheck: the lateness is history
    before = findings(("U1", "D1", "YSQ-02", 3, "deduction", True))
    after = findings(("U1", "D1", "YSQ-02", 3, "deduction", False))
    rows, status = run(before, after, ["U1"])
    assert status[("U1", "D1", "YSQ-02")] == HISTORIC
    units = unit_verdicts(rows, {})
    assert units.loc[0, "verdict"] == DONE and units.loc[0, "rate"] is None
    assert rate_text(units.loc[0, "rate"]) == "—"


def test_veto_follows_its_indicator_pending_findings():
    # E2: a message unanswered for months vetoes the unit; the veto is rectifiable while it is unanswered
    open_before = findings(("U1", "E2", "LY-1", 4, "deduction", True), ("U1", "E2", "", 0, "veto"))
    answered = findings(("U1", "E2", "LY-1", 4, "deduction", False), ("U1", "E2", "", 0, "veto"))
    _, status = run(open_before, open_before, ["U1"])
    assert status[("U1", "E2", "")] == OPEN
    _, status = run(open_before, answered, ["U1"])
    assert status[("U1", "E2", "")] == HISTORIC


def test_missing_table_of_a_timeliness_indicator_can_be_supplied():
    before = findings(("U1", "D1", "", 12, "not_provided"))
    rows, status = run(before, findings(("U1", "D1", "", 12, "not_provided")), ["U1"])
    assert status[("U1", "D1", "")] == OPEN


def test_rate_counts_fixed_over_rectifiable_baseline_findings():
    before = findings(("U1", "A2", "甲", 1), ("U1", "A2", "乙", 1), ("U1", "A2", "丙", 1))
    after = findings(("U1", "A2", "丙", 1))
    rows, _ = run(before, after, ["U1"])
    units = unit_verdicts(rows, {})
    assert units.loc[0, "rate"] == Fraction(2, 3)
    assert rate_text(units.loc[0, "rate"]) == "66.67%"

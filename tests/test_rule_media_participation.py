"""政务新媒体, 决策预公开 and 建议提案 rules: what the YAML cases do not show (pending, several units, bad input)."""

import pytest

from rule_helpers import batch, deductions, findings_of, run
from scoring.evidence.batch import EvidenceError

MEDIA = "单位编码,账号编号,平台,账号名称,已备案,最近发布日期,测评期发布条数,开通留言,最早未回复留言日期\n"
CONSULT = "单位编码,征求意见编号,发布日期,截止日期,意见采纳情况反馈日期\n"
PROPOSALS = "单位编码,建议提案编号,类别,答复日期,答复全文公开\n"


def test_stale_account_and_unanswered_comment_are_pending_and_veto_only_their_unit(tmp_path):
    b = batch(tmp_path, media_accounts=MEDIA
              + "QC-SZ-01,JY-XMT-01,微信公众号,青川教育,是,2026-10-30,150,是,2026-07-01\n"
              + "QC-XQ-01,QS-XMT-01,微博,青山发布,是,2026-11-19,300,是,2026-10-01\n")
    updates, comments = run("media_updates", b), run("media_comments", b)
    assert set(updates.vetoes) == {"QC-SZ-01"} and set(comments.vetoes) == {"QC-SZ-01"}
    assert findings_of(updates)["pending"].all() and findings_of(comments)["pending"].all()
    assert deductions(comments, "QC-XQ-01") == 0


def test_unfiled_account_is_pending_because_it_can_still_be_filed(tmp_path):
    b = batch(tmp_path, media_accounts=MEDIA + "QC-SZ-01,JY-XMT-02,抖音,青川教育,否,2026-11-19,40,否,\n")
    f = findings_of(run("media_filing", b))
    assert list(f["ref"]) == ["JY-XMT-02"] and bool(f.loc[0, "pending"])


def test_feedback_published_late_is_history_and_feedback_missing_is_pending(tmp_path):
    b = batch(tmp_path, consultations=CONSULT
              + "QC-SZ-01,ZQ-1,2026-04-01,2026-05-01,2026-06-15\n"
              + "QC-SZ-01,ZQ-2,2026-08-03,2026-09-02,\n")
    f = findings_of(run("consultation_feedback", b, per_item=1, per_missing=3))
    assert list(zip(f["ref"], f["pending"], f["deduction"])) == [("ZQ-1", False, 1), ("ZQ-2", True, 3)]


def test_unpublished_reply_costs_its_share_of_the_points_per_unit(tmp_path):
    b = batch(tmp_path, proposals=PROPOSALS
              + "QC-SZ-01,JY-1,人大代表建议,2026-06-28,否\n"
              + "QC-SZ-01,JY-2,政协委员提案,2026-07-10,是\n"
              + "QC-XQ-01,QS-1,人大代表建议,2026-06-01,否\n")
    out = run("proposal_replies", b, points=2)
    assert deductions(out, "QC-SZ-01") == 1 and deductions(out, "QC-XQ-01") == 2
    assert findings_of(out)["pending"].all()


def test_unknown_platform_and_kind_are_load_errors_naming_the_allowed_values(tmp_path):
    with pytest.raises(EvidenceError) as e:
        batch(tmp_path, media_accounts=MEDIA + "QC-SZ-01,JY-XMT-01,快手,青川教育,是,2026-11-19,1,否,\n",
              proposals=PROPOSALS + "QC-SZ-01,JY-1,代表建议,2026-06-28,是\n")
    text = "\n".join(i.render() for i in e.value.issues)
    assert "快手" in text and "微信公众号" in text
    assert "代表建议" in text and "政协委员提案" in text


def test_consultation_closing_before_it_opened_is_a_load_error(tmp_path):
    with pytest.raises(EvidenceError) as e:
        batch(tmp_path, consultations=CONSULT + "QC-SZ-01,ZQ-1,2026-04-01,2026-03-01,\n")
    assert [(i.row, i.column, i.message) for i in e.value.issues] == [(2, "截止日期", "截止日期早于发布日期")]

"""The round store: what a round keeps, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from store_helpers import db, synthetic_results  # noqa: F401 - the db fixture
from scoring.store import (
    NoticeRecord, RecheckItem, RoundAlreadyRecorded, StoreError, UnitVerdict, UnknownRound, UrgeRecord, open_store,
)


def test_a_recorded_round_gives_back_its_results_scores_findings_and_notices(db):
    results = synthetic_results(40)
    notice = NoticeRecord("DW00001", "政务公开整改〔2026〕1号", dt.date(2026, 11, 20), dt.date(2026, 12, 11))
    with open_store(db) as store:
        info = store.record_round("2026年第一轮", "测评", results, notices=[notice], evidence_sha256="ab" * 32)
        assert (info.kind, info.n_units, info.rubric_id, info.as_of) == ("测评", 40, "test-rubric",
                                                                          dt.date(2026, 11, 20))
        assert store.load_results("2026年第一轮").to_json() == results.to_json()
        u = results.unit("DW00002")
        [score] = store.unit_scores("2026年第一轮", "DW00002")
        assert (score.total_exact, score.grade, score.rank, score.group) == (u.total.exact, u.grade, u.rank, u.group)
        expected = [(i.id, f.ref, f.message, f.deduction.exact) for i in u.indicators for f in i.findings]
        assert [(f.indicator_id, f.ref, f.message, f.deduction_exact)
                for f in store.findings("2026年第一轮", "DW00002")] == expected
        assert store.notices("2026年第一轮") == [notice]


def test_recheck_and_urge_rounds_keep_statuses_verdicts_and_urges(db):
    with open_store(db) as store:
        store.record_round("第一轮", "测评", synthetic_results(6))
        items = [RecheckItem("DW00001", "A1", "WJ-0-A1-0", "已整改", "扣1分", "不扣分"),
                 RecheckItem("DW00001", "A2", "WJ-0-A2-0", "未整改", "扣1分", "扣1分", "仍未公开")]
        store.record_round("第一轮复核", "复核", synthetic_results(6, shift=1), baseline="第一轮", rechecks=items,
                           verdicts=[UnitVerdict("DW00001", "未整改到位")])
        urge = UrgeRecord("DW00003", "政务公开催办〔2026〕1号", dt.date(2026, 12, 11), dt.date(2026, 12, 14), "催办")
        store.record_round("第一轮催办", "催办", baseline="第一轮", urges=[urge])
        assert store.rechecks("第一轮复核") == items
        assert store.verdicts("第一轮复核", "DW00001") == [UnitVerdict("DW00001", "未整改到位")]
        assert [(i.name, u) for i, u in store.urges_following("第一轮")] == [("第一轮催办", urge)]
        assert [r.name for r in store.rounds()] == ["第一轮", "第一轮复核", "第一轮催办"]
        assert store.round("第一轮催办").has_results is False


def test_a_round_name_is_recorded_once_unless_replaced(db):
    with open_store(db) as store:
        store.record_round("第一轮", "测评", synthetic_results(4))
        with pytest.raises(RoundAlreadyRecorded, match="已记录.*--replace"):
            store.record_round("第一轮", "测评", synthetic_results(6))
        assert store.round("第一轮").n_units == 4
        store.record_round("第一轮", "测评", synthetic_results(6), replace=True)
        assert store.round("第一轮").n_units == 6
        assert len(store.unit_scores("第一轮")) == 6


def test_an_unknown_round_is_named_with_the_rounds_there_are(db):
    with open_store(db) as store:
        store.record_round("第一轮", "测评", synthetic_results(2))
        with pytest.raises(UnknownRound, match="「第二轮」不在.*第一轮"):
            store.load_results("第二轮")


def test_an_unreachable_database_is_named_with_its_password_masked():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://zwgk:s3cret@127.0.0.1:1/zwgk")
    assert "无法连接" in str(err.value) and "127.0.0.1:1" in str(err.value)
    assert "s3cret" not in str(err.value)

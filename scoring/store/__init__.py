"""The round store: every assessment (测评), re-check (复核) and urging (催办) round, kept between runs.

Where it lives: ``--db PATH`` (a SQLite file) or ``--db URL``
(``postgresql://user:password@host:5432/zwgk`` for an office sharing one
server), else the ``ZWGK_DB`` environment variable, else ``zwgk.db`` in the
current folder. Opening it creates it or brings its schema up to date
(Alembic migrations shipped in ``scoring/store/migrations``).

    from scoring.store import open_store, NoticeRecord, RecheckItem, UnitVerdict, UrgeRecord

    with open_store(db) as store:                       # db: None | path | URL
        store.record_round("2026年第一轮", "测评", results,
                           notices=[NoticeRecord(unit_id, 文号, issue_date, deadline), ...])
        baseline = store.load_results("2026年第一轮")    # the Results recorded
        store.notices("2026年第一轮")                    # [NoticeRecord], deadlines of the notices
        store.record_round("2026年第一轮复核", "复核", recheck_results, baseline="2026年第一轮",
                           rechecks=[RecheckItem(unit_id, indicator_id, ref, "已整改", before, after)],
                           verdicts=[UnitVerdict(unit_id, "整改到位")])
        store.record_round("2026年第一轮催办", "催办", baseline="2026年第一轮",
                           urges=[UrgeRecord(unit_id, 文号, deadline, urged_on, "催办")])

Recording is one transaction: a failure or a killed process leaves no trace
of the round. Readers see whole rounds only, also while one is being recorded
(SQLite runs in WAL mode). Errors the user must fix are ``StoreError`` with a
Chinese message (the command prints it and exits 2): ``UnknownRound``,
``RoundAlreadyRecorded``, an unreachable database (URL named, password
masked), a store whose schema is newer than this program.

Reading: ``rounds(kind=None)``, ``round(name)``, ``has_round(name)``,
``load_results(name)``, ``unit_scores``/``findings``/``notices``/``rechecks``/
``verdicts``/``urges(name, unit_id=None)``, ``urges_following(baseline)``,
``scores_frame(name)``/``indicators_frame(name)`` (pandas), and
``unit_history(unit_id)`` in ``scoring.store.history``.
"""

from scoring.store.api import RoundAlreadyRecorded, Store, UnknownRound, open_store
from scoring.store.db import DB_ENV, StoreError, resolve_url
from scoring.store.model import (
    KIND_ASSESS,
    KIND_RECHECK,
    KIND_URGE,
    KINDS,
    FindingRecord,
    NoticeRecord,
    RecheckItem,
    RoundInfo,
    UnitScore,
    UnitVerdict,
    UrgeRecord,
)
from scoring.store.record import evidence_sha256

__all__ = [
    "DB_ENV", "KINDS", "KIND_ASSESS", "KIND_RECHECK", "KIND_URGE", "FindingRecord", "NoticeRecord",
    "RecheckItem", "RoundAlreadyRecorded", "RoundInfo", "Store", "StoreError", "UnitScore", "UnitVerdict",
    "UnknownRound", "UrgeRecord", "evidence_sha256", "open_store", "resolve_url",
]

"""One unit across every recorded round: its score, grade and rank, and each finding's status.

A finding is followed by (indicator, evidence ref). In a round with scores it
is 「存在」 when the round found it and 「未发现」 when the unit was scored
without it; a re-check (复核) round shows the status the re-check gave it
(已整改, 未整改, …). Only findings to rectify are followed (deductions,
vetoes, evidence not provided), as in the notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.store import read
from scoring.store.api import Store
from scoring.store.model import NoticeRecord, RoundInfo, UnitScore, UrgeRecord

PROBLEM_KINDS = ("deduction", "veto", "not_provided")
FOUND = "存在"
NOT_FOUND = "未发现"


@dataclass
class UnitRound:
    round: RoundInfo
    score: UnitScore | None
    notice: NoticeRecord | None
    verdict: str | None
    urge: UrgeRecord | None


@dataclass
class FindingTrack:
    indicator_id: str
    ref: str
    table: str
    message: str
    #: round name -> status in that round ("" when the round says nothing about it)
    statuses: dict[str, str] = field(default_factory=dict)


@dataclass
class UnitHistory:
    unit_id: str
    name: str
    rounds: list[UnitRound]
    findings: list[FindingTrack]


def unit_history(store: Store, unit_id: str) -> UnitHistory | None:
    """The unit's rounds in recording order (None when no round mentions the unit)."""
    entries: list[UnitRound] = []
    tracks: dict[tuple[str, str], FindingTrack] = {}
    name = ""
    with store.reading() as conn:
        for rid, info in read.rounds(conn):
            score = next(iter(read.unit_scores(conn, rid, unit_id)), None)
            notice = next(iter(read.notices(conn, rid, unit_id)), None)
            verdict = next(iter(read.verdicts(conn, rid, unit_id)), None)
            urge = next(iter(read.urges(conn, rid, unit_id)), None)
            checks = read.rechecks(conn, rid, unit_id)
            if not any((score, notice, verdict, urge, checks)):
                continue
            name = score.name if score else name
            entries.append(UnitRound(info, score, notice, verdict.verdict if verdict else None, urge))
            if score is not None:
                _mark_found(tracks, info.name, read.findings(conn, rid, unit_id))
            for c in checks:
                track = tracks.setdefault((c.indicator_id, c.ref), FindingTrack(c.indicator_id, c.ref, "",
                                                                                 c.message or ""))
                track.statuses[info.name] = c.status
    if not entries:
        return None
    for e in entries:   # a scored round that did not find a followed finding
        if e.score is not None:
            for track in tracks.values():
                track.statuses.setdefault(e.round.name, NOT_FOUND)
    return UnitHistory(unit_id, name, entries, list(tracks.values()))


def _mark_found(tracks: dict, round_name: str, findings) -> None:
    for f in findings:
        if f.kind not in PROBLEM_KINDS:
            continue
        track = tracks.setdefault((f.indicator_id, f.ref), FindingTrack(f.indicator_id, f.ref, f.table, f.message))
        track.table = track.table or f.table
        track.message = track.message or f.message
        track.statuses.setdefault(round_name, FOUND)

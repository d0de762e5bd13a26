"""What the store hands out and takes in: plain frozen records (no SQL types)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: the kinds of round: an assessment, a re-check of rectification, an urging of the late
KIND_ASSESS = "测评"
KIND_RECHECK = "复核"
KIND_URGE = "催办"
KINDS = (KIND_ASSESS, KIND_RECHECK, KIND_URGE)


@dataclass(frozen=True)
class RoundInfo:
    """One recorded round (without its per-unit rows)."""

    name: str
    kind: str
    #: the round this one follows up (复核, 催办), by name; None for a 测评
    baseline: str | None
    rubric_id: str | None
    rubric_version: str | None
    rubric_sha256: str | None
    as_of: dt.date | None
    #: the evidence folder or file as given, and the sha256 over its files
    evidence: str | None
    evidence_sha256: str | None
    tool_version: str
    recorded_at: dt.datetime
    n_units: int
    has_results: bool


@dataclass(frozen=True)
class UnitScore:
    unit_id: str
    name: str
    group: str
    total_exact: str
    total_value: float
    grade: str
    rank: int
    group_size: int
    vetoed: bool


@dataclass(frozen=True)
class FindingRecord:
    unit_id: str
    indicator_id: str
    table: str
    ref: str
    message: str
    deduction_exact: str
    deduction_value: float
    kind: str


@dataclass(frozen=True)
class NoticeRecord:
    """A 整改通知书 issued to a unit: its 文号, issue date and rectification deadline."""

    unit_id: str
    doc_number: str
    issue_date: dt.date
    deadline: dt.date


@dataclass(frozen=True)
class RecheckItem:
    """One finding's state at a re-check (复核)."""

    unit_id: str
    indicator_id: str
    ref: str
    #: 已整改 / 部分整改 / 未整改 / 新发现 / 不可整改 / 未提交整改材料
    status: str
    before: str | None = None
    after: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class UnitVerdict:
    """A unit's verdict at a re-check: 整改到位 / 未整改到位."""

    unit_id: str
    verdict: str
    note: str | None = None


@dataclass(frozen=True)
class UrgeRecord:
    """A 催办函 or a 通报 naming a unit that is late."""

    unit_id: str
    doc_number: str
    deadline: dt.date | None
    urged_on: dt.date
    #: 催办 / 通报
    status: str

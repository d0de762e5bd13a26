"""The round store's tables (SQLAlchemy Core), as the newest migration leaves them.

One row in ``rounds`` per recorded round; every other table hangs off it by
``round_id`` and is deleted with it. Points are kept twice: ``*_exact`` is the
exact value of results.json (``"87.5"``, ``"4/3"``), ``*_value`` the rounded
number to show. Dates are ISO dates; ``results_json`` is the round's
results.json, zlib-compressed, from which ``Store.load_results`` rebuilds the
round exactly.

The migrations in ``migrations/versions`` create these tables; a test checks
that the migrated database matches this module.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _round_fk() -> sa.Column:
    return sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False)


rounds = sa.Table(
    "rounds", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    #: 测评 / 复核 / 催办
    sa.Column("kind", sa.String(20), nullable=False),
    #: the round this one follows up (复核 and 催办 rounds), by name
    sa.Column("baseline", sa.String(200), nullable=True),
    sa.Column("rubric_id", sa.String(200), nullable=True),
    sa.Column("rubric_version", sa.String(100), nullable=True),
    sa.Column("rubric_sha256", sa.String(64), nullable=True),
    sa.Column("as_of", sa.Date, nullable=True),
    sa.Column("evidence", sa.Text, nullable=True),
    sa.Column("evidence_sha256", sa.String(64), nullable=True),
    sa.Column("tool_version", sa.String(50), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("n_units", sa.Integer, nullable=False),
    sa.Column("results_json", sa.LargeBinary, nullable=True),
)

unit_scores = sa.Table(
    "unit_scores", metadata,
    _round_fk(),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("group_name", sa.Text, nullable=False),
    sa.Column("total_exact", sa.String(100), nullable=False),
    sa.Column("total_value", sa.Float, nullable=False),
    sa.Column("grade", sa.String(50), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("group_size", sa.Integer, nullable=False),
    sa.Column("vetoed", sa.Boolean, nullable=False),
    sa.PrimaryKeyConstraint("round_id", "unit_id"),
    sa.Index("ix_unit_scores_unit", "unit_id"),
)

indicator_scores = sa.Table(
    "indicator_scores", metadata,
    _round_fk(),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("indicator_id", sa.String(100), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    #: scored / not_applicable / cannot_check / not_provided
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("score_exact", sa.String(100), nullable=True),
    sa.Column("score_value", sa.Float, nullable=True),
    sa.Column("max_exact", sa.String(100), nullable=False),
    sa.PrimaryKeyConstraint("round_id", "unit_id", "indicator_id"),
)

findings = sa.Table(
    "findings", metadata,
    _round_fk(),
    sa.Column("unit_id", sa.String(200), nullable=False),
    #: order of the finding within its unit (results.json order)
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("indicator_id", sa.String(100), nullable=False),
    sa.Column("table_name", sa.String(100), nullable=False),
    sa.Column("ref", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("deduction_exact", sa.String(100), nullable=False),
    sa.Column("deduction_value", sa.Float, nullable=False),
    #: deduction / veto / not_provided / cannot_check / note
    sa.Column("kind", sa.String(20), nullable=False),
    sa.PrimaryKeyConstraint("round_id", "unit_id", "seq"),
    sa.Index("ix_findings_unit", "unit_id", "indicator_id"),
)

notices = sa.Table(
    "notices", metadata,
    _round_fk(),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("doc_number", sa.Text, nullable=False),
    sa.Column("issue_date", sa.Date, nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.PrimaryKeyConstraint("round_id", "unit_id"),
)

recheck_items = sa.Table(
    "recheck_items", metadata,
    _round_fk(),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("indicator_id", sa.String(100), nullable=False),
    sa.Column("ref", sa.Text, nullable=False),
    #: 已整改 / 部分整改 / 未整改 / 新发现 / 不可整改 / 未提交整改材料
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Column("message", sa.Text, nullable=True),
    sa.PrimaryKeyConstraint("round_id", "seq"),
)

unit_verdicts = sa.Table(
    "unit_verdicts", metadata,
    _round_fk(),
    sa.Column("unit_id", sa.String(200), nullable=False),
    #: 整改到位 / 未整改到位
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.PrimaryKeyConstraint("round_id", "unit_id"),
)

urges = sa.Table(
    "urges", metadata,
    _round_fk(),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("doc_number", sa.Text, nullable=False),
    sa.Column("deadline", sa.Date, nullable=True),
    sa.Column("urged_on", sa.Date, nullable=False),
    #: 催办 / 通报
    sa.Column("status", sa.String(20), nullable=False),
    sa.PrimaryKeyConstraint("round_id", "unit_id"),
)

# -- 日查网: the daily website monitor (zwgk collect --record), independent of rounds

monitor_polls = sa.Table(
    "monitor_polls", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    #: the check date of the run (--as-of), and when the poll was recorded
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("polled_at", sa.DateTime, nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    #: the home page's status: an HTTP code or an error word (timeout, dns ...)
    sa.Column("status", sa.String(50), nullable=False),
    sa.Index("ix_monitor_polls_day", "day", "unit_id"),
)

monitor_site_checks = sa.Table(
    "monitor_site_checks", metadata,
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(50), nullable=True),
    sa.Column("last_updated", sa.Date, nullable=True),
    sa.Column("found_on", sa.Text, nullable=True),
    sa.PrimaryKeyConstraint("day", "unit_id", "seq"),
)

monitor_page_checks = sa.Table(
    "monitor_page_checks", metadata,
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("check", sa.String(30), nullable=False),
    sa.Column("result", sa.String(20), nullable=False),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("context", sa.Text, nullable=True),
    sa.PrimaryKeyConstraint("day", "unit_id", "seq"),
)

"""The first schema of the round store: rounds, scores, findings, notices, rechecks, verdicts, urges.

Revision ID: 0001
Revises:
Create Date: 2026-12-04

Frozen: a migration describes the schema as it was, never the current
``scoring.store.schema`` (later changes are later migrations).
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _round_fk() -> sa.Column:
    return sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    _create_rounds()
    _create_scores()
    _create_findings_and_notices()
    _create_loop_tables()


def _create_rounds() -> None:
    """The rounds: one row per recorded 测评, 复核 or 催办 round."""
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
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


def _create_scores() -> None:
    """Each unit's totals, grade and rank, and its score per indicator, per round."""
    op.create_table(
        "unit_scores",
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
    )
    op.create_table(
        "indicator_scores",
        _round_fk(),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("score_exact", sa.String(100), nullable=True),
        sa.Column("score_value", sa.Float, nullable=True),
        sa.Column("max_exact", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "unit_id", "indicator_id"),
    )


def _create_findings_and_notices() -> None:
    """Every finding and every notice issued, per round."""
    op.create_table(
        "findings",
        _round_fk(),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.Column("table_name", sa.String(100), nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("deduction_exact", sa.String(100), nullable=False),
        sa.Column("deduction_value", sa.Float, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "unit_id", "seq"),
    )
    op.create_table(
        "notices",
        _round_fk(),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("doc_number", sa.Text, nullable=False),
        sa.Column("issue_date", sa.Date, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("round_id", "unit_id"),
    )


def _create_loop_tables() -> None:
    """The rectification loop: recheck statuses, per-unit verdicts and urges."""
    op.create_table(
        "recheck_items",
        _round_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("round_id", "seq"),
    )
    op.create_table(
        "unit_verdicts",
        _round_fk(),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("round_id", "unit_id"),
    )
    op.create_table(
        "urges",
        _round_fk(),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("doc_number", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("urged_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "unit_id"),
    )


def downgrade() -> None:
    for table in ("urges", "unit_verdicts", "recheck_items", "notices", "findings", "indicator_scores",
                  "unit_scores", "rounds"):
        op.drop_table(table)

"""Indexes by unit: `zwgk history UNIT` reads one unit across every round.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_unit_scores_unit", "unit_scores", ["unit_id"])
    op.create_index("ix_findings_unit", "findings", ["unit_id", "indicator_id"])


def downgrade() -> None:
    op.drop_index("ix_findings_unit", table_name="findings")
    op.drop_index("ix_unit_scores_unit", table_name="unit_scores")

"""日查网: daily website check snapshots (zwgk collect --record) for zwgk monitor report.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Frozen: describes the monitor tables as first added.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_polls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("polled_at", sa.DateTime, nullable=False),
        sa.Column("unit_id", sa.String(200), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("status", sa.String(50), nullable=False),
    )
    op.create_index("ix_monitor_polls_day", "monitor_polls", ["day", "unit_id"])
    op.create_table(
        "monitor_site_checks",
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
    op.create_table(
        "monitor_page_checks",
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


def downgrade() -> None:
    op.drop_table("monitor_page_checks")
    op.drop_table("monitor_site_checks")
    op.drop_index("ix_monitor_polls_day", table_name="monitor_polls")
    op.drop_table("monitor_polls")

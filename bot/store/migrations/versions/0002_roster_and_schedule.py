"""The roster (who learns) and the schedule's bookkeeping.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as table:
        table.add_column(sa.Column("last_tick_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("members") as table:
        table.add_column(
            sa.Column("in_channel", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        table.add_column(sa.Column("choice", sa.String(length=8), nullable=True))
        table.add_column(
            sa.Column("deactivated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        table.add_column(sa.Column("away_until", sa.DateTime(), nullable=True))
        table.add_column(sa.Column("next_due_at", sa.DateTime(), nullable=True))
        table.create_index(table.f("ix_members_next_due_at"), ["next_due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("members") as table:
        table.drop_index(table.f("ix_members_next_due_at"))
        for column in ("next_due_at", "away_until", "deactivated", "choice", "in_channel"):
            table.drop_column(column)
    with op.batch_alter_table("workspaces") as table:
        table.drop_column("last_tick_at")

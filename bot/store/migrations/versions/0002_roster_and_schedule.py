"""The roster (who learns), the schedule's bookkeeping, the leads' digest and strategy answers.

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
        table.add_column(sa.Column("unreachable", sa.String(length=32), nullable=True))
        table.create_index(table.f("ix_members_next_due_at"), ["next_due_at"], unique=False)
    op.create_table(
        "team_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_team_posts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_posts")),
        sa.UniqueConstraint("workspace_id", "kind", "local_date", name="uq_team_posts_once_a_day"),
    )
    op.create_table(
        "strategy_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=200), nullable=False),
        sa.Column("skill", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_strategy_answers_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_strategy_answers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_answers")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_strategy_answers_delivery_id")),
    )
    with op.batch_alter_table("strategy_answers") as table:
        table.create_index(table.f("ix_strategy_answers_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_table("strategy_answers")
    op.drop_table("team_posts")
    with op.batch_alter_table("members") as table:
        table.drop_index(table.f("ix_members_next_due_at"))
        for column in (
            "unreachable",
            "next_due_at",
            "away_until",
            "deactivated",
            "choice",
            "in_channel",
        ):
            table.drop_column(column)
    with op.batch_alter_table("workspaces") as table:
        table.drop_column("last_tick_at")

"""Counters per member and lesson (lesson_progress), kept by triggers and filled from the history.

A member's history is read from these counters instead of a GROUP BY over every past delivery and
answer (bot.store.progress_sql says how the triggers keep them).

The triggers' SQL is the code's (bot.store.progress_sql), not a copy frozen here: a later change to
the triggers comes with a revision of its own that drops them and creates them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from bot.store import progress_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_progress",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(200), nullable=False),
        sa.Column("skill", sa.String(100), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("last_delivered_at", sa.DateTime(), nullable=False),
        sa.Column("last_delivery", sa.Integer(), nullable=False),
        sa.Column("last_claimed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_lesson_progress_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "lesson_id", name=op.f("pk_lesson_progress")),
    )
    connection = op.get_bind()
    # Filled before the triggers exist, in the same transaction: no row is counted twice.
    connection.exec_driver_sql(progress_sql.BACKFILL)
    progress_sql.install(connection)


def downgrade() -> None:
    connection = op.get_bind()
    for statement in progress_sql.drop(connection.dialect.name):
        connection.exec_driver_sql(statement)
    op.drop_table("lesson_progress")

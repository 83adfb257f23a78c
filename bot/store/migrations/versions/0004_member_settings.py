"""A member's own settings, and weekly answers that can be edited and arrive by several paths.

A member's settings are empty until they choose: an empty value means "the team's default"
(LESSON_TIME, WORKING_DAYS, LESSONS_PER_WEEK, the Slack locale, the country of their zone), so a
change to a team setting still reaches everyone who never chose.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MEMBER_SETTINGS: dict[str, sa.types.TypeEngine[Any]] = {
    "lesson_time": sa.String(length=5),  # "HH:MM", local time
    "working_days": sa.String(length=32),  # "mon,tue,wed,thu,fri"
    "lessons_per_week": sa.Integer(),  # 1 to 5
    "language": sa.String(length=8),  # "en", "el"; empty: Slack's locale
    "holiday_country": sa.String(length=8),  # ISO 3166 alpha-2; empty: the zone's country
    "interests": sa.Text(),  # skill ids, comma-separated
}


def upgrade() -> None:
    with op.batch_alter_table("members") as table:
        for name, kind in MEMBER_SETTINGS.items():
            table.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("strategy_answers") as table:
        # The menu choice (its index) when the question has choices, beside the free text.
        table.add_column(sa.Column("choice", sa.Integer(), nullable=True))
        table.add_column(sa.Column("edited_at", sa.DateTime(), nullable=True))
        # How the answer came: "modal", "dm_reply" or "channel_reply".
        table.add_column(
            sa.Column("source", sa.String(length=16), server_default="modal", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("strategy_answers") as table:
        for name in ("source", "edited_at", "choice"):
            table.drop_column(name)
    with op.batch_alter_table("members") as table:
        for name in reversed(MEMBER_SETTINGS):
            table.drop_column(name)

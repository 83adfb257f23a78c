"""An index for a member's history per lesson: every lesson sent reads it.

`Deliveries.history` groups a member's deliveries by lesson; with every column it reads in one
index, in the order it groups by, SQLite reads the index alone and needs no sort, which halved the
CPU of a lesson for a member with 500 past lessons (bench/lesson_cost).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ["member_id", "lesson_id", "skill", "status", "kind", "sent_at", "claimed_at"]


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_history", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_history")

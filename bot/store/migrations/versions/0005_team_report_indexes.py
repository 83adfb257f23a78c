"""Indexes for the team report: answers and lessons by time.

A period's figures read the period's rows, not the whole history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index("ix_responses_answered_at", ["answered_at"], unique=False)
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_sent_at", ["sent_at"], unique=False)
    with op.batch_alter_table("strategy_answers", schema=None) as batch_op:
        batch_op.create_index("ix_strategy_answers_answered_at", ["answered_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("strategy_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_strategy_answers_answered_at")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_sent_at")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_answered_at")

"""Work shared between processes: a delivery's taken_at, the queue's index, the shared send pace.

The clock may plan a delivery (claim it) and leave its sending to a worker: taken_at says when a
sender took it. Claims from before this revision were taken when they were claimed (the clock sent
at once), so they get their claimed_at: a claim cut off then still resolves as it did.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

QUEUED = "status = 'claimed' AND taken_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE deliveries SET taken_at = claimed_at")
    op.create_index(
        "ix_deliveries_queued",
        "deliveries",
        ["id"],
        unique=False,
        postgresql_where=sa.text(QUEUED),
        sqlite_where=sa.text(QUEUED),
    )
    op.create_table(
        "send_pace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_send_pace_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_pace")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_send_pace_workspace_id")),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
    op.drop_index("ix_deliveries_queued", table_name="deliveries")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("taken_at")

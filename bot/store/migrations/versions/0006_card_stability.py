"""Cards keep fsrs's stability in a column, for the sums of what the team remembers.

The database sums recall (`bot.store.recall`) without reading each card's JSON. Existing cards get
it from their JSON, read back with fsrs itself.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from fsrs import Card

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

cards = sa.table(
    "cards", sa.column("id", sa.Integer), sa.column("fsrs_card", sa.Text), sa.column("stability")
)


def upgrade() -> None:
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stability", sa.Float(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(cards.c.id, cards.c.fsrs_card)).all()
    for card_id, fsrs_card in rows:
        stability = Card.from_json(fsrs_card).stability
        connection.execute(cards.update().where(cards.c.id == card_id).values(stability=stability))


def downgrade() -> None:
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_column("stability")

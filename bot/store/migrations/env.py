"""Alembic environment: runs migrations on the engine that `bot.store.db` hands it."""

from alembic import context

from bot.store.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    # render_as_batch lets ALTER TABLE work on SQLite as well as PostgreSQL.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

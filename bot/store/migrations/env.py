"""Alembic environment: runs migrations on the engine that `bot.store.db` hands it."""

from alembic import context

from bot.store.tables import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration rebuilds an SQLite table (copy, drop, rename). With foreign keys on,
        # dropping the old table deletes every row that refers to it (ON DELETE CASCADE): an
        # upgrade from 0001 lost every delivery and answer. The pragma has no effect inside a
        # transaction, so it is set before the migrations' own.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    elif connection.dialect.name == "postgresql":
        # Requests' limits (bot.store.db) are not a migration's: a big table's new index may take
        # longer, and a migration waits for the locks it needs.
        connection.exec_driver_sql("SET statement_timeout = 0")
        connection.exec_driver_sql("SET lock_timeout = 0")
        connection.commit()
    try:
        with connection.begin():
            # render_as_batch lets ALTER TABLE work on SQLite as well as PostgreSQL.
            context.configure(
                connection=connection, target_metadata=Base.metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                assert not broken, f"the migrations left rows that refer to nothing: {broken}"
    finally:
        # The connection goes back to the pool as every other one is.
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql("RESET statement_timeout")
            connection.exec_driver_sql("RESET lock_timeout")
            connection.commit()

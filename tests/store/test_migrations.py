"""Every migration on a database with data in it, on SQLite and PostgreSQL.

For each revision R of Alembic's graph (and for an empty database): upgrade to R, write the rows
Nudge could have written at R (`migration_data.DATA`), upgrade to the newest revision, and compare
every row of every table with what those rows must read as there: nothing lost, nothing changed
but what the migrations mean to change (a default, a value derived from the row). Then back down
to R, where the migrations can be undone. A revision without an entry in DATA fails with a
message that says so; a migration that loses rows or values fails (tests/fixtures/migrations).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, select

from bot.store.db import MIGRATIONS, make_engine
from bot.store.tables import Base
from bot.store.uow import Database
from tests.conftest import REPO
from tests.store.migration_data import DATA, Revision, Row

Tables = dict[str, list[Row]]
FIXTURES = REPO / "tests" / "fixtures" / "migrations"


def alembic_config(engine: Engine, *more_versions: Path) -> Config:
    """Alembic on `engine`, with the real migrations and any `more_versions` directories."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    locations = [MIGRATIONS / "versions", *more_versions]
    config.set_main_option("version_locations", ":".join(str(path) for path in locations))
    config.attributes["engine"] = engine
    return config


def chain(config: Config) -> list[str]:
    """The revisions from the first to the newest, as Alembic's graph orders them."""
    return [
        script.revision
        for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    ]


REVISIONS = chain(alembic_config(make_engine("sqlite://")))


def entry(data: Mapping[str, Revision], revision: str) -> Revision:
    if revision not in data:
        pytest.fail(
            f"migration {revision} has no entry in tests/store/migration_data.py DATA: add the rows "
            "it lets Nudge write and what older rows hold after it (see that file's docstring)",
            pytrace=False,
        )
    return data[revision]


def _value(value: Any, row: Row) -> Any:
    return value(row) if callable(value) else value


def _fold(tables: Tables, changes: Mapping[str, Mapping[str, Any]], drops: Revision) -> None:
    for name, columns in changes.items():
        for row in tables.get(name, []):
            for column, value in columns.items():
                if column not in row:
                    row[column] = _value(value, row)
    for name, dropped in drops.drops.items():
        if dropped is None:
            tables.pop(name, None)
            continue
        for row in tables.get(name, []):
            for column in dropped:
                row.pop(column, None)


def written_at(order: list[str], data: Mapping[str, Revision], revision: str | None) -> Tables:
    """The rows Nudge could have written with the schema at `revision` (None: empty)."""
    tables: Tables = {}
    for step in order[: 0 if revision is None else order.index(revision) + 1]:
        change = entry(data, step)
        for name, rows in change.rows.items():
            tables.setdefault(name, []).extend(copy.deepcopy(dict(row)) for row in rows)
        _fold(tables, change.columns, change)
    return tables


def read_at_head(order: list[str], data: Mapping[str, Revision], revision: str | None) -> Tables:
    """What the rows written at `revision` must read as once every later migration ran, with
    what the database derives from them (`Revision.derived`)."""
    tables = written_at(order, data, revision)
    for step in order[0 if revision is None else order.index(revision) + 1 :]:
        change = entry(data, step)
        _fold(tables, change.becomes, change)
    for step in order:
        for name, derive in entry(data, step).derived.items():
            tables[name] = derive(tables)
    return tables


def row_key(name: str, row: Row) -> Any:
    """The row's primary key: its id, or the columns of a table keyed otherwise."""
    table = Base.metadata.tables.get(name)
    if "id" in row or table is None:
        return row["id"]
    return tuple(row[column.name] for column in table.primary_key.columns)


def write(connection: Connection, tables: Tables, revision: str | None) -> None:
    schema = MetaData()
    schema.reflect(connection)
    for name, rows in tables.items():
        table = schema.tables.get(name)
        assert table is not None, f"the data for {revision} writes {name}, which is not there"
        for row in rows:
            missing = set(table.columns.keys()) - set(row)
            extra = set(row) - set(table.columns.keys())
            assert not (missing or extra), (
                f"the data written at {revision} for {name} {row.get('id')} leaves out "
                f"{sorted(missing)} or names columns that are not there {sorted(extra)}"
            )
        connection.execute(table.insert(), rows)


def read(connection: Connection) -> Tables:
    schema = MetaData()
    schema.reflect(connection)
    return {
        name: [
            dict(row._mapping)
            for row in connection.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for name, table in schema.tables.items()
        if name != "alembic_version"
    }


def differences(expected: Tables, found: Tables) -> list[str]:
    """Every way `found` differs from `expected`, one line each."""
    said: list[str] = []
    for name in sorted(set(expected) | set(found)):
        want = {row_key(name, row): row for row in expected.get(name, [])}
        have = {row_key(name, row): row for row in found.get(name, [])}
        if name not in found and want:
            said.append(f"{name}: the table is gone, and its {len(want)} rows with it")
            continue
        if lost := sorted(set(want) - set(have)):
            said.append(f"{name}: rows {lost} are lost")
        if extra := sorted(set(have) - set(want)):
            said.append(f"{name}: rows {extra} appeared")
        for key in sorted(set(want) & set(have)):
            before, after = want[key], have[key]
            for column in sorted(set(before) | set(after)):
                if column not in after:
                    said.append(
                        f"{name} {key}: column {column} is gone (it held {before[column]!r})"
                    )
                elif column not in before:
                    said.append(
                        f"{name} {key}: {column} = {after[column]!r}, and the data table does not "
                        "say what it should hold (`becomes` of the revision that adds it)"
                    )
                elif before[column] != after[column]:
                    said.append(
                        f"{name} {key}: {column} is {after[column]!r}, should be {before[column]!r}"
                    )
    return said


def _plain(value: Any) -> Any:
    """A stored value as the code's export shows it (times are aware UTC there)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    return value.isoformat() if isinstance(value, date) else value


def read_by_the_code(engine: Engine, expected: Tables) -> list[str]:
    """Every member's rows as the current code reads them (`/learn export`): each row it finds
    holds what it should, and every row of the tables it reads belongs to some member."""
    said: list[str] = []
    seen: dict[str, set[Any]] = {}
    with Database(engine).uow() as uow:
        for member in expected.get("members", []):
            for name, rows in uow.member_data.rows(member["id"]).items():
                want = {row_key(name, row): row for row in expected.get(name, [])}
                for row in rows:
                    seen.setdefault(name, set()).add(row_key(name, row))
                    plain = {
                        column: _plain(value) for column, value in want[row_key(name, row)].items()
                    }
                    if row != plain:
                        said.append(
                            f"the code reads {name} {row_key(name, row)} as {row}, not {plain}"
                        )
    for name, ids in seen.items():
        if unread := sorted({row_key(name, row) for row in expected.get(name, [])} - ids):
            said.append(f"the code finds no member for {name} rows {unread}")
    return said


def upgrade_with_data(
    engine: Engine, config: Config, data: Mapping[str, Revision], revision: str | None
) -> Tables:
    """Upgrade to `revision`, write its rows, upgrade to head, and fail with every difference."""
    order = chain(config)
    if revision is not None:
        command.upgrade(config, revision)
    with engine.begin() as connection:
        write(connection, written_at(order, data, revision), revision)
    command.upgrade(config, "head")
    expected = read_at_head(order, data, revision)
    with engine.connect() as connection:
        found = read(connection)
    said = differences(expected, found)
    assert not said, f"upgrading from {revision or 'empty'} to {order[-1]}:\n" + "\n".join(said)
    return expected


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = make_engine(database_url)
    yield created
    created.dispose()


def test_every_revision_has_an_entry_in_the_data_table() -> None:
    for revision in REVISIONS:
        entry(DATA, revision)
    assert set(DATA) == set(REVISIONS), "DATA names revisions that do not exist"


def test_the_data_at_head_fills_every_column_of_every_table() -> None:
    """Representative rows: each column holds a value (not NULL) in at least one row, so that a
    migration that loses a column's values has something to lose."""
    filled = read_at_head(REVISIONS, DATA, REVISIONS[-1])
    empty = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if all(row.get(column.name) is None for row in filled.get(table.name, []))
    ]
    assert empty == [], "give these columns a value in tests/store/migration_data.py"


@pytest.mark.parametrize("revision", [None, *REVISIONS], ids=["empty", *REVISIONS])
def test_upgrading_from_each_revision_keeps_every_row_and_its_meaning(
    engine: Engine, revision: str | None
) -> None:
    expected = upgrade_with_data(engine, alembic_config(engine), DATA, revision)
    assert read_by_the_code(engine, expected) == []


def _undoable(revision: str | None) -> bool:
    later = REVISIONS[0 if revision is None else REVISIONS.index(revision) + 1 :]
    return all(DATA[step].downgrade for step in later if step in DATA)


@pytest.mark.parametrize("revision", [None, *REVISIONS[:-1]], ids=["empty", *REVISIONS[:-1]])
def test_downgrading_to_each_revision_keeps_the_rows_it_knows(
    engine: Engine, revision: str | None
) -> None:
    if not _undoable(revision):
        pytest.skip(f"a migration after {revision} cannot be undone")
    config = alembic_config(engine)
    upgrade_with_data(engine, config, DATA, REVISIONS[-1])
    command.downgrade(config, revision or "base")
    # The rows written at head, with only the tables and columns that exist at `revision`.
    schema = {
        name: set(rows[0]) for name, rows in written_at(REVISIONS, DATA, revision).items() if rows
    }
    at_head = written_at(REVISIONS, DATA, REVISIONS[-1])
    expected = {
        name: [{c: v for c, v in row.items() if c in schema[name]} for row in rows]
        for name, rows in at_head.items()
        if name in schema
    }
    with engine.connect() as connection:
        found = read(connection)
    said = differences(expected, found)
    assert not said, f"downgrading to {revision or 'empty'}:\n" + "\n".join(said)


# -- a migration that loses data fails its test ----------------------------------------------------

RESPONSE_SOURCE = Revision(
    columns={"responses": {"source": "button"}}, becomes={"responses": {"source": "button"}}
)


def _minutes(row: Row) -> int | None:
    time = row["lesson_time"]
    return None if time is None else int(time[:2]) * 60 + int(time[3:])


LESSON_MINUTE = Revision(
    columns={"members": {"lesson_minute": _minutes}},
    becomes={"members": {"lesson_minute": _minutes}},
    drops={"members": ["lesson_time"]},
)


@pytest.mark.parametrize(
    ("fixture", "change"),
    [("keeps_rows", RESPONSE_SOURCE), ("converts_values", LESSON_MINUTE)],
)
def test_a_migration_that_keeps_the_data_passes(
    engine: Engine, fixture: str, change: Revision
) -> None:
    """The good twins of the lossy migrations below, so that their failure is the migration's."""
    config = alembic_config(engine, FIXTURES / fixture)
    (added,) = set(chain(config)) - set(REVISIONS)
    upgrade_with_data(engine, config, {**DATA, added: change}, REVISIONS[-1])


@pytest.mark.parametrize(
    ("fixture", "change", "said"),
    [
        # Rebuilds `responses` with a new column and forgets to copy the rows across.
        ("loses_rows", RESPONSE_SOURCE, r"responses: rows \[1, 2\] are lost"),
        # Turns "08:00" into 8 (hours) instead of 480 (minutes), and drops the original.
        ("loses_values", LESSON_MINUTE, r"members 1: lesson_minute is 8, should be 480"),
    ],
)
def test_a_migration_that_loses_data_fails(
    engine: Engine, fixture: str, change: Revision, said: str
) -> None:
    config = alembic_config(engine, FIXTURES / fixture)
    (added,) = set(chain(config)) - set(REVISIONS)
    with pytest.raises(AssertionError, match=said):
        upgrade_with_data(engine, config, {**DATA, added: change}, REVISIONS[-1])

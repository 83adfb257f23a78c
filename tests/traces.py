"""Where the database still names a person: every table and column, read by reflection, so a table
added later is searched without a change here (the export and forget tests use it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Integer, MetaData, String, Table, Text, or_, select

# Tables with no column that could name a person (a workspace's send pace: a number per workspace).
NAMES_NOBODY = {"send_pace"}


def _reflected(engine: Engine) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(engine)
    return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


def _names_member(table: Table, member_id: int) -> list[Any]:
    """Conditions for a column that is the member's id: `members.id`, or any integer column that
    refers to it. (Other integer columns, an answer's index say, may hold the same number by
    chance: they name nobody.)"""
    return [
        column == member_id
        for column in table.columns
        if isinstance(column.type, Integer)
        and (
            (table.name == "members" and column.name == "id")
            or any(key.column.table.name == "members" for key in column.foreign_keys)
        )
    ]


def traces(engine: Engine, slack_user_id: str, member_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row, by table, that holds the Slack user id in any text column (anywhere in it) or
    the member id in a column that refers to members."""
    found: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for table in _reflected(engine):
            if table.name in NAMES_NOBODY:
                continue
            conditions = [
                column.contains(slack_user_id)
                for column in table.columns
                if isinstance(column.type, String | Text)
            ] + _names_member(table, member_id)
            assert conditions or not table.columns, table.name
            query = select(table).where(or_(*conditions)).order_by(*table.primary_key.columns)
            rows = connection.execute(query).mappings().all()
            if rows:
                found[table.name] = [dict(row) for row in rows]
    return found


def as_exported(row: dict[str, Any]) -> dict[str, Any]:
    """A reflected row as the export writes it: times as ISO text in UTC."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.replace(tzinfo=None).isoformat() + "+00:00"
        return value.isoformat() if isinstance(value, date) else value

    return {column: plain(value) for column, value in row.items()}


def table_names(engine: Engine) -> list[str]:
    return [t.name for t in _reflected(engine)]

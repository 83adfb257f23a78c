"""Every row about one member, found through the tables' own foreign keys: what `/learn export`
hands them and what `/learn forget` deletes.

A row is about the member when it is their `members` row, refers to it, or refers to a row that
is about them (a response refers to their delivery). The tables' metadata says which is which, so
a table added later that refers to a member is exported and forgotten without a change here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, or_, select

from bot.store import tables
from bot.store.lesson_sql import Repository

# A value as JSON holds it: times and days as ISO 8601 text.
Plain = str | int | float | bool | None


def _owned(member_id: int) -> dict[Table, ColumnElement[bool]]:
    """Per table, the condition that picks the member's rows, parents before their children."""
    members = tables.Member.__table__
    assert isinstance(members, Table)
    owned: dict[Table, ColumnElement[bool]] = {members: members.c.id == member_id}
    for table in tables.Base.metadata.sorted_tables:  # a parent always comes before its children
        if table is members:
            continue
        conditions = [
            key.parent == member_id
            if key.column.table is members
            else key.parent.in_(select(key.column).where(owned[key.column.table]))
            for key in table.foreign_keys
            if key.column.table in owned
        ]
        if conditions:
            owned[table] = or_(*conditions)
    return owned


def _plain(value: Any) -> Plain:
    if isinstance(value, datetime | date):
        return value.isoformat()
    assert value is None or isinstance(value, str | int | float | bool), type(value)
    return value


class MemberData(Repository):
    def rows(self, member_id: int) -> dict[str, list[dict[str, Plain]]]:
        """Every row about the member, by table name, each row as {column: value}, oldest first."""
        found: dict[str, list[dict[str, Plain]]] = {}
        for table, condition in _owned(member_id).items():
            order = [column for column in table.primary_key.columns]
            result = self._session.execute(select(table).where(condition).order_by(*order))
            found[table.name] = [
                {column: _plain(value) for column, value in row._mapping.items()} for row in result
            ]
        return found

    def delete(self, member_id: int) -> dict[str, int]:
        """Delete every row about the member, children before parents; how many, by table name."""
        deleted: dict[str, int] = {}
        for table, condition in reversed(_owned(member_id).items()):
            done = self._session.execute(delete(table).where(condition))
            deleted[table.name] = int(getattr(done, "rowcount", 0) or 0)
        return deleted

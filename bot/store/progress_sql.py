"""The database triggers that keep `lesson_progress` (tables.LessonProgress) equal to the member's
deliveries and answers, on SQLite and PostgreSQL.

Triggers rather than writes from the repositories: every path that changes what a member's
history counts (the sent mark, `Deliveries.resolve_stale`'s bulk UPDATE, an answer, `/learn
forget`, rows written by SQL in the bench or a seed) keeps the counters right without knowing
about them, and the lesson's path pays no extra statement. The common changes (a delivery
becoming delivered, an answer) add to the counters; the rare ones (a delivered row changed or
deleted, an answer changed) count that one lesson of that member again from its rows, which is
always right whatever order a cascade deletes rows in.

Created with the tables by the metadata (`install`, on `Base.metadata`'s after_create) and by
migration 0010; `NAMES` lists them for the test that compares the two. A migration that builds
`deliveries` or `responses` anew (SQLite's way to change a column) drops them first and installs
them after (`drop`, `install`), as tests/fixtures/migrations/loses_rows does: SQLite will not
rename a table in under a trigger that names it.
"""

from __future__ import annotations

from typing import Any

# Deliveries that teach (a lesson, scheduled or asked for, or a review), as opposed to the weekly
# question and its reminder.
LESSON_KINDS = ("lesson", "review")
# A delivery counts as sent when Slack said so, or when its send was cut off and may have reached
# the member ("unknown", see Deliveries.resolve_stale): counted once, never sent again.
DELIVERED = ("sent", "unknown")

COLUMNS = (
    "member_id, lesson_id, skill, delivered, answered, correct, last_delivered_at, "
    "last_delivery, last_claimed_at"
)


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def counted(row: str) -> str:
    """The condition under which a delivery row counts in the history (`row`: its alias)."""
    return f"{row}.status IN ({_listed(DELIVERED)}) AND {row}.kind IN ({_listed(LESSON_KINDS)})"


# A member's lesson counted again from its rows: what `lesson_progress` holds for it. The skill is
# that of its latest delivery (a lesson moved to another area counts in its new one).
_SAME = (
    "d.member_id = lesson_progress.member_id AND d.lesson_id = lesson_progress.lesson_id"
    f" AND {counted('d')}"
)
_ANSWERS = f"FROM deliveries d JOIN responses r ON r.delivery_id = d.id WHERE {_SAME}"
_RECOUNT = f"""
    delivered = (SELECT count(*) FROM deliveries d WHERE {_SAME}),
    answered = (SELECT count(*) {_ANSWERS}),
    correct = (SELECT count(*) {_ANSWERS} AND r.correct),
    skill = (SELECT d.skill FROM deliveries d WHERE {_SAME} ORDER BY d.id DESC LIMIT 1),
    last_delivered_at = (SELECT max(coalesce(d.sent_at, d.claimed_at)) FROM deliveries d
        WHERE {_SAME}),
    last_delivery = (SELECT max(d.id) FROM deliveries d WHERE {_SAME}),
    last_claimed_at = (SELECT max(d.claimed_at) FROM deliveries d WHERE {_SAME})"""


def _recount(where: str) -> str:
    """Statements that count the `where` rows of lesson_progress again (none is added)."""
    return f"""
    DELETE FROM lesson_progress WHERE ({where})
        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE {_SAME});
    UPDATE lesson_progress SET {_RECOUNT} WHERE {where};"""


def _add_new(greatest: str) -> str:
    """NEW, a delivery that has just come to count, added to its lesson's counters; an answer
    given before the sent mark was written (a quick press) is added with it."""
    return f"""
    INSERT INTO lesson_progress ({COLUMNS}) VALUES (
        NEW.member_id, NEW.lesson_id, NEW.skill, 1,
        (SELECT count(*) FROM responses r WHERE r.delivery_id = NEW.id),
        (SELECT count(*) FROM responses r WHERE r.delivery_id = NEW.id AND r.correct),
        coalesce(NEW.sent_at, NEW.claimed_at), NEW.id, NEW.claimed_at)
    ON CONFLICT (member_id, lesson_id) DO UPDATE SET
        delivered = lesson_progress.delivered + 1,
        answered = lesson_progress.answered + excluded.answered,
        correct = lesson_progress.correct + excluded.correct,
        skill = CASE WHEN excluded.last_delivery > lesson_progress.last_delivery
            THEN excluded.skill ELSE lesson_progress.skill END,
        last_delivered_at = {greatest}(lesson_progress.last_delivered_at,
            excluded.last_delivered_at),
        last_delivery = {greatest}(lesson_progress.last_delivery, excluded.last_delivery),
        last_claimed_at = {greatest}(lesson_progress.last_claimed_at, excluded.last_claimed_at);"""


def _changed(distinct: str) -> str:
    """The condition under which a counted delivery changed in a way its counters see."""
    columns = ("member_id", "lesson_id", "skill", "kind", "status", "sent_at", "claimed_at", "id")
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in columns)


_OLD_OR_NEW = (
    "(member_id = OLD.member_id AND lesson_id = OLD.lesson_id)"
    " OR (member_id = NEW.member_id AND lesson_id = NEW.lesson_id)"
)
# A changed row that still counts may have moved to a lesson without counters yet: a row of
# zeros for it, which the recount then fills.
_PLACE_NEW = f"""
    INSERT INTO lesson_progress ({COLUMNS})
    SELECT NEW.member_id, NEW.lesson_id, NEW.skill, 0, 0, 0,
        coalesce(NEW.sent_at, NEW.claimed_at), NEW.id, NEW.claimed_at
    WHERE {counted("NEW")}
    ON CONFLICT (member_id, lesson_id) DO NOTHING;"""
_ANSWER_OF = (
    "(member_id, lesson_id) IN (SELECT d.member_id, d.lesson_id FROM deliveries d"
    " WHERE d.id = {row}.delivery_id AND {counted})"
)
_ANSWERED = f"""
    UPDATE lesson_progress SET answered = answered + 1,
        correct = correct + CASE WHEN NEW.correct THEN 1 ELSE 0 END
    WHERE {_ANSWER_OF.format(row="NEW", counted=counted("d"))};"""
# An answer deleted while its delivery stays (else the delivery's own trigger recounts).
_UNANSWERED = f"""
    UPDATE lesson_progress SET answered = answered - 1,
        correct = correct - CASE WHEN OLD.correct THEN 1 ELSE 0 END
    WHERE {_ANSWER_OF.format(row="OLD", counted=counted("d"))};"""
_ANSWER_CHANGED = _recount(
    "(member_id, lesson_id) IN (SELECT d.member_id, d.lesson_id FROM deliveries d"
    " WHERE d.id IN (OLD.delivery_id, NEW.delivery_id))"
)


def _triggers(distinct: str, greatest: str) -> list[tuple[str, str, str, str, str]]:
    """(name, table, event, condition, body) of each trigger; its body runs for each row."""
    old, new = counted("OLD"), counted("NEW")
    return [
        ("lesson_progress_delivered", "deliveries", "INSERT", new, _add_new(greatest)),
        (
            "lesson_progress_now_delivered",
            "deliveries",
            "UPDATE",
            f"({new}) AND NOT ({old})",
            _add_new(greatest),
        ),
        (
            "lesson_progress_delivery_changed",
            "deliveries",
            "UPDATE",
            f"({old}) AND ({_changed(distinct)})",
            _PLACE_NEW + _recount(_OLD_OR_NEW),
        ),
        (
            "lesson_progress_delivery_deleted",
            "deliveries",
            "DELETE",
            old,
            _recount("member_id = OLD.member_id AND lesson_id = OLD.lesson_id"),
        ),
        ("lesson_progress_answered", "responses", "INSERT", "", _ANSWERED),
        ("lesson_progress_answer_changed", "responses", "UPDATE", "", _ANSWER_CHANGED),
        ("lesson_progress_answer_deleted", "responses", "DELETE", "", _UNANSWERED),
    ]


NAMES = tuple(name for name, *_rest in _triggers("IS NOT", "max"))


def create(dialect: str) -> list[str]:
    """The statements that create the triggers on `dialect` ("sqlite" or "postgresql")."""
    if dialect != "postgresql":
        return [
            f"CREATE TRIGGER {name} AFTER {event} ON {table}"
            + (f" WHEN {condition}" if condition else "")
            + f"\nBEGIN{body}\nEND"
            for name, table, event, condition, body in _triggers("IS NOT", "max")
        ]
    statements = []
    for name, table, event, condition, body in _triggers("IS DISTINCT FROM", "greatest"):
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN{body}\n    RETURN NULL;\nEND\n$$"
        )
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
            + (f" WHEN ({condition})" if condition else "")
            + f" EXECUTE FUNCTION {name}()"
        )
    return statements


def drop(dialect: str) -> list[str]:
    """The statements that drop them (migration 0010's downgrade)."""
    if dialect != "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in NAMES]
    return [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in NAMES]


def install(connection: Any) -> None:
    """Create the triggers on `connection` (a SQLAlchemy Connection, or Alembic's)."""
    for statement in create(connection.dialect.name):
        connection.exec_driver_sql(statement)


# The counters computed from the rows themselves, for every member and lesson at once: migration
# 0010's backfill (a new database's triggers fill the table as rows come).
BACKFILL = f"""
INSERT INTO lesson_progress ({COLUMNS})
SELECT g.member_id, g.lesson_id, l.skill, g.delivered, g.answered, g.correct,
    g.last_delivered_at, g.last_delivery, g.last_claimed_at
FROM (
    SELECT d.member_id, d.lesson_id, count(*) AS delivered, count(r.id) AS answered,
        sum(CASE WHEN r.correct THEN 1 ELSE 0 END) AS correct,
        max(coalesce(d.sent_at, d.claimed_at)) AS last_delivered_at,
        max(d.id) AS last_delivery, max(d.claimed_at) AS last_claimed_at
    FROM deliveries d LEFT JOIN responses r ON r.delivery_id = d.id
    WHERE {counted("d")}
    GROUP BY d.member_id, d.lesson_id
) g JOIN deliveries l ON l.id = g.last_delivery"""

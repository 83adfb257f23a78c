"""A team and its answers, small enough to count by hand (the counts are in the tests).

Now is Thursday 26 November 2026, 09:30 UTC. With 2 weeks, the period is [12 Nov 09:30, 26 Nov
09:30) in two weeks W2 [12, 19) and W3 [19, 26), and the one before it [29 Oct, 12 Nov) in W0
[29 Oct, 5 Nov) and W1 [5, 12).

The team: Lea (the lead, Greek), Ann, Bob, Cat and Eve; Dan left with `/learn leave`, so neither he
nor his answers count. Eve has never answered anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert

from bot.store import tables

TEAM = "T0ACME001"
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
LEAD = "U0LEA00001"
PEOPLE = {  # Slack id -> (name, locale, choice)
    LEAD: ("Λέα Αντωνίου", "el-GR", None),
    "U0ANN00001": ("Ann", "en-US", None),
    "U0BOB00001": ("Bob", "en-US", None),
    "U0CAT00001": ("Cat", "en-GB", None),
    "U0DAN00001": ("Dan", "en-US", "leave"),
    "U0EVE00001": ("Eve", "en-US", None),
}
NAMES = {user: name for user, (name, _locale, _choice) in PEOPLE.items()}
QUESTION, OLD_QUESTION = "q-alpha-plan", "q-beta-old"  # the second is no longer in the library


def at(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


# (who, lesson, skill, sent, answered right?, answered at); None: not answered
LESSONS: list[tuple[str, str, str, datetime, bool | None, datetime | None]] = [
    # the period before (W0, W1)
    ("U0ANN00001", "alpha-3", "alpha", at(30, 10), True, at(30, 10, 11)),
    ("U0CAT00001", "alpha-1", "alpha", at(2), True, at(2, 11, 12)),
    ("U0ANN00001", "beta-3", "beta", at(6), False, at(6, 11, 11)),
    ("U0DAN00001", "alpha-1", "alpha", at(3), True, at(3, 11, 11)),  # left: not counted
    ("U0ANN00001", "alpha-1", "alpha", at(1, 10), True, at(1, 10, 11)),  # before both periods
    # the period (W2, W3)
    ("U0ANN00001", "alpha-1", "alpha", at(13), True, at(13, 11, 11)),
    ("U0BOB00001", "alpha-2", "alpha", at(14), False, at(14, 11, 11)),
    ("U0ANN00001", "beta-1", "beta", at(20), True, at(20, 11, 11)),
    ("U0BOB00001", "beta-2", "beta", at(21), True, at(21, 11, 11)),
    ("U0CAT00001", "beta-1", "beta", at(21, 11, 8), True, at(21, 11, 9)),
    ("U0CAT00001", "gamma-1", "gamma", at(13), None, None),
    ("U0LEA00001", "gamma-2", "gamma", at(22), False, at(22, 11, 11)),
    ("U0ANN00001", "gamma-3", "gamma", at(23), True, at(23, 11, 11)),
    ("U0DAN00001", "gamma-1", "gamma", at(15), True, at(15, 11, 11)),  # left: not counted
]
# (question, sent, [(who, answered at)]) : every team member but Eve got the first, all the second
QUESTIONS = [
    (QUESTION, at(16, 11, 9), ["U0LEA00001", "U0ANN00001", "U0BOB00001", "U0CAT00001"]),
    (
        OLD_QUESTION,
        at(23, 11, 9),
        ["U0LEA00001", "U0ANN00001", "U0BOB00001", "U0CAT00001", "U0EVE00001"],
    ),
]
ANSWERS = {  # (question, who) -> answered at
    (QUESTION, "U0CAT00001"): at(17),
    (QUESTION, "U0ANN00001"): at(18),
    (OLD_QUESTION, "U0BOB00001"): at(24),
}


def seed(engine: Engine, team_id: str = TEAM) -> dict[str, int]:
    """The rows above; the member ids by Slack id."""
    with engine.begin() as connection:
        workspace = connection.execute(
            insert(tables.Workspace).values(team_id=team_id, name="Acme", created_at=at(1, 9))
        ).inserted_primary_key
        assert workspace is not None
        ids: dict[str, int] = {}
        for user, (name, locale, choice) in PEOPLE.items():
            row = {
                "workspace_id": workspace[0],
                "slack_user_id": user,
                "name": name,
                "tz": "UTC",
                "locale": locale,
                "joined_at": at(1, 9),
                "in_channel": True,
                "choice": choice,
            }
            key = connection.execute(insert(tables.Member).values(**row)).inserted_primary_key
            assert key is not None
            ids[user] = key[0]

        def deliver(
            user: str, kind: str, lesson: str, skill: str, sent: datetime, **more: Any
        ) -> int:
            values = {
                "member_id": ids[user],
                "kind": kind,
                "local_date": sent.date() if kind != "lesson" else None,
                "lesson_id": lesson,
                "skill": skill,
                "status": "sent",
                "claimed_at": sent,
                "sent_at": sent,
                **more,
            }
            key = connection.execute(insert(tables.Delivery).values(**values)).inserted_primary_key
            assert key is not None
            return int(key[0])

        for user, lesson, skill, sent, right, answered in LESSONS:
            delivery = deliver(user, "lesson", lesson, skill, sent)
            if answered is not None:
                connection.execute(
                    insert(tables.Response).values(
                        delivery_id=delivery,
                        member_id=ids[user],
                        lesson_id=lesson,
                        skill=skill,
                        choice=0,
                        correct=bool(right),
                        answered_at=answered,
                    )
                )
        # A lesson Slack refused is not a lesson the member had.
        deliver("U0BOB00001", "lesson", "gamma-3", "gamma", at(20), status="failed")
        for question, sent, users in QUESTIONS:
            skill = "alpha" if question == QUESTION else "beta"
            for user in users:
                delivery = deliver(user, "question", question, skill, sent)
                if (question, user) in ANSWERS:
                    connection.execute(
                        insert(tables.StrategyAnswer).values(
                            delivery_id=delivery,
                            member_id=ids[user],
                            question_id=question,
                            skill=skill,
                            text="An answer.",
                            answered_at=ANSWERS[question, user],
                        )
                    )
    return ids

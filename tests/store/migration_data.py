"""The representative data for the migration tests (tests/store/test_migrations.py): one entry per
Alembic revision, saying what Nudge could write once that revision is applied and what older rows
read as after it.

A new migration needs an entry here; the tests fail, naming the revision, until it has one:

- `rows`: rows that the revision lets Nudge write (of the tables it creates, or more rows of older
  ones), every column of the table as it is at that revision;
- `columns`: for the columns it adds to older tables, the value Nudge writes in the rows listed
  by earlier entries (a value, or a function of the row);
- `becomes`: what those columns hold in rows written *before* the revision: its server default,
  or what the migration derives from the row (the row's meaning, which the test checks);
- `drops`: columns (or, with None, whole tables) the revision removes on purpose;
- `derived`: tables the database fills from other tables' rows (its triggers, the migration's
  backfill), never written by the test: what they must hold, as a function of the other rows;
- `downgrade`: False when the migration cannot be undone.

Times are naive UTC, as the tables store them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from fsrs import Card, State

Row = dict[str, Any]
Value = Any  # a value, or a Callable[[Row], Any] computed from the row it goes into


@dataclass(frozen=True)
class Revision:
    rows: Mapping[str, Sequence[Row]] = field(default_factory=dict)
    columns: Mapping[str, Mapping[str, Value]] = field(default_factory=dict)
    becomes: Mapping[str, Mapping[str, Value]] = field(default_factory=dict)
    drops: Mapping[str, Sequence[str] | None] = field(default_factory=dict)
    derived: Mapping[str, Callable[[Mapping[str, Sequence[Row]]], list[Row]]] = field(
        default_factory=dict
    )
    downgrade: bool = True


def by_id(values: Mapping[int, Any]) -> Callable[[Row], Any]:
    """A column's value per row id (None for the rows not named)."""
    return lambda row: values.get(row["id"])


def _stability(row: Row) -> float | None:
    """What migration 0006 derives: the stability in the card's fsrs JSON."""
    return Card.from_json(row["fsrs_card"]).stability


def lesson_progress(tables: Mapping[str, Sequence[Row]]) -> list[Row]:
    """What the counters per member and lesson hold for these deliveries and responses (migration
    0010's backfill, then its triggers), counted here from the rows one by one, oldest first."""
    answers = {row["delivery_id"]: row["correct"] for row in tables.get("responses", [])}
    counters: dict[tuple[int, str], Row] = {}
    for row in sorted(tables.get("deliveries", []), key=lambda row: row["id"]):
        if row["status"] not in ("sent", "unknown") or row["kind"] not in ("lesson", "review"):
            continue
        key = (row["member_id"], row["lesson_id"])
        was = counters.get(key, {"delivered": 0, "answered": 0, "correct": 0})
        delivered_at = row["sent_at"] or row["claimed_at"]
        counters[key] = {
            "member_id": row["member_id"],
            "lesson_id": row["lesson_id"],
            "skill": row["skill"],
            "delivered": was["delivered"] + 1,
            "answered": was["answered"] + (row["id"] in answers),
            "correct": was["correct"] + bool(answers.get(row["id"])),
            "last_delivered_at": max(delivered_at, was.get("last_delivered_at", delivered_at)),
            "last_delivery": row["id"],
            "last_claimed_at": max(
                row["claimed_at"], was.get("last_claimed_at", row["claimed_at"])
            ),
        }
    return list(counters.values())


def _at(day: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(2026, 11, day, hour, minute)


def _card(card_id: int, state: State, stability: float | None, reviewed: datetime) -> str:
    aware = reviewed.replace(tzinfo=UTC)
    card = Card(
        card_id=card_id,
        state=state,
        step=None if state is State.Review else 0,
        stability=stability,
        difficulty=None if stability is None else 5.25,
        due=aware.replace(day=aware.day + 3),
        last_review=aware,
    )
    return card.to_json()


# A weekly answer in the member's own words: Greek, quotes, a newline and a long dash must all
# come back byte for byte.
ANSWER = (
    "Στο LinkedIn μιλάμε σαν δελτίο τύπου, στο Instagram σαν φίλος.\n"
    "Last week's Reel caption slipped into agency jargon — I'd open with the customer's \"own\" words."
)

# slack_sdk's installation store rows (migration 0008): a bot, and one whose token rotates.
_BOT: Row = {
    "id": 1,
    "client_id": "1234567890.1234567890",
    "app_id": "A0NUDGE001",
    "enterprise_id": None,
    "enterprise_name": None,
    "team_id": "T0ACME0001",
    "team_name": "Acme Social",
    "bot_token": "xoxb-test-token",
    "bot_id": "B0NUDGE00",
    "bot_user_id": "U0NUDGE00",
    "bot_scopes": "chat:write,commands",
    "bot_refresh_token": None,
    "bot_token_expires_at": None,
    "is_enterprise_install": False,
    "installed_at": _at(4, 12, 0),
}
_ROTATED_BOT: Row = {
    **_BOT,
    "id": 2,
    "enterprise_id": "E0GRID0001",
    "enterprise_name": "Grid",
    "team_id": "T0BAKERY01",
    "team_name": "Olive Bakery",
    "bot_token": "xoxe.xoxb-rotated",
    "bot_refresh_token": "xoxe-1-refresh",
    "bot_token_expires_at": _at(5, 0, 0),
    "installed_at": _at(4, 13, 0),
}
_NO_USER_TOKEN: Row = dict.fromkeys(
    (
        "enterprise_url",
        "user_token",
        "user_scopes",
        "user_refresh_token",
        "user_token_expires_at",
        "incoming_webhook_url",
        "incoming_webhook_channel",
        "incoming_webhook_channel_id",
        "incoming_webhook_configuration_url",
    )
)
_USER_TOKEN: Row = {
    "enterprise_url": "https://grid.enterprise.slack.com/",
    "user_token": "xoxp-user",
    "user_scopes": "identify",
    "user_refresh_token": "xoxe-1-user-refresh",
    "user_token_expires_at": _at(5, 0, 0),
    "incoming_webhook_url": "https://hooks.example.com/services/T/B/X",
    "incoming_webhook_channel": "#owners",
    "incoming_webhook_channel_id": "C1OWNERS01",
    "incoming_webhook_configuration_url": "https://olive-bakery.example.com/x",
}

DATA: dict[str, Revision] = {
    "0001": Revision(
        rows={
            "workspaces": [
                {"id": 1, "team_id": "T0ACME0001", "name": "Acme Social", "created_at": _at(2)},
            ],
            "members": [
                {
                    "id": 1,
                    "workspace_id": 1,
                    "slack_user_id": "U0ANNA0001",
                    "name": "Anna Papadopoulou",
                    "tz": "Europe/Athens",
                    "locale": "el-GR",
                    "is_lead": True,
                    "is_admin": False,
                    "paused_until": date(2026, 12, 24),
                    "dm_channel_id": "D0ANNA0001",
                    "joined_at": _at(2, 9, 0),
                },
                {
                    "id": 2,
                    "workspace_id": 1,
                    "slack_user_id": "U0BEN00001",
                    "name": "Ben Carter",
                    "tz": "America/New_York",
                    "locale": "en-US",
                    "is_lead": False,
                    "is_admin": True,
                    "paused_until": None,
                    "dm_channel_id": None,
                    "joined_at": _at(2, 9, 5),
                },
            ],
            "deliveries": [
                {
                    "id": 1,
                    "member_id": 1,
                    "kind": "lesson",
                    "local_date": date(2026, 11, 3),
                    "lesson_id": "ai-drafts-people-decide",
                    "skill": "ai",
                    "locale": "el",
                    "answer_index": 2,
                    "status": "sent",
                    "channel_id": "D0ANNA0001",
                    "ts": "1762162200.000100",
                    "error": None,
                    "claimed_at": _at(3, 7, 30),
                    "sent_at": _at(3, 7, 30),
                },
                {
                    "id": 2,
                    "member_id": 2,
                    "kind": "lesson",
                    "local_date": None,  # on demand (`/learn now`)
                    "lesson_id": "paid-frequency-caps",
                    "skill": "paid",
                    "locale": "en",
                    "answer_index": 0,
                    "status": "failed",
                    "channel_id": None,
                    "ts": None,
                    "error": "channel_not_found",
                    "claimed_at": _at(3, 15, 0),
                    "sent_at": None,
                },
            ],
            "responses": [
                {
                    "id": 1,
                    "delivery_id": 1,
                    "member_id": 1,
                    "lesson_id": "ai-drafts-people-decide",
                    "skill": "ai",
                    "choice": 2,
                    "correct": True,
                    "answered_at": _at(3, 7, 41),
                },
            ],
        },
    ),
    "0002": Revision(
        rows={
            "deliveries": [
                {
                    "id": 3,
                    "member_id": 1,
                    "kind": "question",
                    "local_date": date(2026, 11, 9),
                    "lesson_id": "q-brand-voice",
                    "skill": "content",
                    "locale": "el",
                    "answer_index": 0,
                    "status": "sent",
                    "channel_id": "D0ANNA0001",
                    "ts": "1762680600.000200",
                    "error": None,
                    "claimed_at": _at(9, 7, 30),
                    "sent_at": _at(9, 7, 30),
                },
            ],
            "team_posts": [
                {
                    "id": 1,
                    "workspace_id": 1,
                    "kind": "digest",
                    "local_date": date(2026, 11, 13),
                    "status": "sent",
                    "channel_id": "C0LEADS001",
                    "ts": "1763026200.000300",
                    "error": None,
                    "claimed_at": _at(13),
                },
                {
                    "id": 2,
                    "workspace_id": 1,
                    "kind": "digest",
                    "local_date": date(2026, 11, 20),
                    "status": "failed",
                    "channel_id": None,
                    "ts": None,
                    "error": "not_in_channel",
                    "claimed_at": _at(20),
                },
            ],
            "strategy_answers": [
                {
                    "id": 1,
                    "delivery_id": 3,
                    "member_id": 1,
                    "question_id": "q-brand-voice",
                    "skill": "content",
                    "text": ANSWER,
                    "answered_at": _at(9, 12, 5),
                },
            ],
        },
        columns={
            "workspaces": {"last_tick_at": _at(13, 9, 45)},
            "members": {
                "in_channel": by_id({1: True, 2: False}),
                "choice": by_id({2: "leave"}),
                "deactivated": by_id({1: False, 2: True}),
                "away_until": by_id({1: _at(20, 18, 0)}),
                "next_due_at": by_id({1: _at(16, 7, 30)}),
                "unreachable": by_id({2: "channel_not_found"}),
            },
        },
        becomes={
            "workspaces": {"last_tick_at": None},
            "members": {
                "in_channel": False,
                "choice": None,
                "deactivated": False,
                "away_until": None,
                "next_due_at": None,
                "unreachable": None,
            },
        },
    ),
    "0003": Revision(
        rows={
            "cards": [
                {
                    "id": 1,
                    "member_id": 1,
                    "lesson_id": "ai-drafts-people-decide",
                    "fsrs_card": _card(1, State.Review, 12.5, _at(3, 7, 41)),
                    "due": _at(6, 7, 41),
                    "last_review": _at(3, 7, 41),
                },
                {
                    "id": 2,
                    "member_id": 2,
                    "lesson_id": "paid-frequency-caps",
                    "fsrs_card": _card(2, State.Learning, None, _at(3, 15, 2)),
                    "due": _at(3, 15, 12),
                    "last_review": _at(3, 15, 2),
                },
            ],
        },
    ),
    "0004": Revision(
        columns={
            "members": {
                "lesson_time": by_id({1: "08:00"}),
                "working_days": by_id({1: "mon,tue,wed,thu"}),
                "lessons_per_week": by_id({1: 3}),
                "language": by_id({1: "el"}),
                "holiday_country": by_id({1: "GR"}),
                "interests": by_id({1: "ai,paid,content"}),
            },
            "strategy_answers": {
                "choice": 1,
                "edited_at": _at(10, 8, 0),
                "source": "dm_reply",
            },
        },
        becomes={
            "members": dict.fromkeys(
                (
                    "lesson_time",
                    "working_days",
                    "lessons_per_week",
                    "language",
                    "holiday_country",
                    "interests",
                )
            ),
            # Every answer before 0004 came through the modal.
            "strategy_answers": {"choice": None, "edited_at": None, "source": "modal"},
        },
    ),
    "0005": Revision(),  # indexes only: the rows are as they were
    "0006": Revision(
        columns={"cards": {"stability": _stability}},
        becomes={"cards": {"stability": _stability}},
    ),
    "0007": Revision(
        rows={
            # A lesson the clock planned and left for a worker: claimed, not yet taken.
            "deliveries": [
                {
                    "id": 40,
                    "member_id": 1,
                    "kind": "lesson",
                    "local_date": date(2026, 11, 24),
                    "lesson_id": "ai-drafts-people-decide",
                    "skill": "ai",
                    "locale": "el",
                    "answer_index": 2,
                    "status": "claimed",
                    "channel_id": None,
                    "ts": None,
                    "error": None,
                    "claimed_at": _at(24, 7, 30),
                    "taken_at": None,
                    "sent_at": None,
                },
            ],
            "send_pace": [{"id": 1, "workspace_id": 1, "next_at": 1764149400.25}],
        },
        # A sender takes a delivery when it is claimed and sent at once; the rows before 0007 were.
        columns={"deliveries": {"taken_at": lambda row: row["claimed_at"]}},
        becomes={"deliveries": {"taken_at": lambda row: row["claimed_at"]}},
    ),
    "0008": Revision(
        rows={
            "slack_bots": [_BOT, _ROTATED_BOT],
            "slack_installations": [
                {**_BOT, **_NO_USER_TOKEN, "user_id": "U0BEN00001", "token_type": "bot"},
                {**_ROTATED_BOT, **_USER_TOKEN, "user_id": "U1MARIA001", "token_type": "bot"},
            ],
            "slack_oauth_states": [{"id": 1, "state": "s-1", "expire_at": _at(4, 12, 10)}],
        },
        # What an admin set in `/learn admin setup`; NULL in the rows before it: the environment's.
        columns={"workspaces": {"settings": '{"admins": ["U0BEN00001"]}'}},
        becomes={"workspaces": {"settings": None}},
    ),
    "0009": Revision(
        rows={
            # A `/learn now` waiting for a worker, a button press a worker took, and a press whose
            # worker died with it: given up, never run again.
            "accepted_requests": [
                {
                    "id": 1,
                    "team_id": "T0ACME0001",
                    "kind": "command",
                    "payload": '{"command": "/learn", "text": "now", "user_id": "U0BEN00001"}',
                    "created_at": _at(25, 7, 30),
                    "taken_at": None,
                    "given_up_at": None,
                },
                {
                    "id": 2,
                    "team_id": "T0ACME0001",
                    "kind": "block_actions",
                    "payload": '{"type": "block_actions", "user": {"id": "U1MARIA001"}}',
                    "created_at": _at(25, 7, 31),
                    "taken_at": _at(25, 7, 31),
                    "given_up_at": None,
                },
                {
                    "id": 3,
                    "team_id": "T0ACME0001",
                    "kind": "block_actions",
                    "payload": '{"type": "block_actions", "text": "Σωστό \\u2014 \\"ναι\\""}',
                    "created_at": _at(25, 7, 32),
                    "taken_at": _at(25, 7, 32),
                    "given_up_at": _at(25, 7, 42),
                },
            ],
        },
    ),
    "0010": Revision(
        rows={
            # Anna's review of her first lesson, cut off mid-send ("unknown") and answered wrong,
            # and a lesson Ben asked for, sent and not answered.
            "deliveries": [
                {
                    "id": 41,
                    "member_id": 1,
                    "kind": "review",
                    "local_date": None,
                    "lesson_id": "ai-drafts-people-decide",
                    "skill": "ai",
                    "locale": "el",
                    "answer_index": 2,
                    "status": "unknown",
                    "channel_id": None,
                    "ts": None,
                    "error": None,
                    "claimed_at": _at(26, 7, 30),
                    "taken_at": _at(26, 7, 30),
                    "sent_at": None,
                },
                {
                    "id": 42,
                    "member_id": 2,
                    "kind": "lesson",
                    "local_date": None,
                    "lesson_id": "paid-frequency-caps",
                    "skill": "paid",
                    "locale": "en",
                    "answer_index": 0,
                    "status": "sent",
                    "channel_id": "D0BEN00001",
                    "ts": "1764235800.000400",
                    "error": None,
                    "claimed_at": _at(27, 9, 30),
                    "taken_at": _at(27, 9, 30),
                    "sent_at": _at(27, 9, 31),
                },
            ],
            "responses": [
                {
                    "id": 2,
                    "delivery_id": 41,
                    "member_id": 1,
                    "lesson_id": "ai-drafts-people-decide",
                    "skill": "ai",
                    "choice": 0,
                    "correct": False,
                    "answered_at": _at(26, 8, 2),
                },
            ],
        },
        derived={"lesson_progress": lesson_progress},
    ),
}

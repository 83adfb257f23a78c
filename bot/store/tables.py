"""The database tables. One name per idea: workspace, member, delivery, response, card.

Times are stored as naive UTC and handed back as aware UTC (`UTCDateTime`), so SQLite and PostgreSQL
return the same values. Lesson and skill ids are the library's string ids, not foreign keys: a lesson
removed from `content/` keeps its history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store import progress_sql

# Stable constraint names so that Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# A delivery waiting for a sender (see Delivery.taken_at).
QUEUED = "status = 'claimed' AND taken_at IS NULL"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The instant the clock last looked for due lessons: a tick sends what fell due since then.
    # NULL until the first tick, which sends nothing in the past.
    last_tick_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # What an admin set in the setup modal, as JSON (bot.services.workspace_settings); NULL: the
    # environment's values.
    settings: Mapped[str | None] = mapped_column(Text, nullable=True)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id", name="uq_members_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255), default="")
    # The IANA zone name from users.info (never an offset: offsets change with DST).
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    locale: Mapped[str] = mapped_column(String(16), default="en-US")
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Cached from conversations.open (Tier 3) so that a lesson costs one chat.postMessage.
    dm_channel_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who learns: the team channel's members, plus `/learn join`, minus `/learn leave`, never a
    # deactivated account. `choice` is the person's own word: "join", "leave" or NULL.
    in_channel: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    choice: Mapped[str | None] = mapped_column(String(8), nullable=True)
    deactivated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A Slack status that says the person is away pauses them until it expires (NULL: not away).
    away_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # When the clock next has something for this member; NULL until it has looked.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    # Slack's reason when a DM can never reach them (account_inactive, cannot_dm_bot, ...).
    unreachable: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The member's own settings; None means the team's default (see migration 0004).
    lesson_time: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "HH:MM"
    working_days: Mapped[str | None] = mapped_column(String(32), nullable=True)  # "mon,tue,..."
    lessons_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)  # "en", "el"
    holiday_country: Mapped[str | None] = mapped_column(String(8), nullable=True)
    interests: Mapped[str | None] = mapped_column(Text, nullable=True)  # skill ids, comma-separated


class Delivery(Base):
    """One message Nudge sends a member. The unique key makes a scheduled send happen once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "local_date", name="uq_deliveries_once_a_day"),
        # The senders' queue: claimed, not yet taken (a handful of rows among the whole history).
        Index(
            "ix_deliveries_queued",
            "id",
            postgresql_where=text(QUEUED),
            sqlite_where=text(QUEUED),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # lesson | review | question
    # The member's local date for scheduled sends; NULL for on-demand ones (/learn now).
    local_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    lesson_id: Mapped[str] = mapped_column(String(200))
    skill: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    # The check's right option when sent: grading stays right if the lesson file changes later.
    answer_index: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="claimed")  # claimed | sent | failed
    channel_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When a sender took it to send; NULL while it waits in the queue (planned by the clock). A
    # claim taken and never marked was cut off mid-send (Deliveries.resolve_stale).
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)


class Response(Base):
    """A member's answer to a delivery's check. One per delivery: the unique key refuses a second."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), unique=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(200))
    skill: Mapped[str] = mapped_column(String(100))
    choice: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    # The team report reads a period's answers (bot.store.team_report), not the whole history.
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class TeamPost(Base):
    """A message to the team rather than a member (the leads' digest): once per kind and day."""

    __tablename__ = "team_posts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "kind", "local_date", name="uq_team_posts_once_a_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # digest
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="claimed")  # claimed | sent | failed
    channel_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StrategyAnswer(Base):
    """A member's written answer to a weekly strategy question; one per question delivery."""

    __tablename__ = "strategy_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), unique=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(200))
    skill: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    choice: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the menu's index
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="modal", server_default="modal")


class Card(Base):
    """A member's spaced-repetition card for one lesson (`bot.learning.reviews`): one per pair,
    rewritten by every answer to that lesson's check."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("member_id", "lesson_id", name="uq_cards_member_lesson"),
        # `Cards.due` asks for one member's cards due by now, oldest first: member, then due.
        Index("ix_cards_member_due", "member_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    lesson_id: Mapped[str] = mapped_column(String(200))
    # fsrs's own JSON for the card: the scheduler's state, read back only by fsrs.
    fsrs_card: Mapped[str] = mapped_column(Text)
    # Copied out of the JSON so that the database can find due cards.
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime] = mapped_column(UTCDateTime())
    # fsrs's stability in days, copied out of the JSON so that the database can sum recall
    # (`bot.store.recall`). None only if a card was stored without one, which fsrs never reviews.
    stability: Mapped[float | None] = mapped_column(Float(), nullable=True)


class LessonProgress(Base):
    """A member's history of one lesson as selection needs it (`model.LessonSeen`): counters kept
    by database triggers (bot.store.progress_sql) on every change to deliveries and responses, so
    that reading a member's history touches one row per lesson seen, not every past delivery.

    Beside `cards` rather than in it: a lesson is counted from its first delivery, a card exists
    from its first answer, and the cards' fsrs columns would have to allow NULL for the lessons
    never answered, in every query that sums or schedules them."""

    __tablename__ = "lesson_progress"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    skill: Mapped[str] = mapped_column(String(100))  # its latest delivery's
    # Deliveries sent (or "unknown"), their answers, and the right ones.
    delivered: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    last_delivered_at: Mapped[datetime] = mapped_column(UTCDateTime())  # sent_at, else claimed_at
    last_delivery: Mapped[int] = mapped_column(Integer)  # the latest delivery's id
    # The latest delivery's claim: a card due before it was sent again is not due (`Cards.due`).
    last_claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


@event.listens_for(Base.metadata, "after_create")
def _keep_progress(_metadata: MetaData, connection: Any, **kw: Any) -> None:
    """The counters' triggers, with the tables made from the metadata (tests); Alembic's
    migration 0010 makes the same for a deployment."""
    if LessonProgress.__table__ in kw.get("tables", ()):
        progress_sql.install(connection)


class SendPace(Base):
    """A workspace's next free chat.postMessage slot, shared by every process that sends: each
    send takes a slot under the row's lock (bot.store.sending), so the pace holds across them."""

    __tablename__ = "send_pace"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True
    )
    next_at: Mapped[float] = mapped_column(
        Float
    )  # seconds since the epoch, by the database's clock


class AcceptedRequest(Base):
    """A request `web` acknowledged and left for a `worker` (WORK_IN=worker): Slack's payload as
    Bolt parsed it, dispatched again through the same Bolt app by the worker that takes it
    (bot.slack.forward). A row is deleted once its work is done; one taken and never done (its
    worker died) is never run again: it is marked given up after STALE_REQUEST."""

    __tablename__ = "accepted_requests"
    __table_args__ = (
        # What waits for a worker: the oldest first, and counted against WORK_QUEUE.
        Index(
            "ix_accepted_requests_waiting",
            "id",
            postgresql_where=text("taken_at IS NULL"),
            sqlite_where=text("taken_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))  # command, block_actions, view_submission, ...
    payload: Mapped[str] = mapped_column(Text())  # JSON, as Bolt parsed the request's body
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    given_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

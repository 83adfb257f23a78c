"""Use cases on a real in-memory SQLite unit of work, without HTTP: milliseconds per test.

The Slack port is an in-memory stand-in (`PeopleAndDMs`): the edge tests drive the real WebClient
against the local Slack; here what matters is what the use case decides and stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from bot.delivery.outbox import (
    ChannelQuestionPost,
    DigestPost,
    LessonPost,
    QuestionPost,
    SendCutOff,
    SendFailed,
    SentMessage,
)
from bot.learning.model import MemberProfile
from bot.library import LibraryHolder
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.own_data import ExportFile
from bot.services.people import Caller, RoleBook
from bot.settings import Settings
from bot.store.tables import Base
from bot.store.uow import Database
from tests.conftest import TEST_LIBRARY

TEAM = "T0ACME001"
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PEOPLE = {
    "U0CHLOE001": MemberProfile("U0CHLOE001", "Chloe", "Europe/London", "en-GB"),
    "U0DIMI0001": MemberProfile("U0DIMI0001", "Dimitris", "Europe/Athens", "el-GR"),
    "U0ADMIN001": MemberProfile("U0ADMIN001", "Ada", "UTC", "en-US"),
}
ADMIN_GROUP = "S0ADMINS01"


@dataclass
class PeopleAndDMs:
    """Slack as a use case sees it: profiles, one user group, and the lessons posted."""

    posts: list[LessonPost] = field(default_factory=list)
    profile_reads: list[str] = field(default_factory=list)
    refuse_with: str | None = None  # a Slack error code every post fails with
    silent: bool = False  # Slack does not answer a post in time (it may have landed, or not)
    channel: list[str] = field(default_factory=lambda: ["U0CHLOE001", "U0DIMI0001"])
    workspace: dict[str, MemberProfile] = field(default_factory=lambda: dict(PEOPLE))

    def channel_members(self, channel: str) -> list[str]:
        return list(self.channel)

    def people(self) -> list[MemberProfile]:
        return list(self.workspace.values())

    def profile(self, slack_user_id: str) -> MemberProfile:
        self.profile_reads.append(slack_user_id)
        return self.workspace[slack_user_id]

    groups_fail: bool = False  # Slack cannot be asked about user groups
    group_reads: list[str] = field(default_factory=list)
    admin_group: frozenset[str] = frozenset({"U0ADMIN001"})

    def group_members(self, group_id: str) -> frozenset[str] | None:
        self.group_reads.append(group_id)
        if self.groups_fail:
            return None
        return self.admin_group if group_id == ADMIN_GROUP else frozenset()

    questions: list[QuestionPost] = field(default_factory=list)
    digests: list[DigestPost] = field(default_factory=list)
    channel_questions: list[ChannelQuestionPost] = field(default_factory=list)
    refuse_for: dict[str, str] = field(default_factory=dict)  # channel -> Slack error code

    def _sent(self, channel: str) -> SentMessage:
        if self.silent:
            raise SendCutOff()
        code = self.refuse_with or self.refuse_for.get(channel)
        if code:
            raise SendFailed(code)
        count = (
            len(self.posts) + len(self.questions) + len(self.digests) + len(self.channel_questions)
        )
        return SentMessage(channel_id=f"D{channel[1:]}", ts=f"{count}.000100")

    def post_lesson(self, post: LessonPost) -> SentMessage:
        sent = self._sent(post.channel)
        self.posts.append(post)
        return sent

    def post_question(self, post: QuestionPost) -> SentMessage:
        sent = self._sent(post.channel)
        self.questions.append(post)
        return sent

    def post_digest(self, post: DigestPost) -> SentMessage:
        sent = self._sent(post.channel)
        self.digests.append(post)
        return sent

    exports: list[ExportFile] = field(default_factory=list)

    def send_export(self, export: ExportFile) -> None:
        self._sent(export.slack_user_id)
        self.exports.append(export)

    def post_channel_question(self, post: ChannelQuestionPost) -> SentMessage:
        sent = self._sent(post.channel)
        self.channel_questions.append(post)
        return sent


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def deps(clock: FakeClock) -> Iterator[Deps]:
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    Base.metadata.create_all(engine)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        content_dir=TEST_LIBRARY,
        team_channel="C0SOCIAL01",
    )
    yield Deps(
        settings=settings,
        db=Database(engine),
        library=LibraryHolder(TEST_LIBRARY, NOW.date()),
        roles=RoleBook(leads=[], admins=[ADMIN_GROUP]),
        clock=clock.now,
    )
    engine.dispose()


@pytest.fixture
def slack() -> PeopleAndDMs:
    return PeopleAndDMs()


def caller(user_id: str) -> Caller:
    return Caller(TEAM, user_id)

"""Who is asking: the member row for a Slack user, their language and their roles.

Authorization is one step a use case states (`require(person, Role.ADMIN)`), never a listener's
decision; a refusal raises `NotPermitted`, which the edge turns into "you may not" in the person's
language.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.i18n import language_of
from bot.learning.model import Member, MemberProfile, Role
from bot.store.uow import UnitOfWork

# User groups change rarely; reading them every five minutes keeps usergroups.users.list (Tier 2) idle.
GROUP_TTL_SECONDS = 300.0


class Directory(Protocol):
    """Slack's people: a profile (users.info) and a user group's members."""

    def profile(self, slack_user_id: str) -> MemberProfile: ...

    def group_members(self, group_id: str) -> frozenset[str] | None:
        """The group's user ids; None when Slack could not be asked."""
        ...


@dataclass(frozen=True)
class Caller:
    """A request's origin: the Slack workspace and user."""

    team_id: str
    slack_user_id: str


@dataclass(frozen=True)
class Person:
    slack_user_id: str
    locale: str  # Slack's, e.g. el-GR
    roles: frozenset[Role]
    member: Member | None = None  # None: someone Nudge has not enrolled yet

    @property
    def language(self) -> str:
        return speaks(self.member) if self.member else language_of(None, self.locale)

    def may(self, role: Role) -> bool:
        return role in self.roles


def speaks(member: Member) -> str:
    """The language Nudge uses with a member: their own setting, else their Slack locale's."""
    return language_of(member.settings.language, member.locale)


class NotPermitted(Exception):
    """The person lacks the role a use case requires; nothing was done."""

    def __init__(self, person: Person, role: Role) -> None:
        super().__init__(f"{person.slack_user_id} is not {role}")
        self.person = person
        self.role = role


def require(person: Person, role: Role) -> None:
    if not person.may(role):
        raise NotPermitted(person, role)


class RoleBook:
    """LEADS and ADMINS: Slack user ids, or user group ids (S...) read through the directory."""

    def __init__(
        self,
        leads: Sequence[str],
        admins: Sequence[str],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries = {Role.LEAD: tuple(leads), Role.ADMIN: tuple(admins)}
        self._monotonic = monotonic
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def for_people(self, leads: Sequence[str], admins: Sequence[str]) -> RoleBook:
        """Other LEADS and ADMINS (a workspace's own) on this book's user-group cache: group ids
        are unique across workspaces, so one cache serves them all."""
        book = RoleBook(leads, admins, monotonic=self._monotonic)
        book._groups, book._lock = self._groups, self._lock
        return book

    def roles_of(self, slack_user_id: str, directory: Directory) -> frozenset[Role]:
        held = {Role.MEMBER}
        for role, entries in self._entries.items():
            if slack_user_id in entries or any(
                slack_user_id in self._group(entry, directory)
                for entry in entries
                if entry.startswith("S")
            ):
                held.add(role)
        return frozenset(held)

    @property
    def groups(self) -> tuple[str, ...]:
        """The user group ids among LEADS and ADMINS."""
        named = (entry for entries in self._entries.values() for entry in entries)
        return tuple(dict.fromkeys(entry for entry in named if entry.startswith("S")))

    def refresh(self, directory: Directory) -> None:
        """Read every group now (the roster refresh does, so that commands find them cached)."""
        for group_id in self.groups:
            self._group(group_id, directory, fresh=True)

    def _group(self, group_id: str, directory: Directory, *, fresh: bool = False) -> frozenset[str]:
        now = self._monotonic()
        with self._lock:
            cached = self._groups.get(group_id)
        if cached and not fresh and now - cached[0] < GROUP_TTL_SECONDS:
            return cached[1]
        users = directory.group_members(group_id)
        if users is None:
            # Slack could not be asked: the last known members stand (a passing fault must not
            # take a lead's role away), and nothing is cached, so the next request asks again.
            # A group never read grants nothing: a role is never given by an error.
            return cached[1] if cached else frozenset()
        with self._lock:
            self._groups[group_id] = (now, users)
        return users


def recognize(uow: UnitOfWork, directory: Directory, roles: RoleBook, caller: Caller) -> Person:
    """Who the caller is, for a use case that only reads: nothing is stored, and Slack is asked
    for the profile only when Nudge has not met them."""
    member = uow.members.find_in_team(caller.team_id, caller.slack_user_id)
    locale = member.locale if member else directory.profile(caller.slack_user_id).locale
    held = roles.roles_of(caller.slack_user_id, directory)
    return Person(caller.slack_user_id, locale, held, member)


def enrol(
    uow: UnitOfWork, directory: Directory, roles: RoleBook, caller: Caller, now: datetime
) -> tuple[Person, Member]:
    """The caller as a member, created from their Slack profile on first use (in `uow`, which the
    use case commits). Slack is asked for the profile only when we have not met them."""
    member = uow.members.find_in_team(caller.team_id, caller.slack_user_id)
    return enrol_found(uow, directory, roles, caller, now, member)


def enrol_found(
    uow: UnitOfWork,
    directory: Directory,
    roles: RoleBook,
    caller: Caller,
    now: datetime,
    member: Member | None,
) -> tuple[Person, Member]:
    """`enrol`, for a use case that has read the caller's member row (`member`, None: none) in
    `uow` already, with what else it needed (`Members.asker`)."""
    held = roles.roles_of(caller.slack_user_id, directory)
    is_lead, is_admin = Role.LEAD in held, Role.ADMIN in held
    if member is None or (member.is_lead, member.is_admin) != (is_lead, is_admin):
        # Slack first, then the first write: no write lock is held while Slack answers, and a
        # write that fails on a lock leaves the caller's locale known to say so in (safety.py).
        profile = (
            directory.profile(caller.slack_user_id)
            if member is None
            else MemberProfile(member.slack_user_id, member.name, member.tz, member.locale)
        )
        workspace_id = member.workspace_id if member else uow.workspaces.ensure(caller.team_id, now)
        member = uow.members.save(workspace_id, profile, now, is_lead=is_lead, is_admin=is_admin)
    return Person(caller.slack_user_id, member.locale, held, member), member

"""Who is a lead or an admin: Slack user ids in LEADS/ADMINS, or members of a user group named there."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

# User groups change rarely; re-reading them every five minutes keeps usergroups.users.list (Tier 2) idle.
GROUP_TTL_SECONDS = 300.0


class Roles:
    def __init__(
        self,
        leads: Sequence[str],
        admins: Sequence[str],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._leads, self._admins = tuple(leads), tuple(admins)
        self._monotonic = monotonic
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def is_lead(self, user_id: str, client: WebClient) -> bool:
        return self._holds(self._leads, user_id, client)

    def is_admin(self, user_id: str, client: WebClient) -> bool:
        return self._holds(self._admins, user_id, client)

    def _holds(self, entries: Sequence[str], user_id: str, client: WebClient) -> bool:
        if user_id in entries:
            return True
        return any(
            user_id in self._group(entry, client) for entry in entries if entry.startswith("S")
        )

    def _group(self, group_id: str, client: WebClient) -> frozenset[str]:
        now = self._monotonic()
        with self._lock:
            cached = self._groups.get(group_id)
        if cached and now - cached[0] < GROUP_TTL_SECONDS:
            return cached[1]
        try:
            users = frozenset(client.usergroups_users_list(usergroup=group_id).get("users", []))
        except SlackApiError:
            # An unreadable group grants nothing: a role is never given by an error.
            users = frozenset()
        with self._lock:
            self._groups[group_id] = (now, users)
        return users

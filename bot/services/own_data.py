"""A member's own data: `/learn export` hands them every row about them, `/learn forget` deletes it.

Both read "every row about them" from `MemberData`, which follows the tables' foreign keys, so
what is exported is exactly what is forgotten. The export's JSON shape is in the README (members).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.delivery.outbox import SendFailed
from bot.learning.model import SETTING_NAMES
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, recognize
from bot.services.team_setup import in_workspace

EXPORT_FORMAT = "nudge-export/1"


@dataclass(frozen=True)
class ExportFile:
    """The member's data as a file for their DM, and the language of the words around it."""

    slack_user_id: str
    language: str
    filename: str
    content: bytes  # UTF-8 JSON


class FileSender(Protocol):
    def send_export(self, export: ExportFile) -> None:
        """Upload the file to the member's DM; raises SendFailed when Slack refuses it."""
        ...


class ExportPort(Directory, FileSender, Protocol):
    """The Slack an export talks to: who is asking, and their DM."""


@dataclass(frozen=True)
class ExportOutcome:
    status: Literal["sent", "nothing", "failed"]
    language: str
    error: str = ""


def export_document(
    team_id: str, rows: dict[str, list[dict[str, Any]]], now: datetime
) -> dict[str, Any]:
    """The export as JSON holds it: the `members` row split into profile and settings, then every
    other table's rows about the member under the table's name."""
    (member,) = rows["members"]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "workspace": team_id,
        "profile": {key: value for key, value in member.items() if key not in SETTING_NAMES},
        "settings": {key: member[key] for key in SETTING_NAMES},
        **{table: found for table, found in rows.items() if table != "members"},
    }


def export_own_data(deps: Deps, slack: ExportPort, caller: Caller) -> ExportOutcome:
    """`/learn export`: read every row about the caller in one unit of work (nothing is stored),
    then upload it as JSON to their DM. Someone Nudge has never met has nothing to export."""
    now = deps.clock()
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        rows = uow.member_data.rows(person.member.id) if person.member else None
    if rows is None:
        return ExportOutcome("nothing", person.language)
    document = export_document(caller.team_id, rows, now)
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    filename = f"nudge-{caller.slack_user_id}-{now:%Y-%m-%d}.json"
    try:
        slack.send_export(ExportFile(caller.slack_user_id, person.language, filename, content))
    except SendFailed as failed:
        return ExportOutcome("failed", person.language, failed.code)
    return ExportOutcome("sent", person.language)


@dataclass(frozen=True)
class ForgetOutcome:
    """What forgetting (or, previewed, would) delete: row counts by table name."""

    status: Literal["forgotten", "preview", "nothing", "not_yours"]
    language: str
    counts: dict[str, int] = field(default_factory=dict)


def preview_forget(deps: Deps, slack: Directory, caller: Caller) -> ForgetOutcome:
    """What `/learn forget` would delete, for the confirmation; nothing is stored or deleted."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        if person.member is None:
            return ForgetOutcome("nothing", person.language)
        rows = uow.member_data.rows(person.member.id)
    return ForgetOutcome("preview", person.language, {k: len(v) for k, v in rows.items()})


def forget(deps: Deps, slack: Directory, caller: Caller, owner: str) -> ForgetOutcome:
    """Delete every row about the caller in one transaction. `owner` is whom the confirmation was
    shown to: only they may confirm it. Afterwards Nudge holds nothing about them; they are a new
    member the next time they use it (or the roster finds them in the team channel)."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        if owner != caller.slack_user_id:
            return ForgetOutcome("not_yours", person.language)
        if person.member is None:
            return ForgetOutcome("nothing", person.language)
        counts = uow.member_data.delete(person.member.id)
        uow.commit()
    return ForgetOutcome("forgotten", person.language, counts)

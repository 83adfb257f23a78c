"""`/learn <subcommand>`: acknowledged at once with the usage or a short notice, the work done lazily.

Bolt's lazy listeners run after the HTTP answer has gone back, so Slack's 3-second limit holds
however slow the database or the Slack API is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.library import check_library
from bot.services.lessons import send_lesson_now
from bot.services.members import ensure_member
from bot.slack.blocks.lesson import SlackMessage
from bot.slack.blocks.library_report import library_report_message
from bot.slack.blocks.usage import notice, usage_message
from bot.slack.deps import AppDeps, team_of
from bot.slack.gateway import SlackLessonPoster, lookup_profile
from bot.slack.listeners.safety import apologise_on_error

ADMIN_ACTIONS = ("check", "reload")


@dataclass(frozen=True)
class LearnCommand:
    name: str  # "" for a bare `/learn`
    args: tuple[str, ...]
    text: str


def parse(text: str | None) -> LearnCommand:
    words = (text or "").split()
    name = words[0].lower() if words else ""
    return LearnCommand(name, tuple(word.lower() for word in words[1:]), (text or "").strip())


def _say(ack_or_respond: Ack | Respond, message: SlackMessage) -> None:
    ack_or_respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def register(app: App, deps: AppDeps) -> None:
    slash = deps.settings.slash_command

    def is_admin_action(command: LearnCommand) -> bool:
        return command.name == "admin" and command.args in ((action,) for action in ADMIN_ACTIONS)

    def acknowledge(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        command = parse(body.get("text"))
        if command.name in ("", "help"):
            _say(ack, usage_message(slash))
        elif command.name == "now" and not command.args:
            _say(ack, notice(":mailbox_with_mail: On its way: your lesson is coming to your DMs."))
        elif is_admin_action(command):
            if not deps.roles.is_admin(body["user_id"], client):
                _say(
                    ack,
                    notice(
                        f":lock: Only Nudge admins may use `{slash} admin`. "
                        "Admins are listed in the ADMINS setting."
                    ),
                )
            else:
                _say(ack, notice(f":hourglass_flowing_sand: Running `{slash} {command.text}`..."))
        else:
            _say(ack, usage_message(slash, unknown=command.text))

    @apologise_on_error
    def work(
        respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        command = parse(body.get("text"))
        user_id = body["user_id"]
        if command.name == "now" and not command.args:
            _lesson_now(deps, respond, client, context, user_id)
        elif is_admin_action(command) and deps.roles.is_admin(user_id, client):
            if command.args == ("reload",):
                report = deps.library.reload()
            else:
                report = check_library(deps.settings.content_dir)
            _say(respond, library_report_message(report, action=command.args[0]))

    app.command(slash)(ack=acknowledge, lazy=[work])


def _lesson_now(
    deps: AppDeps, respond: Respond, client: WebClient, context: BoltContext, user_id: str
) -> None:
    now = deps.clock()
    member = ensure_member(
        deps.store,
        team_of(context),
        user_id,
        lambda uid: lookup_profile(client, uid),
        now,
        is_lead=deps.roles.is_lead(user_id, client),
        is_admin=deps.roles.is_admin(user_id, client),
    )
    library = deps.library.current
    outcome = send_lesson_now(deps.store, library, SlackLessonPoster(client, library), member, now)
    if outcome.status == "empty_library":
        _say(respond, notice("The lesson library is empty, so there is nothing to send yet."))
    elif outcome.status == "failed":
        _say(
            respond,
            notice(
                f":warning: Slack refused the lesson (`{outcome.error}`), so nothing was sent. "
                "Please try again later."
            ),
        )

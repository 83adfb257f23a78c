"""`/learn <subcommand>`: acknowledged at once, answered from the work queue (or by a worker).

The acknowledgement carries nothing, so it never waits on the database or the Slack API and Slack's
3-second limit holds however slow they are; the answer follows through `respond`, in the person's
language, which is known only once their member row or profile has been read.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.commands.handlers import Reply, Request
from bot.slack.listeners.commands.subcommands import dispatch, opens_modal
from bot.slack.listeners.handover import answer_later
from bot.slack.listeners.safety import apologise_on_error


def acknowledge(ack: Ack, respond: Respond, body: dict[str, Any], context: BoltContext) -> None:
    work = partial(answer, respond=respond, body=body, context=context)
    answer_later(ack, context, work, opens_modal=opens_modal(body.get("text") or ""))


@apologise_on_error
def answer(respond: Respond, body: dict[str, Any], context: BoltContext) -> None:
    request = Request(
        deps_of(context),
        slack_of(context),
        caller_of(context),
        body["command"],
        str(body.get("trigger_id") or ""),
    )
    answered = dispatch(request, body.get("text") or "")
    if answered is None:  # it answered otherwise (it opened a modal)
        return
    message = answered.message if isinstance(answered, Reply) else answered
    respond(text=message.text, blocks=message.blocks, response_type="ephemeral")
    more = answered.afterwards() if isinstance(answered, Reply) else None
    if more is not None:
        respond(text=more.text, blocks=more.blocks, response_type="ephemeral")


def register(app: App, command: str) -> None:
    app.command(command)(acknowledge)

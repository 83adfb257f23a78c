"""`message` events (message.im, message.channels): a reply typed in the thread of a weekly question,
in the member's DM or, with QUESTION_IN_CHANNEL, in the team channel, is their answer, once.

A later reply is not recorded: the first answer stands (the member is told so, and that "Edit my
answer" changes it). The same reply delivered again by Slack changes nothing and says nothing."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly
from bot.slack.listeners.views.question_modal import thank_in_place

if TYPE_CHECKING:
    from bot.services.questions import Reply

NOTICES = {
    "recorded": "question.reply_recorded",
    "already_answered": "question.reply_not_recorded",
}


def _reply(event: dict[str, Any]) -> Reply | None:
    """A person's own words in a thread; not a bot's post, an edit, a join, nor a thread's start."""
    from bot.services.questions import Reply

    thread_ts, text = event.get("thread_ts"), str(event.get("text") or "")
    if event.get("subtype") or event.get("bot_id") or not text.strip():
        return None
    if not thread_ts or thread_ts == event.get("ts") or not event.get("channel"):
        return None
    return Reply(str(event["channel"]), str(thread_ts), text)


def message_posted(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    reply = _reply(event)
    if reply is not None:
        work = partial(take_reply, client=client, context=context, reply=reply)
        refresh_later(context, work, opens_modal=False)


@apologise_quietly
def take_reply(client: WebClient, context: BoltContext, reply: Reply) -> None:
    from bot.services.questions import answer_by_reply

    caller = caller_of(context)
    done = answer_by_reply(deps_of(context), slack_of(context), caller, reply)
    t = translator(done.language)
    if done.asked is not None:
        thank_in_place(context, t, done.asked)
    if done.status in NOTICES:
        client.chat_postEphemeral(
            channel=reply.channel_id,
            user=caller.slack_user_id,
            thread_ts=reply.thread_ts,
            text=t(NOTICES[done.status]),
        )


def register(app: App) -> None:
    app.event("message")(message_posted)

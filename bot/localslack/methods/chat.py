"""chat.*: the messages the bot posts, edits and shows to one person only.

``replace`` is shared with response_url posts, which edit a message the same way chat.update does.
"""

from __future__ import annotations

from typing import Any

from bot.localslack.errors import SlackError
from bot.localslack.methods.args import Args, blocks_arg, require
from bot.localslack.records import Ephemeral, Message, MessageVersion
from bot.localslack.state import SlackState

#: Slack truncates longer ``text`` rather than refusing it.
MESSAGE_TEXT_LIMIT = 40_000


def post_message(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "channel")
    channel = state.resolve_post_channel(str(args["channel"]))
    blocks = blocks_arg(args)
    text = args.get("text")
    if not text and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    ws = state.workspace
    message = Message(
        channel=channel,
        ts=state.next_ts(),
        user=ws.bot.user_id,
        text=str(text or "")[:MESSAGE_TEXT_LIMIT],
        blocks=blocks or [],
        bot_id=ws.bot.bot_id,
        thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
    )
    state.add_message(message)
    return {
        "ok": True,
        "channel": channel,
        "ts": message.ts,
        "message": message.to_slack(ws.team.id),
    }


def update(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "channel", "ts")
    channel = state.resolve_post_channel(str(args["channel"]))
    message = state.find_message(channel, str(args["ts"]))
    if message is None:
        raise SlackError("message_not_found")
    if message.user != state.workspace.bot.user_id:
        raise SlackError("cant_update_message")
    blocks = blocks_arg(args)
    if args.get("text") in (None, "") and blocks is None:
        raise SlackError("no_text")
    replace(state, message, args.get("text"), blocks)
    body: dict[str, Any] = {"text": message.text}
    if message.blocks:
        body["blocks"] = message.blocks
    return {
        "ok": True,
        "channel": channel,
        "ts": message.ts,
        "text": message.text,
        "message": body,
    }


def post_ephemeral(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "channel", "user")
    channel = state.resolve_post_channel(str(args["channel"]))
    user_id = str(args["user"])
    if state.workspace.user(user_id) is None:
        raise SlackError("user_not_found")
    if user_id not in state.channel_members(channel):
        raise SlackError("user_not_in_channel")
    blocks = blocks_arg(args)
    if not args.get("text") and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    ephemeral = Ephemeral(
        channel=channel,
        user=user_id,
        ts=state.next_ts(),
        text=str(args.get("text") or "")[:MESSAGE_TEXT_LIMIT],
        blocks=blocks or [],
    )
    state.ephemerals.append(ephemeral)
    return {"ok": True, "message_ts": ephemeral.ts}


def replace(
    state: SlackState,
    target: Message | Ephemeral,
    text: Any,
    blocks: list[dict[str, Any]] | None,
) -> None:
    """Edit a message in place, keeping what it read before (tests assert on ``edits``)."""
    target.edits.append(MessageVersion(target.text, target.blocks, state.clock()))
    target.text = str(text or "")[:MESSAGE_TEXT_LIMIT]
    target.blocks = blocks or []

"""What Slack does with the bot's answers to an interaction that do not go through the Web API.

A slash command's acknowledgement is shown to the invoker, a view_submission acknowledgement
changes the modal stack, and a response_url takes a few posts for half an hour. The driver plays
the interaction; these functions apply the answer to the state, under the state's lock.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from bot.localslack import blockkit
from bot.localslack.errors import SlackError
from bot.localslack.methods import views
from bot.localslack.methods.args import truthy
from bot.localslack.methods.chat import replace
from bot.localslack.records import Ephemeral, Message
from bot.localslack.state import ResponseUrl, SlackState

RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_POSTS = 5


def show_command_ack(state: SlackState, channel_id: str, user_id: str, body: str) -> None:
    """Keep what a slash command's acknowledgement showed the invoker (Slack shows it as an
    ephemeral), apart from the ephemerals the bot sent through the Web API or a response_url."""
    if not body.strip():
        return
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        payload = {"text": body}
    if not isinstance(payload, dict) or not (payload.get("text") or payload.get("blocks")):
        return
    blocks = blockkit.parse_blocks(payload.get("blocks") or [])
    errors = blockkit.check_message_blocks(blocks)
    if errors:
        refused = {"ok": False, "error": "invalid_blocks", "errors": errors}
        state.record("command_ack", payload, 200, refused)
        return
    state.command_acks.append(
        Ephemeral(
            channel_id,
            user_id,
            state.next_ts(),
            str(payload.get("text") or ""),
            blocks if isinstance(blocks, list) else [],
            source="command_ack",
        )
    )
    state.record("command_ack", payload, 200, {"ok": True})


def apply_view_ack(
    state: SlackState, user_id: str, view_id: str, ack: dict[str, Any] | None
) -> None:
    """Do to the modal stack what Slack does with a view_submission acknowledgement."""
    stack = state.view_stacks.get(user_id, [])
    action = (ack or {}).get("response_action")
    index = next((i for i, v in enumerate(stack) if v.id == view_id), None)
    if action == "errors":
        pass  # the modal stays as it is, showing the errors
    elif action == "clear":
        stack.clear()
    elif action == "update" and index is not None:
        stack[index].definition = dict((ack or {}).get("view") or {})
        stack[index].hash = state.new_hash()
    elif action == "push":
        views.stack_on(stack, views.new_view(state, user_id, dict((ack or {}).get("view") or {})))
    elif index is not None:
        del stack[index:]


def issue_response_url(
    state: SlackState, channel_id: str, user_id: str, message_ts: str | None, ephemeral: bool
) -> str:
    """Register a response_url and return its id, the last part of its path."""
    url_id = f"{state.workspace.team.id}{state.next_serial()}{secrets.token_hex(12)}"
    state.response_urls[url_id] = ResponseUrl(
        channel_id, user_id, state.clock(), message_ts, ephemeral
    )
    return url_id


def post_to_response_url(state: SlackState, url_id: str, raw: bytes) -> tuple[int, str]:
    """One POST to a response_url: HTTP status and plain-text body, as Slack answers them."""
    try:
        payload = json.loads(raw or b"{}")
    except json.JSONDecodeError:
        payload = None
    args = payload if isinstance(payload, dict) else {"raw": raw.decode(errors="replace")}
    status, error = _post(state, state.response_urls.get(url_id), payload)
    if error is not None:
        state.record("response_url", args, status, {"ok": False, "error": error})
        return status, error
    state.record("response_url", args, 200, {"ok": True})
    return 200, "ok"


def _post(state: SlackState, entry: ResponseUrl | None, payload: Any) -> tuple[int, str | None]:
    """HTTP status and Slack's error code, None when the post was applied."""
    if entry is None:
        return 404, "invalid_url"
    if state.clock() - entry.issued_at > RESPONSE_URL_TTL:
        return 404, "expired_url"
    if entry.posts >= RESPONSE_URL_MAX_POSTS:
        return 404, "used_url"
    if not isinstance(payload, dict):
        return 400, "invalid_payload"
    entry.posts += 1
    try:
        _apply(state, entry, payload)
    except SlackError as exc:
        return 400, exc.code
    return 200, None


def _apply(state: SlackState, entry: ResponseUrl, payload: dict[str, Any]) -> None:
    """Replace or delete the original, or post a new message (in channel or ephemeral)."""
    original: Message | Ephemeral | None = None
    if entry.message_ts is not None:
        if entry.ephemeral:
            original = next((e for e in state.ephemerals if e.ts == entry.message_ts), None)
        else:
            original = state.find_message(entry.channel_id, entry.message_ts)
    if truthy(payload.get("delete_original")):
        if original is not None:
            original.deleted = True
        return
    blocks = None
    if payload.get("blocks") not in (None, ""):
        blocks = blockkit.parse_blocks(payload["blocks"])
        errors = blockkit.check_message_blocks(blocks)
        if errors:
            raise SlackError("invalid_blocks", errors=errors)
    text = payload.get("text")
    if not text and not blocks:
        raise SlackError("no_text")
    if truthy(payload.get("replace_original")) and original is not None:
        replace(state, original, text, blocks)
        return
    ws = state.workspace
    if payload.get("response_type") == "in_channel":
        state.add_message(
            Message(
                entry.channel_id,
                state.next_ts(),
                ws.bot.user_id,
                str(text or ""),
                blocks or [],
                thread_ts=payload.get("thread_ts"),
                bot_id=ws.bot.bot_id,
            )
        )
    else:
        state.ephemerals.append(
            Ephemeral(
                entry.channel_id,
                entry.user_id,
                state.next_ts(),
                str(text or ""),
                blocks or [],
                source="response_url",
            )
        )

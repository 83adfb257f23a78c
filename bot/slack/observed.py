"""Every request Bolt answers, logged and counted in one place (`bot.observe.request`):
`ObservedApp.dispatch` is the one door of every request, over HTTP and Socket Mode alike. (Calls
to Slack's Web API are counted by `bot.slack.gateway.CountCalls`.)"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot import observe
from bot.slack.listeners.commands.subcommands import SUBCOMMANDS

log = logging.getLogger("bot.slack")

# A request's kind, as Slack names it in the payload's `type` (a slash command has none).
_EVENT_KINDS = {"event_callback": "event", "url_verification": "url_verification"}


def request_name(body: dict[str, Any]) -> tuple[str, str]:
    """(kind, name): "command" and "/learn now"; "block_actions" and the action id; a view's
    callback id; an event's type. Never the free text a person typed: a command's words are named
    only when they are one of Nudge's subcommands."""
    if "command" in body:
        words = str(body.get("text") or "").lower().split()
        known = [sub.words for sub in SUBCOMMANDS if tuple(words[: len(sub.words)]) == sub.words]
        longest = max(known, key=lambda sub_words: len(sub_words), default=())
        said = " ".join(longest) if longest else ("(other)" if words else "")
        return "command", f"{body['command']} {said}".strip()
    kind = str(body.get("type") or "unknown")
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return kind, str(actions[0].get("action_id") or "")
    if kind in ("view_submission", "view_closed", "shortcut", "message_action"):
        return kind, str((body.get("view") or body).get("callback_id") or "")
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type") or "")
    return _EVENT_KINDS.get(kind, kind), ""


class ObservedApp(App):
    """Bolt's App; each request it answers is one log line and counted (bot.observe.request)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        response = super().dispatch(req)
        try:
            _observe(req, response, time.perf_counter() - started)
        except Exception:  # what is logged must never change what Slack is answered
            log.exception("the request could not be logged")
        return response


def _observe(req: BoltRequest, response: BoltResponse, seconds: float) -> None:
    kind, action = request_name(req.body if isinstance(req.body, dict) else {})
    verified = response.status != 401  # an unsigned request's ids are anyone's words
    context = req.context
    observe.request(
        kind=kind,
        action=action[:80],
        workspace=str(context.team_id or context.enterprise_id or "")[:32] if verified else "",
        user=str(context.user_id or "")[:32] if verified else "",
        status=response.status,
        seconds=seconds,
    )

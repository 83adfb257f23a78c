"""views.*: modals (a stack of up to three per person) and Home tabs, and the trigger_ids that
open them.

A trigger_id is good for one views.open or views.push within 3 seconds by the clock, as on Slack,
so a bot that does slow work before opening its modal fails here the way it would there.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.localslack.errors import SlackError
from bot.localslack.methods.args import Args, require, view_arg
from bot.localslack.records import View
from bot.localslack.state import SlackState, Trigger

TRIGGER_TTL = 3.0
MODAL_STACK_LIMIT = 3


def open_(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "trigger_id")
    definition = view_arg(args)
    user_id = _take_trigger(state, str(args["trigger_id"]))
    view = new_view(state, user_id, definition)
    state.view_stacks[user_id] = [view]
    return {"ok": True, "view": view.to_slack()}


def push(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "trigger_id")
    definition = view_arg(args)
    user_id = _take_trigger(state, str(args["trigger_id"]))
    stack = state.view_stacks.setdefault(user_id, [])
    if len(stack) >= MODAL_STACK_LIMIT:
        raise SlackError("push_limit_reached")
    view = new_view(state, user_id, definition)
    stack_on(stack, view)
    return {"ok": True, "view": view.to_slack()}


def update(state: SlackState, args: Args) -> dict[str, Any]:
    if not args.get("view_id") and not args.get("external_id"):
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] either view_id or external_id is required"]},
        )
    definition = view_arg(args)
    view = _find_view(state, args.get("view_id"), args.get("external_id"))
    if view is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != view.hash:
        raise SlackError("hash_conflict")
    view.definition = definition
    view.hash = state.new_hash()
    return {"ok": True, "view": view.to_slack()}


def publish(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "user_id")
    definition = view_arg(args)
    if definition.get("type") != "home":
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] must be home [json-pointer:/view/type]"]},
        )
    user_id = str(args["user_id"])
    if state.workspace.user(user_id) is None:
        raise SlackError("user_not_found")
    current = state.homes.get(user_id)
    if current is not None and args.get("hash") and args["hash"] != current.hash:
        raise SlackError("hash_conflict")
    if current is None:
        current = new_view(state, user_id, definition)
        state.homes[user_id] = current
    else:
        current.definition, current.hash = definition, state.new_hash()
    return {"ok": True, "view": current.to_slack()}


def issue_trigger(state: SlackState, user_id: str) -> str:
    """A trigger_id in Slack's shape, as the driver hands one to an interaction."""
    serial = state.next_serial()
    trigger_id = f"{serial}.{int(state.clock())}.{secrets.token_hex(16)}"
    state.triggers[trigger_id] = Trigger(user_id, state.clock())
    return trigger_id


def new_view(state: SlackState, user_id: str, definition: dict[str, Any]) -> View:
    ws = state.workspace
    return View(
        id=f"V{state.next_serial():010d}",
        user_id=user_id,
        team_id=ws.team.id,
        app_id=ws.bot.app_id,
        bot_id=ws.bot.bot_id,
        definition=definition,
        hash=state.new_hash(),
    )


def stack_on(stack: list[View], view: View) -> None:
    """Push ``view`` on a modal stack, linking it to the root and to the view it covers."""
    if stack:
        view.root_view_id, view.previous_view_id = stack[0].id, stack[-1].id
    stack.append(view)


def _take_trigger(state: SlackState, trigger_id: str) -> str:
    trigger = state.triggers.get(trigger_id)
    if trigger is None:
        raise SlackError("invalid_trigger_id")
    if trigger.used:
        raise SlackError("exchanged_trigger_id")
    if state.clock() - trigger.issued_at > TRIGGER_TTL:
        raise SlackError("expired_trigger_id")
    trigger.used = True
    return trigger.user_id


def _find_view(state: SlackState, view_id: Any, external_id: Any) -> View | None:
    candidates = [v for stack in state.view_stacks.values() for v in stack]
    candidates += list(state.homes.values())
    for view in candidates:
        if view_id and view.id == view_id:
            return view
        if external_id and view.external_id == external_id:
            return view
    return None

"""What a modal submission carries in ``view.state.values``: each element's value, in the shape
Slack gives that element's type (a plain value, a selected option, a user id, a date...). The
driver fills it from a test's plain values, as a person's typing and picking would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.localslack import blockkit


def options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def has_option(element: dict[str, Any], value: str) -> bool:
    return any(o.get("value") == value for o in options(element))


def state_values(
    blocks: list[dict[str, Any]], values: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """``view.state.values`` shaped per element type, as Slack sends them on submission."""
    state: dict[str, dict[str, Any]] = {}
    for block, element in blockkit.iter_elements(blocks):
        block_id, action_id = block.get("block_id", ""), element.get("action_id", "")
        given = values.get(block_id, {})
        if block.get("type") != "input" and action_id not in given:
            continue
        state.setdefault(block_id, {})[action_id] = _element_state(element, given.get(action_id))
    for block_id, by_action in values.items():  # values for blocks the view lacks: pass through
        for action_id, raw in by_action.items():
            state.setdefault(block_id, {}).setdefault(
                action_id,
                raw if isinstance(raw, dict) else {"type": "plain_text_input", "value": raw},
            )
    return state


def _element_state(element: dict[str, Any], raw: Any) -> dict[str, Any]:
    kind = element.get("type")
    if isinstance(raw, dict) and "type" in raw:
        return raw
    if kind in ("static_select", "radio_buttons", "external_select"):
        option = next((o for o in options(element) if o.get("value") == raw), None)
        if raw is not None and option is None and kind != "external_select":
            raise LookupError(f"no option {raw!r} in {element.get('action_id')!r}")
        return {"type": kind, "selected_option": option}
    if kind in ("multi_static_select", "checkboxes"):
        chosen = [o for o in options(element) if o.get("value") in (raw or [])]
        return {"type": kind, "selected_options": chosen}
    if kind in ("users_select", "conversations_select", "channels_select"):
        key = {
            "users_select": "selected_user",
            "conversations_select": "selected_conversation",
            "channels_select": "selected_channel",
        }[kind]
        return {"type": kind, key: raw}
    if kind in ("multi_users_select", "multi_channels_select"):
        key = "selected_users" if kind == "multi_users_select" else "selected_channels"
        return {"type": kind, key: list(raw or [])}
    if kind == "datepicker":
        return {"type": kind, "selected_date": raw}
    if kind == "timepicker":
        return {"type": kind, "selected_time": raw}
    return {"type": kind, "value": raw}

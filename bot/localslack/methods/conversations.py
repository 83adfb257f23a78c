"""conversations.*: who is in a channel, and the DM the bot opens to talk to one person."""

from __future__ import annotations

from typing import Any

from bot.localslack.errors import SlackError
from bot.localslack.methods.args import Args, page, require, truthy
from bot.localslack.state import SlackState, dm_channel_id


def members(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "channel")
    everyone = state.channel_members(str(args["channel"]))
    listed, next_cursor = page(everyone, args, "members", 100)
    return {"ok": True, "members": listed, "response_metadata": {"next_cursor": next_cursor}}


def open_(state: SlackState, args: Args) -> dict[str, Any]:
    if args.get("channel"):
        existing = str(args["channel"])
        state.channel_members(existing)  # raises channel_not_found
        return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": existing}}
    users = args.get("users")
    if isinstance(users, list):
        users = ",".join(users)
    ids = [u.strip() for u in str(users or "").split(",") if u.strip()]
    if not ids:
        raise SlackError("users_list_not_supplied")
    if len(ids) > 1:
        # multi-person DMs are not modelled: Nudge only ever opens one-to-one DMs
        raise SlackError("method_not_supported_for_channel_type")
    user = state.workspace.user(ids[0])
    if user is None:
        raise SlackError("user_not_found")
    channel_id = dm_channel_id(user.id)
    channel: dict[str, Any] = {"id": channel_id}
    if truthy(args.get("return_im")):
        channel.update({"is_im": True, "user": user.id, "is_open": True})
    if channel_id in state.opened_dms:
        return {"ok": True, "no_op": True, "already_open": True, "channel": channel}
    state.opened_dms.add(channel_id)
    return {"ok": True, "channel": channel}

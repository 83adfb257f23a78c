"""users.* and usergroups.*: the people of the workspace, as the bot looks them up.

User objects carry time zone fields computed from the clock at call time (see
:mod:`bot.localslack.users`), so a test sees a daylight-saving shift as the bot would.
"""

from __future__ import annotations

from typing import Any

from bot.localslack.errors import SlackError
from bot.localslack.methods.args import Args, page, require, truthy
from bot.localslack.state import SlackState
from bot.localslack.users import bot_object, human_object


def info(state: SlackState, args: Args) -> dict[str, Any]:
    user_id = str(args.get("user") or "")
    if not user_id:
        raise SlackError("user_not_found")
    return {"ok": True, "user": _user_object(state, user_id, truthy(args.get("include_locale")))}


def list_(state: SlackState, args: Args) -> dict[str, Any]:
    ids = [state.workspace.bot.user_id] + [u.id for u in state.workspace.users]
    members, next_cursor = page(ids, args, "users", 1000)
    locale = truthy(args.get("include_locale"))
    return {
        "ok": True,
        "members": [_user_object(state, i, locale) for i in members],
        "cache_ts": int(state.clock()),
        "response_metadata": {"next_cursor": next_cursor},
    }


def usergroups_users_list(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "usergroup")
    group = state.workspace.usergroup(str(args["usergroup"]))
    if group is None:
        raise SlackError("no_such_subteam")
    return {"ok": True, "users": list(group.users)}


def _user_object(state: SlackState, user_id: str, include_locale: bool) -> dict[str, Any]:
    ws, now = state.workspace, state.clock()
    if user_id == ws.bot.user_id:
        return bot_object(ws.bot, ws, now, include_locale=include_locale)
    user = ws.user(user_id)
    if user is None:
        raise SlackError("user_not_found")
    return human_object(user, ws, now, include_locale=include_locale)

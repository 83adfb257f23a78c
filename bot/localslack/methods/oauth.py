"""oauth.v2.access: the code an install's redirect carries, exchanged for the workspace's bot token.

The transport checks the app's credentials and redeems the code before this runs (see
:mod:`bot.localslack.tenants`), so ``state`` is the workspace that approved the install, and the
arguments carry who approved it and the scopes the app asked for (all granted).
"""

from __future__ import annotations

from typing import Any

from bot.localslack.methods.args import Args
from bot.localslack.state import SlackState


def v2_access(state: SlackState, args: Args) -> dict[str, Any]:
    ws = state.workspace
    state.installed = True
    return {
        "ok": True,
        "app_id": ws.bot.app_id,
        "authed_user": {"id": str(args.get("authed_user") or "")},
        "scope": str(args.get("scope") or ""),  # what the install page was asked for
        "token_type": "bot",
        "access_token": ws.bot.token,
        "bot_user_id": ws.bot.user_id,
        "team": {"id": ws.team.id, "name": ws.team.name},
        "enterprise": None,
        "is_enterprise_install": False,
    }

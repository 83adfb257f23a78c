"""auth.*: who the token belongs to, the call the bot makes first and Bolt makes on start.

Only the bot token exists today, so auth.test always describes the bot; an OAuth install flow
would add its methods (and its tokens) here.
"""

from __future__ import annotations

from typing import Any

from bot.localslack.methods.args import Args
from bot.localslack.state import SlackState


def test(state: SlackState, args: Args) -> dict[str, Any]:
    ws = state.workspace
    return {
        "ok": True,
        "url": f"https://{ws.team.domain}.slack.com/",
        "team": ws.team.name,
        "user": ws.bot.name,
        "team_id": ws.team.id,
        "user_id": ws.bot.user_id,
        "bot_id": ws.bot.bot_id,
        "is_enterprise_install": False,
    }

"""apps.connections.open: the one call an app-level token (xapp-...) makes, to open Socket Mode.

The URL it returns names a ticket that one WebSocket connection to the local Slack's Socket Mode
server may use (see :mod:`bot.localslack.socketmode`), as Slack's ``wss://.../link/?ticket=``.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.localslack.errors import SlackError
from bot.localslack.methods.args import Args
from bot.localslack.state import SlackState


def connections_open(state: SlackState, args: Args) -> dict[str, Any]:
    if not state.socket_url:
        raise SlackError("internal_error")  # the local Slack was started without Socket Mode
    ticket = f"{state.next_serial()}-{secrets.token_hex(16)}"
    state.socket_tickets.add(ticket)
    app_id = state.workspace.bot.app_id
    return {"ok": True, "url": f"{state.socket_url}/link/?ticket={ticket}&app_id={app_id}"}

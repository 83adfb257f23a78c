"""The Web API methods the local Slack serves: one table from Slack's method name to its handler.

A handler runs under the state's lock with the merged request arguments and returns the success
body, or raises :class:`~bot.localslack.errors.SlackError` for Slack's ``ok: false`` answer.
Serving a new method is one module function and one row here (and its tier in :mod:`tiers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from bot.localslack.methods import apps, auth, chat, conversations, files, oauth, users, views
from bot.localslack.methods.args import Args
from bot.localslack.state import SlackState

Handler = Callable[[SlackState, Args], dict[str, Any]]

HANDLERS: Final[Mapping[str, Handler]] = {
    "apps.connections.open": apps.connections_open,
    "auth.test": auth.test,
    "chat.postEphemeral": chat.post_ephemeral,
    "chat.postMessage": chat.post_message,
    "chat.update": chat.update,
    "conversations.members": conversations.members,
    "conversations.open": conversations.open_,
    "files.completeUploadExternal": files.complete_upload_external,
    "files.getUploadURLExternal": files.get_upload_url_external,
    "oauth.v2.access": oauth.v2_access,
    "usergroups.users.list": users.usergroups_users_list,
    "users.info": users.info,
    "users.list": users.list_,
    "views.open": views.open_,
    "views.publish": views.publish,
    "views.push": views.push,
    "views.update": views.update,
}

#: The methods an app-level token calls, and the only ones it may: every other method wants the
#: bot token, and each kind of token is refused elsewhere with not_allowed_token_type.
APP_TOKEN_METHODS: Final[frozenset[str]] = frozenset({"apps.connections.open"})

#: The methods the app calls with its client id and secret instead of a token.
CLIENT_METHODS: Final[frozenset[str]] = frozenset({"oauth.v2.access"})

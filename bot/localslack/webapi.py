"""The Web API methods the local Slack serves, in Slack's shapes and with Slack's error codes.

A mixin of :class:`bot.localslack.server.LocalSlack`: each ``api_<method>`` runs under the
emulator's lock with the merged request arguments and returns the success body or raises
:class:`SlackError`.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from bot.localslack import blockkit
from bot.localslack.errors import SlackError
from bot.localslack.records import Ephemeral, Message, UploadedFile, View
from bot.localslack.users import bot_object, human_object

if TYPE_CHECKING:
    from bot.localslack.server import LocalSlack

MESSAGE_TEXT_LIMIT = 40_000


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes")


def _require(args: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if args.get(n) in (None, "")]
    if missing:
        messages = [f"[ERROR] missing required field: {n}" for n in missing]
        raise SlackError("invalid_arguments", response_metadata={"messages": messages})


def _cursor_encode(kind: str, index: int) -> str:
    return base64.b64encode(f"{kind}:{index}".encode()).decode()


def _cursor_decode(kind: str, cursor: Any) -> int:
    if cursor in (None, ""):
        return 0
    try:
        prefix, _, index = base64.b64decode(str(cursor), validate=True).decode().partition(":")
        if prefix != kind:
            raise ValueError(prefix)
        return int(index)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise SlackError("invalid_cursor") from exc


def _limit(args: dict[str, Any], default: int) -> int:
    raw = args.get("limit")
    if raw in (None, "", 0, "0"):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise SlackError("invalid_limit") from exc
    if value < 1 or value > 1000:
        raise SlackError("invalid_limit")
    return value


def _page(items: list[Any], args: dict[str, Any], kind: str, default: int) -> tuple[list, str]:
    start = _cursor_decode(kind, args.get("cursor"))
    size = _limit(args, default)
    if start > len(items):
        raise SlackError("invalid_cursor")
    end = start + size
    next_cursor = _cursor_encode(kind, end) if end < len(items) else ""
    return items[start:end], next_cursor


def _blocks_arg(args: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Parse and check ``blocks``; None when absent. Raises invalid_blocks like Slack."""
    if args.get("blocks") in (None, ""):
        return None
    blocks = blockkit.parse_blocks(args["blocks"])
    if isinstance(blocks, str):
        raise SlackError("invalid_blocks_format")
    errors = blockkit.check_message_blocks(blocks)
    if errors:
        raise SlackError(
            "invalid_blocks",
            errors=errors,
            response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
        )
    if blockkit.total_text_length(blocks) > blockkit.MESSAGE_MAX_BLOCK_TEXT:
        raise SlackError("msg_blocks_too_long")
    return blocks


def _view_arg(args: dict[str, Any]) -> dict[str, Any]:
    _require(args, "view")
    view = args["view"]
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except json.JSONDecodeError as exc:
            raise SlackError(
                "invalid_arguments",
                response_metadata={
                    "messages": ["[ERROR] failed to parse json [json-pointer:/view]"]
                },
            ) from exc
    if blockkit.view_size(view) > blockkit.VIEW_MAX_BYTES:
        raise SlackError("view_too_large")
    errors = blockkit.check_view(view)
    if errors:
        raise SlackError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] {e}" for e in errors]}
        )
    return view


class WebApi:
    """Handlers of the served methods; mixed into LocalSlack, which owns the state they touch."""

    # -- auth ---------------------------------------------------------------------------------
    def api_auth_test(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        ws = self.workspace
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

    # -- users --------------------------------------------------------------------------------
    def _user_object(self: LocalSlack, user_id: str, include_locale: bool) -> dict[str, Any]:
        ws, now = self.workspace, self._clock()
        if user_id == ws.bot.user_id:
            return bot_object(ws.bot, ws, now, include_locale=include_locale)
        user = ws.user(user_id)
        if user is None:
            raise SlackError("user_not_found")
        return human_object(user, ws, now, include_locale=include_locale)

    def api_users_info(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user") or "")
        if not user_id:
            raise SlackError("user_not_found")
        return {"ok": True, "user": self._user_object(user_id, _truthy(args.get("include_locale")))}

    def api_users_list(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        ids = [self.workspace.bot.user_id] + [u.id for u in self.workspace.users]
        page, next_cursor = _page(ids, args, "users", 1000)
        locale = _truthy(args.get("include_locale"))
        return {
            "ok": True,
            "members": [self._user_object(i, locale) for i in page],
            "cache_ts": int(self._clock()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def api_usergroups_users_list(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "usergroup")
        group = self.workspace.usergroup(str(args["usergroup"]))
        if group is None:
            raise SlackError("no_such_subteam")
        return {"ok": True, "users": list(group.users)}

    # -- conversations ------------------------------------------------------------------------
    def api_conversations_members(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel")
        members = self._channel_members(str(args["channel"]))
        page, next_cursor = _page(members, args, "members", 100)
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": next_cursor}}

    def api_conversations_open(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            channel = str(args["channel"])
            self._channel_members(channel)  # raises channel_not_found
            return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": channel}}
        users = args.get("users")
        if isinstance(users, list):
            users = ",".join(users)
        ids = [u.strip() for u in str(users or "").split(",") if u.strip()]
        if not ids:
            raise SlackError("users_list_not_supplied")
        if len(ids) > 1:
            # multi-person DMs are not modelled: Nudge only ever opens one-to-one DMs
            raise SlackError("method_not_supported_for_channel_type")
        user = self.workspace.user(ids[0])
        if user is None:
            raise SlackError("user_not_found")
        channel_id = self.dm_channel_id(user.id)
        channel: dict[str, Any] = {"id": channel_id}
        if _truthy(args.get("return_im")):
            channel.update({"is_im": True, "user": user.id, "is_open": True})
        if channel_id in self._opened_dms:
            return {"ok": True, "no_op": True, "already_open": True, "channel": channel}
        self._opened_dms.add(channel_id)
        return {"ok": True, "channel": channel}

    # -- chat ---------------------------------------------------------------------------------
    def api_chat_postMessage(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel")
        channel = self._resolve_post_channel(str(args["channel"]))
        blocks = _blocks_arg(args)
        text = args.get("text")
        if not text and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        text = str(text or "")[:MESSAGE_TEXT_LIMIT]
        ws = self.workspace
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            user=ws.bot.user_id,
            text=text,
            blocks=blocks or [],
            bot_id=ws.bot.bot_id,
            thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
        )
        self._messages.setdefault(channel, []).append(message)
        return {
            "ok": True,
            "channel": channel,
            "ts": message.ts,
            "message": self._message_body(message),
        }

    def api_chat_update(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "ts")
        channel = self._resolve_post_channel(str(args["channel"]))
        message = self._find_message(channel, str(args["ts"]))
        if message is None:
            raise SlackError("message_not_found")
        if message.user != self.workspace.bot.user_id:
            raise SlackError("cant_update_message")
        blocks = _blocks_arg(args)
        if args.get("text") in (None, "") and blocks is None:
            raise SlackError("no_text")
        self._replace(message, args.get("text"), blocks)
        body = {"text": message.text}
        if message.blocks:
            body["blocks"] = message.blocks  # type: ignore[assignment]
        return {
            "ok": True,
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": body,
        }

    def api_chat_postEphemeral(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "user")
        channel = self._resolve_post_channel(str(args["channel"]))
        user_id = str(args["user"])
        if self.workspace.user(user_id) is None:
            raise SlackError("user_not_found")
        if user_id not in self._channel_members(channel):
            raise SlackError("user_not_in_channel")
        blocks = _blocks_arg(args)
        if not args.get("text") and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        ephemeral = Ephemeral(
            channel=channel,
            user=user_id,
            ts=self._next_ts(),
            text=str(args.get("text") or "")[:MESSAGE_TEXT_LIMIT],
            blocks=blocks or [],
        )
        self._ephemerals.append(ephemeral)
        return {"ok": True, "message_ts": ephemeral.ts}

    # -- views --------------------------------------------------------------------------------
    def _take_trigger(self: LocalSlack, trigger_id: str) -> str:
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if self._clock() - trigger.issued_at > 3.0:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger.user_id

    def api_views_open(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "trigger_id")
        definition = _view_arg(args)
        user_id = self._take_trigger(str(args["trigger_id"]))
        view = self._new_view(user_id, definition)
        self._view_stacks[user_id] = [view]
        return {"ok": True, "view": view.to_slack()}

    def api_views_push(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "trigger_id")
        definition = _view_arg(args)
        user_id = self._take_trigger(str(args["trigger_id"]))
        stack = self._view_stacks.setdefault(user_id, [])
        if len(stack) >= 3:
            raise SlackError("push_limit_reached")
        view = self._new_view(user_id, definition)
        if stack:
            view.root_view_id, view.previous_view_id = stack[0].id, stack[-1].id
        stack.append(view)
        return {"ok": True, "view": view.to_slack()}

    def api_views_update(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("view_id") and not args.get("external_id"):
            raise SlackError(
                "invalid_arguments",
                response_metadata={
                    "messages": ["[ERROR] either view_id or external_id is required"]
                },
            )
        definition = _view_arg(args)
        view = self._find_view(args.get("view_id"), args.get("external_id"))
        if view is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != view.hash:
            raise SlackError("hash_conflict")
        view.definition = definition
        view.hash = self._new_hash()
        return {"ok": True, "view": view.to_slack()}

    def api_views_publish(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "user_id")
        definition = _view_arg(args)
        if definition.get("type") != "home":
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] must be home [json-pointer:/view/type]"]},
            )
        user_id = str(args["user_id"])
        if self.workspace.user(user_id) is None:
            raise SlackError("user_not_found")
        current = self._homes.get(user_id)
        if current is not None and args.get("hash") and args["hash"] != current.hash:
            raise SlackError("hash_conflict")
        if current is None:
            current = self._new_view(user_id, definition)
            self._homes[user_id] = current
        else:
            current.definition, current.hash = definition, self._new_hash()
        return {"ok": True, "view": current.to_slack()}

    # -- files --------------------------------------------------------------------------------
    def api_files_getUploadURLExternal(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "filename", "length")
        try:
            length = int(args["length"])
        except (TypeError, ValueError) as exc:
            raise SlackError("invalid_arguments") from exc
        file_id = f"F{len(self._files) + 1:09d}"
        self._files.append(UploadedFile(id=file_id, filename=str(args["filename"]), length=length))
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def api_files_completeUploadExternal(self: LocalSlack, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "files")
        raw = args["files"]
        try:
            entries = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError as exc:
            raise SlackError("invalid_arguments") from exc
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        channel = None
        if args.get("channel_id"):
            channel = self._resolve_post_channel(str(args["channel_id"]))
        files: list[UploadedFile] = []
        for entry in entries:
            found = next((f for f in self._files if f.id == entry.get("id")), None)
            if found is None or found.content is None:
                raise SlackError("file_not_found")
            files.append(found)
        out = []
        for f in files:
            f.title = str(entries[files.index(f)].get("title") or f.filename)
            f.completed, f.channel_id = True, channel
            f.initial_comment = args.get("initial_comment") or None
            f.thread_ts = args.get("thread_ts") or None
            out.append(
                {
                    "id": f.id,
                    "name": f.filename,
                    "title": f.title,
                    "size": f.length,
                    "created": int(self._clock()),
                    "user": self.workspace.bot.user_id,
                }
            )
        if channel is not None:
            ws = self.workspace
            message = Message(
                channel=channel,
                ts=self._next_ts(),
                user=ws.bot.user_id,
                text=str(args.get("initial_comment") or ""),
                bot_id=ws.bot.bot_id,
                files=[f.id for f in files],
                thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
            )
            self._messages.setdefault(channel, []).append(message)
        return {"ok": True, "files": out}

    # -- helpers the handlers share -------------------------------------------------------------
    def _message_body(self: LocalSlack, message: Message) -> dict[str, Any]:
        return message.to_slack(self.workspace.team.id)

    def _replace(
        self: LocalSlack,
        target: Message | Ephemeral,
        text: Any,
        blocks: list[dict[str, Any]] | None,
    ) -> None:
        from bot.localslack.records import MessageVersion

        target.edits.append(MessageVersion(target.text, target.blocks, self._clock()))
        target.text = str(text or "")[:MESSAGE_TEXT_LIMIT]
        target.blocks = blocks or []

    def _find_view(self: LocalSlack, view_id: Any, external_id: Any) -> View | None:
        candidates = [v for stack in self._view_stacks.values() for v in stack]
        candidates += list(self._homes.values())
        for view in candidates:
            if view_id and view.id == view_id:
                return view
            if external_id and view.external_id == external_id:
                return view
        return None

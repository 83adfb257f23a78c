"""SlackDriver: sends the bot the requests Slack sends, signed, over real HTTP.

Commands, button clicks, modal submissions and events are built from what the local Slack holds
(the real blocks of a message, the real view), so a test clicks what a person would see and the
bot's request verification, parsing and acknowledgement run exactly as in production.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.localslack import blockkit
from bot.localslack.records import EnvelopeType, Ephemeral, Message, View
from bot.localslack.server import LocalSlack
from bot.localslack.viewstate import has_option, options, state_values

VERIFICATION_TOKEN = "localslack-verification-token"  # deprecated by Slack, still sent


@dataclass
class DriverResponse:
    """The bot's HTTP answer; ``payload`` is what the driver sent (e.g. to reuse an event_id)."""

    status: int
    headers: dict[str, str]
    body: str
    elapsed: float
    payload: dict[str, Any] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON; None when the bot acknowledged with an empty body."""
        return json.loads(self.body) if self.body.strip() else None


@dataclass(frozen=True)
class PreparedRequest:
    """A signed request built but not sent (see :meth:`SlackDriver.capture`)."""

    url: str
    body: bytes
    headers: dict[str, str]


class SlackDriver:
    """Plays Slack's side of ``/slack/events`` for one workspace (``slack``)."""

    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        slack: LocalSlack,
        *,
        clock: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        self.events_url = events_url
        self.slack = slack
        self._clock = clock
        self._timeout = timeout
        self._signer = SignatureVerifier(signing_secret)
        self._captured: list[PreparedRequest] | None = None

    @contextmanager
    def capture(self) -> Iterator[list[PreparedRequest]]:
        """Build and sign requests without sending them: inside the block each request method
        adds its request to the yielded list and returns status 0. A load generator in another
        process can then send them, so that its clients share no interpreter lock with the bot
        they time. Signatures are Slack's 5 minutes fresh; not for threads sending meanwhile."""
        captured: list[PreparedRequest] = []
        self._captured = captured
        try:
            yield captured
        finally:
            self._captured = None

    # -- the requests -------------------------------------------------------------------------
    def command(
        self,
        user_id: str,
        text: str = "",
        *,
        command: str = "/learn",
        channel_id: str | None = None,
    ) -> DriverResponse:
        """A slash command as Slack posts it (form-encoded); from the user's DM by default."""
        user = self.slack.user(user_id)
        ws = self.slack.workspace
        channel_id = channel_id or self.slack.dm_channel_id(user_id)
        channel = ws.channel(channel_id)
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": ws.team.id,
            "team_domain": ws.team.domain,
            "channel_id": channel_id,
            "channel_name": channel.name if channel else "directmessage",
            "user_id": user_id,
            "user_name": user.name,
            "command": command,
            "text": text,
            "api_app_id": ws.bot.app_id,
            "is_enterprise_install": "false",
            "response_url": self.slack.new_response_url(channel_id, user_id),
            "trigger_id": self.slack.new_trigger_id(user_id),
        }
        response = self._deliver("slash_commands", fields)
        if response.status == 200:
            self.slack.show_command_ack(channel_id, user_id, response.body)
        return response

    def click(
        self,
        user_id: str,
        message_or_view: Message | Ephemeral | View,
        *,
        action_id: str | None = None,
        value: str | None = None,
        index: int | None = None,
    ) -> DriverResponse:
        """Press a button (or pick a select option by ``value``) on a message, ephemeral or view.

        Choose the element by ``action_id`` (and ``value`` among buttons sharing it), by ``value``
        alone, or by its 1-based ``index`` among all buttons (the console's ``[n]``).
        """
        target = message_or_view
        block, element = self._choose(target.blocks, action_id, value, index)
        action: dict[str, Any] = {
            "action_id": element.get("action_id", ""),
            "block_id": block.get("block_id", ""),
            "type": element.get("type"),
            "action_ts": f"{self._clock():.6f}",
        }
        if element.get("type") == "button":
            action["text"] = element.get("text")
            if "value" in element:
                action["value"] = element["value"]
            if "style" in element:
                action["style"] = element["style"]
        else:
            option = self._option(element, value)
            action["selected_option"] = option
        payload = self._base_interaction("block_actions", user_id)
        payload["actions"] = [action]
        payload["state"] = {"values": {}}
        if isinstance(target, View):
            payload["container"] = {"type": "view", "view_id": target.id}
            payload["view"] = target.to_slack()
        else:
            is_ephemeral = isinstance(target, Ephemeral)
            payload["container"] = {
                "type": "message",
                "message_ts": target.ts,
                "channel_id": target.channel,
                "is_ephemeral": is_ephemeral,
            }
            channel = self.slack.workspace.channel(target.channel)
            payload["channel"] = {
                "id": target.channel,
                "name": channel.name if channel else "directmessage",
            }
            if isinstance(target, Message):
                payload["message"] = target.to_slack(self.slack.team_id)
            payload["response_url"] = self.slack.new_response_url(
                target.channel, user_id, message_ts=target.ts, ephemeral=is_ephemeral
            )
        return self._deliver("interactive", payload)

    def submit_view(
        self, user_id: str, view: View, values: Mapping[str, Mapping[str, Any]]
    ) -> DriverResponse:
        """Submit a modal with ``values[block_id][action_id]`` (plain values, option values...).

        After the bot's acknowledgement the local Slack's modal stack changes as Slack's would
        (closed, updated, pushed, cleared or kept open on ``errors``).
        """
        state = state_values(view.blocks, values)
        view_data = view.to_slack()
        view_data["state"] = {"values": state}
        payload = self._base_interaction("view_submission", user_id)
        payload["view"] = view_data
        payload["response_urls"] = []
        response = self._deliver("interactive", payload)
        if response.status == 200:
            try:
                ack = response.json()
            except json.JSONDecodeError:
                ack = None
            self.slack.apply_view_ack(user_id, view.id, ack if isinstance(ack, dict) else None)
        return response

    def event(
        self,
        event: dict[str, Any],
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        event_id: str | None = None,
    ) -> DriverResponse:
        """An Events API delivery; pass the first delivery's ``event_id`` when retrying it."""
        ws = self.slack.workspace
        payload = {
            "token": VERIFICATION_TOKEN,
            "team_id": ws.team.id,
            "api_app_id": ws.bot.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(self._clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": ws.team.id,
                    "user_id": ws.bot.user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        retry = None if retry_num is None else (retry_num, retry_reason or "http_timeout")
        return self._deliver("events_api", payload, retry=retry)

    def message(
        self, user_id: str, channel_id: str, text: str, *, thread_ts: str | None = None
    ) -> tuple[Message, DriverResponse]:
        """A person writes in a channel or DM (in the thread of `thread_ts`): the message appears
        in the local Slack and the bot gets its `message` event (message.im / message.channels)."""
        message = self.slack.post_user_message(user_id, channel_id, text, thread_ts=thread_ts)
        channel = self.slack.workspace.channel(channel_id)
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel_id,
            "channel_type": "channel" if channel else "im",
            "user": user_id,
            "text": text,
            "ts": message.ts,
            "event_ts": message.ts,
            "team": self.slack.team_id,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return message, self.event(event)

    def url_verification(self, challenge: str) -> DriverResponse:
        payload = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return self._post(json.dumps(payload).encode(), "application/json", payload)

    def post_raw(self, body: bytes, headers: Mapping[str, str]) -> DriverResponse:
        """Send exactly these bytes and headers (no signing): for signature tests."""
        return self._send(body, dict(headers), {})

    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        """The two signing headers Slack adds, for ``body`` at ``timestamp`` (default: now)."""
        ts = str(int(self._clock()) if timestamp is None else timestamp)
        signature = self._signer.generate_signature(timestamp=ts, body=body)
        assert signature is not None
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    # -- building blocks ----------------------------------------------------------------------
    def _base_interaction(self, kind: str, user_id: str) -> dict[str, Any]:
        user = self.slack.user(user_id)
        ws = self.slack.workspace
        return {
            "type": kind,
            "team": {"id": ws.team.id, "domain": ws.team.domain},
            "user": {
                "id": user_id,
                "username": user.name,
                "name": user.name,
                "team_id": ws.team.id,
            },
            "api_app_id": ws.bot.app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.slack.new_trigger_id(user_id),
            "enterprise": None,
            "is_enterprise_install": False,
        }

    @staticmethod
    def _choose(
        blocks: list[dict[str, Any]], action_id: str | None, value: str | None, index: int | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        all_buttons = blockkit.buttons(blocks)
        if index is not None:
            if not 1 <= index <= len(all_buttons):
                raise LookupError(f"no button [{index}]; there are {len(all_buttons)}")
            return all_buttons[index - 1]
        candidates = [
            (b, e)
            for b, e in blockkit.iter_elements(blocks)
            if (action_id is None or e.get("action_id") == action_id)
            and (value is None or e.get("type") != "button" or e.get("value") == value)
        ]
        if value is not None and action_id is None:
            candidates = [(b, e) for b, e in candidates if e.get("type") == "button"] or [
                (b, e) for b, e in candidates if has_option(e, value)
            ]
        if not candidates:
            found = [
                (e.get("action_id"), e.get("value")) for _, e in blockkit.iter_elements(blocks)
            ]
            raise LookupError(
                f"no element with action_id={action_id!r} value={value!r}; there are {found}"
            )
        return candidates[0]

    @staticmethod
    def _option(element: dict[str, Any], value: str | None) -> dict[str, Any] | None:
        for option in options(element):
            if value is None or option.get("value") == value:
                return option
        raise LookupError(f"no option {value!r} in {element.get('action_id')!r}")

    def _deliver(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        retry: tuple[int, str] | None = None,
    ) -> DriverResponse:
        """Hand the app one request of ``kind``: here over HTTP, encoded as Slack posts that kind
        and signed; :class:`~bot.localslack.socketdriver.SocketModeDriver` sends it in an envelope
        instead. ``retry``: the Events API's retry number and reason."""
        if kind == "events_api":
            body, content_type = json.dumps(payload).encode(), "application/json"
        else:
            fields = payload if kind == "slash_commands" else {"payload": json.dumps(payload)}
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers = {}
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry[0])
            headers["X-Slack-Retry-Reason"] = retry[1]
        return self._post(body, content_type, payload, headers)

    def _post(
        self,
        body: bytes,
        content_type: str,
        payload: dict[str, Any],
        extra: Mapping[str, str] | None = None,
    ) -> DriverResponse:
        headers = {"Content-Type": content_type, **self.sign(body), **(extra or {})}
        return self._send(body, headers, payload)

    def _send(
        self, body: bytes, headers: dict[str, str], payload: dict[str, Any]
    ) -> DriverResponse:
        if self._captured is not None:
            self._captured.append(PreparedRequest(self.events_url, body, headers))
            return DriverResponse(status=0, headers={}, body="", elapsed=0.0, payload=payload)
        request = urllib.request.Request(self.events_url, data=body, headers=headers, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as resp:
                status, got_headers, raw = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as error:
            status, got_headers, raw = error.code, dict(error.headers), error.read()
        return DriverResponse(
            status=status,
            headers=got_headers,
            body=raw.decode("utf-8", errors="replace"),
            elapsed=time.perf_counter() - started,
            payload=payload,
        )

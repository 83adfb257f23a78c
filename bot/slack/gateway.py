"""Nudge's calls to Slack: one WebClient with slack_sdk's retry handlers, and the port built on it."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    BackoffRetryIntervalCalculator,
    FixedValueRetryIntervalCalculator,
)

from bot import observe
from bot.delivery.outbox import (
    ChannelQuestionPost,
    DigestPost,
    LessonPost,
    QuestionPost,
    SendCutOff,
    SendFailed,
    SentMessage,
)
from bot.i18n import translator
from bot.learning.model import MemberProfile
from bot.settings import Settings
from bot.slack.blocks.lesson import lesson_message
from bot.slack.blocks.question import channel_question_message, question_message
from bot.slack.message import SlackMessage
from bot.slack.profiles import ProfileCache

if TYPE_CHECKING:
    # Only for the type: the export and the lead's reports are imported by what makes them.
    from bot.services.own_data import ExportFile

Sleep = Callable[[float], None]


class RetryAfterHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (wait for Retry-After, plus a little jitter so that threads that
    were refused together do not return together), waiting through an injectable `sleep`:
    slack_sdk's own calls time.sleep directly, which a test could only sit through."""

    def __init__(self, max_retry_count: int, sleep: Sleep = time.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("a 429 retry without a response")
        state.next_attempt_requested = True
        retry_after = next(
            (
                values[0]
                for name, values in response.headers.items()
                if name.lower() == "retry-after"
            ),
            "1",
        )
        self._sleep(int(retry_after) + random.random())
        state.increment_current_attempt()


class CountCalls(RetryHandler):
    """Counts every attempt of a Web API call by method and status (bot.observe); never asks for
    a retry. slack_sdk shows every answer, and every failure to get one, to the client's retry
    handlers, and Bolt copies the app client's handlers into the client it makes for each
    request: so this one handler, first in `make_web_client`, sees every call."""

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = urlsplit(request.url).path.rsplit("/", 1)[-1]
        status = response.status_code if response is not None else 0
        body = _answer(response) if response is not None else {}
        code = "" if body.get("ok") else str(body.get("error") or "")
        observe.slack_call(method=method, status=status, error=code[:40])
        return False


def _answer(response: HttpResponse) -> dict[str, Any]:
    """Slack's JSON answer: slack_sdk parses it for a 200; a 429 or 5xx comes as bytes."""
    if isinstance(response.body, dict) and response.body:
        return response.body
    try:
        parsed = json.loads(response.data or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def make_web_client(settings: Settings, *, sleep: Sleep = time.sleep) -> WebClient:
    """The app's client. Bolt copies base_url and retry handlers into every per-request client,
    so SLACK_API_URL alone decides where every call goes. A `sleep` other than time.sleep (the
    tests') also takes the wait out of the 5xx and connection retries."""
    retries = settings.slack_max_retries
    backoff = (
        BackoffRetryIntervalCalculator()
        if sleep is time.sleep
        else FixedValueRetryIntervalCalculator(fixed_internal=0)
    )
    return WebClient(
        # With installs by OAuth each request's client gets its workspace's token from Bolt.
        token=None if settings.many_workspaces else settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
        retry_handlers=[
            CountCalls(),  # first: it sees every answer, and retries none
            ConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
            RetryAfterHandler(max_retry_count=retries, sleep=sleep),
            ServerErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
        ],
    )


def slack_error_code(error: SlackApiError) -> str:
    return str(error.response.get("error") or error.response.status_code)


log = logging.getLogger("bot.slack")

# Pages are read at the pace of the method's tier (calls per minute), so that reading the roster
# of a 10,000-person workspace never meets a 429: users.list is Tier 2, conversations.members Tier 4.
PAGES_PER_MINUTE = {"users.list": 20, "conversations.members": 100}
USERS_PAGE = 200  # Slack's advice for users.list
MEMBERS_PAGE = 1000


def profile_of(user: dict[str, Any]) -> MemberProfile:
    """A Slack user object (users.info, users.list, a user_change event) as Nudge needs it."""
    profile = user.get("profile") or {}
    return MemberProfile(
        slack_user_id=user["id"],
        name=profile.get("real_name") or user.get("real_name") or user.get("name") or user["id"],
        tz=user.get("tz") or "UTC",
        locale=user.get("locale") or "en-US",
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        deleted=bool(user.get("deleted")),
        status_text=str(profile.get("status_text") or ""),
        status_emoji=str(profile.get("status_emoji") or ""),
        status_expiration=int(profile.get("status_expiration") or 0),
    )


class SlackGateway:
    """The Slack that use cases talk to (see `bot.services.lessons.SlackPort` and
    `bot.services.roster.RosterSource`), on one request's WebClient."""

    def __init__(
        self, client: WebClient, *, sleep: Sleep = time.sleep, profiles: ProfileCache | None = None
    ) -> None:
        """Posts go at once: the clock's and workers' pace is the workspace's, kept in the database
        (bot.services.sending). `profiles`: the process's recent users.info answers (requests'
        gateways share one; None: Slack is asked every time)."""
        self._client = client
        self._sleep = sleep
        self._profiles = profiles

    def profile(self, slack_user_id: str) -> MemberProfile:
        """users.info with the locale, so that Nudge speaks the member's language."""
        key = (self._client.token or "", slack_user_id)
        kept = self._profiles.get(key) if self._profiles is not None else None
        if kept is not None:
            return kept
        answer = self._client.users_info(user=slack_user_id, include_locale=True)
        profile = profile_of(answer["user"])
        if self._profiles is not None:
            self._profiles.put(key, profile)
        return profile

    def known_profile(self, slack_user_id: str) -> MemberProfile | None:
        """The profile users.info gave lately, without asking Slack (None: not asked lately)."""
        key = (self._client.token or "", slack_user_id)
        return self._profiles.get(key) if self._profiles is not None else None

    def channel_members(self, channel: str) -> list[str]:
        pages = self._pages("conversations.members", channel=channel, limit=MEMBERS_PAGE)
        return [user for page in pages for user in page["members"]]

    def people(self) -> Iterator[MemberProfile]:
        for page in self._pages("users.list", include_locale=True, limit=USERS_PAGE):
            yield from (profile_of(user) for user in page["members"])

    def _pages(self, method: str, **args: Any) -> Iterator[dict[str, Any]]:
        call = {
            "users.list": self._client.users_list,
            "conversations.members": self._client.conversations_members,
        }[method]
        cursor = ""
        while True:
            page = call(**args, cursor=cursor or None).data
            assert isinstance(page, dict)  # Slack's JSON object
            yield page
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return
            self._sleep(60 / PAGES_PER_MINUTE[method])

    def group_members(self, group_id: str) -> frozenset[str] | None:
        try:
            return frozenset(self._client.usergroups_users_list(usergroup=group_id)["users"])
        except (SlackApiError, OSError):  # refused, or unreachable (a timeout is an OSError)
            log.warning("usergroups.users.list failed for %s", group_id, exc_info=True)
            return None

    def post_question(self, post: QuestionPost) -> SentMessage:
        t = translator(post.language)
        message = question_message(
            t, post.question, post.skill_name, post.delivery_id, reminder=post.reminder
        )
        return self._post(post.channel, message)

    def post_digest(self, post: DigestPost) -> SentMessage:
        """The digest, then its heatmap as a picture under it. The digest stands without the
        picture: a refused upload is logged and the digest still counts as sent."""
        # Imported here: only the clock's weekly digest needs them, and `web` starts without.
        from bot.slack.blocks.digest import digest_message
        from bot.slack.blocks.team import period_days
        from bot.slack.blocks.team_files import file_name, heatmap_png

        t = translator(post.language)
        sent = self._post(post.channel, digest_message(t, post.digest))
        table = post.digest.heatmap
        if table is not None and table.members:
            title = t("team.heatmap_file", **period_days(t, table.periods))
            try:
                self._client.files_upload_v2(
                    channel=sent.channel_id,
                    filename=file_name("png", table),
                    title=title,
                    content=heatmap_png(t, table),
                )
            except SlackApiError as error:
                log.warning("the digest's heatmap was refused: %s", slack_error_code(error))
        return sent

    def post_channel_question(self, post: ChannelQuestionPost) -> SentMessage:
        t = translator(post.language)
        return self._post(post.channel, channel_question_message(t, post.question, post.skill_name))

    def send_file(self, slack_user_id: str, filename: str, title: str, content: bytes) -> str:
        """Upload a file to the person's DM (files_upload_v2: an upload URL, the bytes, then
        files.completeUploadExternal, which needs the DM's channel id, not the user id).
        Slack's error code when it refused (after the retries), logged; "" when sent."""
        try:
            channel = self._client.conversations_open(users=slack_user_id)["channel"]["id"]
            self._client.files_upload_v2(
                channel=channel, filename=filename, title=title, content=content
            )
        except SlackApiError as error:
            log.warning("sending %s to %s failed", filename, slack_user_id, exc_info=True)
            return slack_error_code(error)
        return ""

    def replace_message(self, channel: str, ts: str, message: SlackMessage) -> bool:
        """chat.update; False when Slack refuses it (after the retries), logged, not raised."""
        try:
            self._client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks
            )
        except SlackApiError:
            log.warning("chat.update of %s in %s refused", ts, channel, exc_info=True)
            return False
        return True

    def _post(self, channel: str, message: SlackMessage) -> SentMessage:
        try:
            response = self._client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
            )
        except SlackApiError as error:
            raise SendFailed(slack_error_code(error)) from error
        except TimeoutError as silence:  # sent, unanswered: slack_sdk (rightly) does not retry it
            raise SendCutOff() from silence
        return SentMessage(channel_id=response["channel"], ts=response["ts"])

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> bool:
        """views.open: a modal for the person whose action gave `trigger_id`. False when Slack
        refuses it (a trigger used already or past its 3 seconds): one line in the log."""
        try:
            self._client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as error:
            log.warning("views.open refused: %s", slack_error_code(error))
            return False
        return True

    def send_export(self, export: ExportFile) -> None:
        """files_upload_v2 into the member's DM, whose channel id conversations.open gives (an
        upload names a channel, not a user)."""
        t = translator(export.language)
        try:
            channel = self._client.conversations_open(users=export.slack_user_id)["channel"]["id"]
            self._client.files_upload_v2(
                channel=channel,
                filename=export.filename,
                content=export.content,
                title=export.filename,
                initial_comment=t("export.file_comment"),
            )
        except SlackApiError as error:
            raise SendFailed(slack_error_code(error)) from error

    def post_lesson(self, post: LessonPost) -> SentMessage:
        """Post to the member's DM (posting to a user id opens it: no conversations.open)."""
        message = lesson_message(
            translator(post.language),
            post.lesson,
            post.skill_name,
            post.minutes,
            post.delivery_id,
            review=post.review,
        )
        return self._post(post.channel, message)

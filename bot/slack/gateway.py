"""Nudge's calls to Slack: one WebClient with slack_sdk's retry handlers, and the port built on it."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    BackoffRetryIntervalCalculator,
    FixedValueRetryIntervalCalculator,
)

from bot.delivery.outbox import LessonPost, SendFailed, SentMessage
from bot.i18n import translator
from bot.learning.model import MemberProfile
from bot.settings import Settings
from bot.slack.blocks.lesson import lesson_message

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
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
            RetryAfterHandler(max_retry_count=retries, sleep=sleep),
            ServerErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
        ],
    )


def slack_error_code(error: SlackApiError) -> str:
    return str(error.response.get("error") or error.response.status_code)


class SlackGateway:
    """The Slack that use cases talk to (see `bot.services.lessons.SlackPort`), on one request's
    WebClient."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def profile(self, slack_user_id: str) -> MemberProfile:
        """users.info with the locale, so that Nudge speaks the member's language."""
        user = self._client.users_info(user=slack_user_id, include_locale=True)["user"]
        profile = user.get("profile") or {}
        return MemberProfile(
            slack_user_id=slack_user_id,
            name=profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or slack_user_id,
            tz=user.get("tz") or "UTC",
            locale=user.get("locale") or "en-US",
        )

    def group_members(self, group_id: str) -> frozenset[str]:
        try:
            return frozenset(self._client.usergroups_users_list(usergroup=group_id)["users"])
        except SlackApiError:
            # An unreadable group grants nothing: a role is never given by an error.
            return frozenset()

    def post_lesson(self, post: LessonPost) -> SentMessage:
        """Post to the member's DM (posting to a user id opens it: no conversations.open)."""
        message = lesson_message(
            translator(post.language),
            post.lesson,
            post.skill_name,
            post.minutes,
            post.delivery_id,
        )
        try:
            response = self._client.chat_postMessage(
                channel=post.channel, text=message.text, blocks=message.blocks, unfurl_links=False
            )
        except SlackApiError as error:
            raise SendFailed(slack_error_code(error)) from error
        return SentMessage(channel_id=response["channel"], ts=response["ts"])

"""Nudge's calls to Slack: one WebClient with slack_sdk's retry handlers, and the ports built on it."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.delivery.outbox import SendFailed, SentMessage
from bot.learning.model import Member, MemberProfile
from bot.library import Library, LocalizedLesson
from bot.settings import Settings
from bot.slack.blocks.lesson import lesson_message


def make_web_client(settings: Settings) -> WebClient:
    """The app's client. Bolt copies base_url and retry handlers into every per-request client,
    so SLACK_API_URL alone decides where every call goes."""
    retries = settings.slack_max_retries
    return WebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries),
            RateLimitErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries),
        ],
    )


def slack_error_code(error: SlackApiError) -> str:
    return str(error.response.get("error") or error.response.status_code)


def lookup_profile(client: WebClient, user_id: str) -> MemberProfile:
    """users.info with the locale, so the member's lessons come in their language."""
    user = client.users_info(user=user_id, include_locale=True)["user"]
    profile = user.get("profile") or {}
    return MemberProfile(
        slack_user_id=user_id,
        name=profile.get("real_name") or user.get("real_name") or user.get("name") or user_id,
        tz=user.get("tz") or "UTC",
        locale=user.get("locale") or "en-US",
    )


class SlackLessonPoster:
    """Posts a lesson to the member's DM (posting to a user id opens it, so no conversations.open)."""

    def __init__(self, client: WebClient, library: Library) -> None:
        self._client = client
        self._library = library

    def post_lesson(self, member: Member, lesson: LocalizedLesson, delivery_id: int) -> SentMessage:
        skill = self._library.skills[lesson.skill].name_in(lesson.locale)
        minutes = self._library.lessons[lesson.id].minutes
        message = lesson_message(lesson, skill, minutes, delivery_id)
        try:
            response = self._client.chat_postMessage(
                channel=member.dm_channel_id or member.slack_user_id,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
            )
        except SlackApiError as error:
            raise SendFailed(slack_error_code(error)) from error
        return SentMessage(channel_id=response["channel"], ts=response["ts"])

"""One function per built `/learn` subcommand: call one use case, render its outcome.

(`help` lives beside the table it lists, in `subcommands.py`.)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import translator
from bot.services.deps import Deps
from bot.services.lessons import request_lesson_now
from bot.services.library_admin import check_library, reload_library
from bot.services.people import Caller
from bot.slack.blocks.library_report import library_report_message
from bot.slack.blocks.notice import notice
from bot.slack.gateway import SlackGateway
from bot.slack.message import SlackMessage


@dataclass(frozen=True)
class Request:
    deps: Deps
    slack: SlackGateway
    caller: Caller
    command: str  # the slash command as configured, e.g. "/learn"


def lesson_now(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = request_lesson_now(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    if outcome.status == "empty_library":
        return notice(t("now.empty_library"))
    if outcome.status == "failed":
        return notice(t("now.failed", error=outcome.error))
    assert outcome.lesson is not None
    return notice(t("now.sent", title=outcome.lesson.title))


def admin_check(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = check_library(request.deps, request.slack, request.caller)
    return library_report_message(translator(outcome.language), outcome.report, action="check")


def admin_reload(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = reload_library(request.deps, request.slack, request.caller)
    return library_report_message(translator(outcome.language), outcome.report, action="reload")

"""One function per built `/learn` subcommand: call one use case, render its outcome.

(`help` lives beside the table it lists, in `subcommands.py`.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.i18n import translator
from bot.library import escape_mrkdwn
from bot.services.deps import Deps
from bot.services.lessons import request_lesson_now
from bot.services.library_admin import check_library, reload_library
from bot.services.membership import choose, pause, resume, why
from bot.services.people import Caller
from bot.services.team import TeamOutcome, team_report, team_table
from bot.slack.blocks.library_report import library_report_message
from bot.slack.blocks.notice import notice
from bot.slack.blocks.team import period_days, team_summary_message
from bot.slack.blocks.team_files import file_name, heatmap_png, team_csv
from bot.slack.blocks.why import why_text
from bot.slack.gateway import SlackGateway
from bot.slack.message import SlackMessage


@dataclass(frozen=True)
class Request:
    deps: Deps
    slack: SlackGateway
    caller: Caller
    command: str  # the slash command as configured, e.g. "/learn"


@dataclass(frozen=True)
class Reply:
    """An answer, then more work once the person has it (a file to their DMs); `afterwards`
    returns what to say next, if anything."""

    message: SlackMessage
    afterwards: Callable[[], SlackMessage | None]


def lesson_now(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = request_lesson_now(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    if outcome.status == "empty_library":
        return notice(t("now.empty_library"))
    if outcome.status == "failed":
        return notice(t("now.failed", error=outcome.error))
    if outcome.status == "unknown":
        assert outcome.lesson is not None
        return notice(t("now.unknown", title=outcome.lesson.title, command=request.command))
    if outcome.status == "too_many":
        assert outcome.again_at is not None
        return notice(t("now.too_many", when=t.when(outcome.again_at, outcome.tz)))
    assert outcome.lesson is not None
    return notice(t("now.sent", title=escape_mrkdwn(outcome.lesson.title)))


def admin_check(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = check_library(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    return library_report_message(t, outcome.report, action="check", refused=outcome.refused)


def admin_reload(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = reload_library(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    return library_report_message(t, outcome.report, action="reload", refused=outcome.refused)


PAUSE_PROBLEMS = {
    "words": "pause.bad_words",
    "date": "pause.bad_date",
    "past": "pause.bad_past",
    "zero": "pause.bad_words",
    "long": "pause.bad_long",
}


def pause_lessons(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = pause(request.deps, request.slack, request.caller, args)
    t = translator(outcome.language)
    if outcome.status == "bad":
        return notice(t(PAUSE_PROBLEMS[outcome.problem], command=request.command))
    assert outcome.back_on is not None
    return notice(t("pause.done", day=t.day(outcome.back_on), command=request.command))


def resume_lessons(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = resume(request.deps, request.slack, request.caller)
    return notice(translator(outcome.language)("pause.resumed"))


def join(request: Request, args: tuple[str, ...]) -> SlackMessage:
    chosen = choose(request.deps, request.slack, request.caller, "join")
    return notice(translator(chosen.language)("roster.joined", command=request.command))


def leave(request: Request, args: tuple[str, ...]) -> SlackMessage:
    chosen = choose(request.deps, request.slack, request.caller, "leave")
    return notice(translator(chosen.language)("roster.left", command=request.command))


def explain(request: Request, args: tuple[str, ...]) -> SlackMessage:
    answer = why(request.deps, request.slack, request.caller)
    text = why_text(
        translator(answer.language),
        request.command,
        tz=answer.tz,
        learns=answer.learns,
        last_title=answer.last_title,
        last_at=answer.last_at,
        last_review=answer.last_review,
        upcoming=answer.next,
        holiday=answer.holiday,
    )
    return notice(text)


def team(request: Request, args: tuple[str, ...]) -> SlackMessage | Reply:
    """The summary at once; the heatmap follows in the lead's DMs."""
    outcome = team_report(request.deps, request.slack, request.caller, args)
    t = translator(outcome.language)
    if outcome.report is None or outcome.table is None:
        return notice(t("team.bad_weeks", command=request.command))
    summary = team_summary_message(t, outcome.report, request.command)
    if not outcome.table.members:
        return summary
    return Reply(summary, lambda: _send(request, outcome, "png"))


def team_figures(request: Request, args: tuple[str, ...]) -> SlackMessage:
    outcome = team_table(request.deps, request.slack, request.caller, args)
    t = translator(outcome.language)
    if outcome.weeks is None or outcome.table is None:
        return notice(t("team.bad_weeks", command=request.command))
    members = len(outcome.table.members)
    return _send(request, outcome, "csv") or notice(
        t.plural("team.csv_sent", outcome.weeks, members=members)
    )


def _send(request: Request, outcome: TeamOutcome, kind: str) -> SlackMessage | None:
    """The heatmap or the CSV to the lead's DMs: None when sent, else a notice saying why not."""
    assert outcome.table is not None
    t = translator(outcome.language)
    render, title = (
        (heatmap_png, "team.heatmap_file") if kind == "png" else (team_csv, "team.csv_file")
    )
    error = request.slack.send_file(
        request.caller.slack_user_id,
        file_name(kind, outcome.table),
        t(title, **period_days(t, outcome.table.periods)),
        render(t, outcome.table),
    )
    return notice(t("team.file_failed", error=error)) if error else None

"""One function per built `/learn` subcommand: call one use case, render its outcome.

(`help` lives beside the table it lists, in `subcommands.py`.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.i18n import translator
from bot.library import escape_mrkdwn
from bot.services.deps import Deps
from bot.services.people import Caller
from bot.slack.blocks.me import me_message
from bot.slack.blocks.notice import notice
from bot.slack.blocks.own_data import forget_modal
from bot.slack.blocks.why import why_text
from bot.slack.gateway import SlackGateway
from bot.slack.listeners.views.settings_modal import show_settings
from bot.slack.listeners.views.setup_modal import show_setup
from bot.slack.message import SlackMessage

if TYPE_CHECKING:
    from bot.services.lessons import LessonNow
    from bot.services.membership import PauseOutcome, Why
    from bot.services.team import TeamOutcome

# Every handler imports its use case (and a lead's or an admin's, its blocks) when first asked:
# `web` answers its first /healthz without them and the learning rules behind them
# (tests/test_start_up.py).


@dataclass(frozen=True)
class Request:
    deps: Deps
    slack: SlackGateway
    caller: Caller
    command: str  # the slash command as configured, e.g. "/learn"
    trigger_id: str = ""  # what opens a modal for the caller, within 3 seconds


@dataclass(frozen=True)
class Reply:
    """An answer, then more work once the person has it (a file to their DMs); `afterwards`
    returns what to say next, if anything."""

    message: SlackMessage
    afterwards: Callable[[], SlackMessage | None]


def lesson_now(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.lessons import request_lesson_now

    outcome = request_lesson_now(request.deps, request.slack, request.caller)
    return notice(lesson_now_text(outcome, request.command))


def lesson_now_text(outcome: LessonNow, command: str) -> str:
    """What became of a request for a lesson (`/learn now`, or "Lesson now" on the Home tab)."""
    t = translator(outcome.language)
    if outcome.status == "empty_library":
        return t("now.empty_library")
    if outcome.status == "failed":
        return t("now.failed", error=outcome.error)
    if outcome.status == "unknown":
        assert outcome.lesson is not None
        return t("now.unknown", title=outcome.lesson.title, command=command)
    if outcome.status == "too_many":
        assert outcome.again_at is not None
        return t("now.too_many", when=t.when(outcome.again_at, outcome.tz))
    assert outcome.lesson is not None
    return t("now.sent", title=escape_mrkdwn(outcome.lesson.title))


def me(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.home import member_stats

    report = member_stats(request.deps, request.slack, request.caller)
    return me_message(translator(report.person.language), report.stats, request.command)


def admin_check(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.library_admin import check_library
    from bot.slack.blocks.library_report import library_report_message

    outcome = check_library(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    return library_report_message(t, outcome.report, action="check", refused=outcome.refused)


def admin_reload(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.library_admin import reload_library
    from bot.slack.blocks.library_report import library_report_message

    outcome = reload_library(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    return library_report_message(t, outcome.report, action="reload", refused=outcome.refused)


def admin_stats(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.admin_stats import collect_admin_stats
    from bot.slack.blocks.admin_stats import admin_stats_message

    stats = collect_admin_stats(request.deps, request.slack, request.caller)
    return admin_stats_message(translator(stats.language), stats.figures)


PAUSE_PROBLEMS = {
    "words": "pause.bad_words",
    "date": "pause.bad_date",
    "past": "pause.bad_past",
    "zero": "pause.bad_words",
    "long": "pause.bad_long",
}


def pause_lessons(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.membership import pause

    outcome = pause(request.deps, request.slack, request.caller, args)
    return notice(pause_text(outcome, request.command))


def resume_lessons(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.membership import resume

    outcome = resume(request.deps, request.slack, request.caller)
    return notice(pause_text(outcome, request.command))


def pause_text(outcome: PauseOutcome, command: str) -> str:
    """What became of a pause or a resume (the command, or the Home tab's button)."""
    t = translator(outcome.language)
    if outcome.status == "bad":
        return t(PAUSE_PROBLEMS[outcome.problem], command=command)
    if outcome.status == "resumed":
        return t("pause.resumed")
    assert outcome.back_on is not None
    return t("pause.done", day=t.day(outcome.back_on), command=command)


def join(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.membership import choose

    chosen = choose(request.deps, request.slack, request.caller, "join")
    return notice(translator(chosen.language)("roster.joined", command=request.command))


def leave(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.membership import choose

    chosen = choose(request.deps, request.slack, request.caller, "leave")
    return notice(translator(chosen.language)("roster.left", command=request.command))


def settings(request: Request, args: tuple[str, ...]) -> None:
    """The answer is the modal itself: no message."""
    show_settings(request.deps, request.slack, request.caller, request.trigger_id)


def admin_setup(request: Request, args: tuple[str, ...]) -> None:
    """The answer is the modal itself: no message."""
    show_setup(request.deps, request.slack, request.caller, request.trigger_id)


def explain(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.membership import why

    answer = why(request.deps, request.slack, request.caller, team=True)
    return notice(explain_text(answer, request.command))


def explain_text(answer: Why, command: str) -> str:
    return why_text(
        translator(answer.language),
        command,
        tz=answer.tz,
        learns=answer.learns,
        last_title=answer.last_title,
        last_at=answer.last_at,
        last_review=answer.last_review,
        upcoming=answer.next,
        holiday=answer.holiday,
        last_new_area=answer.last_new_area,
        blind_spot=answer.blind_spot,
    )


def export(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.own_data import export_own_data

    outcome = export_own_data(request.deps, request.slack, request.caller)
    t = translator(outcome.language)
    if outcome.status == "failed":
        return notice(t("export.failed", error=outcome.error))
    return notice(t("export.sent" if outcome.status == "sent" else "export.nothing"))


def forget(request: Request, args: tuple[str, ...]) -> SlackMessage | None:
    """Opens the confirmation (nothing to say in the channel then); the modal's submission
    deletes."""
    from bot.services.own_data import preview_forget

    preview = preview_forget(request.deps, request.slack, request.caller)
    t = translator(preview.language)
    if preview.status == "nothing":
        return notice(t("forget.nothing"))
    modal = forget_modal(t, preview.counts, request.caller.slack_user_id, request.command)
    if request.slack.open_view(request.trigger_id, modal):
        return None
    return notice(t("forget.not_opened", command=request.command))


def team(request: Request, args: tuple[str, ...]) -> SlackMessage | Reply:
    """The summary at once; the heatmap follows in the lead's DMs."""
    from bot.services.team import team_report
    from bot.slack.blocks.team import team_summary_message

    outcome = team_report(request.deps, request.slack, request.caller, args)
    t = translator(outcome.language)
    if outcome.report is None or outcome.table is None:
        return notice(t("team.bad_weeks", command=request.command))
    summary = team_summary_message(t, outcome.report, request.command)
    if not outcome.table.members:
        return summary
    return Reply(summary, lambda: _send(request, outcome, "png"))


def team_figures(request: Request, args: tuple[str, ...]) -> SlackMessage:
    from bot.services.team import team_table

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
    from bot.slack.blocks.team import period_days
    from bot.slack.blocks.team_files import file_name, heatmap_png, team_csv

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

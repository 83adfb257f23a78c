"""The table of `/learn` subcommands: words, argument grammar, the role that may use it, its help
line and its handler. `/learn help` is generated from it and shows each person only what they may
use; adding a subcommand is one entry here and one function in `handlers.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.i18n import translator
from bot.learning.model import Role
from bot.services.people import NotPermitted
from bot.slack.blocks.help import HelpLine, help_message
from bot.slack.blocks.notice import notice
from bot.slack.listeners.commands import handlers
from bot.slack.listeners.commands.handlers import Reply, Request
from bot.slack.message import SlackMessage

# A handler's answer is said as an ephemeral message (a Reply adds one more after it); None when
# it answered otherwise (it opened a modal).
Handler = Callable[[Request, tuple[str, ...]], SlackMessage | Reply | None]


def no_arguments(args: tuple[str, ...]) -> bool:
    return not args


@dataclass(frozen=True)
class Subcommand:
    words: tuple[str, ...]  # what the person types after the command, e.g. ("admin", "reload")
    role: Role
    help_id: str  # catalogue id of the help line
    handler: Handler
    grammar: str = ""  # the arguments as help shows them, e.g. "1w|3d|until YYYY-MM-DD"
    takes: Callable[[tuple[str, ...]], bool] = no_arguments
    # Its handler opens a modal (views.open), whose trigger_id expires 3 seconds after the command:
    # it runs on `web`'s own work threads even with WORK_IN=worker (bot.slack.listeners.handover).
    opens_modal: bool = False

    @property
    def usage(self) -> str:
        return " ".join((*self.words, self.grammar)).strip()


def show_help(
    request: Request, args: tuple[str, ...], *, unknown: str | None = None
) -> SlackMessage:
    """The subcommands this person may use; `unknown` is what they typed that we did not know."""
    from bot.services.home import identify_caller

    person = identify_caller(request.deps, request.slack, request.caller)
    t = translator(person.language)
    lines = [
        HelpLine(sub.usage, t(sub.help_id), sub.role)
        for sub in SUBCOMMANDS
        if sub.role in person.roles
    ]
    return help_message(t, request.command, lines, unknown=unknown)


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(("help",), Role.MEMBER, "help.line.help", show_help),
    Subcommand(("now",), Role.MEMBER, "help.line.now", handlers.lesson_now),
    Subcommand(("why",), Role.MEMBER, "help.line.why", handlers.explain),
    Subcommand(("me",), Role.MEMBER, "help.line.me", handlers.me),
    Subcommand(
        ("pause",),
        Role.MEMBER,
        "help.line.pause",
        handlers.pause_lessons,
        grammar="1w|3d|until YYYY-MM-DD",
        takes=lambda _args: True,
    ),
    Subcommand(("resume",), Role.MEMBER, "help.line.resume", handlers.resume_lessons),
    Subcommand(("join",), Role.MEMBER, "help.line.join", handlers.join),
    Subcommand(("leave",), Role.MEMBER, "help.line.leave", handlers.leave),
    Subcommand(
        ("settings",), Role.MEMBER, "help.line.settings", handlers.settings, opens_modal=True
    ),
    Subcommand(("export",), Role.MEMBER, "help.line.export", handlers.export),
    Subcommand(("forget",), Role.MEMBER, "help.line.forget", handlers.forget, opens_modal=True),
    Subcommand(("admin", "check"), Role.ADMIN, "help.line.admin_check", handlers.admin_check),
    Subcommand(("admin", "reload"), Role.ADMIN, "help.line.admin_reload", handlers.admin_reload),
    Subcommand(("admin", "stats"), Role.ADMIN, "help.line.admin_stats", handlers.admin_stats),
    Subcommand(
        ("admin", "setup"),
        Role.ADMIN,
        "help.line.admin_setup",
        handlers.admin_setup,
        opens_modal=True,
    ),
    Subcommand(
        ("team",),
        Role.LEAD,
        "help.line.team",
        handlers.team,
        grammar="[weeks]",
        takes=lambda _args: True,
    ),
    Subcommand(
        ("team", "csv"),
        Role.LEAD,
        "help.line.team_csv",
        handlers.team_figures,
        grammar="[weeks]",
        takes=lambda _args: True,
    ),
)


def find(words: tuple[str, ...]) -> Subcommand | None:
    """The entry whose words begin what was typed, the longest first (`admin reload`)."""
    matches = [sub for sub in SUBCOMMANDS if words[: len(sub.words)] == sub.words]
    return max(matches, key=lambda sub: len(sub.words), default=None)


def named(text: str) -> tuple[Subcommand | None, tuple[str, ...]]:
    """The entry what followed the command names (help when nothing did), and the words typed."""
    words = tuple(word.lower() for word in text.split())
    return (find(words) if words else SUBCOMMANDS[0]), words


def opens_modal(text: str) -> bool:
    sub, _words = named(text)
    return sub is not None and sub.opens_modal


def dispatch(request: Request, text: str) -> SlackMessage | Reply | None:
    """Parse what followed the command, run the one handler it names, and say the result."""
    sub, words = named(text)
    if sub is None or not sub.takes(words[len(sub.words) :]):
        return show_help(request, (), unknown=text.strip())
    try:
        return sub.handler(request, words[len(sub.words) :])
    except NotPermitted as refusal:
        t = translator(refusal.person.language)
        return notice(t(REFUSALS[refusal.role], command=f"{request.command} {sub.words[0]}"))


# Everyone is a member, so only these two roles are ever refused.
REFUSALS = {Role.LEAD: "refused.lead", Role.ADMIN: "refused.admin"}

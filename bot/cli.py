"""`python -m bot <command>`: the entry points (run, web, clock, worker, tick, demo, console,
content check, db upgrade).

A configuration problem ends the process with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from bot.library import LibraryInvalid
from bot.logs import configure_from
from bot.runtime import collect_again
from bot.settings import ConfigError, Settings
from bot.store.direct import SchemaOutOfDate

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Nudge: learning in Slack.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("run", help="serve Slack (Socket Mode if SLACK_APP_TOKEN, else HTTP)")
    commands.add_parser("web", help="HTTP only: POST /slack/events, GET /healthz")
    clock = commands.add_parser(
        "clock", help="the scheduler (one per deployment; it sends too unless CLOCK_SENDS=false)"
    )
    clock.add_argument(
        "--from",
        dest="start",
        metavar="START",
        help="rehearsal: run the clock's jobs (a tick a minute, the daily roster) from START "
        "to --until in simulated time, as fast as they run, then exit (ISO-8601, e.g. "
        "2027-03-22T00:00Z)",
    )
    clock.add_argument("--until", metavar="END", help="rehearsal: where it ends")
    commands.add_parser("worker", help="send what the clock planned (any number of them)")
    tick = commands.add_parser("tick", help="one scheduling pass as if the time were AT")
    tick.add_argument("--at", help="ISO-8601 time, default now")
    demo = commands.add_parser("demo", help="a scripted run against the built-in local Slack")
    demo.add_argument("--seed", type=Path, default=Path("seeds/demo.yaml"))
    demo.add_argument("--rounds", type=int, default=3, help="lessons each member asks for")
    console = commands.add_parser("console", help="be a member, lead or admin of the local Slack")
    console.add_argument("--seed", type=Path, default=Path("seeds/demo.yaml"))
    content = commands.add_parser("content", help="the lesson library")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="validate the library")
    check.add_argument("dir", nargs="?", type=Path, help="default: CONTENT_DIR")
    check.add_argument(
        "--today", help="date the checked: months as of this day (YYYY-MM-DD), default today"
    )
    db = commands.add_parser("db", help="the database")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()  # read once: every command below takes this one
        configure_from(settings)
        return _dispatch(args, settings)
    except (ConfigError, SchemaOutOfDate) as problem:
        print(f"nudge: {problem}", file=sys.stderr)
        return 2
    except LibraryInvalid as invalid:
        print(
            f"nudge: the lesson library has errors ({invalid.report.summary_line()}); "
            "run `make check` to see them.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    # The streams are passed at call time: the commands' defaults (`out=sys.stdout`) are the
    # streams of the moment their module was imported, which a caller may have replaced since
    # (pytest's capsys does).
    if args.command not in ("run", "web"):
        collect_again()  # only serving waits to have started (bot/__main__.py says why)
    if args.command in ("tick", "clock", "worker"):
        from bot import clock

        if args.command == "clock":
            return clock.clock(settings, _stretch(args.start, args.until))
        if args.command == "worker":
            return clock.worker(settings)
        return clock.tick(settings, _instant(args.at))
    if args.command == "content":
        from bot.library.cli import run_check

        return run_check(args.dir or settings.content_dir, _day(args.today), out=sys.stdout)
    if args.command == "db":
        from bot.store.db import current_revision, ensure_reachable, make_engine, upgrade

        engine = make_engine(settings.database_url, busy_timeout=settings.database_busy_timeout)
        try:
            ensure_reachable(engine)
            upgrade(engine)
            print(f"database at schema {current_revision(engine)}")
        finally:
            engine.dispose()  # a caller that goes on running (a test) keeps no connection open
        return 0
    if args.command == "demo":
        from bot.demo import run_demo

        return run_demo(args.seed, rounds=args.rounds, out=sys.stdout)
    if args.command == "console":
        from bot.console import run_console

        return run_console(args.seed, stdin=sys.stdin, out=sys.stdout)
    from bot import serve

    return {"run": serve.run, "web": serve.web}[args.command](settings)


def _day(text: str | None) -> date:
    """`--today 2027-04-01`: the day a content check dates `checked:` months against."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--today {text!r} is not a date written YYYY-MM-DD") from None


def _stretch(start: str | None, until: str | None) -> tuple[datetime, datetime] | None:
    """`clock --from START --until END`: both or neither, END after START."""
    if start is None and until is None:
        return None
    first, last = _instant(start, "--from"), _instant(until, "--until")
    if first is None or last is None:
        raise ConfigError("a rehearsal needs both --from and --until")
    if last <= first:
        raise ConfigError(f"--until {until} is not after --from {start}")
    return first, last


def _instant(text: str | None, option: str = "--at") -> datetime | None:
    """`--at 2027-04-01T07:30:00Z`: an aware UTC instant (a time without a zone is refused)."""
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{option} {text!r} is not an ISO-8601 time, e.g. 2027-04-01T07:30:00Z"
        ) from None
    if at.tzinfo is None:
        raise ConfigError(f"{option} {text!r} has no zone; add Z for UTC, e.g. {text}Z")
    return at.astimezone(UTC)

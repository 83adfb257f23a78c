"""How much CPU does one `/learn now` cost, and does it grow with the member's history?

Calls the use case itself, ``request_lesson_now(deps, SlackGateway(client), Caller(team, user))``,
as the work queue does after the acknowledgement: that is the lesson's whole cost (enrolment read,
history, selection, the claim, rendering, chat.postMessage, the sent mark) without the HTTP
acknowledgement, the work queue and the response_url reply, whose cost the acknowledgement
benchmark covers. CPU is ``time.process_time()`` of the whole process around each call, which
includes the local Slack answering in its own thread; nothing is subtracted, and the floor is
measured the same way: one raw ``WebClient.chat_postMessage`` of the same lesson message to the
same local Slack plus one SQLAlchemy insert of a deliveries row in its own transaction, on the same
database. Three members take turns in every round: one with no history (its lesson is deleted after
each call, untimed), one with 500 past lessons seeded by SQL (the lesson each call adds is deleted
the same way) and the floor. Before the rounds, what start-up made is frozen (``gc.freeze()``), as
a serving process does once started (bot.runtime.collect_again).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine, delete, event, insert, select

from bench.common import (
    CONTENT,
    SEED,
    SIGNING_SECRET,
    Database,
    databases,
    log,
    ms,
    prose,
    ratio,
    table,
)
from bot.i18n import translator
from bot.library import Library
from bot.localbot import local_settings
from bot.localslack import LocalSlack, load_workspace
from bot.runtime import build_deps
from bot.services.deps import Deps
from bot.services.lessons import request_lesson_now
from bot.services.people import Caller
from bot.slack.blocks.lesson import lesson_message
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store import tables

HISTORY = 500
ANSWERED = 0.9  # the share of past lessons with a response; 70% of those right
ROUNDS = 100  # timed rounds per database, each one call per member and one floor
WARM_UP = 3  # untimed rounds first: imports, statement caches, pooled connections
SECONDS = 30.0  # a database's rounds stop after this long, however many are left

FLOOR, FRESH, VETERAN = "floor", "no history", f"{HISTORY} past lessons"


@dataclass
class Costs:
    cpu: dict[str, list[float]] = field(default_factory=dict)
    wall: dict[str, list[float]] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)  # SQL sent by one call

    def add(self, name: str, cpu: float, wall: float) -> None:
        self.cpu.setdefault(name, []).append(cpu)
        self.wall.setdefault(name, []).append(wall)

    def cpu_mean(self, name: str) -> float:
        return statistics.fmean(self.cpu[name])


def _timed(costs: Costs, name: str, call: Callable[[], object], *, record: bool) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    if record:
        costs.add(name, time.process_time() - cpu, time.perf_counter() - wall)


def _member_id(deps: Deps, team_id: str, user_id: str) -> int:
    with deps.uow() as uow:
        workspace_id = uow.workspaces.find(team_id)
        assert workspace_id is not None
        member = uow.members.find(workspace_id, user_id)
        assert member is not None
        return member.id


def _forget(engine: Engine, member_id: int, above: int = 0) -> None:
    """Delete the member's deliveries with an id above ``above`` (their responses go with them)."""
    with engine.begin() as connection:
        connection.execute(
            delete(tables.Delivery).where(
                tables.Delivery.member_id == member_id, tables.Delivery.id > above
            )
        )


def seed_history(engine: Engine, library: Library, member_id: int, dm: str) -> int:
    """``HISTORY`` sent lessons, one a day until yesterday, most answered, inserted by SQL as the
    scheduler and the check buttons would have left them; returns the highest delivery id."""
    lessons = sorted(library.lessons.values(), key=lambda lesson: lesson.id)
    first = datetime(2026, 1, 1, 9, 0, tzinfo=UTC) - timedelta(days=HISTORY)
    rows = []
    for day in range(HISTORY):
        lesson, sent = lessons[day % len(lessons)], first + timedelta(days=day)
        rows.append(
            {
                "member_id": member_id,
                "kind": "lesson",
                "local_date": date.fromordinal(sent.date().toordinal()),
                "lesson_id": lesson.id,
                "skill": lesson.skill,
                "locale": "en",
                "answer_index": 0,
                "status": "sent",
                "channel_id": dm,
                "ts": f"{int(sent.timestamp())}.000100",
                "claimed_at": sent,
                "sent_at": sent,
            }
        )
    with engine.begin() as connection:
        connection.execute(insert(tables.Delivery), rows)
        sent_rows = connection.execute(
            select(tables.Delivery.id, tables.Delivery.lesson_id, tables.Delivery.skill)
            .where(tables.Delivery.member_id == member_id)
            .order_by(tables.Delivery.id)
        ).all()
        answers = [
            {
                "delivery_id": row.id,
                "member_id": member_id,
                "lesson_id": row.lesson_id,
                "skill": row.skill,
                "choice": 0 if n % 10 < 7 else 1,
                "correct": n % 10 < 7,
                "answered_at": first + timedelta(days=n, hours=2),
            }
            for n, row in enumerate(sent_rows)
            if n % 10 < ANSWERED * 10
        ]
        connection.execute(insert(tables.Response), answers)
    return int(max(row.id for row in sent_rows))


def measure(database: Database) -> Costs:
    slack = LocalSlack(load_workspace(SEED), rate_limits=False).start()
    deps = build_deps(local_settings(slack, database.url, CONTENT, SIGNING_SECRET))
    try:
        return _measure(deps, slack)
    finally:
        deps.db.dispose()
        slack.stop()


def _measure(deps: Deps, slack: LocalSlack) -> Costs:
    engine = deps.db.engine
    gateway = SlackGateway(make_web_client(deps.settings))
    fresh_user, veteran_user, floor_user = [
        u for u in slack.workspace.team_channel.members if u != slack.bot_user_id
    ][:3]
    fresh, veteran = Caller(slack.team_id, fresh_user), Caller(slack.team_id, veteran_user)
    for caller in (fresh, veteran):  # enrolled (users.info, member row), then no lessons
        request_lesson_now(deps, gateway, caller)
    fresh_id, veteran_id = (_member_id(deps, slack.team_id, u) for u in (fresh_user, veteran_user))
    _forget(engine, fresh_id)
    _forget(engine, veteran_id)
    library = deps.library.current
    top = seed_history(engine, library, veteran_id, slack.dm_channel_id(veteran_user))

    # The floor posts the message a lesson posts (same blocks for the local Slack to check) and
    # inserts a deliveries row like the claim, each once, with nothing of Nudge around them.
    raw = WebClient(token=slack.bot_token, base_url=slack.api_url, timeout=10)
    lesson = sorted(library.lessons.values(), key=lambda one: one.id)[0]
    message = lesson_message(
        translator("en"), lesson.localized("en"), lesson.skill, lesson.minutes, 1
    )
    floor_id = fresh_id  # its rows are deleted with the fresh member's, untimed
    row = {
        "member_id": floor_id,
        "kind": "lesson",
        "lesson_id": lesson.id,
        "skill": lesson.skill,
        "status": "sent",
        "claimed_at": datetime.now(UTC),
    }

    def floor() -> None:
        raw.chat_postMessage(channel=floor_user, text=message.text, blocks=message.blocks)
        with engine.begin() as connection:
            connection.execute(insert(tables.Delivery).values(row))

    def lesson_for(caller: Caller) -> Callable[[], object]:
        def deliver() -> None:
            outcome = request_lesson_now(deps, gateway, caller)
            if outcome.status != "sent":  # a failed send costs less and would flatter Nudge
                raise RuntimeError(f"/learn now for {caller} was {outcome.status}: {outcome.error}")

        return deliver

    calls: dict[str, Callable[[], object]] = {
        FLOOR: floor,
        FRESH: lesson_for(fresh),
        VETERAN: lesson_for(veteran),
    }
    costs = Costs()
    deadline = time.perf_counter() + SECONDS
    # What a serving process does once started (bot.runtime.collect_again): what start-up made
    # (here the bench's and Nudge's) is frozen, so full collections do not walk it again. The
    # floor's calls gain as Nudge's do.
    gc.freeze()
    try:
        for number in range(WARM_UP + ROUNDS):
            if time.perf_counter() > deadline:
                break
            order = list(calls)
            shift = number % len(order)  # each takes each place in turn: no one always goes first
            for name in order[shift:] + order[:shift]:
                _timed(costs, name, calls[name], record=number >= WARM_UP)
                _forget(engine, fresh_id)  # untimed: the fresh member stays fresh
                _forget(engine, veteran_id, above=top)  # and the veteran at exactly HISTORY
    finally:
        gc.unfreeze()
    for name, call in calls.items():  # one more call each, untimed, counting its statements
        costs.statements[name] = _statements(engine, call)
        _forget(engine, fresh_id)
        _forget(engine, veteran_id, above=top)
    return costs


def _statements(engine: Engine, call: Callable[[], object]) -> int:
    sent: list[str] = []

    def note(*args: Any) -> None:
        sent.append(args[2])  # (connection, cursor, statement, ...)

    event.listen(engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(sent)


def run() -> str:
    results: list[tuple[str, Costs]] = []
    with databases() as (found, note):
        for database in found:
            log(f"lesson cost on {database.name}")
            results.append((database.name, measure(database)))
    rows, ratio_rows = [], []
    for name, costs in results:
        for who in (FLOOR, FRESH, VETERAN):
            cpu = costs.cpu[who]
            rows.append(
                [
                    name,
                    who,
                    str(len(cpu)),
                    ms(statistics.fmean(cpu)),
                    ms(statistics.median(cpu)),
                    ms(statistics.median(costs.wall[who])),
                    str(costs.statements[who]),
                ]
            )
        floor, fresh, veteran = (costs.cpu_mean(w) for w in (FLOOR, FRESH, VETERAN))
        ratio_rows.append([name, ratio(fresh, floor), ratio(veteran, floor), ratio(veteran, fresh)])
    header = ["database", "call", "n", "CPU mean", "CPU median", "wall median", "SQL statements"]
    costs_table = table(header, rows, right_from=2)
    ratios = table(
        ["CPU means", "no history / floor", f"{HISTORY} past / floor", f"{HISTORY} past / none"],
        ratio_rows,
    )
    print(f"\n{costs_table}\n\n{ratios}")
    return _text(costs_table, ratios, results, note)


def _text(costs_table: str, ratios: str, results: list[tuple[str, Costs]], note: str) -> str:
    return prose(f"""## CPU per delivered lesson

{__doc__.split(chr(10), 2)[2].strip()} {ROUNDS} timed rounds per database after {WARM_UP}
untimed; "SQL statements" were counted on one more call of each, untimed. {note}

{costs_table}

{ratios}

### What the numbers mean

{_meaning(results)}
""")


def _stalls(gap: str, worst: float) -> str:
    """What the mean against the median says, said only while it is true."""
    if worst < 1.05:
        return f"The mean is {gap} the median for this member: no stalls worth naming."
    return f"""The mean is {gap} the median for this member: a few calls are much slower than
  the rest (most likely the garbage collector's full collections); the mean counts them, as a
  busy bot pays them."""


def _meaning(results: list[tuple[str, Costs]]) -> str:
    fresh = [c.cpu_mean(FRESH) / c.cpu_mean(FLOOR) for _, c in results]
    veteran = [c.cpu_mean(VETERAN) / c.cpu_mean(FLOOR) for _, c in results]
    growth = [c.cpu_mean(VETERAN) / c.cpu_mean(FRESH) for _, c in results]
    extra = [(c.cpu_mean(VETERAN) - c.cpu_mean(FRESH)) / HISTORY * 1_000_000 for _, c in results]
    budget = ", ".join(f"{ms(0.5 * c.cpu_mean(FLOOR))} ({name})" for name, c in results)
    over = [(name, 1 - 1.5 * c.cpu_mean(FLOOR) / c.cpu_mean(FRESH)) for name, c in results]
    shed = ", ".join(f"{share:.0%} ({name})" for name, share in over if share > 0)
    shed_text = (
        f"the no-history lesson would have to shed {shed} of its CPU to get there."
        if shed
        else "the no-history lesson is inside it on every database measured."
    )
    fresh_sql, veteran_sql = (
        " or ".join(map(str, sorted({c.statements[who] for _, c in results})))
        for who in (FRESH, VETERAN)
    )
    per_lesson = ", ".join(
        f"{x:,.0f} µs ({name})" for x, (name, _) in zip(extra, results, strict=True)
    )
    gap = [statistics.fmean(c.cpu[VETERAN]) / statistics.median(c.cpu[VETERAN]) for _, c in results]
    aim_fresh = "met" if max(fresh) <= 1.5 else "not met"
    aim_flat = "met" if max(growth) <= 1.1 else "not met"

    def span(values: list[float]) -> str:
        low, high = min(values), max(values)
        return f"{low:.2f}x" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}x to {high:.2f}x"

    return f"""- **Within 1.5x of the floor: {aim_fresh}.** A lesson for a member with no history costs
  {span(fresh)} the floor's CPU ({", ".join(n for n, _ in results)}), and for one with
  {HISTORY} past lessons {span(veteran)}. The floor is one post and one insert in one
  transaction; a lesson sends {fresh_sql} SQL statements with no history and {veteran_sql} with
  {HISTORY} past lessons, in two transactions: one query for the workspace's stored setup, the
  member and the lessons they asked for in the last hour (`Members.asker`), the history and
  the due reviews in one query over the counters kept per member and lesson, the claim, and
  commit; then the sent mark with the message's ts,
  and commit again. The claim commits before the post on purpose, so that a crash or a retry
  never sends a lesson twice, so a lesson pays two commits where the floor pays one. These
  statements are built once on the Core tables, with their `IN` lists written into the SQL, and
  run on the unit of work's own connection, its ORM session never begun (bot/store/lesson_sql.py,
  bot/store/uow.py); the message is built by the Block Kit models once per lesson, language and
  options and kept as JSON, which each message is parsed from; selection's catalog is kept while
  the library and the lessons Slack refused stay the same. At 1.5x the floor a lesson would have
  {budget} of CPU beyond one post and one insert for its other statements, its second commit,
  selection and rendering; {shed_text}
- **The same for 0 and {HISTORY} past lessons: {aim_flat}.** {HISTORY} past lessons make a lesson
  {span(growth)} as costly as none, about {per_lesson} of CPU per past lesson.
  The history is read from counters the database keeps per member and lesson
  (`lesson_progress`, kept up by triggers on deliveries and responses, so the sent mark pays no
  statement for them), one row per lesson seen (at most the library's size, here every lesson),
  with the due reviews in the same query: the database no longer steps through every past
  delivery and answer, and both members send the same statements. What growth is left is making
  a row per lesson seen and selection weighing them. {_stalls(span(gap), max(gap))}
- The local Slack's share (parsing the post, checking the blocks) is in every row alike; it is
  why the floor is not near zero, and it makes every ratio smaller than Nudge's own share of the
  CPU would be.
"""

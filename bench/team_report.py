"""How long do `/learn team`'s store queries take over 1,000 members and 1,000,000 answers?

One workspace, 1,000 team members, 12 skill areas, and 1,000,000 lesson deliveries each with its
answer (70% right), spread evenly over 200 weeks that end now, so that a member answered about
five times a week. Every member has an fsrs card for each of the 84 lessons (12 areas of 7), as a
member who has met the whole library has: 84,000 cards, each last reviewed at a random time in the
17 weeks before now (about how often a member's answers come back to a lesson), right 70% of the
time; stability log-normal around 20 days after a right answer (median 20, 95% from about 3 to
140), a day after a wrong one; due at the interval desired retention 0.85 gives. The rows go in
by bulk insert (`executemany` on SQLite, `COPY` on PostgreSQL).

Side by side, in the same database and the same run, each the best and the median of 15 rounds after
a warm-up, taking turns within each round:
- two floors, hand-written SQL through the same engine: the simplest GROUP BY (this period's
  answers and right answers per area, responses joined to members, filtered by workspace and
  time), and one GROUP BY of the same figures `TeamReports.areas` computes;
- `TeamReports.areas`, the report's per-area query: lessons, answers and right answers in the
  period and in the one before it, for the team as it is today;
- a third floor, the plain GROUP BY over the team's cards (count and sum of stability per
  lesson), and `Recalls.team_lessons`, what the team still remembers: fsrs's forgetting curve
  summed per lesson by the database over every card of the team (`bot.store.recall`), then per
  area in Python (`bot.learning.recall.by_area`: a row per lesson, never a row per card);
- every query `/learn team` runs (`areas`, `active_weeks`, `quiet`, `questions`, `lesson_rates`,
  `members`, `member_areas`, `team_lessons`), the whole report's reads in one unit of work.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from bench.common import Database, databases, log, ms, prose, ratio, table
from bot.learning.recall import DECAY, FACTOR, by_area
from bot.learning.team import periods
from bot.store.db import make_engine
from bot.store.tables import Base
from bot.store.team_report import TeamReports
from bot.store.uow import Database as Store

MEMBERS = 1_000
RESPONSES = 1_000_000
SKILLS = 12
SPAN = timedelta(weeks=200)
WEEKS = 4  # /learn team's default
ROUNDS = 15
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
BATCH = 50_000
RIGHT_STABILITY = 20.0  # days, the median after a right answer
STABILITY_SPREAD = 1.0  # the log-normal's sigma: about 3 to 140 days for 95% of cards
WRONG_STABILITY = 1.0  # days after a wrong answer
RETENTION = 0.85  # bot.learning.reviews' desired retention, which sets the due date
CARD_SPAN = timedelta(weeks=17)

# The same figures as TeamReports.areas, written by hand: lessons, answers and right answers per
# area in the period (p) and the one before (b), for the team as it is today.
RAW_SAME = """
SELECT skill, SUM(lessons), SUM(lessons_b), SUM(answers), SUM(answers_b), SUM(correct),
       SUM(correct_b)
FROM (
  SELECT d.skill,
         SUM(CASE WHEN d.sent_at > :since AND d.sent_at <= :until THEN 1 ELSE 0 END) AS lessons,
         SUM(CASE WHEN d.sent_at <= :since THEN 1 ELSE 0 END) AS lessons_b,
         0 AS answers, 0 AS answers_b, 0 AS correct, 0 AS correct_b
  FROM deliveries d JOIN members m ON m.id = d.member_id
  WHERE m.workspace_id = :workspace AND (m.in_channel OR m.choice = 'join')
    AND (m.choice IS NULL OR m.choice != 'leave') AND NOT m.deactivated
    AND d.sent_at > :before AND d.sent_at <= :until
    AND d.kind IN ('lesson', 'review') AND d.status IN ('sent', 'unknown')
  GROUP BY d.skill
  UNION ALL
  SELECT r.skill, 0, 0,
         SUM(CASE WHEN r.answered_at > :since THEN 1 ELSE 0 END),
         SUM(CASE WHEN r.answered_at <= :since THEN 1 ELSE 0 END),
         SUM(CASE WHEN r.answered_at > :since AND r.correct THEN 1 ELSE 0 END),
         SUM(CASE WHEN r.answered_at <= :since AND r.correct THEN 1 ELSE 0 END)
  FROM responses r JOIN members m ON m.id = r.member_id
  WHERE m.workspace_id = :workspace AND (m.in_channel OR m.choice = 'join')
    AND (m.choice IS NULL OR m.choice != 'leave') AND NOT m.deactivated
    AND r.answered_at > :before AND r.answered_at <= :until
  GROUP BY r.skill
) AS both_sources
GROUP BY skill ORDER BY skill
"""

# The simplest GROUP BY over the same tables: this period's answers and right answers per area.
RAW = """
SELECT r.skill, COUNT(*) AS answers, SUM(CASE WHEN r.correct THEN 1 ELSE 0 END) AS correct
FROM responses r JOIN members m ON m.id = r.member_id
WHERE m.workspace_id = :workspace AND r.answered_at > :since AND r.answered_at <= :until
GROUP BY r.skill
"""


# The floor for what the team remembers: the plain GROUP BY over the same cards (the team's cards
# per lesson and the sum of their stabilities), without the forgetting curve.
RAW_CARDS = """
SELECT c.lesson_id, COUNT(*), SUM(c.stability)
FROM cards c JOIN members m ON m.id = c.member_id
WHERE m.workspace_id = :workspace AND c.stability > 0
GROUP BY c.lesson_id ORDER BY c.lesson_id
"""


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _lesson(index: int) -> tuple[str, str]:
    skill = f"skill-{index % SKILLS:02d}"
    return skill, f"{skill}-lesson-{index % 7}"


def _cards() -> Iterator[tuple[object, ...]]:
    """A card for every member and every lesson of the 12 areas, last reviewed within the 17 weeks
    before now (the member's answers return to a lesson about that often), right 70% of the
    time."""
    rng = random.Random(0)
    lessons = sorted({_lesson(index)[1] for index in range(SKILLS * 7)})
    number = 0
    for member in range(1, MEMBERS + 1):
        for lesson in lessons:
            number += 1
            reviewed = NOW - CARD_SPAN * rng.random()
            stability = (
                RIGHT_STABILITY * math.exp(rng.gauss(0, STABILITY_SPREAD))
                if rng.random() < 0.7
                else WRONG_STABILITY
            )
            interval = max(1.0, stability / FACTOR * (RETENTION ** (1 / DECAY) - 1))
            due = reviewed + timedelta(days=round(interval))
            fsrs_card = (
                f'{{"card_id": {number}, "state": 2, "step": null, "stability": {stability:.4f}, '
                f'"difficulty": 5.0, "due": "{due.isoformat()}", '
                f'"last_review": "{reviewed.isoformat()}"}}'
            )
            yield (number, member, lesson, fsrs_card, _naive(due), _naive(reviewed), stability)


def _rows() -> Iterator[tuple[tuple[object, ...], tuple[object, ...]]]:
    """(delivery, response) pairs, the oldest first; ids from 1."""
    start = NOW - SPAN
    step = SPAN / RESPONSES
    for index in range(RESPONSES):
        answered = _naive(start + step * (index + 1))
        member = index % MEMBERS + 1
        skill, lesson = _lesson(index)
        sent = answered - timedelta(hours=1)
        delivery = (index + 1, member, "lesson", lesson, skill, "en", 0, "sent", sent, sent)
        response = (index + 1, index + 1, member, lesson, skill, 0, index % 10 < 7, answered)
        yield delivery, response


DELIVERY = (
    "id, member_id, kind, lesson_id, skill, locale, answer_index, status, claimed_at, sent_at"
)
RESPONSE = "id, delivery_id, member_id, lesson_id, skill, choice, correct, answered_at"
CARD = "id, member_id, lesson_id, fsrs_card, due, last_review, stability"


def _fill(engine: Engine) -> float:
    began = time.perf_counter()
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspaces (id, team_id, name, created_at) VALUES (1, 'T0', '', :at)"
            ),
            {"at": _naive(NOW - SPAN)},
        )
        connection.execute(
            text(
                "INSERT INTO members (id, workspace_id, slack_user_id, name, tz, locale, is_lead,"
                " is_admin, joined_at, in_channel, deactivated) VALUES (:id, 1, :user, :name,"
                " 'UTC', 'en-US', false, false, :at, true, false)"
            ),
            [
                {"id": n, "user": f"U{n:09d}", "name": f"Member {n:04d}", "at": _naive(NOW - SPAN)}
                for n in range(1, MEMBERS + 1)
            ],
        )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            # Generated rows are consistent by construction: checking each key is time wasted.
            cursor.execute("PRAGMA foreign_keys=OFF")
        pairs = _rows()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY deliveries ({DELIVERY}) FROM STDIN") as copy:
                responses = []
                for delivery, response in pairs:
                    copy.write_row(delivery)
                    responses.append(response)
            with cursor.copy(f"COPY responses ({RESPONSE}) FROM STDIN") as copy:
                for response in responses:
                    copy.write_row(response)
            with cursor.copy(f"COPY cards ({CARD}) FROM STDIN") as copy:
                for card in _cards():
                    copy.write_row(card)
        else:
            marks = lambda count: ", ".join("?" * count)  # noqa: E731
            batch: list[tuple[tuple[object, ...], tuple[object, ...]]] = []
            for pair in pairs:
                batch.append(pair)
                if len(batch) == BATCH:
                    _sqlite_batch(cursor, batch, marks)
                    batch = []
            _sqlite_batch(cursor, batch, marks)
            cursor.executemany(
                f"INSERT INTO cards ({CARD}) VALUES ({marks(7)})",
                [(*card[:4], str(card[4]), str(card[5]), card[6]) for card in _cards()],
            )
        raw.commit()
        cursor.execute("ANALYZE")  # the planner's statistics, as a live database has them
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - began


def _sqlite_batch(cursor: object, batch: list, marks: Callable[[int], str]) -> None:
    if not batch:
        return
    iso = [((*d[:-2], str(d[-2]), str(d[-1])), (*r[:-1], str(r[-1]))) for d, r in batch]
    cursor.executemany(
        f"INSERT INTO deliveries ({DELIVERY}) VALUES ({marks(10)})", [d for d, _ in iso]
    )
    cursor.executemany(
        f"INSERT INTO responses ({RESPONSE}) VALUES ({marks(8)})", [r for _, r in iso]
    )


def _measure(database: Database) -> dict[str, object]:
    engine = make_engine(database.url)
    log(f"{database.name}: inserting {RESPONSES:,} deliveries and answers")
    filled = _fill(engine)
    log(f"{database.name}: filled in {filled:.1f} s")
    store = Store(engine)
    span = periods(WEEKS, NOW)
    bounds = {"workspace": 1, "since": _naive(span.now.since), "until": _naive(span.now.until)}
    same = {**bounds, "before": _naive(span.before.since)}

    def raw_sql() -> None:
        with engine.connect() as connection:
            connection.execute(text(RAW), bounds).all()

    def raw_same() -> None:
        with engine.connect() as connection:
            connection.execute(text(RAW_SAME), same).all()

    def areas() -> None:
        with store.uow() as uow:
            uow.team_reports.areas(1, span)

    skill_of = {_lesson(index)[1]: _lesson(index)[0] for index in range(SKILLS * 7)}

    def raw_cards() -> None:
        with engine.connect() as connection:
            connection.execute(text(RAW_CARDS), bounds).all()

    def recall() -> None:
        with store.uow() as uow:
            by_area(uow.recalls.team_lessons(1, NOW), skill_of)

    def whole() -> None:
        with store.uow() as uow:
            reports: TeamReports = uow.team_reports
            reports.members(1)
            reports.member_areas(1, span.now)
            reports.areas(1, span)
            reports.active_weeks(1, span)
            reports.quiet(1, NOW - timedelta(days=14))
            reports.questions(1, span.now)
            reports.lesson_rates(1, "skill-00", span.now)
            by_area(uow.recalls.team_lessons(1, NOW), skill_of)

    actions = {
        "raw SQL GROUP BY, this period's answers": raw_sql,
        "raw SQL GROUP BY, the same figures as areas": raw_same,
        "TeamReports.areas": areas,
        "raw SQL GROUP BY over the cards, per lesson": raw_cards,
        "Recalls.team_lessons, summed per area": recall,
        "whole report (8 queries)": whole,
    }
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for action in actions.values():
        action()
    for _ in range(ROUNDS):
        for name, action in actions.items():
            began = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - began)
    with engine.connect() as connection:
        in_period = connection.execute(
            text(
                "SELECT COUNT(*) FROM responses WHERE answered_at > :since AND answered_at <= :until"
            ),
            bounds,
        ).scalar()
        cards = connection.execute(text("SELECT COUNT(*) FROM cards")).scalar()
    with store.uow() as uow:
        areas_today = by_area(uow.recalls.team_lessons(1, NOW), skill_of)
    shares = sorted(recall.share or 0.0 for recall in areas_today.values())
    log(
        f"{database.name}: {len(areas_today)} areas remembered, {shares[0]:.0%} to {shares[-1]:.0%}"
    )
    engine.dispose()
    return {"filled": filled, "in_period": in_period, "cards": cards, "samples": samples}


def run() -> str:
    results: dict[str, dict[str, object]] = {}
    with databases() as (found, note):
        for database in found:
            results[database.name] = _measure(database)
    rows = []
    for name, result in results.items():
        samples = result["samples"]
        assert isinstance(samples, dict)
        best = {action: min(values) for action, values in samples.items()}
        median = {action: statistics.median(values) for action, values in samples.items()}
        floor, same = list(best.values())[:2]
        for action in samples:
            rows.append(
                [
                    f"{name}: {action}",
                    ms(best[action]),
                    ms(median[action]),
                    ratio(best[action], floor),
                    ratio(best[action], same),
                ]
            )
    header = ["query", f"best of {ROUNDS}", "median", "vs simplest SQL", "vs same figures SQL"]
    measured = table(header, rows)
    print(measured)
    fills = ", ".join(f"{name} {float(r['filled']):.0f} s" for name, r in results.items())
    in_period = next(iter(results.values()))["in_period"]
    cards = next(iter(results.values()))["cards"]
    text_ = f"""## `/learn team`: the report's queries over {MEMBERS:,} members and {RESPONSES:,} answers

{__doc__.split(chr(10), 2)[2].strip()}

The {WEEKS}-week period holds {in_period:,} of the answers; the team has {cards:,} cards.
Filling the databases took: {fills}.
{note}

{measured}
"""
    return prose(text_)

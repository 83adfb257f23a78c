"""Does Nudge's choice of lessons beat simpler rules? A simulated team, with memory not from fsrs.

The learners' memory is a model of its own, so that fsrs is judged, not graded by itself:

* Forgetting is exponential, R(t) = exp(-t / S), t in days since the lesson was last read: the
  curve Ebbinghaus fitted (Über das Gedächtnis, 1885), written with the two components of
  Wozniak, Gorzelanczyk & Murakowski, "Two components of long-term memory", Acta Neurobiologiae
  Experimentalis 55 (1995) 301-305: retrievability R and stability S (the days to fall to 1/e).
* A first reading gives S = FIRST_STABILITY * exp(skill - difficulty) days, halved when its check
  was missed. A right answer at a later retrieval multiplies S by 1 + SPACING_GAIN * (1 - R): the
  gain is larger the more had been forgotten, the spacing effect of the same authors' two-component
  model ("Building memory stability through rehearsal", 2005: the increase in stability falls as
  retrievability at the review rises). A wrong answer means relearning: S = max(first, S * LAPSE).
* The parameters are chosen, not fitted: a fresh lesson by an average member is half forgotten in
  about three days, and a well-spaced right answer about triples its stability; what the
  bench compares is the policies under one model, not the model's absolute numbers.

A member has a prior skill per area, normal(0, SKILL_SPREAD), less BLIND_SPOT in the team's blind
spot (one area for everyone, picked by the seed) and in one personal weak area; a lesson has a
difficulty from its level plus noise. The first check is right with probability
sigmoid(1 + skill - difficulty) (the lesson was just read); a later one with probability R. Every
draw comes from one `random.Random(seed)`, so a run repeats exactly.

Every member gets lessons on the real schedule (`bot.learning.schedule.next_lesson`, Monday to
Friday at 09:30, 5 a week, each member's public holidays off in their own zone) and answers at once;
the policies choose through the real code: fsrs cards by `bot.learning.reviews.review`, due cards
listed as `Cards.due` lists them (due by now, oldest first), and `choose_next_lesson`:

1. round-robin: the library in its order, the same lesson of the day for everyone, wrapping round;
2. random: any lesson of the library, uniformly;
3. least-engaged: `choose_next_lesson` without reviews;
4. fsrs reviews, then the library in order: the most overdue review first, else the next unseen
   lesson;
5. Nudge's rule until 2026-12-01, kept as the "before" of the rule change: the most overdue due
   review first, else `choose_next_lesson` without reviews (the least-engaged area);
6. Nudge's rule: `choose_next_lesson` with the due cards, as `claim_lesson` calls it: an area never
   met first until every area was met once, then the most retrievable due review, then the
   least-engaged area.

The final test is a week after the team's last lesson: each member's recall of every lesson they saw.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.common import CONTENT, log, prose, ratio, table
from bot.learning.calendars import is_public_holiday
from bot.learning.model import CatalogLesson, History, LessonEvent
from bot.learning.reviews import DueCard, StoredCard, review
from bot.learning.schedule import MemberCalendar, next_lesson
from bot.learning.schedule_settings import TeamSchedule
from bot.learning.selection import choose_next_lesson
from bot.library import load_library
from bot.services.lessons import catalog

FIRST_STABILITY = 4.0  # days; exp(-3 / 4) ~ 0.47 three days after reading
SPACING_GAIN = 4.0  # a right answer at R = 0.5 triples S; at R = 0.9 it adds 40%
LAPSE = 0.5
SKILL_SPREAD = 0.4
BLIND_SPOT = 1.0
LEVEL_STEP = 0.4  # difficulty per level above the middle one (levels 1 to 3)
DIFFICULTY_NOISE = 0.25
FINAL_TEST_AFTER = timedelta(weeks=1)
START = datetime(2027, 1, 4, tzinfo=UTC)  # a Monday, after the new year's holidays
ZONES = ("Europe/Athens", "Europe/London", "America/New_York", "Europe/Berlin", "Asia/Kolkata")
TEAM, WEEKS, SEEDS = 30, 12, 10

Policy = Callable[["Learner", datetime], str]
BEFORE = "Nudge before: most overdue review, then least-engaged"
NUDGE = "Nudge: new areas first, most retrievable review, least-engaged"


@dataclass
class Memory:
    stability: float  # days
    read_at: datetime  # the last time the lesson was read


@dataclass
class Learner:
    """One simulated member: their prior skills, their memory, and what Nudge stores of them."""

    name: str
    calendar: MemberCalendar
    skill: dict[str, float]
    memory: dict[str, Memory] = field(default_factory=dict)
    events: list[LessonEvent] = field(default_factory=list)
    cards: dict[str, StoredCard] = field(default_factory=dict)
    reviews_chosen: list[str] = field(default_factory=list)  # lessons the policy sent as reviews

    def recall(self, lesson_id: str, at: datetime) -> float:
        memory = self.memory.get(lesson_id)
        if memory is None:
            return 0.0
        days = (at - memory.read_at).total_seconds() / 86_400
        return math.exp(-days / memory.stability)

    def due_reviews(self, now: datetime, library: Sequence[CatalogLesson]) -> list[DueCard]:
        """As the store's `Cards.due` answers: cards due by now among the library's, oldest first."""
        known = {lesson.id for lesson in library}
        due = [
            DueCard(id_, card.due, card.last_review, card.stability)
            for id_, card in self.cards.items()
            if card.due <= now and id_ in known
        ]
        return sorted(due, key=lambda card: (card.due, card.lesson_id))


@dataclass(frozen=True)
class Outcome:
    """One policy's result for one team: per member, the final test and the areas reached."""

    recall: list[float]  # per member: mean recall over the lessons they saw
    weakest: list[float]  # per member: mean recall over the blind spot's lessons (0: none seen)
    areas: list[int]  # per member: areas with a lesson delivered
    delivered: int
    reviews: int  # lessons the policy sent as reviews
    reviews_of_unseen: int  # lessons sent as reviews before they were ever sent: must stay 0
    recalls: list[float]  # every recall number computed, for the probability check


@dataclass(frozen=True)
class Team:
    library: list[CatalogLesson]
    difficulty: dict[str, float]
    blind_spot: str
    seed: int
    members: int


def make_team(library: list[CatalogLesson], seed: int, members: int) -> Team:
    rng = random.Random(seed)
    difficulty = {
        lesson.id: LEVEL_STEP * (lesson.level - 2) + rng.gauss(0, DIFFICULTY_NOISE)
        for lesson in library
    }
    areas = sorted({lesson.skill for lesson in library})
    return Team(library, difficulty, rng.choice(areas), seed, members)


def _learners(team: Team) -> list[Learner]:
    """The same members for every policy of a seed: drawn from a generator of their own."""
    rng = random.Random(f"members:{team.seed}")
    areas = sorted({lesson.skill for lesson in team.library})
    learners = []
    for number in range(team.members):
        skill = {area: rng.gauss(0, SKILL_SPREAD) for area in areas}
        skill[team.blind_spot] -= BLIND_SPOT
        skill[rng.choice(areas)] -= BLIND_SPOT
        calendar = MemberCalendar(ZONES[number % len(ZONES)])
        learners.append(Learner(f"U{team.seed:03d}{number:03d}", calendar, skill))
    return learners


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _read(
    team: Team, learner: Learner, lesson: CatalogLesson, now: datetime, rng: random.Random
) -> bool:
    """The learner reads the lesson and answers its check; their memory and fsrs card follow."""
    strength = learner.skill[lesson.skill] - team.difficulty[lesson.id]
    first = FIRST_STABILITY * math.exp(strength)
    memory = learner.memory.get(lesson.id)
    if memory is None:
        correct = rng.random() < _sigmoid(1 + strength)
        learner.memory[lesson.id] = Memory(first if correct else first / 2, now)
    else:
        retrievability = learner.recall(lesson.id, now)
        correct = rng.random() < retrievability
        stability = (
            memory.stability * (1 + SPACING_GAIN * (1 - retrievability))
            if correct
            else max(first, memory.stability * LAPSE)
        )
        learner.memory[lesson.id] = Memory(stability, now)
    learner.events.append(LessonEvent(lesson.id, lesson.skill, now, correct))
    learner.cards[lesson.id] = review(learner.cards.get(lesson.id), correct, now)
    return correct


def round_robin(team: Team) -> Policy:
    def choose(learner: Learner, now: datetime) -> str:
        return team.library[len(learner.events) % len(team.library)].id

    return choose


def at_random(team: Team, rng: random.Random) -> Policy:
    return lambda learner, now: rng.choice(team.library).id


def least_engaged(team: Team) -> Policy:
    def choose(learner: Learner, now: datetime) -> str:
        choice = choose_next_lesson(team.library, History.of(learner.events), seed=learner.name)
        assert choice is not None
        return choice.lesson_id

    return choose


def _most_overdue_review_else(team: Team, new: Policy) -> Policy:
    """A due review first, the most overdue (as `Cards.due` lists them); else `new`'s lesson."""

    def choose(learner: Learner, now: datetime) -> str:
        due = learner.due_reviews(now, team.library)
        if due:
            learner.reviews_chosen.append(due[0].lesson_id)
            return due[0].lesson_id
        return new(learner, now)

    return choose


def reviews_in_library_order(team: Team) -> Policy:
    def next_unseen(learner: Learner, now: datetime) -> str:
        seen = {event.lesson_id for event in learner.events}
        unseen = [lesson.id for lesson in team.library if lesson.id not in seen]
        return unseen[0] if unseen else team.library[len(learner.events) % len(team.library)].id

    return _most_overdue_review_else(team, next_unseen)


def nudge_before(team: Team) -> Policy:
    """The rule as shipped until 2026-12-01: any due review first, the most overdue, else the
    least-engaged area."""
    return _most_overdue_review_else(team, least_engaged(team))


def nudge(team: Team) -> Policy:
    def choose(learner: Learner, now: datetime) -> str:
        choice = choose_next_lesson(
            team.library,
            History.of(learner.events),
            due_reviews=learner.due_reviews(now, team.library),
            now=now,
            seed=learner.name,
        )
        assert choice is not None
        if choice.kind == "review":
            learner.reviews_chosen.append(choice.lesson_id)
        return choice.lesson_id

    return choose


POLICIES: dict[str, Callable[[Team, random.Random], Policy]] = {
    "round-robin": lambda team, rng: round_robin(team),
    "random": at_random,
    "least-engaged, no reviews": lambda team, rng: least_engaged(team),
    "fsrs reviews, library order": lambda team, rng: reviews_in_library_order(team),
    BEFORE: lambda team, rng: nudge_before(team),
    NUDGE: lambda team, rng: nudge(team),
}


def simulate(team: Team, policy_name: str, weeks: int, start: datetime = START) -> Outcome:
    """One team under one policy for `weeks` of the real schedule, then the final test."""
    rng = random.Random(f"{policy_name}:{team.seed}")
    policy = POLICIES[policy_name](team, rng)
    lessons = {lesson.id: lesson for lesson in team.library}
    schedule, end = TeamSchedule(), start + timedelta(weeks=weeks)
    learners, last = _learners(team), start
    reviews_of_unseen = 0
    for learner in learners:
        slot = next_lesson(schedule, learner.calendar, is_public_holiday, start)
        while slot is not None and slot.due_at < end:
            now = slot.due_at
            seen_before = set(learner.memory)
            chosen = policy(learner, now)
            if learner.reviews_chosen and learner.reviews_chosen[-1] == chosen:
                reviews_of_unseen += chosen not in seen_before
            _read(team, learner, lessons[chosen], now, rng)
            last = max(last, now)
            slot = next_lesson(schedule, learner.calendar, is_public_holiday, now)
    test_at = last + FINAL_TEST_AFTER
    recall, weakest, areas, recalls = [], [], [], []
    for learner in learners:
        mine = [learner.recall(id_, test_at) for id_ in learner.memory]
        blind = [
            learner.recall(id_, test_at)
            for id_ in learner.memory
            if lessons[id_].skill == team.blind_spot
        ]
        recalls += mine
        recall.append(statistics.fmean(mine) if mine else 0.0)
        weakest.append(statistics.fmean(blind) if blind else 0.0)
        areas.append(len({lessons[id_].skill for id_ in learner.memory}))
    delivered = sum(len(learner.events) for learner in learners)
    reviews = sum(len(learner.reviews_chosen) for learner in learners)
    return Outcome(recall, weakest, areas, delivered, reviews, reviews_of_unseen, recalls)


def shipped_library() -> list[CatalogLesson]:
    return catalog(load_library(CONTENT, date(2027, 1, 4)))


def _spread(values: Sequence[float], digits: str = ".3f") -> str:
    """Mean ± standard deviation over the seeds."""
    deviation = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):{digits}} ± {deviation:{digits}}"


NOTES = Path(__file__).resolve().parent / "learning_notes.md"


def run() -> str:
    began = time.perf_counter()
    library = shipped_library()
    area_count = len({lesson.skill for lesson in library})
    per_policy: dict[str, list[Outcome]] = {name: [] for name in POLICIES}
    for seed in range(SEEDS):
        team = make_team(library, seed, TEAM)
        for name in POLICIES:
            per_policy[name].append(simulate(team, name, WEEKS))
        log(f"seed {seed} done")
    took = time.perf_counter() - began
    rows = []
    for name, outcomes in per_policy.items():
        rows.append(
            [
                name,
                _spread([statistics.fmean(o.recall) for o in outcomes]),
                _spread([statistics.fmean(o.weakest) for o in outcomes]),
                _spread([statistics.fmean(o.areas) for o in outcomes], ".1f"),
                str(min(min(o.areas) for o in outcomes)),
                _spread([sum(o.recalls) / len(o.recall) for o in outcomes], ".1f"),
                _spread([o.delivered for o in outcomes], ".0f"),
                _spread([o.reviews / o.delivered for o in outcomes], ".2f"),
            ]
        )
    mean = {
        name: (
            statistics.fmean(statistics.fmean(o.recall) for o in outcomes),
            statistics.fmean(statistics.fmean(o.weakest) for o in outcomes),
        )
        for name, outcomes in per_policy.items()
    }
    ours, base, before = mean[NUDGE], mean["round-robin"], mean[BEFORE]
    nudge_min_areas = min(min(o.areas) for o in per_policy[NUDGE])
    aim = ours[1] >= 1.3 * base[1] and nudge_min_areas == area_count
    print(f"simulation took {took:.1f} s; aim {'holds' if aim else 'does not hold'}")
    ratios = table(
        ["ratio, Nudge's rule to round-robin", "value"],
        [
            ["mean final recall", ratio(ours[0], base[0])],
            ["final recall in the team's blind spot", ratio(ours[1], base[1])],
            ["mean final recall, before the change", ratio(before[0], base[0])],
            ["blind spot, before the change", ratio(before[1], base[1])],
        ],
    )
    section = prose(
        f"## Learning: a simulated team of {TEAM} over {WEEKS} weeks\n\n"
        f"{len(library)} lessons in {area_count} areas (content/), {SEEDS} seeds, mean ± standard "
        f"deviation over the seeds; the model, its parameters and its sources are in "
        f"bench/learning.py's docstring. Recall is the probability of recalling a lesson on a "
        f"final test a week after the last lesson, averaged per member over the lessons they saw, "
        f"then over the team; the blind spot is the area every member starts weak in, and a member "
        f"who never reached it recalls 0 of it. Lessons remembered: the expected number a member "
        f"would recall on that test (the sum of their recall probabilities). Took {took:.0f} s.\n\n"
        + table(
            [
                "policy",
                "mean recall",
                "recall, blind spot",
                "areas reached",
                "fewest areas",
                "lessons remembered",
                "lessons delivered",
                "share of reviews",
            ],
            rows,
        )
        + "\n\n"
        + ratios
        + "\n\n"
        f"Aim (Nudge's rule at least 1.3x round-robin's recall in the blind spot, every member "
        f"reaching all {area_count} areas): {'holds' if aim else 'does not hold'}.\n"
    )
    # What the numbers mean, and the rule changes tried: written once, kept with the code so
    # that a whole `make bench` run, which rewrites RESULTS.md, keeps it.
    section = section.rstrip("\n") + "\n\n" + NOTES.read_text("utf-8")
    print(section)  # `python -m bench learning` writes no file: the table is the output
    return section

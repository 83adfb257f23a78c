"""What the leads' weekly digest says: participation, the week's question and its answers
(attributed, or anonymous under DIGEST_ANONYMOUS), the skill trend against last week, what the
team still remembers per area, the blind spot. The clock posts it (bot.services.tick); this
builds it from the database in the team's language (TEAM_LANGUAGE)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.i18n import language_of
from bot.learning.digest import AreaTrend, WeeklyDigest, quotable
from bot.learning.recall import Recall
from bot.learning.schedule import Slot
from bot.learning.team import AreaCounts, blind_spot
from bot.library import Question
from bot.services.deps import Deps
from bot.services.team import team_remembered, week_table
from bot.store.figures import SkillTrend
from bot.store.uow import UnitOfWork

WEEK = timedelta(days=7)


def digest_language(deps: Deps) -> str:
    return language_of(deps.settings.team_language, None)


def claim_digest(
    deps: Deps, workspace_id: int, slot: Slot, question: Question | None, now: datetime
) -> tuple[int, WeeklyDigest] | None:
    """Claim the week's digest and build it; None when this week has one already. Once a week,
    whatever happens to the clock: the claim's unique key stops a second tick or process on the
    same day, and a week with a digest on another day (DIGEST_DAY or TEAM_ZONE changed since)
    gets no second."""
    monday = slot.local_date - timedelta(days=slot.local_date.weekday())
    with deps.uow() as uow:
        if uow.team_posts.claimed_between(workspace_id, "digest", monday, slot.local_date):
            return None
        post_id = uow.team_posts.claim(workspace_id, "digest", slot.local_date, now)
        if post_id is None:
            return None
        digest = weekly_digest(deps, uow, workspace_id, slot.local_date, slot.due_at, question)
        uow.commit()
    return post_id, digest


def weekly_digest(
    deps: Deps,
    uow: UnitOfWork,
    workspace_id: int,
    week_ending: date,
    until: datetime,
    question: Question | None,
) -> WeeklyDigest:
    """The week that ends at `until` (the digest's own time), against the week before it.
    `question`: the week's strategy question (None: the library has none)."""
    since, language = until - WEEK, digest_language(deps)
    nudged, active = uow.team_posts.participation(workspace_id, since, until)
    written = (
        uow.figures.written_answers(workspace_id, question.id, since, until) if question else []
    )
    answers, withheld = quotable(
        [(answer.name, answer.text) for answer in written],
        anonymous=deps.settings.digest_anonymous,
    )
    skills = deps.library.current.skills
    remembered = team_remembered(uow, workspace_id, deps.library.current, until)
    counted = uow.figures.skill_trend(workspace_id, since - WEEK, since, until)
    by_skill = {row.skill: row for row in counted}
    areas = (
        AreaTrend(
            skill,
            skills[skill].name_in(language) if skill in skills else skill,
            row.now,
            row.before,
            row.right,
            remembered.get(skill, Recall()),
        )
        for skill in skills.keys() | by_skill.keys()
        for row in [by_skill.get(skill, SkillTrend(skill, 0, 0))]
    )
    trend = tuple(sorted(areas, key=lambda area: (area.name.casefold(), area.skill)))
    # An area that has left the library is no blind spot: nothing could be sent in it. The rule
    # is the team report's (bot.learning.team.blind_spot), over this week's check answers.
    candidates = [area for area in trend if area.skill in skills]
    spot = blind_spot(
        [AreaCounts(a.skill, answers=a.this_week, correct=a.right) for a in candidates],
        remembered,
    )
    return WeeklyDigest(
        week_ending=week_ending,
        nudged=nudged,
        active=active,
        question=question.localized(language).prompt if question else None,
        answer_count=len(written),
        answers=answers,
        withheld=withheld,
        trend=trend,
        blind_spot=next((area for area in candidates if area.skill == spot), None),
        heatmap=week_table(uow, workspace_id, until, deps.library.current, language),
    )

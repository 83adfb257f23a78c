"""A workspace's stored setup over the environment's settings (`with_setup`), as every lesson and
request of the workspace reads it: checked once per setup, and again when it changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from bot.services.deps import Deps
from bot.services.team_setup import with_setup

SETUP: dict[str, object] = {
    "team_channel": "C0OTHER001",
    "leads": ["U0ANNA0001"],
    "admins": ["U0BEN00001"],
    "lesson_time": "10:15",
    "working_days": "mon,wed,fri",
}


def test_a_stored_setup_is_applied_and_checked_once_for_every_request_that_reads_it(
    deps: Deps,
) -> None:
    first = with_setup(deps, SETUP)
    assert first.settings.team_channel == "C0OTHER001"
    assert first.schedule.lesson_time == time(10, 15)
    again = with_setup(deps, dict(SETUP))  # read again from the database: an equal dict
    assert again.settings is first.settings and again.schedule is first.schedule
    assert deps.settings.team_channel == "C0SOCIAL01"  # the environment's are untouched


def test_a_changed_setup_or_other_environment_settings_are_checked_afresh(deps: Deps) -> None:
    first = with_setup(deps, SETUP)
    changed = with_setup(deps, {**SETUP, "lesson_time": "11:00"})
    assert changed.schedule.lesson_time == time(11, 0)
    assert with_setup(deps, SETUP).schedule is first.schedule
    other = replace(deps, settings=deps.settings.model_copy(update={"lessons_per_week": "2"}))
    elsewhere = with_setup(other, SETUP)
    assert elsewhere.schedule.lessons_per_week == 2
    assert elsewhere.schedule.lesson_time == time(10, 15)

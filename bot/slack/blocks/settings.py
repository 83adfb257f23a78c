"""The Settings modal: one input per setting, block id = action id = the setting's name, each
prefilled with the member's own value or with AUTO ("the team's default", "from Slack", ...)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.learning.model import MemberSettings
from bot.learning.schedule_settings import AUTO, TeamSchedule, Weekday

SETTINGS_CALLBACK = "settings_modal"
OPTION_TEXT_MAX = 75  # a select option's text
TIMES = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in (0, 30))
LANGUAGE_NAMES = {"en": "English", "el": "Ελληνικά"}  # each in its own language
LABELS = {
    "lesson_time": "settings.lesson_time",
    "working_days": "settings.working_days",
    "lessons_per_week": "settings.lessons_per_week",
    "language": "settings.language",
    "holiday_country": "settings.holiday_country",
    "interests": "settings.interests",
}
# What a refused value is told, under its own field (by the use case's Problem.kind).
PROBLEMS = {
    "lesson_time": "settings.bad.lesson_time",
    "working_days": "settings.bad.working_days",
    "lessons_per_week": "settings.bad.lessons_per_week",
    "language": "settings.bad.language",
    "holiday_country": "settings.bad.holiday_country",
    "interests": "settings.bad.interests",
    "too_many_lessons": "settings.bad.too_many_lessons",
}
DAY_NAMES = {
    Weekday.MON: "settings.day.mon",
    Weekday.TUE: "settings.day.tue",
    Weekday.WED: "settings.day.wed",
    Weekday.THU: "settings.day.thu",
    Weekday.FRI: "settings.day.fri",
    Weekday.SAT: "settings.day.sat",
    Weekday.SUN: "settings.day.sun",
}


def _fit(text: str) -> str:
    return text if len(text) <= OPTION_TEXT_MAX else text[: OPTION_TEXT_MAX - 1] + "…"


def _select(
    t: Translator,
    name: str,
    options: Sequence[tuple[str, str]],
    chosen: str,
    *,
    hint: str | None = None,
) -> InputBlock:
    """A single select; `options` are (value, text), `chosen` the value shown as picked."""
    items = [Option(value=value, text=_fit(text)) for value, text in options]
    initial = next((item for item in items if item.value == chosen), items[0])
    return InputBlock(
        block_id=name,
        label=t(LABELS[name]),
        hint=hint,
        element=StaticSelectElement(action_id=name, options=items, initial_option=initial),
    )


def _multi(
    t: Translator, name: str, options: Sequence[tuple[str, str]], chosen: set[str], hint: str
) -> InputBlock:
    items = [Option(value=value, text=_fit(text)) for value, text in options]
    initial = [item for item in items if item.value in chosen]
    return InputBlock(
        block_id=name,
        label=t(LABELS[name]),
        hint=hint,
        optional=True,
        element=StaticMultiSelectElement(
            action_id=name,
            placeholder=t("settings.none_chosen"),
            options=items,
            initial_options=initial or None,
        ),
    )


def _days(t: Translator, days: frozenset[Weekday]) -> str:
    return ", ".join(t(DAY_NAMES[day]) for day in sorted(days))


def settings_errors(
    t: Translator, problems: Mapping[str, tuple[str, Mapping[str, object]]]
) -> dict[str, str]:
    """`response_action: errors`: each problem (kind, values) under its field's block."""
    return {name: t(PROBLEMS[kind], **values) for name, (kind, values) in problems.items()}


def settings_modal(
    t: Translator,
    *,
    owner: str,
    current: MemberSettings,
    team: TeamSchedule,
    slack_language: str,
    zone_country: str | None,
    countries: Sequence[str],
    skills: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """`owner` goes in private_metadata with the modal's language: a submission by anyone else
    is refused, and a bad value is explained in the language the modal was read in."""
    now_time = current.lesson_time.strftime("%H:%M") if current.lesson_time else AUTO
    times = sorted({*TIMES, *([now_time] if now_time != AUTO else [])})
    team_time = team.lesson_time.strftime("%H:%M")
    per_week = current.lessons_per_week
    auto_country = t.country(zone_country) if zone_country else t("settings.no_country")
    blocks: list[Block] = [
        _select(
            t,
            "lesson_time",
            [(AUTO, t("settings.team_default", value=team_time)), *((x, x) for x in times)],
            now_time,
        ),
        _multi(
            t,
            "working_days",
            [(day.short, t(DAY_NAMES[day])) for day in Weekday],
            {day.short for day in current.working_days or ()},
            t("settings.working_days_hint", days=_days(t, team.working_days)),
        ),
        _select(
            t,
            "lessons_per_week",
            [
                (AUTO, t("settings.team_default", value=team.lessons_per_week)),
                *((str(n), str(n)) for n in range(1, 6)),
            ],
            str(per_week) if per_week else AUTO,
        ),
        _select(
            t,
            "language",
            [
                (AUTO, t("settings.from_slack", language=LANGUAGE_NAMES[slack_language])),
                *LANGUAGE_NAMES.items(),
            ],
            current.language or AUTO,
        ),
        _select(
            t,
            "holiday_country",
            [
                (AUTO, t("settings.from_zone", country=auto_country)),
                *sorted(((c, t.country(c)) for c in countries), key=lambda pair: pair[1]),
            ],
            current.holiday_country or AUTO,
        ),
        _multi(
            t,
            "interests",
            skills,
            set(current.interests),
            t("settings.interests_hint"),
        ),
        ContextBlock(elements=[MarkdownTextObject(text=t("settings.footer"))]),
    ]
    return View(
        type="modal",
        callback_id=SETTINGS_CALLBACK,
        private_metadata=json.dumps(
            {
                "owner": owner,
                "language": t.language,
            }
        ),
        title=PlainTextObject(text=t("settings.title")),
        submit=PlainTextObject(text=t("settings.save")),
        close=PlainTextObject(text=t("settings.cancel")),
        blocks=blocks,
    ).to_dict()

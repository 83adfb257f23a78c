"""The setup modal (`/learn admin setup`): a workspace's team channel, leads channel, leads,
admins and team defaults, each field's block id = action id = the setting's name."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ChannelSelectElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.learning.schedule_settings import TeamSchedule, Weekday
from bot.slack.blocks.settings import DAY_NAMES, LANGUAGE_NAMES, TIMES

SETUP_CALLBACK = "team_setup_modal"
ANONYMOUS = "anonymous"  # the digest checkbox's value
LABELS = {
    "team_channel": "setup.team_channel",
    "leads_channel": "setup.leads_channel",
    "leads": "setup.leads",
    "admins": "setup.admins",
    "lesson_time": "setup.lesson_time",
    "working_days": "setup.working_days",
    "team_language": "setup.team_language",
    "digest_anonymous": "setup.digest",
}


# What a refused value is told, under its own field.
PROBLEMS = {
    "team_channel": "setup.bad.team_channel",
    "leads_channel": "setup.bad.leads_channel",
    "leads": "setup.bad.people",
    "admins": "setup.bad.admins",
    "lesson_time": "settings.bad.lesson_time",
    "working_days": "setup.bad.working_days",
    "team_language": "settings.bad.language",
}


def setup_errors(t: Translator, problems: Sequence[str]) -> dict[str, str]:
    """`response_action: errors`: what is wrong, under each refused field."""
    return {name: t(PROBLEMS[name]) for name in problems}


def _input(t: Translator, name: str, element: Any, *, optional: bool = False) -> InputBlock:
    return InputBlock(block_id=name, label=t(LABELS[name]), element=element, optional=optional)


def _options(pairs: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(value=value, text=text) for value, text in pairs]


def setup_modal(
    t: Translator,
    *,
    team_channel: str,
    leads_channel: str,
    leads: Sequence[str],
    admins: Sequence[str],
    schedule: TeamSchedule,
    team_language: str,
    digest_anonymous: bool,
) -> dict[str, Any]:
    """Prefilled with the workspace's settings now; the modal's language goes in
    private_metadata, so that a bad value is explained in the language it was read in. Only
    people are shown in the people pickers: user groups named in LEADS or ADMINS stay there."""
    lesson_time = schedule.lesson_time.strftime("%H:%M")
    times = _options([(x, x) for x in sorted({*TIMES, lesson_time})])
    days = _options([(day.short, t(DAY_NAMES[day])) for day in Weekday])
    languages = _options(list(LANGUAGE_NAMES.items()))
    anonymous = Option(value=ANONYMOUS, text=t("setup.digest_anonymous"))
    people = {
        name: [p for p in chosen if not p.startswith("S")]
        for name, chosen in (("leads", leads), ("admins", admins))
    }
    blocks: list[Block] = [
        _input(
            t,
            "team_channel",
            ChannelSelectElement(action_id="team_channel", initial_channel=team_channel or None),
        ),
        _input(
            t,
            "leads_channel",
            ChannelSelectElement(action_id="leads_channel", initial_channel=leads_channel or None),
            optional=True,
        ),
        _input(
            t,
            "leads",
            UserMultiSelectElement(action_id="leads", initial_users=people["leads"] or None),
            optional=True,
        ),
        _input(
            t,
            "admins",
            UserMultiSelectElement(action_id="admins", initial_users=people["admins"] or None),
        ),
        _input(
            t,
            "lesson_time",
            StaticSelectElement(
                action_id="lesson_time",
                options=times,
                initial_option=next(o for o in times if o.value == lesson_time),
            ),
        ),
        _input(
            t,
            "working_days",
            StaticMultiSelectElement(
                action_id="working_days",
                options=days,
                initial_options=[
                    o for o in days if o.value in {d.short for d in schedule.working_days}
                ]
                or None,
            ),
        ),
        _input(
            t,
            "team_language",
            StaticSelectElement(
                action_id="team_language",
                options=languages,
                initial_option=next(
                    (o for o in languages if o.value == team_language), languages[0]
                ),
            ),
        ),
        _input(
            t,
            "digest_anonymous",
            CheckboxesElement(
                action_id="digest_anonymous",
                options=[anonymous],
                initial_options=[anonymous] if digest_anonymous else None,
            ),
            optional=True,
        ),
        ContextBlock(elements=[MarkdownTextObject(text=t("setup.footer"))]),
    ]
    return View(
        type="modal",
        callback_id=SETUP_CALLBACK,
        private_metadata=json.dumps({"language": t.language}),
        title=PlainTextObject(text=t("setup.title")),
        submit=PlainTextObject(text=t("settings.save")),
        close=PlainTextObject(text=t("settings.cancel")),
        blocks=blocks,
    ).to_dict()

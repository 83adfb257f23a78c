"""What the demo shows of a member beyond lessons: their Home tab, their settings modal, and the
weekly question answered in a modal, each rendered as the local Slack shows it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from bot.localslack import View, render_message, render_view
from bot.services.roster import refresh_roster
from bot.slack.gateway import SlackGateway, make_web_client

if TYPE_CHECKING:
    from bot.demo import Session
    from bot.localslack import Message

NEW_LESSON_TIME = "08:00"
WEEKLY_ANSWER = (
    "On LinkedIn we sound like a press release and on Instagram like a friend. Last week's Reel "
    "caption slipped into agency jargon; I would open it with the customer's own words."
)


def _rule(title: str, out: TextIO) -> None:
    print(f"\n{'=' * 8} {title} {'=' * max(4, 70 - len(title))}", file=out)


def _home(session: Session, user_id: str) -> View:
    session.bot.driver.event({"type": "app_home_opened", "user": user_id, "tab": "home"})
    session.settle()
    home = session.slack.home(user_id)
    assert home is not None, "the Home tab was not published"
    return home


def show_home_and_settings(session: Session, user_id: str, out: TextIO) -> None:
    """The member opens the Home tab, then `/learn settings`, and moves their lesson time."""
    name = session.bot.name(user_id)
    # The clock's first roster sync (as `run` does at start) puts the team channel's members on
    # the schedule, so that the Home tab shows when the next lesson comes.
    gateway = SlackGateway(make_web_client(session.bot.deps.settings))
    refresh_roster(session.bot.deps, gateway, session.slack.team_id, session.clock.now())
    _rule(f"{name} opens Nudge's Home tab", out)
    print(render_view(_home(session, user_id)), file=out)

    _rule(f"{name} types /learn settings", out)
    session.bot.driver.command(user_id, "settings")
    session.settle()
    modal = session.slack.views(user_id)[-1]
    print(render_view(modal), file=out)
    print(f"\n({name} picks {NEW_LESSON_TIME} as her lesson time and presses Save)", file=out)
    session.bot.driver.submit_view(
        user_id, modal, {"lesson_time": {"lesson_time": NEW_LESSON_TIME}}
    )
    session.settle()
    home = session.slack.home(user_id)
    assert home is not None
    top = render_view(home).split("\n[1] ")[0]  # down to its buttons
    print(top.replace("[ Home ]", "[ Home ] (republished at once; its top)", 1), file=out)


def answer_weekly_question(session: Session, user_id: str) -> list[str]:
    """The member presses Answer on this week's question, writes in the modal and submits; what
    they saw, to print after the week's timeline."""
    question = _question_message(session, user_id)
    if question is None:
        return []
    seen = [f"--- {session.bot.name(user_id)} presses Answer on the question of the week ---"]
    session.bot.driver.click(user_id, question, action_id="question_answer")
    session.settle()
    modal = session.slack.views(user_id)[-1]
    seen.append(render_view(modal))
    values: dict[str, dict[str, str]] = {"question_text": {"text": WEEKLY_ANSWER}}
    if any(block.get("block_id") == "question_choice" for block in modal.blocks):
        values["question_choice"] = {"choice": "0"}
    session.bot.driver.submit_view(user_id, modal, values)
    session.settle()
    (updated,) = [m for m in session.slack.dm_messages(user_id) if m.ts == question.ts]
    seen.append("\n--- the same DM, updated in place ---")
    seen.append(render_message(updated))
    return seen


def _question_message(session: Session, user_id: str) -> Message | None:
    for message in reversed(session.slack.dm_messages(user_id)):
        if '"question_answer"' in json.dumps(message.blocks):
            return message
    return None

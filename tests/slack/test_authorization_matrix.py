"""Who may do what: every subcommand in the table, every button and every modal the app registers,
as a member, a lead, an admin, someone outside the team channel, and someone from another
workspace.

- A subcommand answers everyone in the workspace as its role allows: the others are refused with
  the same words and nothing done.
- A button or a modal belongs to the person it was sent to: anyone else, admins included, is
  refused and nothing is stored. The team setup modal is the workspace's: any admin's submission
  saves it, and anyone else's is refused. App Home's Settings button opens whoever presses it their own
  settings, never another's.
- A request from another workspace is answered with nothing at all, and nothing is stored.

The lists come from the registrations, so a new subcommand, action or view without a row here
fails `test_every_registered_interaction_has_a_row`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from slack_bolt import App
from sqlalchemy import func, select

from bot.i18n import LANGUAGES, translator
from bot.learning.model import Role
from bot.localslack import Message
from bot.localslack.driver import DriverResponse
from bot.slack.blocks.own_data import FORGET_CALLBACK
from bot.slack.blocks.team_setup import SETUP_CALLBACK
from bot.slack.listeners import actions, views
from bot.slack.listeners.commands.subcommands import REFUSALS, SUBCOMMANDS, Subcommand
from bot.store import tables
from tests.conftest import SIGNING_SECRET, Bot
from tests.slack.test_learn_now_and_answer import lesson_for
from tests.slack.test_own_data import open_forget
from tests.slack.test_schedule_over_slack import _question
from tests.slack.test_settings_over_slack import (
    home_with_settings,
    open_settings,
    owner_of,
    settings_rows,
)
from tests.slack.test_team_setup import chosen as setup_values
from tests.slack.test_team_setup import open_setup

ROLES = ("member", "lead", "admin", "outsider")
HAS = {
    "member": {Role.MEMBER},
    "lead": {Role.MEMBER, Role.LEAD},
    "admin": {Role.MEMBER, Role.ADMIN},
    "outsider": {Role.MEMBER},
}
ARGS = {"pause": "pause 3d"}
OPENS_A_MODAL = {"settings"}  # answered with a modal of the caller's own, not a message
ADMIN_MODALS = {"admin setup"}  # answered with a modal for an admin, a refusal for anyone else
ELSEWHERE = "T0ELSEWHERE"


def _typed(sub: Subcommand) -> str:
    words = " ".join(sub.words)
    return ARGS.get(words, words)


def _refusals(sub: Subcommand) -> set[str]:
    return {
        translator(language)(REFUSALS[sub.role], command=f"/learn {sub.words[0]}")
        for language in LANGUAGES
        if sub.role in REFUSALS
    }


@pytest.mark.parametrize("sub", SUBCOMMANDS, ids=_typed)
def test_each_subcommand_answers_each_role_as_its_role_allows(bot: Bot, sub: Subcommand) -> None:
    for role in ROLES:  # one person each: what one does changes nothing for the next
        if " ".join(sub.words) in OPENS_A_MODAL:
            assert owner_of(open_settings(bot, bot.user(role))) == bot.user(role)
            continue
        if " ".join(sub.words) in ADMIN_MODALS and sub.role in HAS[role]:
            assert open_setup(bot, bot.user(role)).definition["callback_id"] == SETUP_CALLBACK
            continue
        reply = bot.ask(bot.user(role), _typed(sub))
        if sub.role in HAS[role]:
            assert reply.text not in _refusals(sub), (role, reply.text)
            assert reply.text not in {t("error.apology") for t in _ts()}, role
        else:
            assert reply.text in _refusals(sub), (role, reply.text)
            assert _stored(bot) == 0
            # A refusal reveals no figure and no one: no digit, no person's name.
            assert not re.search(r"\d", reply.text), reply.text
            assert not any(user.real_name in reply.text for user in bot.slack.workspace.users)


def test_another_workspace_gets_no_answer_for_any_subcommand(bot: Bot) -> None:
    admin = bot.user("admin")
    for sub in SUBCOMMANDS:
        body = urlencode(
            {
                "team_id": ELSEWHERE,
                "user_id": admin,
                "command": "/learn",
                "text": _typed(sub),
                "response_url": bot.slack.new_response_url(bot.slack.dm_channel_id(admin), admin),
            }
        ).encode()
        response = bot.driver.post_raw(
            body, {"Content-Type": "application/x-www-form-urlencoded", **bot.driver.sign(body)}
        )
        assert (response.status, response.body) == (200, ""), sub.words
    bot.settle()
    assert bot.slack.ephemerals(admin) == [] and _stored(bot) == 0


# -- buttons and modals ------------------------------------------------------------------------


class _Registrations(App):
    """Bolt's own App, noting each action and view constraint as the listeners register it."""

    def __init__(self) -> None:
        super().__init__(
            token="xoxb-0", signing_secret=SIGNING_SECRET, token_verification_enabled=False
        )
        self.ids: list[str] = []

    def action(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self.ids.append(_named(constraints))
        return super().action(constraints, *args, **kwargs)

    def view(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self.ids.append(_named(constraints))
        return super().view(constraints, *args, **kwargs)


def _named(constraint: Any) -> str:
    return constraint.pattern if isinstance(constraint, re.Pattern) else str(constraint)


def registered() -> list[str]:
    app = _Registrations()
    actions.register(app)
    views.register(app)
    return app.ids


@dataclass(frozen=True)
class Interaction:
    """How `who` uses the one sent to the owner (the plain member), and what that stored."""

    use: Callable[[Bot, str, Any], DriverResponse]
    sent: Callable[[Bot, str], Any]  # what the owner received: a lesson, a question, a modal
    stored: Callable[[Bot], int]  # what its use stores, counted
    # A Home tab button acts on whoever presses it (Slack names them; nothing in the view is
    # trusted): anyone else's press changes their own lessons, never the owner's.
    own: bool = False
    change: int = 1  # what the owner's own use does to the count of `stored`


def _press_check(bot: Bot, who: str, lesson: Message) -> DriverResponse:
    return bot.driver.click(who, lesson, index=2)


def _press_answer(bot: Bot, who: str, question: Message) -> DriverResponse:
    return bot.driver.click(who, question, index=1)


def _open_modal(bot: Bot, owner: str) -> Any:
    bot.driver.click(owner, _question(bot, owner), index=1)
    bot.settle()
    (modal,) = bot.slack.views(owner)
    return modal


def _answered(bot: Bot, owner: str) -> Any:
    """The owner's question once answered: it carries "Edit my answer"."""
    modal = _open_modal(bot, owner)
    bot.driver.submit_view(owner, modal, {"question_text": {"text": "Four weeks."}})
    bot.settle()
    question = bot.slack.dm_messages(owner)[-1]
    return next(m for m in bot.slack.messages(question.channel) if m.ts == question.ts)


def _press_edit(bot: Bot, who: str, answered: Message) -> DriverResponse:
    return bot.driver.click(who, answered, action_id="question_edit")


def _submit(bot: Bot, who: str, modal: Any) -> DriverResponse:
    return bot.driver.submit_view(who, modal, {"question_text": {"text": "Four weeks."}})


def home_of(bot: Bot, owner: str) -> Any:
    """The owner's Home tab, as published when they open it."""
    bot.driver.event({"type": "app_home_opened", "user": owner, "tab": "home"})
    bot.settle()
    return bot.slack.home(owner)


def _paused_home(bot: Bot, owner: str) -> Any:
    """The owner's Home after "Pause a week": it shows "Resume"."""
    bot.driver.click(owner, home_of(bot, owner), action_id="home.pause")
    bot.settle()
    return bot.slack.home(owner)


def _home_press(action_id: str) -> Callable[[Bot, str, Any], DriverResponse]:
    def press(bot: Bot, who: str, home: Any) -> DriverResponse:
        return bot.driver.click(who, home, action_id=action_id)

    return press


def _press_settings(bot: Bot, who: str, home: Any) -> DriverResponse:
    return bot.driver.click(who, home, action_id="home.settings")


def _save_settings(bot: Bot, who: str, modal: Any) -> DriverResponse:
    return bot.driver.submit_view(who, modal, {"lesson_time": {"lesson_time": "07:00"}})


def _setup_modal(bot: Bot, _owner: str) -> Any:
    """The team setup, as the workspace's admin opens it (the plain member cannot)."""
    return open_setup(bot, bot.user("admin"))


def _save_setup(bot: Bot, who: str, modal: Any) -> DriverResponse:
    return bot.driver.submit_view(who, modal, setup_values(lesson_time="07:00"))


def _setups(bot: Bot) -> int:
    """Workspaces whose settings were saved by their admin."""
    query = select(func.count()).where(tables.Workspace.settings.is_not(None))
    with bot.deps.db.engine.connect() as connection:
        return connection.scalar(query) or 0


def _rows(table: type[tables.Base]) -> Callable[[Bot], int]:
    return lambda bot: _count(bot, table)


def _forget_modal(bot: Bot, owner: str) -> Any:
    """The owner, with an answered lesson, asks to forget it all: the confirmation modal."""
    _press_check(bot, owner, lesson_for(bot, owner))
    bot.settle()
    bot.slack.close_views(owner)  # any modal an earlier row left open
    return open_forget(bot, owner)


def _confirm(bot: Bot, who: str, modal: Any) -> DriverResponse:
    return bot.driver.submit_view(who, modal, {})


INTERACTIONS = {
    r"^check_answer_\d+$": Interaction(_press_check, lesson_for, _rows(tables.Response)),
    "question_answer": Interaction(_press_answer, _question, _rows(tables.StrategyAnswer)),
    "question_edit": Interaction(_press_edit, _answered, _rows(tables.StrategyAnswer)),
    "question_modal": Interaction(_submit, _open_modal, _rows(tables.StrategyAnswer)),
    "home.lesson_now": Interaction(
        _home_press("home.lesson_now"), home_of, _rows(tables.Delivery), own=True
    ),
    "home.pause": Interaction(_home_press("home.pause"), home_of, _rows(tables.Member), own=True),
    "home.resume": Interaction(
        _home_press("home.resume"), _paused_home, _rows(tables.Member), own=True
    ),
    "home.settings": Interaction(_press_settings, home_with_settings, settings_rows),
    "settings_modal": Interaction(_save_settings, open_settings, settings_rows),
    FORGET_CALLBACK: Interaction(_confirm, _forget_modal, _rows(tables.Response), change=-1),
    SETUP_CALLBACK: Interaction(_save_setup, _setup_modal, _setups),
}
# Modals have no one to answer when someone else submits them: it is logged.
SUBMITTED = {"question_modal", "settings_modal", FORGET_CALLBACK, SETUP_CALLBACK}
# The workspace's, not a person's: any admin's submission saves it, anyone else's is refused.
ADMINS_ONLY = {SETUP_CALLBACK}
# Opening a modal stores nothing: the owner's press shows it, and anyone else's is refused.
OPENS = {"question_answer", "question_edit", "home.settings"}
# A press that only ever opens the presser's own settings: anyone else pressing it on the owner's
# Home (a forged click) sees their own, never the owner's.
OWN = {"home.settings"}


def test_every_registered_interaction_has_a_row() -> None:
    assert sorted(registered()) == sorted(INTERACTIONS)


def _count(bot: Bot, table: type[tables.Base]) -> int:
    with bot.deps.db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def _stored(bot: Bot) -> int:
    return sum(_count(bot, t) for t in (tables.Response, tables.StrategyAnswer)) + settings_rows(
        bot
    )


def _ts() -> list[Any]:
    return [translator(language) for language in LANGUAGES]


def owners_rows(bot: Bot, owner: str) -> list[tuple[Any, ...]]:
    """Everything stored about the owner: their member row, deliveries and responses."""
    member = tables.Member
    with bot.deps.db.engine.connect() as connection:
        mine = connection.execute(select(member).where(member.slack_user_id == owner)).first()
        if mine is None:  # not met yet: nothing stored about them
            return []
        rows = [tuple(mine)]
        for table in (tables.Delivery, tables.Response, tables.StrategyAnswer):
            query = select(table).where(table.__table__.c.member_id == mine.id)
            rows += [tuple(r) for r in connection.execute(query).all()]
    return rows


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("interaction", [i for i in registered() if INTERACTIONS[i].own])
def test_a_home_button_acts_only_on_whoever_presses_it(
    bot: Bot, interaction: str, role: str
) -> None:
    row, owner, who = INTERACTIONS[interaction], bot.user("member"), bot.user(role)
    home = row.sent(bot, owner)
    before = owners_rows(bot, owner)

    assert row.use(bot, who, home).status == 200
    bot.settle()

    if role == "member":
        assert owners_rows(bot, owner) != before
    else:
        assert owners_rows(bot, owner) == before
        assert bot.slack.home(who) is not None  # the presser's own Home, with what it did
    assert bot.slack.home(owner) is not None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("interaction", [i for i in registered() if not INTERACTIONS[i].own])
def test_only_the_owner_may_use_a_button_or_modal(bot: Bot, interaction: str, role: str) -> None:
    row, owner, who = INTERACTIONS[interaction], bot.user("member"), bot.user(role)
    sent = row.sent(bot, owner)
    before = row.stored(bot)

    assert row.use(bot, who, sent).status == 200
    bot.settle()

    if interaction in ADMINS_ONLY:
        assert row.stored(bot) == before + (row.change if role == "admin" else 0)
    elif role == "member":
        assert row.stored(bot) == before + (0 if interaction in OPENS else row.change)
        if interaction in OPENS:
            assert len(bot.slack.views(owner)) == 1
    elif interaction in OWN:
        (theirs,) = bot.slack.views(who)
        assert owner_of(theirs) == who and row.stored(bot) == before
    else:
        assert row.stored(bot) == before and bot.slack.views(who) == []
        refused = {t("check.not_yours") for t in _ts()} | {t("question.not_yours") for t in _ts()}
        if interaction not in SUBMITTED:
            assert bot.slack.ephemerals(who)[-1].text in refused


@pytest.mark.parametrize("interaction", registered())
def test_another_workspace_gets_nothing_for_any_button_or_modal(bot: Bot, interaction: str) -> None:
    row, owner = INTERACTIONS[interaction], bot.user("member")
    sent = row.sent(bot, owner)
    before, calls = _stored(bot), len(bot.slack.calls)
    with bot.driver.capture() as captured:
        row.use(bot, owner, sent)
    (request,) = captured
    payload = json.loads(parse_qs(request.body.decode())["payload"][0])
    payload["team"]["id"] = payload["user"]["team_id"] = ELSEWHERE
    for key in ("team_id", "app_installed_team_id"):  # a modal names the workspace it is in
        if key in payload.get("view", {}):
            payload["view"][key] = ELSEWHERE
    body = urlencode({"payload": json.dumps(payload)}).encode()

    response = bot.driver.post_raw(
        body, {"Content-Type": "application/x-www-form-urlencoded", **bot.driver.sign(body)}
    )

    assert (response.status, response.body) == (200, "")
    bot.settle()
    assert _stored(bot) == before and bot.slack.calls[calls:] == []

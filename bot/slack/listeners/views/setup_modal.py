"""The setup modal: opened by `/learn admin setup`; a submission is checked at once (a bad value
is shown on its own field, nothing stored), then saved whole from the work queue (and a new team
channel's roster read there)."""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.i18n import translator
from bot.services.deps import Deps
from bot.services.people import Caller
from bot.services.roster import set_up_workspace
from bot.services.team_setup import FIELDS, check_setup, open_setup
from bot.slack.blocks.team_setup import SETUP_CALLBACK, setup_errors, setup_modal
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.gateway import SlackGateway
from bot.slack.listeners.handover import save_later
from bot.slack.listeners.safety import apologise_quietly

log = logging.getLogger("bot.slack")


def show_setup(deps: Deps, slack: SlackGateway, caller: Caller, trigger_id: str) -> None:
    """Open the workspace's settings in a modal, for its admin (NotPermitted for anyone else)."""
    screen = open_setup(deps, slack, caller)
    t = translator(screen.language)
    view = setup_modal(
        t,
        team_channel=screen.team_channel,
        leads_channel=screen.leads_channel,
        leads=screen.leads,
        admins=screen.admins,
        schedule=screen.schedule,
        team_language=screen.team_language,
        digest_anonymous=screen.digest_anonymous,
    )
    slack.open_view(trigger_id, view)


def _language(view: dict[str, Any]) -> str:
    try:
        data = json.loads(str(view.get("private_metadata") or ""))
    except ValueError:
        return "en"
    return str(data.get("language") or "en") if isinstance(data, dict) else "en"


def _values(view: dict[str, Any]) -> dict[str, object]:
    """Each field's value as Slack submits it: a channel id, user ids, option values."""
    values: dict[str, object] = {}
    state = (view.get("state") or {}).get("values") or {}
    for name in FIELDS:
        entry = (state.get(name) or {}).get(name) or {}
        if "selected_channel" in entry:
            values[name] = entry["selected_channel"]
        elif "selected_users" in entry:
            values[name] = entry["selected_users"]
        elif "selected_options" in entry:
            values[name] = [o.get("value") for o in entry["selected_options"] or []]
        elif entry.get("selected_option"):
            values[name] = entry["selected_option"].get("value")
    return values


def submitted(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    language, values = _language(body["view"]), _values(body["view"])
    checked = check_setup(deps_of(context).settings, values)
    if checked.status == "invalid":
        ack(response_action="errors", errors=setup_errors(translator(language), checked.problems))
    else:
        work = partial(record, context=context, values=values)
        save_later(ack, context, work, block_id=FIELDS[0], language=language)


@apologise_quietly
def record(context: BoltContext, values: dict[str, object]) -> None:
    saved = set_up_workspace(deps_of(context), slack_of(context), caller_of(context), values)
    if saved.status == "saved":
        log.info("workspace settings saved")
    else:  # the modal has closed: nobody to answer, as for another's settings modal
        log.warning("workspace settings not saved: %s", saved.status)


def register(app: App) -> None:
    app.view(SETUP_CALLBACK)(submitted)

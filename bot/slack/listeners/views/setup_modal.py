"""The setup modal: opened by `/learn admin setup`; a submission is checked at once (a bad value
is shown on its own field, nothing stored), then saved whole from the work queue (and a new team
channel's roster read there)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.i18n import translator
from bot.services.deps import Deps
from bot.services.people import Caller
from bot.slack.blocks.team_setup import SETUP_CALLBACK, setup_errors, setup_modal
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.gateway import SlackGateway
from bot.slack.listeners.handover import save_later
from bot.slack.listeners.safety import apologise_quietly
from bot.slack.listeners.views.submission import metadata, picked

log = logging.getLogger("bot.slack")


def show_setup(deps: Deps, slack: SlackGateway, caller: Caller, trigger_id: str) -> None:
    """Open the workspace's settings in a modal, for its admin (NotPermitted for anyone else)."""
    from bot.services.team_setup import open_setup

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


def submitted(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    from bot.services.team_setup import FIELDS, check_setup

    language = str(metadata(body["view"]).get("language") or "en")
    values = picked(body["view"], FIELDS)
    checked = check_setup(deps_of(context).settings, values)
    if checked.status == "invalid":
        ack(response_action="errors", errors=setup_errors(translator(language), checked.problems))
    else:
        work = partial(record, context=context, values=values)
        save_later(ack, context, work, block_id=FIELDS[0], language=language)


@apologise_quietly
def record(context: BoltContext, values: dict[str, object]) -> None:
    from bot.services.roster import set_up_workspace

    saved = set_up_workspace(deps_of(context), slack_of(context), caller_of(context), values)
    if saved.status == "saved":
        log.info("workspace settings saved")
    else:  # the modal has closed: nobody to answer, as for another's settings modal
        log.warning("workspace settings not saved: %s", saved.status)


def register(app: App) -> None:
    app.view(SETUP_CALLBACK)(submitted)

"""The Settings modal: opened by `/learn settings` and App Home's Settings button; a submission
is checked at once (a bad value is shown on its own field), then saved from the work queue, after
which the member's Home is published again with their new next lesson."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services.deps import Deps
from bot.services.people import Caller
from bot.slack.blocks.settings import SETTINGS_CALLBACK, settings_errors, settings_modal
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.gateway import SlackGateway
from bot.slack.listeners.events.app_home import publish_home
from bot.slack.listeners.handover import save_later
from bot.slack.listeners.safety import apologise_quietly
from bot.slack.listeners.views.submission import metadata, picked

log = logging.getLogger("bot.slack")

# The settings use case is imported by the first request that opens or saves the modal: its form
# is a pydantic model, built on import, which `web`'s first /healthz need not wait for.


def show_settings(deps: Deps, slack: SlackGateway, caller: Caller, trigger_id: str) -> None:
    """Open the caller's own settings in a modal, in their language."""
    from bot.services.settings import open_settings

    screen = open_settings(deps, slack, caller)
    view = settings_modal(
        translator(screen.language),
        owner=screen.owner,
        current=screen.current,
        team=screen.team,
        slack_language=screen.slack_language,
        zone_country=screen.zone_country,
        countries=screen.countries,
        skills=screen.skills,
    )
    slack.open_view(trigger_id, view)


def submitted(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    from bot.services.settings import FIELDS, check_settings

    opened_with = metadata(body["view"])  # nobody's, in English, when it was tampered with
    owner, language = str(opened_with.get("owner") or ""), str(opened_with.get("language") or "en")
    values = picked(body["view"], FIELDS)
    checked = check_settings(deps_of(context), caller_of(context), owner, values)
    if checked.status == "invalid":
        problems = {name: (p.kind, p.values) for name, p in checked.problems.items()}
        ack(response_action="errors", errors=settings_errors(translator(language), problems))
    elif checked.status == "not_yours":
        ack()
        log.warning("refused a settings modal submitted by someone other than its owner")
    else:
        work = partial(record, client=client, context=context, owner=owner, values=values)
        save_later(ack, context, work, block_id=FIELDS[0], language=language)


@apologise_quietly
def record(client: WebClient, context: BoltContext, owner: str, values: dict[str, object]) -> None:
    from bot.services.settings import save_settings

    saved = save_settings(deps_of(context), slack_of(context), caller_of(context), owner, values)
    if saved.status == "saved":
        publish_home(user_id=owner, client=client, context=context)
    else:
        log.warning("settings of %.32s not saved: %s", owner, saved.status)


def register(app: App) -> None:
    app.view(SETTINGS_CALLBACK)(submitted)

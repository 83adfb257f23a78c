"""The Bolt app: one WebClient (SLACK_API_URL, retry handlers), the listeners, a friendly error path."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware.authorization import SingleTeamAuthorization
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.web import SlackResponse

from bot.i18n import LANGUAGES, translator
from bot.services.deps import Deps
from bot.services.health import check_health
from bot.slack.context import Queues, provide
from bot.slack.gateway import Sleep, make_web_client
from bot.slack.listeners import register_listeners
from bot.slack.listeners.safety import caller_language
from bot.slack.observed import ObservedApp
from bot.slack.web import Health, HealthReport
from bot.slack.work import WorkQueue

log = logging.getLogger("bot.slack")

# Bolt names its listeners' loggers after the file that built the App ("app.py:acknowledge"),
# found with inspect.stack(), which reads every frame's source and walks every loaded module: 30 to
# 80 ms of start-up. Named here as it would find it, so that the log says the same.
_BOLT_APP_NAME = "app.py"


class _SameTokenTwice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns that
    the token is unused; our client carries that same token, so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


class _NoRejectedBodies(logging.Filter):
    """Bolt logs a refused request's whole body and headers at INFO: a stranger could fill the log
    (a megabyte a request) or forge lines in it (a newline in the body). One short line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Invalid request signature detected"):
            record.msg, record.args = "refused a request whose signature did not verify", ()
        return True


log.addFilter(_SameTokenTwice())
log.addFilter(_NoRejectedBodies())


def make_queues(deps: Deps) -> Queues:
    """`web`'s (and `run`'s): with WORK_IN=worker, what does not open a modal is forwarded."""
    settings = deps.settings
    forwarded = None
    if settings.work_in == "worker":
        # Imported here: forwarding stores requests (bot.store.accepted, with the ORM's tables),
        # which a `web` that works itself does not, and which its first /healthz need not wait for.
        from bot.slack.forward import Forward

        forwarded = Forward(deps)
    return Queues(
        work=WorkQueue(settings.work_threads, settings.work_queue),
        notices=WorkQueue(1, settings.work_queue),
        forward=forwarded,
    )


def health_of(
    deps: Deps, queues: Queues, *, also: Callable[[], str | None] = lambda: None
) -> Health:
    """What /healthz reports: `also` (Slack answers, for `web`), the database and its schema,
    the lesson library, and whether the work queue takes requests."""

    def health() -> HealthReport:
        slack = also()
        checked = check_health(deps)
        full = queues.work.full
        details = {
            **checked.details,
            # Work and "busy" notices accepted and not finished: 0 when the process is idle
            # (what the acknowledgement benchmark waits for between its levels).
            "work_queue": {
                "state": "full" if full else "ok",
                "pending": queues.work.pending + queues.notices.pending,
            },
            "slack": {"state": "ok" if slack is None else slack},
        }
        if queues.forward is not None and checked.problem is None:
            from bot.services import accepted  # with forwarding only (make_queues says why)

            # What waits for the workers, across every `web`: full at WORK_QUEUE.
            count = accepted.waiting(deps)
            stored_full = count >= deps.settings.work_queue
            full = full or stored_full
            details["accepted_requests"] = {
                "state": "full" if stored_full else "ok",
                "waiting": count,
            }
        busy = "busy: the work queue is full" if full else None
        return HealthReport(slack or checked.problem or busy, details)

    return health


def build_app(
    deps: Deps,
    queues: Queues | None = None,
    *,
    sleep: Sleep = time.sleep,
    verify_token: bool = True,
    verified: SlackResponse | None = None,
    verify_requests: bool = True,
) -> App:
    """`queues` run the work behind acknowledged requests; pass them to wait on them (demo,
    tests). `sleep` is how the Slack client waits before a retry (tests pass one that does not).
    `verified`: Slack's answer to auth.test for SLACK_BOT_TOKEN, when start-up already asked
    (bot.serve.check_slack): Bolt keeps it as if it had asked itself, one round trip fewer.
    `verify_requests=False`: a worker's, whose requests come from the database (bot.slack.forward),
    so it needs no signing secret."""
    settings = deps.settings
    settings.require_slack(signed=verify_requests)
    client = make_web_client(settings, sleep=sleep)
    # Many workspaces: /slack/install and /slack/oauth_redirect, and each request's token found
    # in the installation store by its workspace (auth.test once per token, not per request).
    oauth: OAuthSettings | None = None
    authorize: Callable[..., AuthorizeResult] | None = None
    if settings.many_workspaces:
        # Imported here: slack_sdk's SQLAlchemy installation and state stores serve OAuth only,
        # and a one-workspace `web` answers its first /healthz without them.
        from bot.slack.installs import cached_authorize, oauth_settings

        oauth = oauth_settings(deps)
        authorize = cached_authorize(oauth, client)
    app = ObservedApp(
        name=_BOLT_APP_NAME,
        client=client,
        signing_secret=settings.slack_signing_secret,
        oauth_settings=oauth,
        authorize=authorize,
        # A request from a workspace with no install: its person's language is not known yet.
        # Only OAuth's authorization, or one that asks auth.test at a request, can fail so; with
        # start-up's answer given it cannot, and the catalogues are read at the first request that
        # needs them instead of before the first /healthz.
        user_facing_authorize_error_message=(
            _not_installed() if oauth is not None or verified is None else None
        ),
        # Listeners acknowledge on the request's own thread and hand their work to the queues, so
        # an acknowledgement never waits for a thread that is busy with Slack or the database.
        process_before_response=True,
        token_verification_enabled=verify_token and verified is None,
        request_verification_enabled=verify_requests,
        # A request no listener takes reaches `answer_failure`, which acknowledges it.
        raise_error_for_unhandled_request=True,
        logger=log,
    )
    if verified is not None:
        _answered_already(app, verified)
    app.use(provide(deps, queues or make_queues(deps)))
    if settings.many_workspaces:
        # app_uninstalled and tokens_revoked delete the workspace's tokens from the installation
        # store, after which the clock no longer serves it (bot.slack.installs.Tokens).
        app.enable_token_revocation_listeners()
    app.error(answer_failure)
    register_listeners(app, settings.slash_command)
    return app


def _not_installed() -> str:
    return "\n".join(translator(language)("error.not_installed") for language in LANGUAGES)


def _answered_already(app: App, verified: SlackResponse) -> None:
    """Bolt's one-workspace authorization keeps the auth.test answer that App() asks for and
    authorizes every request with it (asking at the first request when it has none); here it is
    given the answer start-up had, rather than asking Slack the same question twice."""
    for middleware in app._middleware_list:  # Bolt keeps its middleware private
        if isinstance(middleware, SingleTeamAuthorization):
            middleware.auth_test_result = verified


def answer_failure(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
    """An exception in an acknowledgement: log it, and answer 200 so Slack shows no
    "dispatch_failed" banner with internals; the person sees a short apology. A request that no
    listener takes (an event Nudge does not use) is acknowledged: Slack retries anything else."""
    if isinstance(error, BoltUnhandledRequestError):
        log.debug("no listener for %s", body.get("type") or body.get("command"))
        return BoltResponse(status=200, body="")
    log.exception("unhandled error for %s", body.get("type") or body.get("command"), exc_info=error)
    sorry = translator(caller_language(context))("error.apology")
    return BoltResponse(
        status=200,
        body=json.dumps({"response_type": "ephemeral", "text": sorry}),
        headers={"content-type": "application/json"},
    )

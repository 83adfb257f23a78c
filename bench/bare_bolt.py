"""The floor Nudge is measured against: a bare Bolt app that only acknowledges.

One slash command and one button listener, each calling ``ack()`` and nothing else, served by
Nudge's own WebServer (waitress, 8 threads) so that the HTTP stack, Bolt's signature check and its
token verification (``auth.test`` against the same local Slack) are the same; what is left between
the two is Nudge. ``process_before_response=True`` as in Nudge: Bolt then runs the listener on the
request's thread instead of handing it to its executor and polling for the ack, which is what
Nudge does too, so the comparison is like for like.

The acknowledgement and start-up benchmarks copy this file into a temporary directory and run it
as a script (bench/processes.py), configured like ``python -m bot web`` by SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET, SLACK_API_URL and PORT. It imports nothing of Nudge
but ``bot.slack.web``, so its import count is Bolt's plus the web server's.
"""

from __future__ import annotations

import os
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.web import WebServer

# Nudge's check buttons are check_answer_<n>; the bare app takes the same presses.
CHECK_ACTION = re.compile(r"^check_answer_\d+$")


def _acknowledge(ack: Ack) -> None:
    ack()


def build_bare_app(token: str, signing_secret: str, api_url: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url, timeout=10),
        signing_secret=signing_secret,
        process_before_response=True,
    )
    app.command("/learn")(_acknowledge)
    app.action(CHECK_ACTION)(_acknowledge)
    return app


def main() -> None:
    app = build_bare_app(
        os.environ["SLACK_BOT_TOKEN"],
        os.environ["SLACK_SIGNING_SECRET"],
        os.environ["SLACK_API_URL"],
    )
    WebServer(app, host="127.0.0.1", port=int(os.environ["PORT"])).serve_forever()


if __name__ == "__main__":
    main()

"""A local Slack: Web API emulator on loopback, a signed request driver and a text renderer.

The one seam of the test suite and the engine of ``python -m bot demo`` / ``console``.
"""

from bot.localslack.clock import FakeClock
from bot.localslack.controls import Hold
from bot.localslack.driver import DriverResponse, PreparedRequest, SlackDriver
from bot.localslack.records import ApiCall, Ephemeral, Message, MessageVersion, UploadedFile, View
from bot.localslack.render import render_blocks, render_message, render_view
from bot.localslack.server import LocalSlack
from bot.localslack.workspace import Workspace, default_seed_path, load_workspace

__all__ = [
    "ApiCall",
    "DriverResponse",
    "Ephemeral",
    "FakeClock",
    "Hold",
    "LocalSlack",
    "Message",
    "MessageVersion",
    "PreparedRequest",
    "SlackDriver",
    "UploadedFile",
    "View",
    "Workspace",
    "default_seed_path",
    "load_workspace",
    "render_blocks",
    "render_message",
    "render_view",
]

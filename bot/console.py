"""`python -m bot console`: use Nudge as any person of the local Slack, from a terminal.

Type `/learn ...` as you would in Slack, a number to press that button on the latest message,
`as N` to become someone else. Everything goes through the same signed HTTP path as Slack.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.demo import Session, start_session
from bot.localslack import Ephemeral, Message, render_message, render_view

COMMANDS = """\
  /learn <text>   run the slash command, e.g. /learn now, /learn help, /learn admin reload
  <number>        press button [number] on the latest message that has buttons
  home            open Nudge's Home tab
  dm              show your whole conversation with Nudge
  as <number>     become another person (`who` lists them)
  quit            leave (Ctrl-D works too)"""


def _people(session: Session) -> list[str]:
    return [user.id for user in session.workspace.users]


def _describe(session: Session, index: int, user_id: str) -> str:
    user = session.slack.user(user_id)
    notes = [role for role, flag in (("lead", user.lead), ("admin", user.admin)) if flag]
    if user_id not in session.bot.learners():
        notes.append("not in the team channel")
    extra = f" ({', '.join(notes)})" if notes else ""
    return f"  [{index}] {user.real_name}{extra}, {user.tz}, {user.locale}"


class Console:
    def __init__(self, session: Session, out: TextIO) -> None:
        self.session = session
        self.out = out
        self.user = session.bot.learners()[0]

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def who(self) -> None:
        for index, user_id in enumerate(_people(self.session), start=1):
            self.say(_describe(self.session, index, user_id))

    def become(self, arg: str) -> None:
        people = _people(self.session)
        if not arg.isdigit() or not 1 <= int(arg) <= len(people):
            self.say(f"Pick a number from 1 to {len(people)} (`who` lists them).")
            return
        self.user = people[int(arg) - 1]
        self.say(f"You are now {self.session.bot.name(self.user)}.")

    def _latest_with_buttons(self) -> Message | Ephemeral | None:
        candidates: list[Message | Ephemeral] = [
            *self.session.slack.dm_messages(self.user),
            *self.session.slack.ephemerals(self.user),
        ]
        with_buttons = [m for m in candidates if any(b.get("type") == "actions" for b in m.blocks)]
        return max(with_buttons, key=lambda m: float(m.ts), default=None)

    def _show_changes(self, action: Callable[[], object]) -> None:
        """Run an action and print whatever this person saw change because of it."""
        slack = self.session.slack
        before = {(m.channel, m.ts): len(m.edits) for m in slack.dm_messages(self.user)}
        ephemerals_before = len(slack.ephemerals(self.user))
        action()
        self.session.settle()
        for message in slack.dm_messages(self.user):
            seen = before.get((message.channel, message.ts))
            if seen is None or len(message.edits) > seen:
                label = "new DM from Nudge" if seen is None else "Nudge updated its message"
                self.say(f"--- {label} ---\n{render_message(message)}")
        for ephemeral in slack.ephemerals(self.user)[ephemerals_before:]:
            self.say(render_message(ephemeral))

    def command(self, line: str) -> None:
        text = line.partition(" ")[2]

        def run() -> None:
            reply = self.session.bot.driver.command(self.user, text)
            if reply.status != 200:
                self.say(f"(Slack would show an error: HTTP {reply.status})")
            elif reply.json():
                self.say(render_message(reply.json()))

        self._show_changes(run)

    def press(self, number: int) -> None:
        target = self._latest_with_buttons()
        if target is None:
            self.say("No message with buttons yet. Try /learn now.")
            return
        self._show_changes(lambda: self.session.bot.driver.click(self.user, target, index=number))

    def home(self) -> None:
        event = {"type": "app_home_opened", "user": self.user, "tab": "home"}
        self.session.bot.driver.event(event)
        self.session.settle()
        view = self.session.slack.home(self.user)
        self.say(render_view(view) if view else "(the Home tab is empty)")

    def dm(self) -> None:
        for message in self.session.slack.dm_messages(self.user):
            self.say(f"--- {message.ts} ---\n{render_message(message)}")

    def handle(self, line: str) -> bool:
        """One line of input; False to stop."""
        word, _, arg = line.strip().partition(" ")
        if not word:
            return True
        if word in ("quit", "exit"):
            return False
        if word.startswith("/"):
            self.command(line.strip())
        elif word.isdigit():
            self.press(int(word))
        elif word == "as":
            self.become(arg.strip())
        elif word == "who":
            self.who()
        elif word == "home":
            self.home()
        elif word == "dm":
            self.dm()
        else:
            self.say(COMMANDS)
        return True


def run_console(seed: Path, *, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the conversation is the output
    session = start_session(seed)
    console = Console(session, out)
    try:
        console.say(f"Local Slack for {session.workspace.team.name}. People:")
        console.who()
        console.say(COMMANDS)
        console.say(f"You are {session.bot.name(console.user)}.")
        while True:
            print(f"{session.slack.user(console.user).name}> ", end="", file=out, flush=True)
            line = stdin.readline()
            if not line or not console.handle(line):
                break
        return 0
    finally:
        session.close()

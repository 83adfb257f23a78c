"""`python -m bot demo` and `console` run in-process against the local Slack, as a newcomer runs them."""

from __future__ import annotations

import io
import re

from bot.console import run_console
from bot.demo import run_demo
from bot.localslack import load_workspace
from tests.conftest import SEED


def test_the_demo_runs_end_to_end_and_prints_what_people_saw() -> None:
    out = io.StringIO()

    assert run_demo(SEED, rounds=2, out=out) == 0

    text = out.getvalue()
    assert "> /learn help" in text and "Check yourself" in text
    assert "Library reloaded" in text
    summary = text.split("Per-member summary (from the database)")[1].split("A scheduled week")[0]
    team = load_workspace(SEED)
    learners = [u for u in team.users if u.id in team.team_channel.members]
    for user in learners:
        row = next(line for line in summary.splitlines() if line.startswith(user.real_name))
        lessons, answers, right = (int(n) for n in re.findall(r"\s(\d+)(?=\s)", row)[:3])
        assert (lessons, answers) == (2, 2) and 0 <= right <= 2, row
    assert re.search(r"Demo finished in [\d.]+ s: \d+ Slack API calls", text)
    # The scheduled week: Athens is off on 25 March, Greece's national holiday; London is not.
    week = text.split("A scheduled week")[1]
    assert "Thu 25 Mar 09:30 Europe/London" in week
    assert "Thu 25 Mar 09:30 Europe/Athens" not in week
    assert "Week ending Friday 26 March: *10* members received their lessons" in week
    assert "Blind spot:" in week and "--- and a picture: nudge-team-2027-03-26.png" in week
    # A member's own surfaces: the Home tab, the settings modal, and the weekly answer.
    own = text.split("opens Nudge's Home tab")[1].split("A scheduled week")[0]
    assert "[ Home ]" in own and "| Your settings |" in own
    assert "Monday 22 March, 08:00 (Europe/London)" in own  # the saved lesson time, at once
    assert "Mon 22 Mar 08:00 Europe/London" in week  # and the clock follows it
    assert "--- the same DM, updated in place ---" in week
    assert "Thank you: your answer to this week's question is recorded." in " ".join(week.split())


def test_the_console_lets_you_be_anyone_and_press_buttons() -> None:
    admin = next(i for i, u in enumerate(load_workspace(SEED).users, start=1) if u.admin)
    script = "\n".join(
        ["/learn now", "1", "home", "bogus", f"as {admin}", "/learn admin reload", "as 999", "quit"]
    )
    out = io.StringIO()

    assert run_console(SEED, stdin=io.StringIO(script + "\n"), out=out) == 0

    text = out.getvalue()
    # The console starts as the first learner, who speaks Greek.
    assert "σας περιμένει στα προσωπικά μηνύματα με το Nudge" in " ".join(text.split())
    assert "--- new DM from Nudge ---" in text
    assert "--- Nudge updated its message ---" in text
    assert "*1* μάθημα · *1* απάντηση · " in text
    assert "press button [number]" in text  # `bogus` shows the console's own help
    assert "You are now" in text and "Library reloaded" in text
    assert "Pick a number from 1 to" in text

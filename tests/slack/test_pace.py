"""The clock's pace: posts spaced evenly at the allowance, across threads, without a 429."""

from __future__ import annotations

from bot.localslack import FakeClock
from bot.slack.pace import Pace


def test_calls_are_spaced_evenly_at_the_allowance() -> None:
    clock = FakeClock(1000.0)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        clock.advance(seconds)

    pace = Pace(120, monotonic=clock, sleep=sleep)  # two a second
    for _ in range(4):
        pace.wait()
    assert waits == [0.5, 0.5, 0.5]  # the first goes at once


def test_a_quiet_spell_does_not_save_up_a_burst() -> None:
    clock = FakeClock(1000.0)
    waits: list[float] = []
    pace = Pace(60, monotonic=clock, sleep=waits.append)
    pace.wait()
    clock.advance(30)  # half a minute without posts
    pace.wait()
    pace.wait()
    assert waits == [1.0]  # the second after the pause went at once; the third waited a second

"""Storing what `web` accepted with WORK_IN=worker, a batch at a time: a real in-memory SQLite
unit of work."""

from __future__ import annotations

from dataclasses import replace

from bot.services import accepted
from bot.services.deps import Deps
from bot.store.accepted import Request


def requests(*names: str) -> list[Request]:
    return [Request("T0001", "command", f'{{"name": "{name}"}}') for name in names]


def test_a_batch_is_stored_in_its_order_up_to_the_room_left_and_nothing_of_the_rest(
    deps: Deps,
) -> None:
    three = replace(deps, settings=deps.settings.model_copy(update={"work_queue": 3}))
    assert accepted.accept(three, requests("first")) == 1

    assert accepted.accept(three, requests("a", "b", "c", "d")) == 2

    assert accepted.waiting(three) == 3
    taken = [accepted.take(three) for _ in range(4)]
    assert [request and request.payload for request in taken] == [
        '{"name": "first"}',
        '{"name": "a"}',
        '{"name": "b"}',
        None,
    ]


def test_a_full_table_stores_nothing_of_a_batch_and_an_empty_batch_writes_nothing(
    deps: Deps,
) -> None:
    one = replace(deps, settings=deps.settings.model_copy(update={"work_queue": 1}))
    assert accepted.accept(one, requests("only")) == 1
    assert accepted.accept(one, requests("x", "y")) == 0
    assert accepted.accept(one, []) == 0
    assert accepted.waiting(one) == 1

"""A message to say later, in whichever language the reader speaks: a catalogue id and its values.

The content checker finds problems long before anyone reads them, and the same problem is
printed in English by the CLI and shown in an admin's own language in Slack; so it keeps the id
and the values, not a sentence. A value that is itself words (``option 3 in 'check.options'``)
is a :class:`Message` too, said in the same language as the sentence around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

# Text and numbers are shown as they are (a key, a value as the file writes it); a tuple is a
# list shown as "a, b, c".
Value: TypeAlias = "str | int | Message | tuple[Value, ...]"


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """``Message("check.problem.too_big", kib=2048, cap=256)``; with ``count`` the catalogue
    entry has plural forms and ``count`` picks one (and fills ``{count}``)."""

    id: str
    values: tuple[tuple[str, Value], ...]
    count: int | None

    def __init__(self, id: str, /, count: int | None = None, **values: Value) -> None:
        # Frozen (so hashable: a problem may be de-duplicated); hence the object.__setattr__.
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "values", tuple(values.items()))
        object.__setattr__(self, "count", count)

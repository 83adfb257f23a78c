"""What /healthz says of the database, its schema and the lesson library (README, "Operations").

A probe, not a use case: one round trip to the database, no unit of work, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.services.deps import Deps
from bot.store.direct import HEAD_REVISION, schema_state

# The database's state in one word, from what `Database.probe` says in a few.
_DATABASE_STATES = {"is locked": "locked", "does not answer": "unreachable"}


@dataclass(frozen=True)
class Health:
    problem: str | None  # None when requests can be served; else the one line /healthz gives
    details: dict[str, Any]  # the database, the schema and the library, as /healthz shows them


def check_health(deps: Deps) -> Health:
    probe = deps.db.probe()
    database = {
        "state": "ok" if probe.problem is None else _DATABASE_STATES.get(probe.problem, "error"),
        "backend": deps.db.backend,
    }
    schema = {
        "state": "unknown" if probe.problem else schema_state(probe.revision),
        "current": probe.revision,
        "expected": HEAD_REVISION,
    }
    problem = None
    if probe.problem is not None:
        problem = f"unavailable: the database {probe.problem}"
    elif schema["state"] == "behind":
        problem = (
            f"unavailable: the database is at schema {probe.revision or 'empty'} and this code "
            f"needs {HEAD_REVISION}: run `python -m bot db upgrade`"
        )
    return Health(problem, {"database": database, "schema": schema, "library": _library(deps)})


def _library(deps: Deps) -> dict[str, Any]:
    """The library in service, and the last check of its files: a reload with errors leaves
    the one before in service ("kept"), and its errors here."""
    state = deps.library.state()
    checked = state.checked
    return {
        "state": "loaded" if checked.ok else "kept",
        "lessons": len(state.library.lessons),
        "questions": len(state.library.questions),
        "skill_areas": len(state.library.skills),
        "loaded_at": state.loaded_at.isoformat(),
        "checked_at": state.checked_at.isoformat(),
        "problems": {
            "errors": len(checked.errors),
            "warnings": len(checked.warnings),
            # Lessons Slack refused to post since the last load, with Slack's error code.
            "refused_by_slack": state.refused,
        },
    }

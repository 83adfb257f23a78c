"""What a submitted modal carries, read the one way for every modal Nudge opens.

A modal's `private_metadata` is what Nudge put there when it opened the view (a JSON object), and
its `state` is what the person picked, by block id = action id = field name. Both come back from a
client and may have been tampered with: an unreadable metadata reads as empty, a missing field as
not picked, so that the use case's own check answers instead of a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON object the modal was opened with; {} when absent or not an object."""
    try:
        data = json.loads(str(view.get("private_metadata") or ""))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def picked(view: dict[str, Any], fields: Sequence[str]) -> dict[str, object]:
    """Each field's value as Slack submits it: a channel id, user ids, option values (a list for
    a multi-select); fields with nothing picked are left out."""
    values: dict[str, object] = {}
    state = (view.get("state") or {}).get("values") or {}
    for name in fields:
        entry = (state.get(name) or {}).get(name) or {}
        if "selected_channel" in entry:
            values[name] = entry["selected_channel"]
        elif "selected_users" in entry:
            values[name] = entry["selected_users"]
        elif "selected_options" in entry:
            values[name] = [o.get("value") for o in entry["selected_options"] or []]
        elif entry.get("selected_option"):
            values[name] = entry["selected_option"].get("value")
    return values

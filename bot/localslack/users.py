"""User objects as users.info and users.list return them, time zone fields computed at call time.

Slack derives ``tz_offset`` and ``tz_label`` from the member's IANA zone at the moment of the
call, so they change across daylight-saving transitions; computing them from the injected clock
lets a test see the same shift a real bot would.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.localslack.workspace import Bot, User, Workspace

# Slack shows long zone names; zoneinfo knows abbreviations only. Unknown ones fall back to the
# abbreviation, which is still a readable label.
_LABELS = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "IST": "India Standard Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
    "JST": "Japan Standard Time",
    "UTC": "Coordinated Universal Time",
}


def tz_fields(zone: str, now: float) -> dict[str, Any]:
    """``tz``, ``tz_label`` and ``tz_offset`` (seconds east of UTC) of ``zone`` at ``now``."""
    local = datetime.fromtimestamp(now, tz=UTC).astimezone(ZoneInfo(zone))
    offset = local.utcoffset()
    abbreviation = local.tzname() or zone
    return {
        "tz": zone,
        "tz_label": _LABELS.get(abbreviation, abbreviation),
        "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
    }


def _color(user_id: str) -> str:
    return hashlib.sha1(user_id.encode()).hexdigest()[:6]


def _profile(real_name: str, display_name: str, title: str, team_id: str) -> dict[str, Any]:
    avatar = hashlib.sha1(real_name.encode()).hexdigest()[:12]
    first, _, last = real_name.partition(" ")
    image = f"https://avatars.slack-edge.example/{avatar}"
    return {
        "title": title,
        "phone": "",
        "skype": "",
        "real_name": real_name,
        "real_name_normalized": real_name,
        "display_name": display_name,
        "display_name_normalized": display_name,
        "fields": None,
        "status_text": "",
        "status_emoji": "",
        "status_expiration": 0,
        "avatar_hash": avatar,
        "first_name": first,
        "last_name": last,
        "image_24": f"{image}_24.png",
        "image_32": f"{image}_32.png",
        "image_48": f"{image}_48.png",
        "image_72": f"{image}_72.png",
        "image_192": f"{image}_192.png",
        "image_512": f"{image}_512.png",
        "team": team_id,
    }


def human_object(
    user: User, workspace: Workspace, now: float, *, include_locale: bool
) -> dict[str, Any]:
    team_id = workspace.team.id
    profile = _profile(user.real_name, user.name, user.title, team_id)
    if user.email:
        profile["email"] = user.email
    data: dict[str, Any] = {
        "id": user.id,
        "team_id": team_id,
        "name": user.name,
        "deleted": user.deleted,
        "color": _color(user.id),
        "real_name": user.real_name,
        **tz_fields(user.tz, now),
        "profile": profile,
        "is_admin": user.admin,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": 1_700_000_000,
        "has_2fa": False,
    }
    if include_locale:
        data["locale"] = user.locale
    return data


def bot_object(
    bot: Bot, workspace: Workspace, now: float, *, include_locale: bool
) -> dict[str, Any]:
    team_id = workspace.team.id
    profile = _profile(bot.real_name, bot.name, "", team_id)
    profile.update({"bot_id": bot.bot_id, "api_app_id": bot.app_id, "always_active": True})
    data: dict[str, Any] = {
        "id": bot.user_id,
        "team_id": team_id,
        "name": bot.name,
        "deleted": False,
        "color": _color(bot.user_id),
        "real_name": bot.real_name,
        **tz_fields("America/Los_Angeles", now),  # Slack gives bots the default zone
        "profile": profile,
        "is_admin": False,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": True,
        "is_app_user": False,
        "updated": 1_700_000_000,
    }
    if include_locale:
        data["locale"] = "en-US"
    return data

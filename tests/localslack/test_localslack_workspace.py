"""The demo seed is the world every demo and test starts from; it must stay as promised."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.localslack.workspace import Workspace, load_workspace


def test_demo_seed_has_the_people_tests_rely_on(workspace: Workspace) -> None:
    team = set(workspace.team_channel.members)
    members = [u for u in workspace.users if u.id in team]
    assert len(members) >= 10
    assert len({u.tz for u in members}) >= 5
    assert {"en-US", "en-GB", "el-GR"} <= {u.locale for u in members}
    assert sum(u.locale == "el-GR" for u in members) >= 3
    (lead,) = workspace.leads
    (admin,) = workspace.admins
    assert lead.id != admin.id
    leads_channel = workspace.channel(workspace.settings.leads_channel or "")
    assert leads_channel is not None and lead.id in leads_channel.members
    assert any(lead.id in g.users for g in workspace.usergroups)
    outsiders = [u for u in workspace.users if u.id not in team]
    assert len(outsiders) == 1
    assert all(u.title for u in workspace.users)
    assert workspace.bot.user_id in team  # the bot must be in the channel to post there


def test_a_seed_naming_an_unknown_user_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "bad.yaml"
    seed.write_text(
        "team: {id: T0X, name: X, domain: x}\n"
        "bot: {user_id: U0BOT, bot_id: B0BOT00001, name: b, token: xoxb-1}\n"
        "channels: [{id: C0CHANNEL1, name: c, members: [U0GHOST]}]\n"
        "users: [{id: U0REAL, name: r, real_name: R, tz: Europe/Athens}]\n"
        "settings: {team_channel: C0CHANNEL1}\n"
    )
    with pytest.raises(ValidationError, match="unknown users"):
        load_workspace(seed)


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "bad.yaml"
    seed.write_text(
        "team: {id: T0X, name: X, domain: x}\n"
        "bot: {user_id: U0BOT, bot_id: B0BOT00001, name: b, token: xoxb-1}\n"
        "channels: [{id: C0CHANNEL1, name: c, members: []}]\n"
        "users: [{id: U0REAL, name: r, real_name: R, tz: Mars/Olympus}]\n"
        "settings: {team_channel: C0CHANNEL1}\n"
    )
    with pytest.raises(ValidationError, match="unknown IANA"):
        load_workspace(seed)

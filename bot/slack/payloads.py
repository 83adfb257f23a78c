"""The shape of the interactive payloads Nudge answers, checked before Bolt reads them.

Bolt and our listeners index into `actions`, `user`, `view`, `state` and the message's blocks;
a signed payload whose fields have another type (a list where Slack sends an object, a number
for an id) would fail deep inside with a traceback. Only the fields that are read are described;
Slack may add any other.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

URL = r"^https?://\S+$"


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Team(_Open):
    id: str | None = None


class _User(_Open):
    id: str
    team_id: str | None = None


class _Action(_Open):
    action_id: str
    block_id: str | None = None
    value: str | None = None


class _Container(_Open):
    channel_id: str | None = None
    message_ts: str | None = None


class _Text(_Open):
    text: str


class _Element(_Open):
    text: _Text | str | None = None  # a button's text object, or a context element's own text


class _Block(_Open):
    block_id: str | None = None
    elements: list[_Element] | None = None


class _Message(_Open):
    blocks: list[_Block] | None = None


class _Option(_Open):
    text: _Text | None = None
    value: str | None = None


class _Input(_Open):
    value: str | None = None
    selected_option: _Option | None = None
    selected_options: list[_Option] | None = None
    selected_users: list[str] | None = None
    selected_channel: str | None = None


class _State(_Open):
    values: dict[str, dict[str, _Input]] = Field(default_factory=dict)


class _View(_Open):
    id: str | None = None
    callback_id: str = ""
    private_metadata: str | None = None
    state: _State | None = None
    team_id: str | None = None
    app_installed_team_id: str | None = None


class _Interaction(_Open):
    team: _Team | None = None
    user: _User
    trigger_id: str | None = None
    response_url: str | None = Field(default=None, pattern=URL)


class BlockActions(_Interaction):
    actions: list[_Action] = Field(min_length=1)
    container: _Container | None = None
    message: _Message | None = None
    view: _View | None = None

    @model_validator(mode="after")
    def _answerable(self) -> BlockActions:
        """A press on a message is answered through its response_url and updates it in place:
        Slack always sends both."""
        if self.message is not None and (self.container is None or self.response_url is None):
            raise ValueError("a press on a message comes with its container and response_url")
        return self


class ViewSubmission(_Interaction):
    view: _View


SHAPES: dict[str, type[BaseModel]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
}


def well_formed(payload: dict[str, Any]) -> bool:
    """False for a block action or view submission whose fields Nudge reads are of the wrong
    type; any other payload is Bolt's to judge."""
    shape = SHAPES.get(str(payload.get("type")))
    if shape is None:
        return True
    try:
        shape.model_validate(payload)
    except ValidationError:
        return False
    return True

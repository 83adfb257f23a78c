"""files.*: Slack's two-step upload (get an upload URL, POST the bytes there, then complete).

The bytes arrive on the transport's ``/upload/<file id>`` path, outside the Web API, so
:func:`receive_upload` answers in plain text as Slack's upload host does.
"""

from __future__ import annotations

import json
from typing import Any

from bot.localslack.errors import SlackError
from bot.localslack.methods.args import Args, require
from bot.localslack.records import Message, UploadedFile
from bot.localslack.state import SlackState


def get_upload_url_external(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "filename", "length")
    try:
        length = int(args["length"])
    except (TypeError, ValueError) as exc:
        raise SlackError("invalid_arguments") from exc
    file_id = f"F{len(state.files) + 1:09d}"
    state.files.append(UploadedFile(id=file_id, filename=str(args["filename"]), length=length))
    return {
        "ok": True,
        "upload_url": f"{state.url}/upload/{state.workspace.team.id}/{file_id}",
        "file_id": file_id,
    }


def complete_upload_external(state: SlackState, args: Args) -> dict[str, Any]:
    require(args, "files")
    raw = args["files"]
    try:
        entries = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as exc:
        raise SlackError("invalid_arguments") from exc
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments")
    channel = None
    if args.get("channel_id"):
        channel = state.resolve_post_channel(str(args["channel_id"]))
    files: list[UploadedFile] = []
    for entry in entries:
        found = next((f for f in state.files if f.id == entry.get("id")), None)
        if found is None or found.content is None:
            raise SlackError("file_not_found")
        files.append(found)
    out: list[dict[str, Any]] = []
    for f in files:
        f.title = str(entries[files.index(f)].get("title") or f.filename)
        f.completed, f.channel_id = True, channel
        f.initial_comment = args.get("initial_comment") or None
        f.thread_ts = args.get("thread_ts") or None
        out.append(
            {
                "id": f.id,
                "name": f.filename,
                "title": f.title,
                "size": f.length,
                "created": int(state.clock()),
                "user": state.workspace.bot.user_id,
            }
        )
    if channel is not None:
        ws = state.workspace
        state.add_message(
            Message(
                channel=channel,
                ts=state.next_ts(),
                user=ws.bot.user_id,
                text=str(args.get("initial_comment") or ""),
                bot_id=ws.bot.bot_id,
                files=[f.id for f in files],
                thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
            )
        )
    return {"ok": True, "files": out}


def receive_upload(state: SlackState, file_id: str, data: bytes) -> tuple[int, str]:
    """The bytes POSTed to an upload URL: HTTP status and plain-text body."""
    found = next((f for f in state.files if f.id == file_id), None)
    if found is None:
        state.record("upload", {"file_id": file_id}, 404, {"ok": False})
        return 404, "not found"
    found.content = data
    state.record("upload", {"file_id": file_id, "length": len(data)}, 200, {"ok": True})
    return 200, f"OK - {len(data)}"

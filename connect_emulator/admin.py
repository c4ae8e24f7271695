"""The admin endpoint under /_emulator/: faults, visibility delays, the per-channel choices,
the request log, reset, state, and references (profiles, groups) created at runtime.

Admin calls are not Connect API calls, so they never appear in the request log.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .consistency import DeletedUsername, RepeatDelete
from .errors import ServiceError
from .user_config import ChannelFill, ConfigUpdate

if TYPE_CHECKING:
    from .server import Emulator

PREFIX = "/_emulator/"


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _document(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except ValueError:
        raise AdminError(400, "The body must be a JSON object.") from None
    if not isinstance(document, dict):
        raise AdminError(400, "The body must be a JSON object.")
    return document


def handle_admin(emulator: Emulator, method: str, path: str, body: bytes) -> tuple[int, Any]:
    """(HTTP status, JSON document) for one admin request."""
    name = path[len(PREFIX) :].strip("/")
    document = _document(body) if method in ("POST", "PUT") else {}
    try:
        return _dispatch(emulator, method, name, document)
    except (KeyError, TypeError, ValueError) as error:
        raise AdminError(400, str(error)) from None
    except ServiceError as error:  # e.g. a reference in an instance that does not exist
        raise AdminError(error.status, error.message) from None


def _dispatch(
    emulator: Emulator, method: str, name: str, document: dict[str, Any]
) -> tuple[int, Any]:
    if (method, name) == ("GET", "health"):
        return 200, {"status": "ok", "endpoint_url": emulator.endpoint_url}
    if (method, name) == ("GET", "requests"):
        return 200, {"requests": [entry.to_json() for entry in emulator.requests.entries()]}
    if (method, name) == ("DELETE", "requests"):
        emulator.requests.clear()
        return 200, {}
    if (method, name) == ("GET", "faults"):
        return 200, emulator.faults.snapshot()
    if (method, name) == ("POST", "faults"):
        operation = document.pop("operation", "*")
        emulator.faults.configure(operation, **document)
        return 200, emulator.faults.snapshot()
    if (method, name) == ("POST", "faults/fail-next"):
        emulator.faults.fail_next(
            document["operation"],
            int(document.get("count", 1)),
            document.get("fault", "InternalServiceException"),
        )
        return 200, emulator.faults.snapshot()
    if (method, name) == ("DELETE", "faults"):
        emulator.faults.clear()
        return 200, emulator.faults.snapshot()
    if name == "consistency":
        return _consistency(emulator, method, document)
    if name == "channels" and method in ("GET", "POST"):
        return _channels(emulator, document)
    if (method, name) == ("POST", "references"):
        child = emulator.create_reference(
            document["instance_id"], document["kind"], document["name"], document.get("id")
        )
        return 200, {"kind": child.kind, "id": child.id, "arn": child.arn, "name": child.name}
    if (method, name) == ("POST", "reset"):
        emulator.reset()
        if document.get("faults"):
            emulator.faults.clear()
        if document.get("requests"):
            emulator.requests.clear()
        return 200, {}
    if (method, name) == ("GET", "state"):
        return 200, emulator.state_snapshot()
    raise AdminError(404, f"No admin endpoint {method} {PREFIX}{name}")


def _channels(emulator: Emulator, document: dict[str, Any]) -> tuple[int, Any]:
    """GET: the per-channel settings' choices; POST {"channel_fill": "all",
    "user_config_update": "replace"}: set either (a refused body changes nothing). The fill
    applies to users created or written afterwards."""
    settings = emulator.service.settings
    fill = ChannelFill(document.pop("channel_fill", settings.channel_fill))
    mode = ConfigUpdate(document.pop("user_config_update", settings.user_config_update))
    if document:
        raise AdminError(400, f"Unknown settings: {', '.join(sorted(document))}")
    settings.channel_fill, settings.user_config_update = fill, mode
    return 200, {"channel_fill": fill.value, "user_config_update": mode.value}


def _consistency(emulator: Emulator, method: str, document: dict[str, Any]) -> tuple[int, Any]:
    """GET: the delays; POST {"operation": "*", "new_user": 5, ..., "repeat_delete": ...,
    "deleted_username": ...}: set one operation's delays (replacing them) and the settings;
    DELETE: no delays (the settings stay)."""
    settings = emulator.service.settings
    if method == "POST":
        # Both parsed before either is set: a refused body changes nothing.
        repeat = RepeatDelete(document.pop("repeat_delete", settings.repeat_delete))
        username = DeletedUsername(document.pop("deleted_username", settings.deleted_username))
        settings.repeat_delete, settings.deleted_username = repeat, username
        operation = document.pop("operation", "*")
        if document:
            emulator.faults.visibility.configure(operation, **document)
    elif method == "DELETE":
        emulator.faults.visibility.clear()
    elif method != "GET":
        raise AdminError(404, f"No admin endpoint {method} {PREFIX}consistency")
    return 200, {
        "delays": emulator.faults.visibility.snapshot(),
        "repeat_delete": settings.repeat_delete.value,
        "deleted_username": settings.deleted_username.value,
    }

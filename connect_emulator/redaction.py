"""Masking of sensitive members (botocore's `sensitive` trait) before anything is logged."""

from __future__ import annotations

from typing import Any

from botocore.model import Shape

REDACTED = "*** sensitive ***"


def redact(shape: Shape | None, value: Any) -> Any:
    """A copy of value with every sensitive member masked; tolerant of ill-typed input.

    Members the model does not know are dropped rather than kept: a misspelt or misplaced
    Password must not reach the log either.
    """
    if shape is None:
        return None
    if shape.metadata.get("sensitive"):
        return REDACTED
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {
            name: redact(members[name], item) for name, item in value.items() if name in members
        }
    if kind == "list" and isinstance(value, list):
        return [redact(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        key_shape, value_shape = shape.key, shape.value
        return {
            (REDACTED if key_shape.metadata.get("sensitive") else str(key)): redact(
                value_shape, item
            )
            for key, item in value.items()
        }
    if kind in ("structure", "list", "map"):
        return REDACTED  # wrong type for the member: keep nothing of it
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return REDACTED

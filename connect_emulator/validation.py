"""Server-side enforcement of every constraint the model declares for an operation's input.

boto3 checks only some of these (required members, types, minimums); the service checks all of
them, so a handler tested against the emulator meets the same refusals as in AWS.
"""

from __future__ import annotations

import functools
from typing import Any

import regex
from botocore.model import ListShape, MapShape, Shape, StructureShape

from .errors import ServiceError, validation_error_for

# Model patterns botocore ships in a form the service does not mean literally.
_DOUBLE_ESCAPED = {"PhoneNumber"}  # '\\\\+[1-9]\\\\d{1,14}$': one escape level too many


@functools.cache
def _compiled(shape_name: str, pattern: str) -> regex.Pattern[str]:
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        pattern = pattern[1:-1]  # JavaScript-style delimiters (Password)
    if shape_name in _DOUBLE_ESCAPED:
        pattern = pattern.replace("\\\\", "\\")
    return regex.compile(pattern)


def pattern_matches(shape: Shape, value: str) -> bool:
    pattern = shape.metadata.get("pattern")
    if pattern is None:
        return True
    # Smithy patterns are not implicitly anchored: they must match somewhere in the value.
    return _compiled(shape.name, pattern).search(value) is not None


class _Checker:
    def __init__(self, operation: str) -> None:
        self.operation = operation

    def fail(self, path: str, constraint: str) -> ServiceError:
        # Never echo the value: it may be a Password or another sensitive member.
        return validation_error_for(
            self.operation,
            f"1 validation error detected: Value at '{path}' failed to satisfy constraint: "
            f"{constraint}",
        )

    def check(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure":
            self._structure(shape, value, path)
        elif kind == "list":
            self._list(shape, value, path)
        elif kind == "map":
            self._map(shape, value, path)
        elif kind == "string":
            self._string(shape, value, path)
        elif kind in ("integer", "long"):
            self._integer(shape, value, path)
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise self.fail(path, "Member must be a boolean")
        elif kind in ("double", "float", "timestamp") and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            raise self.fail(path, "Member must be a number")

    def _structure(self, shape: StructureShape, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(path, "Member must be an object")
        for name in shape.required_members:
            if value.get(name) is None:
                raise self.fail(_join(path, name), "Member must not be null")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                self.check(member, value[name], _join(path, name))

    def _list(self, shape: ListShape, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise self.fail(path, "Member must be a list")
        self._size(shape, len(value), path)
        for index, item in enumerate(value):
            if item is None:
                raise self.fail(f"{path}.{index + 1}", "Member must not be null")
            self.check(shape.member, item, f"{path}.{index + 1}")

    def _map(self, shape: MapShape, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(path, "Member must be a map")
        self._size(shape, len(value), path)
        for key, item in value.items():
            self.check(shape.key, key, f"{path}.key")
            if item is None:
                raise self.fail(f"{path}.value", "Member must not be null")
            self.check(shape.value, item, f"{path}.value")

    def _string(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise self.fail(path, "Member must be a string")
        self._size(shape, len(value), path)
        enum = shape.metadata.get("enum")
        if enum and value not in enum:
            raise self.fail(path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        if not pattern_matches(shape, value):
            pattern = shape.metadata["pattern"]
            raise self.fail(path, f"Member must satisfy regular expression pattern: {pattern}")

    def _integer(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, "Member must be an integer")
        minimum, maximum = shape.metadata.get("min"), shape.metadata.get("max")
        if minimum is not None and value < minimum:
            raise self.fail(path, f"Member must have value greater than or equal to {minimum}")
        if maximum is not None and value > maximum:
            raise self.fail(path, f"Member must have value less than or equal to {maximum}")

    def _size(self, shape: Shape, size: int, path: str) -> None:
        minimum, maximum = shape.metadata.get("min"), shape.metadata.get("max")
        if minimum is not None and size < minimum:
            raise self.fail(path, f"Member must have length greater than or equal to {minimum}")
        if maximum is not None and size > maximum:
            raise self.fail(path, f"Member must have length less than or equal to {maximum}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def validate_input(operation: str, shape: StructureShape | None, params: dict[str, Any]) -> None:
    """Raise the operation's validation error for the first constraint the input breaks."""
    if shape is not None:
        _Checker(operation).check(shape, params, "")

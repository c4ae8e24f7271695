"""Opaque NextTokens: which listing they continue, and after which item."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from .errors import ServiceError, validation_error_for

Item = TypeVar("Item")


def encode_token(operation: str, scope: str, offset: int) -> str:
    raw = json.dumps({"op": operation, "scope": scope, "offset": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(operation: str, scope: str, token: str) -> int:
    """The offset a token continues from; a forged or foreign token is a bad parameter."""
    error: ServiceError = validation_error_for(operation, "The NextToken is not valid.")
    try:
        padded = token + "=" * (-len(token) % 4)
        document: Any = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise error from None
    if (
        not isinstance(document, dict)
        or document.get("op") != operation
        or document.get("scope") != scope
        or not isinstance(document.get("offset"), int)
        or isinstance(document.get("offset"), bool)
        or document["offset"] < 0
    ):
        raise error
    offset: int = document["offset"]
    return offset


def page(
    operation: str,
    scope: str,
    items: Sequence[Item],
    params: dict[str, Any],
    default_size: int,
) -> tuple[Sequence[Item], str | None]:
    """One page of items, and the token for the next page (None on the last page)."""
    token = params.get("NextToken")
    start = decode_token(operation, scope, token) if token else 0
    size = params.get("MaxResults") or default_size
    end = start + size
    next_token = encode_token(operation, scope, end) if end < len(items) else None
    return items[start:end], next_token

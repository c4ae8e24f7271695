"""The exact log of Connect API requests: one entry per request received, faulted or not."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RequestLogEntry:
    seq: int  # 1, 2, ... in arrival order since the last clear
    time: float  # epoch seconds when the request was received
    operation: str | None  # None: no Connect operation has that method and path
    method: str
    path: str
    status: int | None  # HTTP status sent; None when the connection was dropped unanswered
    error_code: str | None  # x-amzn-ErrorType sent (or the operation's error before a drop)
    fault: str | None  # injected fault, e.g. "throttle", "fail_next:drop"; None = none
    params: dict[str, Any] | None  # parsed parameters, sensitive members redacted

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RequestLogEntry] = []

    def append(self, **fields: Any) -> RequestLogEntry:
        with self._lock:
            entry = RequestLogEntry(seq=len(self._entries) + 1, **fields)
            self._entries.append(entry)
            return entry

    def entries(self) -> list[RequestLogEntry]:
        with self._lock:
            return list(self._entries)

    def operations(self) -> list[str | None]:
        """Operation names in arrival order: what tests count calls and permissions by."""
        return [entry.operation for entry in self.entries()]

    def count(self, operation: str | None = None) -> int:
        entries = self.entries()
        if operation is None:
            return len(entries)
        return sum(1 for entry in entries if entry.operation == operation)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

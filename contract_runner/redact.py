"""Keep Password values out of rpdk.log and everything printed.

The CLI logs request payloads with the write-only Password still in them (its pruning misses
top-level properties), and assertion messages quote request models, so both the log file and
the console pass through a Redactor.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

MASK = "***"
SECRET_KEYS = ("Password",)
# "Password": "..." (JSON) and 'Password': '...' (Python reprs in assertion messages).
_KEYS = "|".join(SECRET_KEYS)
_KEY_VALUE = re.compile(
    rf"""(?P<key>["'](?:{_KEYS})["']\s*:\s*)(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)"""
)


def _secret_values(document: Any) -> Iterator[str]:
    if isinstance(document, dict):
        for key, value in document.items():
            if key in SECRET_KEYS and isinstance(value, str) and value:
                yield value
            else:
                yield from _secret_values(value)
    elif isinstance(document, list):
        for item in document:
            yield from _secret_values(item)


def secrets_in_files(paths: Iterable[Path]) -> set[str]:
    """Password values found in JSON files (the contract inputs, a cfn invoke request)."""
    found: set[str] = set()
    for path in paths:
        try:
            found.update(_secret_values(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return found


# Literal masking needs a value at least as long as the shortest valid password: a short
# invalid one (an input meant to fail) could be an ordinary word that is then masked everywhere.
MIN_LITERAL_LENGTH = 8


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is masked whole.
        literal = {s for s in secrets if len(s) >= MIN_LITERAL_LENGTH}
        self.secrets = sorted(literal, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        text = _KEY_VALUE.sub(lambda m: f"{m['key']}{m['q']}{MASK}{m['q']}", text)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's final text (message and traceback)."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redactor = redactor or Redactor()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor(record.exc_text)
        return True


class RedactingStream(io.TextIOBase):
    """Wraps a text stream; redacts per line, and whatever is pending on flush()."""

    def __init__(self, target: TextIO, redactor: Redactor) -> None:
        super().__init__()
        self._target = target
        self._redactor = redactor
        self._pending = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", "utf-8")

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            complete, _, self._pending = self._pending.rpartition("\n")
            self._target.write(self._redactor(complete) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(self._redactor(self._pending))
            self._pending = ""
        self._target.flush()

"""Keep the invocation's secrets out of every log record, whichever library writes it.

botocore logs whole request bodies at DEBUG ("Making request ... with params"), so a
Password would reach the logs the moment someone turns debug logging on. A chained log
record factory scrubs the current invocation's secrets from each record's final message.
The secrets live in a context variable, so concurrent invocations in threads stay apart.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MASK = "***"
_secrets: ContextVar[tuple[str, ...]] = ContextVar("aws_connect_user_secrets", default=())
_installed = False


def forms(secret: str) -> list[str]:
    """The secret as it can appear in text: raw, JSON-escaped (what botocore sends), and as
    Python prints that JSON inside a bytes literal (what botocore's DEBUG log shows)."""
    escaped = json.dumps(secret)[1:-1]
    unescaped_unicode = json.dumps(secret, ensure_ascii=False)[1:-1]
    # Appending both quote kinds makes repr() choose single quotes and escape them.
    in_bytes = repr(escaped.encode() + b"'\"")[2:-4]
    return sorted({secret, escaped, unescaped_unicode, in_bytes}, key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        for form in forms(secret):
            text = text.replace(form, MASK)
    return text


def _scrubbing_factory(previous: Any) -> Any:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = previous(*args, **kwargs)
        secrets = _secrets.get()
        if secrets:
            try:
                message = record.getMessage()
            except Exception:
                return record
            scrubbed = scrub(message, secrets)
            if scrubbed != message:
                record.msg, record.args = scrubbed, None
        return record

    return make_record


def install() -> None:
    """Chain the scrubbing factory in front of the current one, once per process."""
    global _installed
    if not _installed:
        logging.setLogRecordFactory(_scrubbing_factory(logging.getLogRecordFactory()))
        _installed = True


def credential_secrets(credentials: Any) -> list[str]:
    """The secret members of one set of event credentials (the access key ID is not secret)."""
    if not isinstance(credentials, Mapping):
        return []
    values = (credentials.get("secretAccessKey"), credentials.get("sessionToken"))
    return [v for v in values if isinstance(v, str) and v]


@contextmanager
def secrets_hidden(values: Iterable[str | None]) -> Iterator[None]:
    """Scrub these values, as well as those of any enclosing context, from every log record
    made in this context."""
    token = _secrets.set(_secrets.get() + tuple(v for v in values if v))
    try:
        yield
    finally:
        _secrets.reset(token)

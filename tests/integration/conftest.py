"""What every integration test needs: the unmodified handler pointed at an emulator over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from botocore.retries import standard

from aws_connect_user import connect
from connect_emulator import Emulator


@pytest.fixture
def point_handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Emulator], Emulator]]:
    """point_handler(emulator): the handler's Connect calls go to that emulator, with fresh
    client caches and botocore's retry back-off without the wait (the retries still happen)."""

    def point(emulator: Emulator) -> Emulator:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", emulator.endpoint_url)
        connect.forget_cached_state()
        return emulator

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)
    yield point
    connect.forget_cached_state()

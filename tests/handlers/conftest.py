"""Fixtures for handler tests: the production entrypoint wired to a stubbed Connect client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from aws_connect_user import connect, handlers, schema

from .support import StubbedConnect

DECLARED = {
    action: set(spec["permissions"])
    for action, spec in schema.resource_schema()["handlers"].items()
}


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubbedConnect]:
    """The Connect client every handler gets; no queued response means no call may happen."""
    connect.forget_cached_state()
    stubbed = StubbedConnect()

    real_client_for = handlers.client_for

    def fake_client_for(session: Any, region: str | None, *, quick: bool = False) -> Any:
        if session is None:  # no caller credentials: the real function refuses, offline
            return real_client_for(session, region, quick=quick)
        stubbed.quick.append(quick)
        assert region == "us-east-1"
        stubbed.sessions.append(session)
        return stubbed.client

    monkeypatch.setattr(handlers, "client_for", fake_client_for)
    with stubbed.stubber:
        yield stubbed
    assert not stubbed.stubber.failures, f"unexpected Connect requests: {stubbed.stubber.failures}"
    stubbed.stubber.assert_no_pending_responses()
    connect.forget_cached_state()


@pytest.fixture
def invoke(stub: StubbedConnect) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Call the production entrypoint exactly as Lambda does: (event, context)."""

    def call(event: dict[str, Any]) -> dict[str, Any]:
        before = len(stub.operations)
        response = handlers.resource(event, None)
        assert isinstance(response, dict)
        # Every handler test also checks the schema declares what the handler called.
        action = event.get("action") if isinstance(event, dict) else None
        if isinstance(action, str) and action.lower() in DECLARED:
            called = {f"connect:{op}" for op in stub.operations[before:]}
            assert called <= DECLARED[action.lower()], f"{action} undeclared: {called}"
        return response

    return call

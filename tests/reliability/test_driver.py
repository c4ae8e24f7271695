"""The load driver speaks CloudFormation's protocol: checked against scripted entrypoints."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pytest

from loadtest import (
    GAVE_UP,
    MALFORMED,
    RAISED,
    Operation,
    drive,
    progress_event_problem,
    run_operation,
)

MODEL = {"Username": "u1", "PhoneConfig": {"AutoAccept": True, "AfterContactWorkTimeLimit": 30}}


class Scripted:
    """An entrypoint answering IN_PROGRESS `callbacks` times, then SUCCESS."""

    def __init__(self, callbacks: int, delay: int = 3) -> None:
        self.callbacks = callbacks
        self.delay = delay
        self.events: list[Mapping[str, Any]] = []

    def __call__(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        done = len([e for e in self.events if e["bearerToken"] == event["bearerToken"]]) - 1
        if done < self.callbacks:
            return {
                "status": "IN_PROGRESS",
                "callbackDelaySeconds": self.delay,
                "callbackContext": {"retries": done + 1},
                "resourceModel": {**event["requestData"]["resourceProperties"], "Step": done},
                "message": "",
            }
        return {"status": "SUCCESS", "resourceModel": {"UserArn": "arn"}, "message": ""}


def test_callbacks_are_honoured_like_cloudformation() -> None:
    handler = Scripted(callbacks=2, delay=3)
    started = time.monotonic()
    result = run_operation(Operation("CREATE", MODEL), entrypoint=handler, time_scale=0.01)
    assert time.monotonic() - started >= 2 * 3 * 0.01  # the delays were waited (scaled)
    assert result.status == "SUCCESS" and result.invocations == 3
    assert result.callback_delays == [3, 3]
    first, second, third = handler.events
    # Stable bearer token; callbackContext and the returned model sent back.
    assert first["bearerToken"] == second["bearerToken"] == third["bearerToken"]
    assert first["callbackContext"] is None
    assert second["callbackContext"] == {"retries": 1}
    assert second["requestData"]["resourceProperties"]["Step"] == 0
    assert third["requestData"]["resourceProperties"]["Step"] == 1
    # CloudFormation's shape: scalars as strings, credentials with a session token.
    props = first["requestData"]["resourceProperties"]
    assert props["PhoneConfig"] == {"AutoAccept": "true", "AfterContactWorkTimeLimit": "30"}
    assert set(first["requestData"]["callerCredentials"]) == {
        "accessKeyId",
        "secretAccessKey",
        "sessionToken",
    }
    for key in ("awsAccountId", "region", "resourceType", "stackId", "action"):
        assert first[key]


def test_each_operation_gets_its_own_bearer_token_and_updates_their_previous_state() -> None:
    handler = Scripted(callbacks=0)
    ops = [
        Operation("UPDATE", {**MODEL, "Username": f"u{n}"}, previous_properties=MODEL)
        for n in range(5)
    ]
    report = drive(ops, concurrency=3, entrypoint=handler)
    assert report.counts() == {"UPDATE": {"SUCCESS": 5, "FAILED": 0}}
    assert len({e["bearerToken"] for e in handler.events}) == 5
    assert all(e["requestData"]["previousResourceProperties"] for e in handler.events)
    assert len({e["requestData"]["callerCredentials"]["sessionToken"] for e in handler.events}) == 1


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"status": "DONE"}, MALFORMED),
        ({"status": "FAILED", "errorCode": "Oops", "message": "x"}, MALFORMED),
        ({"status": "FAILED", "errorCode": "InvalidRequest"}, MALFORMED),
        ({"status": "IN_PROGRESS", "callbackDelaySeconds": -1}, MALFORMED),
        ("not an object", MALFORMED),
    ],
)
def test_malformed_answers_are_reported(answer: Any, code: str) -> None:
    report = drive([Operation("READ", MODEL)], entrypoint=lambda e, c: answer)
    assert report.results[0].error_code == code
    assert report.protocol_errors


def test_a_raising_entrypoint_and_an_endless_one_are_reported() -> None:
    def boom(event: Any, context: Any) -> Any:
        raise RuntimeError("escaped")

    assert run_operation(Operation("READ", MODEL), entrypoint=boom).error_code == RAISED
    endless = run_operation(
        Operation("CREATE", MODEL), entrypoint=Scripted(99, delay=0), max_invocations=4
    )
    assert (endless.error_code, endless.invocations) == (GAVE_UP, 4)


def test_progress_event_problem_accepts_the_library_shapes() -> None:
    assert progress_event_problem({"status": "SUCCESS", "callbackDelaySeconds": 0}) is None
    assert (
        progress_event_problem({"status": "FAILED", "errorCode": "NotFound", "message": "m"})
        is None
    )

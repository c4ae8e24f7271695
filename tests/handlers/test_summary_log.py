"""Every invocation writes exactly one summary log line, whatever the outcome, and no secret."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from aws_connect_user import handlers, translate

from ..testdata import PASSWORD
from .support import (
    CREDENTIALS,
    MI,
    USER_ID,
    create_params,
    created,
    event,
    properties,
    user_arn,
)

Scenario = Callable[[Any, pytest.MonkeyPatch], Any]


def success(stub, mp):
    stub.describe_instance()
    stub.ok("CreateUser", create_params(), created())
    stub.visible()
    return event("CREATE", properties())


def failed(stub, mp):
    stub.describe_instance()
    stub.error("CreateUser", "AccessDeniedException", create_params(), status=403)
    return event("CREATE", properties())


def in_progress(stub, mp):
    stub.describe_instance()
    stub.raise_on("CreateUser", ReadTimeoutError(endpoint_url="https://connect"))
    return event("CREATE", properties())


def invalid_properties(stub, mp):
    stub.describe_instance()  # refused after reading the instance's rules, before any write
    return event("CREATE", properties(Password="weak"))


def refused_by_a_rule(stub, mp):
    stub.describe_instance()
    return event("CREATE", properties(Username="ada@example"))


def unexpected_exception(stub, mp):
    def explode(model: Any, tags: Any) -> Any:
        raise RuntimeError(f"unexpected {model.Password}")

    mp.setattr(translate, "create_user_params", explode)
    stub.describe_instance()
    return event("CREATE", properties())


def malformed_event(stub, mp):
    broken = event("CREATE", properties())
    broken["requestData"]["callerCredentials"] = {"accessKeyId": "AKIA"}
    return broken


def not_an_object(stub, mp):
    return ["CREATE"]


def read_not_found(stub, mp):
    return event("READ", {"UserArn": "not-an-arn"})


SCENARIOS: dict[str, tuple[Scenario, str]] = {
    "success": (success, "AWS::Connect::User CREATE: SUCCESS "),
    "failed": (failed, "AWS::Connect::User CREATE: FAILED AccessDenied"),
    "in-progress": (in_progress, "AWS::Connect::User CREATE: IN_PROGRESS "),
    "invalid-properties": (invalid_properties, "AWS::Connect::User CREATE: FAILED InvalidRequest"),
    "rule": (refused_by_a_rule, "AWS::Connect::User CREATE: FAILED InvalidRequest"),
    "bug": (unexpected_exception, "AWS::Connect::User CREATE: FAILED InternalFailure"),
    "malformed": (malformed_event, "AWS::Connect::User CREATE: FAILED InvalidRequest"),
    "not-an-object": (not_an_object, "AWS::Connect::User (no action): FAILED InvalidRequest"),
    "read-not-found": (read_not_found, "AWS::Connect::User READ: FAILED NotFound"),
}


def summaries(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("AWS::Connect::User ")
    ]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_one_summary_line_per_invocation(stub, monkeypatch, caplog, name) -> None:
    scenario, line = SCENARIOS[name]
    raw = scenario(stub, monkeypatch)
    with caplog.at_level(logging.INFO):
        handlers.resource(raw, None)
    assert summaries(caplog) == [line]
    assert PASSWORD not in caplog.text
    assert CREDENTIALS["secretAccessKey"] not in caplog.text
    assert CREDENTIALS["sessionToken"] not in caplog.text


def test_the_test_entrypoint_writes_one_summary_line_too(stub, caplog) -> None:
    stub.error(
        "DescribeUser",
        "ResourceNotFoundException",
        {"InstanceId": MI.id, "UserId": USER_ID},
        status=404,
    )
    payload = {
        "credentials": dict(CREDENTIALS),
        "action": "READ",
        "request": {
            "clientRequestToken": "t",
            "desiredResourceState": {"UserArn": user_arn()},
            "region": "us-east-1",
        },
        "callbackContext": None,
        "region": "us-east-1",
    }
    with caplog.at_level(logging.INFO):
        answer = handlers.test_entrypoint(payload, None)
    assert answer["errorCode"] == "NotFound"
    assert summaries(caplog) == ["AWS::Connect::User READ: FAILED NotFound"]

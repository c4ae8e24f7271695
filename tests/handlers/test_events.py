"""Malformed events, unexpected bugs and the test entrypoint."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from aws_connect_user import handlers, translate

from ..testdata import PASSWORD
from .support import (
    BEARER,
    CREDENTIALS,
    LOGICAL_ID,
    MI,
    STACK_ID,
    USER_ID,
    create_params,
    created,
    event,
    properties,
    user_arn,
)


def broken(change) -> dict[str, Any]:
    e = event("CREATE", properties())
    change(e)
    return e


def _set(path: tuple[str, ...], value: Any):
    def change(e: dict[str, Any]) -> None:
        target = e
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _del(path: tuple[str, ...]):
    def change(e: dict[str, Any]) -> None:
        target = e
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


MALFORMED = {
    "missing-action": _del(("action",)),
    "missing-bearer-token": _del(("bearerToken",)),
    "missing-request-data": _del(("requestData",)),
    "request-data-not-object": _set(("requestData",), "x"),
    "unknown-action": _set(("action",), "PATCH"),
    "lowercase-action": _set(("action",), "create"),
    "action-not-string": _set(("action",), ["CREATE"]),
    "callback-context-not-object": _set(("callbackContext",), "retries=1"),
    "credentials-incomplete": _set(("requestData", "callerCredentials"), {"accessKeyId": "AKIA"}),
    "credentials-not-object": _set(("requestData", "callerCredentials"), "AKIA:secret"),
    "properties-not-object": _set(("requestData", "resourceProperties"), ["InstanceId"]),
    "properties-string": _set(("requestData", "resourceProperties"), "{}"),
    "previous-not-object": _set(("requestData", "previousResourceProperties"), 7),
    "stack-tags-not-object": _set(("requestData", "stackTags"), [{"Key": "a", "Value": "b"}]),
    "previous-stack-tags-not-object": _set(("requestData", "previousStackTags"), "a=b"),
    "properties-null": _set(("requestData", "resourceProperties"), None),
    "unknown-property": _set(("requestData", "resourceProperties", "Nickname"), "Ada"),
    "null-property": _set(("requestData", "resourceProperties", "Username"), None),
    "wrong-type-property": _set(
        ("requestData", "resourceProperties", "SecurityProfileIds"), {"a": 1}
    ),
    "nested-wrong-type": _set(("requestData", "resourceProperties", "PhoneConfig"), "SOFT_PHONE"),
}


# A property that breaks the schema is refused by the create handler, after reading the
# instance's identity type so that its rules join the same message (no write either way).
PROPERTY_PROBLEMS = {
    "unknown-property",
    "null-property",
    "wrong-type-property",
    "nested-wrong-type",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_events_are_invalid_request_before_any_write(stub, invoke, name) -> None:
    reads = ["DescribeInstance"] if name in PROPERTY_PROBLEMS else []
    if reads:
        stub.describe_instance()
    response = invoke(broken(MALFORMED[name]))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert "Traceback" not in response["message"]
    assert stub.operations == reads


@pytest.mark.parametrize("raw", [None, [], "CREATE", 42])
def test_an_event_that_is_not_an_object(stub, invoke, raw) -> None:
    response = handlers.resource(raw, None)
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")


def test_missing_caller_credentials_is_invalid_credentials(stub, invoke) -> None:
    response = invoke(broken(_del(("requestData", "callerCredentials"))))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidCredentials")
    assert stub.operations == []


MISSING_FIELDS = {
    "missing-region": _del(("region",)),
    "missing-account": _del(("awsAccountId",)),
    "missing-resource-properties": _del(("requestData", "resourceProperties")),
    "region-not-string": _set(("region",), 5),
}


@pytest.mark.parametrize("name", sorted(MISSING_FIELDS))
def test_events_missing_fields_are_invalid_request(stub, invoke, name) -> None:
    response = invoke(broken(MISSING_FIELDS[name]))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response


@pytest.mark.parametrize("value", ["²", "--5"])
def test_digit_like_strings_are_invalid_request(stub, invoke, value) -> None:
    props = properties(PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": value})
    stub.describe_instance()
    response = invoke(event("CREATE", props))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert stub.operations == ["DescribeInstance"]


def test_a_bug_is_internal_failure_without_traceback_or_values(
    stub, invoke, monkeypatch, caplog
) -> None:
    def explode(model: Any, tags: Any) -> dict[str, Any]:
        raise RuntimeError(f"unexpected {model.Password}")

    monkeypatch.setattr(translate, "create_user_params", explode)
    stub.describe_instance()
    with caplog.at_level(logging.DEBUG):
        response = invoke(event("CREATE", properties()))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InternalFailure")
    assert response["message"] == "Internal error in the AWS::Connect::User handler (RuntimeError)."
    assert PASSWORD not in caplog.text
    assert "RuntimeError" in caplog.text  # the bug is logged, by type and code location
    assert stub.operations == ["DescribeInstance"]


def test_a_missing_handler_response_shape_is_internal_failure(stub, invoke, monkeypatch) -> None:
    stub.ok("DescribeUser", {"InstanceId": MI.id, "UserId": USER_ID}, {})
    response = invoke(event("READ", {"UserArn": user_arn()}))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InternalFailure")
    assert "Traceback" not in response["message"] and "KeyError" in response["message"]


# --- the test entrypoint (cfn invoke / SAM local) ----------------------------------------------


def test_event(action: str, props: dict[str, Any] | None, **request: Any) -> dict[str, Any]:
    return {
        "credentials": dict(CREDENTIALS),
        "action": action,
        "request": {
            "clientRequestToken": BEARER,
            "desiredResourceState": props,
            "logicalResourceIdentifier": LOGICAL_ID,
            "stackId": STACK_ID,
            "region": "us-east-1",
            **request,
        },
        "callbackContext": None,
        "region": "us-east-1",
    }


test_event.__test__ = False  # type: ignore[attr-defined]


def test_test_entrypoint_create(stub) -> None:
    stub.describe_instance()
    stub.ok("CreateUser", create_params(), created())
    stub.visible()
    response = handlers.test_entrypoint(test_event("CREATE", properties()), None)
    assert response["status"] == "SUCCESS", response
    assert "Password" not in response["resourceModel"]
    assert response["resourceModel"]["UserArn"] == user_arn()


def test_test_entrypoint_read_of_a_missing_user(stub) -> None:
    stub.error(
        "DescribeUser",
        "ResourceNotFoundException",
        {"InstanceId": MI.id, "UserId": USER_ID},
        status=404,
    )
    response = handlers.test_entrypoint(test_event("READ", {"UserArn": user_arn()}), None)
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")


@pytest.mark.parametrize(
    "raw",
    [
        {"action": "CREATE", "request": {}},
        {
            "credentials": dict(CREDENTIALS),
            "action": "NOPE",
            "request": {"clientRequestToken": "t"},
        },
        {"credentials": dict(CREDENTIALS), "action": "CREATE", "request": {"unknown": 1}},
    ],
)
def test_test_entrypoint_malformed(stub, raw) -> None:
    response = handlers.test_entrypoint(raw, None)
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert stub.operations == []


def test_test_entrypoint_validates_like_production(stub) -> None:
    stub.describe_instance()
    response = handlers.test_entrypoint(test_event("CREATE", properties(Password="short")), None)
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].startswith("Password: must be 8 to 64 characters")


def test_each_invocation_uses_its_own_callers_credentials(stub, invoke) -> None:
    other = {
        "accessKeyId": "AKIAOTHERCALLER00000",
        "secretAccessKey": "other-secret-not-real",
        "sessionToken": "other-token-not-real",
    }
    for _ in range(2):
        stub.error(
            "DescribeUser",
            "ResourceNotFoundException",
            {"InstanceId": MI.id, "UserId": USER_ID},
            status=404,
        )
    first = event("READ", {"UserArn": user_arn()})
    second = event("READ", {"UserArn": user_arn()})
    second["requestData"]["callerCredentials"] = other
    assert invoke(first)["errorCode"] == "NotFound"
    assert invoke(second)["errorCode"] == "NotFound"
    keys = [s.session.get_credentials().get_frozen_credentials() for s in stub.sessions]
    assert [(k.access_key, k.secret_key, k.token) for k in keys] == [
        (CREDENTIALS["accessKeyId"], CREDENTIALS["secretAccessKey"], CREDENTIALS["sessionToken"]),
        (other["accessKeyId"], other["secretAccessKey"], other["sessionToken"]),
    ]

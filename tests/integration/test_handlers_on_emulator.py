"""Every handler path against the local Connect emulator over HTTP.

The handler runs unmodified through its production entrypoint: its own client_for builds a
stock boto3 client (standard retries), pointed at the emulator by AWS_ENDPOINT_URL_CONNECT.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from unittest.mock import ANY

import pytest

from aws_connect_user import connect, handlers, outcomes
from connect_emulator import COMMIT_THEN_DROP, Emulator
from connect_emulator.seed import SAML

from ..handlers.support import (
    MARKER_KEY,
    MI,
    event,
    properties,
)
from ..testdata import PASSWORD

pytestmark = pytest.mark.emulator


@pytest.fixture
def env(emulator: Emulator, point_handler: Callable[[Emulator], Emulator]) -> Emulator:
    """The emulator, the handler pointed at it (conftest.point_handler)."""
    return point_handler(emulator)


def call(e: dict[str, Any]) -> dict[str, Any]:
    response = handlers.resource(e, None)
    assert isinstance(response, dict)
    return response


def ops(emulator: Emulator) -> list[str | None]:
    return emulator.requests.operations()


def create(props: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    response = call(event("CREATE", props or properties(), **kwargs))
    assert response["status"] == "SUCCESS", response
    return response["resourceModel"]


def test_lifecycle(env: Emulator) -> None:
    props = properties(
        SecurityProfileIds=[MI.child_arn("security", 1), MI.child_id("security", 2)],
        Tags=[{"Key": "team", "Value": "blue"}],
    )
    model = create(props, stack_tags={"cost": "42", "aws:cloudformation:stack-name": "agents"})
    arn = model["UserArn"]
    # SUCCESS once DescribeUser shows the new user (stabilisation)
    assert ops(env) == ["DescribeInstance", "CreateUser", "DescribeUser"]

    read = call(event("READ", {**props, "UserArn": arn}))
    assert read["status"] == "SUCCESS", read
    got = read["resourceModel"]
    assert got["InstanceId"] == MI.arn
    assert sorted(got["SecurityProfileIds"]) == sorted(props["SecurityProfileIds"])
    assert got["RoutingProfileId"] == props["RoutingProfileId"]
    assert got["PhoneConfig"] == {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": False,
        "AfterContactWorkTimeLimit": 30,
    }
    assert {t["Key"] for t in got["Tags"]} == {"team", "cost"}  # the marker stays hidden
    assert "Password" not in got

    env.requests.clear()
    desired = {
        **props,
        "UserArn": arn,
        "RoutingProfileId": MI.child_id("routing", 2),
        "HierarchyGroupId": MI.child_arn("hierarchy", 1),
        "Tags": [{"Key": "team", "Value": "green"}],
    }
    updated = call(event("UPDATE", desired, previous={**props, "UserArn": arn}))
    assert updated["status"] == "SUCCESS", updated
    assert ops(env) == [
        "DescribeUser",
        "UpdateUserRoutingProfile",
        "UpdateUserHierarchy",
        "UntagResource",
        "TagResource",
    ]

    env.requests.clear()
    again = call(event("UPDATE", desired, previous=desired))
    assert again["status"] == "SUCCESS"
    assert ops(env) == ["DescribeUser"], "an unchanged update only reads"

    read = call(event("READ", {"UserArn": arn}))["resourceModel"]
    assert read["HierarchyGroupId"] == MI.child_id("hierarchy", 1)
    assert read["Tags"] == [{"Key": "team", "Value": "green"}]

    listed = call(event("LIST", {"InstanceId": MI.id}))
    assert arn in [m["UserArn"] for m in listed["resourceModels"]]

    assert call(event("DELETE", {"UserArn": arn}))["status"] == "SUCCESS"
    assert call(event("READ", {"UserArn": arn}))["errorCode"] == "NotFound"
    # The model of a user DescribeUser showed (both identifiers): NotFound at once. Named by
    # the UserArn alone, the delete would wait five minutes for it to appear (issue 20).
    shown = {"UserArn": arn, "UserId": arn.rsplit("/", 1)[1]}
    assert call(event("DELETE", shown))["errorCode"] == "NotFound"


def test_hierarchy_removal(env: Emulator) -> None:
    props = properties(HierarchyGroupId=MI.child_id("hierarchy", 2))
    arn = create(props)["UserArn"]
    desired = {**properties(), "UserArn": arn}
    assert call(event("UPDATE", desired, previous={**props, "UserArn": arn}))["status"] == "SUCCESS"
    assert "HierarchyGroupId" not in call(event("READ", {"UserArn": arn}))["resourceModel"]


def test_identity_rules_refuse_before_any_write(env: Emulator) -> None:
    response = call(event("CREATE", properties(SAML, Password=PASSWORD)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert ops(env) == ["DescribeInstance"]


def test_duplicate_username_already_exists(env: Emulator) -> None:
    create()
    response = call(event("CREATE", properties(), bearer="another-request"))
    assert (response["status"], response["errorCode"]) == ("FAILED", "AlreadyExists")
    assert ops(env)[-2:] == ["CreateUser", "SearchUsers"]


def test_lost_create_response_is_recognised(env: Emulator) -> None:
    env.faults.fail_next("CreateUser", fault=COMMIT_THEN_DROP)
    model = create()
    assert ops(env) == [
        "DescribeInstance",
        "CreateUser",
        "CreateUser",
        "SearchUsers",
        "DescribeUser",
    ]
    user_id = model["UserId"]
    live = env.execute("DescribeUser", {"InstanceId": MI.id, "UserId": user_id})["User"]
    assert MARKER_KEY in live["Tags"]


def test_throttled_beyond_botocore_retries_calls_back_then_succeeds(env: Emulator) -> None:
    env.faults.fail_next("CreateUser", count=20, fault="ThrottlingException")
    first = call(event("CREATE", properties()))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
    }  # throttled: not created
    env.faults.clear()
    second = call(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second


def test_botocore_makes_max_attempts_attempts_per_call(env: Emulator) -> None:
    env.faults.fail_next("CreateUser", count=20, fault="ThrottlingException")
    assert call(event("CREATE", properties()))["status"] == "IN_PROGRESS"
    assert ops(env).count("CreateUser") == connect.MAX_ATTEMPTS


def test_delete_whose_response_was_lost_succeeds(env: Emulator) -> None:
    arn = create()["UserArn"]
    env.faults.fail_next("DeleteUser", fault=COMMIT_THEN_DROP)
    assert call(event("DELETE", {"UserArn": arn}))["status"] == "SUCCESS"
    # botocore's retry is answered not found: its first attempt deleted the user, and
    # DescribeUser agrees
    assert ops(env)[-3:] == ["DeleteUser", "DeleteUser", "DescribeUser"]


def test_missing_reference_is_retried_for_its_window_then_invalid_request(env: Emulator) -> None:
    missing = MI.child_id("routing", 99)
    first = call(event("CREATE", properties(RoutingProfileId=missing)))
    assert first["status"] == "IN_PROGRESS", first  # perhaps created a moment ago
    assert first["callbackContext"]["window"] == "missingReference"
    # The callback after the window: the same lookup, now the template's mistake.
    late = {
        **first["callbackContext"],
        "windowStart": first["callbackContext"]["windowStart"]
        - outcomes.MISSING_REFERENCE_WINDOW_SECONDS,
    }
    response = call(event("CREATE", first["resourceModel"], callback_context=late))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].startswith(
        f"RoutingProfileId names something that does not exist: {missing}"
    )
    assert "this handler waits at most 180 s" in response["message"]
    assert ops(env).count("CreateUser") == 2


def test_list_paginates(env: Emulator, bulk_users: Callable[..., list[str]]) -> None:
    ids = set(bulk_users(1001))
    first = call(event("LIST", {"InstanceId": MI.arn}))
    assert len(first["resourceModels"]) == 1000 and first["nextToken"]
    second = call(event("LIST", {"InstanceId": MI.arn}, next_token=first["nextToken"]))
    assert "nextToken" not in second
    seen = {m["UserId"] for m in first["resourceModels"] + second["resourceModels"]}
    assert seen == ids


def test_password_never_logged_even_with_botocore_debug(env: Emulator, caplog, capfd) -> None:
    with caplog.at_level(logging.DEBUG):
        logging.getLogger().setLevel(logging.DEBUG)
        arn = create()["UserArn"]
        env.faults.fail_next("DescribeUser", count=20, fault="ThrottlingException")
        failed = call(event("UPDATE", {**properties(), "UserArn": arn}, previous=properties()))
    out, err = capfd.readouterr()
    assert failed["status"] == "IN_PROGRESS"
    assert "Making request for" in caplog.text  # botocore really logged request bodies
    assert PASSWORD not in caplog.text + out + err + str(failed)

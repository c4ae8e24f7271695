"""READ, DELETE and LIST through the production entrypoint."""

from __future__ import annotations

import time
from unittest.mock import ANY

import pytest

from aws_connect_user.schema import validation_errors

from ..testdata import CONNECT_ERRORS, PASSWORD, create_user_params
from .support import MARKER_KEY, MI, USER_ID, event, live_user, properties, user_arn
from .support import SAML as SI

# --- READ -----------------------------------------------------------------------------------


def test_read_by_identifier_only_renders_ids_and_hides_the_marker(stub, invoke) -> None:
    stub.describe_user(
        live_user(tags={MARKER_KEY: "abc"}, HierarchyGroupId=MI.child_id("hierarchy", 1))
    )
    stub.proficiencies()
    response = invoke(event("READ", {"UserArn": user_arn()}))
    assert response["status"] == "SUCCESS", response
    model = response["resourceModel"]
    assert model == {
        **create_user_params(Password=None),  # the valid user, references as IDs
        "HierarchyGroupId": MI.child_id("hierarchy", 1),
        "UserId": USER_ID,
        "UserArn": user_arn(),
    }
    assert validation_errors(model, partial=False) == []
    assert stub.operations == ["DescribeUser", "ListUserProficiencies"]  # by identifier: all


def test_read_renders_references_in_the_requests_form(stub, invoke) -> None:
    user = live_user(
        SecurityProfileIds=[MI.child_id("security", 2), MI.child_id("security", 1)],
        tags={"team": "blue", MARKER_KEY: "abc"},
    )
    stub.describe_user(user)
    props = properties(
        SecurityProfileIds=[MI.child_arn("security", 2), MI.child_id("security", 1)],
        UserArn=user_arn(),
        UserId=USER_ID,
    )
    response = invoke(event("READ", props))
    model = response["resourceModel"]
    assert model["InstanceId"] == MI.arn
    assert model["RoutingProfileId"] == MI.child_arn("routing", 1)
    assert sorted(model["SecurityProfileIds"]) == sorted(
        [MI.child_arn("security", 2), MI.child_id("security", 1)]
    )
    assert model["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert "Password" not in model and PASSWORD not in str(response)


@pytest.mark.parametrize("props", [{}, None, {"InstanceId": MI.id}])
def test_read_without_identifier_is_not_found_without_a_call(stub, invoke, props) -> None:
    response = invoke(event("READ", props))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert stub.operations == []


@pytest.mark.parametrize(
    "arn",
    ["not-an-arn", MI.child_arn("security", 1), f"{MI.arn}/agent/", f"{MI.arn}/agent/a/b"],
    ids=["not-an-arn", "profile-arn", "no-user-id", "extra-segment"],
)
@pytest.mark.parametrize("action", ["READ", "DELETE"])
def test_read_of_a_malformed_user_arn_is_not_found(stub, invoke, arn, action) -> None:
    response = invoke(event(action, {"UserArn": arn}))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert stub.operations == []


def test_read_of_an_unknown_user_is_not_found(stub, invoke) -> None:
    arn = user_arn(SI, "ffffffff-0000-4000-8000-000000000000")
    stub.error(
        "DescribeUser",
        "ResourceNotFoundException",
        {"InstanceId": SI.id, "UserId": "ffffffff-0000-4000-8000-000000000000"},
        status=404,
    )
    response = invoke(event("READ", {"UserArn": arn}))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert arn in response["message"]


@pytest.mark.parametrize("service_code", sorted(CONNECT_ERRORS))
def test_read_errors_fail_synchronously(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.error(
        "DescribeUser",
        service_code,
        {"InstanceId": MI.id, "UserId": USER_ID},
        status=expected.status,
    )
    response = invoke(event("READ", {"UserArn": user_arn()}))
    assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)
    assert "callbackContext" not in response


# --- DELETE -----------------------------------------------------------------------------------

DELETE = {"InstanceId": MI.id, "UserId": USER_ID}


def test_delete(stub, invoke) -> None:
    stub.ok("DeleteUser", DELETE)
    stub.not_visible()  # SUCCESS only once DescribeUser no longer shows the user (issue 16)
    response = invoke(event("DELETE", properties(UserArn=user_arn(), UserId=USER_ID)))
    assert response["status"] == "SUCCESS", response
    assert "resourceModel" not in response
    assert stub.operations == ["DeleteUser", "DescribeUser"]


def test_delete_waits_until_the_user_is_gone_and_callbacks_only_describe(stub, invoke) -> None:
    stub.ok("DeleteUser", DELETE)
    stub.describe_user(live_user())  # Connect still shows the deleted user
    first = invoke(event("DELETE", properties(UserArn=user_arn(), UserId=USER_ID)))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "deleted": True,
    }
    assert first["callbackDelaySeconds"] >= 1
    assert "Password" not in first["resourceModel"]
    stub.describe_user(live_user())
    second = invoke(
        event("DELETE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "IN_PROGRESS", second
    assert second["callbackContext"]["retries"] == 2  # no progress: the delay grows
    stub.not_visible()
    third = invoke(
        event("DELETE", second["resourceModel"], callback_context=second["callbackContext"])
    )
    assert third["status"] == "SUCCESS", third
    assert stub.operations == ["DeleteUser", "DescribeUser", "DescribeUser", "DescribeUser"]


def test_delete_still_shown_at_the_timeout_is_not_stabilized(stub, invoke) -> None:
    stub.describe_user(live_user())
    context = {"retries": 9, "callbacks": 60, "giveUpAt": int(time.time()), "deleted": True}
    response = invoke(event("DELETE", {"UserArn": user_arn()}, callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotStabilized")
    assert user_arn() in response["message"]
    assert stub.operations == ["DescribeUser"]


# The model of a user DescribeUser has shown (a create's SUCCESS, a read, an update): both
# identifiers. A create's IN_PROGRESS model carries the UserArn only.
SHOWN = {"UserArn": user_arn(), "UserId": USER_ID}


def test_delete_of_a_missing_user_is_not_found(stub, invoke) -> None:
    """No attempt of its own before: DescribeUser decides, and agrees the user is gone."""
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404)
    stub.not_visible()
    response = invoke(event("DELETE", SHOWN))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert stub.operations == ["DeleteUser", "DescribeUser"]


def test_a_rollback_of_a_create_still_waiting_for_connect_is_not_not_found(stub, invoke) -> None:
    """Issue 20, defect 1: the create's IN_PROGRESS model names a user Connect does not show
    yet. Not found by DeleteUser and DescribeUser is not "gone": DeleteUser is sent again on
    the callback, which deletes the user once Connect shows it."""
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404)
    stub.not_visible()
    first = invoke(event("DELETE", {"UserArn": user_arn()}))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "windowStart": ANY,
        "window": "unseenUser",
    }
    assert "may still appear" in first["message"]
    stub.ok("DeleteUser", DELETE)
    stub.not_visible()
    second = invoke(
        event("DELETE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations == ["DeleteUser", "DescribeUser", "DeleteUser", "DescribeUser"]


def test_a_user_never_shown_and_still_not_found_after_the_window_is_not_found(stub, invoke) -> None:
    """CloudFormation's contract: a delete of a user that is really gone ends NotFound, here
    once UNSEEN_USER_WINDOW_SECONDS have passed since this delete first met it."""
    from aws_connect_user.outcomes import UNSEEN_USER_WINDOW_SECONDS

    context = {
        "retries": 6,
        "callbacks": 6,
        "giveUpAt": int(time.time()) + 3000,
        "windowStart": int(time.time()) - int(UNSEEN_USER_WINDOW_SECONDS),
        "window": "unseenUser",
    }
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404)
    stub.not_visible()
    response = invoke(event("DELETE", {"UserArn": user_arn()}, callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert f"with identifier '{user_arn()}' was not found" in response["message"]
    assert "this handler waits at most 300 s" in response["message"]


def test_delete_not_found_for_a_user_describe_shows_is_retried(stub, invoke) -> None:
    """DeleteUser not caught up with a user DescribeUser shows (a rollback right after
    create): never NotFound, which CloudFormation would count as deleted."""
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404)
    stub.describe_user(live_user())
    first = invoke(event("DELETE", {"UserArn": user_arn()}))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {"retries": 1, "callbacks": 1, "giveUpAt": ANY}
    assert "Connect has not caught up" in first["message"]
    # the callback sends DeleteUser again: the first one did nothing
    stub.ok("DeleteUser", DELETE)
    stub.not_visible()
    second = invoke(
        event("DELETE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations == ["DeleteUser", "DescribeUser", "DeleteUser", "DescribeUser"]


def test_delete_gone_after_botocores_own_retry_succeeded(stub, invoke) -> None:
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404, retry_attempts=2)
    stub.not_visible()
    assert invoke(event("DELETE", {"UserArn": user_arn()}))["status"] == "SUCCESS"
    assert stub.operations == ["DeleteUser", "DescribeUser"]


def test_delete_gone_on_a_callback_after_an_unknown_outcome_succeeded(stub, invoke) -> None:
    stub.error("DeleteUser", "InternalServiceException", DELETE, status=500)
    first = invoke(event("DELETE", {"UserArn": user_arn()}))
    assert first["status"] == "IN_PROGRESS"
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "deleteSent": True,
    }
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404)
    stub.not_visible()
    second = invoke(
        event("DELETE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second


def test_delete_gone_on_a_callback_after_a_throttle_is_not_found(stub, invoke) -> None:
    """A throttled DeleteUser did nothing: the user was gone before this delete removed it."""
    stub.error("DeleteUser", "ThrottlingException", DELETE, status=429)
    first = invoke(event("DELETE", SHOWN))
    assert first["status"] == "IN_PROGRESS"
    assert first["callbackContext"] == {"retries": 1, "callbacks": 1, "giveUpAt": ANY}
    stub.error("DeleteUser", "ResourceNotFoundException", DELETE, status=404)
    stub.not_visible()
    second = invoke(
        event("DELETE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert (second["status"], second["errorCode"]) == ("FAILED", "NotFound")


def test_delete_without_identifier_is_not_found(stub, invoke) -> None:
    response = invoke(event("DELETE", {}))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert stub.operations == []


@pytest.mark.parametrize(
    "service_code", sorted(set(CONNECT_ERRORS) - {"ResourceNotFoundException"})
)
def test_delete_errors(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.error("DeleteUser", service_code, DELETE, status=expected.status)
    response = invoke(event("DELETE", properties(UserArn=user_arn())))
    if expected.transient:
        assert response["status"] == "IN_PROGRESS"
        assert "Password" not in response["resourceModel"]
        assert response["resourceModel"]["UserArn"] == user_arn()
        # a delete whose outcome is unknown remembers it sent one (see the NotFound cases)
        assert response["callbackContext"].get("deleteSent", False) is expected.outcome_unknown
    else:
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)


# --- LIST ------------------------------------------------------------------------------------


def summary(n: int) -> dict[str, str]:
    uid = f"dddddddd-0001-4000-8000-{n:012d}"
    return {"Id": uid, "Arn": user_arn(MI, uid), "Username": f"agent{n}"}


def test_list_one_page_and_its_token(stub, invoke) -> None:
    stub.ok(
        "ListUsers",
        {"InstanceId": MI.id, "MaxResults": 1000},
        {"UserSummaryList": [summary(1), summary(2)], "NextToken": "page-2"},
    )
    response = invoke(event("LIST", {"InstanceId": MI.arn}))
    assert response["status"] == "SUCCESS", response
    assert response["nextToken"] == "page-2"
    assert response["resourceModels"] == [
        {
            "InstanceId": MI.arn,
            "Username": f"agent{n}",
            "UserId": summary(n)["Id"],
            "UserArn": summary(n)["Arn"],
        }
        for n in (1, 2)
    ]


def test_list_passes_the_token_through_and_ends(stub, invoke) -> None:
    stub.ok(
        "ListUsers",
        {"InstanceId": MI.id, "MaxResults": 1000, "NextToken": "page-2"},
        {"UserSummaryList": [summary(3)]},
    )
    response = invoke(event("LIST", {"InstanceId": MI.id}, next_token="page-2"))
    assert response["status"] == "SUCCESS"
    assert "nextToken" not in response
    assert [m["Username"] for m in response["resourceModels"]] == ["agent3"]
    assert response["resourceModels"][0]["InstanceId"] == MI.id


def test_list_of_an_empty_instance(stub, invoke) -> None:
    stub.ok("ListUsers", {"InstanceId": MI.id, "MaxResults": 1000}, {"UserSummaryList": []})
    response = invoke(event("LIST", {"InstanceId": MI.id}))
    assert response["status"] == "SUCCESS"
    assert response.get("resourceModels", []) == []


@pytest.mark.parametrize("props", [{}, None, {"Username": "agent1"}])
def test_list_requires_instance_id(stub, invoke, props) -> None:
    response = invoke(event("LIST", props))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert "InstanceId" in response["message"]
    assert stub.operations == []


@pytest.mark.parametrize("service_code", sorted(CONNECT_ERRORS))
def test_list_errors(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.error(
        "ListUsers",
        service_code,
        {"InstanceId": MI.id, "MaxResults": 1000},
        status=expected.status,
    )
    response = invoke(event("LIST", {"InstanceId": MI.id}))
    if expected.code == "NotFound":
        assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
        assert response["message"].startswith("InstanceId names something that does not exist")
    else:
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)

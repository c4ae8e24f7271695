"""UPDATE through the production entrypoint: only the writes the live state needs."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest.mock import ANY

import pytest

from aws_connect_user import connect
from aws_connect_user.connect import Connect
from aws_connect_user.outcomes import MISSING_REFERENCE_WINDOW_SECONDS

from ..testdata import CONNECT_ERRORS, OTHER_PASSWORD, PASSWORD
from .support import EXISTING_DIRECTORY as DI
from .support import MARKER_KEY, MI, USER_ID, event, live_user, properties, user_arn
from .support import SAML as SI

IDS = {"InstanceId": MI.id, "UserId": USER_ID}
ARN = user_arn()
# The valid user's live phone plus a setting the type does not model (set in the console).
PERSISTENT_PHONE = {**live_user()["PhoneConfig"], "PersistentConnection": True}


@pytest.fixture(autouse=True)
def warm_container(stub) -> None:
    """A warm container already knows the instance's identity type (it is cached): tests of
    the update diff see only the update's own calls. Cold-container and directory cases below
    ask for it explicitly."""
    stub.describe_instance()
    Connect(stub.client).identity_management_type(MI.id)
    stub.operations.clear()


def test_a_cold_container_asks_the_instance_type_only_for_an_identity_change(stub, invoke) -> None:
    connect.forget_cached_state()
    stub.describe_user(live_user())
    assert update(invoke, desired())["status"] == "SUCCESS"
    assert stub.operations == ["DescribeUser"]
    stub.describe_user(live_user())
    stub.describe_instance()
    stub.ok(
        "UpdateUserIdentityInfo", {**IDS, "IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"}}
    )
    names = {"FirstName": "Ada", "LastName": "Byron"}
    assert update(invoke, desired(IdentityInfo=names))["status"] == "SUCCESS"
    assert stub.operations[1:] == ["DescribeUser", "DescribeInstance", "UpdateUserIdentityInfo"]


DIRECTORY_IDS = {"InstanceId": DI.id, "UserId": USER_ID}
DIRECTORY_LIVE = {"FirstName": "Dir", "LastName": "Owned", "Email": "dir@example.com"}


def directory_update(
    stub, invoke, identity: dict[str, str] | None, expected_identity: dict[str, str] | None = None
) -> dict[str, Any]:
    connect.forget_cached_state()
    stub.describe_user(live_user(DI, IdentityInfo=DIRECTORY_LIVE), instance=DI)
    stub.describe_instance(DI)
    if expected_identity is not None:
        stub.ok("UpdateUserIdentityInfo", {**DIRECTORY_IDS, "IdentityInfo": expected_identity})
    props = properties(DI, UserArn=user_arn(DI), UserId=USER_ID, IdentityInfo=identity)
    return update(invoke, props, properties(DI, UserArn=user_arn(DI), UserId=USER_ID))


def test_a_directory_user_without_identity_info_is_updated_without_touching_it(
    stub, invoke
) -> None:
    """EXISTING_DIRECTORY: the directory owns the names and email. A template that leaves
    IdentityInfo out neither needs the names nor overwrites them."""
    response = directory_update(stub, invoke, None)
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser", "DescribeInstance"]


def test_a_directory_user_gets_only_the_identity_fields_the_template_sets(stub, invoke) -> None:
    expected = {**DIRECTORY_LIVE, "Mobile": "+12065550100"}
    response = directory_update(stub, invoke, {"Mobile": "+12065550100"}, expected)
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser", "DescribeInstance", "UpdateUserIdentityInfo"]


def test_a_directory_user_whose_declared_fields_match_gets_no_write(stub, invoke) -> None:
    response = directory_update(stub, invoke, {"Email": "dir@example.com"})
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser", "DescribeInstance"]


def desired(**overrides: Any) -> dict[str, Any]:
    """The desired state CloudFormation sends for an update: the template plus identifiers."""
    return properties(UserArn=ARN, UserId=USER_ID, **overrides)


def previous(**overrides: Any) -> dict[str, Any]:
    return properties(UserArn=ARN, UserId=USER_ID, **overrides)


def update(invoke, props, prev=None, **kwargs: Any) -> dict[str, Any]:
    return invoke(event("UPDATE", props, previous=prev or previous(), **kwargs))


def test_no_change_is_only_describe_user(stub, invoke) -> None:
    stub.describe_user(live_user(tags={MARKER_KEY: "t"}))
    response = update(invoke, desired())
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser"]
    model = response["resourceModel"]
    assert (model["UserArn"], model["UserId"]) == (ARN, USER_ID)
    assert "Password" not in model


def test_every_group_changed(stub, invoke) -> None:
    stub.describe_user(live_user(tags={"drop": "x", "keep": "1", MARKER_KEY: "t"}))
    stub.ok(
        "UpdateUserIdentityInfo", {**IDS, "IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"}}
    )
    stub.ok(
        "UpdateUserPhoneConfig",
        {
            **IDS,
            "PhoneConfig": {
                "PhoneType": "DESK_PHONE",
                "AutoAccept": True,
                "AfterContactWorkTimeLimit": 0,
                "DeskPhoneNumber": "+12065550100",
            },
        },
    )
    stub.ok("UpdateUserRoutingProfile", {**IDS, "RoutingProfileId": MI.child_id("routing", 2)})
    stub.ok(
        "UpdateUserSecurityProfiles",
        {
            **IDS,
            "SecurityProfileIds": sorted([MI.child_id("security", 2), MI.child_id("security", 3)]),
        },
    )
    stub.ok("UpdateUserHierarchy", {**IDS, "HierarchyGroupId": MI.child_id("hierarchy", 1)})
    stub.ok("UntagResource", {"resourceArn": ARN, "tagKeys": ["drop"]})
    stub.ok("TagResource", {"resourceArn": ARN, "tags": {"team": "blue", "cost": "7"}})
    props = desired(
        IdentityInfo={"FirstName": "Ada", "LastName": "Byron"},
        PhoneConfig={
            "PhoneType": "DESK_PHONE",
            "AutoAccept": "true",
            "DeskPhoneNumber": "+12065550100",
        },
        RoutingProfileId=MI.child_id("routing", 2),
        SecurityProfileIds=[MI.child_arn("security", 3), MI.child_id("security", 2)],
        HierarchyGroupId=MI.child_arn("hierarchy", 1),
        Tags=[{"Key": "keep", "Value": "1"}, {"Key": "team", "Value": "blue"}],
    )
    response = update(invoke, props, stack_tags={"cost": "7", "aws:cloudformation:stack-id": "x"})
    assert response["status"] == "SUCCESS", response
    assert response["resourceModel"]["HierarchyGroupId"] == MI.child_arn("hierarchy", 1)


@pytest.mark.parametrize(
    ("overrides", "live", "operation", "params"),
    [
        (
            {"IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"}},
            {},
            "UpdateUserIdentityInfo",
            {"IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"}},
        ),
        (
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": "0"}},
            {},
            "UpdateUserPhoneConfig",
            {
                "PhoneConfig": {
                    "PhoneType": "SOFT_PHONE",
                    "AutoAccept": False,
                    "AfterContactWorkTimeLimit": 0,
                }
            },
        ),
        (
            {"RoutingProfileId": MI.child_arn("routing", 3)},
            {},
            "UpdateUserRoutingProfile",
            {"RoutingProfileId": MI.child_id("routing", 3)},
        ),
        (
            {"SecurityProfileIds": [MI.child_id("security", 4)]},
            {},
            "UpdateUserSecurityProfiles",
            {"SecurityProfileIds": [MI.child_id("security", 4)]},
        ),
        ({}, {"HierarchyGroupId": MI.child_id("hierarchy", 2)}, "UpdateUserHierarchy", {}),
    ],
    ids=["identity", "phone", "routing", "security", "hierarchy-removed"],
)
def test_one_group_changed_is_exactly_its_call(
    stub, invoke, overrides, live, operation, params
) -> None:
    stub.describe_user(live_user(**live))
    stub.ok(operation, {**IDS, **params})
    assert update(invoke, desired(**overrides))["status"] == "SUCCESS"
    assert stub.operations == ["DescribeUser", operation]


def test_reordered_or_arn_form_profiles_need_no_call(stub, invoke) -> None:
    stub.describe_user(
        live_user(SecurityProfileIds=[MI.child_id("security", 1), MI.child_id("security", 2)])
    )
    props = desired(SecurityProfileIds=[MI.child_arn("security", 2), MI.child_id("security", 1)])
    assert update(invoke, props)["status"] == "SUCCESS"
    assert stub.operations == ["DescribeUser"]


def test_stack_tag_changes_reach_the_user(stub, invoke) -> None:
    stub.describe_user(live_user(tags={"cost": "1", "team": "res"}))
    stub.ok("UntagResource", {"resourceArn": ARN, "tagKeys": ["cost"]})
    stub.ok("TagResource", {"resourceArn": ARN, "tags": {"owner": "ops"}})
    response = update(
        invoke,
        desired(Tags=[{"Key": "team", "Value": "res"}]),
        stack_tags={"owner": "ops", "team": "stack"},
        previous_stack_tags={"cost": "1"},
    )
    assert response["status"] == "SUCCESS", response


def test_identifier_from_previous_state_when_desired_lacks_it(stub, invoke) -> None:
    stub.describe_user(live_user())
    assert update(invoke, properties())["status"] == "SUCCESS"


def test_no_identifier_at_all_is_not_found(stub, invoke) -> None:
    response = invoke(event("UPDATE", properties(), previous=properties()))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert stub.operations == []


def test_a_deleted_user_is_not_found(stub, invoke) -> None:
    stub.error("DescribeUser", "ResourceNotFoundException", IDS, status=404)
    response = update(invoke, desired())
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")


# --- refused before any write ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "prev", "live", "named"),
    [
        (desired(Username="agent2"), previous(Username="agent2"), {}, "Username"),
        (desired(InstanceId=SI.id), previous(), {}, "InstanceId"),
        (
            desired(DirectoryUserId="dir-2"),
            previous(DirectoryUserId="dir-1"),
            {"DirectoryUserId": "dir-1"},
            "DirectoryUserId",
        ),
    ],
    ids=["username", "instance", "directory-user-id"],
)
def test_not_updatable(stub, invoke, props, prev, live, named) -> None:
    stub.describe_user(live_user(**live))
    response = update(invoke, props, prev)
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotUpdatable")
    assert response["message"].startswith(f"{named}: cannot change")
    assert stub.operations == ["DescribeUser"]
    assert OTHER_PASSWORD not in str(response) and PASSWORD not in str(response)


def test_a_phone_change_keeps_live_phone_settings_the_type_does_not_model(stub, invoke) -> None:
    """UpdateUserPhoneConfig replaces the whole structure: carry over what the type does not
    manage (PersistentConnection set in the console), or the change would switch it off."""
    stub.describe_user(live_user(PhoneConfig=PERSISTENT_PHONE))
    expected = {**PERSISTENT_PHONE, "AfterContactWorkTimeLimit": 60}
    stub.ok("UpdateUserPhoneConfig", {**IDS, "PhoneConfig": expected})
    phone = {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 60}
    response = update(invoke, desired(PhoneConfig=phone))
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser", "UpdateUserPhoneConfig"]


@pytest.mark.parametrize("direction", ["forward", "rollback"])
def test_a_password_change_succeeds_without_a_call_and_warns(
    stub, invoke, caplog, direction
) -> None:
    """The template's Password is an initial one: a change is reported, not applied, and
    never refused, so the update's rollback (old as desired, new as previous) succeeds too."""
    new, old = desired(Password=OTHER_PASSWORD), previous()
    props, prev = (new, old) if direction == "forward" else (old, new)
    stub.describe_user(live_user())
    with caplog.at_level("DEBUG"):
        response = update(invoke, props, prev)
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser"]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "Password changed" in warnings[0] and "not applied" in warnings[0]
    text = str(response) + caplog.text
    assert OTHER_PASSWORD not in text and PASSWORD not in text


def test_an_unchanged_password_logs_no_warning(stub, invoke, caplog) -> None:
    stub.describe_user(live_user())
    with caplog.at_level("WARNING"):
        response = update(invoke, desired(), previous())
    assert response["status"] == "SUCCESS", response
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"IdentityInfo": {"Email": "ada@example.com"}}, "IdentityInfo/FirstName"),
        ({"PhoneConfig": {"PhoneType": "DESK_PHONE"}}, "PhoneConfig/DeskPhoneNumber"),
        ({"RoutingProfileId": SI.child_arn("routing", 1)}, "RoutingProfileId"),
        ({"Tags": [{"Key": MARKER_KEY, "Value": "x"}]}, "Tags"),
    ],
)
def test_update_rules_refuse_before_any_write(stub, invoke, overrides, named) -> None:
    stub.describe_user(live_user())
    response = update(invoke, desired(**overrides))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].startswith(f"{named}: ")
    assert stub.operations == ["DescribeUser"]


def test_schema_violation_is_refused_before_any_write(stub, invoke) -> None:
    stub.describe_user(live_user())  # the live user decides which names stay required
    response = update(invoke, desired(SecurityProfileIds=[], IdentityInfo={"Email": "a@b.co"}))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].split("; ") == [
        "IdentityInfo/FirstName: is required because the user has a first and last name",
        "IdentityInfo/LastName: is required because the user has a first and last name",
        "SecurityProfileIds: must be 1 to 10 security profiles, each listed once",
    ]
    assert stub.operations == ["DescribeUser"]


# --- partial failures -------------------------------------------------------------------------

IDENTITY = {**IDS, "IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"}}
PHONE = {
    **IDS,
    "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": True, "AfterContactWorkTimeLimit": 30},
}
CHANGED = {
    "IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"},
    "PhoneConfig": {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": "true",
        "AfterContactWorkTimeLimit": "30",
    },
}


def test_transient_failure_mid_update_resumes_where_it_stopped(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.ok("UpdateUserIdentityInfo", IDENTITY)
    stub.error("UpdateUserPhoneConfig", "ThrottlingException", PHONE, status=429)
    first = update(invoke, desired(**CHANGED))
    assert first["status"] == "IN_PROGRESS", first
    # a write took effect: the count of callbacks without progress starts again
    assert first["callbackContext"] == {"retries": 1, "callbacks": 1, "giveUpAt": ANY}
    assert "Password" not in first["resourceModel"]
    # the callback sees the identity already changed: only the phone is left
    stub.describe_user(live_user(IdentityInfo={"FirstName": "Ada", "LastName": "Byron"}))
    stub.ok("UpdateUserPhoneConfig", PHONE)
    second = invoke(
        event(
            "UPDATE",
            first["resourceModel"],
            previous=previous(),
            callback_context=first["callbackContext"],
        )
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations == [
        "DescribeUser",
        "UpdateUserIdentityInfo",
        "UpdateUserPhoneConfig",
        "DescribeUser",
        "UpdateUserPhoneConfig",
    ]


def test_permanent_failure_mid_update_fails(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.ok("UpdateUserIdentityInfo", IDENTITY)
    stub.error("UpdateUserPhoneConfig", "InvalidParameterException", PHONE, message="bad phone")
    response = update(invoke, desired(**CHANGED))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert (
        response["message"] == "UpdateUserPhoneConfig failed: InvalidParameterException: bad phone"
    )


def test_callback_budget_spent_without_progress_fails(stub, invoke) -> None:
    # the identity change landed earlier; the phone keeps failing: no progress is made
    stub.describe_user(live_user(IdentityInfo={"FirstName": "Ada", "LastName": "Byron"}))
    stub.error("UpdateUserPhoneConfig", "InternalServiceException", PHONE, status=500)
    context = {"retries": 30, "callbacks": 30, "giveUpAt": int(time.time())}
    response = update(invoke, desired(**CHANGED), callback_context=context)
    assert (response["status"], response["errorCode"]) == ("FAILED", "ServiceInternalError")


def test_an_update_making_progress_is_called_back_again(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.ok("UpdateUserIdentityInfo", IDENTITY)
    stub.error("UpdateUserPhoneConfig", "InternalServiceException", PHONE, status=500)
    give_up = int(time.time()) + 3600
    context = {"retries": 30, "callbacks": 30, "giveUpAt": give_up}
    response = update(invoke, desired(**CHANGED), callback_context=context)
    assert response["status"] == "IN_PROGRESS", response
    assert response["callbackContext"] == {"retries": 1, "callbacks": 31, "giveUpAt": give_up}


@pytest.mark.parametrize(
    ("operation", "overrides", "params", "named"),
    [
        (
            "UpdateUserRoutingProfile",
            {"RoutingProfileId": MI.child_id("routing", 9)},
            {"RoutingProfileId": MI.child_id("routing", 9)},
            "RoutingProfileId",
        ),
        (
            "UpdateUserSecurityProfiles",
            {"SecurityProfileIds": [MI.child_id("security", 9)]},
            {"SecurityProfileIds": [MI.child_id("security", 9)]},
            "SecurityProfileIds",
        ),
        (
            "UpdateUserHierarchy",
            {"HierarchyGroupId": MI.child_id("hierarchy", 9)},
            {"HierarchyGroupId": MI.child_id("hierarchy", 9)},
            "HierarchyGroupId",
        ),
    ],
)
def test_a_missing_reference_is_invalid_request_naming_it(
    stub, invoke, operation, overrides, params, named
) -> None:
    """Retried for MISSING_REFERENCE_WINDOW_SECONDS (a profile created a moment ago may not
    be visible yet), then InvalidRequest naming the property, the value and the wait."""
    stub.describe_user(live_user())
    stub.error(operation, "ResourceNotFoundException", {**IDS, **params}, status=404)
    first = update(invoke, desired(**overrides))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"]["window"] == "missingReference"
    assert first["message"].startswith(f"{named} names something that does not exist")
    started = int(time.time()) - int(MISSING_REFERENCE_WINDOW_SECONDS)
    context = {**first["callbackContext"], "windowStart": started}
    stub.describe_user(live_user())
    stub.error(operation, "ResourceNotFoundException", {**IDS, **params}, status=404)
    last = update(invoke, desired(**overrides), callback_context=context)
    assert (last["status"], last["errorCode"]) == ("FAILED", "InvalidRequest")
    value = next(iter(params.values()))
    value = value[0] if isinstance(value, list) else value
    assert last["message"].startswith(f"{named} names something that does not exist: {value}")
    waited = re.search(r"Still so after (\d+) s of retrying", last["message"])
    assert waited is not None and int(waited.group(1)) >= MISSING_REFERENCE_WINDOW_SECONDS


# Each write an update can make: (desired overrides, live overrides, its parameters, what a
# ResourceNotFoundException from it is about: the user, or the reference it names).
WRITES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], str | None]] = {
    "UpdateUserIdentityInfo": ({"IdentityInfo": CHANGED["IdentityInfo"]}, {}, IDENTITY, None),
    "UpdateUserPhoneConfig": ({"PhoneConfig": CHANGED["PhoneConfig"]}, {}, PHONE, None),
    "UpdateUserRoutingProfile": (
        {"RoutingProfileId": MI.child_id("routing", 2)},
        {},
        {**IDS, "RoutingProfileId": MI.child_id("routing", 2)},
        "RoutingProfileId",
    ),
    "UpdateUserSecurityProfiles": (
        {"SecurityProfileIds": [MI.child_id("security", 2)]},
        {},
        {**IDS, "SecurityProfileIds": [MI.child_id("security", 2)]},
        "SecurityProfileIds",
    ),
    "UpdateUserHierarchy": (
        {"HierarchyGroupId": MI.child_id("hierarchy", 2)},
        {},
        {**IDS, "HierarchyGroupId": MI.child_id("hierarchy", 2)},
        "HierarchyGroupId",
    ),
    "TagResource": (
        {"Tags": [{"Key": "team", "Value": "blue"}]},
        {},
        {"resourceArn": ARN, "tags": {"team": "blue"}},
        None,
    ),
    "UntagResource": ({}, {"Tags": {"old": "1"}}, {"resourceArn": ARN, "tagKeys": ["old"]}, None),
}


@pytest.mark.parametrize("operation", sorted(WRITES))
@pytest.mark.parametrize("service_code", sorted(CONNECT_ERRORS))
def test_update_write_errors(stub, invoke, operation, service_code) -> None:
    overrides, live, params, about = WRITES[operation]
    expected = CONNECT_ERRORS[service_code]
    stub.describe_user(live_user(**live))
    stub.error(operation, service_code, params, status=expected.status, message="stubbed")
    response = update(invoke, desired(**overrides))
    assert stub.operations == ["DescribeUser", operation]
    if expected.transient:
        assert response["status"] == "IN_PROGRESS"
        assert response["callbackContext"] == {"retries": 1, "callbacks": 1, "giveUpAt": ANY}
        assert "Password" not in response["resourceModel"]
    elif expected.code == "NotFound" and about is not None:  # retried for the window
        assert response["status"] == "IN_PROGRESS", response
        assert response["callbackContext"]["window"] == "missingReference"
        assert response["message"].startswith(f"{about} names something that does not exist")
    elif expected.code == "NotFound":  # the user DescribeUser just showed: a write path behind
        assert response["status"] == "IN_PROGRESS", response
        assert response["callbackContext"] == {"retries": 1, "callbacks": 1, "giveUpAt": ANY}
        assert "Connect has not caught up" in response["message"]
    else:
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)
        assert response["message"] == f"{operation} failed: {service_code}: stubbed"


@pytest.mark.parametrize("service_code", sorted(CONNECT_ERRORS))
def test_describe_user_errors_during_update(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.error("DescribeUser", service_code, IDS, status=expected.status)
    response = update(invoke, desired())
    if expected.transient:
        assert response["status"] == "IN_PROGRESS"
    else:
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)


def test_unmodelled_phone_field_is_no_change(stub, invoke) -> None:
    stub.describe_user(live_user(PhoneConfig=PERSISTENT_PHONE))
    response = update(invoke, desired())
    unexpected = list(stub.stubber.failures)
    stub.stubber.failures.clear()  # reported here, not again at teardown
    assert not unexpected
    assert response["status"] == "SUCCESS"
    assert stub.operations == ["DescribeUser"]


def test_more_than_fifty_tags_is_refused_before_any_write(stub, invoke) -> None:
    stub.describe_user(live_user())
    tags = [{"Key": f"k{i:02d}", "Value": "v"} for i in range(45)]
    response = update(invoke, desired(Tags=tags), stack_tags={f"s{i}": "v" for i in range(6)})
    unexpected = list(stub.stubber.failures)
    stub.stubber.failures.clear()  # reported here, not again at teardown
    assert (response["status"], response.get("errorCode")) == ("FAILED", "InvalidRequest")
    assert not unexpected
    assert stub.operations == ["DescribeUser"]


def test_not_found_names_the_user_when_only_previous_state_has_it(stub, invoke) -> None:
    stub.error("DescribeUser", "ResourceNotFoundException", IDS, status=404)
    response = update(invoke, properties())
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotFound")
    assert ARN in response["message"]

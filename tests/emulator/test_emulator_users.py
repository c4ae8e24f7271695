"""User lifecycle over HTTP with a stock boto3 client, and the identity-management rules."""

from __future__ import annotations

import unicodedata
import uuid

import pytest

from connect_emulator.seed import CONNECT_MANAGED, EXISTING_DIRECTORY, SAML

from ..testdata import PASSWORD


def _code(error: pytest.ExceptionInfo[Exception]) -> str:
    return error.value.response["Error"]["Code"]  # type: ignore[attr-defined]


def test_create_describe_delete_round_trip(connect_client, make_user_params):
    created = connect_client.create_user(**make_user_params(Tags={"team": "blue"}))
    user = connect_client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=created["UserId"])[
        "User"
    ]
    assert created["UserArn"] == f"{CONNECT_MANAGED.arn}/agent/{created['UserId']}"
    assert user["Id"] == created["UserId"]
    assert user["Arn"] == created["UserArn"]
    assert user["Username"] == "agent1"
    assert user["IdentityInfo"] == {"FirstName": "Ada", "LastName": "Lovelace"}
    assert user["PhoneConfig"] == {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": False,
        "AfterContactWorkTimeLimit": 0,
        "DeskPhoneNumber": "",  # a soft phone's, as the AWS CLI's describe-user example shows
    }
    assert uuid.UUID(user["DirectoryUserId"])  # Connect reports one for every user
    assert user["SecurityProfileIds"] == [CONNECT_MANAGED.child_id("security", 1)]
    assert user["RoutingProfileId"] == CONNECT_MANAGED.child_id("routing", 1)
    assert user["Tags"] == {"team": "blue"}
    assert user["LastModifiedRegion"] == "us-east-1"
    assert "LastModifiedTime" in user
    assert "HierarchyGroupId" not in user

    connect_client.delete_user(InstanceId=CONNECT_MANAGED.id, UserId=created["UserId"])
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=created["UserId"])
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.delete_user(InstanceId=CONNECT_MANAGED.id, UserId=created["UserId"])


def test_user_ids_are_deterministic_across_resets(emulator, connect_client, make_user_params):
    first = connect_client.create_user(**make_user_params())["UserId"]
    emulator.reset()
    again = connect_client.create_user(**make_user_params())["UserId"]
    assert first == again


def test_instance_arn_and_profile_arns_are_accepted(connect_client, make_user_params):
    params = make_user_params(
        InstanceId=CONNECT_MANAGED.arn,
        SecurityProfileIds=[CONNECT_MANAGED.child_arn("security", 2)],
        RoutingProfileId=CONNECT_MANAGED.child_arn("routing", 3),
        HierarchyGroupId=CONNECT_MANAGED.child_arn("hierarchy", 2),
    )
    user_id = connect_client.create_user(**params)["UserId"]
    user = connect_client.describe_user(InstanceId=CONNECT_MANAGED.arn, UserId=user_id)["User"]
    assert user["SecurityProfileIds"] == [CONNECT_MANAGED.child_id("security", 2)]
    assert user["RoutingProfileId"] == CONNECT_MANAGED.child_id("routing", 3)
    assert user["HierarchyGroupId"] == CONNECT_MANAGED.child_id("hierarchy", 2)


@pytest.mark.parametrize(
    "override",
    [
        {"InstanceId": "99999999-9999-4999-8999-999999999999"},
        {"InstanceId": SAML.arn.replace("us-east-1", "eu-west-1")},
        {"SecurityProfileIds": ["aaaaaaaa-0001-4000-8000-000000000099"]},
        {"SecurityProfileIds": [SAML.child_arn("security", 1)]},  # another instance's ARN
        {"RoutingProfileId": SAML.child_id("routing", 1)},  # another instance's ID
        {"RoutingProfileId": SAML.child_arn("routing", 1)},
        {"HierarchyGroupId": EXISTING_DIRECTORY.child_arn("hierarchy", 1)},
        {"HierarchyGroupId": "cccccccc-0001-4000-8000-000000000042"},
    ],
)
def test_missing_references_are_not_found(connect_client, make_user_params, override):
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException) as error:
        connect_client.create_user(**make_user_params(**override))
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_usernames_are_unique_per_instance(connect_client, make_user_params):
    connect_client.create_user(**make_user_params())
    with pytest.raises(connect_client.exceptions.DuplicateResourceException) as error:
        connect_client.create_user(**make_user_params())
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    # The same name in another instance is another user.
    connect_client.create_user(**make_user_params(EXISTING_DIRECTORY))


def test_user_limit_per_instance(start_emulator, make_user_params):
    _, client = start_emulator(user_limit=2)
    client.create_user(**make_user_params(Username="u1"))
    client.create_user(**make_user_params(Username="u2"))
    with pytest.raises(client.exceptions.LimitExceededException) as error:
        client.create_user(**make_user_params(Username="u3"))
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429


def test_update_operations_change_the_user(connect_client, make_user_params):
    user_id = connect_client.create_user(
        **make_user_params(HierarchyGroupId=CONNECT_MANAGED.child_id("hierarchy", 1))
    )["UserId"]
    ids = {"InstanceId": CONNECT_MANAGED.id, "UserId": user_id}
    before = connect_client.describe_user(**ids)["User"]["LastModifiedTime"]

    connect_client.update_user_identity_info(
        IdentityInfo={"FirstName": "Grace", "LastName": "Hopper", "Email": "grace@example.com"},
        **ids,
    )
    connect_client.update_user_phone_config(
        PhoneConfig={
            "PhoneType": "DESK_PHONE",
            "DeskPhoneNumber": "+14155550100",
            "AutoAccept": True,
            "AfterContactWorkTimeLimit": 30,
        },
        **ids,
    )
    connect_client.update_user_routing_profile(
        RoutingProfileId=CONNECT_MANAGED.child_arn("routing", 2), **ids
    )
    connect_client.update_user_security_profiles(
        SecurityProfileIds=[
            CONNECT_MANAGED.child_id("security", 3),
            CONNECT_MANAGED.child_arn("security", 4),
        ],
        **ids,
    )
    connect_client.update_user_hierarchy(
        HierarchyGroupId=CONNECT_MANAGED.child_id("hierarchy", 3), **ids
    )
    user = connect_client.describe_user(**ids)["User"]
    assert user["IdentityInfo"] == {
        "FirstName": "Grace",
        "LastName": "Hopper",
        "Email": "grace@example.com",
    }
    assert user["PhoneConfig"] == {
        "PhoneType": "DESK_PHONE",
        "DeskPhoneNumber": "+14155550100",
        "AutoAccept": True,
        "AfterContactWorkTimeLimit": 30,
    }
    assert user["RoutingProfileId"] == CONNECT_MANAGED.child_id("routing", 2)
    assert user["SecurityProfileIds"] == [
        CONNECT_MANAGED.child_id("security", 3),
        CONNECT_MANAGED.child_id("security", 4),
    ]
    assert user["HierarchyGroupId"] == CONNECT_MANAGED.child_id("hierarchy", 3)
    assert user["LastModifiedTime"] >= before

    connect_client.update_user_hierarchy(**ids)  # no HierarchyGroupId: the group is removed
    assert "HierarchyGroupId" not in connect_client.describe_user(**ids)["User"]


@pytest.mark.parametrize(
    ("operation", "extra"),
    [
        ("update_user_identity_info", {"IdentityInfo": {"FirstName": "A", "LastName": "B"}}),
        ("update_user_phone_config", {"PhoneConfig": {"PhoneType": "SOFT_PHONE"}}),
        (
            "update_user_routing_profile",
            {"RoutingProfileId": CONNECT_MANAGED.child_id("routing", 1)},
        ),
        (
            "update_user_security_profiles",
            {"SecurityProfileIds": [CONNECT_MANAGED.child_id("security", 1)]},
        ),
        ("update_user_hierarchy", {}),
    ],
)
def test_updates_of_a_missing_user_are_not_found(connect_client, operation, extra):
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        getattr(connect_client, operation)(
            InstanceId=CONNECT_MANAGED.id, UserId="00000000-0000-4000-8000-000000000000", **extra
        )


def test_updates_reject_missing_references(connect_client, make_user_params):
    user_id = connect_client.create_user(**make_user_params())["UserId"]
    ids = {"InstanceId": CONNECT_MANAGED.id, "UserId": user_id}
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.update_user_routing_profile(
            RoutingProfileId=SAML.child_id("routing", 1), **ids
        )
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.update_user_security_profiles(SecurityProfileIds=["nope"], **ids)
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.update_user_hierarchy(HierarchyGroupId=SAML.child_arn("hierarchy", 1), **ids)


# --- identity-management rules, per instance type ------------------------------------------

NON_NFC = unicodedata.normalize("NFD", "José")


@pytest.mark.parametrize(
    ("instance", "override", "code"),
    [
        # CONNECT_MANAGED: Password, FirstName, LastName required; usernames up to 100 (the
        # default, observed reading: test_emulator_fidelity.py has the reference's 20).
        (CONNECT_MANAGED, {"Password": None}, "InvalidParameterException"),
        (CONNECT_MANAGED, {"IdentityInfo": {"LastName": "L"}}, "InvalidParameterException"),
        (CONNECT_MANAGED, {"IdentityInfo": {"FirstName": "F"}}, "InvalidParameterException"),
        (CONNECT_MANAGED, {"IdentityInfo": None}, "InvalidParameterException"),
        (CONNECT_MANAGED, {"Username": "u" * 101}, "InvalidParameterException"),
        (CONNECT_MANAGED, {"Password": "alllowercase1"}, "InvalidParameterException"),
        (CONNECT_MANAGED, {"Password": "Sh0rt"}, "InvalidParameterException"),
        # SAML: no Password, no DirectoryUserId, names required, 100 chars of [a-zA-Z0-9_.@-].
        (SAML, {"Password": PASSWORD}, "InvalidRequestException"),
        (SAML, {"DirectoryUserId": "dir-1"}, "InvalidRequestException"),
        (SAML, {"IdentityInfo": {"FirstName": "F"}}, "InvalidParameterException"),
        (SAML, {"Username": "a" * 101}, "InvalidParameterException"),
        (SAML, {"Username": "has space"}, "InvalidParameterException"),
        (SAML, {"Username": "käthe"}, "InvalidParameterException"),
        (
            SAML,
            {"IdentityInfo": {"FirstName": "F", "LastName": "L", "Email": "f@example.com"}},
            "InvalidRequestException",
        ),
        # EXISTING_DIRECTORY: no Password, usernames up to 100.
        (EXISTING_DIRECTORY, {"Password": PASSWORD}, "InvalidRequestException"),
        (EXISTING_DIRECTORY, {"Username": "d" * 101}, "InvalidParameterException"),
        # Everywhere: '@' only in an email-shaped username, NFC names, desk phones need numbers.
        (CONNECT_MANAGED, {"Username": "a@b"}, "InvalidParameterException"),
        (SAML, {"Username": "first@last"}, "InvalidParameterException"),
        (EXISTING_DIRECTORY, {"Username": "x@@y.com"}, "InvalidParameterException"),
        (
            CONNECT_MANAGED,
            {"IdentityInfo": {"FirstName": NON_NFC, "LastName": "L"}},
            "InvalidParameterException",
        ),
        (
            SAML,
            {"IdentityInfo": {"FirstName": "F", "LastName": NON_NFC}},
            "InvalidParameterException",
        ),
        (EXISTING_DIRECTORY, {"IdentityInfo": {"FirstName": NON_NFC}}, "InvalidParameterException"),
        (
            CONNECT_MANAGED,
            {"PhoneConfig": {"PhoneType": "DESK_PHONE"}},
            "InvalidParameterException",
        ),
        (SAML, {"PhoneConfig": {"PhoneType": "DESK_PHONE"}}, "InvalidParameterException"),
        (
            CONNECT_MANAGED,
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 2_000_001}},
            "InvalidParameterException",
        ),
        (
            CONNECT_MANAGED,
            {"IdentityInfo": {"FirstName": "F", "LastName": "L", "Email": "not-an-email"}},
            "InvalidParameterException",
        ),
    ],
)
def test_identity_rules_refuse(connect_client, make_user_params, instance, override, code):
    with pytest.raises(connect_client.exceptions.ClientError) as error:
        connect_client.create_user(**make_user_params(instance, **override))
    assert _code(error) == code
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    ("instance", "override"),
    [
        (CONNECT_MANAGED, {"Username": "u" * 20}),
        (CONNECT_MANAGED, {"Username": "ada@example.com"}),
        (CONNECT_MANAGED, {"IdentityInfo": {"FirstName": "José", "LastName": "Åström"}}),
        (SAML, {"Username": "a.b_c-d@example-corp.com"}),
        (SAML, {"Username": "s" * 64}),
        (EXISTING_DIRECTORY, {"IdentityInfo": None, "DirectoryUserId": "dir-42"}),
        (EXISTING_DIRECTORY, {"Username": "d" * 20}),
        (
            CONNECT_MANAGED,
            {"PhoneConfig": {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+442071234567"}},
        ),
        (
            CONNECT_MANAGED,
            {"IdentityInfo": {"FirstName": "A", "LastName": "B", "Mobile": "+14155550123"}},
        ),
    ],
)
def test_identity_rules_accept(connect_client, make_user_params, instance, override):
    params = make_user_params(instance, **override)
    user_id = connect_client.create_user(**params)["UserId"]
    user = connect_client.describe_user(InstanceId=instance.id, UserId=user_id)["User"]
    assert user["Username"] == params["Username"]
    if "DirectoryUserId" in params:
        assert user["DirectoryUserId"] == params["DirectoryUserId"]


def test_update_identity_info_applies_the_rules(connect_client, make_user_params):
    user_id = connect_client.create_user(**make_user_params(SAML))["UserId"]
    ids = {"InstanceId": SAML.id, "UserId": user_id}
    with pytest.raises(connect_client.exceptions.InvalidRequestException):
        connect_client.update_user_identity_info(
            IdentityInfo={"FirstName": "F", "LastName": "L", "Email": "f@example.com"}, **ids
        )
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.update_user_identity_info(
            IdentityInfo={"FirstName": NON_NFC, "LastName": "L"}, **ids
        )
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.update_user_phone_config(PhoneConfig={"PhoneType": "DESK_PHONE"}, **ids)


@pytest.mark.parametrize(
    ("policy", "with_email_ok", "without_email_ok"),
    [("reject", False, True), ("require", True, False), ("allow", True, True)],
)
def test_saml_email_policy_is_configurable(start_emulator, policy, with_email_ok, without_email_ok):
    _, client = start_emulator(saml_email=policy)
    base = {
        "InstanceId": SAML.id,
        "SecurityProfileIds": [SAML.child_id("security", 1)],
        "RoutingProfileId": SAML.child_id("routing", 1),
    }
    outcomes = []
    for number, identity in enumerate(
        [
            {"FirstName": "F", "LastName": "L", "Email": "f@example.com"},
            {"FirstName": "F", "LastName": "L"},
        ]
    ):
        try:
            client.create_user(Username=f"saml{number}", IdentityInfo=identity, **base)
            outcomes.append(True)
        except client.exceptions.ClientError:
            outcomes.append(False)
    assert outcomes == [with_email_ok, without_email_ok]

"""CREATE through the production entrypoint, every Connect request checked by the Stubber."""

from __future__ import annotations

import time
import unicodedata
from typing import Any
from unittest.mock import ANY

import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from ..testdata import CONNECT_ERRORS, PASSWORD, SAML_EMAIL_USERNAME, TERRAFORM_USERNAME
from .support import (
    BEARER,
    CREDENTIALS,
    MARKER_KEY,
    MI,
    USER_ID,
    create_params,
    create_token,
    created,
    event,
    properties,
    search_params,
    user_arn,
)
from .support import EXISTING_DIRECTORY as DI
from .support import SAML as SI


def test_create_connect_managed_user(stub, invoke) -> None:
    stub.describe_instance()
    stub.ok(
        "CreateUser",
        create_params(Tags={"team": "resource", "cost": "42", MARKER_KEY: create_token()}),
        created(),
    )
    stub.visible()
    props = properties(Tags=[{"Key": "team", "Value": "resource"}])
    stack_tags = {"team": "stack", "cost": "42", "aws:cloudformation:stack-name": "agents"}
    response = invoke(event("CREATE", props, stack_tags=stack_tags))
    assert response["status"] == "SUCCESS", response
    model = response["resourceModel"]
    assert model["UserId"] == USER_ID and model["UserArn"] == user_arn()
    assert "Password" not in model
    # references in the template's own form, scalars with their schema types
    assert model["InstanceId"] == MI.arn
    assert model["RoutingProfileId"] == MI.child_arn("routing", 1)
    assert model["PhoneConfig"] == {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": False,
        "AfterContactWorkTimeLimit": 30,
    }
    assert model["Tags"] == [{"Key": "team", "Value": "resource"}]
    # SUCCESS only once Connect shows the new user (issue 16)
    assert stub.operations == ["DescribeInstance", "CreateUser", "DescribeUser"]
    # the caller's credentials, not the provider's, reach Connect
    frozen = stub.sessions[0].session.get_credentials().get_frozen_credentials()
    assert frozen.access_key == CREDENTIALS["accessKeyId"]


def test_create_saml_user(stub, invoke) -> None:
    stub.describe_instance(SI)
    stub.ok("CreateUser", create_params(SI, Username="ada.lovelace@example.com"), created(SI))
    stub.visible(SI)
    response = invoke(event("CREATE", properties(SI, Username="ada.lovelace@example.com")))
    assert response["status"] == "SUCCESS", response
    assert response["resourceModel"]["UserArn"] == user_arn(SI)


def test_create_existing_directory_user_with_directory_id(stub, invoke) -> None:
    stub.describe_instance(DI)
    stub.ok(
        "CreateUser",
        create_params(
            DI,
            DirectoryUserId="dir-7",
            IdentityInfo=None,
            HierarchyGroupId=DI.child_id("hierarchy", 2),
        ),
        created(DI),
    )
    stub.visible(DI)
    props = properties(
        DI,
        DirectoryUserId="dir-7",
        IdentityInfo=None,
        HierarchyGroupId=DI.child_arn("hierarchy", 2),
    )
    response = invoke(event("CREATE", props))
    assert response["status"] == "SUCCESS", response
    assert response["resourceModel"]["HierarchyGroupId"] == DI.child_arn("hierarchy", 2)


def test_instance_type_is_cached_between_invocations(stub, invoke) -> None:
    stub.describe_instance()
    stub.ok("CreateUser", create_params(), created())
    stub.visible()
    stub.ok("CreateUser", create_params(Username="agent2"), created(user_id="u-2"))
    stub.visible(user_id="u-2")
    assert invoke(event("CREATE", properties()))["status"] == "SUCCESS"
    assert invoke(event("CREATE", properties(Username="agent2")))["status"] == "SUCCESS"
    assert stub.operations == [
        "DescribeInstance",
        "CreateUser",
        "DescribeUser",
        "CreateUser",
        "DescribeUser",
    ]


# --- rules: refused before any call (nothing is queued, so any call would fail the test) --

DECOMPOSED = unicodedata.normalize("NFD", "Zoé")


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"Username": "ada@example"}, "Username"),
        (
            {"IdentityInfo": {"FirstName": DECOMPOSED, "LastName": "Lovelace"}},
            "IdentityInfo/FirstName",
        ),
        ({"IdentityInfo": {"FirstName": "Ada", "LastName": DECOMPOSED}}, "IdentityInfo/LastName"),
        ({"PhoneConfig": {"PhoneType": "DESK_PHONE"}}, "PhoneConfig/DeskPhoneNumber"),
        ({"SecurityProfileIds": [SI.child_arn("security", 1)]}, "SecurityProfileIds"),
        ({"RoutingProfileId": SI.child_arn("routing", 1)}, "RoutingProfileId"),
        ({"HierarchyGroupId": SI.child_arn("hierarchy", 1)}, "HierarchyGroupId"),
        ({"Tags": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]}, "Tags"),
        ({"Tags": [{"Key": MARKER_KEY, "Value": "x"}]}, "Tags"),
    ],
)
def test_model_rules_refuse_before_any_write(stub, invoke, overrides, named) -> None:
    stub.describe_instance()  # read first: the instance's own rules join the same message
    response = invoke(event("CREATE", properties(**overrides)))
    assert response["status"] == "FAILED"
    assert response["errorCode"] == "InvalidRequest"
    assert response["message"].startswith(f"{named}: ")
    assert stub.operations == ["DescribeInstance"]


@pytest.mark.parametrize(
    ("instance", "overrides", "named"),
    [
        (MI, {"Password": None}, ["Password"]),
        (
            MI,
            {"IdentityInfo": {"Email": "ada@example.com"}},
            ["IdentityInfo/FirstName", "IdentityInfo/LastName"],
        ),
        (SI, {"Password": PASSWORD}, ["Password"]),
        (SI, {"DirectoryUserId": "dir-1"}, ["DirectoryUserId"]),
        (SI, {"IdentityInfo": None}, ["IdentityInfo/FirstName", "IdentityInfo/LastName"]),
        (DI, {"Password": PASSWORD}, ["Password"]),
    ],
)
def test_identity_type_rules_refuse_before_any_write(
    stub, invoke, instance, overrides, named
) -> None:
    stub.describe_instance(instance)
    response = invoke(event("CREATE", properties(instance, **overrides)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert [part.split(":")[0] for part in response["message"].split("; ")] == named
    assert stub.operations == ["DescribeInstance"]
    assert PASSWORD not in str(response)


USERNAME_WORDS = (
    "1 to 100 characters (the API's bound) of letters, digits and _ . @ -, with @ only in an "
    "email address such as ada@example.com"
)


@pytest.mark.parametrize(
    ("instance", "username"), [(MI, TERRAFORM_USERNAME), (DI, "d" * 21), (SI, SAML_EMAIL_USERNAME)]
)
def test_a_username_connect_refuses_names_username_with_connects_reason(
    stub, invoke, instance, username
) -> None:
    """No per-type bound before any write (issue 21): the instance's own limit, where it has
    one, is Connect's refusal, told as InvalidRequest about Username."""
    reason = "The username can include up to 20 characters for instances not using SAML."
    stub.describe_instance(instance)
    stub.error(
        "CreateUser",
        "InvalidParameterException",
        create_params(instance, Username=username),
        message=reason,
    )
    response = invoke(event("CREATE", properties(instance, Username=username)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"] == (
        f"Username: was refused by Connect: {reason} (CreateUser: InvalidParameterException)"
    )
    assert PASSWORD not in str(response)


def test_saml_allows_64_character_usernames(stub, invoke) -> None:
    name = "u" * 64
    stub.describe_instance(SI)
    stub.ok("CreateUser", create_params(SI, Username=name), created(SI))
    stub.visible(SI)
    assert invoke(event("CREATE", properties(SI, Username=name)))["status"] == "SUCCESS"


PASSWORD_RULE = (
    "Password: must be 8 to 64 characters without spaces, with at least one upper-case letter "
    "(A-Z), one lower-case letter (a-z) and one digit"
)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (properties(RoutingProfileId=None), "RoutingProfileId: is required"),
        (properties(Colour="red"), "Colour: is not a property of AWS::Connect::User"),
        (
            properties(HierarchyGroupId=None) | {"HierarchyGroupId": None},
            "HierarchyGroupId: must be a string, not null",
        ),
        (
            properties(PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": "maybe"}),
            "PhoneConfig/AutoAccept: must be true or false, not a string",
        ),
        (
            properties(
                PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": "2000001"}
            ),
            "PhoneConfig/AfterContactWorkTimeLimit: must be a whole number from 0 to 2,000,000",
        ),
        (
            properties(SecurityProfileIds="aaaaaaaa-0001-4000-8000-000000000001"),
            "SecurityProfileIds: must be a list, not a string",
        ),
        (
            properties(Tags=[{"Key": "aws:reserved", "Value": "x"}]),
            "Tags/0/Key: must be 1 to 128 characters, not starting with aws:, of letters, "
            "digits, spaces and _ . : / = + - @",
        ),
        (properties(Password="weak"), PASSWORD_RULE),
        (
            properties(RoutingProfileId=None, RoutingProfileID=MI.child_id("routing", 1)),
            "RoutingProfileID: is not a property of AWS::Connect::User "
            "(did you mean RoutingProfileId?)",
        ),
    ],
    ids=[
        "missing",
        "unknown-key",
        "null",
        "bad-bool",
        "too-big",
        "not-a-list",
        "aws-tag",
        "weak-password",
        "misspelt",
    ],
)
def test_schema_violations_are_invalid_request_before_any_write(
    stub, invoke, props, message
) -> None:
    stub.describe_instance()
    response = invoke(event("CREATE", props))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"] == message
    assert stub.operations == ["DescribeInstance"]


def test_every_violation_of_a_request_in_one_message(stub, invoke) -> None:
    """Schema, everywhere and instance rules together, in the schema's property order."""
    stub.describe_instance()
    props = properties(
        Username="u" * 101,
        Password="weak",
        IdentityInfo={"Email": "ada@example.com"},
        PhoneConfig={"PhoneType": "DESK_PHONE"},
        Colour="red",
    )
    response = invoke(event("CREATE", props))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].split("; ") == [
        f"Username: must be {USERNAME_WORDS}",
        PASSWORD_RULE,
        "IdentityInfo/FirstName: is required on a CONNECT_MANAGED instance",
        "IdentityInfo/LastName: is required on a CONNECT_MANAGED instance",
        "PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE",
        "Colour: is not a property of AWS::Connect::User",
    ]
    assert stub.operations == ["DescribeInstance"]


def test_an_invalid_instance_id_is_not_looked_up(stub, invoke) -> None:
    response = invoke(event("CREATE", properties(InstanceId="bad id!", Username="u" * 101)))
    assert response["message"] == (
        "InstanceId: must be an instance ID (1 to 100 letters, digits and hyphens) or its ARN, "
        f"arn:aws:connect:REGION:ACCOUNT:instance/ID; at most 250 characters; Username: must be "
        f"{USERNAME_WORDS}"
    )
    assert stub.operations == []


@pytest.mark.parametrize("prop", ["UserArn", "UserId"])
def test_a_read_only_property_is_refused_on_create(stub, invoke, prop) -> None:
    stub.describe_instance()
    response = invoke(event("CREATE", properties(MI, **{prop: f"{MI.arn}/agent/{USER_ID}"})))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"] == (
        f"{prop}: is read-only and cannot be set on create: Amazon Connect assigns it to the "
        "new user (read it with Fn::GetAtt)"
    )
    assert stub.operations == ["DescribeInstance"]


# --- tags -------------------------------------------------------------------------------------


def fifty(prefix: str, n: int) -> list[dict[str, str]]:
    return [{"Key": f"{prefix}{i:02d}", "Value": "v"} for i in range(n)]


def test_forty_nine_tags_leave_the_marker_its_slot(stub, invoke) -> None:
    tags = fifty("k", 49)
    stub.describe_instance()
    tagged = {t["Key"]: "v" for t in tags} | {MARKER_KEY: create_token()}
    stub.ok("CreateUser", create_params(Tags=tagged), created())
    stub.visible()
    assert invoke(event("CREATE", properties(Tags=tags)))["status"] == "SUCCESS"


def test_fifty_tags_on_create_are_refused_naming_the_reserved_slot(stub, invoke) -> None:
    """Exactly-once create needs its marker: no silent fallback that could orphan a user."""
    stub.describe_instance()
    response = invoke(event("CREATE", properties(Tags=fifty("k", 50))))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].startswith(
        "Tags: resource and stack tags together may be at most 49"
    )
    assert "reserves one" in response["message"]
    assert stub.operations == ["DescribeInstance"]


def test_more_than_fifty_tags_with_the_stack_is_refused_before_create(stub, invoke) -> None:
    stub.describe_instance()
    response = invoke(
        event(
            "CREATE", properties(Tags=fifty("k", 40)), stack_tags={f"s{i}": "v" for i in range(11)}
        )
    )
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert "Tags" in response["message"]
    assert stub.operations == ["DescribeInstance"]


# --- a lost CreateUser response and duplicates --------------------------------------------------

SEARCH = search_params()


def search_result(tags: dict[str, str], username: str = "agent1") -> dict[str, Any]:
    return {
        "Users": [{"Id": USER_ID, "Arn": user_arn(), "Username": username, "Tags": tags}],
        "ApproximateTotalCount": 1,
    }


def test_duplicate_carrying_our_marker_is_our_user(stub, invoke) -> None:
    stub.describe_instance()
    stub.error("CreateUser", "DuplicateResourceException", create_params(), status=409)
    stub.ok("SearchUsers", SEARCH, search_result({MARKER_KEY: create_token()}))
    stub.visible()
    response = invoke(event("CREATE", properties()))
    assert response["status"] == "SUCCESS", response
    assert response["resourceModel"]["UserArn"] == user_arn()


@pytest.mark.parametrize(
    "found",
    [
        search_result({MARKER_KEY: create_token(bearer="another-request")}),
        search_result({}),
        search_result({MARKER_KEY: create_token()}, username="agent10"),
        {"Users": []},
    ],
    ids=["other-token", "no-marker", "other-username", "none"],
)
def test_duplicate_without_our_marker_already_exists(stub, invoke, found) -> None:
    stub.describe_instance()
    stub.error("CreateUser", "DuplicateResourceException", create_params(), status=409)
    stub.ok("SearchUsers", SEARCH, found)
    response = invoke(event("CREATE", properties()))
    assert (response["status"], response["errorCode"]) == ("FAILED", "AlreadyExists")
    assert response["message"].startswith(
        f"Username: a user named agent1 already exists in instance {MI.id}"
    )
    assert "keep that property as first written or change Username" in response["message"]


def test_network_failure_then_callback_recognises_the_created_user(stub, invoke) -> None:
    stub.describe_instance()
    stub.raise_on(
        "CreateUser", ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com")
    )
    first = invoke(event("CREATE", properties()))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "createSent": True,
    }
    assert first["callbackDelaySeconds"] >= 1
    # CloudFormation calls back with the model it was given (Password included) and the context.
    assert first["resourceModel"]["Password"] == PASSWORD
    # CreateUser may have landed: the callback looks for its own user before sending it again.
    stub.ok("SearchUsers", SEARCH, search_result({MARKER_KEY: create_token()}))
    stub.visible()
    second = invoke(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert "Password" not in second["resourceModel"]


def test_callback_after_a_lost_create_sends_it_again_when_it_did_not_land(stub, invoke) -> None:
    stub.describe_instance()
    stub.raise_on(
        "CreateUser", ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com")
    )
    first = invoke(event("CREATE", properties()))
    stub.ok("SearchUsers", SEARCH, {"Users": []})
    stub.ok("CreateUser", create_params(), {"UserId": "u-1", "UserArn": user_arn(user_id="u-1")})
    stub.visible(user_id="u-1")
    second = invoke(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations[-3:] == ["SearchUsers", "CreateUser", "DescribeUser"]


def test_search_failure_during_recovery_follows_the_policy(stub, invoke) -> None:
    stub.describe_instance()
    stub.error("CreateUser", "DuplicateResourceException", create_params(), status=409)
    stub.error("SearchUsers", "ThrottlingException", SEARCH, status=429)
    response = invoke(event("CREATE", properties()))
    assert response["status"] == "IN_PROGRESS"


# --- the error table ----------------------------------------------------------------------------

CREATE_ROWS = sorted(set(CONNECT_ERRORS) - {"DuplicateResourceException"})


@pytest.mark.parametrize("service_code", CREATE_ROWS)
def test_create_user_errors(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.describe_instance()
    stub.error(
        "CreateUser", service_code, create_params(), status=expected.status, message="stubbed"
    )
    response = invoke(event("CREATE", properties()))
    if expected.transient:
        assert response["status"] == "IN_PROGRESS", response
        # only a lost answer (not a throttle) leaves it open whether the user was created
        assert response["callbackContext"] == {
            "retries": 1,
            "callbacks": 1,
            "giveUpAt": ANY,
            **({"createSent": True} if expected.outcome_unknown else {}),
        }
        assert response["resourceModel"]["Password"] == PASSWORD  # the documented exception
        assert "errorCode" not in response
    elif expected.code == "NotFound":  # a reference not found: perhaps not visible yet
        assert response["status"] == "IN_PROGRESS", response
        assert response["callbackContext"] == {
            "retries": 1,
            "callbacks": 1,
            "giveUpAt": ANY,
            "windowStart": ANY,
            "window": "missingReference",
        }
        assert response["resourceModel"]["Password"] == PASSWORD  # not created yet
        assert response["message"].startswith(
            "InstanceId, SecurityProfileIds, RoutingProfileId or HierarchyGroupId names"
        )
    else:
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)
        assert response["message"] == f"CreateUser failed: {service_code}: stubbed"
        assert "resourceModel" not in response


@pytest.mark.parametrize(
    ("service_code", "status"),
    [
        ("503", 503),  # a gateway's non-JSON answer: botocore reports the status as the code
        ("502", 502),
        ("SomethingNewException", 500),
        ("ServiceUnavailableException", 503),
        ("RequestTimeoutException", 408),
        ("RequestTimeout", 400),
    ],
)
def test_an_unknown_5xx_or_timeout_on_create_is_transient_with_an_unknown_outcome(
    stub, invoke, service_code, status
) -> None:
    """The user may exist: the callback must look for it before sending CreateUser again."""
    stub.describe_instance()
    stub.error("CreateUser", service_code, create_params(), status=status)
    first = invoke(event("CREATE", properties()))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "createSent": True,
    }
    stub.ok("SearchUsers", SEARCH, search_result({MARKER_KEY: create_token()}))
    stub.visible()
    second = invoke(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations[-3:] == ["CreateUser", "SearchUsers", "DescribeUser"]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"Username": "agent1\n"}, "Username"),
        ({"Password": PASSWORD + "\n"}, "Password"),
        (
            {"PhoneConfig": {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100\n"}},
            "PhoneConfig/DeskPhoneNumber",
        ),
        ({"IdentityInfo": {"FirstName": "Ada\t", "LastName": "L"}}, "IdentityInfo/FirstName"),
        ({"Tags": [{"Key": "team", "Value": "blue\n"}]}, "Tags/Value"),
    ],
)
def test_control_characters_and_trailing_newlines_are_refused_before_any_write(
    stub, invoke, overrides, named
) -> None:
    stub.describe_instance()
    response = invoke(event("CREATE", properties(**overrides)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert f"{named}: must not contain control characters" in response["message"]
    assert PASSWORD not in response["message"]
    assert stub.operations == ["DescribeInstance"]


def test_an_integer_too_long_for_python_is_invalid_request(stub, invoke) -> None:
    phone = {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": "1" * 5000}
    stub.describe_instance()
    response = invoke(event("CREATE", properties(PhoneConfig=phone)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert response["message"] == (
        "PhoneConfig/AfterContactWorkTimeLimit: must be a whole number, not a string"
    )
    assert stub.operations == ["DescribeInstance"]


@pytest.mark.parametrize("service_code", sorted(CONNECT_ERRORS))
def test_describe_instance_errors(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.error("DescribeInstance", service_code, {"InstanceId": MI.id}, status=expected.status)
    response = invoke(event("CREATE", properties()))
    if expected.transient:
        assert response["status"] == "IN_PROGRESS"
    elif expected.code == "NotFound":  # retried for the missing-reference window
        assert response["status"] == "IN_PROGRESS", response
        assert response["callbackContext"]["window"] == "missingReference"
        assert response["message"].startswith("InstanceId names something that does not exist")
    else:
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)
    assert stub.operations == ["DescribeInstance"]


def test_connection_error_is_network_failure_in_progress(stub, invoke) -> None:
    stub.raise_on(
        "DescribeInstance",
        EndpointConnectionError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
    )
    response = invoke(event("CREATE", properties()))
    assert response["status"] == "IN_PROGRESS"
    assert "EndpointConnectionError" in response["message"]


def test_callback_budget_spent_fails_with_the_failures_code(stub, invoke) -> None:
    stub.describe_instance()
    stub.error("CreateUser", "ThrottlingException", create_params(), status=429)
    context = {"retries": 30, "giveUpAt": int(time.time())}  # CloudFormation stops waiting
    response = invoke(event("CREATE", properties(), callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "Throttling")
    assert "resourceModel" not in response


def test_bearer_token_is_the_marker_seed(stub, invoke) -> None:
    other = "0a1b2c3d-request-2"
    assert create_token(bearer=other) != create_token(bearer=BEARER)
    stub.describe_instance()
    stub.ok("CreateUser", create_params(Tags={MARKER_KEY: create_token(bearer=other)}), created())
    stub.visible()
    assert invoke(event("CREATE", properties(), bearer=other))["status"] == "SUCCESS"


@pytest.mark.parametrize("service_code", sorted(CONNECT_ERRORS))
def test_search_users_errors_during_recovery(stub, invoke, service_code) -> None:
    expected = CONNECT_ERRORS[service_code]
    stub.describe_instance()
    stub.error("CreateUser", "DuplicateResourceException", create_params(), status=409)
    stub.error("SearchUsers", service_code, SEARCH, status=expected.status, message="stubbed")
    response = invoke(event("CREATE", properties()))
    if expected.transient:
        assert response["status"] == "IN_PROGRESS"
        assert response["resourceModel"]["Password"] == PASSWORD
    elif expected.code == "NotFound":  # retried for the missing-reference window
        assert response["status"] == "IN_PROGRESS", response
        assert response["callbackContext"]["window"] == "missingReference"
        assert response["message"].startswith("InstanceId names something that does not exist")
    else:
        # a failed search is reported as itself, never mistaken for "our own user"
        assert (response["status"], response["errorCode"]) == ("FAILED", expected.code)
        assert response["message"] == f"SearchUsers failed: {service_code}: stubbed"


# --- stabilisation and the duplicate-search window (issue 16) -----------------------------------


def test_create_not_visible_yet_is_in_progress_and_its_callbacks_only_describe(
    stub, invoke
) -> None:
    stub.describe_instance()
    stub.ok("CreateUser", create_params(), created())
    stub.not_visible()  # "might return a ResourceNotFoundException ... immediately after"
    first = invoke(event("CREATE", properties()))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "createdUserId": USER_ID,
        "createdUserArn": user_arn(),
    }
    model = first["resourceModel"]
    assert "Password" not in model  # the user exists: nothing more to send it for
    assert model["UserArn"] == user_arn()  # what a rollback deletes
    assert "UserId" not in model  # not shown yet: a rollback's not-found may be lag (issue 20)
    stub.not_visible()
    second = invoke(event("CREATE", model, callback_context=first["callbackContext"]))
    assert second["status"] == "IN_PROGRESS", second
    assert second["callbackContext"]["retries"] == 2
    stub.visible()
    third = invoke(event("CREATE", model, callback_context=second["callbackContext"]))
    assert third["status"] == "SUCCESS", third
    assert third["resourceModel"]["UserArn"] == user_arn()
    assert stub.operations == [
        "DescribeInstance",
        "CreateUser",
        "DescribeUser",
        "DescribeUser",
        "DescribeUser",
    ]


def test_create_never_shown_fails_not_stabilized_at_the_timeout(stub, invoke) -> None:
    stub.not_visible()
    context = {
        "retries": 9,
        "callbacks": 80,
        "giveUpAt": int(time.time()),
        "createdUserId": USER_ID,
        "createdUserArn": user_arn(),
    }
    response = invoke(event("CREATE", properties(), callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotStabilized")
    assert user_arn() in response["message"]
    assert stub.operations == ["DescribeUser"]


def test_a_lost_create_with_a_lagging_search_keeps_searching_for_its_own_user(stub, invoke) -> None:
    """botocore resent CreateUser after a lost answer: DuplicateResourceException, and the
    search does not show the user yet. Ours until proven otherwise."""
    stub.describe_instance()
    stub.error(
        "CreateUser", "DuplicateResourceException", create_params(), status=409, retry_attempts=1
    )
    stub.ok("SearchUsers", SEARCH, {"Users": []})
    first = invoke(event("CREATE", properties()))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"] == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": ANY,
        "createSent": True,
        "windowStart": ANY,
        "window": "duplicateSearch",
    }
    assert first["resourceModel"]["Password"] == PASSWORD  # it may yet have to send CreateUser
    stub.ok("SearchUsers", SEARCH, search_result({MARKER_KEY: create_token()}))
    stub.visible()
    second = invoke(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert second["resourceModel"]["UserArn"] == user_arn()
    assert stub.operations[-2:] == ["SearchUsers", "DescribeUser"]


def test_our_own_user_never_found_is_already_exists_after_the_window(stub, invoke) -> None:
    from aws_connect_user.outcomes import DUPLICATE_SEARCH_WINDOW_SECONDS

    started = int(time.time()) - int(DUPLICATE_SEARCH_WINDOW_SECONDS)
    context = {
        "retries": 5,
        "callbacks": 5,
        "giveUpAt": int(time.time()) + 3000,
        "createSent": True,
        "windowStart": started,
        "window": "duplicateSearch",
    }
    stub.describe_instance()
    stub.ok("SearchUsers", SEARCH, {"Users": []})
    stub.error("CreateUser", "DuplicateResourceException", create_params(), status=409)
    stub.ok("SearchUsers", SEARCH, {"Users": []})
    response = invoke(event("CREATE", properties(), callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "AlreadyExists")
    assert "no user carrying this request's own marker was found" in response["message"]
    assert "Still so after" in response["message"]


def test_someone_elses_user_after_our_lost_create_is_already_exists_at_once(stub, invoke) -> None:
    stub.describe_instance()
    stub.error(
        "CreateUser", "DuplicateResourceException", create_params(), status=409, retry_attempts=1
    )
    stub.ok("SearchUsers", SEARCH, search_result({}))
    response = invoke(event("CREATE", properties()))
    assert (response["status"], response["errorCode"]) == ("FAILED", "AlreadyExists")
    assert "keep that property as first written" in response["message"]


def test_a_missing_reference_fails_after_its_window_naming_the_value_and_the_wait(
    stub, invoke
) -> None:
    from aws_connect_user.outcomes import MISSING_REFERENCE_WINDOW_SECONDS

    started = int(time.time()) - int(MISSING_REFERENCE_WINDOW_SECONDS)
    context = {
        "retries": 4,
        "callbacks": 4,
        "giveUpAt": int(time.time()) + 3000,
        "windowStart": started,
        "window": "missingReference",
    }
    stub.describe_instance()
    profile = MI.child_id("routing", 1)
    stub.error(
        "CreateUser",
        "ResourceNotFoundException",
        create_params(),
        status=404,
        message=f"Routing profile {profile} not found",
    )
    response = invoke(event("CREATE", properties(), callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].startswith(
        f"RoutingProfileId names something that does not exist: {profile}"
    )
    assert "s of retrying" in response["message"]

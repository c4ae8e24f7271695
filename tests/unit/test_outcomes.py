"""outcomes: the one table from failures to what CloudFormation sees."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
    UnknownServiceError,
)
from cloudformation_cli_python_lib import HandlerErrorCode as H

from aws_connect_user import outcomes
from aws_connect_user.outcomes import (
    MISSING_REFERENCE,
    NO_ANSWER,
    SERVICE_ERRORS,
    UNTIL_TIMEOUT,
    Rule,
    from_exception,
)
from aws_connect_user.redaction import MASK, scrub

from ..testdata import CONNECT_ERRORS, OTHER_PASSWORD, PASSWORD

# The table as the service documentation reads, written out independently of the code.
EXPECTED = {code: H(row.code) for code, row in CONNECT_ERRORS.items()}
TRANSIENT = {H(row.code) for row in CONNECT_ERRORS.values() if row.transient}


def client_error(
    code: str, message: str = "went wrong", attempts: int = 0, status: int = 400
) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RetryAttempts": attempts, "HTTPStatusCode": status},
    }
    return ClientError(response, "CreateUser")


def test_the_table_is_the_documented_one() -> None:
    assert {code: rule.code for code, rule in SERVICE_ERRORS.items()} == EXPECTED
    assert {code: rule.transient for code, rule in SERVICE_ERRORS.items()} == {
        code: row.transient for code, row in CONNECT_ERRORS.items()
    }
    assert {code: rule.outcome_unknown for code, rule in SERVICE_ERRORS.items()} == {
        code: row.outcome_unknown for code, row in CONNECT_ERRORS.items()
    }


@pytest.mark.parametrize("code", sorted(CONNECT_ERRORS))
@pytest.mark.parametrize("as_sent", [False, True], ids=["status-400", "documented-status"])
def test_every_row(code: str, as_sent: bool) -> None:
    """Each row with a plain 400 and with the status Connect really answers it with."""
    row = CONNECT_ERRORS[code]
    error = client_error(code, "detail", status=row.status if as_sent else 400)
    failure = from_exception(error, "CreateUser")
    assert failure.code is H(row.code)
    assert failure.operation == "CreateUser"
    assert failure.message == f"CreateUser failed: {code}: detail"
    assert failure.transient is row.transient
    assert failure.outcome_unknown is row.outcome_unknown


def test_retryable_is_exactly_the_transient_codes() -> None:
    rules = [*SERVICE_ERRORS.values(), *(v for v in vars(outcomes).values() if isinstance(v, Rule))]
    until_timeout = {r.code for r in rules if r.retry_for == UNTIL_TIMEOUT}
    # stabilisation (issue 16) waits as long as throttling does
    assert until_timeout == {*TRANSIENT, H.NetworkFailure, H.NotStabilized}
    windowed = {r for r in rules if r.transient and r.retry_for != UNTIL_TIMEOUT}
    assert windowed == {
        MISSING_REFERENCE,
        outcomes.NOT_FOUND_AFTER_OUR_LOST_CREATE,
        outcomes.MISSING_PROFICIENCY,  # issue 13: the same window as MISSING_REFERENCE
        outcomes.MAY_STILL_APPEAR,  # issue 20: a delete's user no model has shown yet
    }


def test_a_delete_waits_five_minutes_for_a_user_that_may_still_appear() -> None:
    rule = outcomes.MAY_STILL_APPEAR
    assert (rule.code, rule.retry_for) == (H.NotFound, outcomes.UNSEEN_USER_WINDOW_SECONDS)
    assert outcomes.UNSEEN_USER_WINDOW_SECONDS == 300
    assert rule.window not in (None, MISSING_REFERENCE.window)


def test_the_two_bounded_windows() -> None:
    """Long enough for Connect's propagation ("several minutes" at worst), short enough that a
    typo fails a stack within a few minutes; each remembered under its own name."""
    assert MISSING_REFERENCE.retry_for == outcomes.MISSING_REFERENCE_WINDOW_SECONDS == 180
    lost = outcomes.NOT_FOUND_AFTER_OUR_LOST_CREATE
    assert lost.retry_for == outcomes.DUPLICATE_SEARCH_WINDOW_SECONDS == 300
    assert (MISSING_REFERENCE.code, lost.code) == (H.InvalidRequest, H.AlreadyExists)
    assert MISSING_REFERENCE.window != lost.window and None not in (
        MISSING_REFERENCE.window,
        lost.window,
    )


def test_unknown_service_error_is_general() -> None:
    failure = from_exception(client_error("BrandNewException"), "DescribeUser")
    assert failure.code is H.GeneralServiceException
    assert not failure.transient


def test_retry_attempts_are_carried() -> None:
    failure = from_exception(client_error("ResourceNotFoundException", attempts=2), "DeleteUser")
    assert failure.retry_attempts == 2


class _Http:
    def __init__(self, status: int) -> None:
        self.status_code = status


def _answer(status: int, code: str | None = None) -> tuple[_Http, dict]:
    return _Http(status), ({"Error": {"Code": code}} if code else {})


@pytest.mark.parametrize(
    ("response", "caught", "unknown"),
    [
        (_answer(200), None, False),
        (_answer(429, "ThrottlingException"), None, False),
        (_answer(404, "ResourceNotFoundException"), None, False),
        (_answer(409, "DuplicateResourceException"), None, False),
        (_answer(500, "InternalServiceException"), None, True),
        (_answer(503, "503"), None, True),  # a gateway's non-JSON answer
        (None, ConnectionClosedError(endpoint_url="http://x"), True),
        (None, ReadTimeoutError(endpoint_url="http://x"), True),
        (None, RuntimeError("not botocore's"), True),
    ],
    ids=[
        "ok",
        "throttled",
        "not-found",
        "duplicate",
        "5xx",
        "gateway",
        "dropped",
        "timeout",
        "odd",
    ],
)
def test_each_attempt_is_judged_by_the_table(response, caught, unknown) -> None:
    assert outcomes.attempt_outcome_unknown(response, caught) is unknown


def test_a_call_is_outcome_unknown_if_any_attempt_was() -> None:
    """Issue 20: committed and dropped, then throttled: the throttle alone would say nothing
    was done."""
    throttled = client_error("ThrottlingException", status=429, attempts=3)
    assert not from_exception(throttled, "DeleteUser", attempts_unknown=[False] * 4).outcome_unknown
    lost_first = from_exception(
        throttled, "DeleteUser", attempts_unknown=[True, False, False, False]
    )
    assert lost_first.outcome_unknown and lost_first.code is H.Throttling
    # not observed (a stubbed client): a call botocore resent may have taken effect
    assert from_exception(throttled, "DeleteUser").outcome_unknown
    assert not from_exception(client_error("ThrottlingException"), "DeleteUser").outcome_unknown


def test_a_corrupt_callback_context_is_invalid_request_naming_it() -> None:
    failure = outcomes.corrupt_context("retries: must be a whole number")
    assert failure.code is H.InvalidRequest and not failure.transient
    assert failure.message.startswith("callbackContext: retries: must be a whole number")


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
        ConnectionClosedError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
        ConnectTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
        ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
        HTTPClientError(error="reset"),
    ],
)
def test_connection_errors_and_timeouts_are_network_failures(error: Exception) -> None:
    failure = from_exception(error, "CreateUser")
    assert failure.code is H.NetworkFailure
    assert failure.transient
    assert "Traceback" not in failure.message


def test_param_validation_is_invalid_request_and_scrubbed() -> None:
    error = ParamValidationError(report=f"Invalid type for parameter Password, value: {PASSWORD}")
    failure = from_exception(error, "CreateUser", secrets=[PASSWORD, None])
    assert failure.code is H.InvalidRequest
    assert PASSWORD not in failure.message
    assert MASK in failure.message


def test_no_credentials_and_other_botocore_errors() -> None:
    assert from_exception(NoCredentialsError(), "ListUsers").code is H.InvalidCredentials
    other = from_exception(
        UnknownServiceError(service_name="x", known_service_names="y"), "ListUsers"
    )
    assert other.code is H.GeneralServiceException


def test_a_bug_is_not_classified() -> None:
    with pytest.raises(KeyError):
        from_exception(KeyError("x"), "CreateUser")


def test_not_found_about_a_reference_is_invalid_request_naming_it() -> None:
    failure = from_exception(
        client_error("ResourceNotFoundException", "Routing profile not found"),
        "UpdateUserRoutingProfile",
        refers_to=("RoutingProfileId",),
    )
    assert failure.rule is MISSING_REFERENCE
    assert failure.code is H.InvalidRequest
    assert failure.about == "RoutingProfileId"
    assert failure.message.startswith("RoutingProfileId names something that does not exist")
    assert "UpdateUserRoutingProfile" in failure.message


def test_not_found_about_the_user_is_not_found() -> None:
    failure = from_exception(client_error("ResourceNotFoundException"), "DescribeUser")
    assert failure.code is H.NotFound
    assert failure.about is None


def test_service_messages_are_scrubbed_of_every_secret() -> None:
    failure = from_exception(
        client_error("InvalidParameterException", f"Password {PASSWORD} and {PASSWORD}!"),
        "CreateUser",
        secrets=[PASSWORD, OTHER_PASSWORD, None],
    )
    assert PASSWORD not in failure.message
    assert (
        failure.message
        == f"CreateUser failed: InvalidParameterException: Password {MASK} and {MASK}!"
    )


def test_message_without_service_text() -> None:
    failure = from_exception(client_error("ThrottlingException", ""), "DeleteUser")
    assert failure.message == "DeleteUser failed: ThrottlingException"


def test_scrub() -> None:
    assert scrub(f"a{PASSWORD}b{PASSWORD}", [PASSWORD]) == f"a{MASK}b{MASK}"
    assert scrub("nothing here", [PASSWORD]) == "nothing here"
    assert scrub("x", []) == "x"


# --- decided by HTTP status, and what a write's outcome is -------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("503", 503),
        ("502", 502),
        ("SomethingNewException", 500),
        ("ServiceUnavailableException", 503),
        ("RequestTimeoutException", 408),
        ("RequestTimeout", 400),
        ("InternalServiceException", 500),
    ],
)
def test_no_answer_in_time_is_transient_with_an_unknown_outcome(code: str, status: int) -> None:
    response = {
        "Error": {"Code": code, "Message": ""},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    failure = from_exception(ClientError(response, "CreateUser"), "CreateUser")
    assert failure.code is H.ServiceInternalError
    assert failure.transient and failure.outcome_unknown
    assert failure.rule in (NO_ANSWER, SERVICE_ERRORS["InternalServiceException"])


def test_a_known_code_wins_over_a_5xx_status() -> None:
    response = {
        "Error": {"Code": "AccessDeniedException", "Message": ""},
        "ResponseMetadata": {"HTTPStatusCode": 503},
    }
    failure = from_exception(ClientError(response, "CreateUser"), "CreateUser")
    assert failure.code is H.AccessDenied and not failure.transient


def test_a_throttled_or_unsent_write_did_nothing() -> None:
    throttled = from_exception(client_error("ThrottlingException"), "CreateUser")
    assert throttled.transient and not throttled.outcome_unknown
    assert not outcomes.out_of_time("CreateUser").outcome_unknown
    assert from_exception(ReadTimeoutError(endpoint_url="https://x"), "CreateUser").outcome_unknown


# --- a missing reference names the property at fault and its value -----------------------------

CREATE = {
    "InstanceId": "i-1",
    "SecurityProfileIds": ["sp-1", "sp-2"],
    "RoutingProfileId": "rp-1",
    "HierarchyGroupId": "hg-1",
}
REFERENCES = ("InstanceId", "SecurityProfileIds", "RoutingProfileId", "HierarchyGroupId")


@pytest.mark.parametrize(
    ("service_message", "expected"),
    [
        (
            "Security profile not found: sp-2",
            "SecurityProfileIds names something that does not exist: sp-2 (CreateUser: "
            "ResourceNotFoundException: Security profile not found: sp-2)",
        ),
        (
            "SecurityProfile not found",
            "SecurityProfileIds names something that does not exist: sp-1, sp-2 (CreateUser: "
            "ResourceNotFoundException: SecurityProfile not found)",
        ),
        (
            "Routing profile not found: arn:aws:connect:us-east-1:123456789012:instance/i-1/"
            "routing-profile/rp-1",
            "RoutingProfileId names something that does not exist: rp-1 (CreateUser: "
            "ResourceNotFoundException: Routing profile not found: arn:aws:connect:us-east-1:"
            "123456789012:instance/i-1/routing-profile/rp-1)",
        ),
        (
            "Group not found: hg-1",
            "HierarchyGroupId names something that does not exist: hg-1 (CreateUser: "
            "ResourceNotFoundException: Group not found: hg-1)",
        ),
        (
            "Instance not found: i-1",
            "InstanceId names something that does not exist: i-1 (CreateUser: "
            "ResourceNotFoundException: Instance not found: i-1)",
        ),
        (
            "Something was not found",
            "InstanceId, SecurityProfileIds, RoutingProfileId or HierarchyGroupId names "
            "something that does not exist (CreateUser: ResourceNotFoundException: Something "
            "was not found)",
        ),
    ],
    ids=["profile-by-value", "profile-by-words", "routing-arn", "group", "instance", "unclear"],
)
def test_create_names_the_one_reference_at_fault(service_message: str, expected: str) -> None:
    failure = from_exception(
        client_error("ResourceNotFoundException", service_message),
        "CreateUser",
        params=CREATE,
        refers_to=REFERENCES,
    )
    assert failure.rule is MISSING_REFERENCE and failure.code is H.InvalidRequest
    assert failure.message == expected
    named = expected.split(" names ")[0]
    assert failure.about == (named if "," not in named else None)


def test_a_missing_user_names_the_user() -> None:
    failure = from_exception(
        client_error("ResourceNotFoundException"), "DescribeUser", user="arn:user"
    )
    assert failure.code is H.NotFound and failure.about is None
    assert failure.message == (
        "Resource of type 'AWS::Connect::User' with identifier 'arn:user' was not found."
    )


# --- a username Connect refuses (issue 21) ----------------------------------------------------


@pytest.mark.parametrize("code", ["InvalidParameterException", "InvalidRequestException"])
def test_create_users_refusal_of_the_username_names_username_with_connects_reason(code) -> None:
    reason = "The username can include up to 20 characters for instances not using SAML."
    failure = from_exception(client_error(code, reason), "CreateUser")
    assert (failure.code, failure.about) == (H.InvalidRequest, "Username")
    assert failure.message == f"Username: was refused by Connect: {reason} (CreateUser: {code})"
    assert not failure.transient


def test_other_refusals_and_other_operations_keep_the_plain_message() -> None:
    other = from_exception(client_error("InvalidParameterException", "Bad phone"), "CreateUser")
    assert (other.about, other.message) == (
        None,
        "CreateUser failed: InvalidParameterException: Bad phone",
    )
    update = from_exception(
        client_error("InvalidRequestException", "Invalid username"), "UpdateUserIdentityInfo"
    )
    assert update.about is None


@pytest.mark.parametrize(("level", "shown"), [(2.5, "level 2.5"), (3.0, "level 3"), (4, "level 4")])
def test_a_refused_level_is_shown_as_the_number_it_is(level, shown) -> None:
    entry = {"AttributeName": "Language", "AttributeValue": "English", "Level": level}
    failure = from_exception(
        client_error("InvalidParameterException", "Invalid level"),
        "AssociateUserProficiencies",
        params={"UserProficiencies": [entry]},
    )
    assert f"Language=English {shown} " in failure.message + " "

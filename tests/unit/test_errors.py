"""errors: the one table from Connect failures to CloudFormation error codes."""

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

from aws_connect_user.errors import (
    RETRYABLE,
    SERVICE_ERRORS,
    USER,
    ConnectCallFailed,
    from_exception,
)
from aws_connect_user.redaction import MASK, scrub

SENTINEL = "S3ntinel-Pa55word"

# The table as the service documentation reads, written out independently of the code.
EXPECTED = {
    "InvalidRequestException": H.InvalidRequest,
    "InvalidParameterException": H.InvalidRequest,
    "LimitExceededException": H.ServiceLimitExceeded,
    "ServiceQuotaExceededException": H.ServiceLimitExceeded,
    "DuplicateResourceException": H.AlreadyExists,
    "ResourceNotFoundException": H.NotFound,
    "ThrottlingException": H.Throttling,
    "TooManyRequestsException": H.Throttling,
    "InternalServiceException": H.ServiceInternalError,
    "AccessDeniedException": H.AccessDenied,
    "UnrecognizedClientException": H.InvalidCredentials,
    "InvalidClientTokenId": H.InvalidCredentials,
    "ExpiredToken": H.InvalidCredentials,
    "ExpiredTokenException": H.InvalidCredentials,
    "InvalidSignatureException": H.InvalidCredentials,
}


def client_error(code: str, message: str = "went wrong", attempts: int = 0) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RetryAttempts": attempts, "HTTPStatusCode": 400},
    }
    return ClientError(response, "CreateUser")


def test_the_table_is_the_documented_one() -> None:
    assert dict(SERVICE_ERRORS) == EXPECTED


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_row(code: str) -> None:
    failure = from_exception(client_error(code, "detail"), "CreateUser", USER, [])
    assert failure.code is EXPECTED[code]
    assert failure.error_code is EXPECTED[code]
    assert failure.service_code == code
    assert failure.message == f"CreateUser failed: {code}: detail"
    assert failure.retryable is (EXPECTED[code] in {H.Throttling, H.ServiceInternalError})


def test_retryable_is_exactly_the_transient_codes() -> None:
    assert frozenset({H.Throttling, H.ServiceInternalError, H.NetworkFailure}) == RETRYABLE


def test_unknown_service_error_is_general() -> None:
    failure = from_exception(client_error("BrandNewException"), "DescribeUser", USER, [])
    assert failure.error_code is H.GeneralServiceException
    assert not failure.retryable


def test_retry_attempts_are_carried() -> None:
    failure = from_exception(
        client_error("ResourceNotFoundException", attempts=2), "DeleteUser", USER, []
    )
    assert failure.retry_attempts == 2


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
    failure = from_exception(error, "CreateUser", USER, [])
    assert failure.error_code is H.NetworkFailure
    assert failure.retryable
    assert "Traceback" not in failure.message


def test_param_validation_is_invalid_request_and_scrubbed() -> None:
    error = ParamValidationError(report=f"Invalid type for parameter Password, value: {SENTINEL}")
    failure = from_exception(error, "CreateUser", USER, [SENTINEL, None])
    assert failure.error_code is H.InvalidRequest
    assert SENTINEL not in failure.message
    assert MASK in failure.message


def test_no_credentials_and_other_botocore_errors() -> None:
    assert (
        from_exception(NoCredentialsError(), "ListUsers", USER, []).error_code
        is H.InvalidCredentials
    )
    other = from_exception(
        UnknownServiceError(service_name="x", known_service_names="y"), "ListUsers", USER, []
    )
    assert other.error_code is H.GeneralServiceException


def test_a_bug_is_not_classified() -> None:
    with pytest.raises(KeyError):
        from_exception(KeyError("x"), "CreateUser", USER, [])


def test_not_found_about_a_reference_is_invalid_request_naming_it() -> None:
    failure = from_exception(
        client_error("ResourceNotFoundException", "Routing profile not found"),
        "UpdateUserRoutingProfile",
        "RoutingProfileId",
        [],
    )
    assert failure.code is H.NotFound
    assert failure.error_code is H.InvalidRequest
    assert failure.message.startswith("RoutingProfileId names something that does not exist")
    assert "UpdateUserRoutingProfile" in failure.message


def test_not_found_about_the_user_is_not_found() -> None:
    failure = from_exception(client_error("ResourceNotFoundException"), "DescribeUser", USER, [])
    assert failure.error_code is H.NotFound


def test_service_messages_are_scrubbed_of_every_secret() -> None:
    failure = from_exception(
        client_error("InvalidParameterException", f"Password {SENTINEL} and {SENTINEL}!"),
        "CreateUser",
        USER,
        [SENTINEL, "0ther-Pa55word", None],
    )
    assert SENTINEL not in failure.message
    assert (
        failure.message
        == f"CreateUser failed: InvalidParameterException: Password {MASK} and {MASK}!"
    )


def test_message_without_service_text() -> None:
    failure = ConnectCallFailed("DeleteUser", H.Throttling, "ThrottlingException", "", USER)
    assert failure.message == "DeleteUser failed: ThrottlingException"


def test_scrub() -> None:
    assert scrub(f"a{SENTINEL}b{SENTINEL}", [SENTINEL]) == f"a{MASK}b{MASK}"
    assert scrub("nothing here", [SENTINEL]) == "nothing here"
    assert scrub("x", []) == "x"

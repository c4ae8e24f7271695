"""The one error table: every failure of a Connect call becomes a CloudFormation error code.

Messages carry the operation and the service's message, never a traceback, and every known
secret is scrubbed from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from cloudformation_cli_python_lib import HandlerErrorCode

from .redaction import scrub

# Service error code -> CloudFormation error code. ResourceNotFoundException is decided by
# what the failed call was about (see ConnectCallFailed.about).
SERVICE_ERRORS: Mapping[str, HandlerErrorCode] = {
    "InvalidRequestException": HandlerErrorCode.InvalidRequest,
    "InvalidParameterException": HandlerErrorCode.InvalidRequest,
    "LimitExceededException": HandlerErrorCode.ServiceLimitExceeded,
    "ServiceQuotaExceededException": HandlerErrorCode.ServiceLimitExceeded,
    "DuplicateResourceException": HandlerErrorCode.AlreadyExists,
    "ResourceNotFoundException": HandlerErrorCode.NotFound,
    "ThrottlingException": HandlerErrorCode.Throttling,
    "TooManyRequestsException": HandlerErrorCode.Throttling,
    "InternalServiceException": HandlerErrorCode.ServiceInternalError,
    "AccessDeniedException": HandlerErrorCode.AccessDenied,
    "UnrecognizedClientException": HandlerErrorCode.InvalidCredentials,
    "InvalidClientTokenId": HandlerErrorCode.InvalidCredentials,
    "ExpiredToken": HandlerErrorCode.InvalidCredentials,
    "ExpiredTokenException": HandlerErrorCode.InvalidCredentials,
    "InvalidSignatureException": HandlerErrorCode.InvalidCredentials,
}

# Service codes whose names say "the service did not answer in time": transient, and a
# write's outcome is unknown. Any HTTP 5xx (a gateway's non-JSON 502/503/504 shows up with the
# status as its code) is decided by status, not by name.
_TRANSIENT_CODE_PREFIXES = ("ServiceUnavailable", "RequestTimeout")

# Failures worth another try later: the request did not (or may not) take effect.
RETRYABLE = frozenset(
    {
        HandlerErrorCode.Throttling,
        HandlerErrorCode.ServiceInternalError,
        HandlerErrorCode.NetworkFailure,
    }
)

_NETWORK_ERRORS = (
    EndpointConnectionError,
    ConnectionClosedError,
    ConnectTimeoutError,
    ReadTimeoutError,
    HTTPClientError,
)

USER = "user"  # `about` value: the call is about the user itself
MESSAGE_LIMIT = 1000  # botocore's validation messages echo whole values


def _capped(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "..."


# Failures after which a write may or may not have taken effect: a create must look for its
# own user before sending again. Throttling is not one: a throttled request did nothing.
OUTCOME_UNKNOWN = frozenset(
    {HandlerErrorCode.NetworkFailure, HandlerErrorCode.ServiceInternalError}
)


def _client_error_code(service_code: str, status: int) -> HandlerErrorCode:
    known = SERVICE_ERRORS.get(service_code)
    if known is not None and known is not HandlerErrorCode.ServiceInternalError:
        return known
    if status >= 500 or service_code.startswith(_TRANSIENT_CODE_PREFIXES):
        return HandlerErrorCode.ServiceInternalError
    return known or HandlerErrorCode.GeneralServiceException


@dataclass
class ConnectCallFailed(Exception):
    """A Connect call failed; `about` is USER or the property holding the call's reference."""

    operation: str
    code: HandlerErrorCode
    service_code: str
    service_message: str
    about: str
    retry_attempts: int = 0
    sent: bool = True  # False: the call never left the handler, so its outcome is known

    @property
    def message(self) -> str:
        detail = f"{self.service_code}: {self.service_message}".rstrip(": ")
        if self.code is HandlerErrorCode.NotFound and self.about != USER:
            return f"{self.about} names something that does not exist ({self.operation}: {detail})"
        return f"{self.operation} failed: {detail}"

    @property
    def error_code(self) -> HandlerErrorCode:
        # A missing reference is the template's mistake, not a missing user.
        if self.code is HandlerErrorCode.NotFound and self.about != USER:
            return HandlerErrorCode.InvalidRequest
        return self.code

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE

    @property
    def outcome_unknown(self) -> bool:
        """A write that failed this way may have taken effect."""
        return self.sent and self.code in OUTCOME_UNKNOWN


def out_of_time(operation: str, about: str) -> ConnectCallFailed:
    """The invocation's deadline is too close for another call: not sent, try again later."""
    return ConnectCallFailed(
        operation=operation,
        code=HandlerErrorCode.NetworkFailure,
        service_code="InvocationDeadline",
        service_message="not sent: the handler's time for this invocation is nearly up",
        about=about,
        sent=False,
    )


def from_exception(
    error: Exception, operation: str, about: str, secrets: Iterable[str | None]
) -> ConnectCallFailed:
    """Classify anything a botocore call can raise."""
    secrets = list(secrets)
    attempts = 0
    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        service_code = str(info.get("Code", "Unknown"))
        message = str(info.get("Message", ""))
        metadata = error.response.get("ResponseMetadata", {})
        status = int(metadata.get("HTTPStatusCode") or 0)
        code = _client_error_code(service_code, status)
        attempts = int(metadata.get("RetryAttempts", 0))
    elif isinstance(error, ParamValidationError):
        service_code, message, code = (
            "ParamValidationError",
            str(error),
            HandlerErrorCode.InvalidRequest,
        )
    elif isinstance(error, NoCredentialsError):
        service_code, message, code = (
            "NoCredentials",
            str(error),
            HandlerErrorCode.InvalidCredentials,
        )
    elif isinstance(error, _NETWORK_ERRORS):
        service_code, message, code = (
            type(error).__name__,
            str(error),
            HandlerErrorCode.NetworkFailure,
        )
    elif isinstance(error, BotoCoreError):
        service_code, message = type(error).__name__, str(error)
        code = HandlerErrorCode.GeneralServiceException
    else:
        raise error
    return ConnectCallFailed(
        operation=operation,
        code=code,
        service_code=service_code,
        service_message=_capped(scrub(message, [s for s in secrets if s])),
        about=about,
        retry_attempts=attempts,
    )

"""What CloudFormation sees when an operation fails: the one place that decides it.

Every failure, from a Connect call or from the handler's own checks, is a `Failure` carrying
the `Rule` of its row in the table below. A rule says three things:
- code: the CloudFormation error code;
- retry_for: how long the failure is worth calling back for (NEVER: fail at once;
  UNTIL_TIMEOUT: as long as CloudFormation waits for the handler; or a bounded window);
- outcome_unknown: a write that failed this way may have taken effect (a create must look
  for its own user before sending again, see recovery.py).
Per action: READ and LIST never call back (CloudFormation needs their answer at once); a
CREATE's IN_PROGRESS model keeps the Password until its user exists, and then carries the
user's UserArn but not its UserId (in_progress_model); an UPDATE's write that answers not
found for the user it has just described is behind DescribeUser, not gone.

Connect is eventually consistent (issue 16): DescribeUser decides whether a user exists, and
create and delete are done only once it agrees (stabilise.py), calling back until the
handler's timeout. Three failures that may be Connect not having caught up are retried for
a bounded window each, counted from when the operation first met it: a missing reference
(MISSING_REFERENCE_WINDOW_SECONDS), a username taken while this create's own user cannot be
found yet (DUPLICATE_SEARCH_WINDOW_SECONDS), and a user a delete cannot find while
CloudFormation's model of it was never shown by DescribeUser (UNSEEN_USER_WINDOW_SECONDS).
A proficiency write's not-found (MISSING_PROFICIENCY, issue 13) gets the missing-reference
window too, under its own name.

A call's outcome is unknown if any of its attempts' was (botocore retries inside one
invocation; connect.py observes every attempt, attempt_outcome_unknown judges each).

Messages carry the operation and the service's message, never a traceback, and every known
secret is scrubbed from them.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

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
from cloudformation_cli_python_lib import Action, OperationStatus, ProgressEvent
from cloudformation_cli_python_lib import HandlerErrorCode as H

from .context import CallbackContext
from .models import ResourceModel
from .redaction import scrub
from .schema import handler_timeout_minutes, type_name

NEVER = 0.0
UNTIL_TIMEOUT = math.inf
# Bounded windows for failures that can be Connect's eventual consistency rather than the
# template's mistake. Connect shows a change "usually" within seconds, "in some cases" within
# several minutes.
# A profile, group or instance not found: three minutes covers propagation to a resource
# created just before in the same stack, and a typo still fails the stack within ~3.5 min.
MISSING_REFERENCE_WINDOW_SECONDS = 180.0
# The username taken but no user with our marker found after our own CreateUser may have
# taken effect: five minutes, as giving up too early orphans the user this create made; a
# visible user of that name that is not ours fails at once.
DUPLICATE_SEARCH_WINDOW_SECONDS = 300.0
# A delete that finds no user, named by a model that never showed it (the IN_PROGRESS model
# of a create still waiting for Connect: stabilise.py): five minutes of DeleteUser through
# callbacks before NotFound, as answering NotFound for a user that appears later orphans it.
UNSEEN_USER_WINDOW_SECONDS = 300.0


@dataclass(frozen=True, eq=False)  # rows are compared by identity: two may read alike
class Rule:
    code: H
    retry_for: float = NEVER
    outcome_unknown: bool = False
    # A bounded window's name: its start is remembered per window (CallbackContext.window),
    # so meeting another window's failure starts that window afresh.
    window: str | None = None

    @property
    def transient(self) -> bool:
        return self.retry_for > 0


# --- the table ----------------------------------------------------------------------------

USER_GONE = Rule(H.NotFound)  # ResourceNotFoundException from a call about the user itself

# Connect's service error codes. ResourceNotFoundException and DuplicateResourceException
# depend on the call: see the rows after this table.
SERVICE_ERRORS: Mapping[str, Rule] = {
    "InvalidRequestException": Rule(H.InvalidRequest),
    "InvalidParameterException": Rule(H.InvalidRequest),
    "LimitExceededException": Rule(H.ServiceLimitExceeded),
    "ServiceQuotaExceededException": Rule(H.ServiceLimitExceeded),
    "DuplicateResourceException": Rule(H.AlreadyExists),  # CreateUser: recovery.py first
    "ResourceNotFoundException": USER_GONE,  # a reference is MISSING_REFERENCE, below
    "ThrottlingException": Rule(H.Throttling, UNTIL_TIMEOUT),  # a throttled call did nothing
    "TooManyRequestsException": Rule(H.Throttling, UNTIL_TIMEOUT),
    # UpdateUserConfig, HTTP 409: a concurrent change to the user; nothing was written, and the
    # callback's fresh diff against the live user converges.
    "ConditionalOperationFailedException": Rule(H.ResourceConflict, UNTIL_TIMEOUT),
    "InternalServiceException": Rule(H.ServiceInternalError, UNTIL_TIMEOUT, outcome_unknown=True),
    "AccessDeniedException": Rule(H.AccessDenied),
    "UnrecognizedClientException": Rule(H.InvalidCredentials),
    "InvalidClientTokenId": Rule(H.InvalidCredentials),
    "ExpiredToken": Rule(H.InvalidCredentials),
    "ExpiredTokenException": Rule(H.InvalidCredentials),
    "InvalidSignatureException": Rule(H.InvalidCredentials),
}
# The service did not answer in time: any HTTP 5xx (a gateway's non-JSON 502/503/504 has the
# status as its code) and codes named ServiceUnavailable*/RequestTimeout*, unless the table
# knows the code. Decided by status, not only by name.
NO_ANSWER = Rule(H.ServiceInternalError, UNTIL_TIMEOUT, outcome_unknown=True)
NO_ANSWER_CODE_PREFIXES = ("ServiceUnavailable", "RequestTimeout")
UNKNOWN_SERVICE_ERROR = Rule(H.GeneralServiceException)
# botocore's own failures.
NETWORK = Rule(H.NetworkFailure, UNTIL_TIMEOUT, outcome_unknown=True)  # connection, timeouts
NOT_SENT = Rule(H.NetworkFailure, UNTIL_TIMEOUT)  # the invocation's deadline: never sent
PARAMETERS = Rule(H.InvalidRequest)  # botocore's parameter validation
NO_CREDENTIALS = Rule(H.InvalidCredentials)
OTHER_SDK_ERROR = Rule(H.GeneralServiceException)
# ResourceNotFoundException from a call that names a template reference (an instance,
# profile or group): the template's mistake, unless Connect has not caught up yet.
MISSING_REFERENCE = Rule(
    H.InvalidRequest, MISSING_REFERENCE_WINDOW_SECONDS, window="missingReference"
)
# Routing proficiencies (proficiencies.py). A write names the user and predefined attributes
# of the instance; it comes after DescribeUser showed the user, so its failures are about
# UserProficiencies, never NotFound for the user.
PROFICIENCY_WRITES = frozenset(
    {"AssociateUserProficiencies", "UpdateUserProficiencies", "DisassociateUserProficiencies"}
)
# ResourceNotFoundException from a proficiency write: the missing-reference window, not at
# once. Connect's answer does not say what is missing, and both candidates can be Connect
# not having caught up: the attribute may be an AWS::Connect::PredefinedAttribute created a
# moment ago in the same stack, and the write path can lag behind DescribeUser for a user
# just created (see BEHIND_DESCRIBE). A typo still fails within the window (and a create then
# deletes the user it made). InvalidRequest/InvalidParameter (a rejected level, a value the
# attribute does not have) is the template's mistake: at once.
MISSING_PROFICIENCY = Rule(
    H.InvalidRequest, MISSING_REFERENCE_WINDOW_SECONDS, window="missingProficiency"
)
PROFICIENCY_REJECTED = Rule(H.InvalidRequest)
# DuplicateResourceException on CreateUser when the user is not ours (recovery.py):
NOT_OURS = Rule(H.AlreadyExists)  # someone else's is visible, or we never sent one before
NOT_FOUND_AFTER_OUR_LOST_CREATE = Rule(
    H.AlreadyExists, DUPLICATE_SEARCH_WINDOW_SECONDS, window="duplicateSearch"
)
# Stabilisation (stabilise.py): what DescribeUser says does not agree with the operation yet.
NOT_VISIBLE_YET = Rule(H.NotStabilized, UNTIL_TIMEOUT)  # the user this create made
STILL_VISIBLE = Rule(H.NotStabilized, UNTIL_TIMEOUT)  # the user this delete deleted
# A delete's not-found for a user no DescribeUser has shown to CloudFormation yet: it may
# still appear (stabilise.delete_once); NotFound only once its window has passed.
MAY_STILL_APPEAR = Rule(H.NotFound, UNSEEN_USER_WINDOW_SECONDS, window="unseenUser")
# A write (DeleteUser, UpdateUser*, tags) answered not found for a user DescribeUser shows:
# the write path is behind. Called back; the next invocation's DescribeUser decides.
BEHIND_DESCRIBE = Rule(H.NotStabilized, UNTIL_TIMEOUT)
# The handler's own checks, before any write.
REFUSED = Rule(H.InvalidRequest)  # the request breaks a rule
# A callbackContext this handler could not have written (context.CorruptContext): refused
# rather than acted on; CloudFormation hands back what the handler returned, unchanged.
CORRUPT_CONTEXT = Rule(H.InvalidRequest)
NOT_UPDATABLE = Rule(H.NotUpdatable)  # a change Connect has no API for
NO_SUCH_USER = Rule(H.NotFound)  # the request names no user (no or a malformed UserArn)

# Per action.
SYNCHRONOUS = frozenset({Action.READ, Action.LIST})  # never IN_PROGRESS
KEEPS_PASSWORD = frozenset({Action.CREATE})  # IN_PROGRESS model is the next desired state
# Actions that describe the user before any write: a write's USER_GONE is BEHIND_DESCRIBE.
DESCRIBES_BEFORE_WRITING = frozenset({Action.UPDATE})
# DELETE: USER_GONE after an attempt of its own means that attempt deleted the user
# (gone_after_our_own_attempt); DescribeUser still has to agree (stabilise.py).

# --- callbacks: how long to wait, and when to give up ---------------------------------------

# After botocore's in-invocation retries, a mutating handler asks CloudFormation to call it
# back (delays grow to CALLBACK_DELAY_CAP with jitter). It keeps going as long as
# CloudFormation would wait for it: it gives up with the failure's own code only when the
# next callback would come later than GIVE_UP_MARGIN_SECONDS before the handler's timeout
# (timeoutInMinutes in the schema), counted from the operation's first callback. Many
# stacks sharing one account's rate limit can wait long; a count of callbacks could not
# tell that from a stuck handler.
CALLBACK_DELAY_BASE = 5
CALLBACK_DELAY_CAP = 30  # measured: 60 s left stacks idling well past the rate limit's floor
GIVE_UP_MARGIN_SECONDS = 120  # answer with our own failure before CloudFormation times out

MESSAGE_LIMIT = 1000  # botocore's validation messages echo whole values
_NETWORK_ERRORS = (
    EndpointConnectionError,
    ConnectionClosedError,
    ConnectTimeoutError,
    ReadTimeoutError,
    HTTPClientError,
)
# Words of Connect's ResourceNotFoundException message that say which reference is missing,
# most specific first (a profile's ARN also contains "instance").
_REFERENCE_WORDS: Sequence[tuple[str, tuple[str, ...]]] = (
    ("SecurityProfileIds", ("security profile", "securityprofile")),
    ("RoutingProfileId", ("routing profile", "routingprofile")),
    ("HierarchyGroupId", ("hierarchy", "group")),
    ("InstanceId", ("instance",)),
)


class Failure(Exception):
    """The one kind of failure handlers raise: a rule and the message CloudFormation shows.

    `about` is the template property at fault, when one is (a missing reference); `sent`
    is False when the call never left the handler."""

    def __init__(
        self,
        rule: Rule,
        message: str,
        *,
        operation: str | None = None,
        about: str | None = None,
        retry_attempts: int = 0,
        sent: bool = True,
        attempt_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.operation = operation
        self.about = about
        self.retry_attempts = retry_attempts
        self.sent = sent
        # Some attempt of the call (botocore retries inside one invocation) failed so that it
        # may have taken effect, whatever the last attempt answered (attempt_outcome_unknown).
        self.attempt_unknown = attempt_unknown

    @property
    def code(self) -> H:
        return self.rule.code

    @property
    def transient(self) -> bool:
        return self.rule.transient

    @property
    def outcome_unknown(self) -> bool:
        """A write that failed this way may have taken effect: the last attempt's rule says
        so, or any earlier attempt's did (a lost answer, then a throttle)."""
        return self.sent and (self.rule.outcome_unknown or self.attempt_unknown)


# --- failures of a Connect call -------------------------------------------------------------


def _capped(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "..."


def service_rule(service_code: str, status: int) -> Rule:
    """The row of a Connect error response (its code and HTTP status)."""
    known = SERVICE_ERRORS.get(service_code)
    if known is not None and known.code is not H.ServiceInternalError:
        return known
    if status >= 500 or service_code.startswith(NO_ANSWER_CODE_PREFIXES):
        return NO_ANSWER
    return known or UNKNOWN_SERVICE_ERROR


def _at_fault(
    service_message: str, params: Mapping[str, object], refers_to: Sequence[str]
) -> str | None:
    """The one reference property a not-found message is about: the one whose value it
    quotes, else the one its words name; None when it cannot tell."""
    if len(refers_to) == 1:
        return refers_to[0]
    quoted = [p for p in refers_to if any(v in service_message for v in _values(params, p))]
    if len(quoted) == 1:
        return quoted[0]
    words = service_message.lower().replace("-", " ").replace("_", " ")
    for prop, names in _REFERENCE_WORDS:
        if prop in refers_to and any(name in words for name in names):
            return prop
    return None


def _values(params: Mapping[str, object], prop: str) -> list[str]:
    value = params.get(prop)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def _missing_reference(
    operation: str,
    detail: str,
    service_message: str,
    params: Mapping[str, object],
    refers_to: Sequence[str],
) -> tuple[str | None, str]:
    about = _at_fault(service_message, params, refers_to)
    if about is None:
        named = ", ".join(refers_to[:-1]) + " or " + refers_to[-1]
        return None, f"{named} names something that does not exist ({operation}: {detail})"
    values = _values(params, about)
    quoted = [v for v in values if v in service_message]
    shown = ", ".join(quoted or values)
    value = f": {shown}" if shown else ""
    return about, f"{about} names something that does not exist{value} ({operation}: {detail})"


def _proficiency_message(
    rule: Rule, operation: str, detail: str, service_message: str, params: Mapping[str, object]
) -> str:
    """Names the entries the service's message quotes, else every entry the call sent."""
    sent = params.get("UserProficiencies")
    entries = [e for e in sent if isinstance(e, Mapping)] if isinstance(sent, list) else []
    quoted = [e for e in entries if str(e.get("AttributeValue")) in service_message] or [
        e for e in entries if str(e.get("AttributeName")) in service_message
    ]

    def shown(entry: Mapping[str, object]) -> str:
        level = entry.get("Level")
        at = f" level {level:g}" if isinstance(level, int | float) else ""  # 2.5 stays 2.5
        return f"{entry.get('AttributeName')}={entry.get('AttributeValue')}{at}"

    named = ", ".join(shown(e) for e in (quoted or entries)) or "an entry"
    if rule is MISSING_PROFICIENCY:
        what = f"names an attribute or value the instance has not predefined: {named}"
    else:
        what = f"was refused by Connect: {named}"
    return f"UserProficiencies {what} ({operation}: {detail})"


def attempt_outcome_unknown(response: Any, caught_exception: BaseException | None) -> bool:
    """Whether one attempt of a call may have taken effect without its answer being seen,
    by the same rows as a call's failure: a lost connection, a timeout, a 5xx may have; a
    throttle, a 4xx or an answer is known. connect.py asks this of every attempt botocore
    makes (its needs-retry event), so a call whose first attempt was lost and whose last was
    throttled is still "outcome unknown"."""
    if caught_exception is not None:
        if isinstance(caught_exception, _NETWORK_ERRORS):
            return NETWORK.outcome_unknown
        if isinstance(caught_exception, BotoCoreError):
            return OTHER_SDK_ERROR.outcome_unknown
        return True  # nothing botocore knows: assume the worst
    if not isinstance(response, tuple) or len(response) != 2:
        return False
    http, parsed = response
    status = int(getattr(http, "status_code", 0) or 0)
    if status < 300:
        return False
    info = parsed.get("Error", {}) if isinstance(parsed, Mapping) else {}
    return service_rule(str(info.get("Code", "Unknown")), status).outcome_unknown


def from_exception(
    error: Exception,
    operation: str,
    *,
    params: Mapping[str, object] | None = None,
    refers_to: Sequence[str] = (),
    user: str | None = None,
    secrets: Iterable[str | None] = (),
    attempts_unknown: Sequence[bool] | None = None,
) -> Failure:
    """Classify anything a botocore call can raise; anything else is a bug and re-raised.

    refers_to: the call's parameters that come from template references (a not-found is
    about one of them); user: the user's ARN when the call names the user (a not-found then
    says which user, as CloudFormation's contract words it); attempts_unknown: for each
    attempt botocore made, whether its outcome is unknown (connect.py observes them). When
    the attempts were not observed, a call botocore resent may have taken effect."""
    hidden = [s for s in secrets if s]
    attempts = 0
    status = 0
    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        service_code = str(info.get("Code", "Unknown"))
        raw = str(info.get("Message", ""))
        metadata = error.response.get("ResponseMetadata", {})
        status = int(metadata.get("HTTPStatusCode") or 0)
        attempts = int(metadata.get("RetryAttempts", 0))
        rule = service_rule(service_code, status)
    elif isinstance(error, ParamValidationError):
        service_code, raw, rule = "ParamValidationError", str(error), PARAMETERS
    elif isinstance(error, NoCredentialsError):
        service_code, raw, rule = "NoCredentials", str(error), NO_CREDENTIALS
    elif isinstance(error, _NETWORK_ERRORS):
        service_code, raw, rule = type(error).__name__, str(error), NETWORK
    elif isinstance(error, BotoCoreError):
        service_code, raw, rule = type(error).__name__, str(error), OTHER_SDK_ERROR
    else:
        raise error
    service_message = _capped(scrub(raw, hidden))
    detail = f"{service_code}: {service_message}".rstrip(": ")
    about = None
    message = f"{operation} failed: {detail}"
    if operation in PROFICIENCY_WRITES and rule.code in (H.NotFound, H.InvalidRequest):
        rule = MISSING_PROFICIENCY if rule.code is H.NotFound else PROFICIENCY_REJECTED
        about = "UserProficiencies"
        message = _proficiency_message(rule, operation, detail, service_message, params or {})
    elif rule.code is H.NotFound and refers_to:
        rule = MISSING_REFERENCE
        about, message = _missing_reference(
            operation, detail, service_message, params or {}, refers_to
        )
    elif rule.code is H.NotFound and user is not None:
        message = user_not_found(user).message
    elif operation == "CreateUser" and _about_username(service_code, service_message):
        about = "Username"
        refusal = f"was refused by Connect: {service_message} ({operation}: {service_code})"
        message = f"Username: {refusal}"
    attempt_unknown = any(attempts_unknown) if attempts_unknown is not None else attempts > 0
    return Failure(
        rule,
        message,
        operation=operation,
        about=about,
        retry_attempts=attempts,
        attempt_unknown=attempt_unknown,
    )


def _about_username(service_code: str, service_message: str) -> bool:
    """A CreateUser refusal about the Username: the template's bound is the API's 1-100
    (issue 21), so an instance's own tighter limit arrives as Connect's refusal, which names
    the username in its words."""
    refusal = service_code in ("InvalidParameterException", "InvalidRequestException")
    return refusal and "username" in service_message.lower().replace(" ", "")


def out_of_time(operation: str) -> Failure:
    """The invocation's deadline is too close for another call: not sent, try again later."""
    return Failure(
        NOT_SENT,
        f"{operation} failed: InvocationDeadline: not sent: the handler's time for this "
        "invocation is nearly up",
        operation=operation,
        sent=False,
    )


# --- failures the handler decides itself ----------------------------------------------------


def refused(reason: str) -> Failure:
    return Failure(REFUSED, reason)


def corrupt_context(reason: str) -> Failure:
    return Failure(
        CORRUPT_CONTEXT,
        f"callbackContext: {reason}. It is not a context this handler wrote (CloudFormation "
        "hands back the last IN_PROGRESS answer's context unchanged); start the operation "
        "again without it.",
    )


def not_updatable(reason: str) -> Failure:
    return Failure(NOT_UPDATABLE, reason)


def user_not_found(identifier: str) -> Failure:
    return Failure(
        NO_SUCH_USER,
        f"Resource of type '{type_name()}' with identifier '{identifier}' was not found.",
    )


def not_our_user(
    username: str,
    instance_id: str,
    *,
    after_our_lost_create: bool,
    someone_elses_visible: bool = True,
) -> Failure:
    """CreateUser answered that the username is taken and no user with this create's marker
    was found (recovery.py). Someone else's when one is visible without our marker, or when
    this create never sent CreateUser before; otherwise perhaps ours, not visible yet."""
    if after_our_lost_create and not someone_elses_visible:
        return Failure(
            NOT_FOUND_AFTER_OUR_LOST_CREATE,
            f"Username: a user named {username} already exists in instance {instance_id}, "
            "and no user carrying this request's own marker was found (SearchUsers): if it "
            "is not the one this request created before its answer was lost, import it or "
            "choose another Username.",
        )
    return Failure(
        NOT_OURS,
        f"Username: a user named {username} already exists in instance {instance_id} and was "
        "not created by this request. If CloudFormation is replacing this user because a "
        "create-only property changed (InstanceId rewritten between its ID and ARN forms, "
        "say), keep that property as first written or change Username in the same update; "
        "otherwise import the existing user or choose another Username.",
    )


def not_visible_yet(user_arn: str) -> Failure:
    return Failure(
        NOT_VISIBLE_YET,
        f"User {user_arn} was created; Connect does not show it yet (DescribeUser: not found).",
        operation="DescribeUser",
    )


def still_visible(user_arn: str) -> Failure:
    return Failure(
        STILL_VISIBLE,
        f"User {user_arn} was deleted; Connect still shows it (DescribeUser).",
        operation="DescribeUser",
    )


def may_still_appear(user_arn: str) -> Failure:
    return Failure(
        MAY_STILL_APPEAR,
        f"{user_not_found(user_arn).message} CloudFormation's model of it comes from a create "
        "that Connect had not shown yet, so it may still appear: DeleteUser is sent again.",
        operation="DeleteUser",
    )


def behind_describe(failure: Failure, user_arn: str | None = None) -> Failure:
    """A write's not-found for a user DescribeUser shows: Connect's write path is behind."""
    who = f"user {user_arn}" if user_arn else "the user"
    return Failure(
        BEHIND_DESCRIBE,
        f"{failure.operation or 'A write'} answered not found for {who}, which DescribeUser "
        "shows: Connect has not caught up yet.",
        operation=failure.operation,
        retry_attempts=failure.retry_attempts,
        attempt_unknown=failure.attempt_unknown,
    )


def create_undone(
    failure: Failure, message: str, user_arn: str, clean_up: Failure | None
) -> Failure:
    """A create that fails after CreateUser took effect (its proficiencies were not
    associated) deletes the user it made; the message says whether that worked."""
    if clean_up is None:
        told = f"{message} The user this request created ({user_arn}) was deleted again."
    else:
        told = (
            f"{message} The user this request created could not be deleted "
            f"({clean_up.message}): delete {user_arn} yourself."
        )
    return Failure(failure.rule, told, operation=failure.operation, about=failure.about)


def update_undone(failure: Failure, message: str, clean_up: Failure | None) -> Failure:
    """An update that fails right after UpdateUserPhoneConfig set VOICE's ACW limit on every
    channel puts the other channels' limits back; the message says whether that worked."""
    if clean_up is None:
        told = (
            f"{message} The ACW limits UpdateUserPhoneConfig set on the other channels were "
            "put back."
        )
    else:
        told = (
            f"{message} The ACW limits UpdateUserPhoneConfig set on the other channels could "
            f"not be put back ({clean_up.message}): they have VOICE's limit."
        )
    return Failure(failure.rule, told, operation=failure.operation, about=failure.about)


def invalid_credentials(reason: str) -> Failure:
    return Failure(NO_CREDENTIALS, reason)


# --- events ---------------------------------------------------------------------------------


def without_secrets(model: ResourceModel | None) -> ResourceModel | None:
    return replace(model, Password=None) if model is not None else None


def success(model: ResourceModel | None) -> ProgressEvent:
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=without_secrets(model))


def failed(failure: Failure) -> ProgressEvent:
    return ProgressEvent.failed(failure.code, failure.message)


def waited(failure: Failure, seconds: float) -> Failure:
    """A windowed failure at the end of its window: the message says how long it waited."""
    return Failure(
        failure.rule,
        f"{failure.message} Still so after {round(seconds)} s of retrying (Connect can take "
        "that long to show a change; this handler waits at most "
        f"{round(failure.rule.retry_for)} s).",
        operation=failure.operation,
        about=failure.about,
        retry_attempts=failure.retry_attempts,
        sent=failure.sent,
        attempt_unknown=failure.attempt_unknown,
    )


def callback_delay(attempt: int, rng: random.Random | None = None) -> int:
    """Full-jitter exponential delay in whole seconds (CloudFormation's unit), at least 1."""
    ceiling = min(CALLBACK_DELAY_CAP, CALLBACK_DELAY_BASE * 2 ** min(max(attempt - 1, 0), 16))
    return max(1, round((rng or random).uniform(ceiling / 2, ceiling)))


def give_up_at(timeout_minutes: int, now: float) -> int:
    return int(now + timeout_minutes * 60 - GIVE_UP_MARGIN_SECONDS)


def gone_after_our_own_attempt(failure: Failure, context: CallbackContext) -> bool:
    """A user not found by a DELETE that had already sent a DeleteUser whose outcome is
    unknown (an earlier attempt of this call, or an earlier invocation's call): that attempt
    deleted it. A throttled attempt did nothing, so it does not count."""
    return failure.rule is USER_GONE and (failure.outcome_unknown or context.delete_sent)


def as_decided(failure: Failure, action: Action) -> Failure:
    """DescribeUser decides whether a user exists: in an action that described the user
    before writing, a write's not-found about that user is Connect being behind."""
    if (
        action in DESCRIBES_BEFORE_WRITING
        and failure.rule is USER_GONE
        and failure.operation not in (None, "DescribeUser")
    ):
        return behind_describe(failure)
    return failure


def in_progress_model(
    action: Action, model: ResourceModel | None, context: CallbackContext
) -> tuple[ResourceModel | None, bool]:
    """The model an IN_PROGRESS event carries, and whether it keeps the Password: a create
    keeps it until its user exists, and from then on carries the user's UserArn (what a
    rollback deletes should the create not finish) but not its UserId: only a model that
    DescribeUser has shown carries both, which tells a rollback's DELETE that a user it does
    not find may still appear (stabilise.delete_once)."""
    created = context.created_user
    if created is None or model is None:
        return model, action in KEEPS_PASSWORD
    return replace(model, UserId=None, UserArn=created.user_arn), False


def event_for(
    failure: Failure,
    action: Action,
    model: ResourceModel | None,
    context: CallbackContext,
    *,
    progressed: bool = False,
    now: float | None = None,
) -> ProgressEvent:
    """What CloudFormation sees for a failure of this action."""
    failure = as_decided(failure, action)
    if action in SYNCHRONOUS:
        return failed(failure)
    model, keep_password = in_progress_model(action, model, context)
    return retry_later(
        failure,
        model,
        context,
        keep_password=keep_password,
        timeout_minutes=handler_timeout_minutes(action.name),
        progressed=progressed,
        now=now,
    )


def retry_later(
    failure: Failure,
    model: ResourceModel | None,
    context: CallbackContext,
    *,
    keep_password: bool,
    timeout_minutes: int,
    progressed: bool = False,
    now: float | None = None,
) -> ProgressEvent:
    """IN_PROGRESS for a transient failure, or FAILED once its time is up.

    The model returned here is what CloudFormation sends as the next desired state, so a
    create that has not reached Connect yet must keep its Password; nothing else does.
    """
    now = time.time() if now is None else now
    attempt = 1 if progressed else context.retries + 1
    deadline = context.give_up_at or give_up_at(timeout_minutes, now)
    window, window_start = context.window, context.window_start
    if math.isfinite(failure.rule.retry_for) and failure.transient:
        if window != failure.rule.window or window_start is None:
            window, window_start = failure.rule.window, int(now)  # this window starts now
        deadline = min(deadline, int(window_start + failure.rule.retry_for))
    delay = callback_delay(attempt)
    if not failure.transient or now + delay > deadline:
        if window_start is not None and window == failure.rule.window and failure.transient:
            return failed(waited(failure, now - window_start))
        return failed(failure)
    following = replace(
        context,
        retries=attempt,
        callbacks=context.callbacks + 1,
        give_up_at=context.give_up_at or give_up_at(timeout_minutes, now),
        window_start=window_start,
        window=window,
    )
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=model if keep_password else without_secrets(model),
        callbackContext=following.to_dict(),
        callbackDelaySeconds=delay,
        message=f"{failure.message} Retrying in a moment.",
    )

"""outcomes: success, failure and the callback ("retry later") policy."""

from __future__ import annotations

import random

import pytest
from cloudformation_cli_python_lib import HandlerErrorCode as H
from cloudformation_cli_python_lib import OperationStatus
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_connect_user import outcomes
from aws_connect_user.context import CallbackContext
from aws_connect_user.outcomes import (
    CALLBACK_DELAY_BASE,
    CALLBACK_DELAY_CAP,
    GIVE_UP_MARGIN_SECONDS,
    NEVER,
    UNTIL_TIMEOUT,
    Failure,
    Rule,
    callback_delay,
    from_exception,
    retry_later,
)

from ..testdata import PASSWORD
from .models_support import model

TRANSIENT = {H.Throttling, H.ServiceInternalError, H.NetworkFailure}


def failure(code: H, service_code: str = "X") -> Failure:
    rule = Rule(code, UNTIL_TIMEOUT if code in TRANSIENT else NEVER)
    return Failure(rule, f"CreateUser failed: {service_code}: detail", operation="CreateUser")


@settings(max_examples=100, derandomize=True, database=None)
@given(attempt=st.integers(min_value=1, max_value=40), seed=st.integers(0, 2**32))
def test_callback_delay_bounds(attempt: int, seed: int) -> None:
    ceiling = min(CALLBACK_DELAY_CAP, CALLBACK_DELAY_BASE * 2 ** (attempt - 1))
    delay = callback_delay(attempt, random.Random(seed))
    assert isinstance(delay, int)
    assert max(1, ceiling // 2) <= delay <= ceiling <= CALLBACK_DELAY_CAP


def test_delays_grow_to_the_cap() -> None:
    rng = random.Random(7)
    lows = [min(callback_delay(a, rng) for _ in range(50)) for a in range(1, 8)]
    assert lows == sorted(lows)
    assert max(callback_delay(30, rng) for _ in range(50)) <= CALLBACK_DELAY_CAP


TIMEOUT = 60  # minutes
NOW = 1_800_000_000.0


def later(failure_: Failure, context: dict, now: float = NOW, **kwargs):
    return retry_later(
        failure_,
        model(),
        CallbackContext.from_dict(context),
        keep_password=False,
        timeout_minutes=TIMEOUT,
        now=now,
        **kwargs,
    )


@pytest.mark.parametrize("code", [H.Throttling, H.ServiceInternalError, H.NetworkFailure])
def test_transient_failures_are_retried_while_cloudformation_would_wait(code: H) -> None:
    """The budget is the handler's timeout, not a count: a throttled handler keeps going."""
    give_up = int(NOW + TIMEOUT * 60 - GIVE_UP_MARGIN_SECONDS)
    context: dict = {}
    now = NOW
    for attempt in range(1, 200):
        event = later(failure(code), context, now)
        if event.status is OperationStatus.FAILED:
            break
        assert event.callbackContext == {
            "retries": attempt,
            "callbacks": attempt,
            "giveUpAt": give_up,
        }
        assert 1 <= event.callbackDelaySeconds <= CALLBACK_DELAY_CAP
        assert event.errorCode is None
        context = dict(event.callbackContext)
        now += event.callbackDelaySeconds
    assert event.status is OperationStatus.FAILED and event.errorCode is code
    # it stopped only because the next callback would have come after the give-up time
    assert now + CALLBACK_DELAY_CAP > give_up
    assert attempt > 100  # far more than the 20 callbacks the old count allowed


def test_progress_resets_the_delay_but_not_the_give_up_time() -> None:
    context = {"phase": "x", "retries": 9, "callbacks": 9, "giveUpAt": int(NOW) + 3600}
    moved = later(failure(H.Throttling), context, progressed=True)
    assert moved.callbackContext == {  # other keys of the context are kept
        "phase": "x",
        "retries": 1,
        "callbacks": 10,
        "giveUpAt": int(NOW) + 3600,
    }


def test_progress_never_retries_past_the_timeout() -> None:
    context = {"retries": 0, "callbacks": 5, "giveUpAt": int(NOW)}
    event = later(failure(H.Throttling), context, progressed=True)
    assert event.status is OperationStatus.FAILED
    assert event.errorCode is H.Throttling


@pytest.mark.parametrize(
    "code", [H.InvalidRequest, H.AccessDenied, H.NotFound, H.GeneralServiceException]
)
def test_permanent_failures_fail_at_once(code: H) -> None:
    event = retry_later(
        failure(code), model(), CallbackContext(), keep_password=True, timeout_minutes=TIMEOUT
    )
    assert event.status is OperationStatus.FAILED
    assert event.errorCode is code
    assert event.resourceModel is None


def test_password_kept_only_when_asked() -> None:
    m = model()
    kept = retry_later(
        failure(H.Throttling), m, CallbackContext(), keep_password=True, timeout_minutes=TIMEOUT
    )
    dropped = retry_later(
        failure(H.Throttling), m, CallbackContext(), keep_password=False, timeout_minutes=TIMEOUT
    )
    assert (
        kept.resourceModel is not None and kept.resourceModel._serialize()["Password"] == PASSWORD
    )
    assert (
        dropped.resourceModel is not None and "Password" not in dropped.resourceModel._serialize()
    )
    assert m.Password == PASSWORD, "the request's own model is not modified"


def test_success_never_carries_the_password() -> None:
    event = outcomes.success(model())
    assert event.status is OperationStatus.SUCCESS
    assert event.resourceModel is not None and "Password" not in event.resourceModel._serialize()
    assert outcomes.success(None).resourceModel is None


def test_failed_uses_the_cloudformation_code_and_message() -> None:
    from botocore.exceptions import ClientError

    error = ClientError(
        {"Error": {"Code": "ResourceNotFoundException", "Message": "gone"}}, "UpdateUserHierarchy"
    )
    f = from_exception(error, "UpdateUserHierarchy", refers_to=("HierarchyGroupId",))
    event = outcomes.failed(f)
    assert event.errorCode is H.InvalidRequest
    assert event.message == f.message


def test_a_bounded_window_is_retried_for_its_length_only() -> None:
    """The hook for failures worth retrying for a while (issue 16's windows): a rule whose
    retry_for is finite is called back until that long after it was first seen."""
    windowed = Failure(Rule(H.InvalidRequest, 120.0, window="w"), "RoutingProfileId names ...")
    context: dict = {}
    now = NOW
    for _ in range(100):
        event = later(windowed, context, now)
        if event.status is OperationStatus.FAILED:
            break
        assert event.callbackContext["windowStart"] == int(NOW)
        context = dict(event.callbackContext)
        now += event.callbackDelaySeconds
    assert event.status is OperationStatus.FAILED and event.errorCode is H.InvalidRequest
    assert NOW < now <= NOW + 120 < now + CALLBACK_DELAY_CAP


def _not_found(operation: str, attempts: int = 0) -> Failure:
    from botocore.exceptions import ClientError

    response = {
        "Error": {"Code": "ResourceNotFoundException", "Message": "gone"},
        "ResponseMetadata": {"HTTPStatusCode": 404, "RetryAttempts": attempts},
    }
    return from_exception(ClientError(response, operation), operation, user="arn")


def test_a_delete_not_found_is_its_own_doing_only_after_an_attempt_that_may_have_worked() -> None:
    gone = _not_found("DeleteUser")
    assert not outcomes.gone_after_our_own_attempt(gone, CallbackContext())
    assert not outcomes.gone_after_our_own_attempt(gone, CallbackContext(callbacks=3))  # throttled
    assert outcomes.gone_after_our_own_attempt(gone, CallbackContext(delete_sent=True))
    assert outcomes.gone_after_our_own_attempt(_not_found("DeleteUser", 1), CallbackContext())


def test_an_updates_write_not_found_for_the_user_it_described_is_called_back() -> None:
    from cloudformation_cli_python_lib import Action

    write = _not_found("UpdateUserIdentityInfo")
    update = outcomes.event_for(write, Action.UPDATE, model(), CallbackContext())
    assert update.status is OperationStatus.IN_PROGRESS
    assert update.message is not None and "Connect has not caught up" in update.message
    described = outcomes.event_for(
        _not_found("DescribeUser"), Action.UPDATE, model(), CallbackContext()
    )
    assert (described.status, described.errorCode) == (OperationStatus.FAILED, H.NotFound)
    read = outcomes.event_for(_not_found("DescribeUser"), Action.READ, None, CallbackContext())
    assert (read.status, read.errorCode) == (OperationStatus.FAILED, H.NotFound)


def test_a_create_in_progress_after_its_user_exists_drops_the_password_and_names_the_user() -> None:
    from cloudformation_cli_python_lib import Action

    from aws_connect_user.context import CreatedUser

    waiting = outcomes.not_visible_yet("arn:user")
    before = outcomes.event_for(failure(H.Throttling), Action.CREATE, model(), CallbackContext())
    assert before.resourceModel is not None
    assert before.resourceModel._serialize()["Password"] == PASSWORD
    created = CallbackContext(created_user=CreatedUser("u-1", "arn:user"))
    after = outcomes.event_for(waiting, Action.CREATE, model(), created, progressed=True)
    assert after.status is OperationStatus.IN_PROGRESS
    assert after.resourceModel is not None
    shown = after.resourceModel._serialize()
    assert "Password" not in shown
    # the UserArn a rollback deletes; no UserId: DescribeUser has not shown the user yet
    assert shown["UserArn"] == "arn:user" and "UserId" not in shown
    assert after.callbackContext is not None
    assert after.callbackContext["createdUserArn"] == "arn:user"


def test_stabilisation_waits_until_the_handler_timeout_then_is_not_stabilized() -> None:
    context: dict = {}
    now = NOW
    for _ in range(500):
        event = later(outcomes.still_visible("arn:user"), context, now)
        if event.status is OperationStatus.FAILED:
            break
        context = dict(event.callbackContext)
        now += event.callbackDelaySeconds
    assert event.errorCode is H.NotStabilized
    assert now > NOW + TIMEOUT * 60 - GIVE_UP_MARGIN_SECONDS - CALLBACK_DELAY_CAP


def test_another_window_starts_afresh_and_other_failures_keep_it() -> None:
    first = Failure(Rule(H.InvalidRequest, 120.0, window="a"), "A names ...")
    second = Failure(Rule(H.AlreadyExists, 120.0, window="b"), "B ...")
    started = later(first, {}, NOW)
    assert started.callbackContext is not None
    assert (started.callbackContext["window"], started.callbackContext["windowStart"]) == (
        "a",
        int(NOW),
    )
    throttled = later(failure(H.Throttling), dict(started.callbackContext), NOW + 10)
    assert throttled.callbackContext is not None
    assert throttled.callbackContext["windowStart"] == int(NOW)  # still window a's start
    other = later(second, dict(throttled.callbackContext), NOW + 100)
    assert other.status is OperationStatus.IN_PROGRESS, "b has its own 120 s"
    assert other.callbackContext is not None
    assert (other.callbackContext["window"], other.callbackContext["windowStart"]) == (
        "b",
        int(NOW + 100),
    )


def test_a_window_that_ran_out_says_how_long_it_waited() -> None:
    windowed = Failure(Rule(H.InvalidRequest, 120.0, window="a"), "RoutingProfileId names x.")
    context = {"window": "a", "windowStart": int(NOW) - 120, "giveUpAt": int(NOW) + 3000}
    event = later(windowed, context, NOW)
    assert (event.status, event.errorCode) == (OperationStatus.FAILED, H.InvalidRequest)
    assert event.message == (
        "RoutingProfileId names x. Still so after 120 s of retrying (Connect can take that "
        "long to show a change; this handler waits at most 120 s)."
    )

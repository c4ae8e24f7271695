"""ProgressEvents: success, failure, and "call me back later" for transient failures."""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Mapping
from typing import Any

from cloudformation_cli_python_lib import OperationStatus, ProgressEvent

from .errors import ConnectCallFailed
from .models import ResourceModel

# After botocore's in-invocation retries, a mutating handler asks CloudFormation to call it
# back (delays grow to CALLBACK_DELAY_CAP with jitter). It keeps going as long as
# CloudFormation would wait for it: it gives up with the failure's own code (Throttling,
# ServiceInternalError, NetworkFailure) only when the next callback would come later than
# GIVE_UP_MARGIN_SECONDS before the handler's timeout (timeoutInMinutes in the schema),
# counted from the operation's first callback. Many stacks sharing one account's rate limit
# can wait long; a count of callbacks could not tell that from a stuck handler.
CALLBACK_DELAY_BASE = 5
CALLBACK_DELAY_CAP = 30  # measured: 60 s left stacks idling well past the rate limit's floor
GIVE_UP_MARGIN_SECONDS = 120  # answer with our own failure before CloudFormation times out
RETRIES_KEY = "retries"  # callbacks in a row without progress: how long the next delay is
CALLBACKS_KEY = "callbacks"  # callbacks in all
GIVE_UP_KEY = "giveUpAt"  # epoch seconds after which no callback is asked for


def without_secrets(model: ResourceModel | None) -> ResourceModel | None:
    return dataclasses.replace(model, Password=None) if model is not None else None


def success(model: ResourceModel | None) -> ProgressEvent:
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=without_secrets(model))


def failed(failure: ConnectCallFailed) -> ProgressEvent:
    return ProgressEvent.failed(failure.error_code, failure.message)


def callback_delay(attempt: int, rng: random.Random | None = None) -> int:
    """Full-jitter exponential delay in whole seconds (CloudFormation's unit), at least 1."""
    ceiling = min(CALLBACK_DELAY_CAP, CALLBACK_DELAY_BASE * 2 ** (attempt - 1))
    return max(1, round((rng or random).uniform(ceiling / 2, ceiling)))


def give_up_at(timeout_minutes: int, now: float) -> int:
    return int(now + timeout_minutes * 60 - GIVE_UP_MARGIN_SECONDS)


def retry_later(
    failure: ConnectCallFailed,
    model: ResourceModel | None,
    context: Mapping[str, Any],
    *,
    keep_password: bool,
    timeout_minutes: int,
    progressed: bool = False,
    now: float | None = None,
) -> ProgressEvent:
    """IN_PROGRESS for a transient failure, or FAILED once CloudFormation would stop waiting.

    The model returned here is what CloudFormation sends as the next desired state, so a
    create that has not reached Connect yet must keep its Password; nothing else does.
    """
    now = time.time() if now is None else now
    attempt = 1 if progressed else int(context.get(RETRIES_KEY, 0)) + 1
    callbacks = int(context.get(CALLBACKS_KEY, 0)) + 1
    deadline = int(context.get(GIVE_UP_KEY) or give_up_at(timeout_minutes, now))
    delay = callback_delay(attempt)
    if not failure.retryable or now + delay > deadline:
        return failed(failure)
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=model if keep_password else without_secrets(model),
        callbackContext={
            **context,
            RETRIES_KEY: attempt,
            CALLBACKS_KEY: callbacks,
            GIVE_UP_KEY: deadline,
        },
        callbackDelaySeconds=delay,
        message=f"{failure.message} Retrying in a moment.",
    )

"""ProgressEvents: success, failure, and "call me back later" for transient failures."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from typing import Any

from cloudformation_cli_python_lib import OperationStatus, ProgressEvent

from .errors import ConnectCallFailed
from .models import ResourceModel

# After botocore's in-invocation retries, a mutating handler asks CloudFormation to call it
# back (delays grow to CALLBACK_DELAY_CAP with jitter). It gives up with the failure's own
# code (Throttling, ServiceInternalError, NetworkFailure) after MAX_CALLBACKS callbacks in a
# row that made no progress, or MAX_TOTAL_CALLBACKS in all: an update that completes a write
# in some invocations keeps going under sustained throttling, but never forever.
MAX_CALLBACKS = 20
MAX_TOTAL_CALLBACKS = 60
CALLBACK_DELAY_BASE = 5
CALLBACK_DELAY_CAP = 30  # measured: 60 s left stacks idling well past the rate limit's floor
RETRIES_KEY = "retries"  # callbacks in a row without progress
CALLBACKS_KEY = "callbacks"  # callbacks in all


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


def retry_later(
    failure: ConnectCallFailed,
    model: ResourceModel | None,
    context: Mapping[str, Any],
    *,
    keep_password: bool,
    progressed: bool = False,
) -> ProgressEvent:
    """IN_PROGRESS for a transient failure, or FAILED once the callback budget is spent.

    The model returned here is what CloudFormation sends as the next desired state, so a
    create that has not reached Connect yet must keep its Password; nothing else does.
    """
    attempt = 1 if progressed else int(context.get(RETRIES_KEY, 0)) + 1
    callbacks = int(context.get(CALLBACKS_KEY, 0)) + 1
    if not failure.retryable or attempt > MAX_CALLBACKS or callbacks > MAX_TOTAL_CALLBACKS:
        return failed(failure)
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=model if keep_password else without_secrets(model),
        callbackContext={**context, RETRIES_KEY: attempt, CALLBACKS_KEY: callbacks},
        callbackDelaySeconds=callback_delay(attempt),
        message=f"{failure.message} Retrying in a moment.",
    )

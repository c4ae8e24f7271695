"""An update's writes (translate.plan_update), in order, and the side effect of one of them
that the update must not leave behind whatever happens.

UpdateUserPhoneConfig sets VOICE's ACW limit on every channel; when the template manages ACW
per channel, the UpdateUserConfig planned after it puts the other channels back. What to put
back is read from the live user before the phone write and kept in the callback context
(CallbackContext.acw_restore), so an invocation that finds the phone write already done
(a transient failure, a lost answer) still puts the limits back. When that UpdateUserConfig
fails for good, the update puts the limits back itself before it fails: the rollback update
that follows sees only the two templates and the overwritten user, and could not know them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudformation_cli_python_lib import Action, OperationStatus, ProgressEvent

from . import channels, outcomes
from .connect import Connect
from .context import CallbackContext
from .models import ResourceModel
from .outcomes import Failure
from .translate import UpdatePlan

PHONE_WRITE = "UpdateUserPhoneConfig"
LIST_WRITE = "UpdateUserConfig"


def apply(
    connect: Connect,
    plan: UpdatePlan,
    user: Mapping[str, Any],
    desired: ResourceModel,
    context: CallbackContext,
) -> ProgressEvent | None:
    """Send the plan's writes; None when all took effect, else the FAILED event of an update
    that put back what its phone write overwrote (transient failures raise as usual)."""
    context.acw_restore = dict(plan.acw_restore)  # recorded before the phone write is sent
    classic: Mapping[str, Any] | None = None
    for call in plan.calls:
        try:
            connect.call(call.operation, call.params, refers_to=(call.about,) if call.about else ())
        except Failure as failure:
            if call.operation != LIST_WRITE or not context.acw_restore:
                raise
            event = outcomes.event_for(
                failure, Action.UPDATE, desired, context, progressed=connect.writes > 0
            )
            if event.status is not OperationStatus.FAILED:
                return event
            clean_up = put_back(connect, call.params, user, classic, context.acw_restore)
            message = event.message or failure.message
            return outcomes.failed(outcomes.update_undone(failure, message, clean_up))
        if call.operation == PHONE_WRITE:
            classic = call.params["PhoneConfig"]
    return None


def put_back(
    connect: Connect,
    params: Mapping[str, Any],
    user: Mapping[str, Any],
    classic: Mapping[str, Any] | None,
    restore: Mapping[str, int],
) -> Failure | None:
    """One UpdateUserConfig with every channel's ACW limit as it was before the phone write;
    the failure if that did not work."""
    entries = channels.undo_spread(user, classic, restore)
    if entries is None:
        return None
    ids = {k: params[k] for k in ("InstanceId", "UserId")}
    try:
        connect.call(LIST_WRITE, {**ids, "AfterContactWorkConfigs": entries})
    except Failure as failure:
        return failure
    return None

"""The create's second write: the template's routing proficiencies, which CreateUser does not
take (AssociateUserProficiencies), and undoing the create when that write fails for good.

Between CreateUser and the association the user exists, so the create never leaves it
behind unknown to CloudFormation: a transient failure is IN_PROGRESS with the user's UserArn
(outcomes.in_progress_model); a callback associates without creating again, and after an
attempt whose outcome is unknown it lists first and associates only what is missing; a refusal
of botocore's resent association is no failure when Connect holds the proficiencies
(proficiencies.apply). A failure outcomes.py decides is final deletes the user this create
made and fails naming the entry; a failed clean-up says so with the user's ARN
(outcomes.create_undone).
"""

from __future__ import annotations

from cloudformation_cli_python_lib import Action, OperationStatus, ProgressEvent

from . import outcomes, proficiencies
from .connect import Connect
from .context import CallbackContext, CreatedUser
from .models import ResourceModel
from .outcomes import Failure
from .references import UserArn, parse_user_arn


def associate_proficiencies(
    connect: Connect, model: ResourceModel, created: CreatedUser, context: CallbackContext
) -> ProgressEvent | None:
    """The create's second write: one AssociateUserProficiencies with the template's
    proficiencies (none: no call), remembered so a callback never associates twice. When
    outcomes decide a failure is final, the user this create made is deleted first."""
    arn = parse_user_arn(created.user_arn)
    if arn is None:  # Connect's own answer: a user ARN
        raise ValueError("CreateUser answered a UserArn that is not a user ARN")
    ids = {"InstanceId": arn.instance_id, "UserId": arn.user_id}
    wanted = proficiencies.declared(model) or {}
    try:
        if wanted and context.proficiencies_sent:  # an earlier attempt may have taken effect
            live = proficiencies.live(connect, ids, arn.value)
            wanted = proficiencies.diff(live, wanted).associate
        proficiencies.apply(
            connect,
            ids,
            proficiencies.Diff(associate=wanted),
            arn.value,
            sent_before=context.proficiencies_sent,
        )
    except Failure as failure:
        context.proficiencies_sent = context.proficiencies_sent or failure.outcome_unknown
        event = outcomes.event_for(
            failure, Action.CREATE, model, context, progressed=connect.writes > 0
        )
        if event.status is not OperationStatus.FAILED:
            return event
        undone = outcomes.create_undone(
            failure, event.message or failure.message, arn.value, delete_created(connect, arn)
        )
        return outcomes.failed(undone)
    context.proficiencies_associated = True
    return None


def delete_created(connect: Connect, arn: UserArn) -> Failure | None:
    """Delete the user this create made; the failure if that did not work."""
    try:
        connect.call("DeleteUser", {"InstanceId": arn.instance_id, "UserId": arn.user_id})
    except Failure as failure:
        return failure
    return None

"""Stabilisation: create and delete answer SUCCESS only once Connect's reads agree.

Connect is eventually consistent: "Amazon Connect might return a ResourceNotFoundException if
you call DescribeUser immediately after calling CreateUser", and a change can take minutes to
show. DescribeUser decides whether a user exists, and each handler tells "gone" from "not
visible yet" as follows:

- CREATE: once its CreateUser took effect (or recovery.py found its own user), the user's
  identity is in the callback context. Until DescribeUser shows that user the create is
  IN_PROGRESS (outcomes.NOT_VISIBLE_YET); its callbacks only describe, never create again.
  A not-found here is "not visible yet": this very operation made the user. Its IN_PROGRESS
  model carries the UserArn (what a rollback deletes) but not the UserId: only a model from
  a create that DescribeUser agreed with (SUCCESS), a read or an update carries both.
- DELETE: once its DeleteUser took effect, the context carries the "deleted" mark and the
  delete is IN_PROGRESS until DescribeUser answers not found (outcomes.STILL_VISIBLE); its
  callbacks only describe. DeleteUser's not-found after an attempt of its own whose outcome
  is unknown (an earlier attempt of the same call, judged attempt by attempt in connect.py,
  or an earlier invocation's DeleteUser) is that attempt's doing: deleted. Without one,
  DescribeUser decides: a user it shows is "not visible yet" to DeleteUser
  (outcomes.BEHIND_DESCRIBE): called back, and DeleteUser sent again. Not found by both:
  - the model carries UserId (DescribeUser showed the user before): gone before this delete,
    NotFound at once, as CloudFormation's contract asks of a delete of a missing resource;
  - the model carries no UserId (the rollback of a create still waiting for Connect, or a
    request that names only the UserArn): the user may still appear. DeleteUser is sent
    again through callbacks for outcomes.UNSEEN_USER_WINDOW_SECONDS (five minutes, counted
    from this delete's first not-found) before the answer is NotFound. That wait is what a
    delete of an already-deleted user costs when CloudFormation never saw it described.
- READ and UPDATE: the identifier CloudFormation holds comes from a stabilised create, so
  DescribeUser showed the user when create returned: its not-found now means "gone"
  (NotFound). An UPDATE's write that answers not found for the user it has just described
  is behind (outcomes.DESCRIBES_BEFORE_WRITING): called back, the next DescribeUser decides.

Every wait is a callback (callbackDelaySeconds), never a sleep in the handler, and counts
against the handler's timeout like throttling does (outcomes.retry_later).

What Connect offers no way to do: a rollback of a create that never learned its user's
identity (CreateUser's answer lost and the search for its marker not yet showing the user)
carries no UserArn; its DELETE names no user and answers NotFound at once.
"""

from __future__ import annotations

from typing import Any

from . import outcomes
from .connect import Connect
from .context import CallbackContext, CreatedUser
from .models import ResourceModel
from .outcomes import Failure
from .references import UserArn, parse_user_arn


def described(connect: Connect, arn: UserArn) -> dict[str, Any] | None:
    """DescribeUser's User, or None when Connect answers that there is no such user."""
    ids = {"InstanceId": arn.instance_id, "UserId": arn.user_id}
    try:
        user: dict[str, Any] = connect.call("DescribeUser", ids, user=arn.value)["User"]
    except Failure as failure:
        if failure.rule is outcomes.USER_GONE:
            return None
        raise
    return user


def await_visible(connect: Connect, created: CreatedUser) -> dict[str, Any]:
    """The user this create made, once DescribeUser shows it."""
    arn = parse_user_arn(created.user_arn)
    if arn is None:  # Connect's own answer: a user ARN
        raise ValueError("CreateUser answered a UserArn that is not a user ARN")
    user = described(connect, arn)
    if user is None:
        raise outcomes.not_visible_yet(created.user_arn)
    return user


def shown_before(model: ResourceModel | None) -> bool:
    """Whether CloudFormation's model of the user comes from a moment DescribeUser showed it:
    such a model carries the UserId (a create's IN_PROGRESS model does not)."""
    return model is not None and bool(model.UserId)


def delete_once(connect: Connect, arn: UserArn, context: CallbackContext, *, shown: bool) -> None:
    """Delete the user, or know that an earlier attempt of this delete did; then mark the
    context deleted. A user gone before this delete is NotFound: at once when `shown` (the
    model was described before), after outcomes.UNSEEN_USER_WINDOW_SECONDS otherwise."""
    ids = {"InstanceId": arn.instance_id, "UserId": arn.user_id}
    try:
        connect.call("DeleteUser", ids, user=arn.value)
    except Failure as failure:
        if failure.outcome_unknown:
            context.delete_sent = True
        if failure.rule is not outcomes.USER_GONE:
            raise
        if not outcomes.gone_after_our_own_attempt(failure, context):
            if described(connect, arn) is not None:
                raise outcomes.behind_describe(failure, arn.value) from None
            if not shown:
                raise outcomes.may_still_appear(arn.value) from None
            raise  # gone before this delete
    context.deleted = True


def await_gone(connect: Connect, arn: UserArn) -> None:
    """Return once DescribeUser no longer shows the user this delete deleted."""
    if described(connect, arn) is not None:
        raise outcomes.still_visible(arn.value)

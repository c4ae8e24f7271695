"""The AWS::Connect::User handlers. Each reads as the steps of its operation; translation,
rules, outcomes, create recovery, the create's second write (association.py), stabilisation
and event parsing live in their own modules."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from typing import Any

from cloudformation_cli_python_lib import Action, OperationStatus, ProgressEvent, SessionProxy

from . import (
    association,
    outcomes,
    proficiencies,
    recovery,
    rules,
    stabilise,
    translate,
    update_writes,
)
from .connect import QUICK_ACTIONS, Connect, client_for, current
from .context import CallbackContext, CorruptContext
from .models import ResourceHandlerRequest, ResourceModel
from .outcomes import Failure, success
from .redaction import scrub
from .references import UserArn, id_of, parse_user_arn
from .runtime import CheckedRequest, ConnectUserResource
from .schema import type_name

LOG = logging.getLogger(__name__)
TYPE_NAME = type_name()

resource = ConnectUserResource()
test_entrypoint = resource.test_entrypoint

Step = Callable[[ResourceHandlerRequest, Connect, CallbackContext], ProgressEvent]
Entry = Callable[
    [SessionProxy | None, ResourceHandlerRequest, MutableMapping[str, Any]], ProgressEvent
]


def handler(action: Action) -> Callable[[Step], Entry]:
    """Register a step function: give it a Connect for the request and its callback context,
    and let outcomes decide what any failure becomes."""

    def register(step: Step) -> Entry:
        @functools.wraps(step)
        def run(
            session: SessionProxy | None,
            request: ResourceHandlerRequest,
            raw_context: MutableMapping[str, Any],
        ) -> ProgressEvent:
            models = (request.desiredResourceState, request.previousResourceState)
            context = CallbackContext()
            connect: Connect | None = None
            quick = action in QUICK_ACTIONS  # answered within 30 s (connect.py)
            try:
                secrets = [m.Password for m in models if m and m.Password]
                context = callback_context(raw_context, secrets)
                connect = Connect(
                    client_for(session, request.region, quick=quick), secrets, quick=quick
                )
                return step(request, connect, context)
            except Failure as failure:
                progressed = connect is not None and connect.writes > 0
                return outcomes.event_for(
                    failure,
                    action,
                    request.desiredResourceState,
                    context,
                    progressed=progressed,
                    now=current().wall_clock(),
                )

        resource.handler(action)(run)
        return run

    return register


def callback_context(raw: Any, secrets: list[str]) -> CallbackContext:
    """What this operation remembered, as CloudFormation handed it back."""
    try:
        return CallbackContext.from_dict(raw)
    except CorruptContext as corrupt:
        raise outcomes.corrupt_context(scrub(str(corrupt), secrets)) from None


def refuse(violations: list[rules.Violation]) -> None:
    if violations:
        raise outcomes.refused(rules.describe(violations))


def require_model(request: ResourceHandlerRequest) -> ResourceModel:
    if request.desiredResourceState is None:
        raise outcomes.refused("The request carries no resource properties.")
    return request.desiredResourceState


def required(value: str | None, name: str) -> str:
    """A property the schema requires (validated before any handler runs)."""
    if not value:
        raise outcomes.refused(f"{name}: is required")
    return value


def schema_violations(request: ResourceHandlerRequest) -> list[rules.Violation]:
    """What the desired state breaks in the schema, refused with the handler's own rules."""
    return request.schemaViolations if isinstance(request, CheckedRequest) else []


def user_arn_of(model: ResourceModel | None) -> UserArn:
    arn = parse_user_arn(model.UserArn if model else None)
    if arn is None:
        raise outcomes.user_not_found(str(model.UserArn if model else None))
    return arn


@handler(Action.CREATE)
def create_handler(
    request: ResourceHandlerRequest, connect: Connect, context: CallbackContext
) -> ProgressEvent:
    model = require_model(request)
    if context.created_user is None:  # once created, callbacks only wait for the user
        # Every violation in one message: the schema's, and the rules of the instance's type.
        instance_id = id_of(model.InstanceId, "instance") if model.InstanceId else None
        identity_type = connect.identity_management_type(instance_id) if instance_id else None
        refuse(rules.create_violations(model, identity_type, schema_violations(request)))
        tags = translate.desired_tags(model, request.desiredResourceTags)
        refuse(rules.tag_count_rules(tags, translate.MAX_TAGS, creating=True))
        context.created_user = recovery.create_once(connect, request, model, tags, context)
    user = context.created_user
    stabilise.await_visible(connect, user)  # associating before would meet a not-found
    if not context.proficiencies_associated:
        undone = association.associate_proficiencies(connect, model, user, context)
        if undone is not None:
            return undone
    return success(translate.created_model(model, user.user_id, user.user_arn))


@handler(Action.READ)
def read_handler(
    request: ResourceHandlerRequest, connect: Connect, context: CallbackContext
) -> ProgressEvent:
    model = request.desiredResourceState
    arn = user_arn_of(model)
    user = describe_user(connect, arn)
    instance = translate.instance_form(model.InstanceId if model else None, arn.instance_id)
    found = translate.model_from_user(user, instance, model)
    if proficiencies.read_lists(model):
        ids = {"InstanceId": arn.instance_id, "UserId": arn.user_id}
        live = proficiencies.live(connect, ids, arn.value)
        listed = proficiencies.rendered(live, model)
        found = replace(found, UserProficiencies=listed)  # type: ignore[arg-type]  # a list
    return success(found)


def describe_user(connect: Connect, arn: UserArn) -> dict[str, Any]:
    ids = {"InstanceId": arn.instance_id, "UserId": arn.user_id}
    user: dict[str, Any] = connect.call("DescribeUser", ids, user=arn.value)["User"]
    return user


@handler(Action.UPDATE)
def update_handler(
    request: ResourceHandlerRequest, connect: Connect, context: CallbackContext
) -> ProgressEvent:
    desired = require_model(request)
    arn = user_arn_of(desired if desired.UserArn else request.previousResourceState)
    user = describe_user(connect, arn)
    pending = schema_violations(request)
    not_updatable = rules.not_updatable(
        desired, request.previousResourceState, user, arn.instance_id, pending
    )
    if not_updatable:
        raise outcomes.not_updatable(rules.describe(not_updatable))
    # Only an identity change depends on who owns the names: ask the instance (cached) then.
    directory_owned = (
        translate.identity_differs(desired, user, directory_owned=False)
        and connect.identity_management_type(arn.instance_id) == rules.EXISTING_DIRECTORY
    )
    names_required = translate.has_names(user) and not directory_owned
    refuse(
        rules.update_violations(desired, names_required=names_required, schema_violations=pending)
    )
    if rules.password_changed(desired, request.previousResourceState):
        LOG.warning(
            "%s UPDATE: Password changed in the template and was not applied: it is the "
            "initial password only, and Connect has no API to set another user's password.",
            TYPE_NAME,
        )
    tags = translate.desired_tags(desired, request.desiredResourceTags)
    refuse(rules.tag_count_rules(tags, translate.MAX_TAGS, creating=False))
    plan = translate.plan_update(
        desired,
        user,
        tags,
        arn.instance_id,
        directory_owned=directory_owned,
        previous=request.previousResourceState,
        acw_recorded=context.acw_restore,
    )
    undone = update_writes.apply(connect, plan, user, desired, context)
    if undone is not None:
        return undone
    if proficiencies.managed(desired, request.previousResourceState):
        ids = {"InstanceId": arn.instance_id, "UserId": arn.user_id}
        live = proficiencies.live(connect, ids, arn.value)
        goal = proficiencies.target(desired, request.previousResourceState, live) or {}
        proficiencies.apply(connect, ids, proficiencies.diff(live, goal), arn.value)
    return success(translate.created_model(desired, user["Id"], user["Arn"]))


@handler(Action.DELETE)
def delete_handler(
    request: ResourceHandlerRequest, connect: Connect, context: CallbackContext
) -> ProgressEvent:
    model = request.desiredResourceState
    arn = user_arn_of(model)
    if not context.deleted:  # once deleted, callbacks only wait for the user to be gone
        stabilise.delete_once(connect, arn, context, shown=stabilise.shown_before(model))
    stabilise.await_gone(connect, arn)
    return success(None)


@handler(Action.LIST)
def list_handler(
    request: ResourceHandlerRequest, connect: Connect, context: CallbackContext
) -> ProgressEvent:
    model = request.desiredResourceState
    if model is None or not model.InstanceId:
        raise outcomes.refused("InstanceId: is required to list users")
    instance_id = id_of(model.InstanceId, "instance")
    params: dict[str, Any] = {"InstanceId": instance_id, "MaxResults": 1000}
    if request.nextToken:
        params["NextToken"] = request.nextToken
    page = connect.call("ListUsers", params, refers_to=("InstanceId",))
    models = [
        translate.listed_model(summary, model.InstanceId)
        for summary in page.get("UserSummaryList", [])
    ]
    return ProgressEvent(
        status=OperationStatus.SUCCESS,
        resourceModels=models,  # type: ignore[arg-type]
        nextToken=page.get("NextToken"),
    )

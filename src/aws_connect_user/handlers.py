"""The AWS::Connect::User handlers. Each reads as the steps of its operation; translation,
rules, errors and event parsing live in their own modules."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, MutableMapping
from typing import Any

from cloudformation_cli_python_lib import (
    Action,
    HandlerErrorCode,
    OperationStatus,
    ProgressEvent,
    SessionProxy,
)
from cloudformation_cli_python_lib import exceptions as cfn

from . import progress, rules, translate
from .connect import Connect, client_for
from .errors import USER, ConnectCallFailed
from .models import ResourceHandlerRequest, ResourceModel
from .references import UserArn, id_of, parse_user_arn
from .runtime import ConnectUserResource
from .schema import handler_timeout_minutes, type_name

LOG = logging.getLogger(__name__)
TYPE_NAME = type_name()
# callbackContext: a CreateUser answer was lost, so the user may exist. After throttling it
# certainly does not (and a lost answer followed by a retry surfaces as a duplicate anyway).
CREATE_SENT = "createSent"
CREATE_REFERENCES = "InstanceId, SecurityProfileIds, RoutingProfileId or HierarchyGroupId"

resource = ConnectUserResource()
test_entrypoint = resource.test_entrypoint

Step = Callable[[ResourceHandlerRequest, Connect, MutableMapping[str, Any]], ProgressEvent]
Entry = Callable[
    [SessionProxy | None, ResourceHandlerRequest, MutableMapping[str, Any]], ProgressEvent
]


def handler(action: Action) -> Callable[[Step], Entry]:
    """Register a step function: give it a Connect for the request, turn failures into events."""

    def register(step: Step) -> Entry:
        @functools.wraps(step)
        def run(
            session: SessionProxy | None,
            request: ResourceHandlerRequest,
            context: MutableMapping[str, Any],
        ) -> ProgressEvent:
            secrets = [
                m.Password
                for m in (request.desiredResourceState, request.previousResourceState)
                if m
            ]
            connect = Connect(client_for(session, request.region), secrets)
            try:
                event = step(request, connect, context)
            except ConnectCallFailed as failure:
                if action in (Action.READ, Action.LIST):
                    event = progress.failed(failure)
                else:
                    event = progress.retry_later(
                        failure,
                        request.desiredResourceState,
                        context,
                        keep_password=action is Action.CREATE,
                        timeout_minutes=handler_timeout_minutes(action.name),
                        progressed=connect.writes > 0,
                    )
            LOG.info(
                "%s %s: %s %s", TYPE_NAME, action.name, event.status.name, event.errorCode or ""
            )
            return event

        resource.handler(action)(run)
        return run

    return register


def refuse(violations: list[rules.Violation]) -> None:
    if violations:
        raise cfn.InvalidRequest(rules.describe(violations))


def require_model(request: ResourceHandlerRequest) -> ResourceModel:
    if request.desiredResourceState is None:
        raise cfn.InvalidRequest("The request carries no resource properties.")
    return request.desiredResourceState


def user_arn_of(model: ResourceModel | None) -> UserArn:
    arn = parse_user_arn(model.UserArn if model else None)
    if arn is None:
        raise cfn.NotFound(TYPE_NAME, str(model.UserArn if model else None))
    return arn


def create_token(request: ResourceHandlerRequest) -> str:
    """Marks a user as created by this very request, so a lost CreateUser response is
    recognised on retry instead of failing the stack and orphaning the user."""
    seed = f"{request.stackId}|{request.logicalResourceIdentifier}|{request.clientRequestToken}"
    return hashlib.sha256(seed.encode()).hexdigest()[:40]


@handler(Action.CREATE)
def create_handler(
    request: ResourceHandlerRequest, connect: Connect, context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = require_model(request)
    assert model.InstanceId and model.Username
    instance_id = id_of(model.InstanceId, "instance")
    refuse(rules.model_rules(model))
    identity_type = connect.identity_management_type(instance_id)
    refuse(rules.identity_type_rules(model, identity_type))
    tags = translate.desired_tags(model, request.desiredResourceTags)
    refuse(rules.tag_count_rules(tags, translate.MAX_TAGS, creating=True))
    token = create_token(request)
    tags[rules.MARKER_TAG_KEY] = token
    params = translate.create_user_params(model, tags)
    if context.get(CREATE_SENT):
        # An earlier invocation sent CreateUser and lost the answer: it may have landed.
        own = find_own_user(connect, instance_id, model.Username, token)
        if own is not None:
            return progress.success(translate.created_model(model, own["UserId"], own["UserArn"]))
    try:
        created = connect.call("CreateUser", params, about=CREATE_REFERENCES)
    except ConnectCallFailed as failure:
        if failure.outcome_unknown:
            context[CREATE_SENT] = True
        if failure.service_code != "DuplicateResourceException":
            raise
        created = find_own_user(connect, instance_id, model.Username, token)
        if created is None:
            return ProgressEvent.failed(
                HandlerErrorCode.AlreadyExists, already_exists(model.Username, instance_id)
            )
    return progress.success(translate.created_model(model, created["UserId"], created["UserArn"]))


def already_exists(username: str, instance_id: str) -> str:
    return (
        f"Username: a user named {username} already exists in instance {instance_id} and was "
        "not created by this request. If CloudFormation is replacing this user because a "
        "create-only property changed (InstanceId rewritten between its ID and ARN forms, "
        "say), keep that property as first written or change Username in the same update; "
        "otherwise import the existing user or choose another Username."
    )


def find_own_user(
    connect: Connect, instance_id: str, username: str, token: str
) -> dict[str, str] | None:
    """The user this request created before its CreateUser response was lost, if any."""
    criteria = {
        "StringCondition": {"FieldName": "Username", "Value": username, "ComparisonType": "EXACT"}
    }
    params = {"InstanceId": instance_id, "SearchCriteria": criteria}
    found = connect.call("SearchUsers", params, about="InstanceId")
    for user in found.get("Users", []):
        if (
            user.get("Username") == username
            and (user.get("Tags") or {}).get(rules.MARKER_TAG_KEY) == token
        ):
            return {"UserId": user["Id"], "UserArn": user["Arn"]}
    return None


@handler(Action.READ)
def read_handler(
    request: ResourceHandlerRequest, connect: Connect, context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = request.desiredResourceState
    arn = user_arn_of(model)
    user = describe_user(connect, arn)
    instance = translate.instance_form(model.InstanceId if model else None, arn.instance_id)
    return progress.success(translate.model_from_user(user, instance, model))


def describe_user(connect: Connect, arn: UserArn) -> dict[str, Any]:
    try:
        answer = connect.call(
            "DescribeUser", {"InstanceId": arn.instance_id, "UserId": arn.user_id}
        )
    except ConnectCallFailed as failure:
        if failure.code is HandlerErrorCode.NotFound:
            raise cfn.NotFound(TYPE_NAME, arn.value) from None
        raise
    user: dict[str, Any] = answer["User"]
    return user


@handler(Action.UPDATE)
def update_handler(
    request: ResourceHandlerRequest, connect: Connect, context: MutableMapping[str, Any]
) -> ProgressEvent:
    desired = require_model(request)
    arn = user_arn_of(desired if desired.UserArn else request.previousResourceState)
    user = describe_user(connect, arn)
    not_updatable = rules.not_updatable(
        desired, request.previousResourceState, user, arn.instance_id
    )
    if not_updatable:
        raise cfn.NotUpdatable(rules.describe(not_updatable))
    # Only an identity change depends on who owns the names: ask the instance (cached) then.
    directory_owned = (
        translate.identity_differs(desired, user, directory_owned=False)
        and connect.identity_management_type(arn.instance_id) == rules.EXISTING_DIRECTORY
    )
    names_required = translate.has_names(user) and not directory_owned
    refuse(rules.update_rules(desired, names_required=names_required))
    if rules.password_changed(desired, request.previousResourceState):
        LOG.warning(
            "%s UPDATE: Password changed in the template and was not applied: it is the "
            "initial password only, and Connect has no API to set another user's password.",
            TYPE_NAME,
        )
    tags = translate.desired_tags(desired, request.desiredResourceTags)
    refuse(rules.tag_count_rules(tags, translate.MAX_TAGS, creating=False))
    plan = translate.plan_update(
        desired, user, tags, arn.instance_id, directory_owned=directory_owned
    )
    for call in plan.calls:
        connect.call(call.operation, call.params, about=call.about or USER)
    return progress.success(translate.created_model(desired, user["Id"], user["Arn"]))


@handler(Action.DELETE)
def delete_handler(
    request: ResourceHandlerRequest, connect: Connect, context: MutableMapping[str, Any]
) -> ProgressEvent:
    arn = user_arn_of(request.desiredResourceState)
    try:
        connect.call("DeleteUser", {"InstanceId": arn.instance_id, "UserId": arn.user_id})
    except ConnectCallFailed as failure:
        if failure.code is not HandlerErrorCode.NotFound:
            raise
        # Gone after a retry of our own: an earlier attempt of this delete took effect.
        if not (failure.retry_attempts or context.get(progress.CALLBACKS_KEY)):
            raise cfn.NotFound(TYPE_NAME, arn.value) from None
    return progress.success(None)


@handler(Action.LIST)
def list_handler(
    request: ResourceHandlerRequest, connect: Connect, context: MutableMapping[str, Any]
) -> ProgressEvent:
    model = request.desiredResourceState
    if model is None or not model.InstanceId:
        raise cfn.InvalidRequest("InstanceId: is required to list users")
    instance_id = id_of(model.InstanceId, "instance")
    params: dict[str, Any] = {"InstanceId": instance_id, "MaxResults": 1000}
    if request.nextToken:
        params["NextToken"] = request.nextToken
    page = connect.call("ListUsers", params, about="InstanceId")
    models = [
        translate.listed_model(summary, model.InstanceId)
        for summary in page.get("UserSummaryList", [])
    ]
    return ProgressEvent(
        status=OperationStatus.SUCCESS,
        resourceModels=models,  # type: ignore[arg-type]
        nextToken=page.get("NextToken"),
    )

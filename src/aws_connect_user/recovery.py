"""Exactly-once create: a create that lost CreateUser's answer finds the user it made.

botocore retries a call inside an invocation, and CloudFormation calls a create back after
IN_PROGRESS; either can send CreateUser again after an attempt that reached Connect but whose
answer was lost. Connect then answers DuplicateResourceException for the user this very
create made. Reporting AlreadyExists would fail the stack and orphan that user, so:

- The token: sha256(stackId | logicalResourceId | clientRequestToken), 40 hex digits. The
  same for every attempt and callback of one create; different for any other request (a
  replacement of the resource, another stack, a later create of the same template).
- The marker tag: CreateUser tags the user MARKER_TAG_KEY = token. It takes one of Connect's
  50 tag slots, so a create refuses more than 49 tags (rules.tag_count_rules) rather than
  silently give the guarantee up; read hides the marker and update gives its slot back only
  when the template needs all 50 (translate.py).
- "create sent": when CreateUser fails so that its outcome is unknown (a lost answer, a 5xx,
  a timeout: outcomes.Rule.outcome_unknown), in any of botocore's attempts inside the
  invocation and not only the last (connect.py observes each), the callback context records
  createSent, and the next invocation searches before it sends CreateUser again. After
  throttles alone it does not: a throttled request did nothing.
- The search: SearchUsers for the exact Username; the user is ours when it carries our
  marker. A DuplicateResourceException is answered the same way: ours is success; a user of
  that name with no marker or another token is AlreadyExists at once (outcomes.not_our_user).
- A lagging search (Connect's eventual consistency, issue 16): after a CreateUser of this
  create that may have taken effect (createSent, or an earlier attempt of the call that
  answered DuplicateResourceException lost its answer), a search that finds nobody of that
  name is not proof the user is someone else's: the create keeps searching through callbacks
  for outcomes.DUPLICATE_SEARCH_WINDOW_SECONDS before it reports AlreadyExists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cloudformation_cli_python_lib import HandlerErrorCode

from . import outcomes, translate
from .connect import Connect
from .context import CallbackContext, CreatedUser
from .models import ResourceHandlerRequest, ResourceModel
from .rules import MARKER_TAG_KEY

# The template properties CreateUser's references come from: a not-found is about one.
CREATE_REFERENCES = ("InstanceId", "SecurityProfileIds", "RoutingProfileId", "HierarchyGroupId")

__all__ = [
    "MARKER_TAG_KEY",
    "CreatedUser",
    "Search",
    "create_once",
    "create_token",
    "find_own_user",
    "search",
]


@dataclass(frozen=True)
class Search:
    """What SearchUsers shows of a username: our own user, and whether someone else's is there."""

    own: CreatedUser | None
    someone_elses: bool


def create_token(request: ResourceHandlerRequest) -> str:
    seed = f"{request.stackId}|{request.logicalResourceIdentifier}|{request.clientRequestToken}"
    return hashlib.sha256(seed.encode()).hexdigest()[:40]


def create_once(
    connect: Connect,
    request: ResourceHandlerRequest,
    model: ResourceModel,
    tags: Mapping[str, str],
    context: CallbackContext,
) -> CreatedUser:
    """Create the user, or find the one an earlier attempt of this create made."""
    token = create_token(request)
    params = translate.create_user_params(model, {**tags, MARKER_TAG_KEY: token})
    instance_id, username = params["InstanceId"], params["Username"]
    if context.create_sent:
        own = find_own_user(connect, instance_id, username, token)
        if own is not None:
            return own
    try:
        created = connect.call("CreateUser", params, refers_to=CREATE_REFERENCES)
    except outcomes.Failure as failure:
        # Any attempt's outcome unknown (connect.py): even a throttled or duplicate last
        # attempt may follow one that made the user.
        if failure.outcome_unknown:
            context.create_sent = True
        if failure.code is not HandlerErrorCode.AlreadyExists:
            raise
        found = search(connect, instance_id, username, token)
        if found.own is None:
            raise outcomes.not_our_user(
                username,
                instance_id,
                after_our_lost_create=context.create_sent,
                someone_elses_visible=found.someone_elses,
            ) from None
        return found.own
    return CreatedUser(created["UserId"], created["UserArn"])


def search(connect: Connect, instance_id: str, username: str, token: str) -> Search:
    """SearchUsers for the exact username: our own user (its marker), or someone else's."""
    criteria = {
        "StringCondition": {"FieldName": "Username", "Value": username, "ComparisonType": "EXACT"}
    }
    params = {"InstanceId": instance_id, "SearchCriteria": criteria}
    found = connect.call("SearchUsers", params, refers_to=("InstanceId",))
    named = [u for u in found.get("Users", []) if u.get("Username") == username]
    for user in named:
        if (user.get("Tags") or {}).get(MARKER_TAG_KEY) == token:
            return Search(CreatedUser(user["Id"], user["Arn"]), someone_elses=len(named) > 1)
    return Search(None, someone_elses=bool(named))


def find_own_user(
    connect: Connect, instance_id: str, username: str, token: str
) -> CreatedUser | None:
    """The user this create made before its CreateUser answer was lost, if any."""
    return search(connect, instance_id, username, token).own

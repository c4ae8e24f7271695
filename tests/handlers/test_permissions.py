"""The schema's handler permissions are exactly the Connect operations each handler calls."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from aws_connect_user import connect, handlers, schema

from . import test_proficiencies as proficiency_paths
from . import test_secrets as paths
from .support import (
    MARKER_KEY,
    MI,
    USER_ID,
    StubbedConnect,
    create_params,
    create_token,
    created,
    event,
    live_user,
    properties,
    user_arn,
)

IDS = {"InstanceId": MI.id, "UserId": USER_ID}
NOISE_SUPPRESSION = {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}


def create_recovering_own_user(stub, mp):
    stub.describe_instance()
    stub.error("CreateUser", "DuplicateResourceException", create_params(), status=409)
    stub.ok(
        "SearchUsers",
        {
            "InstanceId": MI.id,
            "SearchCriteria": {
                "StringCondition": {
                    "FieldName": "Username",
                    "Value": "agent1",
                    "ComparisonType": "EXACT",
                }
            },
        },
        {
            "Users": [
                {
                    "Id": USER_ID,
                    "Arn": user_arn(),
                    "Username": "agent1",
                    "Tags": {MARKER_KEY: create_token()},
                }
            ]
        },
    )
    stub.visible()
    return event("CREATE", properties())


def create_with_tags(stub, mp):
    stub.describe_instance()
    stub.ok(
        "CreateUser", create_params(Tags={"team": "blue", MARKER_KEY: create_token()}), created()
    )
    stub.visible()
    return event("CREATE", properties(Tags=[{"Key": "team", "Value": "blue"}]))


def update_everything(stub, mp):
    stub.describe_user(live_user(tags={"drop": "1"}, HierarchyGroupId=MI.child_id("hierarchy", 1)))
    stub.describe_instance()  # an identity change asks who owns the names
    stub.ok(
        "UpdateUserIdentityInfo", {**IDS, "IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"}}
    )
    stub.ok(
        "UpdateUserPhoneConfig",
        {
            **IDS,
            "PhoneConfig": {
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": True,
                "AfterContactWorkTimeLimit": 0,
            },
        },
    )
    stub.ok("UpdateUserConfig", {**IDS, "VoiceEnhancementConfigs": [NOISE_SUPPRESSION]})
    stub.ok("UpdateUserRoutingProfile", {**IDS, "RoutingProfileId": MI.child_id("routing", 2)})
    stub.ok(
        "UpdateUserSecurityProfiles", {**IDS, "SecurityProfileIds": [MI.child_id("security", 2)]}
    )
    stub.ok("UpdateUserHierarchy", IDS)
    stub.ok("UntagResource", {"resourceArn": user_arn(), "tagKeys": ["drop"]})
    stub.ok("TagResource", {"resourceArn": user_arn(), "tags": {"team": "blue"}})
    props = properties(
        UserArn=user_arn(),
        IdentityInfo={"FirstName": "Ada", "LastName": "Byron"},
        PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": "true"},
        RoutingProfileId=MI.child_id("routing", 2),
        SecurityProfileIds=[MI.child_id("security", 2)],
        Tags=[{"Key": "team", "Value": "blue"}],
        VoiceEnhancementConfigs=[NOISE_SUPPRESSION],
    )
    return event("UPDATE", props, previous=properties(UserArn=user_arn()))


SCENARIOS = {
    **paths.SCENARIOS,
    **proficiency_paths.SCENARIOS,
    "create-recovering-own-user": create_recovering_own_user,
    "create-with-tags": create_with_tags,
    "update-everything": update_everything,
}


@pytest.fixture(scope="module")
def called() -> dict[str, set[str]]:
    """connect:<Operation> per handler, over every scenario, each with its own stubbed client."""
    found: dict[str, set[str]] = defaultdict(set)
    mp = pytest.MonkeyPatch()
    try:
        for name, scenario in sorted(SCENARIOS.items()):
            connect.forget_cached_state()
            stub = StubbedConnect()
            mp.setattr(handlers, "client_for", lambda session, region, c=stub.client, **_: c)
            with stub.stubber:
                payload: dict[str, Any] = scenario(stub, mp)
                response = handlers.resource(payload, None)
            assert not stub.stubber.failures, (name, stub.stubber.failures)
            stub.stubber.assert_no_pending_responses()
            assert response["status"] in ("SUCCESS", "FAILED", "IN_PROGRESS")
            found[payload["action"].lower()] |= {f"connect:{op}" for op in stub.operations}
            mp.undo()
    finally:
        mp.undo()
        connect.forget_cached_state()
    return dict(found)


def declared(action: str) -> set[str]:
    return set(schema.resource_schema()["handlers"][action]["permissions"])


@pytest.mark.parametrize("action", ["read", "update", "delete", "list"])
def test_permissions_equal_the_calls(called, action) -> None:
    assert called[action] == declared(action)


def test_create_permissions_are_the_calls_plus_tag_resource(called) -> None:
    # Documented exception: CreateUser with Tags is authorised as connect:TagResource too,
    # so create declares it without ever calling TagResource itself.
    assert "connect:TagResource" not in called["create"]
    assert called["create"] | {"connect:TagResource"} == declared("create")


def test_tagging_permissions_where_tags_are_written(called) -> None:
    tagging = set(schema.resource_schema()["tagging"]["permissions"])
    assert tagging == {"connect:TagResource", "connect:UntagResource"}
    assert tagging <= called["update"] <= declared("update")
    for action in ("read", "delete", "list"):
        assert not tagging & declared(action)


def test_every_handler_was_exercised(called) -> None:
    assert set(called) == set(schema.resource_schema()["handlers"])

"""Every example's users, through the handler's production entrypoint, on the local emulator.

The properties come from the templates themselves (see catalogue.py), so an example that stops
matching the schema or the handler fails here. CloudFormation-shaped events (every scalar a
string, stack tags, caller credentials) go to `aws_connect_user.handlers.resource`, whose own
boto3 client reaches the emulator through AWS_ENDPOINT_URL_CONNECT.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from jsonschema import Draft7Validator

from aws_connect_user import connect, handlers
from connect_emulator import Emulator
from connect_emulator.seed import CONNECT_MANAGED
from demo.events import handler_request

from ..testdata import PASSWORD
from .catalogue import (
    EXAMPLES,
    ROOT,
    TEMPLATES,
    Example,
    resource_schema,
)

SINGLE_AGENT_PROPERTIES = ROOT / "examples" / "properties" / "single-agent.json"
SECRETS = (PASSWORD,)
CHANNEL_LISTS = (
    "AutoAcceptConfigs",
    "AfterContactWorkConfigs",
    "PhoneNumberConfigs",
    "PersistentConnectionConfigs",
    "VoiceEnhancementConfigs",
)

USERS = [
    pytest.param(example, logical_id, props, id=f"{example.template}:{logical_id}")
    for example in EXAMPLES
    for logical_id, props in example.users().items()
]


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    return Draft7Validator(resource_schema())


@pytest.fixture
def env(emulator: Emulator, connect_endpoint_env: str) -> Iterator[Emulator]:
    connect.forget_cached_state()
    yield emulator
    connect.forget_cached_state()


def call(action: str, props: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
    response = handlers.resource(handler_request(action, props, **kwargs), None)
    assert isinstance(response, dict)
    return response


def test_every_example_declares_users() -> None:
    assert [len(e.users()) for e in EXAMPLES] == [1, 3, 1, 2, 1, 1]


def test_every_template_in_the_folder_is_an_example() -> None:
    assert sorted(p.name for p in TEMPLATES.glob("*.yaml")) == sorted(e.template for e in EXAMPLES)


@pytest.mark.parametrize(("example", "logical_id", "props"), USERS)
def test_user_properties_match_the_schema(validator, example, logical_id, props) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(props)]
    assert errors == []


def test_plain_properties_file_matches_the_schema(validator) -> None:
    props = json.loads(SINGLE_AGENT_PROPERTIES.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(props)) == []


def sorted_entries(entries: list[dict[str, Any]] | None) -> list[str]:
    return sorted(json.dumps(e, sort_keys=True) for e in entries or ())


@pytest.mark.emulator
def test_the_blended_agent_is_set_up_channel_by_channel(env) -> None:
    blended = next(e for e in EXAMPLES if e.template == "blended-agent.yaml")
    props = blended.users()["BlendedAgent"]
    created = call("CREATE", props, logical_id="BlendedAgent")
    assert created["status"] == "SUCCESS", created.get("message")
    user_id = created["resourceModel"]["UserId"]
    live = env.execute("DescribeUser", {"InstanceId": CONNECT_MANAGED.id, "UserId": user_id})
    user = live["User"]
    assert user["VoiceEnhancementConfigs"] == [
        {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
    ]
    assert user["PersistentConnectionConfigs"] == [
        {"Channel": "VOICE", "PersistentConnection": True}
    ]
    limits = {
        e["Channel"]: e["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
        for e in user["AfterContactWorkConfigs"]
    }
    assert limits == {"VOICE": 30, "CHAT": 600}  # the parameter's default
    assert {"Channel": "TASK", "AutoAccept": True} in user["AutoAcceptConfigs"]
    # The classic PhoneConfig is Connect's VOICE view of the same settings.
    assert user["PhoneConfig"]["PhoneType"] == "SOFT_PHONE"
    assert user["PhoneConfig"]["PersistentConnection"] is True


def expected_tags(example: Example, props: Mapping[str, Any]) -> dict[str, str]:
    tags = dict(example.stack_tags)
    tags.update({t["Key"]: t["Value"] for t in props.get("Tags", [])})  # the resource wins
    return tags


def lifecycle(
    emulator: Emulator,
    props: Mapping[str, Any],
    *,
    stack_tags: Mapping[str, str],
    logical_id: str,
) -> dict[str, Any]:
    """CREATE, READ, DELETE, READ through the entrypoint; returns what READ gave back."""
    created = call("CREATE", props, stack_tags=stack_tags, logical_id=logical_id)
    assert created["status"] == "SUCCESS", created.get("message")
    model = created["resourceModel"]
    assert model["UserArn"].endswith(f"/agent/{model['UserId']}")

    read = call("READ", {**props, "UserArn": model["UserArn"]}, logical_id=logical_id)
    assert read["status"] == "SUCCESS", read.get("message")
    got: dict[str, Any] = read["resourceModel"]

    deleted = call("DELETE", {**props, "UserArn": model["UserArn"]}, logical_id=logical_id)
    assert deleted["status"] == "SUCCESS", deleted.get("message")
    gone = call("READ", {**props, "UserArn": model["UserArn"]}, logical_id=logical_id)
    assert (gone["status"], gone["errorCode"]) == ("FAILED", "NotFound")

    for response in (created, read, deleted, gone):
        dumped = json.dumps(response)
        assert not any(secret in dumped for secret in SECRETS), "a password came back"
    return got


@pytest.mark.emulator
@pytest.mark.parametrize(("example", "logical_id", "props"), USERS)
def test_user_lifecycle_through_the_handler(env, caplog, example, logical_id, props) -> None:
    caplog.set_level(logging.DEBUG)
    got = lifecycle(env, props, stack_tags=example.stack_tags, logical_id=logical_id)

    assert got["Username"] == props["Username"]
    assert got["InstanceId"] == props["InstanceId"]
    assert got["RoutingProfileId"] == props["RoutingProfileId"]
    assert sorted(got["SecurityProfileIds"]) == sorted(props["SecurityProfileIds"])
    assert got.get("HierarchyGroupId") == props.get("HierarchyGroupId")
    assert got["IdentityInfo"] == props["IdentityInfo"]
    if "PhoneConfig" in props:
        assert got["PhoneConfig"] == {
            # Connect fills in what the template leaves out.
            "AutoAccept": False,
            "AfterContactWorkTimeLimit": 0,
            **props["PhoneConfig"],
        }
    for name in CHANNEL_LISTS:  # exactly the declared channels, in any order
        assert sorted_entries(got.get(name)) == sorted_entries(props.get(name)), name
    assert {t["Key"]: t["Value"] for t in got.get("Tags", [])} == expected_tags(example, props)
    assert "Password" not in got
    # The request log the emulator keeps shows what the handler called, in order.
    assert env.requests.operations()[:2] == ["DescribeInstance", "CreateUser"]
    assert not any(secret in caplog.text for secret in SECRETS), "a password was logged"


@pytest.mark.emulator
def test_team_lead_keeps_her_own_role_tag_over_the_stack_tag(env) -> None:
    team = next(e for e in EXAMPLES if e.template == "team.yaml")
    lead = team.users()["TeamLead"]
    created = call("CREATE", lead, stack_tags=team.stack_tags, logical_id="TeamLead")
    assert created["status"] == "SUCCESS", created.get("message")
    user_id = created["resourceModel"]["UserId"]
    live = env.execute("DescribeUser", {"InstanceId": CONNECT_MANAGED.id, "UserId": user_id})
    tags = live["User"]["Tags"]
    assert tags["role"] == "team-lead"
    assert tags["cost-centre"] == "contact-centre"
    assert live["User"]["PhoneConfig"]["PhoneType"] == "DESK_PHONE"
    assert live["User"]["HierarchyGroupId"] == CONNECT_MANAGED.child_id("hierarchy", 1)


@pytest.mark.emulator
def test_plain_properties_file_lifecycle(env) -> None:
    props = json.loads(SINGLE_AGENT_PROPERTIES.read_text(encoding="utf-8"))
    got = lifecycle(env, props, stack_tags={}, logical_id="Agent")
    assert got["Username"] == props["Username"]

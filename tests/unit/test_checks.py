"""checks.py runs the handler's own rules over a template's properties: what it finds is what
the handler refuses for the same properties, and what only CloudFormation knows is left open."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import cfn_yaml

from aws_connect_user import checks, rules
from aws_connect_user.runtime import build_model

from ..testdata import user_model

BROKEN = Path(__file__).resolve().parents[1] / "examples" / "broken"


def broken_properties() -> list[Any]:
    """The broken examples that break a handler rule (and nothing in the schema)."""
    found = []
    for path in sorted(BROKEN.glob("*.yaml")):
        template = json.loads(json.dumps(cfn_yaml.load(str(path))))
        if not template["Description"].startswith("Handler rule:"):
            continue
        for resource in template["Resources"].values():
            found.append(pytest.param(resource["Properties"], id=path.stem))
    return found


def test_every_handler_rule_example_is_checked() -> None:
    assert len(broken_properties()) == 8


def handler_refuses(properties: dict[str, Any]) -> set[str]:
    """What the handler's rules say, with no instance type known (as before DescribeInstance)."""
    model = build_model(properties)  # as the runtime builds it from a request
    return {str(v) for v in rules.model_rules(model)}


@pytest.mark.parametrize("properties", broken_properties())
def test_the_template_checks_are_the_handlers(properties: dict[str, Any]) -> None:
    assert {str(v) for v in checks.template_violations(properties)} == handler_refuses(properties)


def test_each_rule_named_in_the_issue_is_found() -> None:
    properties = user_model(
        PhoneConfig={"PhoneType": "DESK_PHONE", "AutoAccept": True},
        AutoAcceptConfigs=[
            {"Channel": "CHAT", "AutoAccept": True, "AgentFirstCallbackAutoAccept": True},
            {"Channel": "CHAT", "AutoAccept": False},
        ],
        UserProficiencies=[
            {"AttributeName": "Language", "AttributeValue": "English", "Level": 2},
            {"AttributeName": "Language", "AttributeValue": "English", "Level": 3},
        ],
        Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}],
        Username="x@y",
    )
    found = {v.property for v in checks.template_violations(properties)}
    assert found == {
        "Username",
        "PhoneConfig/DeskPhoneNumber",
        "PhoneConfig/AutoAccept",
        "AutoAcceptConfigs",
        "AutoAcceptConfigs/0/AgentFirstCallbackAutoAccept",
        "UserProficiencies",
        "Tags",
    }
    assert found == {v.property for v in checks.violations(properties)}


def test_what_only_cloudformation_knows_breaks_no_rule() -> None:
    foreign = "arn:aws:connect:us-east-1:123456789012:instance/other/security-profile/sp-1"
    properties = user_model(
        InstanceId={"Ref": "Instance"},  # the instance: unknown, so no ARN is foreign to it
        SecurityProfileIds=[foreign],
        PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": {"Ref": "Desk"}},
        Tags={"Ref": "AWS::NoValue"},  # a list only CloudFormation knows: nothing in it to check
        UserProficiencies=[
            {"AttributeName": {"Ref": "A"}, "AttributeValue": "x", "Level": 1},
            {"AttributeName": {"Ref": "B"}, "AttributeValue": "x", "Level": 1},
        ],
    )
    assert checks.template_violations(properties) == []
    known = {**properties, "InstanceId": "11111111-1111-4111-8111-111111111111"}
    assert [v.property for v in checks.template_violations(known)] == ["SecurityProfileIds"]


def test_a_property_the_schema_faults_is_not_echoed_by_a_rule() -> None:
    properties = user_model(Username="first@last")  # @ outside an email address shape
    assert [v.property for v in checks.violations(properties)] == ["Username"]
    assert checks.violations(properties, schema_faulted=["Username"]) == []


def test_one_tag_added_on_its_own() -> None:
    assert [str(v) for v in checks.tag_violations(rules.MARKER_TAG_KEY, "x")] == [
        f"Tags: the key {rules.MARKER_TAG_KEY} is reserved by this type"
    ]
    assert checks.tag_violations("team", "blue") == []

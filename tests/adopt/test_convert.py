"""adopt.convert: a stack's AWS::Connect::User resources to this type, and the steps that move
them without deleting a user. Offline: the conversion, the files, the lint and the type's
own rules; the stack operations themselves need CloudFormation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from adopt import convert, render
from connect_emulator.seed import CONNECT_MANAGED
from registry_package.lint import lint_templates

from ..testdata import AWS_TYPE_STACK

TYPE_NAME = "Acme::Connect::User"
MI = CONNECT_MANAGED.arn
ARNS = {name: f"{CONNECT_MANAGED.arn}/agent/{name.lower()}" for name in ("Agent", "Supervisor")}


@pytest.fixture
def moved(tmp_path: Path) -> Path:
    source = tmp_path / "stack.yaml"
    source.write_text(AWS_TYPE_STACK)
    resources = {
        "StackResources": [
            {"LogicalResourceId": k, "PhysicalResourceId": v, "ResourceType": "AWS::Connect::User"}
            for k, v in ARNS.items()
        ]
        + [
            {
                "LogicalResourceId": "Tier1",
                "PhysicalResourceId": "x",
                "ResourceType": "AWS::Connect::UserHierarchyGroup",
            }
        ]
    }
    (tmp_path / "resources.json").write_text(json.dumps(resources))
    out = tmp_path / "out"
    argv = ["--type-name", TYPE_NAME, "--stack-name", "agents", "--out", str(out)]
    argv += ["--stack-resources", str(tmp_path / "resources.json"), str(source)]
    assert convert.main(argv) == 0
    return out


def load(path: Path) -> dict:
    return convert.load(path)


def test_the_users_in_this_types_names(moved: Path) -> None:
    body = load(moved / "3-users.yaml")
    agent = body["Resources"]["Agent"]
    assert agent["Type"] == TYPE_NAME
    assert (agent["DeletionPolicy"], agent["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = agent["Properties"]
    assert props["InstanceId"] == {"Ref": "Instance"}
    assert props["HierarchyGroupId"] == {"Ref": "Tier1UserHierarchyGroupArn"}
    assert props["SecurityProfileIds"] == [
        {"Fn::Sub": "${Instance}/security-profile/aaaaaaaa-0001-4000-8000-000000000001"}
    ]
    assert "RoutingProfileId" in props and "RoutingProfileArn" not in props
    assert props["UserProficiencies"] == [
        {"AttributeName": "Language", "AttributeValue": "English", "Level": 3}
    ]
    assert props["AfterContactWorkConfigs"] == [
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 600}}
    ]
    assert set(body["Parameters"]) == {"Instance", "Tier1UserHierarchyGroupArn"}
    assert "Tier1" not in body["Resources"]


def test_what_has_no_counterpart_is_named(moved: Path) -> None:
    steps = (moved / "STEPS.md").read_text()
    assert "Agent/AfterContactWorkConfigs/0/AfterContactWorkConfig/AfterContactWorkMode" in steps
    assert "Supervisor: resource attribute DependsOn not carried over" in steps
    assert "Outputs/AgentArn uses Agent" in steps
    assert "Agent/Password: left out" in steps
    assert "Password" not in (moved / "3-users.yaml").read_text()


def test_the_old_stack_keeps_everything_else_untouched(moved: Path) -> None:
    original = convert.load_text(AWS_TYPE_STACK)
    kept = load(moved / "1-retain.yaml")
    for name in ("Agent", "Supervisor"):
        assert kept["Resources"][name]["DeletionPolicy"] == "Retain"
        kept["Resources"][name].pop("DeletionPolicy")
        kept["Resources"][name].pop("UpdateReplacePolicy")
    assert kept == original
    without = load(moved / "2-without-users.yaml")
    assert set(without["Resources"]) == {"Tier1"}
    assert without["Resources"]["Tier1"] == original["Resources"]["Tier1"]


def test_the_import_file_and_the_steps(moved: Path) -> None:
    entries = json.loads((moved / "3-users-import.json").read_text())
    assert entries == [
        {"ResourceType": TYPE_NAME, "LogicalResourceId": k, "ResourceIdentifier": {"UserArn": v}}
        for k, v in ARNS.items()
    ]
    steps = (moved / "STEPS.md").read_text()
    order = ["1-retain.yaml", "2-without-users.yaml", "--change-set-type IMPORT", "drift"]
    positions = [steps.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_the_converted_template_lints_clean_and_the_type_accepts_it(moved: Path) -> None:
    assert lint_templates(TYPE_NAME, [str(moved / "3-users.yaml")]) == 0
    body = load(moved / "3-users.yaml")
    values = {
        "Instance": CONNECT_MANAGED.arn,
        "Tier1UserHierarchyGroupArn": CONNECT_MANAGED.child_arn("hierarchy", 1),
    }
    for resource in body["Resources"].values():
        resolved = json.loads(json.dumps(resource["Properties"]))
        resolved["InstanceId"] = values["Instance"]
        if "HierarchyGroupId" in resolved:
            resolved["HierarchyGroupId"] = values["Tier1UserHierarchyGroupArn"]
        resolved["SecurityProfileIds"] = [
            s if isinstance(s, str) else s["Fn::Sub"].replace("${Instance}", MI)
            for s in resolved["SecurityProfileIds"]
        ]
        routing = resolved["RoutingProfileId"]
        if isinstance(routing, dict):
            resolved["RoutingProfileId"] = routing["Fn::Sub"].replace("${Instance}", MI)
        assert render.problems(resolved) == []


def test_other_resource_types_are_never_converted() -> None:
    template = yaml.safe_load(
        "Resources:\n  G: {Type: AWS::Connect::UserHierarchyGroup, Properties: {Name: x}}\n"
    )
    assert convert.convert(template, TYPE_NAME).users == {}

"""Synthesize examples/cdk_app (no AWS account) and check what it would deploy."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from ..examples.catalogue import ROOT, SCHEMA_FILE
from .support import MI, as_deployed, schema_errors

APP_FILE = ROOT / "examples" / "cdk_app" / "app.py"
USERS = {"TeamLead": "mgarcia", "Agentakumar": "akumar", "Agentlchen": "lchen"}


def load_app_module() -> Any:
    spec = importlib.util.spec_from_file_location("example_cdk_app", APP_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Template, Path]:
    """One synthesis for the whole module; the cloud assembly directory with it."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = load_app_module().build_app(str(outdir))
    assembly = app.synth()
    stack = assembly.get_stack_by_name("SupportTeam")
    return Template.from_json(stack.template), outdir


@pytest.fixture(scope="module")
def template(synthesized) -> Template:
    return synthesized[0]


@pytest.fixture(scope="module")
def users(template: Template) -> Mapping[str, Any]:
    return template.find_resources("AWS::Connect::User")


def test_three_users_with_their_usernames(users) -> None:
    assert {logical_id: r["Properties"]["Username"] for logical_id, r in users.items()} == USERS


def test_team_lead_properties(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Connect::User",
        {
            "InstanceId": MI.arn,
            "Username": "mgarcia",
            "Password": "{{resolve:secretsmanager:contact-centre/mgarcia:SecretString:password::}}",
            "IdentityInfo": {
                "FirstName": "Maria",
                "LastName": "Garcia",
                "Email": "maria.garcia@example.com",
                "Mobile": "+12065550100",
            },
            "PhoneConfig": {
                "PhoneType": "DESK_PHONE",
                "DeskPhoneNumber": "+12065550101",
                "AutoAccept": False,
                "AfterContactWorkTimeLimit": 120,
            },
            "SecurityProfileIds": [{"Fn::GetAtt": ["AgentProfile", "SecurityProfileArn"]}],
            "RoutingProfileId": {"Fn::GetAtt": ["TeamRouting", "RoutingProfileArn"]},
            "HierarchyGroupId": {"Fn::GetAtt": ["TeamGroup", "UserHierarchyGroupArn"]},
            "Tags": [
                {"Key": "cost-centre", "Value": "contact-centre"},
                {"Key": "role", "Value": "team-lead"},
            ],
        },
    )


def test_stack_tags_reach_every_user_and_own_tags_win(users) -> None:
    for logical_id, resource in users.items():
        tags = {t["Key"]: t["Value"] for t in resource["Properties"]["Tags"]}
        role = "team-lead" if logical_id == "TeamLead" else "agent"
        assert tags == {"cost-centre": "contact-centre", "role": role}


def test_profiles_are_shared_by_reference(template: Template) -> None:
    template.resource_count_is("AWS::Connect::SecurityProfile", 1)
    template.resource_count_is("AWS::Connect::RoutingProfile", 1)
    template.resource_count_is("AWS::Connect::UserHierarchyGroup", 1)
    template.all_resources_properties(
        "AWS::Connect::User",
        {"RoutingProfileId": {"Fn::GetAtt": ["TeamRouting", "RoutingProfileArn"]}},
    )


def test_no_password_is_a_literal(users) -> None:
    for resource in users.values():
        assert resource["Properties"]["Password"].startswith("{{resolve:secretsmanager:")


def test_outputs_are_user_arns_and_ids(template: Template) -> None:
    template.has_output("TeamLeadArn", {"Value": {"Fn::GetAtt": ["TeamLead", "UserArn"]}})
    template.has_output("TeamLeadId", {"Value": {"Fn::GetAtt": ["TeamLead", "UserId"]}})
    template.has_output("akumarId", {"Value": {"Fn::GetAtt": ["Agentakumar", "UserId"]}})
    template.has_output("lchenArn", {"Value": Match.object_like({"Fn::GetAtt": Match.any_value()})})


@pytest.mark.parametrize("logical_id", sorted(USERS))
def test_synthesized_properties_validate_against_the_schema(users, logical_id) -> None:
    assert schema_errors(as_deployed(users[logical_id]["Properties"])) == []


def test_builtin_cdk_validation_has_nothing_to_say(synthesized) -> None:
    """aws-cdk-lib checks templates against AWS's own AWS::Connect::User while synthesizing;
    the construct acknowledges exactly the findings that belong to that other schema (unknown
    and missing property names, the UserId attribute), so nothing is left to warn about."""
    report = json.loads((synthesized[1] / "validation-report.json").read_text())
    (plugin,) = report["pluginReports"]
    assert plugin["pluginName"] == "CloudFormation Validate"
    assert plugin["violations"] == []
    suppressed = {v["ruleName"] for v in plugin["suppressedViolations"]}
    assert suppressed == {"F3002", "F3003", "F6101"}


def test_synthesized_template_passes_cfn_lint_with_the_type_schema(synthesized, tmp_path) -> None:
    outdir = synthesized[1]
    (tmp_path / "schemas").mkdir()
    shutil.copy(SCHEMA_FILE, tmp_path / "schemas")
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("cfn-lint")),
            "--registry-schemas",
            str(tmp_path / "schemas"),
            "--",
            str(outdir / "SupportTeam.template.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr

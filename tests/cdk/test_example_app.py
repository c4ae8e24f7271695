"""Synthesize examples/cdk_app (no AWS account) and check what it would deploy."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from registry_package.lint import lint_templates
from registry_package.naming import configured_type_name

from ..examples.catalogue import ROOT
from .support import MI, as_deployed, schema_errors

APP_FILE = ROOT / "examples" / "cdk_app" / "app.py"
USER_TYPE = configured_type_name()  # config.mk's TYPE_NAME: the app follows it
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
    return template.find_resources(USER_TYPE)


def test_three_users_with_their_usernames(users) -> None:
    assert {logical_id: r["Properties"]["Username"] for logical_id, r in users.items()} == USERS


def test_team_lead_properties(template: Template) -> None:
    template.has_resource_properties(
        USER_TYPE,
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
        USER_TYPE,
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


def test_builtin_cdk_validation_has_nothing_to_say_and_nothing_is_silenced(synthesized) -> None:
    """aws-cdk-lib checks templates against AWS's resource specification while synthesizing.
    Under a private name it has nothing to say about the users (it would, rightly, about
    AWS::Connect::User: AWS's type has other property names), and the construct silences
    nothing."""
    path = synthesized[1] / "validation-report.json"
    reports = json.loads(path.read_text())["pluginReports"] if path.exists() else []
    assert [r.get("violations") for r in reports if r.get("violations")] == []
    assert [r for r in reports if r.get("suppressedViolations")] == []


def test_the_app_follows_the_chosen_type_name(tmp_path) -> None:
    module = load_app_module()
    app = module.cdk.App(
        outdir=str(tmp_path), context={"cdk-connect-user:typeName": "Acme::Connect::User"}
    )
    module.SupportTeamStack(app, "SupportTeam", instance_arn=MI.arn)
    stack = app.synth().get_stack_by_name("SupportTeam")
    assert len(Template.from_json(stack.template).find_resources("Acme::Connect::User")) == 3


def test_synthesized_template_lints_clean_under_the_chosen_name(synthesized, capsys) -> None:
    """make lint-templates' checks (the type's schema and the handler's rules) pass it."""
    template_file = synthesized[1] / "SupportTeam.template.json"
    assert lint_templates(USER_TYPE, [str(template_file)]) == 0, capsys.readouterr().out

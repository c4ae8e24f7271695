"""The ConnectUser construct: rendering, tokens, tags and attributes (its checks of what it is
given: test_construct_checks.py)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_connect_user import ConnectUser, IdentityInfo, PhoneConfig, PhoneType
from cdk_connect_user.user import TYPE_NAME, TYPE_NAME_CONTEXT

from ..testdata import PASSWORD
from .support import MI, as_deployed, schema_errors

REQUIRED: dict[str, Any] = {
    "instance_id": MI.id,
    "username": "agent1",
    "phone_config": PhoneConfig(phone_type=PhoneType.SOFT_PHONE),
    "security_profile_ids": [MI.child_id("security", 1)],
    "routing_profile_id": MI.child_id("routing", 1),
}


def new_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Test")


@pytest.fixture(scope="module")
def built() -> tuple[Template, dict[str, Any]]:
    """One stack with every construct these tests look at, synthesized once."""
    stack = new_stack()
    minimal = ConnectUser(stack, "Minimal", **REQUIRED)
    sp = cdk.CfnParameter(stack, "SecurityProfiles", type="List<String>")
    instance = cdk.CfnParameter(stack, "Instance")
    tokens = ConnectUser(
        stack,
        "Tokens",
        instance_id=instance.value_as_string,
        username="agent2",
        phone_config=PhoneConfig(
            phone_type=PhoneType.SOFT_PHONE,
            after_contact_work_time_limit=cdk.Token.as_number(
                cdk.CfnParameter(stack, "Acw", type="Number").value
            ),
        ),
        security_profile_ids=sp.value_as_list,
        routing_profile_id=MI.child_arn("routing", 2),
        password=cdk.SecretValue.cfn_parameter(cdk.CfnParameter(stack, "Password", no_echo=True)),
    )
    full = ConnectUser(
        stack,
        "Full",
        **{**REQUIRED, "username": "agent3"},
        identity_info=IdentityInfo(first_name="Ada", last_name="Lovelace"),
        hierarchy_group_id=MI.child_arn("hierarchy", 2),
        directory_user_id="ada@corp",
        tags={"team": "blue", "own": "yes"},
    )
    full.add_tag("extra", "1")
    private = ConnectUser(
        stack, "Private", **{**REQUIRED, "username": "agent4"}, type_name="Acme::Connect::User"
    )
    cdk.Tags.of(stack).add("team", "stack-tag")  # loses to Full's own tag
    cdk.Tags.of(stack).add("cost", "42")
    cdk.Tags.of(full).add("own", "forced", priority=300)  # an explicit higher priority wins
    cdk.CfnOutput(stack, "Arn", value=full.attr_user_arn)
    cdk.CfnOutput(stack, "Id", value=full.attr_user_id)
    cdk.CfnOutput(stack, "Ref", value=full.ref)
    resolved = {
        "minimal": stack.resolve(minimal.ref),
        "tokens_arn": stack.resolve(tokens.attr_user_arn),
        "private_type": private.cfn_resource_type,
    }
    return Template.from_stack(stack), resolved


def props(template: Template, logical_id: str) -> dict[str, Any]:
    resources = template.to_json()["Resources"]
    return dict(resources[logical_id]["Properties"])


def test_minimal_user_renders_only_what_was_given_plus_stack_tags(built) -> None:
    template, _ = built
    assert props(template, "Minimal") == {
        "InstanceId": MI.id,
        "Username": "agent1",
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "SecurityProfileIds": [MI.child_id("security", 1)],
        "RoutingProfileId": MI.child_id("routing", 1),
        "Tags": [{"Key": "cost", "Value": "42"}, {"Key": "team", "Value": "stack-tag"}],
    }


def test_full_user_own_tags_win_over_tags_of(built) -> None:
    template, _ = built
    rendered = props(template, "Full")
    assert rendered["IdentityInfo"] == {"FirstName": "Ada", "LastName": "Lovelace"}
    assert rendered["HierarchyGroupId"] == MI.child_arn("hierarchy", 2)
    assert rendered["DirectoryUserId"] == "ada@corp"
    assert {t["Key"]: t["Value"] for t in rendered["Tags"]} == {
        "team": "blue",
        "own": "forced",
        "extra": "1",
        "cost": "42",
    }
    assert schema_errors(rendered) == []


def test_tokens_pass_through(built) -> None:
    template, _ = built
    rendered = props(template, "Tokens")
    assert rendered["InstanceId"] == {"Ref": "Instance"}
    assert rendered["SecurityProfileIds"] == {"Ref": "SecurityProfiles"}
    assert rendered["PhoneConfig"]["AfterContactWorkTimeLimit"] == {"Ref": "Acw"}
    assert rendered["Password"] == {"Ref": "Password"}
    deployed = as_deployed(
        rendered,
        {
            "Instance": MI.arn,
            "SecurityProfiles": [MI.child_id("security", 1)],
            "Acw": 30,
            "Password": PASSWORD,
        },
    )
    assert schema_errors(deployed) == []


def test_attributes_and_ref(built) -> None:
    template, resolved = built
    assert resolved["minimal"] == {"Ref": "Minimal"}
    assert resolved["tokens_arn"] == {"Fn::GetAtt": ["Tokens", "UserArn"]}
    template.has_output("Arn", {"Value": {"Fn::GetAtt": ["Full", "UserArn"]}})
    template.has_output("Id", {"Value": {"Fn::GetAtt": ["Full", "UserId"]}})
    template.has_output("Ref", {"Value": {"Ref": "Full"}})


def test_private_type_name(built) -> None:
    """type_name= names the type; without it, the placeholder no account has (never AWS's)."""
    template, resolved = built
    assert resolved["private_type"] == "Acme::Connect::User"
    template.resource_count_is("Acme::Connect::User", 1)
    template.resource_count_is(TYPE_NAME, 3)
    assert TYPE_NAME == "MyCompany::Connect::User"


def test_type_name_from_the_cdk_context() -> None:
    app = cdk.App(context={TYPE_NAME_CONTEXT: "Acme::Connect::User"})
    stack = cdk.Stack(app, "Stack")
    ConnectUser(stack, "User", **REQUIRED)
    Template.from_stack(stack).resource_count_is("Acme::Connect::User", 1)


def test_aws_public_type_name_is_refused() -> None:
    stack = cdk.Stack(cdk.App(), "Stack")
    with pytest.raises(ValueError, match="AWS's public type"):
        ConnectUser(stack, "User", **REQUIRED, type_name="AWS::Connect::User")


def test_phone_type_accepts_the_enum_or_its_string() -> None:
    assert PhoneConfig(phone_type="DESK_PHONE", desk_phone_number="+12065550100").render() == {  # type: ignore[arg-type]
        "PhoneType": "DESK_PHONE",
        "DeskPhoneNumber": "+12065550100",
    }

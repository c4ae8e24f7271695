"""What ConnectUser and ConnectUser.from_user_arn accept, and the exact message of what they
refuse. The rules in words are read here from aws-connect-user.json (the "Allowed: ..."
sentence kept next to each constraint), so the messages are pinned to the schema's words."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_connect as connect
from aws_cdk.assertions import Template

import cdk_connect_user.schema
from cdk_connect_user import ConnectUser, IConnectUser, IdentityInfo, PhoneConfig, PhoneType

from ..examples.catalogue import SCHEMA_FILE
from ..testdata import PASSWORD, SAML_EMAIL_USERNAME, TERRAFORM_USERNAME
from .support import MI

SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
REQUIRED: dict[str, Any] = {
    "instance_id": MI.id,
    "username": "agent1",
    "phone_config": PhoneConfig(phone_type=PhoneType.SOFT_PHONE),
    "security_profile_ids": [MI.child_id("security", 1)],
    "routing_profile_id": MI.child_id("routing", 1),
}


def words(*path: str) -> str:
    """The rule in words of a property ("Username") or a definition ("#PhoneNumber")."""
    if path[0].startswith("#"):
        node: Mapping[str, Any] = SCHEMA["definitions"][path[0][1:]]
    else:
        node = SCHEMA["properties"][path[0]]
    for step in path[1:]:
        node = node["properties"][step]
    return str(node["description"]).rpartition("Allowed: ")[2].removesuffix(".")


@pytest.mark.parametrize("username", [TERRAFORM_USERNAME, SAML_EMAIL_USERNAME, "u" * 100])
def test_a_username_real_connect_takes_is_not_refused(username: str) -> None:
    """Issue 21: no instance bound at synthesis; the API's 1-100 is the schema's."""
    ConnectUser(new_stack(), "User", **{**REQUIRED, "username": username})


def new_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Test")


def refused(error: type[Exception], **overrides: Any) -> str:
    with pytest.raises(error) as caught:
        ConnectUser(new_stack(), "User", **{**REQUIRED, **overrides})
    return str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "jane doe"}, f"Username 'jane doe' must be {words('Username')}"),
        ({"username": "x" * 101}, f"Username '{'x' * 101}' must be {words('Username')}"),
        (
            {"instance_id": "not/an/instance"},
            f"InstanceId 'not/an/instance' must be {words('#InstanceReference')}",
        ),
        (
            {"security_profile_ids": []},
            f"SecurityProfileIds [] must be {words('SecurityProfileIds')}",
        ),
        (
            {"security_profile_ids": ["sp-1", "sp-1"]},
            f"SecurityProfileIds ['sp-1', 'sp-1'] must be {words('SecurityProfileIds')}",
        ),
        (
            {"security_profile_ids": ["sp-1", "sp 2"]},
            f"SecurityProfileIds[1] 'sp 2' must be {words('#SecurityProfileReference')}",
        ),
        (
            {"routing_profile_id": MI.child_arn("hierarchy", 1)},
            f"RoutingProfileId '{MI.child_arn('hierarchy', 1)}' must be "
            f"{words('#RoutingProfileReference')}",
        ),
        (
            {"hierarchy_group_id": MI.child_arn("routing", 1)},
            f"HierarchyGroupId '{MI.child_arn('routing', 1)}' must be "
            f"{words('#HierarchyGroupReference')}",
        ),
        ({"tags": {"aws:team": "x"}}, f"Tags.Key 'aws:team' must be {words('#Tag', 'Key')}"),
        (
            {"phone_config": PhoneConfig(phone_type="MOBILE")},  # type: ignore[arg-type]
            f"PhoneConfig.PhoneType 'MOBILE' must be {words('#UserPhoneConfig', 'PhoneType')}",
        ),
        (
            {"phone_config": PhoneConfig(phone_type=PhoneType.DESK_PHONE)},
            "PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE",
        ),
        (
            {
                "phone_config": PhoneConfig(
                    phone_type=PhoneType.SOFT_PHONE, after_contact_work_time_limit=2_000_001
                )
            },
            "PhoneConfig.AfterContactWorkTimeLimit 2000001 must be "
            + words("#UserPhoneConfig", "AfterContactWorkTimeLimit"),
        ),
        (
            {
                "phone_config": PhoneConfig(
                    phone_type=PhoneType.SOFT_PHONE, after_contact_work_time_limit=1.5
                )
            },
            "PhoneConfig.AfterContactWorkTimeLimit 1.5 must be a whole number",
        ),
        (
            {"identity_info": IdentityInfo(mobile="555-0100")},
            f"IdentityInfo.Mobile must be {words('#PhoneNumber')}",
        ),
    ],
)
def test_a_literal_that_breaks_the_schema_is_refused_in_its_words(overrides, message) -> None:
    assert refused(ValueError, **overrides) == f"ConnectUser 'User': {message}"


def test_every_problem_is_in_one_message_in_property_order() -> None:
    assert refused(
        ValueError,
        identity_info=IdentityInfo(mobile="555-0100"),
        username="jane doe",
        phone_config=PhoneConfig(phone_type=PhoneType.DESK_PHONE),
    ) == (
        f"ConnectUser 'User': Username 'jane doe' must be {words('Username')}; "
        f"IdentityInfo.Mobile must be {words('#PhoneNumber')}; "
        "PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE"
    )


def test_a_literal_password_is_checked_and_never_repeated() -> None:
    message = refused(ValueError, password=cdk.SecretValue.unsafe_plain_text("Short1"))
    assert message == f"ConnectUser 'User': Password must be {words('Password')}"
    assert refused(TypeError, password=PASSWORD) == (
        "password must be a SecretValue, e.g. SecretValue.secrets_manager()"
    )


def test_one_string_as_security_profile_ids_is_refused_at_construction() -> None:
    assert refused(TypeError, security_profile_ids=MI.child_id("security", 1)) == (
        "security_profile_ids takes a list of security profiles, not one string "
        f"('{MI.child_id('security', 1)}'): write security_profile_ids=[...] "
        "(a List<String> parameter: .value_as_list)"
    )
    parameter = cdk.CfnParameter(new_stack(), "Profile").value_as_string
    assert "not one string (a token)" in refused(TypeError, security_profile_ids=parameter)


def test_the_checks_are_the_shipped_schemas(monkeypatch) -> None:
    """Tightening the schema tightens the construct: no rule is kept anywhere else."""
    schema = copy.deepcopy(dict(cdk_connect_user.schema.resource_schema()))
    schema["properties"]["Username"].update(maxLength=5, description="Allowed: 1 to 5 letters.")
    monkeypatch.setattr(cdk_connect_user.schema, "resource_schema", lambda: schema)
    assert refused(ValueError) == "ConnectUser 'User': Username 'agent1' must be 1 to 5 letters"


def test_the_shipped_schema_is_the_repositorys() -> None:
    assert cdk_connect_user.schema.resource_schema() == SCHEMA  # make generate copies it


@pytest.fixture
def l1_stack() -> tuple[cdk.Stack, dict[str, Any]]:
    stack = new_stack()
    profile = connect.CfnSecurityProfile(
        stack, "Profile", instance_arn=MI.arn, security_profile_name="agents"
    )
    routing = connect.CfnRoutingProfile(
        stack,
        "Routing",
        instance_arn=MI.arn,
        name="routing",
        description="Voice.",
        default_outbound_queue_arn=f"{MI.arn}/queue/q-1",
        media_concurrencies=[
            connect.CfnRoutingProfile.MediaConcurrencyProperty(channel="VOICE", concurrency=1)
        ],
    )
    group = connect.CfnUserHierarchyGroup(stack, "Group", instance_arn=MI.arn, name="team")
    return stack, {"profile": profile, "routing": routing, "group": group}


def test_the_connect_l1_constructs_are_taken_as_their_arns(l1_stack) -> None:
    stack, l1 = l1_stack
    ConnectUser(
        stack,
        "User",
        **{
            **REQUIRED,
            "security_profile_ids": [l1["profile"], MI.child_id("security", 2)],
            "routing_profile_id": l1["routing"],
            "hierarchy_group_id": l1["group"],
        },
    )
    properties = Template.from_stack(stack).to_json()["Resources"]["User"]["Properties"]
    assert properties["SecurityProfileIds"] == [
        {"Fn::GetAtt": ["Profile", "SecurityProfileArn"]},
        MI.child_id("security", 2),
    ]
    assert properties["RoutingProfileId"] == {"Fn::GetAtt": ["Routing", "RoutingProfileArn"]}
    assert properties["HierarchyGroupId"] == {"Fn::GetAtt": ["Group", "UserHierarchyGroupArn"]}


def test_the_wrong_l1_construct_is_refused_by_name(l1_stack) -> None:
    stack, l1 = l1_stack
    with pytest.raises(TypeError) as caught:
        ConnectUser(stack, "User", **{**REQUIRED, "security_profile_ids": [l1["routing"]]})
    assert str(caught.value) == (
        "security_profile_ids takes an ID or ARN string or an aws_connect.CfnSecurityProfile, "
        "not CfnRoutingProfile"
    )
    with pytest.raises(TypeError) as caught:
        ConnectUser(stack, "Other", **{**REQUIRED, "routing_profile_id": l1["group"]})
    assert str(caught.value) == (
        "routing_profile_id takes an ID or ARN string or an aws_connect.CfnRoutingProfile, "
        "not CfnUserHierarchyGroup"
    )


def _arn_and_id(user: IConnectUser) -> tuple[str, str]:  # either kind of user will do
    return user.attr_user_arn, user.attr_user_id


def test_from_user_arn_with_a_literal_arn() -> None:
    stack = new_stack()
    arn = f"{MI.arn}/agent/dddddddd-0001-4000-8000-000000000042"
    user = ConnectUser.from_user_arn(stack, "Elsewhere", arn)
    assert _arn_and_id(user) == (arn, "dddddddd-0001-4000-8000-000000000042")
    assert user.instance_id == MI.id
    assert (user.env.account, user.env.region) == ("123456789012", "us-east-1")
    made_here = ConnectUser(stack, "Here", **REQUIRED)
    assert stack.resolve(_arn_and_id(made_here)[1]) == {"Fn::GetAtt": ["Here", "UserId"]}


def test_from_user_arn_with_a_token_selects_from_the_arn() -> None:
    stack = new_stack()
    user = ConnectUser.from_user_arn(stack, "Imported", cdk.Fn.import_value("AgentArn"))
    parts = {"Fn::Split": ["/", {"Fn::ImportValue": "AgentArn"}]}
    assert stack.resolve(user.attr_user_id) == {"Fn::Select": [3, parts]}
    assert stack.resolve(user.instance_id) == {"Fn::Select": [1, parts]}


def test_from_user_arn_refuses_another_kind_of_arn() -> None:
    arn = MI.child_arn("routing", 1)
    with pytest.raises(ValueError) as caught:
        ConnectUser.from_user_arn(new_stack(), "Wrong", arn)
    assert str(caught.value) == (
        f"ConnectUser.from_user_arn: user_arn '{arn}' must be {words('UserArn')}"
    )

"""The construct's per-channel settings: the five lists and PhoneConfig.PersistentConnection
as typed dataclasses and enums, rendered as the schema has them, and the rules checked on
literal values."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_connect_user import (
    AfterContactWorkConfig,
    AfterContactWorkConfigPerChannel,
    AutoAcceptConfig,
    Channel,
    ConnectUser,
    PersistentConnectionConfig,
    PhoneConfig,
    PhoneNumberConfig,
    PhoneType,
    VoiceEnhancementConfig,
    VoiceEnhancementMode,
)

from .support import MI, as_deployed, schema_errors

BASE: dict[str, Any] = {
    "instance_id": MI.id,
    "username": "agent1",
    "security_profile_ids": [MI.child_id("security", 1)],
    "routing_profile_id": MI.child_id("routing", 1),
}
DESK = "+12065550100"


def acw(channel: Channel, seconds: float) -> AfterContactWorkConfigPerChannel:
    return AfterContactWorkConfigPerChannel(
        channel=channel,
        after_contact_work_config=AfterContactWorkConfig(after_contact_work_time_limit=seconds),
    )


BLENDED: dict[str, Any] = {
    "phone_number_configs": [PhoneNumberConfig(phone_type=PhoneType.SOFT_PHONE)],
    "voice_enhancement_configs": [
        VoiceEnhancementConfig(voice_enhancement_mode=VoiceEnhancementMode.NOISE_SUPPRESSION)
    ],
    "persistent_connection_configs": [PersistentConnectionConfig(persistent_connection=True)],
    "after_contact_work_configs": [acw(Channel.VOICE, 30), acw(Channel.CHAT, 600.0)],
    "auto_accept_configs": [AutoAcceptConfig(channel=Channel.TASK, auto_accept=True)],
}


def rendered(**arguments: Any) -> dict[str, Any]:
    stack = cdk.Stack(cdk.App(), "Test")
    ConnectUser(stack, "User", **{**BASE, **arguments})
    properties: dict[str, Any] = Template.from_stack(stack).to_json()["Resources"]["User"][
        "Properties"
    ]
    return properties


def refused(error: type[Exception], **arguments: Any) -> str:
    with pytest.raises(error) as caught:
        ConnectUser(cdk.Stack(cdk.App(), "Test"), "User", **{**BASE, **arguments})
    return str(caught.value)


def test_a_blended_agent_renders_the_lists_as_the_schema_has_them() -> None:
    properties = rendered(**BLENDED)
    assert "PhoneConfig" not in properties
    assert properties["PhoneNumberConfigs"] == [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}]
    assert properties["VoiceEnhancementConfigs"] == [
        {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
    ]
    assert properties["PersistentConnectionConfigs"] == [
        {"Channel": "VOICE", "PersistentConnection": True}
    ]
    assert properties["AfterContactWorkConfigs"] == [
        {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30}},
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 600}},
    ]
    assert properties["AutoAcceptConfigs"] == [{"Channel": "TASK", "AutoAccept": True}]
    assert schema_errors(properties) == []


def test_the_voice_only_members_and_persistent_connection_render() -> None:
    callback = AfterContactWorkConfig(after_contact_work_time_limit=15)
    properties = rendered(
        phone_config=PhoneConfig(phone_type=PhoneType.SOFT_PHONE, persistent_connection=False),
        auto_accept_configs=[
            AutoAcceptConfig(
                channel=Channel.VOICE, auto_accept=False, agent_first_callback_auto_accept=True
            )
        ],
        after_contact_work_configs=[
            AfterContactWorkConfigPerChannel(
                channel=Channel.VOICE,
                after_contact_work_config=AfterContactWorkConfig(after_contact_work_time_limit=0),
                agent_first_callback_after_contact_work_config=callback,
            )
        ],
    )
    assert properties["PhoneConfig"] == {"PhoneType": "SOFT_PHONE", "PersistentConnection": False}
    assert properties["AutoAcceptConfigs"][0]["AgentFirstCallbackAutoAccept"] is True
    assert properties["AfterContactWorkConfigs"][0] == {
        "Channel": "VOICE",
        "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0},
        "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 15},
    }
    assert schema_errors(properties) == []


def test_a_desk_phone_per_channel_and_enum_strings() -> None:
    properties = rendered(
        phone_number_configs=[PhoneNumberConfig(phone_type="DESK_PHONE", phone_number=DESK)],  # type: ignore[arg-type]
        auto_accept_configs=[AutoAcceptConfig(channel="EMAIL", auto_accept=True)],  # type: ignore[arg-type]
    )
    assert properties["PhoneNumberConfigs"] == [
        {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": DESK}
    ]
    assert properties["AutoAcceptConfigs"] == [{"Channel": "EMAIL", "AutoAccept": True}]


def test_an_acw_token_passes_through() -> None:
    stack = cdk.Stack(cdk.App(), "Test")
    seconds = cdk.Token.as_number(cdk.CfnParameter(stack, "Acw", type="Number").value)
    ConnectUser(
        stack,
        "User",
        **{**BASE, **BLENDED, "after_contact_work_configs": [acw(Channel.CHAT, seconds)]},
    )
    properties = Template.from_stack(stack).to_json()["Resources"]["User"]["Properties"]
    limit = properties["AfterContactWorkConfigs"][0]["AfterContactWorkConfig"]
    assert limit == {"AfterContactWorkTimeLimit": {"Ref": "Acw"}}
    assert schema_errors(as_deployed(properties, {"Acw": 45})) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"phone_number_configs": None},
            "PhoneConfig/PhoneType: is required unless PhoneNumberConfigs has a VOICE entry: "
            "every user has a phone type",
        ),
        (
            {"phone_number_configs": [PhoneNumberConfig(phone_type=PhoneType.DESK_PHONE)]},
            "PhoneNumberConfigs/0/PhoneNumber: is required when PhoneType is DESK_PHONE",
        ),
        (
            {"phone_config": PhoneConfig(phone_type=PhoneType.SOFT_PHONE)},
            "PhoneConfig/PhoneType: conflicts with PhoneNumberConfigs: set it in one of the two "
            "forms",
        ),
        (
            {"phone_config": PhoneConfig(auto_accept=True)},
            "PhoneConfig/AutoAccept: conflicts with AutoAcceptConfigs: set it in one of the two "
            "forms",
        ),
        (
            {"phone_config": PhoneConfig(after_contact_work_time_limit=5)},
            "PhoneConfig/AfterContactWorkTimeLimit: conflicts with AfterContactWorkConfigs: set it "
            "in one of the two forms",
        ),
        (
            {"phone_config": PhoneConfig(persistent_connection=True)},
            "PhoneConfig/PersistentConnection: conflicts with PersistentConnectionConfigs: set it "
            "in one of the two forms",
        ),
        (
            {
                "auto_accept_configs": [
                    AutoAcceptConfig(channel=Channel.TASK, auto_accept=True),
                    AutoAcceptConfig(channel=Channel.TASK, auto_accept=False),
                ]
            },
            "AutoAcceptConfigs: must have at most one entry per channel: TASK",
        ),
        (
            {
                "auto_accept_configs": [
                    AutoAcceptConfig(
                        channel=Channel.CHAT,
                        auto_accept=True,
                        agent_first_callback_auto_accept=True,
                    )
                ]
            },
            "AutoAcceptConfigs/0/AgentFirstCallbackAutoAccept: applies to the VOICE channel only",
        ),
    ],
)
def test_each_per_channel_rule_is_refused(arguments: dict[str, Any], message: str) -> None:
    """In the handler's own words: the construct runs the handler's rules (checks.py)."""
    assert refused(ValueError, **{**BLENDED, **arguments}) == f"ConnectUser 'User': {message}"


def test_schema_violations_are_in_the_schemas_words_and_never_show_a_number() -> None:
    message = refused(
        ValueError,
        **{
            **BLENDED,
            "voice_enhancement_configs": [
                VoiceEnhancementConfig(
                    channel=Channel.CHAT, voice_enhancement_mode=VoiceEnhancementMode.NONE
                )
            ],
            "after_contact_work_configs": [acw(Channel.CHAT, 2_000_001)],
            "phone_number_configs": [
                PhoneNumberConfig(phone_type=PhoneType.DESK_PHONE, phone_number="555-0100")
            ],
        },
    )
    assert "AfterContactWorkConfigs[0].AfterContactWorkConfig.AfterContactWorkTimeLimit" in message
    assert "VoiceEnhancementConfigs[0].Channel 'CHAT' must be VOICE" in message
    assert "PhoneNumberConfigs[0].PhoneNumber must be" in message
    assert "555-0100" not in message


def test_a_list_of_the_wrong_items_is_a_type_error() -> None:
    wrong = [VoiceEnhancementConfig(voice_enhancement_mode=VoiceEnhancementMode.NONE)]
    assert refused(TypeError, **{**BLENDED, "auto_accept_configs": wrong}) == (
        "AutoAcceptConfigs takes a list of AutoAcceptConfig"
    )


def test_the_settings_are_frozen() -> None:
    config = PersistentConnectionConfig(persistent_connection=True)
    with pytest.raises(AttributeError):
        config.persistent_connection = False  # type: ignore[misc]

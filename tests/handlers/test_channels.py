"""Per-channel settings through the production entrypoint, every Connect request checked
against botocore's model by the Stubber: create, each rule, each row of the update diff, read."""

from __future__ import annotations

from typing import Any

import pytest

from aws_connect_user import connect
from aws_connect_user.connect import Connect

from ..testdata import PHONE
from .support import (
    MARKER_KEY,
    MI,
    USER_ID,
    create_params,
    create_token,
    created,
    event,
    live_user,
    properties,
    user_arn,
)

IDS = {"InstanceId": MI.id, "UserId": USER_ID}
ARN = user_arn()
SOFT = {"PhoneType": "SOFT_PHONE"}
VOICE_SOFT = {"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}
NOISE = {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
ACW_KEY = "AfterContactWorkTimeLimit"
PERSISTENT = {"Channel": "VOICE", "PersistentConnection": True}
TASK_AUTO = {"Channel": "TASK", "AutoAccept": True}


def acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": seconds}}


def as_sent(value: Any) -> Any:
    """A template value as CloudFormation sends it: every scalar a string."""
    if isinstance(value, dict):
        return {k: as_sent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int) else value


BLENDED = {
    "PhoneConfig": None,
    "PhoneNumberConfigs": [VOICE_SOFT],
    "VoiceEnhancementConfigs": [NOISE],
    "PersistentConnectionConfigs": [PERSISTENT],
    "AfterContactWorkConfigs": [acw("VOICE", 30), acw("CHAT", 600)],
    "AutoAcceptConfigs": [TASK_AUTO],
}


def blended(**overrides: Any) -> dict[str, Any]:
    return properties(**as_sent({**BLENDED, **overrides}))


def desired(**overrides: Any) -> dict[str, Any]:
    return {**blended(**overrides), "UserArn": ARN, "UserId": USER_ID}


def live(**overrides: Any) -> dict[str, Any]:
    """The blended agent as Connect describes it: the lists, PhoneConfig as their classic view."""
    lists = {k: v for k, v in BLENDED.items() if v is not None}
    phone = dict(PHONE)
    return live_user(**{"PhoneConfig": phone, **lists, **overrides})


@pytest.fixture
def warm(stub) -> None:
    """The instance's identity type already cached: only the update's own calls are seen."""
    stub.describe_instance()
    Connect(stub.client).identity_management_type(MI.id)
    stub.operations.clear()


# --- create ------------------------------------------------------------------------------


def test_create_sends_one_create_user_carrying_the_lists(stub, invoke) -> None:
    stub.describe_instance()
    lists: dict[str, Any] = {k: v for k, v in BLENDED.items() if v is not None}
    lists["AfterContactWorkConfigs"] = [acw("VOICE", 30), acw("CHAT", 600)]
    expected = create_params(PhoneConfig=None, **lists)
    stub.ok("CreateUser", expected, created())
    stub.visible()
    response = invoke(event("CREATE", blended()))
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeInstance", "CreateUser", "DescribeUser"]
    assert response["resourceModel"]["VoiceEnhancementConfigs"] == [NOISE]


def test_create_mixing_the_forms_sends_no_classic_default_a_list_sets(stub, invoke) -> None:
    stub.describe_instance()
    phone = {"PhoneType": "SOFT_PHONE", "PersistentConnection": True}
    expected = create_params(
        PhoneConfig={**phone, "AutoAccept": False},
        AfterContactWorkConfigs=[acw("CHAT", 600)],
        Tags={MARKER_KEY: create_token()},
    )
    stub.ok("CreateUser", expected, created())
    stub.visible()
    props = properties(
        PhoneConfig=as_sent(phone), AfterContactWorkConfigs=as_sent([acw("CHAT", 600)])
    )
    assert invoke(event("CREATE", props))["status"] == "SUCCESS"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"PhoneNumberConfigs": None},
            "PhoneConfig/PhoneType: is required unless PhoneNumberConfigs has a VOICE entry: "
            "every user has a phone type",
        ),
        (
            {"PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "DESK_PHONE"}]},
            "PhoneNumberConfigs/0/PhoneNumber: is required when PhoneType is DESK_PHONE",
        ),
        (
            {"PhoneConfig": {"AutoAccept": True}},
            "PhoneConfig/AutoAccept: conflicts with AutoAcceptConfigs: set it in one of the "
            "two forms",
        ),
        (
            {"PhoneConfig": {"AfterContactWorkTimeLimit": 5}},
            "PhoneConfig/AfterContactWorkTimeLimit: conflicts with AfterContactWorkConfigs: set "
            "it in one of the two forms",
        ),
        (
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE"}},
            "PhoneConfig/PhoneType: conflicts with PhoneNumberConfigs: set it in one of the two "
            "forms",
        ),
        (
            {"PhoneConfig": {"DeskPhoneNumber": "+12065550100"}},
            "PhoneConfig/DeskPhoneNumber: conflicts with PhoneNumberConfigs: set it in one of "
            "the two forms",
        ),
        (
            {"PhoneConfig": {"PersistentConnection": False}},
            "PhoneConfig/PersistentConnection: conflicts with PersistentConnectionConfigs: set "
            "it in one of the two forms",
        ),
        (
            {"AutoAcceptConfigs": [TASK_AUTO, {**TASK_AUTO, "AutoAccept": False}]},
            "AutoAcceptConfigs: must have at most one entry per channel: TASK",
        ),
        (
            {"AutoAcceptConfigs": [{**TASK_AUTO, "AgentFirstCallbackAutoAccept": True}]},
            "AutoAcceptConfigs/0/AgentFirstCallbackAutoAccept: applies to the VOICE channel only",
        ),
        (
            {"VoiceEnhancementConfigs": [{"Channel": "CHAT", "VoiceEnhancementMode": "NONE"}]},
            "VoiceEnhancementConfigs/0/Channel: must be VOICE",
        ),
        (
            {"AfterContactWorkConfigs": [acw("CHAT", 2_000_001)]},
            "AfterContactWorkConfigs/0/AfterContactWorkConfig/AfterContactWorkTimeLimit: must be "
            "a whole number from 0 to 2,000,000",
        ),
    ],
)
@pytest.mark.parametrize("action", ["CREATE", "UPDATE"])
def test_each_rule_is_refused_before_any_write(stub, invoke, warm, overrides, message, action):
    if action == "UPDATE":
        stub.describe_user(live())
        response = invoke(event("UPDATE", desired(**overrides), previous=desired()))
    else:
        response = invoke(event("CREATE", blended(**overrides)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert message in response["message"]
    assert stub.operations == ([] if action == "CREATE" else ["DescribeUser"])


def test_every_violation_of_one_request_is_in_one_message(stub, invoke, warm) -> None:
    props = blended(
        PhoneConfig={"AutoAccept": "true", "PersistentConnection": "true"},
        PhoneNumberConfigs=[{"Channel": "VOICE", "PhoneType": "DESK_PHONE"}],
    )
    response = invoke(event("CREATE", props))
    assert response["errorCode"] == "InvalidRequest"
    assert response["message"].count(";") == 2, response["message"]
    for words in ("PhoneConfig/AutoAccept", "PhoneConfig/PersistentConnection", "PhoneNumber"):
        assert words in response["message"]
    assert stub.operations == []


# --- update: each row of the diff ----------------------------------------------------------


def update(invoke, props, prev=None) -> dict[str, Any]:
    response = invoke(event("UPDATE", props, previous=prev if prev is not None else desired()))
    assert response["status"] == "SUCCESS", response
    return response


def test_nothing_changed_writes_nothing(stub, invoke, warm) -> None:
    stub.describe_user(live())
    update(invoke, desired())
    assert stub.operations == ["DescribeUser"]


def test_reordering_a_list_writes_nothing(stub, invoke, warm) -> None:
    stub.describe_user(live())
    update(invoke, desired(AfterContactWorkConfigs=[acw("CHAT", 600), acw("VOICE", 30)]))
    assert stub.operations == ["DescribeUser"]


def test_a_changed_list_is_one_update_user_config_with_only_that_list(stub, invoke, warm) -> None:
    stub.describe_user(live())
    changed = [acw("VOICE", 30), acw("CHAT", 120)]
    stub.ok("UpdateUserConfig", {**IDS, "AfterContactWorkConfigs": changed})
    update(invoke, desired(AfterContactWorkConfigs=[acw("CHAT", 120), acw("VOICE", 30)]))
    assert stub.operations == ["DescribeUser", "UpdateUserConfig"]


def test_several_changed_lists_are_still_one_call(stub, invoke, warm) -> None:
    stub.describe_user(live())
    quiet = {"Channel": "VOICE", "VoiceEnhancementMode": "VOICE_ISOLATION"}
    off = {"Channel": "VOICE", "PersistentConnection": False}
    stub.ok(
        "UpdateUserConfig",
        {**IDS, "PersistentConnectionConfigs": [off], "VoiceEnhancementConfigs": [quiet]},
    )
    update(invoke, desired(VoiceEnhancementConfigs=[quiet], PersistentConnectionConfigs=[off]))
    assert stub.operations == ["DescribeUser", "UpdateUserConfig"]


def test_a_live_channel_no_template_declared_is_carried_and_never_reset(stub, invoke, warm):
    """An admin set EMAIL's ACW in the console: a change to CHAT sends EMAIL as it is (right
    whether Connect merges or replaces the list), and dropping nothing never resets it."""
    user = live(AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 600), acw("EMAIL", 5)])
    stub.describe_user(user)
    update(invoke, desired())
    stub.describe_user(user)
    sent = [acw("VOICE", 30), acw("CHAT", 60), acw("EMAIL", 5)]
    stub.ok("UpdateUserConfig", {**IDS, "AfterContactWorkConfigs": sent})
    update(invoke, desired(AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 60)]))
    assert stub.operations == ["DescribeUser", "DescribeUser", "UpdateUserConfig"]


def test_a_channel_the_previous_template_declared_goes_back_to_its_default(stub, invoke, warm):
    stub.describe_user(live())
    stub.ok(
        "UpdateUserConfig", {**IDS, "AfterContactWorkConfigs": [acw("VOICE", 30), acw("CHAT", 0)]}
    )
    update(invoke, desired(AfterContactWorkConfigs=[acw("VOICE", 30)]))
    assert stub.operations == ["DescribeUser", "UpdateUserConfig"]


def test_a_list_the_previous_template_declared_goes_back_to_its_default(stub, invoke, warm):
    stub.describe_user(live())
    none = {"Channel": "VOICE", "VoiceEnhancementMode": "NONE"}
    stub.ok("UpdateUserConfig", {**IDS, "VoiceEnhancementConfigs": [none]})
    update(invoke, desired(VoiceEnhancementConfigs=None))
    assert stub.operations == ["DescribeUser", "UpdateUserConfig"]


def test_a_classic_field_change_is_only_update_user_phone_config(stub, invoke, warm) -> None:
    phone = dict(PHONE)
    user = live_user(PhoneConfig={**phone, "PersistentConnection": True})
    stub.describe_user(user)
    stub.ok(
        "UpdateUserPhoneConfig",
        {**IDS, "PhoneConfig": {**phone, "AutoAccept": True, "PersistentConnection": True}},
    )
    props = properties(
        UserArn=ARN, UserId=USER_ID, PhoneConfig=as_sent({**phone, "AutoAccept": True})
    )
    update(invoke, props, properties(UserArn=ARN, UserId=USER_ID))
    assert stub.operations == ["DescribeUser", "UpdateUserPhoneConfig"]


def test_a_classic_write_is_followed_by_the_lists_it_overwrote(stub, invoke, warm) -> None:
    """UpdateUserPhoneConfig sets the same ACW on every channel: a template that keeps
    per-channel ACW next to a classic change re-asserts it, after the classic write."""
    phone = dict(PHONE)
    lists = [acw("VOICE", 30), acw("CHAT", 600)]
    stub.describe_user(live_user(PhoneConfig=phone, AfterContactWorkConfigs=lists))
    stub.ok("UpdateUserPhoneConfig", {**IDS, "PhoneConfig": {**phone, "AutoAccept": True}})
    stub.ok("UpdateUserConfig", {**IDS, "AfterContactWorkConfigs": lists})
    template = {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": True}}
    before = {"PhoneConfig": {"PhoneType": "SOFT_PHONE"}}
    common = {"UserArn": ARN, "UserId": USER_ID, "AfterContactWorkConfigs": lists}
    update(
        invoke,
        properties(**as_sent({**common, **template})),
        properties(**as_sent({**common, **before})),
    )
    assert stub.operations == ["DescribeUser", "UpdateUserPhoneConfig", "UpdateUserConfig"]


def test_a_concurrent_change_is_retried_later(stub, invoke, warm) -> None:
    stub.describe_user(live())
    stub.error(
        "UpdateUserConfig",
        "ConditionalOperationFailedException",
        {**IDS, "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "NONE"}]},
        status=409,
    )
    response = invoke(event("UPDATE", desired(VoiceEnhancementConfigs=None), previous=desired()))
    assert response["status"] == "IN_PROGRESS", response
    assert response["callbackDelaySeconds"] > 0


def test_a_template_without_phone_config_never_writes_the_classic_form(stub, invoke, warm):
    stub.describe_user(live(PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": True}))
    update(invoke, desired())
    assert stub.operations == ["DescribeUser"]


# --- read ------------------------------------------------------------------------------------


def test_read_returns_exactly_the_declared_channels(stub, invoke) -> None:
    user = live(AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 900), acw("EMAIL", 5)])
    stub.describe_user(user)
    model = invoke(event("READ", desired()))["resourceModel"]
    assert model["AfterContactWorkConfigs"] == [acw("VOICE", 30), acw("CHAT", 900)]
    assert model["AutoAcceptConfigs"] == [TASK_AUTO]


def test_read_by_identifier_returns_everything_connect_reports(stub, invoke) -> None:
    user = live(
        AfterContactWorkConfigs=[acw("VOICE", 30), acw("EMAIL", 5)],
        PhoneConfig={"PhoneType": "SOFT_PHONE", "PersistentConnection": True},
    )
    stub.describe_user(user)
    stub.proficiencies()
    model = invoke(event("READ", {"UserArn": ARN}))["resourceModel"]
    assert model["AfterContactWorkConfigs"] == [acw("VOICE", 30), acw("EMAIL", 5)]
    assert model["PhoneConfig"]["PersistentConnection"] is True
    assert model["VoiceEnhancementConfigs"] == [NOISE]


def test_read_of_a_classic_template_keeps_its_form(stub, invoke) -> None:
    phone = dict(PHONE)
    stub.describe_user(
        live_user(
            PhoneConfig={**phone, "PersistentConnection": False}, VoiceEnhancementConfigs=[NOISE]
        )
    )
    model = invoke(event("READ", properties(UserArn=ARN, UserId=USER_ID)))["resourceModel"]
    assert model["PhoneConfig"] == phone
    assert model["VoiceEnhancementConfigs"] == [NOISE]  # not declared: as Connect reports it


# --- the classic form as the VOICE channel's view ---------------------------------------------

DESK = {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"}
VOICE_DESK = {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"}


def test_a_changed_list_keeps_a_voice_setting_made_in_the_classic_form(stub, invoke, warm):
    """An admin turned on auto-accept for calls in the classic form, and Connect reports it
    there only: a change to TASK's auto-accept sends VOICE's with it, so a Connect that
    replaces the list does not switch it off."""
    phone = {**PHONE, "AutoAccept": True}
    stub.describe_user(live(PhoneConfig=phone))
    voice = {"Channel": "VOICE", "AutoAccept": True}
    task_off = {**TASK_AUTO, "AutoAccept": False}
    stub.ok("UpdateUserConfig", {**IDS, "AutoAcceptConfigs": [voice, task_off]})
    update(invoke, desired(AutoAcceptConfigs=[task_off]))
    assert stub.operations == ["DescribeUser", "UpdateUserConfig"]


def test_a_classic_write_puts_back_the_acw_of_a_channel_no_template_declared(stub, invoke, warm):
    """UpdateUserPhoneConfig sets VOICE's ACW on every channel: the UpdateUserConfig after it
    puts EMAIL's (set in the console) back with the declared channels."""
    phone = dict(PHONE)
    lists = [acw("VOICE", 30), acw("CHAT", 600)]
    stub.describe_user(
        live_user(PhoneConfig=phone, AfterContactWorkConfigs=[*lists, acw("EMAIL", 5)])
    )
    stub.ok("UpdateUserPhoneConfig", {**IDS, "PhoneConfig": {**phone, "AutoAccept": True}})
    stub.ok("UpdateUserConfig", {**IDS, "AfterContactWorkConfigs": [*lists, acw("EMAIL", 5)]})
    common = {"UserArn": ARN, "UserId": USER_ID, "AfterContactWorkConfigs": lists}
    update(
        invoke,
        properties(**as_sent({**common, "PhoneConfig": {**SOFT, "AutoAccept": True}})),
        properties(**as_sent({**common, "PhoneConfig": SOFT})),
    )
    assert stub.operations == ["DescribeUser", "UpdateUserPhoneConfig", "UpdateUserConfig"]


def test_a_classic_write_that_changed_only_undeclared_acw_puts_it_back(stub, invoke, warm):
    """The template declares VOICE's ACW only, at the limit the classic write carries over:
    the list is still sent, for CHAT's (no template's) to be put back."""
    phone = dict(PHONE)
    stub.describe_user(
        live_user(PhoneConfig=phone, AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 600)])
    )
    stub.ok("UpdateUserPhoneConfig", {**IDS, "PhoneConfig": {**phone, "AutoAccept": True}})
    stub.ok(
        "UpdateUserConfig", {**IDS, "AfterContactWorkConfigs": [acw("VOICE", 30), acw("CHAT", 600)]}
    )
    common = {"UserArn": ARN, "UserId": USER_ID, "AfterContactWorkConfigs": [acw("VOICE", 30)]}
    update(
        invoke,
        properties(**as_sent({**common, "PhoneConfig": {**SOFT, "AutoAccept": True}})),
        properties(**as_sent({**common, "PhoneConfig": SOFT})),
    )
    assert stub.operations == ["DescribeUser", "UpdateUserPhoneConfig", "UpdateUserConfig"]


def test_acw_in_the_classic_form_is_every_channels_and_is_not_put_back(stub, invoke, warm):
    phone = dict(PHONE)
    stub.describe_user(
        live_user(PhoneConfig=phone, AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 600)])
    )
    stub.ok(
        "UpdateUserPhoneConfig",
        {**IDS, "PhoneConfig": {**phone, "AfterContactWorkTimeLimit": 60}},
    )
    props = properties(UserArn=ARN, UserId=USER_ID, PhoneConfig=as_sent({**phone, ACW_KEY: 60}))
    update(invoke, props, properties(UserArn=ARN, UserId=USER_ID))
    assert stub.operations == ["DescribeUser", "UpdateUserPhoneConfig"]


def per_channel_desk(**overrides: Any) -> dict[str, Any]:
    """A desk phone declared per channel, nothing else per channel."""
    return properties(
        UserArn=ARN, UserId=USER_ID, PhoneConfig=None, PhoneNumberConfigs=[VOICE_DESK], **overrides
    )


def test_read_takes_a_declared_voice_entry_connect_shows_only_in_the_classic_form(stub, invoke):
    """Connect reports the desk phone in PhoneConfig only: the declared VOICE entry reads from
    there (no false drift), and lists the template leaves out stay as Connect reports them."""
    stub.describe_user(live_user(PhoneConfig={**DESK, "AutoAccept": True}))
    model = invoke(event("READ", per_channel_desk()))["resourceModel"]
    assert model["PhoneNumberConfigs"] == [VOICE_DESK]
    assert "AutoAcceptConfigs" not in model


def test_update_of_a_voice_entry_shown_only_in_the_classic_form_writes_nothing(stub, invoke, warm):
    stub.describe_user(live_user(PhoneConfig={**DESK, "AutoAccept": False}))
    update(invoke, per_channel_desk(), per_channel_desk())
    assert stub.operations == ["DescribeUser"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    connect.forget_cached_state()

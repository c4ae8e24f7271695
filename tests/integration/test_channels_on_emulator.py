"""Per-channel settings through the production entrypoint against the emulator over HTTP,
under each answer Connect leaves undocumented: whether DescribeUser reports channels nobody
set (--channel-fill none|all) and whether UpdateUserConfig merges by Channel or replaces each
list it is given (--user-config-update merge|replace). The handler must be right under all four.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aws_connect_user import handlers
from connect_emulator import Emulator
from connect_emulator.operations import WRITE_OPERATIONS

from ..handlers.support import MI, event, properties

pytestmark = pytest.mark.emulator

CHOICES = [
    pytest.param((fill, mode), id=f"fill-{fill}-{mode}")
    for fill in ("none", "all")
    for mode in ("merge", "replace")
]
ACW = "AfterContactWorkTimeLimit"


def acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {ACW: seconds}}


NOISE = {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
PERSISTENT = {"Channel": "VOICE", "PersistentConnection": True}
TASK_AUTO = {"Channel": "TASK", "AutoAccept": True}
BLENDED: dict[str, Any] = {
    "PhoneConfig": None,
    "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}],
    "VoiceEnhancementConfigs": [NOISE],
    "PersistentConnectionConfigs": [PERSISTENT],
    "AfterContactWorkConfigs": [acw("VOICE", 30), acw("CHAT", 600)],
    "AutoAcceptConfigs": [TASK_AUTO],
}
DEFAULT_ACW = 0  # Connect's default: no limit


def as_sent(value: Any) -> Any:
    """A template value as CloudFormation sends it: every scalar a string."""
    if isinstance(value, dict):
        return {k: as_sent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int) else value


def template(**overrides: Any) -> dict[str, Any]:
    return properties(**as_sent({**BLENDED, **overrides}))


@pytest.fixture(params=CHOICES)
def env(
    request: pytest.FixtureRequest,
    start_emulator: Callable[..., tuple[Emulator, Any]],
    point_handler: Callable[[Emulator], Emulator],
) -> Emulator:
    """An emulator with one combination of the two choices, the handler pointed at it."""
    fill, mode = request.param
    emulator, _ = start_emulator(channel_fill=fill, user_config_update=mode)
    return point_handler(emulator)


def call(e: dict[str, Any]) -> dict[str, Any]:
    response = handlers.resource(e, None)
    assert isinstance(response, dict)
    return response


def live(emulator: Emulator, arn: str) -> dict[str, Any]:
    user: dict[str, Any] = emulator.execute(
        "DescribeUser", {"InstanceId": MI.id, "UserId": arn.rsplit("/", 1)[1]}
    )["User"]
    return user


def acw_of(user: dict[str, Any], channel: str) -> int:
    """A channel's ACW limit as Connect holds it; a channel it does not report is at the
    default."""
    for entry in user.get("AfterContactWorkConfigs") or ():
        if entry["Channel"] == channel:
            return int(entry["AfterContactWorkConfig"][ACW])
    return DEFAULT_ACW


def created(env: Emulator, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    response = call(event("CREATE", props))
    assert response["status"] == "SUCCESS", response
    arn = response["resourceModel"]["UserArn"]
    return arn, {**props, "UserArn": arn}


def updated(env: Emulator, desired: dict[str, Any], previous: dict[str, Any]) -> list[str | None]:
    """The Connect writes one successful update made (after reading the live user)."""
    env.requests.clear()
    response = call(event("UPDATE", desired, previous=previous))
    assert response["status"] == "SUCCESS", response
    calls = env.requests.operations()
    assert calls[0] == "DescribeUser", calls
    return [op for op in calls if op in WRITE_OPERATIONS]


def test_blended_agent_lifecycle(env: Emulator) -> None:
    arn, declared = created(env, template())
    assert [op for op in env.requests.operations() if op in WRITE_OPERATIONS] == ["CreateUser"]
    user = live(env, arn)
    assert acw_of(user, "VOICE") == 30 and acw_of(user, "CHAT") == 600
    assert NOISE in user["VoiceEnhancementConfigs"]

    read = call(event("READ", declared))["resourceModel"]
    for name in ("AutoAcceptConfigs", "AfterContactWorkConfigs", "VoiceEnhancementConfigs"):
        assert read[name] == BLENDED[name], name  # exactly the declared channels: no drift
    assert read["PersistentConnectionConfigs"] == [PERSISTENT]

    assert updated(env, declared, declared) == [], "nothing changed: no write"
    reordered = {
        **declared,
        **template(AfterContactWorkConfigs=[acw("CHAT", 600), acw("VOICE", 30)]),
    }
    assert updated(env, reordered, declared) == [], "a reordered list: no write"

    changed = {**declared, **template(AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 120)])}
    assert updated(env, changed, declared) == ["UpdateUserConfig"]
    user = live(env, arn)
    assert (acw_of(user, "VOICE"), acw_of(user, "CHAT")) == (30, 120)
    assert NOISE in user["VoiceEnhancementConfigs"], "a list not changed is not touched"

    dropped = {**declared, **template(AfterContactWorkConfigs=[acw("VOICE", 30)])}
    assert updated(env, dropped, changed) == ["UpdateUserConfig"]
    user = live(env, arn)
    assert (acw_of(user, "VOICE"), acw_of(user, "CHAT")) == (30, DEFAULT_ACW)
    assert updated(env, dropped, dropped) == []

    env.requests.clear()
    assert call(event("DELETE", {"UserArn": arn}))["status"] == "SUCCESS"
    assert call(event("READ", {"UserArn": arn}))["errorCode"] == "NotFound"


def test_a_dropped_list_goes_back_to_its_default(env: Emulator) -> None:
    arn, declared = created(env, template())
    without = {**declared, "VoiceEnhancementConfigs": None}
    without = {k: v for k, v in without.items() if v is not None}
    assert updated(env, without, declared) == ["UpdateUserConfig"]
    modes = [e["VoiceEnhancementMode"] for e in live(env, arn).get("VoiceEnhancementConfigs", [])]
    assert modes in ([], ["NONE"])
    assert updated(env, without, without) == []


def set_email_acw_in_the_console(env: Emulator, arn: str, seconds: int) -> None:
    """What an admin does in the console: the ACW list it shows, with EMAIL's changed."""
    shown = [
        e for e in live(env, arn).get("AfterContactWorkConfigs", []) if e["Channel"] != "EMAIL"
    ]
    env.execute(
        "UpdateUserConfig",
        {
            "InstanceId": MI.id,
            "UserId": arn.rsplit("/", 1)[1],
            "AfterContactWorkConfigs": [*shown, acw("EMAIL", seconds)],
        },
    )


def test_a_channel_no_template_declared_is_left_alone(env: Emulator) -> None:
    arn, declared = created(env, template())
    set_email_acw_in_the_console(env, arn, 5)
    assert updated(env, declared, declared) == [], "never reset, nothing to write"
    changed = {**declared, **template(AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 60)])}
    assert updated(env, changed, declared) == ["UpdateUserConfig"]
    user = live(env, arn)
    assert [acw_of(user, c) for c in ("VOICE", "CHAT", "EMAIL")] == [30, 60, 5]
    read = call(event("READ", changed))["resourceModel"]
    assert read["AfterContactWorkConfigs"] == [acw("VOICE", 30), acw("CHAT", 60)]


def test_a_voice_setting_made_in_the_classic_form_is_left_alone(env: Emulator) -> None:
    """An admin turns on auto-accept for calls through the classic form; the template manages
    only TASK's auto-accept, so a change to TASK keeps VOICE's, merge or replace."""
    arn, declared = created(env, template())
    user_id = arn.rsplit("/", 1)[1]
    # The console's write: a soft phone's DeskPhoneNumber "" is Connect's answer, not an input.
    phone = {k: v for k, v in live(env, arn)["PhoneConfig"].items() if v != ""}
    env.execute(
        "UpdateUserPhoneConfig",
        {"InstanceId": MI.id, "UserId": user_id, "PhoneConfig": {**phone, "AutoAccept": True}},
    )
    # The classic write set every channel's ACW to VOICE's: the template re-asserts CHAT's.
    assert updated(env, declared, declared) == ["UpdateUserConfig"]
    changed = {**declared, **template(AutoAcceptConfigs=[{**TASK_AUTO, "AutoAccept": False}])}
    assert updated(env, changed, declared) == ["UpdateUserConfig"]
    user = live(env, arn)
    assert user["PhoneConfig"]["AutoAccept"] is True
    assert acw_of(user, "CHAT") == 600
    assert updated(env, changed, changed) == []


def test_mixing_the_forms_a_classic_change_keeps_the_per_channel_acw(env: Emulator) -> None:
    mixed = properties(
        PhoneConfig=as_sent({"PhoneType": "SOFT_PHONE", "AutoAccept": False}),
        AfterContactWorkConfigs=as_sent([acw("VOICE", 30), acw("CHAT", 600)]),
        VoiceEnhancementConfigs=as_sent([NOISE]),
    )
    arn, declared = created(env, mixed)
    assert updated(env, declared, declared) == []
    set_email_acw_in_the_console(env, arn, 5)
    auto = {**declared, "PhoneConfig": as_sent({"PhoneType": "SOFT_PHONE", "AutoAccept": True})}
    # UpdateUserPhoneConfig sets VOICE's ACW on every channel: the lists are put back after it,
    # EMAIL (no template's) included.
    assert updated(env, auto, declared) == ["UpdateUserPhoneConfig", "UpdateUserConfig"]
    user = live(env, arn)
    assert user["PhoneConfig"]["AutoAccept"] is True
    assert [acw_of(user, c) for c in ("VOICE", "CHAT", "EMAIL")] == [30, 600, 5]
    assert NOISE in user["VoiceEnhancementConfigs"]
    assert updated(env, auto, auto) == []
    read = call(event("READ", auto))["resourceModel"]
    assert read["AfterContactWorkConfigs"] == [acw("VOICE", 30), acw("CHAT", 600)]
    assert read["PhoneConfig"]["AutoAccept"] is True


def test_a_desk_phone_per_channel_reads_back_as_declared(env: Emulator) -> None:
    desk = [{"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"}]
    arn, declared = created(env, template(PhoneNumberConfigs=desk))
    assert live(env, arn)["PhoneConfig"]["PhoneType"] == "DESK_PHONE"
    read = call(event("READ", declared))["resourceModel"]
    assert read["PhoneNumberConfigs"] == desk
    soft = {**declared, **template()}
    assert updated(env, soft, declared) == ["UpdateUserConfig"]
    assert live(env, arn)["PhoneNumberConfigs"] == [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}]
    assert not live(env, arn)["PhoneConfig"].get("DeskPhoneNumber")  # "" on a soft phone


def test_moving_a_setting_from_the_classic_form_to_its_list(env: Emulator) -> None:
    """The same desk phone, first in PhoneConfig, then as the VOICE entry of
    PhoneNumberConfigs: nothing to write, and the read shows the list as declared."""
    desk = {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"}
    arn, classic = created(env, properties(PhoneConfig=as_sent(desk)))
    per_channel = {
        **{k: v for k, v in classic.items() if k != "PhoneConfig"},
        "PhoneNumberConfigs": [
            {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"}
        ],
    }
    assert updated(env, per_channel, classic) == []
    read = call(event("READ", per_channel))["resourceModel"]
    assert read["PhoneNumberConfigs"] == per_channel["PhoneNumberConfigs"]
    assert live(env, arn)["PhoneConfig"]["PhoneType"] == "DESK_PHONE"

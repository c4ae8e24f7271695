"""A read with only UserArn (import, drift detection, Cloud Control's GetResource) through the
production entrypoint on the emulator, under each per-channel choice (--channel-fill
none|all x --user-config-update merge|replace): what it returns is a model the type accepts
(one form per setting), reads back unchanged, and an update with it as both the previous and
the desired state writes nothing. The form chosen: the classic PhoneConfig when every channel
Connect reports agrees with what the classic form implies, the per-channel list otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aws_connect_user import handlers
from aws_connect_user.rules import model_rules
from aws_connect_user.runtime import build_model
from connect_emulator import Emulator
from connect_emulator.operations import WRITE_OPERATIONS
from connect_emulator.population import PHONE_SETUPS, create_params
from connect_emulator.seed import CONNECT_MANAGED

from ..handlers.support import event
from .test_channels_on_emulator import CHOICES, as_sent

pytestmark = pytest.mark.emulator
CLASSIC, DESK, AGREEING, PER_CHANNEL, DESK_PER_CHANNEL = range(len(PHONE_SETUPS))


@pytest.fixture(params=CHOICES)
def env(
    request: pytest.FixtureRequest,
    start_emulator: Callable[..., tuple[Emulator, Any]],
    point_handler: Callable[[Emulator], Emulator],
) -> Emulator:
    fill, mode = request.param
    emulator, _ = start_emulator(channel_fill=fill, user_config_update=mode)
    return point_handler(emulator)


def call(e: dict[str, Any]) -> dict[str, Any]:
    response = handlers.resource(e, None)
    assert isinstance(response, dict)
    assert response["status"] == "SUCCESS", response
    return response


def made(env: Emulator, setup: int, **overrides: Any) -> str:
    """A CONNECT_MANAGED user with one of the population's phone set-ups, made outside
    CloudFormation."""
    params = {**create_params(setup * 3), **overrides}
    assert params["InstanceId"] == CONNECT_MANAGED.id
    arn: str = env.execute("CreateUser", params)["UserArn"]
    return arn


def read_by_identifier(arn: str) -> dict[str, Any]:
    model: dict[str, Any] = call(event("READ", {"UserArn": arn}))["resourceModel"]
    return model


def assert_adoptable(env: Emulator, found: dict[str, Any]) -> None:
    """Accepted by the type's rules, read back unchanged, and no write on an update."""
    assert model_rules(build_model(found)) == [], found
    template = as_sent(found)
    assert call(event("READ", template))["resourceModel"] == found
    env.requests.clear()
    call(event("UPDATE", template, previous=template))
    assert [op for op in env.requests.operations() if op in WRITE_OPERATIONS] == []


def test_the_classic_form_when_the_lists_say_nothing_more(env: Emulator) -> None:
    for setup in (CLASSIC, DESK, AGREEING):
        found = read_by_identifier(made(env, setup))
        for name in ("AutoAcceptConfigs", "AfterContactWorkConfigs", "PhoneNumberConfigs"):
            assert name not in found, (setup, found)
        assert "PhoneType" in found["PhoneConfig"]
        assert_adoptable(env, found)
    desk = read_by_identifier(made(env, DESK, Username="desk2"))
    assert desk["PhoneConfig"]["DeskPhoneNumber"] == "+12065550100"


def test_per_channel_settings_the_classic_form_cannot_say_come_as_lists(env: Emulator) -> None:
    found = read_by_identifier(made(env, PER_CHANNEL))
    assert "AfterContactWorkTimeLimit" not in found["PhoneConfig"]
    assert "AutoAccept" not in found["PhoneConfig"]
    acw = {e["Channel"]: e["AfterContactWorkConfig"] for e in found["AfterContactWorkConfigs"]}
    assert acw["VOICE"] == {"AfterContactWorkTimeLimit": 30}
    assert acw["CHAT"] == {"AfterContactWorkTimeLimit": 600}
    auto = {e["Channel"]: e["AutoAccept"] for e in found["AutoAcceptConfigs"]}
    assert (auto["VOICE"], auto["TASK"]) == (False, True)  # VOICE's from the classic form
    assert {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"} in found[
        "VoiceEnhancementConfigs"
    ]
    assert_adoptable(env, found)


def test_a_desk_phone_and_persistent_connection_set_per_channel(env: Emulator) -> None:
    found = read_by_identifier(made(env, DESK_PER_CHANNEL))
    assert found["PhoneConfig"]["PhoneType"] == "DESK_PHONE"
    assert found["PhoneConfig"]["PersistentConnection"] is True
    assert "PhoneNumberConfigs" not in found and "PersistentConnectionConfigs" not in found
    assert_adoptable(env, found)


def test_a_channel_changed_in_the_console_after_a_classic_create(env: Emulator) -> None:
    arn = made(env, CLASSIC)
    env.execute(
        "UpdateUserConfig",
        {
            "InstanceId": CONNECT_MANAGED.id,
            "UserId": arn.rsplit("/", 1)[1],
            "AfterContactWorkConfigs": [
                {"Channel": "EMAIL", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 5}}
            ],
        },
    )
    found = read_by_identifier(arn)
    assert "AfterContactWorkTimeLimit" not in found["PhoneConfig"]
    assert found["PhoneConfig"]["AutoAccept"] is True  # still the classic form: it agrees
    acw = {e["Channel"]: e["AfterContactWorkConfig"] for e in found["AfterContactWorkConfigs"]}
    assert acw["EMAIL"] == {"AfterContactWorkTimeLimit": 5}
    assert_adoptable(env, found)

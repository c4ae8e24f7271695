"""Rollback restores (issue 20): create A, update A→B, then CloudFormation's rollback (an
update with desired = A, previous = B) leaves the live user exactly as after create A, for
everything A declares and everything no template declared (console settings seeded first).
Through the production entrypoint with CloudFormation-format events, under each of the
emulator's answers to what Connect leaves undocumented (--channel-fill and --user-config-update).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from connect_emulator import Emulator
from loadtest import Operation, OperationResult, update_of

from .user_states import (
    ACW,
    EMULATOR_CHOICES,
    EMULATOR_IDS,
    created_lists,
    differences,
    identifiers,
    run,
    seed_console_settings,
    state,
    templates,
)

pytestmark = pytest.mark.emulator


@pytest.fixture(params=EMULATOR_CHOICES, ids=EMULATOR_IDS)
def emu(request: pytest.FixtureRequest, connect_service: Callable[..., Emulator]) -> Emulator:
    fill, mode = request.param
    return connect_service(channel_fill=fill, user_config_update=mode)


def rollback_of(created: OperationResult, a: Mapping[str, Any], b: Mapping[str, Any]) -> Operation:
    """CloudFormation's rollback of A→B: an update to A whose previous template is B."""
    return replace(update_of(created, a), previous_properties={**b, **identifiers(created)})


def rolled_back(emu: Emulator, a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Create A, seed console settings, A→B, B→A: the differences from after create A."""
    emu.reset()
    created = run(emu, Operation("CREATE", a))
    assert created.ok, created.message
    arn = identifiers(created)["UserArn"]
    seed_console_settings(emu, arn, (a, b))
    baseline = created_lists(a)
    before = state(emu, arn, baseline)
    forward = run(emu, update_of(created, b))
    assert forward.ok, forward.message
    back = run(emu, rollback_of(created, a, b))
    assert back.ok, back.message
    return differences(before, state(emu, arn, baseline))


def acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {ACW: seconds}}


def template(**overrides: Any) -> dict[str, Any]:
    from .support import user_model

    return {k: v for k, v in user_model(1, **overrides).items() if v is not None}


CLASSIC_A = template(
    PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, ACW: 30},
)
PER_CHANNEL_B = template(
    PhoneConfig={"PhoneType": "SOFT_PHONE"},
    AutoAcceptConfigs=[
        {"Channel": "VOICE", "AutoAccept": True, "AgentFirstCallbackAutoAccept": True},
        {"Channel": "CHAT", "AutoAccept": True},
    ],
    AfterContactWorkConfigs=[
        {**acw("VOICE", 45), "AgentFirstCallbackAfterContactWorkConfig": {ACW: 90}},
        acw("CHAT", 600),
    ],
)


def test_a_rollback_from_per_channel_lists_to_the_classic_form(emu: Emulator) -> None:
    """Defect 2: A sets AutoAccept and ACW in PhoneConfig, B per channel (VOICE + CHAT, and
    the agent-first callback settings, which have no classic form)."""
    assert rolled_back(emu, CLASSIC_A, PER_CHANNEL_B) == {}


def test_a_rollback_from_the_classic_form_to_per_channel_lists_without_voice(
    emu: Emulator,
) -> None:
    """Defect 2's mirror: B turns auto-accept on in PhoneConfig, A manages it per channel
    without VOICE: VOICE goes back to Connect's default."""
    a = template(
        PhoneConfig={"PhoneType": "SOFT_PHONE"},
        AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}],
        AfterContactWorkConfigs=[acw("CHAT", 30)],
    )
    b = template(PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": True, ACW: 600})
    assert rolled_back(emu, a, b) == {}


FIXED = settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LONG = settings(FIXED, max_examples=200, derandomize=False)


@FIXED
@given(a=templates(), b=templates())
def test_rollback_restores(emu: Emulator, a: dict[str, Any], b: dict[str, Any]) -> None:
    """For any valid A and B of one user: create A, A→B, B→A leaves it as after create A."""
    assert rolled_back(emu, a, b) == {}


@pytest.mark.slow
@LONG
@given(a=templates(), b=templates())
def test_rollback_restores_long(emu: Emulator, a: dict[str, Any], b: dict[str, Any]) -> None:
    assert rolled_back(emu, a, b) == {}

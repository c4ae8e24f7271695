"""Interrupted equals uninterrupted (issue 20): for any update A→B and any write k of it, a
transient failure at k then the callbacks ends as the update without the failure; a terminal
failure at k then CloudFormation's rollback (desired = A, previous = B) ends as before the
update; a lost answer at k (committed, then dropped) ends in SUCCESS and the same state.
Through the production entrypoint with CloudFormation-format events, under each of the
emulator's answers to what Connect leaves undocumented (--channel-fill and --user-config-update).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from connect_emulator import COMMIT_THEN_DROP, DROP, Emulator
from connect_emulator.operations import WRITE_OPERATIONS
from connect_emulator.proficiencies import ProficiencyRepeat
from loadtest import Operation, OperationResult, update_of

from ..testdata import BILLING_3, ENGLISH_4, SPANISH_2
from .support import ATTEMPTS, user_model
from .test_rollback_restores import rollback_of
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

TRANSIENT = ("InternalServiceException", "ThrottlingException", DROP)
TERMINAL = "AccessDeniedException"


@pytest.fixture(params=EMULATOR_CHOICES, ids=EMULATOR_IDS)
def emu(request: pytest.FixtureRequest, connect_service: Callable[..., Emulator]) -> Emulator:
    fill, mode = request.param
    return connect_service(channel_fill=fill, user_config_update=mode)


@dataclass
class Start:
    created: OperationResult
    arn: str
    baseline: dict[tuple[str, str], dict[str, Any]]
    before: dict[str, Any]  # the state before the update


def started(emu: Emulator, a: Mapping[str, Any], b: Mapping[str, Any]) -> Start:
    """A fresh emulator state: A created, the console settings neither template declares."""
    emu.reset()
    created = run(emu, Operation("CREATE", a))
    assert created.ok, created.message
    arn = identifiers(created)["UserArn"]
    seed_console_settings(emu, arn, (a, b))
    baseline = created_lists(a)
    return Start(created, arn, baseline, state(emu, arn, baseline))


def uninterrupted(
    emu: Emulator, a: Mapping[str, Any], b: Mapping[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    """The writes the update A→B makes, in order, and the state it ends in."""
    start = started(emu, a, b)
    first = len(emu.requests)
    result = run(emu, update_of(start.created, b))
    assert result.ok, result.message
    writes = [
        e.operation
        for e in emu.requests.entries()[first:]
        if e.operation in WRITE_OPERATIONS and e.status == 200
    ]
    return writes, state(emu, start.arn, start.baseline)


def interrupted(
    emu: Emulator,
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    write: str,
    fault: str,
    count: int,
) -> tuple[Start, OperationResult]:
    start = started(emu, a, b)
    emu.faults.fail_next(write, count, fault)
    return start, run(emu, update_of(start.created, b))


def check_fault(
    emu: Emulator,
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    write: str,
    kind: str,
    count: int,
    without: tuple[list[str], dict[str, Any]] | None = None,
) -> None:
    """One fault at one write, and what must follow from it (`without`: the uninterrupted
    update's writes and end state, when already known)."""
    writes, after = without or uninterrupted(emu, a, b)
    assert write in writes, (write, writes)
    if kind == "terminal":
        # One refusal. Excluded, with the reason: a refusal of the clean-up as well. Connect
        # keeps no record of the limits UpdateUserPhoneConfig overwrote ("will always set the
        # same ACW timeouts to all channels the user handles"), and the rollback sees only the
        # two templates, so a channel no template lists keeps VOICE's limit; the failure says
        # so (test_a_failed_update_says_when_it_could_not_put_the_channels_back).
        start, result = interrupted(emu, a, b, write, TERMINAL, 1)
        assert (result.status, result.error_code) == ("FAILED", "AccessDenied"), result.message
        back = run(emu, rollback_of(start.created, a, b))
        assert back.ok, back.message
        assert differences(start.before, state(emu, start.arn, start.baseline)) == {}
        return
    fault = COMMIT_THEN_DROP if kind == "lost" else kind
    start, result = interrupted(emu, a, b, write, fault, count)
    assert result.ok, (result.error_code, result.message)
    assert differences(after, state(emu, start.arn, start.baseline)) == {}


# --- defect 3: an interrupted phone update ------------------------------------------------------


def acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {ACW: seconds}}


def template(**overrides: Any) -> dict[str, Any]:
    return {k: v for k, v in user_model(1, **overrides).items() if v is not None}


PER_CHANNEL_ACW = template(
    PhoneConfig={"PhoneType": "SOFT_PHONE"},
    AfterContactWorkConfigs=[acw("VOICE", 30), acw("TASK", 120)],
)
DESK_PHONE = {
    **PER_CHANNEL_ACW,
    "PhoneConfig": {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550111"},
}


@pytest.mark.parametrize("count", [1, ATTEMPTS], ids=["retried", "resumed"])
@pytest.mark.parametrize("kind", ["InternalServiceException", "lost"])
def test_a_phone_update_interrupted_before_its_channels_are_put_back(
    emu: Emulator, kind: str, count: int
) -> None:
    """Defect 3: UpdateUserPhoneConfig sets VOICE's ACW on every channel and the
    UpdateUserConfig after it fails (or its answer is lost): the update ends as without the
    fault, TASK (the template's) and EMAIL (the console's) with their own limits."""
    check_fault(emu, PER_CHANNEL_ACW, DESK_PHONE, "UpdateUserConfig", kind, count)


def test_a_phone_update_whose_phone_write_answer_was_lost_every_attempt(emu: Emulator) -> None:
    """The phone write took effect but no attempt was answered: the callback finds no phone
    change left and still puts the channels back, from what the callback context recorded."""
    check_fault(emu, PER_CHANNEL_ACW, DESK_PHONE, "UpdateUserPhoneConfig", "lost", ATTEMPTS)


def test_a_phone_update_that_fails_for_good_rolls_back_to_the_state_before(emu: Emulator) -> None:
    """Defect 3, terminal: the update puts back what its phone write overwrote before it
    fails (the rollback could not know EMAIL's console limit), and the rollback restores."""
    check_fault(emu, PER_CHANNEL_ACW, DESK_PHONE, "UpdateUserConfig", "terminal", 1)


def test_a_failed_update_says_when_it_could_not_put_the_channels_back(emu: Emulator) -> None:
    """When putting the limits back fails as well, the failure says so: the one case a rollback
    cannot restore (the other channels keep VOICE's limit)."""
    start = started(emu, PER_CHANNEL_ACW, DESK_PHONE)
    emu.faults.fail_next("UpdateUserConfig", 2, TERMINAL)
    result = run(emu, update_of(start.created, DESK_PHONE))
    assert (result.status, result.error_code) == ("FAILED", "AccessDenied")
    assert "could not be put back" in (result.message or ""), result.message


# --- defect 4: a proficiency write whose answer was lost -------------------------------------


@pytest.mark.parametrize("repeat", list(ProficiencyRepeat), ids=lambda r: r.value)
@pytest.mark.parametrize(
    ("write", "after"),
    [
        ("AssociateUserProficiencies", [ENGLISH_4, BILLING_3, SPANISH_2]),
        ("UpdateUserProficiencies", [{**ENGLISH_4, "Level": 1}, BILLING_3]),
        ("DisassociateUserProficiencies", [ENGLISH_4]),
    ],
)
def test_an_update_whose_proficiency_write_answer_was_lost(
    connect_service: Callable[..., Emulator], write: str, after: list[dict[str, Any]], repeat
) -> None:
    """Defect 4: the write took effect, its answer was lost, botocore resent it and Connect
    refused to repeat it: Connect holds the desired set, so the update succeeds."""
    emu = connect_service(proficiency_repeat=repeat)
    a = template(UserProficiencies=[ENGLISH_4, BILLING_3])
    check_fault(emu, a, template(UserProficiencies=after), write, "lost", 1)


# --- the property ---------------------------------------------------------------------------------

FIXED = settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LONG = settings(FIXED, max_examples=150, derandomize=False)
KINDS = st.sampled_from([*TRANSIENT, "lost", "terminal"])


def interrupted_equals_uninterrupted(
    emu: Emulator, a: dict[str, Any], b: dict[str, Any], data: st.DataObject
) -> None:
    without = uninterrupted(emu, a, b)
    assume(without[0])
    write = data.draw(st.sampled_from(without[0]), label="write")
    kind = data.draw(KINDS, label="kind")
    count = data.draw(st.sampled_from([1, ATTEMPTS]), label="count")
    check_fault(emu, a, b, write, kind, count, without)


@FIXED
@given(a=templates(), b=templates(), data=st.data())
def test_interrupted_equals_uninterrupted(
    emu: Emulator, a: dict[str, Any], b: dict[str, Any], data: st.DataObject
) -> None:
    interrupted_equals_uninterrupted(emu, a, b, data)


@pytest.mark.slow
@LONG
@given(a=templates(), b=templates(), data=st.data())
def test_interrupted_equals_uninterrupted_long(
    emu: Emulator, a: dict[str, Any], b: dict[str, Any], data: st.DataObject
) -> None:
    interrupted_equals_uninterrupted(emu, a, b, data)

"""Faults between CreateUser and the association of the user's routing proficiencies (issue
13): a lost answer, throttling and a terminal rejection each end with exactly one user that
has the template's proficiencies, or with no user at all (the create deleted its own)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from aws_connect_user import outcomes
from connect_emulator import COMMIT_THEN_DROP, DROP, Emulator
from connect_emulator.proficiencies import ProficiencyMissing, ProficiencyRepeat
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Operation, OperationResult

from ..testdata import BILLING_3, ENGLISH_4, NOT_PREDEFINED, PASSWORD, as_connect
from .support import ATTEMPTS, add_figure, bump_figure, invoke, user_model, users_of

pytestmark = pytest.mark.emulator

FAST = 0.001  # time scale: a 5 s callback delay is waited as 5 ms
WANTED = [ENGLISH_4, BILLING_3]
ASSOCIATE = "AssociateUserProficiencies"


def create(emu: Emulator, proficiencies: list[dict[str, Any]] = WANTED) -> OperationResult:
    props = user_model(1, prefix="skill", UserProficiencies=proficiencies)
    return invoke(emu, Operation("CREATE", props), time_scale=FAST)


def held(emu: Emulator, user_arn: str) -> list[dict[str, Any]]:
    """The user's proficiencies as Connect lists them (sorted, levels as floats)."""
    rows = emu.state.proficiencies.get(user_arn, [])
    return sorted(rows, key=lambda e: (e["AttributeName"], e["AttributeValue"]))


def exactly_one_user_with_the_proficiencies(emu: Emulator, result: OperationResult) -> None:
    assert result.status == "SUCCESS", (result.error_code, result.message)
    users = users_of(emu)
    assert len(users) == 1, [u["Username"] for u in users]
    assert result.resource_model is not None
    assert users[0]["Arn"] == result.resource_model["UserArn"]
    assert held(emu, users[0]["Arn"]) == as_connect(WANTED)
    assert result.resource_model["UserProficiencies"] == WANTED


@pytest.mark.parametrize("repeat", list(ProficiencyRepeat), ids=lambda r: r.value)
@pytest.mark.parametrize("count", [1, ATTEMPTS], ids=["retried", "resumed"])
def test_a_lost_association_answer(connect_service, count, repeat) -> None:
    """count=1: botocore resends the association in the invocation; ATTEMPTS: the invocation
    runs out of attempts and the callback lists before associating. Either way, whatever
    Connect does with an association it already has (the start-up choice)."""
    emu = connect_service(proficiency_repeat=repeat)
    emu.faults.fail_next(ASSOCIATE, count, COMMIT_THEN_DROP)
    result = create(emu)
    exactly_one_user_with_the_proficiencies(emu, result)
    creates = [e for e in emu.requests.entries() if e.operation == "CreateUser"]
    assert len(creates) == 1
    bump_figure("proficiency_faults", f"lost association answer x{count} ({repeat.value})")


@pytest.mark.parametrize("fault", ["ThrottlingException", "InternalServiceException", DROP])
def test_a_transient_failure_of_the_association(connect_service, fault) -> None:
    emu = connect_service()
    emu.faults.fail_next(ASSOCIATE, ATTEMPTS, fault)
    result = create(emu)
    exactly_one_user_with_the_proficiencies(emu, result)
    assert result.invocations >= 2 and result.responses[0]["status"] == "IN_PROGRESS"
    bump_figure("proficiency_faults", f"{fault} on the association")


@pytest.mark.parametrize("missing", list(ProficiencyMissing), ids=lambda m: m.value)
def test_a_terminal_rejection_leaves_no_user(connect_service, monkeypatch, missing) -> None:
    """An attribute value that is not predefined, as either error Connect may answer; the
    not-found one is retried for the missing-reference window first (shortened here)."""
    short = replace(outcomes.MISSING_PROFICIENCY, retry_for=1.0)
    monkeypatch.setattr(outcomes, "MISSING_PROFICIENCY", short)
    emu = connect_service(proficiency_missing=missing)
    result = create(emu, [ENGLISH_4, NOT_PREDEFINED])
    assert (result.status, result.error_code) == ("FAILED", "InvalidRequest"), result.message
    assert result.message is not None
    assert "UserProficiencies" in result.message and "Language=Klingon" in result.message
    assert "was deleted again" in result.message
    assert users_of(emu) == []
    assert PASSWORD not in result.message
    bump_figure("proficiency_faults", f"terminal rejection ({missing.value})")


def test_a_rejected_level_leaves_no_user(connect_service) -> None:
    """A level Connect rejects (the schema keeps templates to 1-5; a hand-made request that
    gets past it meets Connect's own check)."""
    emu = connect_service()
    emu.faults.fail_next(ASSOCIATE, 1, "InvalidParameterException")
    result = create(emu)
    assert (result.status, result.error_code) == ("FAILED", "InvalidRequest"), result.message
    assert users_of(emu) == []


def test_a_failed_clean_up_names_the_user_left_behind(connect_service) -> None:
    emu = connect_service(proficiency_missing=ProficiencyMissing.INVALID_REQUEST)
    emu.faults.fail_next("DeleteUser", 1, "AccessDeniedException")
    result = create(emu, [NOT_PREDEFINED])
    assert (result.status, result.error_code) == ("FAILED", "InvalidRequest"), result.message
    users = users_of(emu)
    assert len(users) == 1 and result.message is not None
    assert f"delete {users[0]['Arn']} yourself" in result.message
    add_figure("proficiency_faults", "clean-up failure reported with the ARN", True)


def test_read_and_update_after_a_create_with_proficiencies(connect_service) -> None:
    emu = connect_service()
    done = create(emu)
    exactly_one_user_with_the_proficiencies(emu, done)
    assert done.resource_model is not None
    arn = done.resource_model["UserArn"]
    read = invoke(emu, Operation("READ", {"UserArn": arn}))
    assert read.resource_model is not None
    assert read.resource_model["UserProficiencies"] == WANTED
    props = dict(done.operation.properties or {})
    desired = {**props, **{k: done.resource_model[k] for k in ("UserId", "UserArn")}}
    desired["UserProficiencies"] = [{**ENGLISH_4, "Level": 1}]
    update = Operation("UPDATE", desired, previous_properties={**props, "UserArn": arn})
    updated = invoke(emu, update, time_scale=FAST)
    assert updated.status == "SUCCESS", updated.message
    assert held(emu, arn) == as_connect([{**ENGLISH_4, "Level": 1}])
    assert CONNECT_MANAGED.id in arn

"""Partial failure and resume: a fault at any write of an update leaves the user half-updated;
the retried, resumed or re-invoked update converges on the desired state. A delete whose
first attempt took effect unseen still succeeds."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from aws_connect_user.references import id_of
from connect_emulator import COMMIT_THEN_DROP, DROP, Emulator
from loadtest import Operation, OperationResult, delete_of, update_of

from .support import (
    ATTEMPTS,
    WRITES,
    add_figure,
    bump_figure,
    changed_model,
    describe,
    invoke,
    user_model,
    users_of,
)

pytestmark = pytest.mark.emulator

RETRYABLE_FAULTS = ("InternalServiceException", "ThrottlingException", DROP, COMMIT_THEN_DROP)
FAST = 0.001  # time scale: a 5 s callback delay is waited as 5 ms


def live_differences(emu: Emulator, arn: str, props: dict[str, Any]) -> list[str]:
    """How the live user differs from the template properties (empty when it matches)."""
    user = describe(emu, arn)
    found = []
    identity = {k: v for k, v in (props.get("IdentityInfo") or {}).items() if v}
    if {k: v for k, v in (user.get("IdentityInfo") or {}).items() if v} != identity:
        found.append("IdentityInfo")
    phone = {"AutoAccept": False, "AfterContactWorkTimeLimit": 0, **props["PhoneConfig"]}
    live_phone = {k: v for k, v in user["PhoneConfig"].items() if v not in (None, "")}
    if live_phone != phone:
        found.append("PhoneConfig")
    if _voice_enhancement(user) != _voice_enhancement(props):
        found.append("VoiceEnhancementConfigs")
    if user["RoutingProfileId"] != id_of(props["RoutingProfileId"], "routing-profile"):
        found.append("RoutingProfileId")
    wanted = {id_of(s, "security-profile") for s in props["SecurityProfileIds"]}
    if set(user["SecurityProfileIds"]) != wanted:
        found.append("SecurityProfileIds")
    group = props.get("HierarchyGroupId")
    if user.get("HierarchyGroupId") != (id_of(group, "agent-group") if group else None):
        found.append("HierarchyGroupId")
    tags = {k: v for k, v in (user.get("Tags") or {}).items() if not k.startswith("cfn-")}
    if tags != {t["Key"]: t["Value"] for t in props.get("Tags") or []}:
        found.append("Tags")
    return found


def _voice_enhancement(user_or_props: dict[str, Any]) -> str:
    """VOICE's mode: NONE, Connect's default, when nothing sets it."""
    modes = {
        e["Channel"]: e["VoiceEnhancementMode"]
        for e in user_or_props.get("VoiceEnhancementConfigs") or []
    }
    return str(modes.get("VOICE", "NONE"))


def created(emu: Emulator, number: int = 1) -> OperationResult:
    result = invoke(emu, Operation("CREATE", user_model(number, prefix="part")))
    assert result.ok, result.message
    return result


def served(emu: Emulator, start: int) -> Counter[str | None]:
    return Counter(
        e.operation for e in emu.requests.entries()[start:] if e.status == 200 and not e.fault
    )


@pytest.mark.parametrize("fault", RETRYABLE_FAULTS)
@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("count", [1, ATTEMPTS], ids=["retried", "resumed"])
def test_update_converges_after_a_fault_at_each_write(connect_service, write, fault, count):
    """count=1: botocore's retry absorbs it inside the invocation. count=ATTEMPTS: the
    invocation runs out of attempts, answers IN_PROGRESS, and the callback resumes."""
    emu = connect_service()
    before = created(emu)
    desired = changed_model(before.operation.properties)  # type: ignore[arg-type]
    emu.faults.fail_next(write, count, fault)
    start = len(emu.requests)
    result = invoke(emu, update_of(before, desired), time_scale=FAST)
    assert result.status == "SUCCESS", (result.error_code, result.message)
    assert result.resource_model is not None
    assert live_differences(emu, result.resource_model["UserArn"], desired) == []
    # Every planned write took effect exactly once as far as answers go: the resumed
    # invocation did not redo the writes that had already succeeded.
    answered = served(emu, start)
    for other in WRITES:
        expected = 0 if (other == write and fault == COMMIT_THEN_DROP) else 1
        if other == write and fault == COMMIT_THEN_DROP and count == 1:
            expected = 1  # the in-invocation retry re-sends it (idempotent) and is answered
        assert answered[other] == expected, (other, answered)
    if count == ATTEMPTS:
        assert result.invocations == 2
        assert result.responses[0]["status"] == "IN_PROGRESS"
    bump_figure("partial_failure", "update faults survived")
    bump_figure("fault_modes", f"{fault} on an update write")


@pytest.mark.parametrize("write", WRITES)
def test_failed_update_rolls_back_and_reapplies(connect_service, write):
    """A non-retryable failure mid-update fails it half-done; CloudFormation's rollback (an
    update back to the old template) restores the old state, and re-running the update
    after that reaches the new one."""
    emu = connect_service()
    before = created(emu)
    old = dict(before.operation.properties)  # type: ignore[arg-type]
    desired = changed_model(old)
    emu.faults.fail_next(write, 1, "AccessDeniedException")
    failed = invoke(emu, update_of(before, desired), time_scale=FAST)
    assert (failed.status, failed.error_code) == ("FAILED", "AccessDenied")
    arn = before.resource_model["UserArn"]  # type: ignore[index]
    # Half-done: the writes planned before the failed one took effect, the rest did not.
    done = {_property_of(w) for w in WRITES[: WRITES.index(write)]} - {_property_of(write)}
    assert set(live_differences(emu, arn, desired)) == {_property_of(w) for w in WRITES} - done

    # CloudFormation's rollback: an update from the new template back to the old one.
    rollback = replace(update_of(before, old), previous_properties={**desired, **_ids(before)})
    rolled = invoke(emu, rollback, time_scale=FAST)
    assert rolled.status == "SUCCESS", rolled.message
    assert live_differences(emu, arn, old) == []

    again = invoke(emu, update_of(before, desired), time_scale=FAST)
    assert again.status == "SUCCESS", again.message
    assert live_differences(emu, arn, desired) == []
    bump_figure("partial_failure", "failed updates rolled back and re-applied")


def _ids(result: OperationResult) -> dict[str, Any]:
    model = result.resource_model or {}
    return {k: model[k] for k in ("UserId", "UserArn")}


def _property_of(write: str) -> str:
    return {
        "UpdateUserIdentityInfo": "IdentityInfo",
        "UpdateUserPhoneConfig": "PhoneConfig",
        "UpdateUserConfig": "VoiceEnhancementConfigs",
        "UpdateUserRoutingProfile": "RoutingProfileId",
        "UpdateUserSecurityProfiles": "SecurityProfileIds",
        "UpdateUserHierarchy": "HierarchyGroupId",
        "UntagResource": "Tags",
        "TagResource": "Tags",
    }[write]


@pytest.mark.parametrize("count", [1, ATTEMPTS], ids=["retried", "resumed"])
def test_delete_whose_response_was_lost_succeeds(connect_service, count):
    """DeleteUser performed, its response lost: the retry (in the invocation, or in the
    callback) finds the user gone and the delete succeeds instead of failing the stack."""
    emu = connect_service()
    before = created(emu)
    emu.faults.fail_next("DeleteUser", count, COMMIT_THEN_DROP)
    result = invoke(emu, delete_of(before), time_scale=FAST)
    assert (result.status, result.error_code) == ("SUCCESS", None), result.message
    assert users_of(emu) == []
    if count == ATTEMPTS:
        assert result.invocations == 2
    add_figure(
        "faults",
        f"commit-then-drop DeleteUser x{count}",
        {"deletes": 1, "injected": count, "orphans": 0, "duplicates": 0, "failed": 0},
    )


@pytest.mark.parametrize("fault", RETRYABLE_FAULTS)
def test_delete_survives_each_fault(connect_service, fault):
    emu = connect_service()
    before = created(emu)
    emu.faults.fail_next("DeleteUser", ATTEMPTS, fault)
    result = invoke(emu, delete_of(before), time_scale=FAST)
    assert result.status == "SUCCESS", (result.error_code, result.message)
    assert users_of(emu) == []
    bump_figure("partial_failure", "delete faults survived")
    bump_figure("fault_modes", f"{fault} x{ATTEMPTS} on DeleteUser")


def test_delete_of_a_user_already_gone_is_not_found(connect_service):
    """Without a retry of its own, a missing user is NotFound (the contract's answer)."""
    emu = connect_service()
    before = created(emu)
    arn = before.resource_model["UserArn"]  # type: ignore[index]
    instance_id, user_id = arn.split(":instance/", 1)[1].split("/agent/")
    emu.execute("DeleteUser", {"InstanceId": instance_id, "UserId": user_id})
    result = invoke(emu, delete_of(before), time_scale=FAST)
    assert (result.status, result.error_code) == ("FAILED", "NotFound")

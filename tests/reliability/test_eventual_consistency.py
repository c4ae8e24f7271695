"""Issue 16: the production entrypoint on an eventually consistent Connect.

The emulator hides a new user, keeps showing a deleted one and hides a profile or group
created "a moment ago", each for DELAY seconds of its clock, which runs 1/TIME_SCALE times
faster than real time, as the driver's callback waits do. Each of the issue's four failures
has a test here; each failed on the handler before it stabilised create and delete.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from connect_emulator import COMMIT_THEN_DROP, Emulator, ScaledClock
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Operation, OperationResult, Report, delete_of, read_of, update_of

from ..testdata import OTHER_PASSWORD, minimal_create_params
from .support import add_figure, changed_model, invoke, phase, user_model, users_of

pytestmark = pytest.mark.emulator

DELAY = 20.0  # emulated seconds: beyond Connect's usual "few seconds", within its "minutes"
# Real seconds per emulated second: the delay lasts 4 s of real time, well over the ~1 s a
# loaded machine takes from one handler invocation's CreateUser to the next one's first call.
TIME_SCALE = 0.2
# Callbacks a stabilising handler may need; a stack would wait for the handler timeout.
MAX_INVOCATIONS = 100


class SteppableClock(ScaledClock):
    """The driver's time, and a jump forward for "created long ago" without waiting."""

    def __init__(self, factor: float) -> None:
        super().__init__(factor)
        self.offset = 0.0

    def monotonic(self) -> float:
        return super().monotonic() + self.offset


def lagging(connect_service) -> Emulator:
    """An emulator where new users, deleted users and new references all lag by DELAY."""
    emulator: Emulator = connect_service(clock=SteppableClock(1 / TIME_SCALE), consistency=DELAY)
    return emulator


def run(emu: Emulator, operation: Operation) -> OperationResult:
    return invoke(emu, operation, time_scale=TIME_SCALE, max_invocations=MAX_INVOCATIONS)


def created(emu: Emulator, number: int, **overrides: Any) -> OperationResult:
    result = run(emu, Operation("CREATE", user_model(number, prefix="lag", **overrides)))
    assert result.ok, (result.error_code, result.message)
    return result


def test_the_emulator_lags_and_create_waits_for_it(connect_service) -> None:
    """The premise of the tests below: a user CreateUser made is not described until DELAY
    has passed. The handler's create answers SUCCESS only after that, through callbacks."""
    emu = lagging(connect_service)
    client = boto3.client("connect", endpoint_url=emu.endpoint_url, region_name="us-east-1")
    props = user_model(1, prefix="raw")
    made = client.create_user(
        **minimal_create_params(
            Username=props["Username"],
            Password=props["Password"],
            IdentityInfo={"FirstName": "Raw", "LastName": "Client"},
        )
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=made["UserId"])
    clock = emu.clock
    assert isinstance(clock, SteppableClock)
    clock.offset += DELAY
    assert client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=made["UserId"])
    done = created(emu, 1)
    assert done.invocations > 1  # IN_PROGRESS until DescribeUser showed the new user
    assert all(r["status"] == "IN_PROGRESS" for r in done.responses[:-1])
    arn = (done.resource_model or {})["UserArn"]
    instance_id, user_id = arn.split(":instance/", 1)[1].split("/agent/")
    assert client.describe_user(InstanceId=instance_id, UserId=user_id)["User"]["Arn"] == arn


def test_read_right_after_create_is_not_not_found(connect_service) -> None:
    """contract_create_read, and Cloud Control's GetResource after CreateResource."""
    emu = lagging(connect_service)
    done = created(emu, 2)
    read = run(emu, read_of(done))
    assert (read.status, read.error_code) == ("SUCCESS", None), read.message
    assert read.resource_model is not None
    assert read.resource_model["Username"] == "lag00002"


def test_update_right_after_create_is_not_not_found(connect_service) -> None:
    """contract_update_read: the update's own DescribeUser meets the lagging user."""
    emu = lagging(connect_service)
    done = created(emu, 3)
    desired = changed_model(done.operation.properties or {})
    updated = run(emu, update_of(done, desired))
    assert (updated.status, updated.error_code) == ("SUCCESS", None), updated.message
    (user,) = users_of(emu)
    assert user["RoutingProfileId"] == CONNECT_MANAGED.child_id("routing", 2)


def test_rollback_delete_right_after_create_leaves_no_user(connect_service) -> None:
    """A stack that fails just after creating its user rolls back at once: DeleteUser meets
    a user that exists but is not visible yet. The delete must not report NotFound (which
    CloudFormation counts as deleted) while the user lives on."""
    emu = lagging(connect_service)
    done = created(emu, 4)
    deleted = run(emu, delete_of(done))
    assert users_of(emu) == []
    assert (deleted.status, deleted.error_code) == ("SUCCESS", None), deleted.message


def test_user_referencing_profiles_created_a_moment_ago_is_created(connect_service) -> None:
    """examples/templates/team.yaml: the profiles and the group are created in the same
    stack just before the users, so CreateUser does not see them yet."""
    emu = lagging(connect_service)
    security = emu.create_reference(CONNECT_MANAGED.id, "security", "TeamAgent")
    routing = emu.create_reference(CONNECT_MANAGED.id, "routing", "TeamRouting")
    group = emu.create_reference(CONNECT_MANAGED.id, "hierarchy", "TeamGroup")
    result = run(
        emu,
        Operation(
            "CREATE",
            user_model(
                5,
                prefix="team",
                SecurityProfileIds=[security.arn],
                RoutingProfileId=routing.id,
                HierarchyGroupId=group.arn,
            ),
        ),
    )
    assert (result.status, result.error_code) == ("SUCCESS", None), result.message
    (user,) = users_of(emu)
    assert (user["SecurityProfileIds"], user["RoutingProfileId"], user["HierarchyGroupId"]) == (
        [security.id],
        routing.id,
        group.id,
    )


def test_lost_create_answer_with_lagging_search_finds_its_own_user(connect_service) -> None:
    """CreateUser performed but its answer lost; the retry gets DuplicateResourceException
    and SearchUsers does not see the user yet. It is this request's own user (its marker):
    the create must end SUCCESS with that user, not AlreadyExists with an orphan."""
    emu = lagging(connect_service)
    emu.faults.fail_next("CreateUser", 1, COMMIT_THEN_DROP)
    result = run(emu, Operation("CREATE", user_model(6, prefix="lost")))
    live = users_of(emu)
    assert len(live) == 1
    assert (result.status, result.error_code) == ("SUCCESS", None), result.message
    assert result.resource_model is not None
    assert result.resource_model["UserArn"] == live[0]["Arn"]


def test_pre_existing_user_is_still_refused_at_once(connect_service) -> None:
    """A user that was there long before (visible, no marker of this request) is
    AlreadyExists at the first invocation, lag or no lag."""
    emu = lagging(connect_service)
    emu.execute(
        "CreateUser",
        minimal_create_params(
            Username="taken00007",
            Password=OTHER_PASSWORD,
            IdentityInfo={"FirstName": "Pre", "LastName": "Existing"},
        ),
    )
    clock = emu.clock
    assert isinstance(clock, SteppableClock)
    clock.offset += DELAY  # created long ago: visible everywhere
    result = run(emu, Operation("CREATE", user_model(7, prefix="taken")))
    assert (result.status, result.error_code) == ("FAILED", "AlreadyExists")
    assert result.invocations == 1
    assert [u["Username"] for u in users_of(emu)] == ["taken00007"]


# A stack of users on the lagging emulator: examples/templates/team.yaml at scale.
STACK_USERS = 200
STACK_CONCURRENCY = 40
STACK_TIME_SCALE = 0.05  # quicker than TIME_SCALE: DELAY lasts 1 s of real time here


def _stack_figure(name: str, report: Report) -> None:
    add_figure(
        "eventual_consistency",
        name,
        {
            "operations": len(report.results),
            "failed": report.failed,
            "invocations": report.invocations,
            "callbacks_honoured": report.callbacks,
            "max_invocations_per_operation": max(r.invocations for r in report.results),
            "emulated_callback_wait_s": sum(sum(r.callback_delays) for r in report.results),
            "wall_time_s": round(report.wall_time, 1),
            "visibility_delay_s": DELAY,
            "time_scale": STACK_TIME_SCALE,
        },
    )


def test_a_stack_of_users_on_profiles_made_a_moment_ago_then_rolled_back(connect_service) -> None:
    """200 users referencing a security profile, a routing profile and a hierarchy group
    created just before them: every create succeeds with exactly one user each (no failure,
    no orphan); then the stack rolls back at once and every delete leaves nothing behind."""
    emu: Emulator = connect_service(clock=ScaledClock(1 / STACK_TIME_SCALE), consistency=DELAY)
    security = emu.create_reference(CONNECT_MANAGED.id, "security", "StackAgent")
    routing = emu.create_reference(CONNECT_MANAGED.id, "routing", "StackRouting")
    group = emu.create_reference(CONNECT_MANAGED.id, "hierarchy", "StackGroup")
    references: dict[str, Any] = {
        "SecurityProfileIds": [security.arn],
        "RoutingProfileId": routing.id,
        "HierarchyGroupId": group.arn,
    }
    options = {
        "concurrency": STACK_CONCURRENCY,
        "time_scale": STACK_TIME_SCALE,
        "max_invocations": MAX_INVOCATIONS,
    }
    creates = phase(
        emu,
        [
            Operation("CREATE", user_model(n, prefix="stack", **references), logical_id=f"U{n}")
            for n in range(STACK_USERS)
        ],
        **options,
    )
    _stack_figure("create_200_on_new_profiles", creates)
    assert creates.counts() == {"CREATE": {"SUCCESS": STACK_USERS, "FAILED": 0}}, (
        creates.error_codes
    )
    assert not creates.protocol_errors
    live = {u["Arn"]: u for u in users_of(emu)}
    assert sorted(live) == sorted(r.resource_model["UserArn"] for r in creates.results)  # type: ignore[index]
    assert {u["RoutingProfileId"] for u in live.values()} == {routing.id}
    # some creates really met the lag: they were called back before succeeding
    assert creates.callbacks > 0

    deletes = phase(emu, [delete_of(r) for r in creates.results], **options)
    _stack_figure("rollback_200_right_after_create", deletes)
    assert deletes.counts() == {"DELETE": {"SUCCESS": STACK_USERS, "FAILED": 0}}, (
        deletes.error_codes
    )
    assert users_of(emu) == []

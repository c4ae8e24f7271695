"""Issue 20: no lag orphans, and a call's outcome judged by every attempt.

Through the production entrypoint on the emulator, with CloudFormation's callbacks (the load
driver). The emulator's clock and the handler's own clock (its callback windows) both run
1/TIME_SCALE times as fast as real time, as the driver's callback waits do: nothing sleeps
for the time it stands for.

- A create rolled back after any of its invocations, whatever Connect's visibility delay,
  leaves no user (defect 1: the rollback's DELETE answered NotFound for a user not shown yet).
- A delete answers NotFound only for a user that was gone before it.
- A call whose first attempt was committed and lost and whose last attempt was throttled is
  "outcome unknown" (defect 5): a delete does not answer NotFound for the user it deleted, a
  create finds its own user instead of answering AlreadyExists.
- Mixed faults (drops, commit-then-drop, 5xx, throttling) on a lagging Connect: N creates
  then N deletes all succeed, no duplicate, no user left.

The default run is a fixed seed and a few examples; `pytest -m slow` runs more, random seed.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from connect_emulator import COMMIT_THEN_DROP, Emulator, ScaledClock
from connect_emulator.faults import INTERNAL, THROTTLING
from loadtest import Operation, OperationResult, delete_of, warm_container

from .support import (
    ATTEMPTS,
    add_figure,
    bump_figure,
    faults_injected,
    invoke,
    phase,
    serving,
    user_model,
    users_of,
)

pytestmark = pytest.mark.emulator

TIME_SCALE = 0.01  # real seconds per emulated second, for the emulator and the handler
# Emulated seconds a change stays invisible: long enough in real time (up to 2.4 s) that the
# lag is really met on a loaded machine, and within the five minutes a delete waits for a
# user it cannot see (outcomes.UNSEEN_USER_WINDOW_SECONDS): beyond that, a rollback answers
# NotFound for a user that has not appeared yet, which is what the README says it does.
DELAYS = (0.0, 30.0, 120.0, 240.0)
MAX_INVOCATIONS = 200  # far more than any of these operations needs
SEED = 20261206
_numbers = itertools.count(1)


def _settings(n: int) -> Any:
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def examples(n: int) -> Any:
    """A fixed seed and n examples in the default run (make test)."""
    return lambda test: hypothesis_seed(SEED)(_settings(n)(test))


def long_run(n: int) -> Any:
    """The long run (pytest -m slow, make fuzz): n examples, a random seed."""
    return lambda test: pytest.mark.slow(_settings(n)(test))


@pytest.fixture(scope="module")
def shared() -> Iterator[Emulator]:
    """One emulator for every example of a property (each reconfigures lag and faults)."""
    with serving(clock=ScaledClock(1 / TIME_SCALE)) as emu:
        yield emu


def emulator(connect_service: Any) -> Emulator:
    emu: Emulator = connect_service(clock=ScaledClock(1 / TIME_SCALE))
    return emu


def lag(emu: Emulator, delay: float) -> None:
    """No faults, and every change invisible for `delay` emulated seconds."""
    emu.faults.clear()
    if delay:
        emu.configure_consistency(delay)


def run(emu: Emulator, operation: Operation, max_invocations: int = MAX_INVOCATIONS) -> Any:
    """One operation to its end (or max_invocations), the handler's clock at the pace of
    the driver's callbacks."""
    return invoke(
        emu,
        operation,
        time_scale=TIME_SCALE,
        max_invocations=max_invocations,
        container=warm_container(TIME_SCALE, handler_clock=True),
    )


def rollback_of(create: OperationResult) -> Operation:
    """The DELETE CloudFormation sends when it rolls back a create: the model of the create's
    last answer (its IN_PROGRESS model if it had not finished)."""
    last = create.responses[-1]
    model = create.resource_model if create.status == "SUCCESS" else last.get("resourceModel")
    return Operation("DELETE", model, logical_id=create.operation.logical_id)


def named(emu: Emulator, username: str) -> list[dict[str, Any]]:
    return [u for u in users_of(emu) if u["Username"] == username]


# --- defect 5: every attempt counts -------------------------------------------------------------


def test_a_delete_committed_then_dropped_then_throttled_is_not_not_found(connect_service) -> None:
    """DeleteUser's first attempt deletes the user and loses the answer; botocore's other
    attempts are throttled. The callback's DeleteUser and DescribeUser find no user: this
    delete's own doing, so SUCCESS, not NotFound."""
    emu = emulator(connect_service)
    created = run(emu, Operation("CREATE", user_model(next(_numbers), prefix="att")))
    assert created.ok, created.message
    emu.faults.fail_next("DeleteUser", 1, COMMIT_THEN_DROP)
    emu.faults.fail_next("DeleteUser", ATTEMPTS - 1, THROTTLING)
    deleted = run(emu, delete_of(created))
    assert (deleted.status, deleted.error_code) == ("SUCCESS", None), deleted.message
    assert users_of(emu) == []
    assert faults_injected(emu) == Counter(
        {f"fail_next:{COMMIT_THEN_DROP}": 1, f"fail_next:{THROTTLING}": ATTEMPTS - 1}
    )


def test_a_create_committed_then_dropped_then_throttled_finds_its_own_user(connect_service) -> None:
    """CreateUser's first attempt makes the user and loses the answer; the others are
    throttled. The next invocation must treat the create as sent: its DuplicateResource is
    this create's own user, which the lagging search shows only later. SUCCESS with that
    user, not AlreadyExists with an orphan."""
    emu = emulator(connect_service)
    lag(emu, 60.0)
    emu.faults.fail_next("CreateUser", 1, COMMIT_THEN_DROP)
    emu.faults.fail_next("CreateUser", ATTEMPTS - 1, THROTTLING)
    props = user_model(next(_numbers), prefix="att")
    result = run(emu, Operation("CREATE", props))
    live = named(emu, props["Username"])
    assert len(live) == 1
    assert (result.status, result.error_code) == ("SUCCESS", None), result.message
    assert result.resource_model is not None
    assert result.resource_model["UserArn"] == live[0]["Arn"]


# --- defect 1: a rollback of a create still waiting for Connect ---------------------------------


def test_a_rollback_right_after_a_lagging_create_deletes_the_user(connect_service) -> None:
    """The issue's reproduction: new users invisible for a while (20 s in the issue, two
    emulated minutes here, so that the lag is met however slow the machine); CREATE answers
    IN_PROGRESS with UserArn in its model, CloudFormation rolls back at once. The DELETE must
    not answer NotFound while the user lives on."""
    emu = emulator(connect_service)
    lag(emu, 120.0)
    props = user_model(next(_numbers), prefix="rb")
    create = run(emu, Operation("CREATE", props), max_invocations=1)
    assert create.responses[-1]["status"] == "IN_PROGRESS"
    assert create.responses[-1]["resourceModel"]["UserArn"]
    deleted = run(emu, rollback_of(create))
    assert (deleted.status, deleted.error_code) == ("SUCCESS", None), deleted.message
    assert named(emu, props["Username"]) == []


def test_a_delete_of_a_user_gone_long_ago_is_not_found(connect_service) -> None:
    """CloudFormation's contract (the suite deletes twice): a model DescribeUser showed
    (UserId) is NotFound at once; a model no DescribeUser showed (a create's IN_PROGRESS model)
    is NotFound after the unseen-user window, five emulated minutes."""
    from aws_connect_user.outcomes import UNSEEN_USER_WINDOW_SECONDS

    emu = emulator(connect_service)
    created = run(emu, Operation("CREATE", user_model(next(_numbers), prefix="gone")))
    assert created.ok, created.message
    assert (done := run(emu, delete_of(created))).ok, done.message
    again = run(emu, delete_of(created))
    assert (again.status, again.error_code, again.invocations) == ("FAILED", "NotFound", 1)
    unseen = {**delete_of(created).properties, "UserId": None}  # type: ignore[dict-item]
    late = run(emu, Operation("DELETE", {k: v for k, v in unseen.items() if v is not None}))
    assert (late.status, late.error_code) == ("FAILED", "NotFound"), late.message
    assert late.invocations > 1  # called back while the user might still have appeared
    assert f"waits at most {round(UNSEEN_USER_WINDOW_SECONDS)} s" in (late.message or "")
    waited = sum(late.callback_delays)
    add_figure(
        "no_lag_orphans",
        "delete_of_a_deleted_user_never_shown",
        {
            "invocations": late.invocations,
            "emulated_wait_s": waited,
        },
    )


# --- the properties ----------------------------------------------------------------------------

CREATE_FAULTS = (None, INTERNAL, THROTTLING)  # a lost CreateUser answer: see the limitation


def _rolled_back_create(emu: Emulator, delay: float, after: int, fault: str | None) -> None:
    """Create with `fault` on its first CreateUser attempt, roll back after `after` of its
    invocations (or once it finished): the user is gone in the end, and the DELETE answered
    NotFound only if there was no user when it started."""
    lag(emu, delay)
    if fault is not None:
        emu.faults.fail_next("CreateUser", 1, fault)
    props = user_model(next(_numbers), prefix="prop")
    create = run(emu, Operation("CREATE", props), max_invocations=after)
    existed = bool(named(emu, props["Username"]))
    deleted = run(emu, rollback_of(create))
    assert named(emu, props["Username"]) == [], (delay, after, fault, deleted.message)
    if deleted.error_code == "NotFound":
        assert not existed, (delay, after, fault, deleted.message)
    else:
        assert (deleted.status, deleted.error_code) == ("SUCCESS", None), deleted.message
    bump_figure("no_lag_orphans", "rollbacks")


@examples(10)
@given(
    delay=st.sampled_from(DELAYS),
    after=st.integers(1, 4),
    fault=st.sampled_from(CREATE_FAULTS),
)
def test_a_create_rolled_back_after_any_invocation_leaves_no_user(
    shared, delay, after, fault
) -> None:
    _rolled_back_create(shared, delay, after, fault)


@long_run(100)
@given(
    delay=st.floats(0, 240),
    after=st.integers(1, 12),
    fault=st.sampled_from(CREATE_FAULTS),
)
def test_long_rolled_back_creates(shared, delay, after, fault) -> None:
    _rolled_back_create(shared, delay, after, fault)


MIXED_FAULTS = {
    "rate": 1.0,  # emulated requests per second, shared by every API: throttling binds
    "burst": 5,
    "error_rate": 0.05,
    "drop_rate": 0.03,
    "commit_then_drop_rate": 0.03,
}


def _creates_then_deletes(emu: Emulator, n: int, delay: float, seed_prefix: str) -> None:
    lag(emu, delay)
    emu.faults.configure("*", **MIXED_FAULTS)
    start = len(emu.requests)
    options = {
        "concurrency": 4,
        "time_scale": TIME_SCALE,
        "max_invocations": MAX_INVOCATIONS,
        "scale_handler_clock": True,
    }
    ops = [
        Operation("CREATE", user_model(next(_numbers), prefix=seed_prefix), logical_id=f"U{i}")
        for i in range(n)
    ]
    creates = phase(emu, ops, **options)
    assert creates.counts() == {"CREATE": {"SUCCESS": n, "FAILED": 0}}, creates.error_codes
    assert not creates.protocol_errors
    names = Counter(u["Username"] for u in users_of(emu))
    wanted = {op.properties["Username"] for op in ops}  # type: ignore[index]
    assert {k: v for k, v in names.items() if k in wanted} == dict.fromkeys(wanted, 1)
    deletes = phase(emu, [delete_of(r) for r in creates.results], **options)
    assert deletes.counts() == {"DELETE": {"SUCCESS": n, "FAILED": 0}}, deletes.error_codes
    assert not [u for u in users_of(emu) if u["Username"] in wanted]
    bump_figure("no_lag_orphans", "mixed_fault_operations", 2 * n)
    for entry in emu.requests.entries()[start:]:  # what the run met (a figure, not asserted)
        if entry.fault:
            bump_figure("no_lag_orphans", f"fault {entry.fault}")


@examples(3)
@given(delay=st.sampled_from(DELAYS[1:]))
def test_creates_then_deletes_under_mixed_faults_on_a_lagging_connect(shared, delay) -> None:
    _creates_then_deletes(shared, 8, delay, "mix")


@long_run(5)
@given(delay=st.floats(0, 240))
def test_long_creates_then_deletes_under_mixed_faults(shared, delay) -> None:
    _creates_then_deletes(shared, 100, delay, "mixl")

"""The callback budget under sustained throttling, made deterministic.

Every invocation of an update re-reads the user (DescribeUser) and resumes with the writes
still missing, so an update that is throttled between writes still makes progress from one
invocation to the next. These tests script the throttling per invocation (the driver's
entrypoint hook injects faults just before each invocation) to see how many callbacks the
handler allows such an update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from aws_connect_user.handlers import resource
from connect_emulator import Emulator
from loadtest import Operation, run_operation, update_of

from .support import ATTEMPTS, LEDGER, WRITES, bump_figure, changed_model, invoke, user_model

pytestmark = pytest.mark.emulator

THROTTLED = "ThrottlingException"


def scripted_update(emu: Emulator, stalls_between_writes: bool):
    """Each progressing invocation completes exactly one write and is throttled on the next
    (all ATTEMPTS attempts); with stalls, every other invocation is throttled on its
    DescribeUser and makes no progress at all."""
    created = invoke(emu, Operation("CREATE", user_model(1, prefix="budget")))
    assert created.ok
    invocations = {"n": 0, "progress": 0}

    def entrypoint(event: Mapping[str, Any], context: Any) -> Any:
        invocations["n"] += 1
        if stalls_between_writes and invocations["n"] % 2 == 1:
            emu.faults.fail_next("DescribeUser", ATTEMPTS, THROTTLED)
        else:
            invocations["progress"] += 1
            if invocations["progress"] < len(WRITES):
                emu.faults.fail_next(WRITES[invocations["progress"]], ATTEMPTS, THROTTLED)
        return resource(event, context)

    desired = changed_model(created.operation.properties)  # type: ignore[arg-type]
    start = len(emu.requests)
    result = run_operation(update_of(created, desired), entrypoint=entrypoint, time_scale=0.0005)
    LEDGER.record("UPDATE", emu.requests.entries()[start:])
    return result


def test_update_progressing_every_invocation_converges(connect_service) -> None:
    emu = connect_service()
    result = scripted_update(emu, stalls_between_writes=False)
    assert result.status == "SUCCESS", (result.error_code, result.message)
    assert result.invocations == len(WRITES)
    bump_figure("partial_failure", "scripted throttled updates converged")


def test_update_progressing_every_other_invocation_converges(connect_service) -> None:
    emu = connect_service()
    result = scripted_update(emu, stalls_between_writes=True)
    assert result.status == "SUCCESS", (result.error_code, result.message)
    assert result.invocations == 2 * len(WRITES)

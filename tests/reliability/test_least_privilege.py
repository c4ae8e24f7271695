"""Least privilege, from the service side: the Connect API actions each handler was seen
invoking in the emulator's request log equal the permissions the schema declares for it
(aws-connect-user.json handlers.*.permissions) — none missing, none extra.

Requests are attributed to handlers by phase: every invocation in this suite runs through
support.phase()/invoke(), one action at a time, and the request-log entries of that window
belong to that action (the emulator's log carries no caller identity).

The one documented exception: create declares connect:TagResource but never calls it,
because CreateUser with Tags needs that IAM permission (tag-on-create).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from connect_emulator import COMMIT_THEN_DROP
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Operation, delete_of, read_of, update_of

from ..testdata import BILLING_3, ENGLISH_4, SPANISH_2
from .support import (
    ACTIONS,
    ATTEMPTS,
    LEDGER,
    add_figure,
    changed_model,
    declared_permissions,
    faults_injected,
    invoke,
    phase,
    user_model,
)

pytestmark = pytest.mark.emulator
# Declared for IAM, not invoked as an API call: tag-on-create authorises CreateUser's Tags.
DOCUMENTED_UNUSED = {"CREATE": {"TagResource"}}
FAST = 0.001  # time scale: a 5 s callback delay is waited as 5 ms


def observed_by_action(emu, windows: dict[str, list[int]]) -> dict[str, set[str]]:
    entries = emu.requests.entries()
    seen: dict[str, set[str]] = {a: set() for a in ACTIONS}
    for action, (start, end) in windows.items():
        seen[action] |= {e.operation or "(unknown)" for e in entries[start:end]}
    return seen


SKILLS: dict[str, Any] = {"UserProficiencies": [ENGLISH_4, BILLING_3]}


def reskilled(props) -> dict:
    """changed_model, and every kind of proficiency change: a level, a new one, one gone."""
    return {**changed_model(props), "UserProficiencies": [{**ENGLISH_4, "Level": 1}, SPANISH_2]}


def test_each_handler_invokes_exactly_its_declared_permissions(connect_service) -> None:
    """A workload that takes every path of every handler: create (incl. the lost-response
    recovery), read, update of every property incl. tags, list, delete."""
    emu = connect_service()
    windows: dict[str, list[int]] = {}

    def window(action: str, run) -> object:
        start = len(emu.requests)
        out = run()
        windows.setdefault(action, [start, start])
        windows[action][1] = len(emu.requests)
        assert windows[action][0] <= start
        return out

    emu.faults.fail_next("CreateUser", 1, COMMIT_THEN_DROP)  # the SearchUsers recovery path
    # Routing proficiencies (issue 13): a lost association answer is listed on callback.
    emu.faults.fail_next("AssociateUserProficiencies", ATTEMPTS, COMMIT_THEN_DROP)
    creates = window(
        "CREATE",
        lambda: phase(
            emu,
            [Operation("CREATE", user_model(n, prefix="priv", **SKILLS)) for n in range(3)],
            concurrency=3,
            time_scale=0.001,
        ),
    )
    results = creates.results  # type: ignore[attr-defined]
    assert all(r.ok for r in results)
    # A rejected association: the create deletes the user it made (DeleteUser).
    emu.faults.fail_next("AssociateUserProficiencies", 1, "InvalidRequestException")
    rejected = window(
        "CREATE",
        lambda: invoke(emu, Operation("CREATE", user_model(9, prefix="priv", **SKILLS))),
    )
    assert rejected.error_code == "InvalidRequest"  # type: ignore[attr-defined]
    window("READ", lambda: [invoke(emu, read_of(r)) for r in results])
    updates = window(
        "UPDATE",
        lambda: [
            invoke(emu, update_of(r, reskilled(r.operation.properties)), time_scale=0.001)
            for r in results
        ],
    )
    assert all(u.ok for u in updates)  # type: ignore[attr-defined]
    window("LIST", lambda: invoke(emu, Operation("LIST", {"InstanceId": CONNECT_MANAGED.id})))
    deletes = window("DELETE", lambda: [invoke(emu, delete_of(u)) for u in updates])  # type: ignore[attr-defined]
    assert all(d.ok for d in deletes)  # type: ignore[attr-defined]

    declared = declared_permissions()
    observed = observed_by_action(emu, windows)
    table = {}
    for action in ACTIONS:
        unused = declared[action] - observed[action]
        assert observed[action] - declared[action] == set(), f"{action} needs undeclared calls"
        assert unused == DOCUMENTED_UNUSED.get(action, set()), f"{action} over-declares {unused}"
        table[action] = {
            "declared": len(declared[action]),
            "observed": len(observed[action]),
            "documented_unused": sorted(unused),
        }
    # The exception's reason holds: CreateUser really carried Tags.
    create_start, create_end = windows["CREATE"]
    tagged = [
        e
        for e in emu.requests.entries()[create_start:create_end]
        if e.operation == "CreateUser" and (e.params or {}).get("Tags")
    ]
    assert tagged
    add_figure("least_privilege_workload", "per_action", table)


def test_fault_paths_need_no_undeclared_call(connect_service) -> None:
    """The paths faults open (a throttled create resumed on callback, a lost CreateUser answer
    recovered, a read and a list retried, an update resumed after a failed write, a delete
    whose answer was lost): no handler calls anything its schema entry does not declare.

    The test drives its own workload and reads only the requests it caused, so it holds when
    run alone; conftest.py checks the ledger of the whole run at session end."""
    emu = connect_service()
    before = {action: Counter(LEDGER.observed.get(action, Counter())) for action in ACTIONS}

    emu.faults.fail_next("DescribeInstance", ATTEMPTS, "ThrottlingException")
    model = user_model(1, prefix="flt")
    first = invoke(emu, Operation("CREATE", model), time_scale=FAST)
    emu.faults.fail_next("CreateUser", ATTEMPTS, COMMIT_THEN_DROP)
    second = invoke(emu, Operation("CREATE", user_model(2, prefix="flt")), time_scale=FAST)
    emu.faults.fail_next("DescribeUser", 1, "ThrottlingException")
    read = invoke(emu, read_of(first), time_scale=FAST)
    emu.faults.fail_next("UpdateUserPhoneConfig", ATTEMPTS, "InternalServiceException")
    update = invoke(emu, update_of(first, changed_model(model)), time_scale=FAST)
    emu.faults.fail_next("ListUsers", 1, "ThrottlingException")
    listed = invoke(emu, Operation("LIST", {"InstanceId": CONNECT_MANAGED.id}), time_scale=FAST)
    emu.faults.fail_next("DeleteUser", ATTEMPTS, COMMIT_THEN_DROP)
    deletes = [invoke(emu, delete_of(r), time_scale=FAST) for r in (update, second)]

    for result in (first, second, read, update, listed, *deletes):
        assert result.ok, (result.operation.action, result.error_code, result.message)
    assert first.invocations > 1 and update.invocations > 1, "nothing was resumed on callback"
    assert sum(faults_injected(emu).values()) == 4 * ATTEMPTS + 2
    declared = declared_permissions()
    for action in ACTIONS:
        seen = set(LEDGER.observed.get(action, Counter()) - before[action])
        assert seen, f"{action} made no call"
        assert seen - declared[action] == set(), f"{action} needs undeclared calls"

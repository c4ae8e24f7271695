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

import pytest

from connect_emulator import COMMIT_THEN_DROP
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Operation, delete_of, read_of, update_of

from .support import (
    ACTIONS,
    LEDGER,
    add_figure,
    changed_model,
    declared_permissions,
    invoke,
    phase,
    user_model,
)

pytestmark = pytest.mark.emulator
# Declared for IAM, not invoked as an API call: tag-on-create authorises CreateUser's Tags.
DOCUMENTED_UNUSED = {"CREATE": {"TagResource"}}


def observed_by_action(emu, windows: dict[str, list[int]]) -> dict[str, set[str]]:
    entries = emu.requests.entries()
    seen: dict[str, set[str]] = {a: set() for a in ACTIONS}
    for action, (start, end) in windows.items():
        seen[action] |= {e.operation or "(unknown)" for e in entries[start:end]}
    return seen


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
    creates = window(
        "CREATE",
        lambda: phase(
            emu,
            [Operation("CREATE", user_model(n, prefix="priv")) for n in range(3)],
            concurrency=3,
            time_scale=0.001,
        ),
    )
    results = creates.results  # type: ignore[attr-defined]
    assert all(r.ok for r in results)
    window("READ", lambda: [invoke(emu, read_of(r)) for r in results])
    updates = window(
        "UPDATE",
        lambda: [
            invoke(emu, update_of(r, changed_model(r.operation.properties)), time_scale=0.001)
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


def test_the_whole_suite_never_needed_an_undeclared_call() -> None:
    """Everything the reliability suite has driven so far (load, faults, fuzz, secrets):
    no handler called anything its schema entry does not declare."""
    declared = declared_permissions()
    extras = {
        action: sorted(set(LEDGER.observed.get(action, Counter())) - declared[action])
        for action in ACTIONS
    }
    assert extras == {a: [] for a in ACTIONS}

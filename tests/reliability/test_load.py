"""Throttling at stack scale: 200 users (every 4th with routing proficiencies) created, updated
and deleted at concurrency 20 against an account limited to 2 requests/second with a burst of 5.

Time is compressed 20x (TIME_SCALE): the emulator's token bucket runs on a ScaledClock and the
driver waits callbackDelaySeconds (and botocore's backoff) times TIME_SCALE, so the limit is
2 per emulated second and every wait the handler asks for is honoured in full.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from connect_emulator import Emulator, ScaledClock
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Operation, Report, delete_of, update_of

from ..testdata import BILLING_3, ENGLISH_4, as_connect
from .support import add_figure, phase, user_model, users_of

USERS = 200
CONCURRENCY = 20
RATE, BURST = 2.0, 5
TIME_SCALE = 0.05

pytestmark = pytest.mark.emulator


def assert_rate_limit_held(emu: Emulator, report: Report, start: int) -> Counter[str]:
    """The bucket really bound: requests were throttled, and the ones let through fit in
    burst + rate x elapsed emulated time."""
    entries = emu.requests.entries()[start:]
    outcomes = Counter("throttled" if e.fault == "throttle" else "served" for e in entries)
    emulated_seconds = report.wall_time / TIME_SCALE
    assert outcomes["throttled"] > 0, "the rate limit never bound: the load proves nothing"
    assert outcomes["served"] <= BURST + RATE * emulated_seconds + 1
    return outcomes


def record(name: str, report: Report, outcomes: Counter[str]) -> None:
    counts = report.counts()
    action = next(iter(counts))
    add_figure(
        "load",
        name,
        {
            "operations": len(report.results),
            "success": counts[action]["SUCCESS"],
            "failed": counts[action]["FAILED"],
            "invocations": report.invocations,
            "callbacks_honoured": report.callbacks,
            "max_invocations_per_operation": max(r.invocations for r in report.results),
            "requests_served": outcomes["served"],
            "requests_throttled": outcomes["throttled"],
            "wall_time_s": round(report.wall_time, 1),
            "emulated_time_s": round(report.wall_time / TIME_SCALE),
            "concurrency": CONCURRENCY,
            "rate_limit": f"{RATE:g}/s burst {BURST} (account-wide)",
            "time_scale": TIME_SCALE,
        },
    )


def test_200_users_created_updated_and_deleted_under_throttling(connect_service) -> None:
    emu = connect_service(
        clock=ScaledClock(1 / TIME_SCALE), faults={"*": {"rate": RATE, "burst": BURST}}
    )
    drive_options = {"concurrency": CONCURRENCY, "time_scale": TIME_SCALE}

    # CREATE x 200
    start = len(emu.requests)
    creates = phase(
        emu,
        [_create(n) for n in range(USERS)],
        **drive_options,
    )
    outcomes = assert_rate_limit_held(emu, creates, start)
    record("create", creates, outcomes)
    assert creates.counts() == {"CREATE": {"SUCCESS": USERS, "FAILED": 0}}, creates.error_codes
    assert not creates.protocol_errors
    live = {u["Username"]: u for u in users_of(emu)}
    assert len(live) == USERS == len(users_of(emu))
    for result in creates.results:
        assert result.resource_model is not None
        user = live[result.operation.properties["Username"]]  # type: ignore[index]
        assert result.resource_model["UserArn"] == user["Arn"]
        assert "Password" not in result.resource_model
    skilled = {arn for arn, rows in emu.state.proficiencies.items() if rows}
    assert len(skilled) == len(range(0, USERS, SKILLED))
    for arn in skilled:
        assert emu.state.proficiencies[arn] == as_connect(PROFICIENCIES)

    # UPDATE x 200: everyone moves to another routing profile (DescribeUser + one write each;
    # heavier updates are in test_callback_budget.py and the slow suite)
    start = len(emu.requests)
    updates = phase(
        emu,
        [
            update_of(
                result,
                {
                    **result.operation.properties,  # type: ignore[dict-item]
                    "RoutingProfileId": CONNECT_MANAGED.child_id("routing", 2),
                },
            )
            for result in creates.results
        ],
        **drive_options,
    )
    outcomes = assert_rate_limit_held(emu, updates, start)
    record("update", updates, outcomes)
    assert updates.counts() == {"UPDATE": {"SUCCESS": USERS, "FAILED": 0}}, updates.error_codes
    live = {u["Username"]: u for u in users_of(emu)}
    assert len(live) == USERS
    for n in range(USERS):
        user = live[f"load{n:05d}"]
        assert user["IdentityInfo"]["LastName"] == f"Agent{n}"
        assert user["RoutingProfileId"] == CONNECT_MANAGED.child_id("routing", 2)
        expected = as_connect(PROFICIENCIES) if n % SKILLED == 0 else []
        assert emu.state.proficiencies.get(user["Arn"], []) == expected

    # DELETE x 200
    start = len(emu.requests)
    deletes = phase(emu, [delete_of(result) for result in updates.results], **drive_options)
    outcomes = assert_rate_limit_held(emu, deletes, start)
    record("delete", deletes, outcomes)
    assert deletes.counts() == {"DELETE": {"SUCCESS": USERS, "FAILED": 0}}, deletes.error_codes
    assert users_of(emu) == []


# Every SKILLED-th user has routing proficiencies (issue 13): its create is two writes.
SKILLED = 4
PROFICIENCIES = [ENGLISH_4, BILLING_3]


def _create(n: int) -> Operation:
    skills: dict[str, Any] = {"UserProficiencies": PROFICIENCIES} if n % SKILLED == 0 else {}
    return Operation(
        "CREATE",
        user_model(n, prefix="load", **skills),
        logical_id=f"Agent{n}",
        stack_tags={"stack": "contact-centre"},
        label=f"create load{n:05d}",
    )

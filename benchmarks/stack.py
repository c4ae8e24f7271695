"""Stack scale: N creates through the CloudFormation-like load driver (loadtest) against
Connect's rate limits, in compressed time, versus the floor the limits allow, in the same
emulated seconds.

Connect throttles "each API separately at the AWS account level" (API reference, best
practices), 2 requests/s with a burst of 5 by default: each operation the creates make
(CreateUser, stabilisation's DescribeUser, DescribeInstance, recovery's SearchUsers) gets a
token bucket of its own. The floor is the slowest operation's (calls needed - burst) / rate:
one CreateUser per user (one DescribeUser per user fills a bucket of its own at the same pace;
DescribeInstance, once per warm container, far fewer).

With `visibility_delay`, the emulator does not show a new user for that many (emulated)
seconds, so every create is called back at least once before DescribeUser sees its user.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .common import Row, Stats, user_properties

TARGET_RATIO = 1.15
MANY_STACKS_TARGET_RATIO = 1.10  # issue #11: ten stacks sharing one rate limit
# Each of these operations has its own bucket (Connect's per-API quotas).
RATE_LIMITED = ("CreateUser", "DescribeUser", "DescribeInstance", "SearchUsers")


@dataclass
class StackRun:
    users: int
    concurrency: int
    rate: float
    burst: int
    time_scale: float
    emulated_seconds: float
    floor_seconds: float
    succeeded: int
    failed: int
    error_codes: dict[str, int]
    invocations: int
    callbacks: int
    served: Counter[str]
    throttled: int
    first_request_s: float  # emulated seconds from the start to the first request served
    unused_capacity_s: float  # emulated seconds' worth of CreateUser tokens nobody took

    @property
    def ratio(self) -> float:
        return self.emulated_seconds / self.floor_seconds


def run_once(
    users: int = 500,
    concurrency: int = 20,
    rate: float = 2.0,
    burst: int = 5,
    time_scale: float = 0.05,
    label: str = "stack",
    max_invocations: int = 30,
    visibility_delay: float = 0.0,
) -> StackRun:
    from aws_connect_user import connect
    from connect_emulator import ScaledClock
    from loadtest import Operation, drive

    from .common import emulator_for_handler

    clock = ScaledClock(1 / time_scale)
    faults = {operation: {"rate": rate, "burst": burst} for operation in RATE_LIMITED}
    options: dict[str, Any] = {"clock": clock, "faults": faults}
    if visibility_delay:
        options["consistency"] = visibility_delay
    with emulator_for_handler(**options) as emulator:
        operations = [
            Operation("CREATE", user_properties(f"{label}-{n}"), logical_id=f"User{n}")
            for n in range(users)
        ]
        connect.forget_cached_state()
        begun = time.time()
        report = drive(
            operations,
            concurrency=concurrency,
            time_scale=time_scale,
            max_invocations=max_invocations,
        )
        entries = emulator.requests.entries()
    served_times = [e.time for e in entries if e.fault is None and e.status == 200]
    first_request = (min(served_times) - begun) / time_scale if served_times else 0.0
    emulated = report.wall_time / time_scale
    creates = sum(1 for e in entries if e.operation == "CreateUser" and e.status == 200)
    unused = max(0.0, burst + rate * emulated - creates) / rate  # in CreateUser's bucket
    served = Counter(str(e.operation) for e in entries if e.fault is None and e.status == 200)
    throttled = sum(1 for e in entries if e.fault == "throttle")
    floor = max(0.0, (users - burst) / rate)  # CreateUser's bucket: one call per user
    return StackRun(
        users=users,
        concurrency=concurrency,
        rate=rate,
        burst=burst,
        time_scale=time_scale,
        emulated_seconds=emulated,
        floor_seconds=floor,
        succeeded=report.succeeded,
        failed=report.failed,
        error_codes=dict(report.error_codes),
        invocations=report.invocations,
        callbacks=report.callbacks,
        served=served,
        throttled=throttled,
        first_request_s=first_request,
        unused_capacity_s=unused,
    )


def measure(runs: int = 3, **options: Any) -> list[StackRun]:
    return [run_once(label=f"stack{index}", **options) for index in range(runs)]


def rows(results: list[StackRun], title: str = "", target: float = TARGET_RATIO) -> list[Row]:
    first = results[0]
    ratio = Stats.of([r.ratio for r in results])
    emulated = Stats.of([r.emulated_seconds for r in results])
    failed = sum(r.failed for r in results)
    met = ratio.median <= target and failed == 0
    section = (
        f"Stack scale ({first.users} creates, {first.rate:g} req/s burst {first.burst}, "
        f"concurrency {first.concurrency}, time x{first.time_scale:g})"
    )
    invocations = Stats.of([float(r.invocations) for r in results])
    callbacks = Stats.of([float(r.callbacks) for r in results])
    throttled = Stats.of([float(r.throttled) for r in results])
    served = results[0].served
    startup = Stats.of([r.first_request_s for r in results])
    unused = Stats.of([r.unused_capacity_s for r in results])
    return [
        Row(
            section,
            f"{title}total / rate-limit floor",
            f"{ratio.render('x')}; {emulated.render('s', 0)} emulated vs floor "
            f"{first.floor_seconds:.0f} s",
            f"<= {target}x, 0 failures",
            met,
            note=(
                f"failures {failed}; invocations {invocations.median:.0f}, callbacks "
                f"{callbacks.median:.0f}, throttled requests {throttled.median:.0f} "
                f"(medians); first request served after {startup.median:.1f} s, tokens left "
                f"unused worth {unused.median:.0f} s of CreateUser's (medians); served in run 1: "
                + ", ".join(f"{n} {op}" for op, n in sorted(served.items()))
            ),
            data={
                "ratio": vars(ratio),
                "emulated_s": vars(emulated),
                "floor_s": first.floor_seconds,
                "runs": [
                    {
                        "emulated_s": r.emulated_seconds,
                        "failed": r.failed,
                        "error_codes": r.error_codes,
                        "invocations": r.invocations,
                        "callbacks": r.callbacks,
                        "served": dict(r.served),
                        "throttled": r.throttled,
                        "first_request_s": r.first_request_s,
                        "unused_capacity_s": r.unused_capacity_s,
                    }
                    for r in results
                ],
            },
        )
    ]

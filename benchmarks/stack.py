"""Stack scale: N creates through the CloudFormation-like load driver (loadtest) against an
account-wide rate limit (token bucket), in compressed time, versus the floor the limit
allows: (calls needed - burst) / rate, in the same emulated seconds.

Calls needed = one CreateUser per user + one DescribeInstance per warm container (the driver
gives each worker thread its own container, so up to `concurrency` of them).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .common import Row, Stats, user_properties

TARGET_RATIO = 1.15
MANY_STACKS_TARGET_RATIO = 1.10  # issue #11: ten stacks sharing one rate limit


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
    unused_capacity_s: float  # emulated seconds' worth of tokens nobody took

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
) -> StackRun:
    from aws_connect_user import connect
    from connect_emulator import ScaledClock
    from loadtest import Operation, drive

    from .common import emulator_for_handler

    clock = ScaledClock(1 / time_scale)
    faults = {"*": {"rate": rate, "burst": burst}}
    with emulator_for_handler(clock=clock, faults=faults) as emulator:
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
    unused = max(0.0, burst + rate * emulated - len(served_times)) / rate
    served = Counter(str(e.operation) for e in entries if e.fault is None and e.status == 200)
    throttled = sum(1 for e in entries if e.fault == "throttle")
    containers = min(concurrency, users)
    needed = users + containers
    floor = max(0.0, (needed - burst) / rate)
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
                f"unused worth {unused.median:.0f} s (medians); served in run 1: "
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

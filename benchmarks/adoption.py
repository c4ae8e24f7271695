"""Adopting an instance at scale (issue 23): `adopt` over 1,000 and 10,000 users of one
instance (connect_emulator/population.py's varied users), every API at Connect's default rate
limit (2 requests a second, burst 5, a bucket per API as Connect throttles), on a compressed
clock: the emulator's ScaledClock drives its token buckets and adopt's own pacing alike, so
the times below are emulated seconds (real time x the factor).

The floor is DescribeUser's bucket: one call per user, (users - 5) / 2 s. Everything else
(SearchUsers pages, the proficiency searches, the predefined attributes) fills buckets of its
own at the same pace.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .common import Row

RATE, BURST = 2.0, 5
TIME_FACTOR = 10.0  # emulated seconds per real second
OPERATIONS = (
    "SearchUsers",
    "DescribeUser",
    "ListUserProficiencies",
    "ListPredefinedAttributes",
    "DescribePredefinedAttribute",
)


@dataclass
class AdoptRun:
    users: int
    proficiencies: str
    written: int
    calls: dict[str, int]
    retried: int
    throttled: int
    emulated_seconds: float
    floor_seconds: float


def run_once(users: int, proficiencies: str = "auto", factor: float = TIME_FACTOR) -> AdoptRun:
    from adopt import Connect, Filters, Options, Pacer, adopt
    from connect_emulator import ScaledClock
    from connect_emulator.population import populate
    from connect_emulator.seed import CONNECT_MANAGED

    from .common import emulator_for_handler

    clock = ScaledClock(factor)
    faults = {op: {"rate": RATE, "burst": BURST} for op in OPERATIONS}
    with emulator_for_handler(clock=clock, faults=faults) as emulator:
        populate(emulator, users * 3)  # the three instances alike: `users` in each
        emulator.requests.clear()
        with tempfile.TemporaryDirectory(prefix="adopt-bench-") as out:
            options = Options(
                instance=CONNECT_MANAGED.arn,
                type_name="Acme::Connect::User",
                out=Path(out),
                filters=Filters(),
                proficiencies=proficiencies,
            )
            connect = Connect(None, Pacer(RATE, BURST, clock))
            summary = adopt(options, connect, clock=clock)
        entries = emulator.requests.entries()
    throttled = Counter(str(e.operation) for e in entries if e.fault == "throttle")
    return AdoptRun(
        users=users,
        proficiencies=proficiencies,
        written=summary.written,
        calls=dict(summary.calls),
        retried=summary.retried,
        throttled=sum(throttled.values()),
        emulated_seconds=summary.seconds,
        floor_seconds=max(0.0, (users - BURST) / RATE),
    )


def measure(sizes: tuple[int, ...] = (1_000, 10_000)) -> list[AdoptRun]:
    runs = [run_once(n) for n in sizes]
    runs.append(run_once(sizes[0], "per-user"))
    return runs


def _calls(run: AdoptRun) -> str:
    parts = ", ".join(f"{n:,} {op}" for op, n in sorted(run.calls.items(), key=lambda i: -i[1]))
    return f"{sum(run.calls.values()):,}: {parts}"


def rows(runs: list[AdoptRun]) -> list[Row]:
    section = (
        f"Adopt an instance (`make adopt`), 2 req/s burst 5 per API, clock x{TIME_FACTOR:g} "
        "(emulated seconds)"
    )
    found = []
    for run in runs:
        label = f"{run.users:,} users" + (
            ", proficiencies per user" if run.proficiencies == "per-user" else ""
        )
        ratio = run.emulated_seconds / run.floor_seconds if run.floor_seconds else 0.0
        found.append(
            Row(
                section,
                f"{label}: API calls",
                _calls(run),
                "1 DescribeUser per user; the rest grows with pages",
                run.calls.get("DescribeUser") == run.users and run.written == run.users,
                note=f"{run.retried} retried, {run.throttled} throttled",
                data={"calls": run.calls, "written": run.written},
            )
        )
        found.append(
            Row(
                section,
                f"{label}: time / DescribeUser floor ({run.floor_seconds:,.0f} s)",
                f"{run.emulated_seconds:,.0f} s ({run.emulated_seconds / 60:.1f} min); "
                f"{ratio:.2f}x",
                data={"seconds": run.emulated_seconds, "floor": run.floor_seconds},
            )
        )
    return found

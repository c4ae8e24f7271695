"""List at scale: N users in one instance (seeded through the emulator's Python API), listed
through the handler page by page following nextToken, side by side with bare ListUsers
paging (MaxResults 1000) through a client with the handler's configuration."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from .calls import Counting
from .common import Row, Stats, bare_client, seed_users


@dataclass
class Listing:
    users: int
    seed_seconds: float
    invocations: int
    api_calls: int
    handler_seconds: Stats
    bare_seconds: Stats
    ratio: Stats


def measure(emulator: Any, credentials: Any, users: int = 10_000, runs: int = 5) -> Listing:
    from connect_emulator import seed

    emulator.reset()
    started = time.perf_counter()
    seed_users(emulator, users, "scale-")
    seeded = time.perf_counter() - started
    counting = Counting(emulator, credentials)
    client = bare_client(credentials)
    instance_id = seed.CONNECT_MANAGED.id

    def bare_list() -> None:
        params: dict[str, Any] = {"InstanceId": instance_id, "MaxResults": 1000}
        while True:
            page = client.list_users(**params)
            if not page.get("NextToken"):
                return
            params["NextToken"] = page["NextToken"]

    invocations = counting.list_all(instance_id)  # warm-up, and the exact counts
    emulator.requests.clear()
    counting.list_all(instance_id)
    api_calls = emulator.requests.count("ListUsers")
    bare_list()
    handler_times: list[float] = []
    bare_times: list[float] = []
    for index in range(runs):
        order = [("h", lambda: counting.list_all(instance_id)), ("b", bare_list)]
        if index % 2:
            order.reverse()
        for side, work in order:
            begun = time.perf_counter()
            work()
            elapsed = time.perf_counter() - begun
            (handler_times if side == "h" else bare_times).append(elapsed)
    emulator.reset()
    return Listing(
        users=users,
        seed_seconds=seeded,
        invocations=invocations,
        api_calls=api_calls,
        handler_seconds=Stats.of(handler_times),
        bare_seconds=Stats.of(bare_times),
        ratio=Stats.of([h / b for h, b in zip(handler_times, bare_times, strict=True)]),
    )


def rows(result: Listing) -> list[Row]:
    section = f"List at scale ({result.users:,} users, one instance)"
    pages = max(1, math.ceil(result.users / 1000))
    return [
        Row(
            section,
            "LIST invocations / ListUsers calls (all pages)",
            f"{result.invocations} invocations, {result.api_calls} ListUsers",
            f"{pages} calls (1 per 1,000 users)",
            result.api_calls == pages and result.invocations == pages,
            note=f"users seeded via the emulator's Python API in {result.seed_seconds:.1f} s",
            data={"invocations": result.invocations, "api_calls": result.api_calls},
        ),
        Row(
            section,
            "time to list all: handler / bare ListUsers paging",
            f"{result.ratio.render('x')}; handler {result.handler_seconds.render('s', 3)}, "
            f"bare {result.bare_seconds.render('s', 3)}",
            data={
                "handler_s": vars(result.handler_seconds),
                "bare_s": vars(result.bare_seconds),
                "ratio": vars(result.ratio),
            },
        ),
    ]

"""Handler overhead: each operation through the real Lambda entrypoint versus the bare boto3
calls that operation needs (a create and a delete include the DescribeUser that tells they
took effect), side by side against the same in-process emulator.

Both sides use the handler's own client configuration, the same credentials and endpoint,
and are warm (clients built, the instance's identity type cached) before timing starts.
Each round runs `per_round` operations of each side pairwise interleaved (entrypoint, bare,
entrypoint, bare, ...; which goes first alternates between rounds), so both sides see the same
machine load; a round's figure is the median time per operation, and the table shows the
median, min and max over rounds. The ratio is computed within each round.
"""

from __future__ import annotations

import copy
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .calls import invoke, succeeded
from .common import (
    Row,
    Stats,
    bare_client,
    event,
    user_properties,
    with_identifiers,
)

TARGET_RATIO = 1.15
OPERATIONS = ("create", "read", "update", "delete")


def _interleaved(
    first: list[Callable[[], Any]], second: list[Callable[[], Any]]
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Run first[i] then second[i] (pairwise, so both see the same machine load); returns
    wall and process-CPU seconds of each call of each side."""
    wall_a: list[float] = []
    wall_b: list[float] = []
    cpu_a: list[float] = []
    cpu_b: list[float] = []
    for one, other in zip(first, second, strict=True):
        for work, walls, cpus in ((one, wall_a, cpu_a), (other, wall_b, cpu_b)):
            cpu = time.process_time()
            wall = time.perf_counter()
            work()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return wall_a, wall_b, cpu_a, cpu_b


class Scenario:
    """Untimed preparation of each side's work (events, users, parameters); returns the
    callables that are timed."""

    def __init__(self, emulator: Any, credentials: Any) -> None:
        from connect_emulator import seed

        self.emulator = emulator
        self.credentials = credentials
        self.instance = seed.CONNECT_MANAGED
        self.client = bare_client(credentials)
        self.serial = 0
        self.run = uuid.uuid4().hex[:8]

    # --- shared preparation ------------------------------------------------------------

    def name(self, side: str) -> str:
        self.serial += 1
        return f"ovh-{self.run}-{side}-{self.serial}"

    def existing_user(self, side: str) -> dict[str, Any]:
        """A user created straight through the emulator (untimed); its template + ids."""
        props = user_properties(self.name(side))
        params = self.create_params(props)
        created = self.emulator.execute("CreateUser", params)
        return with_identifiers(props, created)

    def create_params(self, props: dict[str, Any]) -> dict[str, Any]:
        """What the handler sends to CreateUser for these properties (incl. its marker tag)."""
        from aws_connect_user.rules import MARKER_TAG_KEY

        return {
            "InstanceId": props["InstanceId"],
            "Username": props["Username"],
            "Password": props["Password"],
            "IdentityInfo": dict(props["IdentityInfo"]),
            "PhoneConfig": {
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": False,
                "AfterContactWorkTimeLimit": 0,
            },
            "SecurityProfileIds": list(props["SecurityProfileIds"]),
            "RoutingProfileId": props["RoutingProfileId"],
            "HierarchyGroupId": props["HierarchyGroupId"],
            "Tags": {"team": "bench", MARKER_TAG_KEY: "0" * 40},
        }

    # --- handler side --------------------------------------------------------------------

    def handler_work(self, operation: str, count: int) -> list[Callable[[], Any]]:
        events: list[dict[str, Any]] = []
        if operation == "create":
            for _ in range(count):
                props = user_properties(self.name("h"))
                events.append(
                    event(
                        "CREATE",
                        props,
                        credentials=self.credentials,
                        bearer_token=props["Username"],
                    )
                )
        elif operation == "read":
            user = self.existing_user("h")
            events = [event("READ", user, credentials=self.credentials) for _ in range(count)]
        elif operation == "update":
            user = self.existing_user("h")
            for index in range(count):
                desired = copy.deepcopy(user)
                desired["IdentityInfo"]["LastName"] = f"Changed{index}"
                events.append(event("UPDATE", desired, previous=user, credentials=self.credentials))
                user = desired
        elif operation == "delete":
            users = [self.existing_user("h") for _ in range(count)]
            events = [event("DELETE", u, credentials=self.credentials) for u in users]
        return [lambda e=e: succeeded(invoke(e)) for e in events]  # type: ignore[misc]

    # --- bare side -----------------------------------------------------------------------

    def bare_work(self, operation: str, count: int) -> list[Callable[[], Any]]:
        client = self.client
        work: list[Callable[[], Any]] = []
        # The calls each operation needs on an eventually consistent Connect: a create and a
        # delete are done once DescribeUser agrees (the handler's stabilisation).
        if operation == "create":

            def create(params: dict[str, Any]) -> None:
                made = client.create_user(**params)
                client.describe_user(InstanceId=params["InstanceId"], UserId=made["UserId"])

            for _ in range(count):
                params = self.create_params(user_properties(self.name("b")))
                work.append(lambda p=params: create(p))  # type: ignore[misc]
        elif operation == "read":
            user = self.existing_user("b")
            ids = {"InstanceId": self.instance.id, "UserId": user["UserId"]}
            work = [lambda: client.describe_user(**ids) for _ in range(count)]
        elif operation == "update":
            user = self.existing_user("b")
            ids = {"InstanceId": self.instance.id, "UserId": user["UserId"]}

            def update(index: int) -> None:
                client.describe_user(**ids)
                info = {"FirstName": "Bench", "LastName": f"Changed{index}"}
                client.update_user_identity_info(IdentityInfo=info, **ids)

            work = [lambda i=i: update(i) for i in range(count)]  # type: ignore[misc]
        elif operation == "delete":
            users = [self.existing_user("b") for _ in range(count)]

            def delete(user_id: str) -> None:
                ids = {"InstanceId": self.instance.id, "UserId": user_id}
                client.delete_user(**ids)
                try:
                    client.describe_user(**ids)
                except client.exceptions.ResourceNotFoundException:
                    return
                raise AssertionError("the deleted user is still described")

            work = [lambda u=u: delete(u["UserId"]) for u in users]  # type: ignore[misc]
        return work


@dataclass
class Comparison:
    operation: str
    handler: Stats  # ms per operation
    bare: Stats
    ratio: Stats
    overhead: Stats  # ms per operation, handler - bare
    cpu_ratio: Stats  # the same ratio in process CPU time (entrypoint + emulator threads)


def measure(
    emulator: Any, credentials: Any, rounds: int = 7, per_round: int = 30
) -> list[Comparison]:
    scenario = Scenario(emulator, credentials)
    # Warm both sides: clients built, service model loaded, identity type cached.
    for operation in OPERATIONS:
        for one in scenario.handler_work(operation, 3) + scenario.bare_work(operation, 3):
            one()
    results = []
    for operation in OPERATIONS:
        handler_ms: list[float] = []
        bare_ms: list[float] = []
        ratios: list[float] = []
        handler_cpu: list[float] = []
        bare_cpu: list[float] = []
        for index in range(rounds):
            handler_work = scenario.handler_work(operation, per_round)
            bare_work = scenario.bare_work(operation, per_round)
            if index % 2:
                bare_s, handler_s, bare_c, handler_c = _interleaved(bare_work, handler_work)
            else:
                handler_s, bare_s, handler_c, bare_c = _interleaved(handler_work, bare_work)
            handler = statistics.median(handler_s)
            bare = statistics.median(bare_s)
            handler_ms.append(handler * 1000)
            bare_ms.append(bare * 1000)
            ratios.append(handler / bare)
            handler_cpu.append(statistics.median(handler_c) * 1000)
            bare_cpu.append(statistics.median(bare_c) * 1000)
        results.append(
            Comparison(
                operation,
                Stats.of(handler_ms),
                Stats.of(bare_ms),
                Stats.of(ratios),
                Stats.of([h - b for h, b in zip(handler_ms, bare_ms, strict=True)]),
                Stats.of([h / b for h, b in zip(handler_cpu, bare_cpu, strict=True)]),
            )
        )
        emulator.reset()
    return results


def rows(results: list[Comparison]) -> list[Row]:
    out = []
    for result in results:
        met = result.ratio.median <= TARGET_RATIO
        out.append(
            Row(
                "Handler overhead (warm, per operation)",
                f"{result.operation}: entrypoint / bare boto3",
                f"{result.ratio.render('x')}; entrypoint {result.handler.render('ms')}, "
                f"bare {result.bare.render('ms')}",
                f"<= {TARGET_RATIO}x",
                met,
                f"+{result.overhead.median:.2f} ms/invocation; "
                f"CPU-time ratio {result.cpu_ratio.median:.2f}x",
                data={
                    "handler_ms": vars(result.handler),
                    "bare_ms": vars(result.bare),
                    "ratio": vars(result.ratio),
                    "overhead_ms": vars(result.overhead),
                    "cpu_ratio": vars(result.cpu_ratio),
                },
            )
        )
    return out


# --- where a warm invocation's own time goes (read; the Connect call answered in-process) ---


@dataclass
class Breakdown:
    invocation_stubbed: Stats  # µs: a whole READ invocation, DescribeUser answered in-process
    validation: Stats  # µs: jsonschema validation of the model (schema.validation_errors)
    model_build: Stats  # µs: building the ResourceModel (runtime.build_model)
    describe_call: Stats  # µs: the bare DescribeUser call against the emulator


def breakdown(emulator: Any, credentials: Any, rounds: int = 5, number: int = 300) -> Breakdown:
    """Time the pieces of a warm READ: the whole invocation with its one Connect call answered
    by a canned response (what the entrypoint costs on its own), and its largest parts."""
    import timeit
    from unittest import mock

    from aws_connect_user import connect, runtime, schema

    scenario = Scenario(emulator, credentials)
    user = scenario.existing_user("bd")
    read = event("READ", user, credentials=credentials)
    succeeded(invoke(copy.deepcopy(read)))
    ids = {"InstanceId": scenario.instance.id, "UserId": user["UserId"]}
    canned = scenario.client.describe_user(**ids)
    data = schema.coerce_scalars(read["requestData"]["resourceProperties"])
    events = [copy.deepcopy(read) for _ in range(number)]

    def per_call(work: Callable[[], Any]) -> float:
        return timeit.timeit(work, number=number) / number * 1e6

    stubbed: list[float] = []
    validation: list[float] = []
    build: list[float] = []
    call: list[float] = []
    for _ in range(rounds):
        queue = iter(copy.deepcopy(events))
        with mock.patch.object(connect.Connect, "call", lambda *a, **k: canned):
            stubbed.append(per_call(lambda q=queue: invoke(next(q))))  # type: ignore[misc]
        validation.append(per_call(lambda: schema.validation_errors(data, partial=True)))
        build.append(per_call(lambda: runtime.build_model(data)))
        call.append(per_call(lambda: scenario.client.describe_user(**ids)))
    return Breakdown(Stats.of(stubbed), Stats.of(validation), Stats.of(build), Stats.of(call))


def breakdown_rows(result: Breakdown) -> list[Row]:
    section = "Handler overhead (warm, per operation)"
    return [
        Row(
            section,
            "read, Connect call answered in-process (entrypoint alone)",
            f"{result.invocation_stubbed.render('us', 0)} vs bare DescribeUser "
            f"{result.describe_call.render('us', 0)}",
            note=(
                f"of which schema validation {result.validation.median:.0f} us, "
                f"model build {result.model_build.median:.0f} us"
            ),
            data={
                "invocation_stubbed_us": vars(result.invocation_stubbed),
                "validation_us": vars(result.validation),
                "model_build_us": vars(result.model_build),
                "describe_call_us": vars(result.describe_call),
            },
        )
    ]


def with_latency_rows(emulator: Any, credentials: Any, latency: float, **options: Any) -> list[Row]:
    """The same comparison with the emulator answering after `latency` seconds, as a real
    regional endpoint does (informational: the targets are against the bare emulator)."""
    emulator.faults.configure("*", latency=latency)
    try:
        results = measure(emulator, credentials, **options)
    finally:
        emulator.faults.clear()
    out = []
    for result in results:
        out.append(
            Row(
                f"Handler overhead with {latency * 1000:.0f} ms service latency (context)",
                f"{result.operation}: entrypoint / bare boto3",
                f"{result.ratio.render('x', 3)}; +{result.overhead.median:.2f} ms/invocation",
                data={"ratio": vars(result.ratio), "overhead_ms": vars(result.overhead)},
            )
        )
    return out

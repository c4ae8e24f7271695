"""API calls per operation, counted exactly from the emulator's request log."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .common import LambdaContext, Row, event, seed_users, user_properties, with_identifiers


def invoke(handler_event: dict[str, Any]) -> dict[str, Any]:
    """One invocation of the production Lambda entrypoint."""
    from aws_connect_user.handlers import resource

    answer: dict[str, Any] = resource(handler_event, LambdaContext())
    return answer


def succeeded(answer: Mapping[str, Any]) -> Mapping[str, Any]:
    if answer.get("status") != "SUCCESS":
        raise RuntimeError(f"handler answered {answer.get('status')}: {answer.get('message')}")
    return answer


@dataclass
class CallCount:
    label: str
    calls: Counter[str]  # operation -> number of requests the emulator received
    expected: Counter[str]
    target: str

    @property
    def met(self) -> bool:
        return self.calls == self.expected

    def render(self) -> str:
        total = sum(self.calls.values())
        parts = ", ".join(f"{n} {op}" for op, n in sorted(self.calls.items()))
        return f"{total} ({parts})" if parts else "0"


class Counting:
    """Runs handler invocations against an emulator and counts the requests each one made."""

    def __init__(self, emulator: Any, credentials: Any) -> None:
        self.emulator = emulator
        self.credentials = credentials
        self._serial = 0

    def count(self, action: Callable[[], Any]) -> Counter[str]:
        self.emulator.requests.clear()
        action()
        return Counter(str(op) for op in self.emulator.requests.operations())

    def username(self, stem: str) -> str:
        self._serial += 1
        return f"calls-{stem}-{self._serial}"

    def create(self, props: Mapping[str, Any]) -> dict[str, Any]:
        answer = succeeded(invoke(event("CREATE", props, credentials=self.credentials)))
        return with_identifiers(props, answer["resourceModel"])

    def read(self, current: Mapping[str, Any]) -> None:
        succeeded(invoke(event("READ", current, credentials=self.credentials)))

    def update(self, current: Mapping[str, Any], desired: Mapping[str, Any]) -> None:
        desired = with_identifiers(desired, current)
        answer = invoke(event("UPDATE", desired, previous=current, credentials=self.credentials))
        succeeded(answer)

    def delete(self, current: Mapping[str, Any]) -> None:
        succeeded(invoke(event("DELETE", current, credentials=self.credentials)))

    def list_all(self, instance_id: str) -> int:
        """List every user through the handler, page by page; returns the invocations."""
        token: str | None = None
        invocations = 0
        while True:
            answer = succeeded(
                invoke(
                    event(
                        "LIST",
                        {"InstanceId": instance_id},
                        credentials=self.credentials,
                        next_token=token,
                    )
                )
            )
            invocations += 1
            token = answer.get("nextToken")
            if not token:
                return invocations


def _changes() -> dict[str, dict[str, Any]]:
    from connect_emulator import seed

    inst = seed.CONNECT_MANAGED
    return {
        "identity": {"IdentityInfo": {"FirstName": "Bench", "LastName": "Changed"}},
        "phone": {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": True}},
        "routing": {"RoutingProfileId": inst.child_id("routing", 2)},
        "security profiles": {
            "SecurityProfileIds": [inst.child_id("security", 1), inst.child_id("security", 2)]
        },
        "hierarchy": {"HierarchyGroupId": inst.child_id("hierarchy", 2)},
        "tags": {"Tags": [{"Key": "team", "Value": "changed"}]},
    }


UPDATE_WRITES = {
    "identity": "UpdateUserIdentityInfo",
    "phone": "UpdateUserPhoneConfig",
    "routing": "UpdateUserRoutingProfile",
    "security profiles": "UpdateUserSecurityProfiles",
    "hierarchy": "UpdateUserHierarchy",
    "tags": "TagResource",
}


def call_counts(emulator: Any, credentials: Any, list_users: int = 2_500) -> list[CallCount]:
    """Every per-operation call count the performance targets name."""
    from aws_connect_user import connect
    from connect_emulator import seed

    counting = Counting(emulator, credentials)
    results: list[CallCount] = []

    def record(label: str, calls: Counter[str], expected: Mapping[str, int], target: str) -> None:
        results.append(CallCount(label, calls, Counter(expected), target))

    connect.forget_cached_state()
    box: dict[str, Any] = {}

    def create_one() -> None:
        box["user"] = counting.create(user_properties(counting.username("create")))

    record(
        "create, cold container",
        counting.count(create_one),
        {"DescribeInstance": 1, "CreateUser": 1, "DescribeUser": 1},
        "1 CreateUser + 1 DescribeUser (stabilisation) + 1 DescribeInstance",
    )
    record(
        "create, warm container",
        counting.count(create_one),
        {"CreateUser": 1, "DescribeUser": 1},
        "1 CreateUser + 1 DescribeUser, 0 DescribeInstance",
    )
    connect.forget_cached_state()

    def create_ten() -> None:
        for _ in range(10):
            counting.create(user_properties(counting.username("create10")))

    record(
        "10 creates, one container",
        counting.count(create_ten),
        {"DescribeInstance": 1, "CreateUser": 10, "DescribeUser": 10},
        "10 CreateUser + 10 DescribeUser + 1 DescribeInstance",
    )
    user = box["user"]
    record(
        "read",
        counting.count(lambda: counting.read(user)),
        {"DescribeUser": 1},
        "1 DescribeUser",
    )
    for group, change in _changes().items():
        current = counting.create(user_properties(counting.username("update")))
        desired = {**current, **change}
        record(
            f"update: {group} changed",
            counting.count(lambda c=current, d=desired: counting.update(c, d)),  # type: ignore[misc]
            {"DescribeUser": 1, UPDATE_WRITES[group]: 1},
            "1 DescribeUser + 1 write",
        )
    current = counting.create(user_properties(counting.username("update")))
    record(
        "update: nothing changed",
        counting.count(lambda: counting.update(current, dict(current))),
        {"DescribeUser": 1},
        "1 DescribeUser, 0 writes",
    )
    record(
        "delete",
        counting.count(lambda: counting.delete(user)),
        {"DeleteUser": 1, "DescribeUser": 1},
        "1 DeleteUser + 1 DescribeUser (stabilisation)",
    )
    # A fresh instance population for list: seeded straight into the emulator.
    emulator.reset()
    seed_users(emulator, list_users, "listed-")
    pages = max(1, math.ceil(list_users / 1000))
    record(
        f"list {list_users:,} users",
        counting.count(lambda: counting.list_all(seed.CONNECT_MANAGED.id)),
        {"ListUsers": pages},
        "1 ListUsers per 1,000 users",
    )
    emulator.reset()
    return results


def rows(results: list[CallCount]) -> list[Row]:
    return [
        Row(
            "API calls per operation",
            result.label,
            result.render(),
            result.target,
            result.met,
            data={"calls": dict(result.calls), "expected": dict(result.expected)},
        )
        for result in results
    ]

"""Shared pieces of the reliability suite: models, the request ledger, the figures table.

Every handler invocation in this suite goes through `phase()` or `invoke()`, which run one
action at a time and attribute the emulator's request-log entries of that window to the
action: that is how least privilege is checked from the service side without touching the
handler (the emulator's log carries no caller identity).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import connect_emulator
from aws_connect_user.connect import MAX_ATTEMPTS, forget_cached_state
from aws_connect_user.schema import resource_schema
from connect_emulator import Emulator, RequestLogEntry
from connect_emulator.seed import CONNECT_MANAGED, SeedInstance
from loadtest import Operation, OperationResult, Report, drive, run_operation

from .. import testdata
from ..testdata import PASSWORD

ACTIONS = ("CREATE", "READ", "UPDATE", "DELETE", "LIST")
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CONNECT"

# Attempts botocore makes per call: a fault injected that many times outlasts one invocation.
ATTEMPTS = MAX_ATTEMPTS
# The writes of an update that changes everything, in the order the handler plans them.
WRITES = (
    "UpdateUserIdentityInfo",
    "UpdateUserPhoneConfig",
    "UpdateUserConfig",
    "UpdateUserRoutingProfile",
    "UpdateUserSecurityProfiles",
    "UpdateUserHierarchy",
    "UntagResource",
    "TagResource",
)


def user_model(
    number: int,
    instance: SeedInstance = CONNECT_MANAGED,
    *,
    password: str | None = PASSWORD,
    prefix: str = "agent",
    **overrides: Any,
) -> dict[str, Any]:
    """testdata.user_model as user `number` of many: its own username and email, the instance
    as an ID or an ARN by turns, a routing profile ID and a tag."""
    return testdata.user_model(
        instance,
        **{
            "InstanceId": instance.arn if number % 2 else instance.id,
            "Username": f"{prefix}{number:05d}",
            "IdentityInfo": {
                "FirstName": "Ada",
                "LastName": f"Agent{number}",
                "Email": f"{prefix}{number}@example.com",
            },
            "RoutingProfileId": instance.child_id("routing", 1),
            "Tags": [{"Key": "team", "Value": "blue"}],
            "Password": password,
            **overrides,
        },
    )


def changed_model(model: Mapping[str, Any], instance: SeedInstance = CONNECT_MANAGED) -> dict:
    """The same user with every updatable property changed (each UpdateUser* call + tags)."""
    return {
        **model,
        "IdentityInfo": {"FirstName": "Bea", "LastName": "Changed", "Mobile": "+12065550100"},
        "PhoneConfig": {
            "PhoneType": "DESK_PHONE",
            "DeskPhoneNumber": "+12065550111",
            "AutoAccept": True,
            "AfterContactWorkTimeLimit": 120,
        },
        "VoiceEnhancementConfigs": [
            {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
        ],
        "SecurityProfileIds": [
            instance.child_arn("security", 2),
            instance.child_id("security", 3),
        ],
        "RoutingProfileId": instance.child_arn("routing", 2),
        "HierarchyGroupId": instance.child_id("hierarchy", 1),
        "Tags": [{"Key": "cost-centre", "Value": "42"}],
    }


def users_of(emu: Emulator, instance: SeedInstance = CONNECT_MANAGED) -> list[dict[str, Any]]:
    """The emulator's users of an instance (read from its state: no request, no log entry)."""
    with emu.lock:
        users = [dict(u) for u in emu.state.instances[instance.id].users.values()]
        for user in users:
            user["Tags"] = dict(emu.state.tags.get(user["Arn"], {}))
    return users


def describe(emu: Emulator, user_arn: str) -> dict[str, Any]:
    """DescribeUser without a request: the live user, Tags included."""
    instance_id, user_id = user_arn.split(":instance/", 1)[1].split("/agent/")
    answer = emu.execute("DescribeUser", {"InstanceId": instance_id, "UserId": user_id})
    user: dict[str, Any] = answer["User"]
    return user


# --- attributing requests to handlers -----------------------------------------------------------


def declared_permissions() -> dict[str, set[str]]:
    """{ACTION: {Connect API action}} from the schema's handlers.*.permissions."""
    handlers = resource_schema()["handlers"]
    return {
        name.upper(): {p.split(":", 1)[1] for p in spec["permissions"]}
        for name, spec in handlers.items()
    }


@dataclass
class Ledger:
    """Which Connect operations each handler action was seen invoking, suite-wide."""

    observed: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    unattributed: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, entries: Iterable[RequestLogEntry]) -> None:
        with self.lock:
            for entry in entries:
                self.observed[action][entry.operation or "(unknown)"] += 1

    def requests(self) -> int:
        return sum(sum(c.values()) for c in self.observed.values())

    def table(self) -> dict[str, dict[str, Any]]:
        declared = declared_permissions()
        rows = {}
        for action in ACTIONS:
            seen = set(self.observed.get(action, {}))
            rows[action] = {
                "declared": sorted(declared[action]),
                "observed": sorted(seen),
                "missing_from_schema": sorted(seen - declared[action]),
                "declared_not_seen": sorted(declared[action] - seen),
                "requests": sum(self.observed.get(action, Counter()).values()),
            }
        return rows


LEDGER = Ledger()
FIGURES: dict[str, Any] = {}
_figures_lock = threading.Lock()


def add_figure(section: str, key: str, value: Any) -> None:
    with _figures_lock:
        FIGURES.setdefault(section, {})[key] = value


def bump_figure(section: str, key: str, amount: int = 1) -> None:
    with _figures_lock:
        row = FIGURES.setdefault(section, {})
        row[key] = row.get(key, 0) + amount


def _window(emu: Emulator, start: int, action: str) -> list[RequestLogEntry]:
    entries = emu.requests.entries()[start:]
    LEDGER.record(action, entries)
    return entries


def phase(emu: Emulator, operations: Sequence[Operation], **options: Any) -> Report:
    """drive() one action's operations; their requests are attributed to that action."""
    actions = {op.action for op in operations}
    assert len(actions) == 1, f"a phase runs one action, not {sorted(actions)}"
    start = len(emu.requests)
    report = drive(operations, **options)
    _window(emu, start, actions.pop())
    return report


def invoke(emu: Emulator, operation: Operation, **options: Any) -> OperationResult:
    """run_operation() one operation; its requests are attributed to its action."""
    start = len(emu.requests)
    result = run_operation(operation, **options)
    _window(emu, start, operation.action)
    return result


def request_log_text(emu: Emulator) -> str:
    return json.dumps([e.to_json() for e in emu.requests.entries()], default=str)


def faults_injected(emu: Emulator) -> Counter[str]:
    return Counter(e.fault for e in emu.requests.entries() if e.fault)


__all__ = [
    "CONNECT_MANAGED",
    "FIGURES",
    "LEDGER",
    "PASSWORD",
    "connect_emulator",
]


@contextmanager
def serving(**options: Any) -> Iterator[Emulator]:
    """An emulator the production handler talks to: AWS_ENDPOINT_URL_CONNECT points at it and
    the handler's warm-container caches are dropped on the way in and out."""
    previous = os.environ.get(ENDPOINT_VARIABLE)
    with connect_emulator.running(**options) as emu:
        os.environ[ENDPOINT_VARIABLE] = emu.endpoint_url
        forget_cached_state()
        try:
            yield emu
        finally:
            forget_cached_state()
            if previous is None:
                os.environ.pop(ENDPOINT_VARIABLE, None)
            else:
                os.environ[ENDPOINT_VARIABLE] = previous

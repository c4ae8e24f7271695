"""Shared pieces of the benchmark: statistics, result rows, the fake AWS environment,
CloudFormation-shaped events and an emulator the handler is pointed at."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from connect_emulator.offline import isolate_aws_environment

REGION = "us-east-1"


@dataclass(frozen=True)
class Stats:
    """Median, min and max of repeated measurements."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            raise ValueError("no measurements")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def render(self, unit: str, digits: int = 2) -> str:
        return (
            f"{self.median:.{digits}f} {unit} "
            f"({self.low:.{digits}f}-{self.high:.{digits}f}, n={self.runs})"
        )


@dataclass
class Row:
    """One line of the benchmark table."""

    section: str
    name: str
    value: str  # measured figure, rendered
    target: str = ""
    met: bool | None = None  # None: informational, no target
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # raw numbers for --json

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "-"
        return "met" if self.met else "NOT MET"


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# --- CloudFormation-shaped events ---------------------------------------------------------


class LambdaContext:
    """What the Lambda runtime passes as context (the handler does not look at it)."""

    function_name = "aws-connect-user-benchmark"
    memory_limit_in_mb = 256
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def event(
    action: str,
    properties: Mapping[str, Any] | None,
    *,
    credentials: Any,
    previous: Mapping[str, Any] | None = None,
    next_token: str | None = None,
    bearer_token: str = "benchmark-bearer-token",
    logical_id: str = "BenchUser",
) -> dict[str, Any]:
    """The event CloudFormation sends for one invocation (scalars as strings), built by the
    load driver's event builder so every harness sends the same shape."""
    from loadtest import Operation, cloudformation_event, stringify_scalars

    operation = Operation(
        action,
        properties,
        previous_properties=previous,
        logical_id=logical_id,
        next_token=next_token,
    )
    return cloudformation_event(
        operation,
        bearer_token=bearer_token,
        credentials=credentials,
        properties=stringify_scalars(properties) if properties is not None else None,
        previous_properties=stringify_scalars(previous) if previous is not None else None,
    )


def user_properties(username: str, instance: Any = None, **overrides: Any) -> dict[str, Any]:
    """Template properties of a CONNECT_MANAGED user (seeded references)."""
    from connect_emulator import seed

    inst = instance or seed.CONNECT_MANAGED
    props: dict[str, Any] = {
        "InstanceId": inst.id,
        "Username": username,
        "Password": "Bench-Passw0rd-1",
        "IdentityInfo": {"FirstName": "Bench", "LastName": "Mark"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False},
        "SecurityProfileIds": [inst.child_id("security", 1)],
        "RoutingProfileId": inst.child_id("routing", 1),
        "HierarchyGroupId": inst.child_id("hierarchy", 1),
        "Tags": [{"Key": "team", "Value": "bench"}],
    }
    props.update(overrides)
    return props


def with_identifiers(props: Mapping[str, Any], model: Mapping[str, Any]) -> dict[str, Any]:
    """Template properties plus the read-only identifiers CloudFormation keeps for a resource."""
    return {**props, "UserId": model["UserId"], "UserArn": model["UserArn"]}


# --- the emulator, with the handler pointed at it ------------------------------------------


@contextmanager
def emulator_for_handler(**options: Any) -> Iterator[Any]:
    """An in-process emulator; AWS_ENDPOINT_URL_CONNECT points boto3 (and so the unmodified
    handler) at it, and the handler's container caches start empty."""
    import connect_emulator
    from aws_connect_user import connect

    isolate_aws_environment()
    saved = os.environ.get("AWS_ENDPOINT_URL_CONNECT")
    with connect_emulator.running(**options) as emulator:
        os.environ["AWS_ENDPOINT_URL_CONNECT"] = emulator.endpoint_url
        connect.forget_cached_state()
        try:
            yield emulator
        finally:
            connect.forget_cached_state()
            if saved is None:
                os.environ.pop("AWS_ENDPOINT_URL_CONNECT", None)
            else:
                os.environ["AWS_ENDPOINT_URL_CONNECT"] = saved


def bare_client(credentials: Any) -> Any:
    """A stock boto3 Connect client with the handler's own client configuration, for the
    same credentials and region: the 'bare calls' side of every comparison."""
    import boto3

    from aws_connect_user.connect import CLIENT_CONFIG

    return boto3.Session().client(
        "connect",
        region_name=REGION,
        aws_access_key_id=credentials.accessKeyId,
        aws_secret_access_key=credentials.secretAccessKey,
        aws_session_token=credentials.sessionToken,
        config=CLIENT_CONFIG,
    )


def seed_users(emulator: Any, count: int, prefix: str, instance: Any = None) -> list[str]:
    """Create users straight through the emulator's Python API (no HTTP, no request log):
    returns their user IDs."""
    from connect_emulator import seed

    inst = instance or seed.CONNECT_MANAGED
    ids: list[str] = []
    for index in range(count):
        created = emulator.execute(
            "CreateUser",
            {
                "InstanceId": inst.id,
                "Username": f"{prefix}{index}",
                "Password": "Bench-Passw0rd-1",
                "IdentityInfo": {"FirstName": "Bench", "LastName": "Mark"},
                "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
                "SecurityProfileIds": [inst.child_id("security", 1)],
                "RoutingProfileId": inst.child_id("routing", 1),
            },
        )
        ids.append(created["UserId"])
    return ids

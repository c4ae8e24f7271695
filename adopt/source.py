"""Reading an instance's users from Connect: the calls, their pace and their count.

Connect throttles each API separately, 2 requests a second with a burst of 5 by default. The
reader paces every API at that rate itself (a token bucket per operation, `Pacer`), so a long
run waits its turn instead of collecting throttles; botocore's adaptive retry mode handles the
throttles that come anyway (another client spending the same account's quota).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError

import aws_connect_user.proficiencies as proficiencies

CLIENT_CONFIG = Config(
    retries={"mode": "adaptive", "max_attempts": 10},
    user_agent_extra="aws-connect-user-adopt",
)
CONNECT_RATE = 2.0  # requests a second per API: Connect's default quota
CONNECT_BURST = 5
SEARCH_PAGE = 500  # SearchUsers' MaxResults limit
LEVELS = (1, 2, 3, 4, 5)  # the proficiency levels Connect allows
Levels = dict[tuple[str, str], float]


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Pacer:
    """A token bucket per operation: a call waits until its API has a request to spend.
    It paces a little under the rate (`margin`): requests reach Connect with some jitter, and
    two that arrive closer than they left would meet a throttle. Thread-safe: a call reserves
    its turn under the lock and waits outside it."""

    rate: float = CONNECT_RATE
    burst: int = CONNECT_BURST
    clock: Clock = field(default_factory=RealClock)
    margin: float = 0.9
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, operation: str) -> None:
        rate = self.rate * self.margin
        with self._lock:
            now = self.clock.monotonic()
            tokens, last = self._buckets.get(operation, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * rate) - 1.0
            self._buckets[operation] = (tokens, now)
        if tokens < 0:
            self.clock.sleep(-tokens / rate)


@dataclass
class Calls:
    """Connect calls made, per operation, and the HTTP attempts botocore sent for them."""

    made: Counter[str] = field(default_factory=Counter)
    attempts: Counter[str] = field(default_factory=Counter)

    def watch(self, client: BaseClient) -> None:
        def sent(operation_name: str = "", **_: Any) -> None:
            self.attempts[operation_name] += 1  # once per HTTP attempt, retries included

        client.meta.events.register("request-created.connect", sent)

    @property
    def retried(self) -> int:
        return sum(self.attempts.values()) - sum(self.made.values())


def connect_client(region: str | None = None) -> BaseClient:
    """A Connect client from boto3's usual credentials and region; AWS_ENDPOINT_URL_CONNECT
    points it elsewhere (the emulator)."""
    return boto3.client("connect", region_name=region, config=CLIENT_CONFIG)


def _snake(operation: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")


class Connect:
    """One place that calls Connect: paced, counted, and one client per API. Adaptive mode's
    client-side rate limiter belongs to a client, Connect's quota to an API: with a client
    each, a throttle on one API does not slow the others down."""

    def __init__(
        self, region: str | None = None, pacer: Pacer | None = None, margin: float = 0.9
    ) -> None:
        self.region = region
        self.pacer = pacer or Pacer(margin=margin)
        self.calls = Calls()
        self._clients: dict[str, BaseClient] = {}
        self._lock = threading.Lock()

    def client(self, operation: str) -> BaseClient:
        with self._lock:
            if operation not in self._clients:
                client = connect_client(self.region)
                self.calls.watch(client)
                self._clients[operation] = client
            return self._clients[operation]

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        client = self.client(operation)
        self.pacer.wait(operation)
        self.calls.made[operation] += 1
        answer: dict[str, Any] = getattr(client, _snake(operation))(**params)
        return answer


@dataclass(frozen=True)
class Filters:
    """What the run adopts: the server-side filters SearchUsers takes (routing profile,
    hierarchy group, tag); the username pattern is applied to the pages' usernames."""

    routing_profile: str | None = None
    hierarchy_group: str | None = None
    tag: tuple[str, str | None] | None = None

    def search_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.routing_profile:
            params["SearchCriteria"] = {
                "StringCondition": {
                    "FieldName": "RoutingProfileId",
                    "Value": self.routing_profile,
                    "ComparisonType": "EXACT",
                }
            }
        search_filter: dict[str, Any] = {}
        if self.tag:
            key, value = self.tag
            condition = {"TagKey": key, **({"TagValue": value} if value is not None else {})}
            search_filter["TagFilter"] = {"TagCondition": condition}
        if self.hierarchy_group:
            search_filter["UserAttributeFilter"] = {
                "HierarchyGroupCondition": {
                    "Value": self.hierarchy_group,
                    "HierarchyGroupMatchType": "EXACT",
                }
            }
        if search_filter:
            params["SearchFilter"] = search_filter
        return params


class Reader:
    """The reads an adoption makes of one instance."""

    def __init__(self, connect: Connect, instance_id: str) -> None:
        self.connect = connect
        self.instance_id = instance_id

    def _pages(self, operation: str, key: str, **params: Any) -> Iterator[list[dict[str, Any]]]:
        token: str | None = None
        while True:
            page = self.connect.call(
                operation,
                InstanceId=self.instance_id,
                **params,
                **({"NextToken": token} if token else {}),
            )
            yield list(page.get(key) or ())
            token = page.get("NextToken")
            if not token:
                return

    def users(self, filters: Filters) -> Iterator[list[dict[str, Any]]]:
        """SearchUsers' summaries, 500 a page."""
        params = {"MaxResults": SEARCH_PAGE, **filters.search_params()}
        yield from self._pages("SearchUsers", "Users", **params)

    def identity_type(self) -> str:
        """The instance's identity-management type (DescribeInstance, once a run)."""
        answer = self.connect.call("DescribeInstance", InstanceId=self.instance_id)
        return str(answer["Instance"].get("IdentityManagementType", ""))

    def describe(self, user_id: str) -> dict[str, Any] | None:
        """DescribeUser's User; None when the user is gone (deleted since the search)."""
        try:
            answer = self.connect.call("DescribeUser", InstanceId=self.instance_id, UserId=user_id)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise
        user: dict[str, Any] = answer["User"]
        return user

    def user_levels(self, user_id: str) -> Levels:
        found: Levels = {}
        for page in self._pages(
            "ListUserProficiencies",
            "UserProficiencyList",
            UserId=user_id,
            MaxResults=proficiencies.PAGE_SIZE,
        ):
            found.update(proficiencies.from_items(page))
        return found

    def attribute_values(self) -> dict[str, list[str]]:
        """Every predefined attribute and its values."""
        names = [
            item["Name"]
            for page in self._pages(
                "ListPredefinedAttributes", "PredefinedAttributeSummaryList", MaxResults=100
            )
            for item in page
        ]
        found = {}
        for name in names:
            answer = self.connect.call(
                "DescribePredefinedAttribute", InstanceId=self.instance_id, Name=name
            )
            values = (answer.get("PredefinedAttribute") or {}).get("Values") or {}
            found[name] = list(values.get("StringList") or ())
        return found

    def holders(self, name: str, value: str, level: int | None) -> set[str]:
        """The ARNs of the users with this proficiency (at this level, if given)."""
        conditions: list[dict[str, Any]] = [
            {"StringCondition": {"FieldName": "name", "Value": name, "ComparisonType": "EXACT"}},
            {"StringCondition": {"FieldName": "value", "Value": value, "ComparisonType": "EXACT"}},
        ]
        if level is not None:
            conditions.append(
                {
                    "NumberCondition": {
                        "FieldName": "limit",
                        "MinValue": level,
                        "MaxValue": level,
                        "ComparisonType": "EQUAL",
                    }
                }
            )
        criteria = {"ListCondition": {"TargetListType": "PROFICIENCIES", "Conditions": conditions}}
        return {
            user["Arn"]
            for page in self._pages(
                "SearchUsers", "Users", MaxResults=SEARCH_PAGE, SearchCriteria=criteria
            )
            for user in page
        }


@dataclass(frozen=True)
class ProficiencyIndex:
    """Every user's proficiencies from searches, one per attribute value and level (calls
    grow with the instance's attribute values and pages, not with its users).

    The reference says a ListCondition's conditions are ANDed, not whether one proficiency
    must meet them all. Read either way, the index is right: a user is `doubtful` (read one by
    one) when a value's search finds it but no level's does (a level that is not a whole
    number), when two levels' searches of one value find it (each condition met by a
    different proficiency), or when it is found for a value two attributes share (its name
    may come from one proficiency and its value from another)."""

    levels: Mapping[str, Levels]
    doubtful: frozenset[str]


def search_cost(values: Mapping[str, list[str]]) -> int:
    """Searches (first pages) an index takes: each value at each level, and once at any."""
    return sum(len(v) for v in values.values()) * (len(LEVELS) + 1)


def index_by_search(reader: Reader, values: Mapping[str, list[str]]) -> ProficiencyIndex:
    levels: dict[str, Levels] = {}
    doubtful: set[str] = set()
    owners: Counter[str] = Counter(v for name in values for v in set(values[name]))
    for name in sorted(values):
        for value in values[name]:
            key = (name, value)
            seen: set[str] = set()
            for level in LEVELS:
                for arn in reader.holders(name, value, level):
                    if key in levels.setdefault(arn, {}):
                        doubtful.add(arn)  # two levels of one value
                    levels[arn][key] = level
                    seen.add(arn)
            doubtful |= reader.holders(name, value, None) - seen
            if owners[value] > 1:
                doubtful |= seen
    return ProficiencyIndex(levels, frozenset(doubtful))

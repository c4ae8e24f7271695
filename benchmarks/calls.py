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


def _acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": seconds}}


# A user with per-channel settings (issue 12), and the change of one channel in one list.
PER_CHANNEL: dict[str, Any] = {
    "PhoneConfig": {"PhoneType": "SOFT_PHONE"},  # auto-accept and ACW are set per channel
    "AfterContactWorkConfigs": [_acw("VOICE", 30), _acw("CHAT", 600)],
    "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}],
    "AutoAcceptConfigs": [{"Channel": "TASK", "AutoAccept": True}],
}
PER_CHANNEL_CHANGE: dict[str, Any] = {
    "AfterContactWorkConfigs": [_acw("VOICE", 30), _acw("CHAT", 120)],
}


UPDATE_WRITES = {
    "identity": "UpdateUserIdentityInfo",
    "phone": "UpdateUserPhoneConfig",
    "routing": "UpdateUserRoutingProfile",
    "security profiles": "UpdateUserSecurityProfiles",
    "hierarchy": "UpdateUserHierarchy",
    "tags": "TagResource",
}


# --- routing proficiencies (issue 13) --------------------------------------------------------


def _proficiency(name: str, value: str, level: int) -> dict[str, Any]:
    return {"AttributeName": name, "AttributeValue": value, "Level": level}


PROFICIENCIES = [_proficiency("Language", "English", 4), _proficiency("Product", "Billing", 3)]
# change -> (the template's proficiencies after it, the one write it takes)
PROFICIENCY_CHANGES: dict[str, tuple[list[dict[str, Any]], str]] = {
    "added": (
        [*PROFICIENCIES, _proficiency("Language", "Spanish", 2)],
        "AssociateUserProficiencies",
    ),
    "level changed": (
        [_proficiency("Language", "English", 5), PROFICIENCIES[1]],
        "UpdateUserProficiencies",
    ),
    "removed": (PROFICIENCIES[:1], "DisassociateUserProficiencies"),
}
MANY_PROFICIENCIES = 150  # read: 1 DescribeUser + 1 ListUserProficiencies per 100


def proficiency_call_counts(
    emulator: Any,
    counting: Counting,
    record: Callable[[str, Counter[str], Mapping[str, int], str], None],
) -> None:
    """Create with proficiencies (2 writes), read (1 + 1 per 100), update per kind."""
    from connect_emulator import seed

    def create_skilled() -> None:
        box["user"] = counting.create(
            user_properties(counting.username("skills"), UserProficiencies=PROFICIENCIES)
        )

    box: dict[str, Any] = {}
    record(
        "create with proficiencies, warm container",
        counting.count(create_skilled),
        {"CreateUser": 1, "DescribeUser": 1, "AssociateUserProficiencies": 1},
        "2 writes: 1 CreateUser + 1 AssociateUserProficiencies, + 1 DescribeUser",
    )
    identifier = {"UserArn": box["user"]["UserArn"]}
    record(
        "read by identifier, 2 proficiencies",
        counting.count(lambda: counting.read(identifier)),
        {"DescribeUser": 1, "ListUserProficiencies": 1},
        "1 DescribeUser + 1 ListUserProficiencies per 100 proficiencies",
    )
    values = [f"skill-{n:03d}" for n in range(MANY_PROFICIENCIES)]
    instance = seed.CONNECT_MANAGED.id
    emulator.execute(
        "CreatePredefinedAttribute",
        {"InstanceId": instance, "Name": "BenchSkill", "Values": {"StringList": values}},
    )
    emulator.execute(
        "AssociateUserProficiencies",
        {
            "InstanceId": instance,
            "UserId": box["user"]["UserId"],
            "UserProficiencies": [
                {"AttributeName": "BenchSkill", "AttributeValue": v, "Level": 1.0} for v in values
            ],
        },
    )
    pages = math.ceil((MANY_PROFICIENCIES + len(PROFICIENCIES)) / 100)
    record(
        f"read by identifier, {MANY_PROFICIENCIES + len(PROFICIENCIES)} proficiencies",
        counting.count(lambda: counting.read(identifier)),
        {"DescribeUser": 1, "ListUserProficiencies": pages},
        "1 DescribeUser + 1 ListUserProficiencies per 100 proficiencies",
    )
    for change, (after, write) in PROFICIENCY_CHANGES.items():
        current = counting.create(
            user_properties(counting.username("skills"), UserProficiencies=PROFICIENCIES)
        )
        desired = {**current, "UserProficiencies": after}
        record(
            f"update: proficiency {change}",
            counting.count(lambda c=current, d=desired: counting.update(c, d)),  # type: ignore[misc]
            {"DescribeUser": 1, "ListUserProficiencies": 1, write: 1},
            f"1 DescribeUser + 1 ListUserProficiencies + 1 {write}",
        )
    current = counting.create(
        user_properties(counting.username("skills"), UserProficiencies=PROFICIENCIES)
    )
    reordered = {**current, "UserProficiencies": list(reversed(PROFICIENCIES))}
    record(
        "update: proficiencies reordered, nothing changed",
        counting.count(lambda: counting.update(current, reordered)),
        {"DescribeUser": 1, "ListUserProficiencies": 1},
        "1 DescribeUser + 1 ListUserProficiencies, 0 writes",
    )


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
    # Per-channel settings (issue 12): one changed channel is one UpdateUserConfig.
    lists = counting.create(user_properties(counting.username("channels"), **PER_CHANNEL))
    record(
        "update: per-channel list changed",
        counting.count(lambda: counting.update(lists, {**lists, **PER_CHANNEL_CHANGE})),
        {"DescribeUser": 1, "UpdateUserConfig": 1},
        "1 DescribeUser + 1 UpdateUserConfig",
    )
    lists = counting.create(user_properties(counting.username("channels"), **PER_CHANNEL))
    record(
        "update: nothing changed, per-channel lists",
        counting.count(lambda: counting.update(lists, dict(lists))),
        {"DescribeUser": 1},
        "1 DescribeUser, 0 writes",
    )
    proficiency_call_counts(emulator, counting, record)  # issue 13
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

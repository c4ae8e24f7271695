"""Exact Connect API calls per operation through the production entrypoint, counted from the
emulator's request log. Counts are exact facts, so they are asserted; timings never are
(they belong to `make bench`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from aws_connect_user import connect
from benchmarks.calls import UPDATE_WRITES, Counting, call_counts
from benchmarks.common import emulator_for_handler, seed_users, user_properties
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Credentials

pytestmark = pytest.mark.emulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[Any]:
    with emulator_for_handler() as emu:
        yield emu


@pytest.fixture
def counting(emulator: Any) -> Iterator[Counting]:
    emulator.reset()
    emulator.faults.clear()
    emulator.requests.clear()
    connect.forget_cached_state()
    yield Counting(emulator, Credentials.fresh())
    connect.forget_cached_state()


def test_create_in_a_cold_container_describes_the_instance_once(counting: Counting) -> None:
    # DescribeUser: SUCCESS only once Connect shows the new user (stabilisation, issue 16)
    props = user_properties(counting.username("cold"))
    assert counting.count(lambda: counting.create(props)) == Counter(
        {"DescribeInstance": 1, "CreateUser": 1, "DescribeUser": 1}
    )


def test_creates_in_a_warm_container_reuse_the_instance_type(counting: Counting) -> None:
    counting.create(user_properties(counting.username("first")))
    for _ in range(3):
        props = user_properties(counting.username("warm"))
        assert counting.count(partial(counting.create, props)) == Counter(
            {"CreateUser": 1, "DescribeUser": 1}
        )


def test_ten_creates_in_one_container_make_twenty_one_calls(counting: Counting) -> None:
    def ten() -> None:
        for _ in range(10):
            counting.create(user_properties(counting.username("ten")))

    assert counting.count(ten) == Counter(
        {"DescribeInstance": 1, "CreateUser": 10, "DescribeUser": 10}
    )


def test_read_is_one_describe_user(counting: Counting) -> None:
    user = counting.create(user_properties(counting.username("read")))
    assert counting.count(lambda: counting.read(user)) == Counter({"DescribeUser": 1})


@pytest.mark.parametrize("group", sorted(UPDATE_WRITES))
def test_update_is_one_read_and_one_write_per_changed_group(counting: Counting, group: str) -> None:
    from benchmarks.calls import _changes

    current = counting.create(user_properties(counting.username("upd")))
    desired = {**current, **_changes()[group]}
    assert counting.count(lambda: counting.update(current, desired)) == Counter(
        {"DescribeUser": 1, UPDATE_WRITES[group]: 1}
    )


def test_update_with_every_group_changed_writes_each_group_once(counting: Counting) -> None:
    from benchmarks.calls import _changes

    current = counting.create(user_properties(counting.username("all")))
    desired = dict(current)
    for change in _changes().values():
        desired.update(change)
    expected = Counter({"DescribeUser": 1, **{write: 1 for write in UPDATE_WRITES.values()}})
    assert counting.count(lambda: counting.update(current, desired)) == expected


def test_update_with_nothing_changed_writes_nothing(counting: Counting) -> None:
    current = counting.create(user_properties(counting.username("same")))
    assert counting.count(lambda: counting.update(current, dict(current))) == Counter(
        {"DescribeUser": 1}
    )


def test_a_changed_per_channel_list_is_one_update_user_config(counting: Counting) -> None:
    from benchmarks.calls import PER_CHANNEL, PER_CHANNEL_CHANGE

    current = counting.create(user_properties(counting.username("lists"), **PER_CHANNEL))
    desired = {**current, **PER_CHANNEL_CHANGE}
    assert counting.count(lambda: counting.update(current, desired)) == Counter(
        {"DescribeUser": 1, "UpdateUserConfig": 1}
    )
    # Reordered or unchanged, the same lists write nothing.
    reordered = {**desired, "AfterContactWorkConfigs": desired["AfterContactWorkConfigs"][::-1]}
    assert counting.count(lambda: counting.update(desired, reordered)) == Counter(
        {"DescribeUser": 1}
    )


def test_delete_is_one_delete_user_and_one_describe_user(counting: Counting) -> None:
    user = counting.create(user_properties(counting.username("del")))
    assert counting.count(lambda: counting.delete(user)) == Counter(
        {"DeleteUser": 1, "DescribeUser": 1}
    )


@pytest.mark.parametrize(("users", "pages"), [(0, 1), (999, 1), (1000, 1), (1001, 2), (2500, 3)])
def test_list_is_one_list_users_per_thousand_users(
    counting: Counting, emulator: Any, users: int, pages: int
) -> None:
    seed_users(emulator, users, "listed-")
    invocations: list[int] = []
    calls = counting.count(lambda: invocations.append(counting.list_all(CONNECT_MANAGED.id)))
    assert calls == Counter({"ListUsers": pages})
    assert invocations == [pages]


def test_the_benchmark_table_meets_every_call_count_target(emulator: Any) -> None:
    emulator.reset()
    results = call_counts(emulator, Credentials.fresh(), list_users=1_200)
    assert [r.label for r in results if not r.met] == []


def test_a_create_retried_after_throttling_makes_no_extra_call(
    counting: Counting, emulator: Any
) -> None:
    from aws_connect_user.connect import MAX_ATTEMPTS
    from benchmarks.calls import invoke
    from loadtest import Operation, cloudformation_event, scaled_sdk_backoff, stringify_scalars

    props = user_properties(counting.username("throttled"))
    operation = Operation("CREATE", props)

    def send(context: Any = None, properties: Any = None) -> dict[str, Any]:
        return invoke(
            cloudformation_event(
                operation,
                bearer_token="throttled-create",
                credentials=counting.credentials,
                properties=properties or stringify_scalars(props),
                callback_context=context,
            )
        )

    counting.create(user_properties(counting.username("warm")))  # identity type cached
    emulator.faults.fail_next("CreateUser", MAX_ATTEMPTS, "ThrottlingException")
    with scaled_sdk_backoff(0.001):
        first = send()
    assert first["status"] == "IN_PROGRESS"
    box: dict[str, Any] = {}
    calls = counting.count(
        lambda: box.update(answer=send(first["callbackContext"], first["resourceModel"]))
    )
    assert box["answer"]["status"] == "SUCCESS"
    assert calls == Counter({"CreateUser": 1, "DescribeUser": 1})


# --- routing proficiencies (issue 13) --------------------------------------------------------


def test_create_with_proficiencies_is_two_writes(counting: Counting) -> None:
    from benchmarks.calls import PROFICIENCIES

    counting.create(user_properties(counting.username("warm")))  # identity type cached
    props = user_properties(counting.username("skills"), UserProficiencies=PROFICIENCIES)
    assert counting.count(lambda: counting.create(props)) == Counter(
        {"CreateUser": 1, "DescribeUser": 1, "AssociateUserProficiencies": 1}
    )


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (100, 1), (101, 2), (250, 3)])
def test_read_is_one_describe_and_one_list_per_hundred_proficiencies(
    counting: Counting, emulator: Any, count: int, pages: int
) -> None:
    user = counting.create(user_properties(counting.username("many")))
    values = [f"v{n:03d}" for n in range(count)]
    if values:
        emulator.execute(
            "CreatePredefinedAttribute",
            {"InstanceId": CONNECT_MANAGED.id, "Name": "Many", "Values": {"StringList": values}},
        )
        emulator.execute(
            "AssociateUserProficiencies",
            {
                "InstanceId": CONNECT_MANAGED.id,
                "UserId": user["UserId"],
                "UserProficiencies": [
                    {"AttributeName": "Many", "AttributeValue": v, "Level": 2.0} for v in values
                ],
            },
        )
    identifier = {"UserArn": user["UserArn"]}
    assert counting.count(lambda: counting.read(identifier)) == Counter(
        {"DescribeUser": 1, "ListUserProficiencies": pages}
    )


@pytest.mark.parametrize("change", ["added", "level changed", "removed"])
def test_update_of_proficiencies_is_one_list_and_one_write_per_kind(
    counting: Counting, change: str
) -> None:
    from benchmarks.calls import PROFICIENCIES, PROFICIENCY_CHANGES

    after, write = PROFICIENCY_CHANGES[change]
    current = counting.create(
        user_properties(counting.username("skills"), UserProficiencies=PROFICIENCIES)
    )
    desired = {**current, "UserProficiencies": after}
    assert counting.count(lambda: counting.update(current, desired)) == Counter(
        {"DescribeUser": 1, "ListUserProficiencies": 1, write: 1}
    )


def test_update_of_every_kind_at_once_is_three_writes(counting: Counting) -> None:
    from benchmarks.calls import PROFICIENCIES

    current = counting.create(
        user_properties(counting.username("skills"), UserProficiencies=PROFICIENCIES)
    )
    after = [
        {"AttributeName": "Language", "AttributeValue": "English", "Level": 1},
        {"AttributeName": "Tier", "AttributeValue": "Gold", "Level": 2},
    ]
    desired = {**current, "UserProficiencies": after}
    assert counting.count(lambda: counting.update(current, desired)) == Counter(
        {
            "DescribeUser": 1,
            "ListUserProficiencies": 1,
            "AssociateUserProficiencies": 1,
            "UpdateUserProficiencies": 1,
            "DisassociateUserProficiencies": 1,
        }
    )


def test_update_never_declaring_proficiencies_never_lists_them(counting: Counting) -> None:
    current = counting.create(user_properties(counting.username("plain")))
    assert counting.count(lambda: counting.update(current, dict(current))) == Counter(
        {"DescribeUser": 1}
    )

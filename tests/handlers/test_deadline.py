"""CloudFormation gives one invocation 60 s: the handler never starts a call that could run
past its deadline, and asks to be called back instead."""

from __future__ import annotations

from typing import Any

import pytest

from aws_connect_user import connect, handlers

from .support import MI, USER_ID, create_params, created, event, live_user, properties, user_arn
from .test_events import test_event

IDS = {"InstanceId": MI.id, "UserId": USER_ID}


class LambdaContext:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(connect.time, "monotonic", fake)
    return fake


def slow(stub, clock: Clock, operation: str, seconds: float) -> None:
    def advance(**_: Any) -> None:
        clock.now += seconds
        stub.client.meta.events.unregister(f"after-call.connect.{operation}", advance)

    stub.client.meta.events.register(f"after-call.connect.{operation}", advance)


def test_the_worst_case_of_one_call_fits_the_invocation_budget() -> None:
    assert connect.CALL_WORST_CASE_SECONDS < connect.INVOCATION_BUDGET_SECONDS < 60


def test_a_slow_first_call_leaves_the_writes_to_a_callback(stub, clock) -> None:
    stub.describe_user(live_user())
    slow(stub, clock, "DescribeUser", 10)
    props = properties(
        UserArn=user_arn(), UserId=USER_ID, RoutingProfileId=MI.child_id("routing", 2)
    )
    previous = properties(UserArn=user_arn(), UserId=USER_ID)
    first = handlers.resource(event("UPDATE", props, previous=previous), LambdaContext(900_000))
    assert first["status"] == "IN_PROGRESS", first
    assert "nearly up" in first["message"]
    assert stub.operations == ["DescribeUser"]
    # the callback has the whole budget again and finishes the update
    stub.describe_user(live_user())
    stub.ok("UpdateUserRoutingProfile", {**IDS, "RoutingProfileId": MI.child_id("routing", 2)})
    second = handlers.resource(
        event(
            "UPDATE",
            first["resourceModel"],
            previous=previous,
            callback_context=first["callbackContext"],
        ),
        LambdaContext(900_000),
    )
    assert second["status"] == "SUCCESS", second


def test_a_create_not_sent_for_lack_of_time_is_known_not_to_exist(stub, clock) -> None:
    stub.describe_instance()
    slow(stub, clock, "DescribeInstance", 10)
    first = handlers.resource(event("CREATE", properties()), LambdaContext(900_000))
    assert first["status"] == "IN_PROGRESS", first
    assert "createSent" not in first["callbackContext"]  # nothing to look for on the callback
    assert stub.operations == ["DescribeInstance"]
    stub.ok("CreateUser", create_params(), created())
    stub.visible()
    second = handlers.resource(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"]),
        LambdaContext(900_000),
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations == ["DescribeInstance", "CreateUser", "DescribeUser"]


def test_a_shorter_lambda_timeout_shortens_the_deadline(stub, clock) -> None:
    """A function configured with less than a minute: its own remaining time rules."""
    remaining = int((connect.CALL_WORST_CASE_SECONDS + connect.LAMBDA_MARGIN_SECONDS - 1) * 1000)
    response = handlers.resource(event("CREATE", properties()), LambdaContext(remaining))
    assert response["status"] == "IN_PROGRESS", response
    assert stub.operations == []


def test_without_a_lambda_context_the_budget_is_cloudformations(stub, clock) -> None:
    assert connect.invocation_deadline(None, now=0.0) == connect.INVOCATION_BUDGET_SECONDS
    assert connect.invocation_deadline(LambdaContext(10_000), now=0.0) == pytest.approx(
        10.0 - connect.LAMBDA_MARGIN_SECONDS
    )


# --- read and list: within the contract's 30 s (issue 21) --------------------------------------


def test_read_and_lists_worst_case_fits_the_contracts_30_seconds() -> None:
    quick = connect.QUICK_CLIENT_CONFIG
    assert connect.QUICK_CALL_WORST_CASE_SECONDS == connect.worst_case_seconds(quick) == 13
    assert connect.worst_case_seconds(connect.CLIENT_CONFIG) == connect.CALL_WORST_CASE_SECONDS
    assert connect.QUICK_CALL_WORST_CASE_SECONDS < connect.READ_BUDGET_SECONDS < 30
    for action in ("READ", "LIST"):
        assert connect.invocation_deadline(None, now=0.0, action=action) == 25.0
    assert connect.invocation_deadline(None, now=0.0, action="UPDATE") == 55.0


def test_read_and_list_use_the_quick_client_and_the_others_do_not(stub) -> None:
    stub.describe_user(live_user())
    stub.proficiencies()
    handlers.resource(event("READ", {"UserArn": user_arn()}), LambdaContext(900_000))
    stub.ok("ListUsers", {"InstanceId": MI.id, "MaxResults": 1000}, {"UserSummaryList": []})
    handlers.resource(event("LIST", {"InstanceId": MI.id}), LambdaContext(900_000))
    stub.ok("DeleteUser", IDS)
    stub.not_visible()
    handlers.resource(event("DELETE", {"UserArn": user_arn()}), LambdaContext(900_000))
    assert stub.quick == [True, True, False]


def test_a_read_that_could_overrun_answers_a_clear_failure(stub, clock) -> None:
    """A slow DescribeUser leaves no time for ListUserProficiencies' worst case: the read
    fails at once, never IN_PROGRESS and never past its 30 s."""
    stub.describe_user(live_user())
    slow(stub, clock, "DescribeUser", connect.READ_BUDGET_SECONDS - 10)
    response = handlers.resource(event("READ", {"UserArn": user_arn()}), LambdaContext(900_000))
    assert response["status"] == "FAILED", response
    assert "ListUserProficiencies failed: InvocationDeadline: not sent" in response["message"]
    assert stub.operations == ["DescribeUser"]


def test_the_test_entrypoint_gives_read_its_budget_too(stub, clock) -> None:
    stub.describe_user(live_user())
    slow(stub, clock, "DescribeUser", connect.READ_BUDGET_SECONDS - 10)
    request = test_event("READ", {"UserArn": user_arn()})
    response = handlers.test_entrypoint(request, None)
    assert response["status"] == "FAILED", response
    assert "ListUserProficiencies failed: InvocationDeadline" in response["message"], response
    assert stub.operations == ["DescribeUser"]

"""Exactly-once create: lost CreateUser responses never orphan or duplicate a user, and a user
that genuinely existed before is refused and left untouched."""

from __future__ import annotations

from collections import Counter

import pytest

from aws_connect_user.connect import CLIENT_CONFIG
from connect_emulator import COMMIT_THEN_DROP, DROP, Emulator
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Operation, OperationResult

from ..testdata import minimal_create_params
from .support import (
    add_figure,
    bump_figure,
    describe,
    faults_injected,
    invoke,
    phase,
    user_model,
    users_of,
)

pytestmark = pytest.mark.emulator

# Attempts botocore makes per call inside one invocation. Config(max_attempts=N) counts
# retries (legacy meaning), so the handler's MAX_ATTEMPTS=4 makes 5 attempts in all.
_RETRIES = CLIENT_CONFIG.retries or {}
ATTEMPTS = _RETRIES.get("total_max_attempts") or _RETRIES["max_attempts"] + 1


def assert_exactly_once(emu: Emulator, results: list[OperationResult]) -> dict[str, int]:
    """Every create succeeded with the ARN of the one user of its name; nothing else exists."""
    live = users_of(emu)
    by_name = Counter(u["Username"] for u in live)
    duplicates = sum(n - 1 for n in by_name.values() if n > 1)
    wanted = {r.operation.properties["Username"] for r in results}  # type: ignore[index]
    orphans = len({u["Username"] for u in live} - wanted)
    assert duplicates == 0
    for result in results:
        assert result.status == "SUCCESS", (result.error_code, result.message)
        assert result.resource_model is not None
        name = result.operation.properties["Username"]  # type: ignore[index]
        (user,) = [u for u in live if u["Username"] == name]
        assert result.resource_model["UserArn"] == user["Arn"]
    assert len(live) == len(results)
    return {"orphans": orphans, "duplicates": duplicates}


def test_commit_then_drop_on_every_first_create_attempt(connect_service) -> None:
    """Each create's first CreateUser is performed, then its response is lost; the retry
    sees DuplicateResourceException, finds its own marker and completes with that user."""
    emu = connect_service()
    results = []
    for n in range(20):
        emu.faults.fail_next("CreateUser", 1, COMMIT_THEN_DROP)
        results.append(invoke(emu, Operation("CREATE", user_model(n, prefix="once"))))
    outcome = assert_exactly_once(emu, results)
    assert faults_injected(emu)[f"fail_next:{COMMIT_THEN_DROP}"] == 20
    ops = Counter(e.operation for e in emu.requests.entries())
    assert ops["SearchUsers"] == 20  # each recovery looked its user up exactly once
    add_figure(
        "faults",
        "commit-then-drop CreateUser (every first attempt)",
        {"creates": 20, "injected": 20, **outcome, "failed": 0},
    )


def test_commit_then_drop_at_random_under_concurrency(connect_service) -> None:
    """Half of all CreateUser responses lost (seeded), 100 creates at concurrency 20."""
    emu = connect_service(fault_seed=7, faults={"CreateUser": {"commit_then_drop_rate": 0.5}})
    report = phase(
        emu,
        [Operation("CREATE", user_model(n, prefix="rand"), label=str(n)) for n in range(100)],
        concurrency=20,
        time_scale=0.01,
    )
    outcome = assert_exactly_once(emu, report.results)
    injected = faults_injected(emu)[COMMIT_THEN_DROP]
    assert injected > 20
    add_figure(
        "faults",
        "commit-then-drop CreateUser (50%, concurrency 20)",
        {"creates": 100, "injected": injected, **outcome, "failed": report.failed},
    )


def test_every_attempt_of_the_first_invocation_lost(connect_service) -> None:
    """Every in-invocation attempt lost (the first committed): the create comes back
    IN_PROGRESS, and the callback recognises the user it made."""
    emu = connect_service()
    emu.faults.fail_next("CreateUser", ATTEMPTS, COMMIT_THEN_DROP)
    result = invoke(emu, Operation("CREATE", user_model(1, prefix="lost")), time_scale=0.01)
    assert result.invocations == 2
    assert result.responses[0]["status"] == "IN_PROGRESS"
    assert_exactly_once(emu, [result])
    add_figure(
        "faults",
        f"commit-then-drop CreateUser x{ATTEMPTS} (whole first invocation)",
        {"creates": 1, "injected": ATTEMPTS, "orphans": 0, "duplicates": 0, "failed": 0},
    )


def test_lost_search_response_during_recovery(connect_service) -> None:
    """The recovery's own SearchUsers response is lost too: still one user, same ARN."""
    emu = connect_service()
    emu.faults.fail_next("CreateUser", 1, COMMIT_THEN_DROP)
    emu.faults.fail_next("SearchUsers", 1, DROP)
    result = invoke(emu, Operation("CREATE", user_model(2, prefix="lost")), time_scale=0.01)
    assert_exactly_once(emu, [result])
    add_figure(
        "faults",
        "commit-then-drop CreateUser + dropped SearchUsers",
        {"creates": 1, "injected": 2, "orphans": 0, "duplicates": 0, "failed": 0},
    )


def test_create_whose_responses_are_always_lost_does_not_orphan(connect_service) -> None:
    emu = connect_service(faults={"CreateUser": {"commit_then_drop_rate": 1.0}})
    result = invoke(emu, Operation("CREATE", user_model(3, prefix="lost")), time_scale=0.001)
    live = users_of(emu)
    assert len(live) == 1  # the first attempt did create it ...
    assert result.status == "SUCCESS"  # ... so the create must not fail and orphan it
    assert result.resource_model is not None
    assert result.resource_model["UserArn"] == live[0]["Arn"]


@pytest.mark.parametrize("marker", [None, "0" * 40], ids=["untagged", "other-stack-marker"])
def test_genuinely_pre_existing_user_is_refused_and_untouched(connect_service, marker) -> None:
    emu = connect_service()
    tags = {"owner": "someone-else"}
    if marker:
        tags["cfn-connect-user:create-token"] = marker
    existing = emu.execute(
        "CreateUser",
        minimal_create_params(
            Username="taken00001",
            IdentityInfo={"FirstName": "Pre", "LastName": "Existing"},
            SecurityProfileIds=[CONNECT_MANAGED.child_id("security", 4)],
            RoutingProfileId=CONNECT_MANAGED.child_id("routing", 3),
            Tags=tags,
        ),
    )
    before = describe(emu, existing["UserArn"])
    result = invoke(emu, Operation("CREATE", user_model(1, prefix="taken")))
    assert (result.status, result.error_code) == ("FAILED", "AlreadyExists")
    assert "taken00001" in (result.message or "")
    assert describe(emu, existing["UserArn"]) == before  # tags, attributes, timestamps
    assert len(users_of(emu)) == 1
    writes = {e.operation for e in emu.requests.entries()} - {
        "DescribeInstance",
        "CreateUser",
        "SearchUsers",
    }
    assert writes == set()
    bump_figure("faults_survived", "pre-existing user refused untouched")

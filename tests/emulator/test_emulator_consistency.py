"""Eventual consistency (issue 16): visibility delays for new users, deleted users and new
references, per operation, from Python, the admin endpoint and the command line."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from connect_emulator import ManualClock, ScaledClock
from connect_emulator.__main__ import configured
from connect_emulator.seed import CONNECT_MANAGED
from tests.testdata import minimal_create_params

INSTANCE = {"InstanceId": CONNECT_MANAGED.id}
BY_NAME = {
    "StringCondition": {"FieldName": "Username", "Value": "agent1", "ComparisonType": "EXACT"}
}


def _code(call: Any, **params: Any) -> str:
    """'ok' or the error code of one call."""
    try:
        call(**params)
    except Exception as error:  # botocore's modelled exceptions are built per client
        return str(error.response["Error"]["Code"])  # type: ignore[attr-defined]
    return "ok"


def _user_calls(client: Any, user_id: str) -> dict[str, str]:
    """The answer of every user-addressed call for one user, by operation."""
    ids = {**INSTANCE, "UserId": user_id}
    arn = f"{CONNECT_MANAGED.arn}/agent/{user_id}"
    return {
        "DescribeUser": _code(client.describe_user, **ids),
        "UpdateUserIdentityInfo": _code(
            client.update_user_identity_info,
            IdentityInfo={"FirstName": "Bea", "LastName": "Later"},
            **ids,
        ),
        "UpdateUserPhoneConfig": _code(
            client.update_user_phone_config, PhoneConfig={"PhoneType": "SOFT_PHONE"}, **ids
        ),
        "UpdateUserRoutingProfile": _code(
            client.update_user_routing_profile,
            RoutingProfileId=CONNECT_MANAGED.child_id("routing", 2),
            **ids,
        ),
        "UpdateUserSecurityProfiles": _code(
            client.update_user_security_profiles,
            SecurityProfileIds=[CONNECT_MANAGED.child_id("security", 2)],
            **ids,
        ),
        "UpdateUserHierarchy": _code(
            client.update_user_hierarchy,
            HierarchyGroupId=CONNECT_MANAGED.child_id("hierarchy", 1),
            **ids,
        ),
        "TagResource": _code(client.tag_resource, resourceArn=arn, tags={"k": "v"}),
        "ListTagsForResource": _code(client.list_tags_for_resource, resourceArn=arn),
    }


def _listed(client: Any) -> tuple[list[str], list[str]]:
    """Usernames ListUsers and SearchUsers (everyone) answer."""
    listed = [u["Username"] for u in client.list_users(**INSTANCE)["UserSummaryList"]]
    searched = [u["Username"] for u in client.search_users(**INSTANCE)["Users"]]
    return listed, searched


def _admin(emulator: Any, method: str, name: str, body: object | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{emulator.endpoint_url}/_emulator/{name}", data=data, method=method
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


# --- new users -------------------------------------------------------------------------------


def test_a_new_user_is_not_found_until_the_delay_has_passed(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, consistency={"*": {"new_user": 5.0}})
    user_id = client.create_user(**minimal_create_params())["UserId"]
    assert set(_user_calls(client, user_id).values()) == {"ResourceNotFoundException"}
    assert _code(client.delete_user, **INSTANCE, UserId=user_id) == "ResourceNotFoundException"
    assert _listed(client) == ([], [])
    # The write path is authoritative: the username is taken at once.
    assert _code(client.create_user, **minimal_create_params()) == "DuplicateResourceException"
    # Emulator.execute (the tests' view of the truth) is not delayed.
    assert emulator.execute("DescribeUser", {**INSTANCE, "UserId": user_id})["User"]["Id"]
    clock.advance(4.9)
    assert client.search_users(**INSTANCE)["Users"] == []
    clock.advance(0.1)
    assert set(_user_calls(client, user_id).values()) == {"ok"}
    assert _listed(client) == (["agent1"], ["agent1"])
    client.delete_user(**INSTANCE, UserId=user_id)


def test_the_not_found_answer_is_the_one_for_a_user_that_does_not_exist(start_emulator):
    _, client = start_emulator(clock=ManualClock(), consistency=5.0)
    user_id = client.create_user(**minimal_create_params())["UserId"]
    missing = "eeeeeeee-0000-4000-8000-000000000000"
    errors = []
    for candidate in (user_id, missing):
        with pytest.raises(client.exceptions.ResourceNotFoundException) as error:
            client.describe_user(**INSTANCE, UserId=candidate)
        errors.append(error.value.response["Error"]["Message"].replace(candidate, "ID"))
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert errors[0] == errors[1]


def test_an_operation_can_have_its_own_delay(start_emulator):
    clock = ManualClock()
    _, client = start_emulator(
        clock=clock,
        consistency={"*": {"new_user": 2.0}, "SearchUsers": {"new_user": 30.0}},
    )
    user_id = client.create_user(**minimal_create_params())["UserId"]
    clock.advance(2.0)
    assert client.describe_user(**INSTANCE, UserId=user_id)["User"]["Username"] == "agent1"
    assert _listed(client) == (["agent1"], [])
    clock.advance(28.0)
    assert _listed(client) == (["agent1"], ["agent1"])


def test_only_the_kind_configured_lags(start_emulator):
    clock = ManualClock()
    _, client = start_emulator(clock=clock, consistency={"*": {"deleted_user": 5.0}})
    user_id = client.create_user(**minimal_create_params())["UserId"]
    assert set(_user_calls(client, user_id).values()) == {"ok"}


# --- deleted users ---------------------------------------------------------------------------


def test_a_deleted_user_is_still_seen_by_reads_for_the_delay(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, consistency={"*": {"deleted_user": 5.0}})
    client.create_user(**minimal_create_params(Username="agent0"))
    first = client.create_user(**minimal_create_params(Tags={"team": "blue"}))["UserId"]
    client.create_user(**minimal_create_params(Username="agent2"))
    before = client.describe_user(**INSTANCE, UserId=first)["User"]
    client.delete_user(**INSTANCE, UserId=first)
    assert first not in emulator.state.instances[CONNECT_MANAGED.id].users  # really gone
    assert client.describe_user(**INSTANCE, UserId=first)["User"] == before
    everyone = ["agent0", "agent1", "agent2"]  # in creation order
    assert _listed(client) == (everyone, everyone)
    (found,) = client.search_users(**INSTANCE, SearchCriteria=BY_NAME)["Users"]
    assert found["Tags"] == {"team": "blue"}
    # Writes see the deletion at once: no update, and the username is free again.
    assert _user_calls(client, first)["UpdateUserPhoneConfig"] == "ResourceNotFoundException"
    assert _code(client.delete_user, **INSTANCE, UserId=first) == "ResourceNotFoundException"
    client.create_user(**minimal_create_params(Username="agent1"))
    clock.advance(5.0)
    assert _code(client.describe_user, **INSTANCE, UserId=first) == "ResourceNotFoundException"
    assert _listed(client) == (["agent0", "agent2", "agent1"], ["agent0", "agent2", "agent1"])


def test_a_second_delete_in_the_window_can_answer_success(start_emulator):
    clock = ManualClock()
    _, client = start_emulator(clock=clock, consistency=5.0, repeat_delete="success")
    user_id = client.create_user(**minimal_create_params())["UserId"]
    clock.advance(5.0)
    client.delete_user(**INSTANCE, UserId=user_id)
    client.delete_user(**INSTANCE, UserId=user_id)  # the stale copy, deleted "again"
    assert client.describe_user(**INSTANCE, UserId=user_id)["User"]["Id"] == user_id
    clock.advance(5.0)
    assert _code(client.delete_user, **INSTANCE, UserId=user_id) == "ResourceNotFoundException"


@pytest.mark.parametrize("policy", ["free", "held"])
def test_a_deleted_users_username_is_free_at_once_or_held_for_the_delay(start_emulator, policy):
    clock = ManualClock()
    emulator, client = start_emulator(
        clock=clock, consistency={"*": {"deleted_user": 5.0}}, deleted_username=policy
    )
    user_id = client.create_user(**minimal_create_params())["UserId"]
    client.delete_user(**INSTANCE, UserId=user_id)
    again = _code(client.create_user, **minimal_create_params())
    assert again == {"free": "ok", "held": "DuplicateResourceException"}[policy]
    clock.advance(5.0)
    if policy == "held":
        client.create_user(**minimal_create_params())
    assert [u["Username"] for u in emulator.state_snapshot()["instances"][0]["users"]] == ["agent1"]


# --- new references --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["security", "routing", "hierarchy"])
def test_a_reference_created_a_moment_ago_is_not_found_by_the_writes(start_emulator, kind):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, consistency={"*": {"new_reference": 10.0}})
    reference = _admin(
        emulator,
        "POST",
        "references",
        {"instance_id": CONNECT_MANAGED.id, "kind": kind, "name": "Fresh"},
    )
    assert reference["arn"].endswith(reference["id"])
    uses = {
        "security": {"SecurityProfileIds": [reference["id"]]},
        "routing": {"RoutingProfileId": reference["arn"]},
        "hierarchy": {"HierarchyGroupId": reference["id"]},
    }[kind]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as error:
        client.create_user(**minimal_create_params(**uses))
    message = error.value.response["Error"]["Message"]
    unknown = "ffffffff-0000-4000-8000-000000000000"
    never_created = json.loads(json.dumps(uses).replace(reference["id"], unknown))
    with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
        client.create_user(**minimal_create_params(**never_created))
    expected = missing.value.response["Error"]["Message"].replace(unknown, "ID")
    assert message.replace(reference["id"], "ID") == expected
    user_id = client.create_user(**minimal_create_params())["UserId"]  # seeded: no delay
    update = {
        "security": lambda: client.update_user_security_profiles(
            **INSTANCE, UserId=user_id, **uses
        ),
        "routing": lambda: client.update_user_routing_profile(**INSTANCE, UserId=user_id, **uses),
        "hierarchy": lambda: client.update_user_hierarchy(**INSTANCE, UserId=user_id, **uses),
    }[kind]
    assert _code(update) == "ResourceNotFoundException"
    clock.advance(10.0)
    update()
    client.create_user(**minimal_create_params(Username="agent2", **uses))


def test_new_references_are_listed_and_described_after_the_delay(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, consistency={"*": {"new_reference": 3.0}})
    profile = emulator.create_reference(CONNECT_MANAGED.id, "security", "Fresh")
    names = lambda: [  # noqa: E731
        p["Name"] for p in client.list_security_profiles(**INSTANCE)["SecurityProfileSummaryList"]
    ]
    assert "Fresh" not in names()
    assert (
        _code(client.describe_security_profile, **INSTANCE, SecurityProfileId=profile.id)
        == "ResourceNotFoundException"
    )
    clock.advance(3.0)
    assert "Fresh" in names()
    described = client.describe_security_profile(**INSTANCE, SecurityProfileId=profile.id)
    assert described["SecurityProfile"]["SecurityProfileName"] == "Fresh"


def test_without_a_delay_a_new_reference_is_usable_at_once(start_emulator):
    emulator, client = start_emulator()
    group = emulator.create_reference(CONNECT_MANAGED.id, "hierarchy", "Fresh")
    client.create_user(**minimal_create_params(HierarchyGroupId=group.arn))
    assert emulator.state_snapshot()["instances"][0]["children"]["hierarchy"][-1]["name"] == "Fresh"


def test_admin_refuses_bad_references(start_emulator):
    emulator, _ = start_emulator()
    for body, status in (
        ({"instance_id": CONNECT_MANAGED.id, "kind": "queue", "name": "x"}, 400),
        ({"instance_id": CONNECT_MANAGED.id, "kind": "security", "name": "Agent"}, 400),
        ({"instance_id": "no-such-instance", "kind": "security", "name": "x"}, 404),
        ({"kind": "security", "name": "x"}, 400),
    ):
        with pytest.raises(urllib.error.HTTPError) as error:
            _admin(emulator, "POST", "references", body)
        assert error.value.code == status, body


# --- configuration ---------------------------------------------------------------------------


def test_admin_endpoint_sets_reads_and_clears_the_delays(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock)
    answer = _admin(
        emulator,
        "POST",
        "consistency",
        {"operation": "*", "new_user": 4, "repeat_delete": "success", "deleted_username": "held"},
    )
    assert answer["delays"]["*"] == {"new_user": 4, "deleted_user": None, "new_reference": None}
    assert (answer["repeat_delete"], answer["deleted_username"]) == ("success", "held")
    assert emulator.service.settings.deleted_username.value == "held"
    _admin(emulator, "POST", "consistency", {"operation": "DescribeUser", "new_user": 0})
    user_id = client.create_user(**minimal_create_params())["UserId"]
    assert client.describe_user(**INSTANCE, UserId=user_id)["User"]["Id"] == user_id
    assert _listed(client) == ([], [])
    assert _admin(emulator, "GET", "faults")["visibility"]["DescribeUser"]["new_user"] == 0
    assert _admin(emulator, "DELETE", "consistency")["delays"] == {}
    assert _listed(client) == (["agent1"], ["agent1"])
    _admin(emulator, "POST", "consistency", {"new_user": 4})
    _admin(emulator, "DELETE", "faults")  # clearing the faults clears the delays too
    assert _admin(emulator, "GET", "consistency")["delays"] == {}


@pytest.mark.parametrize(
    "body",
    [
        {"operation": "CreateUser", "new_user": 1},  # CreateUser's username check never lags
        {"operation": "*", "new_user": -1},
        {"operation": "*", "soon": 1},
        {"repeat_delete": "sometimes"},
        {"repeat_delete": "success", "deleted_username": "sometimes"},
    ],
)
def test_admin_refuses_bad_delays(start_emulator, body):
    emulator, _ = start_emulator()
    with pytest.raises(urllib.error.HTTPError) as error:
        _admin(emulator, "POST", "consistency", body)
    assert error.value.code == 400
    assert _admin(emulator, "GET", "consistency") == {
        "delays": {},
        "repeat_delete": "not-found",
        "deleted_username": "free",
    }


def test_users_made_through_python_lag_too_and_reset_forgets_deleted_ones(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, consistency=5.0)
    user_id = emulator.execute("CreateUser", minimal_create_params())["UserId"]
    assert _code(client.describe_user, **INSTANCE, UserId=user_id) == "ResourceNotFoundException"
    clock.advance(5.0)
    client.delete_user(**INSTANCE, UserId=user_id)
    assert _listed(client) == (["agent1"], ["agent1"])  # deleted, still seen
    emulator.reset()
    assert _listed(client) == ([], [])


def test_delays_run_on_the_scaled_clock(start_emulator):
    clock = ScaledClock(100)  # 60 emulated seconds are 0.6 real seconds
    _, client = start_emulator(clock=clock, consistency={"*": {"new_user": 60.0}})
    user_id = client.create_user(**minimal_create_params())["UserId"]
    assert _code(client.describe_user, **INSTANCE, UserId=user_id) == "ResourceNotFoundException"
    clock.sleep(60.0)
    assert client.describe_user(**INSTANCE, UserId=user_id)["User"]["Id"] == user_id


def test_command_line_options():
    emulator, _ = configured(
        [
            "--port",
            "0",
            "--visibility-delay",
            "3",
            "--deleted-user-delay",
            "1",
            "--visibility",
            "SearchUsers:new_user:30",
            "--repeat-delete",
            "success",
            "--deleted-username",
            "held",
            "--time-factor",
            "10",
        ]
    )
    assert emulator.faults.visibility.snapshot() == {
        "*": {"new_user": 3.0, "deleted_user": 1.0, "new_reference": 3.0},
        "SearchUsers": {"new_user": 30.0, "deleted_user": None, "new_reference": None},
    }
    assert emulator.service.settings.repeat_delete.value == "success"
    assert emulator.service.settings.deleted_username.value == "held"
    assert isinstance(emulator.clock, ScaledClock) and emulator.clock.factor == 10
    plain, _ = configured(["--port", "0"])
    assert plain.faults.visibility.snapshot() == {}


@pytest.mark.parametrize(
    "argv",
    [
        ["--visibility", "CreateUser:new_user:3"],
        ["--visibility", "SearchUsers:soon:3"],
        ["--new-user-delay", "-1"],
    ],
)
def test_command_line_refuses_bad_delays(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        configured(["--port", "0", *argv])
    assert exit_.value.code == 2
    assert "error" in capsys.readouterr().err


def test_a_user_deleted_before_it_was_ever_seen_leaves_nothing_stale(start_emulator):
    clock = ManualClock()
    _, client = start_emulator(
        clock=clock, consistency={"*": {"deleted_user": 5.0}, "SearchUsers": {"new_user": 5.0}}
    )
    user_id = client.create_user(**minimal_create_params())["UserId"]
    client.delete_user(**INSTANCE, UserId=user_id)
    # DescribeUser and ListUsers had seen it, so they still do; SearchUsers never had.
    assert client.describe_user(**INSTANCE, UserId=user_id)["User"]["Id"] == user_id
    assert _listed(client) == (["agent1"], [])

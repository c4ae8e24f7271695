"""One test per fault mode, the admin endpoint, and the request log's exactness."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import urllib.request

import pytest
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

from connect_emulator import ManualClock
from connect_emulator.seed import CONNECT_MANAGED

CONNECTION_ERRORS = (ConnectionClosedError, EndpointConnectionError)
INSTANCE = {"InstanceId": CONNECT_MANAGED.id}


def _outcomes(client, calls: int) -> list[str]:
    """'ok' or the error code, for each of `calls` DescribeInstance calls."""
    results = []
    for _ in range(calls):
        try:
            client.describe_instance(**INSTANCE)
            results.append("ok")
        except client.exceptions.ClientError as error:
            results.append(error.response["Error"]["Code"])
    return results


def test_token_bucket_allows_burst_then_refills_at_rate(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, faults={"*": {"rate": 2.0, "burst": 5}})
    assert _outcomes(client, 6) == ["ok"] * 5 + ["ThrottlingException"]
    clock.advance(0.5)  # one token at 2/s
    assert _outcomes(client, 2) == ["ok", "ThrottlingException"]
    clock.advance(0.25)  # half a token: still empty
    assert _outcomes(client, 1) == ["ThrottlingException"]
    clock.advance(0.25)
    assert _outcomes(client, 1) == ["ok"]
    clock.advance(60)  # refills only up to the burst
    assert _outcomes(client, 6) == ["ok"] * 5 + ["ThrottlingException"]
    throttled = [entry for entry in emulator.requests.entries() if entry.fault == "throttle"]
    assert [(entry.status, entry.error_code) for entry in throttled] == [
        (429, "ThrottlingException")
    ] * 4


def test_account_wide_bucket_is_shared_but_an_operation_can_have_its_own(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, faults={"*": {"rate": 1.0, "burst": 2}})
    client.describe_instance(**INSTANCE)
    client.list_instances()
    with pytest.raises(client.exceptions.ThrottlingException) as error:
        client.list_users(**INSTANCE)
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    # An operation's own settings replace "*" for it: its own bucket, untouched by the others.
    emulator.faults.configure("ListUsers", rate=1.0, burst=3)
    assert [len(client.list_users(**INSTANCE)["UserSummaryList"]) for _ in range(3)] == [0, 0, 0]
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_users(**INSTANCE)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_instances()  # the shared bucket is still empty


def test_error_share_is_reproducible_from_the_seed(start_emulator):
    emulator, client = start_emulator(
        fault_seed=7, faults={"DescribeInstance": {"error_rate": 0.3}}
    )
    first = _outcomes(client, 40)
    rng = random.Random(7)
    expected = ["InternalServiceException" if rng.random() < 0.3 else "ok" for _ in range(40)]
    assert first == expected
    assert 0 < first.count("InternalServiceException") < 40
    emulator.faults.clear()
    emulator.faults.configure("DescribeInstance", error_rate=0.3)
    assert _outcomes(client, 40) == first
    entries = emulator.requests.entries()
    assert {(e.status, e.fault) for e in entries if e.error_code} == {(500, "error_rate")}
    assert client.list_instances()["InstanceSummaryList"]  # other operations unaffected


def test_latency_is_added_through_the_clock(start_emulator):
    clock = ManualClock()
    emulator, client = start_emulator(clock=clock, faults={"ListInstances": {"latency": 1.5}})
    client.list_instances()
    client.describe_instance(**INSTANCE)
    assert clock.slept == [1.5]
    assert [entry.fault for entry in emulator.requests.entries()] == ["latency", None]


def test_latency_with_the_real_clock_delays_the_answer(start_emulator):
    _, client = start_emulator(faults={"*": {"latency": 0.05}})
    started = time.monotonic()
    client.list_instances()
    assert time.monotonic() - started >= 0.05


def test_dropped_connection_does_nothing_and_answers_nothing(
    emulator, connect_client, make_user_params
):
    emulator.faults.fail_next("CreateUser", 1, "drop")
    with pytest.raises(CONNECTION_ERRORS):
        connect_client.create_user(**make_user_params())
    assert emulator.state.instances[CONNECT_MANAGED.id].users == {}
    (entry,) = emulator.requests.entries()
    assert (entry.operation, entry.status, entry.fault) == ("CreateUser", None, "fail_next:drop")
    connect_client.create_user(**make_user_params())  # the next call is served


def test_drop_rate_drops_every_call_at_one(emulator, connect_client):
    emulator.faults.configure("ListInstances", drop_rate=1.0)
    for _ in range(3):
        with pytest.raises(CONNECTION_ERRORS):
            connect_client.list_instances()
    assert [entry.status for entry in emulator.requests.entries()] == [None, None, None]
    assert connect_client.describe_instance(**INSTANCE)["Instance"]["Id"] == CONNECT_MANAGED.id


def test_commit_then_drop_commits_but_the_client_sees_no_answer(
    emulator, connect_client, make_user_params
):
    emulator.faults.fail_next("CreateUser", 1, "commit_then_drop")
    with pytest.raises(CONNECTION_ERRORS):
        connect_client.create_user(**make_user_params())
    users = emulator.state.instances[CONNECT_MANAGED.id].users
    assert [user["Username"] for user in users.values()] == ["agent1"]
    (entry,) = emulator.requests.entries()
    assert (entry.status, entry.error_code, entry.fault) == (
        None,
        None,
        "fail_next:commit_then_drop",
    )
    # A retry now meets the user the lost answer had created.
    with pytest.raises(connect_client.exceptions.DuplicateResourceException):
        connect_client.create_user(**make_user_params())


def test_commit_then_drop_rate(emulator, connect_client, make_user_params):
    emulator.faults.configure("CreateUser", commit_then_drop_rate=1.0)
    with pytest.raises(CONNECTION_ERRORS):
        connect_client.create_user(**make_user_params())
    assert len(emulator.state.instances[CONNECT_MANAGED.id].users) == 1


def test_fail_next_n_hits_exactly_the_chosen_calls(emulator, connect_client, make_user_params):
    user_id = connect_client.create_user(**make_user_params())["UserId"]
    ids = {**INSTANCE, "UserId": user_id}
    emulator.faults.fail_next("UpdateUserRoutingProfile", 2, "ThrottlingException")
    emulator.faults.fail_next("UpdateUserRoutingProfile", 1, "InternalServiceException")
    routing = {"RoutingProfileId": CONNECT_MANAGED.child_id("routing", 2)}
    connect_client.update_user_phone_config(PhoneConfig={"PhoneType": "SOFT_PHONE"}, **ids)
    for expected in ("ThrottlingException", "ThrottlingException", "InternalServiceException"):
        with pytest.raises(connect_client.exceptions.ClientError) as error:
            connect_client.update_user_routing_profile(**routing, **ids)
        assert error.value.response["Error"]["Code"] == expected
    connect_client.update_user_routing_profile(**routing, **ids)
    user = connect_client.describe_user(**ids)["User"]
    assert user["RoutingProfileId"] == routing["RoutingProfileId"]
    assert [(e.operation, e.status, e.fault) for e in emulator.requests.entries()[1:]] == [
        ("UpdateUserPhoneConfig", 200, None),
        ("UpdateUserRoutingProfile", 429, "fail_next:ThrottlingException"),
        ("UpdateUserRoutingProfile", 429, "fail_next:ThrottlingException"),
        ("UpdateUserRoutingProfile", 500, "fail_next:InternalServiceException"),
        ("UpdateUserRoutingProfile", 200, None),
        ("DescribeUser", 200, None),
    ]


def test_fail_next_rejects_an_unknown_fault(emulator):
    with pytest.raises(Exception, match="NoSuchException"):
        emulator.faults.fail_next("CreateUser", 1, "NoSuchException")


# --- admin endpoint ------------------------------------------------------------------------


def _admin(emulator, method: str, name: str, body: object | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{emulator.endpoint_url}/_emulator/{name}", data=data, method=method
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_admin_endpoint_drives_faults_log_and_reset(emulator, connect_client, make_user_params):
    _admin(
        emulator,
        "POST",
        "faults/fail-next",
        {"operation": "ListInstances", "count": 1, "fault": "ThrottlingException"},
    )
    snapshot = _admin(
        emulator, "POST", "faults", {"operation": "DescribeInstance", "error_rate": 1.0}
    )
    assert snapshot["operations"]["DescribeInstance"]["error_rate"] == 1.0
    with pytest.raises(connect_client.exceptions.ThrottlingException):
        connect_client.list_instances()
    with pytest.raises(connect_client.exceptions.InternalServiceException):
        connect_client.describe_instance(**INSTANCE)
    _admin(emulator, "DELETE", "faults")
    connect_client.describe_instance(**INSTANCE)
    connect_client.create_user(**make_user_params())

    logged = _admin(emulator, "GET", "requests")["requests"]
    assert [(e["operation"], e["status"], e["error_code"], e["fault"]) for e in logged] == [
        ("ListInstances", 429, "ThrottlingException", "fail_next:ThrottlingException"),
        ("DescribeInstance", 500, "InternalServiceException", "error_rate"),
        ("DescribeInstance", 200, None, None),
        ("CreateUser", 200, None, None),
    ]
    assert set(logged[0]) == {
        "seq",
        "time",
        "operation",
        "method",
        "path",
        "status",
        "error_code",
        "fault",
        "params",
    }
    state = _admin(emulator, "GET", "state")
    assert sum(len(instance["users"]) for instance in state["instances"]) == 1
    _admin(emulator, "POST", "reset", {"requests": True})
    assert _admin(emulator, "GET", "requests")["requests"] == []
    assert emulator.state.instances[CONNECT_MANAGED.id].users == {}


def test_unknown_admin_endpoint_is_404(emulator):
    with pytest.raises(urllib.error.HTTPError) as error:
        _admin(emulator, "GET", "nothing-here")
    assert error.value.code == 404


# --- request log ---------------------------------------------------------------------------


def test_one_log_entry_per_request_and_no_password_anywhere(
    emulator, connect_client, make_user_params, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG, logger="connect_emulator")
    password = make_user_params()["Password"]
    connect_client.create_user(**make_user_params())
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.create_user(**make_user_params(Username="bad", Password="weakpassword"))
    emulator.faults.fail_next("CreateUser", 1, "drop")
    with pytest.raises(CONNECTION_ERRORS):
        connect_client.create_user(**make_user_params(Username="dropped"))
    entries = emulator.requests.entries()
    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert emulator.requests.count("CreateUser") == 3
    assert entries[0].params is not None and entries[0].params["Password"] == "*** sensitive ***"
    assert entries[0].params["IdentityInfo"]["FirstName"] == "*** sensitive ***"
    # The emulator's own log records only: the client side (botocore) logs bodies at DEBUG.
    emulator_log = "".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("connect_emulator")
    )
    assert "CreateUser" in emulator_log or "PUT" in emulator_log
    everything = json.dumps([entry.to_json() for entry in entries]) + emulator_log
    for secret in (password, "weakpassword"):
        assert secret not in everything
    assert password not in json.dumps(emulator.state_snapshot())


def test_twenty_concurrent_clients(emulator, make_user_params, client_factory):
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        client = client_factory(emulator)
        try:
            for number in range(10):
                client.create_user(**make_user_params(Username=f"w{worker}n{number}"))
                client.list_users(**INSTANCE, MaxResults=5)
        except BaseException as error:  # collected: an assert in a thread would be lost
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    users = emulator.state.instances[CONNECT_MANAGED.id].users
    assert len(users) == 200
    assert len({user["Username"] for user in users.values()}) == 200
    assert emulator.requests.count("CreateUser") == 200
    assert emulator.requests.count() == 400
    assert [entry.seq for entry in emulator.requests.entries()] == list(range(1, 401))


def test_scaled_clock_runs_time_faster():
    from connect_emulator import ScaledClock

    clock = ScaledClock(1000)
    before_real, before_scaled = time.monotonic(), clock.monotonic()
    clock.sleep(2.0)  # two emulated seconds: two real milliseconds
    real, scaled = time.monotonic() - before_real, clock.monotonic() - before_scaled
    assert scaled >= 2.0
    assert real < 1.0


@pytest.mark.parametrize(
    "body",
    [{"operation": "*", "error_rate": 2.0}, {"operation": "*", "no_such_setting": 1}, {"rate": -1}],
)
def test_admin_refuses_bad_fault_settings(emulator, body):
    with pytest.raises(urllib.error.HTTPError) as error:
        _admin(emulator, "POST", "faults", body)
    assert error.value.code == 400
    assert _admin(emulator, "GET", "faults")["operations"] == {}

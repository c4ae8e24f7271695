"""Modelled constraints enforced server-side, including those boto3 does not check."""

from __future__ import annotations

import json
import urllib.request

import pytest

from connect_emulator.seed import CONNECT_MANAGED

from ..testdata import minimal_create_params


def _raw(emulator, method: str, path: str, body: object | None = None):
    """A request boto3 would refuse to send (its own validation), straight over HTTP."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(emulator.endpoint_url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def _create_body(**overrides: object) -> dict[str, object]:
    """The CreateUser body (the instance is in the path), without the optional PhoneConfig."""
    return minimal_create_params(
        CONNECT_MANAGED, **{"InstanceId": None, "PhoneConfig": None, **overrides}
    )


@pytest.mark.parametrize(
    ("overrides", "member"),
    [
        ({"Username": None}, "Username"),  # required
        ({"RoutingProfileId": None}, "RoutingProfileId"),  # required
        ({"SecurityProfileIds": []}, "SecurityProfileIds"),  # list min 1
        ({"SecurityProfileIds": [f"id{n}" for n in range(11)]}, "SecurityProfileIds"),  # max 10
        ({"Username": "x" * 101}, "Username"),  # string max 100
        ({"Username": ""}, "Username"),  # string min 1
        ({"Password": "nouppercase1"}, "Password"),  # /pattern/
        ({"PhoneConfig": {"PhoneType": "CELL_PHONE"}}, "PhoneConfig.PhoneType"),  # enum
        (
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": -1}},
            "PhoneConfig",
        ),
        ({"IdentityInfo": {"FirstName": "F" * 256, "LastName": "L"}}, "IdentityInfo.FirstName"),
        ({"IdentityInfo": {"FirstName": "F", "LastName": "L", "Mobile": "555-0100"}}, "Mobile"),
        ({"Tags": {}}, "Tags"),  # map min 1
        ({"Tags": {f"k{n}": "v" for n in range(51)}}, "Tags"),  # map max 50
        ({"Tags": {"aws:owner": "me"}}, "Tags"),  # reserved prefix (pattern)
        ({"Tags": {"k" * 129: "v"}}, "Tags"),  # key max 128
        ({"Tags": {"bad#key": "v"}}, "Tags"),  # key pattern
        ({"Tags": {"k": "v" * 257}}, "Tags"),  # value max 256
        ({"Username": 42}, "Username"),  # wrong type
        ({"SecurityProfileIds": "not-a-list"}, "SecurityProfileIds"),
        ({"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": "yes"}}, "AutoAccept"),
    ],
)
def test_create_user_constraints(emulator, overrides, member):
    status, headers, body = _raw(
        emulator, "PUT", f"/users/{CONNECT_MANAGED.id}", _create_body(**overrides)
    )
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "InvalidParameterException"
    assert member.split(".")[-1] in body["Message"] or member in body["Message"]
    assert "Sup3r" not in body["Message"]  # a refused value is never echoed
    assert emulator.state.instances[CONNECT_MANAGED.id].users == {}


def test_tag_keys_accept_unicode_letters(emulator):
    status, _, _ = _raw(
        emulator, "PUT", f"/users/{CONNECT_MANAGED.id}", _create_body(Tags={"Größe_ü:ключ": "v"})
    )
    assert status == 200


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"/users-summary/{CONNECT_MANAGED.id}?maxResults=1001", "InvalidParameterException"),
        (f"/users-summary/{CONNECT_MANAGED.id}?maxResults=0", "InvalidParameterException"),
        (f"/users-summary/{CONNECT_MANAGED.id}?maxResults=ten", "InvalidParameterException"),
        ("/instance?maxResults=11", "InvalidRequestException"),  # ListInstances models no IPE
        (f"/users-summary/{'i' * 101}", "InvalidParameterException"),  # InstanceId max 100
        (f"/users-summary/{CONNECT_MANAGED.id}?nextToken=forged", "InvalidParameterException"),
    ],
)
def test_querystring_and_uri_constraints(emulator, path, code):
    status, headers, _ = _raw(emulator, "GET", path)
    assert (status, headers["x-amzn-ErrorType"]) == (400, code)


def test_malformed_json_body_is_an_invalid_request(emulator):
    request = urllib.request.Request(
        f"{emulator.endpoint_url}/users/{CONNECT_MANAGED.id}", data=b"{not json", method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request)
    assert error.value.code == 400
    assert error.value.headers["x-amzn-ErrorType"] == "InvalidRequestException"


def test_boto3_sees_modelled_exception_for_server_side_constraint(connect_client):
    # boto3 checks min lengths but not patterns: the password pattern is the server's job.
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.create_user(
            **_create_body(Password="password"), InstanceId=CONNECT_MANAGED.id
        )

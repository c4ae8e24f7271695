"""Hostile input over raw HTTP: always a well-formed error, never an emulator bug, still serving."""

from __future__ import annotations

import http.client
import json
import logging
import socket
from urllib.parse import quote, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect_emulator.seed import CONNECT_MANAGED

ROUTE_TEMPLATES = [
    "/instance/{}",
    "/instance",
    "/users/{}",
    "/users/{}/{}",
    "/users/{}/{}/identity-info",
    "/users/{}/{}/phone-config",
    "/users/{}/{}/routing-profile",
    "/users/{}/{}/security-profiles",
    "/users/{}/{}/hierarchy",
    "/users-summary/{}",
    "/search-users",
    "/tags/{}",
    "/security-profiles-summary/{}",
    "/routing-profiles-summary/{}",
    "/user-hierarchy-groups-summary/{}",
    "/queues-summary/{}",  # known to botocore, not emulated
    "/{}",
    "/{}/{}/{}/{}",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "BREW"]

labels = st.one_of(
    st.just(CONNECT_MANAGED.id),
    st.just(CONNECT_MANAGED.arn),
    st.text(min_size=1, max_size=300),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=2000),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)
member_names = st.sampled_from(
    [
        "Username",
        "Password",
        "IdentityInfo",
        "PhoneConfig",
        "SecurityProfileIds",
        "RoutingProfileId",
        "HierarchyGroupId",
        "Tags",
        "tags",
        "InstanceId",
        "SearchCriteria",
        "SearchFilter",
        "MaxResults",
        "NextToken",
        "DirectoryUserId",
        "AutoAcceptConfigs",
    ]
)
bodies = st.one_of(
    st.binary(max_size=500),
    st.builds(lambda doc: json.dumps(doc).encode(), json_values),
    st.builds(
        lambda doc: json.dumps(doc).encode(), st.dictionaries(member_names, json_values, max_size=8)
    ),
)
queries = st.dictionaries(
    st.sampled_from(["maxResults", "nextToken", "tagKeys", "x"]), st.text(max_size=50), max_size=3
)


def _send(endpoint: str, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
    address = urlsplit(endpoint)
    connection = http.client.HTTPConnection(str(address.hostname), address.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(METHODS),
    template=st.sampled_from(ROUTE_TEMPLATES),
    label_values=st.lists(labels, min_size=4, max_size=4),
    query=queries,
    body=bodies,
)
def test_hostile_requests_get_well_formed_errors(
    emulator, caplog, method, template, label_values, query, body
):
    caplog.set_level(logging.ERROR, logger="connect_emulator")
    path = template.format(
        *(quote(value, safe="") for value in label_values[: template.count("{}")])
    )
    if query:
        path += "?" + "&".join(
            f"{quote(key)}={quote(value, safe='')}" for key, value in query.items()
        )
    status, headers, payload = _send(emulator.endpoint_url, method, path, body)
    assert status != 500, payload
    assert not [record for record in caplog.records if record.name.startswith("connect_emulator")]
    if status >= 400:
        assert headers.get("x-amzn-ErrorType"), (status, headers)
        if method != "HEAD":
            assert isinstance(json.loads(payload)["Message"], str)
    else:
        assert status == 200
        if method != "HEAD":
            json.loads(payload)


def test_the_server_keeps_serving_after_garbage(emulator, connect_client):
    address = urlsplit(emulator.endpoint_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as raw:
        raw.sendall(b"\x00\xffNOT HTTP AT ALL\r\n\r\n")
        answer = raw.recv(65536)
    assert answer.startswith(b"HTTP/1.")  # an error response, not a hang-up
    assert b"x-amzn-ErrorType" in answer
    assert connect_client.describe_instance(InstanceId=CONNECT_MANAGED.id)["Instance"]["Id"]


# Bodies for supported operations, with the operation's own member names and arbitrary values:
# these get past routing into validation and the handlers themselves.
TARGETED = [
    ("PUT", f"/users/{CONNECT_MANAGED.id}"),
    ("POST", "/search-users"),
    ("POST", f"/users/{CONNECT_MANAGED.id}/{{user}}/identity-info"),
    ("POST", f"/users/{CONNECT_MANAGED.id}/{{user}}/phone-config"),
    ("POST", f"/users/{CONNECT_MANAGED.id}/{{user}}/security-profiles"),
    ("POST", f"/users/{CONNECT_MANAGED.id}/{{user}}/hierarchy"),
    ("POST", f"/tags/{quote(CONNECT_MANAGED.arn, safe='')}"),
]
search_like = st.fixed_dictionaries(
    {},
    optional={
        "InstanceId": st.just(CONNECT_MANAGED.id) | st.text(max_size=5),
        "SearchCriteria": json_values,
        "SearchFilter": json_values,
        "MaxResults": st.integers(-5, 600),
        "NextToken": st.text(max_size=30),
    },
)


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    target=st.sampled_from(TARGETED),
    document=st.one_of(search_like, st.dictionaries(member_names, json_values, max_size=8)),
)
def test_operation_bodies_with_arbitrary_values(emulator, caplog, target, document):
    caplog.set_level(logging.ERROR, logger="connect_emulator")
    method, path = target
    path = path.replace("{user}", "00000000-0000-4000-8000-000000000000")
    status, headers, payload = _send(
        emulator.endpoint_url, method, path, json.dumps(document).encode()
    )
    assert status != 500, payload
    assert not [record for record in caplog.records if record.name.startswith("connect_emulator")]
    if status >= 400:
        assert headers.get("x-amzn-ErrorType")
        assert isinstance(json.loads(payload)["Message"], str)

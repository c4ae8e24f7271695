"""connect: client cache, retry configuration, Connect.call and the instance-type cache."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from cloudformation_cli_python_lib import HandlerErrorCode as H
from cloudformation_cli_python_lib import exceptions as cfn
from cloudformation_cli_python_lib.boto3_proxy import SessionProxy

from aws_connect_user import connect
from aws_connect_user.errors import ConnectCallFailed
from connect_emulator.seed import CONNECT_MANAGED as MI

SENTINEL = "S3ntinel-Pa55word"


@pytest.fixture(autouse=True)
def fresh() -> Any:
    connect.forget_cached_state()
    yield
    connect.forget_cached_state()


def session(key: str = "AKIAONE") -> SessionProxy:
    return SessionProxy(
        boto3.Session(aws_access_key_id=key, aws_secret_access_key="s", aws_session_token="t")
    )


def stubbed() -> tuple[Any, Stubber]:
    client = boto3.client(
        "connect", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    return client, Stubber(client)


def test_clients_are_reused_per_credentials_and_region() -> None:
    a = connect.client_for(session(), "us-east-1")
    assert connect.client_for(session(), "us-east-1") is a
    assert connect.client_for(session("AKIATWO"), "us-east-1") is not a
    assert connect.client_for(session(), "eu-west-2") is not a
    assert a.meta.region_name == "us-east-1"


def test_client_cache_is_bounded() -> None:
    first = connect.client_for(session("AKIA0"), "us-east-1")
    for n in range(1, 10):
        connect.client_for(session(f"AKIA{n}"), "us-east-1")
    assert connect.client_for(session("AKIA0"), "us-east-1") is not first


def test_no_credentials_is_invalid_credentials() -> None:
    with pytest.raises(cfn.InvalidCredentials):
        connect.client_for(None, "us-east-1")


def test_clients_use_standard_retries() -> None:
    client = connect.client_for(session(), "us-east-1")
    assert client.meta.config.retries["mode"] == "standard"


def test_a_call_makes_at_most_max_attempts_attempts() -> None:
    client = connect.client_for(session(), "us-east-1")
    retries = client.meta.config.retries
    total = retries.get("total_max_attempts", retries.get("max_attempts", 0) + 1)
    assert total == connect.MAX_ATTEMPTS


def test_call_classifies_failures_and_scrubs_secrets() -> None:
    client, stub = stubbed()
    stub.add_client_error(
        "describe_user",
        "AccessDeniedException",
        f"no for {SENTINEL}",
        403,
        expected_params={"InstanceId": MI.id, "UserId": "u"},
    )
    with stub, pytest.raises(ConnectCallFailed) as caught:
        connect.Connect(client, [SENTINEL, None]).call(
            "DescribeUser", {"InstanceId": MI.id, "UserId": "u"}
        )
    assert caught.value.error_code is H.AccessDenied
    assert SENTINEL not in caught.value.message


def test_call_returns_the_response() -> None:
    client, stub = stubbed()
    stub.add_response("list_users", {"UserSummaryList": []}, {"InstanceId": MI.id})
    with stub:
        answer = connect.Connect(client).call("ListUsers", {"InstanceId": MI.id})
    assert answer["UserSummaryList"] == []


def _instance(kind: str) -> dict[str, Any]:
    return {"Instance": {"Id": MI.id, "IdentityManagementType": kind}}


def test_identity_type_is_cached_for_its_ttl(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(connect.time, "monotonic", lambda: now[0])
    client, stub = stubbed()
    stub.add_response("describe_instance", _instance("SAML"), {"InstanceId": MI.id})
    stub.add_response("describe_instance", _instance("CONNECT_MANAGED"), {"InstanceId": MI.id})
    with stub:
        c = connect.Connect(client)
        assert c.identity_management_type(MI.id) == "SAML"
        now[0] += connect.INSTANCE_TYPE_TTL_SECONDS - 1
        assert c.identity_management_type(MI.id) == "SAML"  # cached: no second call
        now[0] += 2
        assert c.identity_management_type(MI.id) == "CONNECT_MANAGED"  # expired: asked again
    stub.assert_no_pending_responses()


def test_missing_instance_is_about_instance_id() -> None:
    client, stub = stubbed()
    stub.add_client_error("describe_instance", "ResourceNotFoundException", http_status_code=404)
    with stub, pytest.raises(ConnectCallFailed) as caught:
        connect.Connect(client).identity_management_type(MI.id)
    assert caught.value.error_code is H.InvalidRequest
    assert caught.value.about == "InstanceId"

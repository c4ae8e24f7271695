"""connect: client cache, retry configuration, Connect.call and the instance-type cache."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from cloudformation_cli_python_lib import HandlerErrorCode as H
from cloudformation_cli_python_lib.boto3_proxy import SessionProxy

from aws_connect_user import connect
from aws_connect_user.outcomes import Failure
from connect_emulator.seed import CONNECT_MANAGED as MI

from ..testdata import PASSWORD


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
    with pytest.raises(Failure) as caught:
        connect.client_for(None, "us-east-1")
    assert caught.value.code is H.InvalidCredentials


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
        f"no for {PASSWORD}",
        403,
        expected_params={"InstanceId": MI.id, "UserId": "u"},
    )
    with stub, pytest.raises(Failure) as caught:
        connect.Connect(client, [PASSWORD, None]).call(
            "DescribeUser", {"InstanceId": MI.id, "UserId": "u"}
        )
    assert caught.value.code is H.AccessDenied
    assert PASSWORD not in caught.value.message


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
    with stub, pytest.raises(Failure) as caught:
        connect.Connect(client).identity_management_type(MI.id)
    assert caught.value.code is H.InvalidRequest
    assert caught.value.about == "InstanceId"


# --- the warm-container seam --------------------------------------------------------------------


def test_a_container_serves_only_the_invocations_made_from_it() -> None:
    mine = connect.WarmContainer()
    default = connect.client_for(session(), "us-east-1")
    with connect.serving_from(mine) as served:
        assert served is mine and connect.current() is mine
        own = connect.client_for(session(), "us-east-1")
        assert own is not default
        assert connect.client_for(session(), "us-east-1") is own
    assert connect.current() is connect.DEFAULT
    assert connect.client_for(session(), "us-east-1") is default


def test_a_container_hands_every_new_client_to_its_hook() -> None:
    built: list[Any] = []
    container = connect.WarmContainer(on_new_client=built.append)
    client = container.connect_client(session(), "us-east-1")
    container.connect_client(session(), "us-east-1")
    container.connect_client(session("AKIATWO"), "us-east-1")
    assert built[0] is client and len(built) == 2


def test_sessions_and_clients_share_one_cache_per_credentials_and_region() -> None:
    from cloudformation_cli_python_lib.utils import Credentials

    container = connect.WarmContainer()
    credentials = Credentials("AKIAONE", "s", "t")
    caller = container.session(credentials, "us-east-1")
    assert container.session(credentials, "us-east-1") is caller
    assert container.session(credentials, "eu-west-2") is not caller
    assert container.session(None, "us-east-1") is None
    client = container.connect_client(caller, "us-east-1")
    assert container.connect_client(session(), "us-east-1") is client  # same credentials
    container.forget()
    assert container.session(credentials, "us-east-1") is not caller


def test_the_instance_type_cache_belongs_to_the_container() -> None:
    client, stub = stubbed()
    stub.add_response("describe_instance", _instance("SAML"), {"InstanceId": MI.id})
    stub.add_response("describe_instance", _instance("SAML"), {"InstanceId": MI.id})
    with stub:
        connect.Connect(client, container=connect.WarmContainer()).identity_management_type(MI.id)
        other = connect.WarmContainer()
        assert connect.Connect(client, container=other).identity_management_type(MI.id) == "SAML"
        assert connect.Connect(client, container=other).identity_management_type(MI.id) == "SAML"
    stub.assert_no_pending_responses()

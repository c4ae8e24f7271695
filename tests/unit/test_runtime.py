"""runtime: the library version its overrides are written for, and one test per limitation
of that version each override works around. A test here failing means the library lifted
the limitation: drop the override it names (runtime.py's docstring lists them)."""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

import pytest
from cloudformation_cli_python_lib import Action, ProgressEvent, Resource, exceptions
from cloudformation_cli_python_lib.utils import HandlerRequest, UnmodelledRequest

from aws_connect_user import connect, runtime
from aws_connect_user.models import ResourceModel

CREDENTIALS = {"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "s", "sessionToken": "t"}


def event(**overrides: Any) -> dict[str, Any]:
    request_data = {"resourceProperties": {"InstanceId": "i-1"}, "callerCredentials": CREDENTIALS}
    return {
        "action": "LIST",
        "awsAccountId": "123456789012",
        "bearerToken": "b",
        "region": "us-east-1",
        "nextToken": "page-2",
        "requestData": request_data,
        **overrides,
    }


def library_resource(*, raises: Exception | None = None) -> Resource:
    resource = Resource("AWS::Connect::User", ResourceModel)

    @resource.handler(Action.LIST)
    def listed(session: Any, request: Any, context: Any) -> ProgressEvent:
        if raises is not None:
            raise raises
        return ProgressEvent.failed(exceptions.HandlerErrorCode.NotFound, "x")

    return resource


def test_the_overrides_are_written_for_the_installed_library() -> None:
    assert version("cloudformation-cli-python-lib") == runtime.LIBRARY_VERSION


# --- _cast_resource_request / _parse_test_request ---------------------------------------------


def test_library_model_parsing_crashes_on_set_typed_object_arrays() -> None:
    raw = UnmodelledRequest(
        clientRequestToken="t", desiredResourceState={"Tags": [{"Key": "a", "Value": "b"}]}
    )
    with pytest.raises(TypeError):
        raw.to_modelled(ResourceModel, None)


def test_library_models_hold_string_arrays_as_unserialisable_sets() -> None:
    raw = UnmodelledRequest(
        clientRequestToken="t", desiredResourceState={"SecurityProfileIds": ["a"]}
    )
    model = raw.to_modelled(ResourceModel, None).desiredResourceState
    assert model is not None
    with pytest.raises(TypeError):
        json.dumps(model._serialize())


def test_library_production_request_drops_the_next_token() -> None:
    request = library_resource()._cast_resource_request(HandlerRequest.deserialize(event()))
    assert request.nextToken is None


def test_our_production_request_keeps_the_next_token() -> None:
    raw = runtime.ConnectUserResource()._cast_resource_request(HandlerRequest.deserialize(event()))
    assert isinstance(raw, UnmodelledRequest) and raw.nextToken == "page-2"


# --- _invoke_handler ----------------------------------------------------------------------------


def test_library_prints_a_traceback_for_every_refusal(capfd: pytest.CaptureFixture[str]) -> None:
    answer = library_resource(raises=exceptions.InvalidRequest("refused"))(event(), None)
    assert answer["errorCode"] == "InvalidRequest"
    assert "Traceback" in capfd.readouterr().err


def test_library_answers_a_bug_without_saying_what_failed() -> None:
    answer = library_resource(raises=RuntimeError("boom"))(event(), None)
    assert (answer["errorCode"], answer.get("message", "")) == ("InternalFailure", "")


# --- _parse_request -----------------------------------------------------------------------------


def test_library_builds_new_sessions_for_every_invocation() -> None:
    (caller, _), *_ = Resource._parse_request(event())
    (again, _), *_ = Resource._parse_request(event())
    assert caller is not None and again is not caller


def test_library_echoes_the_exception_text_of_a_malformed_event() -> None:
    bad = event(requestData={"resourceProperties": {}, "callerCredentials": {"bogus": "v4lue"}})
    with pytest.raises(exceptions.InvalidRequest) as caught:
        Resource._parse_request(bad)
    assert "bogus" in str(caught.value)


def test_our_sessions_are_the_warm_containers_with_the_region() -> None:
    resource = runtime.ConnectUserResource()
    with connect.serving_from(connect.WarmContainer()):
        (caller, _), *_ = resource._parse_request(event(region="eu-west-2"))
        (again, _), *_ = resource._parse_request(event(region="eu-west-2"))
    assert caller is not None and again is caller
    assert caller.session.region_name == "eu-west-2"

"""The local Lambda endpoint, driven by a stock boto3 Lambda client."""

from __future__ import annotations

import json
import os
import threading
import uuid

import boto3
import pytest
from botocore.config import Config

from connect_emulator.seed import CONNECT_MANAGED
from local_lambda import FunctionSpec, LocalLambda, load_functions
from local_lambda.functions import TEMPLATE

from ..testdata import user_model

pytestmark = pytest.mark.emulator

CREDENTIALS = {
    "accessKeyId": "ASIALOCALLAMBDATEST1",
    "secretAccessKey": "local-lambda-test-secret-not-real",
    "sessionToken": "local-lambda-test-token-not-real",
}
RELEASE = threading.Event()  # lets the hanging handler finish once its test is done


def boom(event, context):
    raise RuntimeError(f"boom from {context.function_name}")


def hangs(event, context):
    RELEASE.wait(30)
    return {}


def echo_context(event, context):
    return {
        "function_name": context.function_name,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "aws_request_id": context.aws_request_id,
        "event": event,
    }


def not_json(event, context):
    return {"value": object()}


@pytest.fixture
def local_lambda(connect_endpoint_env):
    functions = load_functions()
    for name, attribute, timeout in (
        ("Boom", "boom", 3),
        ("Hangs", "hangs", 0.2),
        ("Context", "echo_context", 7),
        ("NotJson", "not_json", 3),
    ):
        functions[name] = FunctionSpec(name, f"{__name__}.{attribute}", timeout_s=timeout)
    RELEASE.clear()
    with LocalLambda(functions) as server:
        yield server
    RELEASE.set()


@pytest.fixture
def lambda_client(local_lambda):
    return boto3.client(
        "lambda",
        endpoint_url=local_lambda.endpoint_url,
        config=Config(retries={"total_max_attempts": 1}),
    )


def create_properties(username: str) -> dict:
    return user_model(Username=username)


def invoke(client, name: str, event: dict) -> tuple[dict, dict]:
    response = client.invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return response, json.loads(response["Payload"].read())


def test_template_functions_are_read_from_template_yml():
    functions = load_functions(TEMPLATE)
    assert functions["TypeFunction"].handler == "aws_connect_user.handlers.resource"
    assert functions["TestEntrypoint"].handler == "aws_connect_user.handlers.test_entrypoint"
    assert functions["TypeFunction"].timeout_s == 180
    assert functions["TypeFunction"].memory_mb == 256


def test_override_replaces_one_handler_and_rejects_unknown_functions():
    functions = load_functions(overrides={"TypeFunction": "some.module.handler"})
    assert functions["TypeFunction"].handler == "some.module.handler"
    assert functions["TestEntrypoint"].handler == "aws_connect_user.handlers.test_entrypoint"
    with pytest.raises(KeyError, match="NoSuchFunction"):
        load_functions(overrides={"NoSuchFunction": "x.y"})


def test_type_function_creates_a_user_in_cloudformation_request_format(lambda_client, emulator):
    event = {
        "awsAccountId": "123456789012",
        "bearerToken": str(uuid.uuid4()),
        "region": "us-east-1",
        "action": "CREATE",
        "resourceType": "AWS::Connect::User",
        "callbackContext": None,
        "requestData": {
            "callerCredentials": CREDENTIALS,
            "resourceProperties": create_properties("lambda-create"),
            "previousResourceProperties": None,
            "logicalResourceId": "MyUser",
        },
    }
    response, progress = invoke(lambda_client, "TypeFunction", event)

    assert response["StatusCode"] == 200
    assert "FunctionError" not in response
    assert progress["status"] == "SUCCESS"
    model = progress["resourceModel"]
    assert model["UserArn"].startswith(CONNECT_MANAGED.arn + "/agent/")
    assert "Password" not in model
    listed = emulator.execute("ListUsers", {"InstanceId": CONNECT_MANAGED.id})
    assert [user["Username"] for user in listed["UserSummaryList"]] == ["lambda-create"]


def test_test_entrypoint_takes_the_unwrapped_test_format(lambda_client, emulator):
    event = {
        "credentials": CREDENTIALS,
        "action": "CREATE",
        "region": "us-east-1",
        "request": {
            "clientRequestToken": str(uuid.uuid4()),
            "desiredResourceState": create_properties("lambda-test-ep"),
            "logicalResourceIdentifier": "MyUser",
            "awsAccountId": "123456789012",
            "region": "us-east-1",
        },
    }
    response, progress = invoke(lambda_client, "TestEntrypoint", event)

    assert "FunctionError" not in response
    assert progress["status"] == "SUCCESS"
    assert progress["resourceModel"]["Username"] == "lambda-test-ep"


def test_function_arn_and_qualifier_forms_reach_the_same_function(lambda_client):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:Context"
    for name in ("Context", "Context:$LATEST", arn, "123456789012:function:Context"):
        _response, body = invoke(lambda_client, name, {"n": 1})
        assert body["function_name"] == "Context"
        assert body["event"] == {"n": 1}


def test_context_looks_like_lambdas(lambda_client):
    _response, body = invoke(lambda_client, "Context", {})
    assert body["invoked_function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:Context"
    assert body["memory_limit_in_mb"] == 128
    assert 0 < body["remaining_ms"] <= 7000
    assert uuid.UUID(body["aws_request_id"])


def test_unknown_function_is_lambdas_resource_not_found(lambda_client):
    with pytest.raises(lambda_client.exceptions.ResourceNotFoundException) as raised:
        lambda_client.invoke(FunctionName="NoSuchFunction", Payload=b"{}")
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "function:NoSuchFunction" in error["Error"]["Message"]


def test_invalid_json_payload_is_rejected(lambda_client):
    with pytest.raises(lambda_client.exceptions.InvalidRequestContentException):
        lambda_client.invoke(FunctionName="TypeFunction", Payload=b"{not json")


def test_a_raising_handler_is_a_function_error(lambda_client):
    response, body = invoke(lambda_client, "Boom", {})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "RuntimeError"
    assert body["errorMessage"] == "boom from Boom"
    assert body["stackTrace"]


def test_an_unserializable_result_is_a_marshal_error(lambda_client):
    response, body = invoke(lambda_client, "NotJson", {})
    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Runtime.MarshalError"


def test_a_handler_past_its_timeout_is_reported_as_timed_out(lambda_client):
    response, body = invoke(lambda_client, "Hangs", {})
    assert response["FunctionError"] == "Unhandled"
    assert "Task timed out after 0.20 seconds" in body["errorMessage"]


def test_event_and_dry_run_invocation_types(lambda_client):
    assert (
        lambda_client.invoke(FunctionName="Context", InvocationType="DryRun")["StatusCode"] == 204
    )
    assert lambda_client.invoke(FunctionName="Context", InvocationType="Event")["StatusCode"] == 202


def test_function_environment_is_set_while_running_and_restored_after(emulator, monkeypatch):
    monkeypatch.delenv("LOCAL_LAMBDA_PROBE", raising=False)
    server = LocalLambda({}, environment={"LOCAL_LAMBDA_PROBE": "on"})
    with server:
        assert os.environ["LOCAL_LAMBDA_PROBE"] == "on"
    assert "LOCAL_LAMBDA_PROBE" not in os.environ

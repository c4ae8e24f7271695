"""LIST through TypeFunction (the production entrypoint) follows nextToken to the end.

The regression this guards: the library's production path dropped the request's nextToken, so
every LIST returned page 1 again and the contract suite's pagination loop never ended. Here the
loop is bounded, so a regression fails fast instead of hanging.
"""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from connect_emulator.seed import CONNECT_MANAGED
from local_lambda import LocalLambda

from ..testdata import minimal_create_params

pytestmark = pytest.mark.emulator

USERS = 1005  # more than one ListUsers page (the handler asks for 1000 at a time)
MAX_PAGES = 10


def list_request(next_token: str | None) -> dict:
    request = {
        "awsAccountId": "123456789012",
        "bearerToken": str(uuid.uuid4()),
        "region": "us-east-1",
        "action": "LIST",
        "resourceType": "AWS::Connect::User",
        "callbackContext": None,
        "requestData": {
            "callerCredentials": {
                "accessKeyId": "ASIAPAGINATIONTEST01",
                "secretAccessKey": "pagination-test-secret-not-real",
                "sessionToken": "pagination-test-token-not-real",
            },
            "resourceProperties": {"InstanceId": CONNECT_MANAGED.id},
            "previousResourceProperties": None,
            "logicalResourceId": "Users",
        },
    }
    if next_token is not None:
        request["nextToken"] = next_token  # where the contract suite puts it
    return request


def test_list_pages_end_and_cover_every_user(emulator, connect_endpoint_env):
    for number in range(USERS):
        emulator.execute("CreateUser", minimal_create_params(Username=f"page{number:05d}"))
    with LocalLambda() as server:
        client = boto3.client("lambda", endpoint_url=server.endpoint_url)
        arns: list[str] = []
        tokens: list[str] = []
        next_token = None
        for _page in range(MAX_PAGES):
            response = client.invoke(
                FunctionName="TypeFunction", Payload=json.dumps(list_request(next_token))
            )
            progress = json.loads(response["Payload"].read())
            assert progress["status"] == "SUCCESS", progress
            arns += [model["UserArn"] for model in progress["resourceModels"]]
            next_token = progress.get("nextToken")
            if next_token is None:
                break
            assert next_token not in tokens, "LIST returned the same nextToken twice"
            tokens.append(next_token)
        else:
            pytest.fail(f"LIST still returned a nextToken after {MAX_PAGES} pages")

    assert len(tokens) >= 1  # it really paginated
    assert len(arns) == len(set(arns)) == USERS

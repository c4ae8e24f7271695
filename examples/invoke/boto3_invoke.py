"""Invoke the type's handler on `make local`'s Lambda endpoint with boto3, runnable as written:

    .venv/bin/python examples/invoke/boto3_invoke.py LIST examples/invoke/list.json
    .venv/bin/python examples/invoke/boto3_invoke.py --endpoint http://127.0.0.1:3002 CREATE \
        examples/invoke/create.json

The payload is what CloudFormation sends a resource type's handler (demo/events.py builds it):

    {"action": "CREATE" | "READ" | "UPDATE" | "DELETE" | "LIST",
     "awsAccountId": "123456789012", "region": "us-east-1", "bearerToken": "<any>",
     "resourceType": "...", "resourceTypeVersion": "00000001", "stackId": "arn:...",
     "requestData": {"resourceProperties": {...every scalar a string...},
                     "previousResourceProperties": {...} (UPDATE),
                     "callerCredentials": {"accessKeyId", "secretAccessKey", "sessionToken"},
                     "logicalResourceId": "Agent", "stackTags": {...} (optional)},
     "callbackContext": null (or the previous answer's, while it says IN_PROGRESS)}

The answer is a ProgressEvent: {"status": "SUCCESS" | "FAILED" | "IN_PROGRESS",
"resourceModel" | "resourceModels", "errorCode", "message", "callbackContext",
"callbackDelaySeconds"}. The request files are cfn invoke's ({"desiredResourceState",
"previousResourceState"}), so the same files serve both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: demo.events
from demo.events import handler_request


def invoke(endpoint: str, action: str, request: dict[str, Any]) -> dict[str, Any]:
    client = boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",  # the local endpoint takes any credentials
        aws_secret_access_key="local",
    )
    event = handler_request(
        action,
        request.get("desiredResourceState"),
        previous=request.get("previousResourceState"),
    )
    while True:
        answer = client.invoke(FunctionName="TypeFunction", Payload=json.dumps(event).encode())
        progress: dict[str, Any] = json.loads(answer["Payload"].read())
        if progress.get("status") != "IN_PROGRESS":
            return progress
        event["callbackContext"] = progress.get("callbackContext")  # as CloudFormation does


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:3001")
    parser.add_argument("action", choices=["CREATE", "READ", "UPDATE", "DELETE", "LIST"])
    parser.add_argument("request", type=Path, help="a cfn invoke request file")
    args = parser.parse_args(argv)
    request = json.loads(args.request.read_text(encoding="utf-8"))
    progress = invoke(args.endpoint, args.action, request)
    print(json.dumps(progress, indent=2))
    return 0 if progress.get("status") == "SUCCESS" else 1


if __name__ == "__main__":
    sys.exit(main())

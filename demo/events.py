"""CloudFormation-shaped handler requests, as the service sends them to TypeFunction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from connect_emulator.seed import ACCOUNT_ID, REGION

STACK_ID = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/contact-centre-agents/demo"
CREDENTIALS = {
    "accessKeyId": "ASIADEMOFAKEKEY00001",
    "secretAccessKey": "demo-secret-key-not-real",
    "sessionToken": "demo-session-token-not-real",
}


def _stringify(value: Any) -> Any:
    """CloudFormation sends every scalar in resourceProperties as a string."""
    if isinstance(value, Mapping):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


def handler_request(
    action: str,
    properties: Mapping[str, Any] | None,
    *,
    previous: Mapping[str, Any] | None = None,
    stack_tags: Mapping[str, str] | None = None,
    logical_id: str = "Agent",
    next_token: str | None = None,
) -> dict[str, Any]:
    request_data: dict[str, Any] = {
        "callerCredentials": CREDENTIALS,
        "resourceProperties": _stringify(properties) if properties is not None else None,
        "logicalResourceId": logical_id,
    }
    if previous is not None:
        request_data["previousResourceProperties"] = _stringify(previous)
    if stack_tags:
        request_data["stackTags"] = dict(stack_tags)
        request_data["previousStackTags"] = dict(stack_tags)
    event: dict[str, Any] = {
        "action": action,
        "awsAccountId": ACCOUNT_ID,
        "bearerToken": str(uuid.uuid4()),
        "region": REGION,
        "resourceType": "AWS::Connect::User",
        "resourceTypeVersion": "00000001",
        "stackId": STACK_ID,
        "requestData": request_data,
        "callbackContext": None,
    }
    if next_token is not None:
        event["nextToken"] = next_token
    return event

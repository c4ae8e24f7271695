"""Driving the production entrypoint (TypeFunction) with CloudFormation-shaped events and a
botocore Stubber that checks every Connect request against botocore's own model."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config
from botocore.stub import Stubber

from connect_emulator.seed import CONNECT_MANAGED, EXISTING_DIRECTORY, SAML, SeedInstance

from .. import testdata
from ..testdata import USER_ID, user_arn

ACCOUNT = "123456789012"
REGION = "us-east-1"
TYPE_NAME = "AWS::Connect::User"
STACK_ID = (
    f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/agents/0f3c9e10-1111-2222-3333-444455556666"
)
LOGICAL_ID = "AgentUser"
BEARER = "c5f3f9a4-7d8e-4a3b-9a0b-0123456789ab"
CREDENTIALS = {
    "accessKeyId": "AKIACALLEREXAMPLE000",
    "secretAccessKey": "caller-secret-not-real",
    "sessionToken": "caller-token-not-real",
}
INSTANCES = {i.identity_management_type: i for i in (CONNECT_MANAGED, SAML, EXISTING_DIRECTORY)}
MI = CONNECT_MANAGED


def properties(instance: SeedInstance = MI, **overrides: Any) -> dict[str, Any]:
    """testdata.cloudformation_properties: the valid user as CloudFormation sends it.
    An override of None removes the property."""
    return testdata.cloudformation_properties(instance, **overrides)


def event(
    action: str,
    props: Mapping[str, Any] | None = None,
    *,
    previous: Mapping[str, Any] | None = None,
    stack_tags: Mapping[str, str] | None = None,
    previous_stack_tags: Mapping[str, str] | None = None,
    callback_context: Mapping[str, Any] | None = None,
    next_token: str | None = None,
    bearer: str = BEARER,
) -> dict[str, Any]:
    """A request in CloudFormation's format for the resource type's Lambda function."""
    request_data: dict[str, Any] = {
        "callerCredentials": dict(CREDENTIALS),
        "providerCredentials": dict(CREDENTIALS),
        "logicalResourceId": LOGICAL_ID,
        "resourceProperties": copy.deepcopy(dict(props)) if props is not None else None,
        "previousResourceProperties": copy.deepcopy(dict(previous)) if previous else None,
        "systemTags": {"aws:cloudformation:stack-name": "agents"},
        "stackTags": dict(stack_tags) if stack_tags is not None else None,
        "previousStackTags": dict(previous_stack_tags) if previous_stack_tags else None,
    }
    return {
        "action": action,
        "awsAccountId": ACCOUNT,
        "bearerToken": bearer,
        "region": REGION,
        "resourceType": TYPE_NAME,
        "resourceTypeVersion": "00000001",
        "stackId": STACK_ID,
        "requestData": request_data,
        "callbackContext": dict(callback_context) if callback_context is not None else None,
        "nextToken": next_token,
    }


def live_user(
    instance: SeedInstance = MI,
    *,
    username: str = "agent1",
    tags: Mapping[str, str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """testdata.live_user: DescribeUser's User for the user that properties() describes."""
    return testdata.live_user(instance, tags=tags, **{"Username": username, **overrides})


class RecordingStubber(Stubber):
    """A Stubber that remembers its assertion failures: the handler turns any exception
    from a call into a ProgressEvent, so the fixture re-raises them at teardown."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.failures: list[BaseException] = []

    def _assert_expected_call_order(self, model: Any, params: Any) -> None:
        try:
            super()._assert_expected_call_order(model, params)
        except Exception as error:
            self.failures.append(error)
            raise

    def _assert_expected_params(self, model: Any, params: Any, context: Any, **kwargs: Any) -> None:
        try:
            super()._assert_expected_params(model, params, context, **kwargs)
        except Exception as error:
            self.failures.append(error)
            raise


class StubbedConnect:
    """A real botocore Connect client with a Stubber and a log of the operations called."""

    def __init__(self) -> None:
        self.client = boto3.client(
            "connect",
            region_name=REGION,
            aws_access_key_id="AKIASTUBBEDEXAMPLE00",
            aws_secret_access_key="stubbed-secret-not-real",
            config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
        )
        self.stubber = RecordingStubber(self.client)
        self.operations: list[str] = []
        self.sessions: list[Any] = []
        self.quick: list[bool] = []  # per invocation: whether it asked for read and list's client
        self.client.meta.events.register("provide-client-params.connect", self._record)

    def _record(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)

    def ok(
        self, operation: str, params: Mapping[str, Any], response: Mapping[str, Any] | None = None
    ) -> None:
        self.stubber.add_response(
            _method(operation), dict(response or {}), expected_params=dict(params)
        )

    def error(
        self,
        operation: str,
        code: str,
        params: Mapping[str, Any] | None = None,
        *,
        message: str = "stubbed failure",
        status: int = 400,
        retry_attempts: int = 0,
    ) -> None:
        self.stubber.add_client_error(
            _method(operation),
            service_error_code=code,
            service_message=message,
            http_status_code=status,
            expected_params=dict(params) if params is not None else None,
            response_meta={"RetryAttempts": retry_attempts} if retry_attempts else None,
        )

    def raise_on(self, operation: str, error: Exception) -> None:
        """Make the next call of an operation raise (connection errors and the like)."""

        def boom(**_: Any) -> None:
            self.client.meta.events.unregister(f"provide-client-params.connect.{operation}", boom)
            self.operations.append(operation)  # the general recorder never sees this call
            raise error

        self.client.meta.events.register(f"provide-client-params.connect.{operation}", boom)

    def describe_instance(self, instance: SeedInstance = MI) -> None:
        self.ok(
            "DescribeInstance",
            {"InstanceId": instance.id},
            {
                "Instance": {
                    "Id": instance.id,
                    "Arn": instance.arn,
                    "IdentityManagementType": instance.identity_management_type,
                    "InstanceStatus": "ACTIVE",
                }
            },
        )

    def describe_user(self, user: Mapping[str, Any], instance: SeedInstance = MI) -> None:
        self.ok(
            "DescribeUser", {"InstanceId": instance.id, "UserId": user["Id"]}, {"User": dict(user)}
        )

    def visible(self, instance: SeedInstance = MI, user_id: str = USER_ID) -> None:
        """The stabilising DescribeUser after a create: Connect shows the new user."""
        self.describe_user(
            live_user(instance, Id=user_id, Arn=user_arn(instance, user_id)), instance
        )

    def proficiencies(
        self,
        items: list[Mapping[str, Any]] | tuple[()] = (),
        *,
        instance: SeedInstance = MI,
        user_id: str = USER_ID,
        token: str | None = None,
        next_token: str | None = None,
    ) -> None:
        """One page of ListUserProficiencies (levels answered as floats, as Connect does)."""
        params: dict[str, Any] = {"InstanceId": instance.id, "UserId": user_id, "MaxResults": 100}
        if token:
            params["NextToken"] = token
        page: dict[str, Any] = {
            "UserProficiencyList": [{**item, "Level": float(item["Level"])} for item in items]
        }
        if next_token:
            page["NextToken"] = next_token
        self.ok("ListUserProficiencies", params, page)

    def not_visible(self, instance: SeedInstance = MI, user_id: str = USER_ID) -> None:
        """DescribeUser answers not found: a new user not shown yet, or a deleted one gone."""
        self.error(
            "DescribeUser",
            "ResourceNotFoundException",
            {"InstanceId": instance.id, "UserId": user_id},
            status=404,
        )


def _method(operation: str) -> str:
    import botocore

    return str(botocore.xform_name(operation))


def serialized(response: Any) -> dict[str, Any]:
    """The entrypoint's answer as the JSON CloudFormation receives."""
    assert isinstance(response, dict), response
    return dict(json.loads(json.dumps(response)))


# --- expectations written from the documented behaviour -------------------------------------

MARKER_KEY = "cfn-connect-user:create-token"


def search_params(instance: SeedInstance = MI, username: str = "agent1") -> dict[str, Any]:
    """The SearchUsers request a create sends to find its own user by name."""
    return {
        "InstanceId": instance.id,
        "SearchCriteria": {
            "StringCondition": {
                "FieldName": "Username",
                "Value": username,
                "ComparisonType": "EXACT",
            }
        },
    }


def create_token(
    bearer: str = BEARER, logical_id: str = LOGICAL_ID, stack_id: str = STACK_ID
) -> str:
    import hashlib

    return hashlib.sha256(f"{stack_id}|{logical_id}|{bearer}".encode()).hexdigest()[:40]


def create_params(instance: SeedInstance = MI, **overrides: Any) -> dict[str, Any]:
    """testdata.create_user_params with this request's marker tag: the CreateUser request
    for properties(instance)."""
    return testdata.create_user_params(
        instance, **{"Tags": {MARKER_KEY: create_token()}, **overrides}
    )


def created(instance: SeedInstance = MI, user_id: str = USER_ID) -> dict[str, str]:
    return {"UserId": user_id, "UserArn": user_arn(instance, user_id)}

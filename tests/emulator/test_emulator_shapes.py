"""Every supported operation: the request boto3 sends is accepted, the raw response matches
botocore's output shape exactly, and every modelled error parses into its exception class."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.model import Shape

from connect_emulator.seed import CONNECT_MANAGED as CM
from connect_emulator.service_model import connect_model

from ..testdata import minimal_create_params

Params = Callable[[dict[str, str]], dict[str, Any]]
_ID = {"InstanceId": CM.id}

OPERATIONS: dict[str, Params] = {
    "DescribeInstance": lambda u: _ID,
    "ListInstances": lambda u: {},
    "CreateUser": lambda u: minimal_create_params(Username="shape2", Tags={"k": "v"}),
    "DescribeUser": lambda u: {**_ID, "UserId": u["id"]},
    "ListUsers": lambda u: {**_ID, "MaxResults": 1},
    "SearchUsers": lambda u: {
        **_ID,
        "SearchCriteria": {
            "StringCondition": {
                "FieldName": "Username",
                "Value": "shape",
                "ComparisonType": "CONTAINS",
            }
        },
    },
    "UpdateUserIdentityInfo": lambda u: {
        **_ID,
        "UserId": u["id"],
        "IdentityInfo": {"FirstName": "A", "LastName": "B", "Mobile": "+14155550100"},
    },
    "UpdateUserPhoneConfig": lambda u: {
        **_ID,
        "UserId": u["id"],
        "PhoneConfig": {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+14155550100"},
    },
    "UpdateUserConfig": lambda u: {
        **_ID,
        "UserId": u["id"],
        "AfterContactWorkConfigs": [
            {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 60}}
        ],
        "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "NONE"}],
    },
    "UpdateUserRoutingProfile": lambda u: {
        **_ID,
        "UserId": u["id"],
        "RoutingProfileId": CM.child_id("routing", 2),
    },
    "UpdateUserSecurityProfiles": lambda u: {
        **_ID,
        "UserId": u["id"],
        "SecurityProfileIds": [CM.child_id("security", 2)],
    },
    "UpdateUserHierarchy": lambda u: {
        **_ID,
        "UserId": u["id"],
        "HierarchyGroupId": CM.child_id("hierarchy", 1),
    },
    "TagResource": lambda u: {"resourceArn": u["arn"], "tags": {"x": "y"}},
    "ListTagsForResource": lambda u: {"resourceArn": u["arn"]},
    "UntagResource": lambda u: {"resourceArn": u["arn"], "tagKeys": ["x"]},
    "ListSecurityProfiles": lambda u: _ID,
    "ListRoutingProfiles": lambda u: _ID,
    "ListUserHierarchyGroups": lambda u: _ID,
    "DescribeSecurityProfile": lambda u: {**_ID, "SecurityProfileId": CM.child_id("security", 1)},
    "DescribeRoutingProfile": lambda u: {**_ID, "RoutingProfileId": CM.child_id("routing", 1)},
    "DescribeUserHierarchyGroup": lambda u: {
        **_ID,
        "HierarchyGroupId": CM.child_id("hierarchy", 1),
    },
    # Routing proficiencies (issue 13): seeded predefined attributes, Level a float.
    "AssociateUserProficiencies": lambda u: {
        **_ID,
        "UserId": u["id"],
        "UserProficiencies": [
            {"AttributeName": "Language", "AttributeValue": "English", "Level": 3.0}
        ],
    },
    "UpdateUserProficiencies": lambda u: {
        **_ID,
        "UserId": u["id"],
        "UserProficiencies": [
            {"AttributeName": "Language", "AttributeValue": "English", "Level": 4.0}
        ],
    },
    "ListUserProficiencies": lambda u: {**_ID, "UserId": u["id"]},
    "DisassociateUserProficiencies": lambda u: {
        **_ID,
        "UserId": u["id"],
        "UserProficiencies": [{"AttributeName": "Language", "AttributeValue": "English"}],
    },
    "CreatePredefinedAttribute": lambda u: {
        **_ID,
        "Name": "ShapeAttribute",
        "Values": {"StringList": ["One"]},
    },
    "ListPredefinedAttributes": lambda u: _ID,
    "DescribePredefinedAttribute": lambda u: {**_ID, "Name": "Language"},
    "DeleteUser": lambda u: {**_ID, "UserId": u["id"]},
}


def test_every_supported_operation_is_covered(emulator):
    assert set(OPERATIONS) == set(emulator.service.handlers)


def _conforms(shape: Shape, value: Any, path: str) -> list[str]:
    """Where value breaks the shape: unknown members, wrong types, missing required members."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        problems = [f"{path}.{name}: unknown member" for name in value if name not in shape.members]
        problems += [
            f"{path}.{name}: missing" for name in shape.required_members if name not in value
        ]
        for name, item in value.items():
            if name in shape.members:
                problems += _conforms(shape.members[name], item, f"{path}.{name}")
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [
            p for i, item in enumerate(value) for p in _conforms(shape.member, item, f"{path}[{i}]")
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: not a map"]
        return [
            p for key, item in value.items() for p in _conforms(shape.value, item, f"{path}.{key}")
        ]
    expected: dict[str, tuple[type, ...]] = {
        "string": (str,),
        "boolean": (bool,),
        "integer": (int,),
        "long": (int,),
        "timestamp": (int, float),
        "double": (int, float),
        "float": (int, float),
    }
    if isinstance(value, bool) and kind != "boolean":
        return [f"{path}: boolean where {kind} expected"]
    if not isinstance(value, expected[kind]):
        return [f"{path}: {type(value).__name__} where {kind} expected"]
    enum = shape.metadata.get("enum")
    if enum and value not in enum:
        return [f"{path}: {value!r} not in enum"]
    return []


@pytest.fixture
def shape_user(connect_client) -> dict[str, str]:
    created = connect_client.create_user(**{**OPERATIONS["CreateUser"]({}), "Username": "shape1"})
    return {"id": created["UserId"], "arn": created["UserArn"]}


def test_responses_match_the_output_shapes(connect_client, shape_user):
    raw: dict[str, Any] = {}

    def capture(http_response: Any, model: Any, **_: Any) -> None:
        raw[model.name] = http_response

    connect_client.meta.events.register("after-call.connect", capture)
    model = connect_model()
    for operation, params in OPERATIONS.items():
        method = connect_client.meta.method_to_api_mapping
        python_name = {api: py for py, api in method.items()}[operation]
        getattr(connect_client, python_name)(**params(shape_user))
        response = raw[operation]
        assert response.status_code == 200, operation
        output = model.operation_model(operation).output_shape
        document = json.loads(response.content) if response.content else {}
        problems = _conforms(output, document, operation) if output is not None else []
        assert problems == [], problems
        if output is not None and output.members:
            assert document, f"{operation} answered nothing"


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_modelled_error_parses_into_its_exception(
    emulator, connect_client, shape_user, operation
):
    op_model = connect_model().operation_model(operation)
    python_name = {api: py for py, api in connect_client.meta.method_to_api_mapping.items()}[
        operation
    ]
    for error_shape in op_model.error_shapes:
        emulator.faults.fail_next(operation, 1, error_shape.name)
        with pytest.raises(getattr(connect_client.exceptions, error_shape.name)) as raised:
            getattr(connect_client, python_name)(**OPERATIONS[operation](shape_user))
        response = raised.value.response
        assert (
            response["ResponseMetadata"]["HTTPStatusCode"]
            == error_shape.metadata["error"]["httpStatusCode"]
        )
        assert response["Error"]["Code"] == error_shape.name
        assert response["Error"]["Message"]


def test_unsupported_operation_answers_unknown_operation(connect_client):
    with pytest.raises(connect_client.exceptions.ClientError) as raised:
        connect_client.list_queues(InstanceId=CM.id)
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

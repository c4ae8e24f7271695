"""The validator with inlined $refs (a performance change in schema._validator) reports exactly
what a validator of the schema as written reports, for valid and invalid models alike."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from jsonschema import Draft7Validator

from aws_connect_user import schema
from connect_emulator.seed import CONNECT_MANAGED

from ..testdata import user_model

BAD_VALUES: list[Any] = [
    None,
    1,
    -5,
    "",
    "x" * 300,
    "+1",
    "not a phone",
    [],
    {},
    ["a", "a"],
    [{"Key": 1}],
    True,
    "arn:aws:connect:us-east-1:123456789012:instance/abc/agent/x",
    {"Extra": 1},
    {"PhoneType": "NOPE"},
    {"FirstName": "x" * 200},
    {"Mobile": "123"},
    [{"Key": "k"}],
    [{"Key": "k", "Value": "v", "X": 1}],
    "abc$",
    10**9,
    {"PhoneType": "DESK_PHONE", "AfterContactWorkTimeLimit": -1, "DeskPhoneNumber": "x"},
]


def _as_written(partial: bool) -> Draft7Validator:
    stripped = schema._strip_cfn_keywords(copy.deepcopy(dict(schema.resource_schema())))
    # The keyword order decides the order of errors at the same path: keep the original one.
    keys = ("definitions", "properties", "required", "additionalProperties")
    return Draft7Validator({k: stripped[k] for k in keys if not (partial and k == "required")})


def _errors(validator: Draft7Validator, model: dict[str, Any], partial: bool) -> list[str]:
    return [str(v) for v in schema.violations_of(validator.iter_errors(model), partial=partial)]


def _valid() -> dict[str, Any]:
    """A valid user with every optional property, so every property gets broken."""
    return user_model(
        HierarchyGroupId=CONNECT_MANAGED.child_id("hierarchy", 1),
        Tags=[{"Key": "team", "Value": "blue"}],
    )


@pytest.mark.parametrize("partial", [False, True])
def test_inlined_refs_validate_exactly_like_the_schema_as_written(partial: bool) -> None:
    reference = _as_written(partial)
    rng = random.Random(7)
    keys = [*_valid(), "UserId", "UserArn", "Unknown"]
    invalid = 0
    for _ in range(1500):
        model = _valid()
        for _ in range(rng.randint(0, 4)):
            key = rng.choice(keys)
            if rng.random() < 0.1:
                model.pop(key, None)
            else:
                model[key] = copy.deepcopy(rng.choice(BAD_VALUES))
        expected = _errors(reference, model, partial)
        assert schema.validation_errors(model, partial=partial) == expected, model
        invalid += bool(expected)
    assert invalid > 1000  # the comparison covered plenty of failures

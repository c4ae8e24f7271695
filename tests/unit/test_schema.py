"""schema: validation messages, scalar recasting, partial validation, the shipped copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_connect_user import schema
from aws_connect_user.schema import coerce_scalars, validation_errors
from connect_emulator.seed import CONNECT_MANAGED as MI

ROOT = Path(__file__).resolve().parents[2]
SENTINEL = "S3ntinel-Pa55word"


def valid(**overrides: Any) -> dict[str, Any]:
    model: dict[str, Any] = {
        "InstanceId": MI.id,
        "Username": "agent1",
        "Password": SENTINEL,
        "IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False},
        "SecurityProfileIds": [MI.child_id("security", 1)],
        "RoutingProfileId": MI.child_id("routing", 1),
        "Tags": [{"Key": "team", "Value": "blue"}],
    }
    model.update(overrides)
    return {k: v for k, v in model.items() if v is not None}


def test_shipped_schema_is_a_byte_for_byte_copy_of_the_root_schema() -> None:
    shipped = ROOT / "src" / "aws_connect_user" / "resource-schema.json"
    assert shipped.read_bytes() == (ROOT / "aws-connect-user.json").read_bytes()


def test_type_name_and_write_only() -> None:
    assert schema.type_name() == "AWS::Connect::User"
    assert schema.write_only_properties() == {"Password"}


def test_a_valid_model_has_no_errors() -> None:
    assert validation_errors(valid(), partial=False) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"Username": None}, "(model): required property Username is missing"),
        ({"Colour": "red"}, "(model): unknown property Colour"),
        ({"Username": 7}, "Username: must be of type string, not int"),
        ({"HierarchyGroupId": None, "DirectoryUserId": ""}, "DirectoryUserId: must be at least 1"),
        ({"PhoneConfig": {"PhoneType": "CAR_PHONE"}}, "PhoneConfig/PhoneType: must be one of"),
        ({"PhoneConfig": {"AutoAccept": True}}, "PhoneConfig: required property PhoneType"),
        (
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": -1}},
            "PhoneConfig/AfterContactWorkTimeLimit: must be at least 0",
        ),
        ({"SecurityProfileIds": []}, "SecurityProfileIds: must have at least 1 items"),
        (
            {"SecurityProfileIds": [MI.child_id("security", 1)] * 2},
            "SecurityProfileIds: must not contain duplicate items",
        ),
        ({"Tags": [{"Key": "aws:x", "Value": "v"}]}, "Tags/0/Key: does not match the pattern"),
        ({"Tags": [{"Key": "k"}]}, "Tags/0: required property Value is missing"),
        ({"IdentityInfo": {"Nick": "A"}}, "IdentityInfo: unknown property Nick"),
        ({"UserArn": "arn:aws:connect:x"}, "UserArn: does not match the pattern"),
    ],
)
def test_messages_name_the_property_and_the_rule(overrides: dict[str, Any], expected: str) -> None:
    errors = validation_errors(valid(**overrides), partial=False)
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize(
    "password",
    [
        "short1A",  # minLength
        "alllowercase123",  # pattern
        "N0-upper-case".lower(),
        "X" * 63 + "a1",  # maxLength
        "Has Space1a",
    ],
)
def test_an_invalid_password_is_named_but_never_echoed(password: str) -> None:
    errors = validation_errors(valid(Password=password), partial=False)
    assert errors and all(e.startswith("Password: ") for e in errors)
    assert not any(password in e for e in errors)


def test_a_password_of_the_wrong_type_is_not_echoed() -> None:
    errors = validation_errors(valid(Password=["S3ntinel-Pa55word"]), partial=False)
    assert errors == ["Password: must be of type string, not list"]


def test_a_value_is_never_echoed() -> None:
    secret_like = "Zz9-not-allowed-in-an-enum"
    model = valid(PhoneConfig={"PhoneType": secret_like}, Username=secret_like + "!")
    errors = validation_errors(model, partial=False)
    assert len(errors) == 2
    assert not any(secret_like in e for e in errors)


def test_partial_requires_nothing_but_checks_what_is_there() -> None:
    assert validation_errors({}, partial=True) == []
    assert validation_errors({"UserArn": f"{MI.arn}/agent/u-1"}, partial=True) == []
    assert validation_errors({"InstanceId": "bad id!"}, partial=True) == [
        "InstanceId: does not match the pattern "
        + schema.resource_schema()["definitions"]["InstanceReference"]["pattern"]
    ]
    assert validation_errors({"Nope": 1}, partial=True) == ["(model): unknown property Nope"]
    assert validation_errors({}, partial=False) != []


def test_cfn_only_keywords_do_not_reach_jsonschema() -> None:
    # insertionOrder is not JSON Schema; the validator must not choke on or enforce it.
    model = valid(SecurityProfileIds=[MI.child_id("security", 2), MI.child_id("security", 1)])
    assert validation_errors(model, partial=False) == []


class TestCoerceScalars:
    def test_cloudformation_strings_get_their_schema_types(self) -> None:
        raw = valid(
            PhoneConfig={
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": "true",
                "AfterContactWorkTimeLimit": "30",
            }
        )
        coerced = coerce_scalars(raw)
        assert coerced["PhoneConfig"] == {
            "PhoneType": "SOFT_PHONE",
            "AutoAccept": True,
            "AfterContactWorkTimeLimit": 30,
        }
        assert validation_errors(coerced, partial=False) == []

    @pytest.mark.parametrize(
        ("text", "value"), [("false", False), ("False", False), ("TRUE", True)]
    )
    def test_booleans(self, text: str, value: bool) -> None:
        phone = coerce_scalars({"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": text}})
        assert phone["PhoneConfig"]["AutoAccept"] is value

    @pytest.mark.parametrize("text", ["yes", "1", "", "truee"])
    def test_other_boolean_strings_stay_strings_and_fail_validation(self, text: str) -> None:
        data = coerce_scalars(valid(PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": text}))
        assert data["PhoneConfig"]["AutoAccept"] == text
        assert validation_errors(data, partial=False) == [
            "PhoneConfig/AutoAccept: must be of type boolean, not str"
        ]

    def test_strings_typed_string_are_left_alone(self) -> None:
        raw = valid(Username="12345", Password="12345Abcdef", DirectoryUserId="true")
        assert coerce_scalars(raw) == raw

    def test_unknown_keys_and_non_mappings_are_left_for_validation(self) -> None:
        raw = {"Nope": "30", "PhoneConfig": "SOFT_PHONE", "Tags": {"Key": "x"}}
        assert coerce_scalars(raw) == raw

    @settings(max_examples=80, derandomize=True, database=None)
    @given(st.integers(min_value=0, max_value=2_000_000))
    def test_integer_strings_round_trip(self, n: int) -> None:
        data = coerce_scalars(
            valid(PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": str(n)})
        )
        assert data["PhoneConfig"]["AfterContactWorkTimeLimit"] == n
        assert validation_errors(data, partial=False) == []

    @staticmethod
    def _integer_or_unchanged(text: str) -> None:
        data = coerce_scalars(
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": text}}
        )
        value = data["PhoneConfig"]["AfterContactWorkTimeLimit"]
        assert value == text or (isinstance(value, int) and value == int(text))

    @settings(max_examples=150, derandomize=True, database=None)
    @given(st.from_regex(r"\A[ -]?[0-9a-z ]{0,6}\Z"))
    def test_ascii_strings_become_their_integer_or_stay_strings(self, text: str) -> None:
        self._integer_or_unchanged(text)

    @pytest.mark.parametrize("text", ["²", "--5", "-²", "٣²"])  # '²' found by hypothesis st.text()
    def test_digit_like_strings_do_not_crash(self, text: str) -> None:
        data = coerce_scalars(
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": text}}
        )
        assert data["PhoneConfig"]["AfterContactWorkTimeLimit"] == text

    @pytest.mark.parametrize("text", ["\uff13\uff10", "\u0663\u0660"])  # fullwidth, Arabic-Indic 30
    def test_non_ascii_digits_are_not_integers(self, text: str) -> None:
        data = coerce_scalars(
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": text}}
        )
        assert data["PhoneConfig"]["AfterContactWorkTimeLimit"] == text

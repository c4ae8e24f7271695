"""schema: validation messages (their catalogue, the words kept next to each constraint, the
nearest property name, the schema's order), scalar recasting, partial validation, the copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_connect_user import schema
from aws_connect_user.runtime import build_model
from aws_connect_user.schema import coerce_scalars, validation_errors
from connect_emulator.seed import CONNECT_MANAGED as MI

from ..testdata import PASSWORD, user_model

ROOT = Path(__file__).resolve().parents[2]


def valid(**overrides: Any) -> dict[str, Any]:
    return user_model(**{"Tags": [{"Key": "team", "Value": "blue"}], **overrides})


def test_shipped_schema_is_a_byte_for_byte_copy_of_the_root_schema() -> None:
    shipped = ROOT / "src" / "aws_connect_user" / "resource-schema.json"
    assert shipped.read_bytes() == (ROOT / "aws-connect-user.json").read_bytes()


def test_type_name_and_write_only() -> None:
    assert schema.type_name() == "AWS::Connect::User"
    assert schema.write_only_properties() == {"Password"}
    assert schema.read_only_properties() == {"UserId", "UserArn"}


def test_a_valid_model_has_no_errors() -> None:
    assert validation_errors(valid(), partial=False) == []


# --- the message catalogue: each kind of schema violation, pinned ----------------------------

INSTANCE_WORDS = (
    "an instance ID (1 to 100 letters, digits and hyphens) or its ARN, "
    "arn:aws:connect:REGION:ACCOUNT:instance/ID; at most 250 characters"
)
PASSWORD_WORDS = (
    "8 to 64 characters without spaces, with at least one upper-case letter (A-Z), one "
    "lower-case letter (a-z) and one digit"
)
PHONE_WORDS = (
    "an E.164 number such as +12065550100: a + and 2 to 15 digits, the first of them not 0, "
    "without spaces or punctuation"
)
USERNAME_WORDS = (
    "1 to 100 characters (the API's bound) of letters, digits and _ . @ -, with @ only in an "
    "email address such as ada@example.com"
)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"Username": None}, "Username: is required"),
        ({"Colour": "red"}, "Colour: is not a property of AWS::Connect::User"),
        (
            {"RoutingProfileId": None, "RoutingProfileID": MI.child_id("routing", 1)},
            "RoutingProfileID: is not a property of AWS::Connect::User "
            "(did you mean RoutingProfileId?)",
        ),
        ({"Username": 7}, "Username: must be a string, not a number"),
        ({"Username": "jane doe"}, f"Username: must be {USERNAME_WORDS}"),
        (
            {"HierarchyGroupId": None, "DirectoryUserId": ""},
            "DirectoryUserId: must be 1 to 256 characters",
        ),
        (
            {"PhoneConfig": {"PhoneType": "CAR_PHONE"}},
            "PhoneConfig/PhoneType: must be SOFT_PHONE or DESK_PHONE",
        ),
        (
            {"PersistentConnectionConfigs": [{"Channel": "CHAT", "PersistentConnection": True}]},
            "PersistentConnectionConfigs/0/Channel: must be VOICE",
        ),
        (
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": -1}},
            "PhoneConfig/AfterContactWorkTimeLimit: must be a whole number from 0 to 2,000,000",
        ),
        (
            {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": "maybe"}},
            "PhoneConfig/AutoAccept: must be true or false, not a string",
        ),
        (
            {"PhoneConfig": {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "(206) 555-0100"}},
            f"PhoneConfig/DeskPhoneNumber: must be {PHONE_WORDS}",
        ),
        (
            {"PhoneConfig": {"PhoneTyp": "SOFT_PHONE"}},
            "PhoneConfig/PhoneTyp: is not a property of PhoneConfig (did you mean PhoneType?)",
        ),
        (
            {"SecurityProfileIds": []},
            "SecurityProfileIds: must be 1 to 10 security profiles, each listed once",
        ),
        (
            {"SecurityProfileIds": [MI.child_id("security", 1)] * 2},
            "SecurityProfileIds: must be 1 to 10 security profiles, each listed once",
        ),
        (
            {"SecurityProfileIds": MI.child_id("security", 1)},
            "SecurityProfileIds: must be a list, not a string",
        ),
        (
            {"SecurityProfileIds": ["not an id!"]},
            "SecurityProfileIds/0: must be a security profile ID (1 to 100 letters, digits and "
            "hyphens) or its ARN, arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID/"
            "security-profile/ID; at most 250 characters",
        ),
        ({"InstanceId": "bad id!"}, f"InstanceId: must be {INSTANCE_WORDS}"),
        (
            {"Tags": [{"Key": "aws:x", "Value": "v"}]},
            "Tags/0/Key: must be 1 to 128 characters, not starting with aws:, of letters, "
            "digits, spaces and _ . : / = + - @",
        ),
        ({"Tags": [{"Key": "k"}]}, "Tags/0/Value: is required"),
        (
            {"Tags": [{"key": "k", "Value": "v"}]},
            "Tags/0/key: is not a property of an item of Tags (did you mean Key?)",
        ),
        (
            {"Tags": [{"Key": "k", "Value": "v"}] * 51},
            "Tags: must be at most 50 tags, each listed once",
        ),
        ({"IdentityInfo": {"Nick": "A"}}, "IdentityInfo/Nick: is not a property of IdentityInfo"),
        (
            {"IdentityInfo": {"firstname": "Ada", "LastName": "Lovelace"}},
            "IdentityInfo/firstname: is not a property of IdentityInfo (did you mean FirstName?)",
        ),
        ({"IdentityInfo": {"Mobile": "555-0100"}}, f"IdentityInfo/Mobile: must be {PHONE_WORDS}"),
        (
            {"IdentityInfo": {"SecondaryEmail": "not-an-email"}},
            "IdentityInfo/SecondaryEmail: must be an email address such as ada@example.com, at "
            "most 265 characters: letters, digits and . _ % + - before the @, then a domain that "
            "ends in a dot and 2 to 63 letters",
        ),
        (
            {"UserArn": "arn:aws:connect:x"},
            "UserArn: must be a user ARN, "
            "arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID/agent/USER-ID",
        ),
    ],
)
def test_each_message_names_the_property_and_says_the_rule_in_words(
    overrides: dict[str, Any], expected: str
) -> None:
    assert validation_errors(valid(**overrides), partial=False) == [expected]


def test_a_null_names_the_property() -> None:
    model = valid() | {"HierarchyGroupId": None}  # as a hand-written event may send it
    assert validation_errors(model, partial=False) == [
        "HierarchyGroupId: must be a string, not null"
    ]


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
def test_an_invalid_password_says_the_rule_once_and_is_never_echoed(password: str) -> None:
    assert validation_errors(valid(Password=password), partial=False) == [
        f"Password: must be {PASSWORD_WORDS}"
    ]


def test_a_password_of_the_wrong_type_is_not_echoed() -> None:
    errors = validation_errors(valid(Password=[PASSWORD]), partial=False)
    assert errors == ["Password: must be a string, not a list"]


def test_a_value_is_never_echoed() -> None:
    secret_like = "Zz9-not-allowed-in-an-enum"
    model = valid(PhoneConfig={"PhoneType": secret_like}, Username=secret_like + "!")
    errors = validation_errors(model, partial=False)
    assert len(errors) == 2
    assert not any(secret_like in e for e in errors)


def test_an_unknown_key_is_shown_shortened_and_printable() -> None:
    (error,) = validation_errors(valid(**{"Bad\nKey" + "x" * 100: 1}), partial=False)
    assert error.startswith("Bad\\nKey") and "…: is not a property" in error
    (error,) = validation_errors(valid(**{"Line\nbreak": 1}), partial=False)
    assert error == "Line\\nbreak: is not a property of AWS::Connect::User"


# --- the nearest property name -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        ("routingprofileid", "RoutingProfileId"),  # case first
        ("ROUTINGPROFILEID", "RoutingProfileId"),
        ("SecurityProfileId", "SecurityProfileIds"),
        ("Passwrd", "Password"),
        ("Tag", "Tags"),
        ("HierarchyGroupID", "HierarchyGroupId"),
        ("Routing_Profile_Id", "RoutingProfileId"),
        ("Colour", None),
        ("Id", None),
    ],
)
def test_nearest(given: str, meant: str | None) -> None:
    assert schema.nearest(given, schema.resource_schema()["properties"]) == meant


def test_a_property_already_given_is_not_suggested() -> None:
    tags = [{"Key": "k", "key": "x", "Value": "v"}]
    assert validation_errors(valid(Tags=tags), partial=False) == [
        "Tags/0/key: is not a property of an item of Tags"
    ]


def test_a_misspelt_required_property_is_reported_once() -> None:
    model = valid(Username=None, UserName="agent1")
    assert validation_errors(model, partial=False) == [
        "UserName: is not a property of AWS::Connect::User (did you mean Username?)"
    ]


# --- one message for the whole request: every violation, in the schema's order --------------


def test_every_violation_is_reported_in_the_schema_property_order() -> None:
    model = valid(
        Tags=[{"Key": "aws:x", "Value": "v"}],
        Colour="red",
        Password="weak",
        PhoneConfig={"PhoneType": "CAR_PHONE", "autoaccept": True},
        InstanceId="bad id!",
        RoutingProfileId=None,
        RoutingProfileID="x",
    )
    assert [e.split(":")[0] for e in validation_errors(model, partial=False)] == [
        "InstanceId",
        "Password",
        "PhoneConfig/PhoneType",
        "PhoneConfig/autoaccept",
        "RoutingProfileID",  # next to the RoutingProfileId it means
        "Tags/0/Key",
        "Colour",  # unknown, meaning nothing: last
    ]


def test_order_key_follows_nested_properties_and_list_positions() -> None:
    paths = [
        "Tags/1/Key",
        "Tags",
        "Tags/0/Value",
        "IdentityInfo/Mobile",
        "IdentityInfo/FirstName",
        "Nope",
        "InstanceId",
    ]
    assert sorted(paths, key=schema.order_key) == [
        "InstanceId",
        "IdentityInfo/FirstName",
        "IdentityInfo/Mobile",
        "Tags",
        "Tags/0/Value",
        "Tags/1/Key",
        "Nope",
    ]


def test_username_length_is_the_apis_on_every_model() -> None:
    # botocore's AgentUsername: 1-100 (issue 21); no instance bound before any write.
    assert validation_errors(valid(Username="u" * 100), partial=False) == []
    for partial in (False, True):
        assert validation_errors(valid(Username="u" * 101), partial=partial) == [
            f"Username: must be {USERNAME_WORDS}"
        ]


def test_partial_requires_nothing_but_checks_what_is_there() -> None:
    assert validation_errors({}, partial=True) == []
    assert validation_errors({"UserArn": f"{MI.arn}/agent/u-1"}, partial=True) == []
    assert validation_errors({"InstanceId": "bad id!"}, partial=True) == [
        f"InstanceId: must be {INSTANCE_WORDS}"
    ]
    assert validation_errors({"Nope": 1}, partial=True) == [
        "Nope: is not a property of AWS::Connect::User"
    ]
    assert validation_errors({}, partial=False) != []


def test_cfn_only_keywords_do_not_reach_jsonschema() -> None:
    # insertionOrder is not JSON Schema; the validator must not choke on or enforce it.
    model = valid(SecurityProfileIds=[MI.child_id("security", 2), MI.child_id("security", 1)])
    assert validation_errors(model, partial=False) == []


# --- what is left for the handler's rules: the model without what broke the schema -------------


def test_check_drops_exactly_the_members_that_broke_the_schema() -> None:
    model = valid(
        Password="weak",
        Colour="red",
        IdentityInfo={"FirstName": "", "LastName": "Lovelace", "Nick": "A"},
        Tags=[{"Key": "aws:x", "Value": "v"}],
    )
    checked = schema.check(model, partial=False)
    expected = valid(IdentityInfo={"LastName": "Lovelace"})
    del expected["Password"], expected["Tags"]
    assert checked.data == expected
    assert model["Password"] == "weak"  # the request itself is left alone


BAD_VALUES: list[Any] = [
    None,
    1,
    -5,
    "",
    "x" * 300,
    "+1",
    [],
    {},
    ["a", "a"],
    [{"Key": 1}],
    True,
    {"Extra": 1},
    {"PhoneType": "NOPE"},
    [{"Key": "k", "Value": "v", "X": 1}],
    [None],
    "x\n",
]
KEYS = [*valid(), "DirectoryUserId", "HierarchyGroupId", "UserId", "UserArn", "Unknown"]


@settings(max_examples=300, derandomize=True, database=None)
@given(
    st.dictionaries(st.sampled_from(KEYS), st.sampled_from(BAD_VALUES), max_size=4),
    st.sampled_from(["PhoneConfig", "IdentityInfo"]),
    st.sampled_from(BAD_VALUES),
)
def test_what_check_leaves_always_builds_a_model(
    changes: dict[str, Any], nested: str, value: Any
) -> None:
    model = valid()
    model.update(changes)
    if isinstance(model.get(nested), dict):
        model[nested] = {**model[nested], "FirstName": value}
    checked = schema.check(model, partial=False)
    left = schema.check(checked.data, partial=False).violations
    assert all(v.rule == "is required" for v in left), left
    build_model(checked.data)  # no exception: the rules can judge what is left


# --- the words are kept next to each constraint, in step with it ------------------------------

CONSTRAINED = set(schema.WORDED_KEYWORDS)
STRUCTURAL = {
    "type",
    "properties",
    "items",
    "required",
    "additionalProperties",
    "$ref",
    "description",
    "insertionOrder",
}


def schema_nodes(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "type" in node or "$ref" in node:
            yield where, node
        for key, inner in node.get("properties", {}).items():
            yield from schema_nodes(inner, f"{where}/properties/{key}")
        if "items" in node:
            yield from schema_nodes(node["items"], f"{where}/items")


def all_nodes() -> list[tuple[str, dict[str, Any]]]:
    root = schema.resource_schema()
    found = [
        n
        for name, d in root["definitions"].items()
        for n in schema_nodes(d, f"#/definitions/{name}")
    ]
    found += [
        n for name, p in root["properties"].items() for n in schema_nodes(p, f"#/properties/{name}")
    ]
    return found


@pytest.mark.parametrize(("where", "node"), all_nodes(), ids=[w for w, _ in all_nodes()])
def test_every_constraint_has_its_rule_in_words(where: str, node: dict[str, Any]) -> None:
    assert set(node) <= CONSTRAINED | STRUCTURAL, f"{where}: a keyword messages do not handle"
    constrained = sorted(CONSTRAINED & set(node))
    words = schema.rule_words(node)
    if not constrained:
        assert words is None, f"{where}: words without a constraint"
        return
    assert words, f"{where} has {constrained} but no '{schema.WORDS_MARKER}...' sentence"
    assert node["description"].endswith(f"{schema.WORDS_MARKER}{words}.")
    for keyword in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"):
        bound = node.get(keyword)
        if bound is not None and bound > 1:
            assert f"{bound:,}" in words, f"{where}: words do not say the {keyword} {bound}"
    for value in node.get("enum", []):
        assert value in words, f"{where}: words do not name {value}"
    assert "^" not in words and "\\" not in words, f"{where}: words look like a regex"


def test_the_username_bound_is_botocores() -> None:
    node = schema.resource_schema()["properties"]["Username"]
    shape = botocore.session.get_session().get_service_model("connect").shape_for("AgentUsername")
    assert (node["minLength"], node["maxLength"]) == (shape.metadata["min"], shape.metadata["max"])
    assert "1 to 100" in (schema.rule_words(node) or "")


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
            "PhoneConfig/AutoAccept: must be true or false, not a string"
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


class TestNumbers:
    """Issue 21: a level is a number; a message never calls a number "not a number"."""

    @pytest.mark.parametrize(("text", "value"), [("3", 3), ("3.0", 3.0), ("2.5", 2.5)])
    def test_a_level_string_becomes_the_number_it_writes(self, text: str, value: float) -> None:
        entry = {"AttributeName": "Language", "AttributeValue": "English", "Level": text}
        data = coerce_scalars(valid(UserProficiencies=[entry]))
        level = data["UserProficiencies"][0]["Level"]
        assert level == value and type(level) is type(value)
        assert validation_errors(data, partial=False) == []

    @pytest.mark.parametrize("given", [3.5, "3.5"])
    def test_a_fraction_where_a_whole_number_belongs_is_called_a_fraction(self, given) -> None:
        phone = {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": given}
        errors = validation_errors(coerce_scalars(valid(PhoneConfig=phone)), partial=False)
        assert errors == [
            "PhoneConfig/AfterContactWorkTimeLimit: must be a whole number, not a fraction"
        ]

    @pytest.mark.parametrize("given", [30.0, "30.0"])
    def test_a_whole_float_is_the_whole_number(self, given) -> None:
        phone = {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": given}
        data = coerce_scalars(valid(PhoneConfig=phone))
        assert data["PhoneConfig"]["AfterContactWorkTimeLimit"] == 30
        assert type(data["PhoneConfig"]["AfterContactWorkTimeLimit"]) is int
        assert validation_errors(data, partial=False) == []

"""ConnectUser's typed routing proficiencies (UserProficiency, issue 13): rendering, the
schema's checks at construction, the uniqueness rule, tokens."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_connect_user import ConnectUser, PhoneConfig, PhoneType, UserProficiency

from ..testdata import BILLING_3, ENGLISH_4
from .support import MI, as_deployed, schema_errors

REQUIRED: dict[str, Any] = {
    "instance_id": MI.id,
    "username": "agent1",
    "phone_config": PhoneConfig(phone_type=PhoneType.SOFT_PHONE),
    "security_profile_ids": [MI.child_id("security", 1)],
    "routing_profile_id": MI.child_id("routing", 1),
}
ENGLISH = UserProficiency(attribute_name="Language", attribute_value="English", level=4)
BILLING = UserProficiency(attribute_name="Product", attribute_value="Billing", level=3)


def synthesized(**arguments: Any) -> dict[str, Any]:
    stack = cdk.Stack(cdk.App(), "Test")
    ConnectUser(stack, "User", **{**REQUIRED, **arguments})
    resources = Template.from_stack(stack).to_json()["Resources"]
    (user,) = resources.values()
    properties: dict[str, Any] = user["Properties"]
    return properties


def refusal(error: type[Exception], **arguments: Any) -> str:
    with pytest.raises(error) as caught:
        ConnectUser(cdk.Stack(cdk.App(), "Test"), "User", **{**REQUIRED, **arguments})
    return str(caught.value)


def test_proficiencies_render_as_the_schema_has_them() -> None:
    properties = synthesized(user_proficiencies=[ENGLISH, BILLING])
    assert properties["UserProficiencies"] == [ENGLISH_4, BILLING_3]
    assert schema_errors(as_deployed(properties)) == []


def test_left_out_is_not_managed_and_an_empty_list_is_kept() -> None:
    assert "UserProficiencies" not in synthesized()
    assert synthesized(user_proficiencies=[])["UserProficiencies"] == []


def test_the_entry_is_frozen() -> None:
    with pytest.raises(AttributeError):
        ENGLISH.level = 5  # type: ignore[misc]


@pytest.mark.parametrize("level", [2.5, 3.0, 1, 5])
def test_a_level_is_a_number_from_1_to_5_as_botocores_model_says(level: float) -> None:
    entry = UserProficiency(attribute_name="Language", attribute_value="English", level=level)
    (rendered,) = synthesized(user_proficiencies=[entry])["UserProficiencies"]
    assert rendered["Level"] == level


@pytest.mark.parametrize("level", [0, 6, 0.5, 5.5])
def test_a_level_outside_1_to_5_is_refused_in_the_schemas_words(level: float) -> None:
    entry = UserProficiency(attribute_name="Language", attribute_value="English", level=level)
    message = refusal(ValueError, user_proficiencies=[entry])
    assert "UserProficiencies" in message and "1 to 5" in message
    assert "not a number" not in message


def test_a_repeated_attribute_and_value_is_refused() -> None:
    again = UserProficiency(attribute_name="Language", attribute_value="English", level=1)
    message = refusal(ValueError, user_proficiencies=[ENGLISH, again])
    assert "each attribute name and value once: Language=English" in message


def test_one_entry_instead_of_a_list_is_refused() -> None:
    assert "a list of UserProficiency" in refusal(TypeError, user_proficiencies=ENGLISH)
    assert "not dict" in refusal(TypeError, user_proficiencies=[ENGLISH_4])


def test_a_token_level_is_left_to_cloudformation() -> None:
    stack = cdk.Stack(cdk.App(), "Test")
    level = cdk.Token.as_number(cdk.CfnParameter(stack, "Level", type="Number").value)
    entry = UserProficiency(attribute_name="Language", attribute_value="English", level=level)
    ConnectUser(stack, "User", **REQUIRED, user_proficiencies=[entry])
    rendered = Template.from_stack(stack).to_json()["Resources"]["User"]["Properties"]
    assert rendered["UserProficiencies"] == [
        {"AttributeName": "Language", "AttributeValue": "English", "Level": {"Ref": "Level"}}
    ]

"""SearchUsers' ListCondition on proficiencies and DescribePredefinedAttribute (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest

from connect_emulator import Emulator
from connect_emulator.seed import CONNECT_MANAGED, PREDEFINED_ATTRIBUTES

pytestmark = pytest.mark.emulator
MI = CONNECT_MANAGED


def with_levels(emulator: Emulator, name: str, levels: list[tuple[str, str, float]]) -> str:
    params = {
        "InstanceId": MI.id,
        "Username": name,
        "Password": "Passw0rd-Example",
        "IdentityInfo": {"FirstName": "A", "LastName": "B"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "SecurityProfileIds": [MI.child_id("security", 1)],
        "RoutingProfileId": MI.child_id("routing", 1),
    }
    user_id: str = emulator.execute("CreateUser", params)["UserId"]
    if levels:
        items = [{"AttributeName": n, "AttributeValue": v, "Level": lv} for n, v, lv in levels]
        emulator.execute(
            "AssociateUserProficiencies",
            {"InstanceId": MI.id, "UserId": user_id, "UserProficiencies": items},
        )
    return name


def found(client: Any, *conditions: dict[str, Any]) -> list[str]:
    criteria = {
        "ListCondition": {"TargetListType": "PROFICIENCIES", "Conditions": list(conditions)}
    }
    users = client.search_users(InstanceId=MI.id, SearchCriteria=criteria)["Users"]
    return sorted(u["Username"] for u in users)


def name(value: str) -> dict[str, Any]:
    return {"StringCondition": {"FieldName": "name", "Value": value, "ComparisonType": "EXACT"}}


def value(text: str) -> dict[str, Any]:
    return {"StringCondition": {"FieldName": "value", "Value": text, "ComparisonType": "EXACT"}}


def level(comparison: str, lo: int | None = None, hi: int | None = None) -> dict[str, Any]:
    condition: dict[str, Any] = {"FieldName": "limit", "ComparisonType": comparison}
    condition.update({k: v for k, v in (("MinValue", lo), ("MaxValue", hi)) if v is not None})
    return {"NumberCondition": condition}


def test_one_proficiency_must_meet_every_condition(emulator: Emulator, connect_client) -> None:
    with_levels(emulator, "a", [("Language", "English", 4.0), ("Language", "Spanish", 2.0)])
    with_levels(emulator, "b", [("Language", "English", 2.0)])
    with_levels(emulator, "c", [])
    assert found(connect_client, name("Language"), value("English")) == ["a", "b"]
    assert found(connect_client, name("Language"), value("English"), level("EQUAL", 4)) == ["a"]
    # Spanish at 2 and English at 4 are two proficiencies: English at 2 is only b's
    assert found(connect_client, value("English"), level("EQUAL", 2)) == ["b"]
    assert found(connect_client, level("RANGE", 3, 5)) == ["a"]
    assert found(connect_client, level("LESSER", hi=3)) == ["a", "b"]


def test_describe_predefined_attribute(emulator: Emulator, connect_client) -> None:
    got = connect_client.describe_predefined_attribute(InstanceId=MI.id, Name="Tier")
    assert got["PredefinedAttribute"]["Values"]["StringList"] == list(PREDEFINED_ATTRIBUTES["Tier"])
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.describe_predefined_attribute(InstanceId=MI.id, Name="Nope")


def test_under_any_each_condition_may_be_met_by_another_proficiency(start_emulator) -> None:
    emulator, client = start_emulator(proficiency_search="any")
    with_levels(emulator, "a", [("Language", "English", 4.0), ("Language", "Spanish", 2.0)])
    with_levels(emulator, "c", [])
    assert found(client, value("English"), level("EQUAL", 2)) == ["a"]
    assert found(client, name("Language"), value("Spanish"), level("EQUAL", 4)) == ["a"]
    assert found(client, value("German")) == []

"""Routing proficiencies on the emulator: predefined attributes, the four operations, their
constraints, paging, the two start-up choices for what Connect does not document, and
fault injection on them like on every operation."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from connect_emulator import ManualClock
from connect_emulator.proficiencies import ProficiencyMissing, ProficiencyRepeat
from connect_emulator.seed import CONNECT_MANAGED, PREDEFINED_ATTRIBUTES
from tests.testdata import (
    BILLING_3,
    ENGLISH_4,
    NOT_PREDEFINED,
    SPANISH_2,
    as_connect,
    minimal_create_params,
    proficiency,
)

CONNECTION_ERRORS = (ConnectionClosedError, EndpointConnectionError)


def new_user(client: Any, username: str = "agent1") -> dict[str, str]:
    created = client.create_user(**minimal_create_params(Username=username))
    return {"InstanceId": CONNECT_MANAGED.id, "UserId": created["UserId"]}


def listed(client: Any, ids: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    token = None
    while True:
        page = client.list_user_proficiencies(**ids, **({"NextToken": token} if token else {}))
        found += page["UserProficiencyList"]
        token = page.get("NextToken")
        if not token:
            return sorted(found, key=lambda e: (e["AttributeName"], e["AttributeValue"]))


def code_of(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**params)
    return str(raised.value.response["Error"]["Code"])


def test_seeded_attributes_are_realistic_and_the_same_everywhere() -> None:
    assert {"English", "Spanish"} <= set(PREDEFINED_ATTRIBUTES["Language"])
    assert "Billing" in PREDEFINED_ATTRIBUTES["Product"]


def test_associate_update_disassociate_and_list(connect_client) -> None:
    ids = new_user(connect_client)
    assert listed(connect_client, ids) == []
    connect_client.associate_user_proficiencies(
        **ids, UserProficiencies=as_connect([ENGLISH_4, BILLING_3])
    )
    assert listed(connect_client, ids) == as_connect([ENGLISH_4, BILLING_3])
    connect_client.update_user_proficiencies(
        **ids, UserProficiencies=as_connect([proficiency("Language", "English", 5)])
    )
    connect_client.disassociate_user_proficiencies(
        **ids, UserProficiencies=[{"AttributeName": "Product", "AttributeValue": "Billing"}]
    )
    assert listed(connect_client, ids) == as_connect([proficiency("Language", "English", 5)])
    levels = [e["Level"] for e in listed(connect_client, ids)]
    assert all(isinstance(level, float) for level in levels)  # Connect answers floats


def test_every_page_of_a_long_list(connect_client, emulator) -> None:
    ids = new_user(connect_client)
    many = [
        proficiency(name, value, 1 + (i % 5))
        for i, (name, value) in enumerate(
            (n, v) for n, values in PREDEFINED_ATTRIBUTES.items() for v in values
        )
    ]
    connect_client.associate_user_proficiencies(**ids, UserProficiencies=as_connect(many))
    first = connect_client.list_user_proficiencies(**ids, MaxResults=3)
    assert len(first["UserProficiencyList"]) == 3 and first["NextToken"]
    assert listed(connect_client, ids) == as_connect(many)
    with pytest.raises(ClientError):
        connect_client.list_user_proficiencies(**ids, NextToken="forged")


def test_not_predefined_is_not_found_by_default_and_changes_nothing(connect_client) -> None:
    ids = new_user(connect_client)
    assert (
        code_of(
            connect_client.associate_user_proficiencies,
            **ids,
            UserProficiencies=as_connect([ENGLISH_4, NOT_PREDEFINED]),
        )
        == "ResourceNotFoundException"
    )
    assert listed(connect_client, ids) == []


def test_not_predefined_as_invalid_request_when_started_so(start_emulator) -> None:
    _, client = start_emulator(proficiency_missing=ProficiencyMissing.INVALID_REQUEST)
    ids = new_user(client)
    unknown = proficiency("Shoe size", "42", 2)
    assert (
        code_of(client.associate_user_proficiencies, **ids, UserProficiencies=as_connect([unknown]))
        == "InvalidRequestException"
    )


def test_levels_are_from_1_to_5_and_a_half_level_is_kept(connect_client) -> None:
    ids = new_user(connect_client)
    half = [{**as_connect([ENGLISH_4])[0], "Level": 2.5}]  # botocore's model: a float 1.0-5.0
    connect_client.associate_user_proficiencies(**ids, UserProficiencies=half)
    assert [p["Level"] for p in listed(connect_client, ids)] == [2.5]
    connect_client.disassociate_user_proficiencies(
        **ids, UserProficiencies=[{k: half[0][k] for k in ("AttributeName", "AttributeValue")}]
    )
    six = [{**as_connect([ENGLISH_4])[0], "Level": 6.0}]
    with pytest.raises(ClientError) as raised:  # the model's maximum, checked server-side
        connect_client.associate_user_proficiencies(**ids, UserProficiencies=six)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"
    assert listed(connect_client, ids) == []


def test_update_only_what_is_associated(connect_client) -> None:
    ids = new_user(connect_client)
    assert (
        code_of(
            connect_client.update_user_proficiencies,
            **ids,
            UserProficiencies=as_connect([SPANISH_2]),
        )
        == "InvalidRequestException"
    )


def test_associating_again_is_refused_by_default(connect_client) -> None:
    ids = new_user(connect_client)
    connect_client.associate_user_proficiencies(**ids, UserProficiencies=as_connect([ENGLISH_4]))
    assert (
        code_of(
            connect_client.associate_user_proficiencies,
            **ids,
            UserProficiencies=as_connect([proficiency("Language", "English", 1)]),
        )
        == "InvalidRequestException"
    )
    assert listed(connect_client, ids) == as_connect([ENGLISH_4])


def test_associating_again_updates_the_level_when_started_so(start_emulator) -> None:
    _, client = start_emulator(proficiency_repeat=ProficiencyRepeat.UPDATE)
    ids = new_user(client)
    client.associate_user_proficiencies(**ids, UserProficiencies=as_connect([ENGLISH_4]))
    again = as_connect([proficiency("Language", "English", 1)])
    client.associate_user_proficiencies(**ids, UserProficiencies=again)
    assert listed(client, ids) == again


def test_a_missing_user_is_not_found(connect_client) -> None:
    ids = {"InstanceId": CONNECT_MANAGED.id, "UserId": "00000000-0000-4000-8000-000000000000"}
    assert code_of(connect_client.list_user_proficiencies, **ids) == "ResourceNotFoundException"


def test_deleting_the_user_drops_its_proficiencies_from_view(connect_client) -> None:
    ids = new_user(connect_client)
    connect_client.associate_user_proficiencies(**ids, UserProficiencies=as_connect([ENGLISH_4]))
    connect_client.delete_user(**ids)
    again = new_user(connect_client)
    assert listed(connect_client, again) == []


def test_faults_apply_to_proficiency_calls(start_emulator) -> None:
    emulator, client = start_emulator(clock=ManualClock())
    ids = new_user(client)
    emulator.faults.fail_next("AssociateUserProficiencies", 1, "commit_then_drop")
    with pytest.raises(CONNECTION_ERRORS):  # the answer is lost: a dropped connection
        client.associate_user_proficiencies(**ids, UserProficiencies=as_connect([ENGLISH_4]))
    assert listed(client, ids) == as_connect([ENGLISH_4])  # but the write happened
    emulator.faults.fail_next("ListUserProficiencies", 1, "ThrottlingException")
    assert code_of(client.list_user_proficiencies, **ids) == "ThrottlingException"
    writes = [e.operation for e in emulator.requests.entries()]
    assert "AssociateUserProficiencies" in writes


def test_state_file_keeps_proficiencies(start_emulator, tmp_path) -> None:
    path = tmp_path / "state.json"
    first, client = start_emulator(state_file=path)
    ids = new_user(client)
    client.associate_user_proficiencies(**ids, UserProficiencies=as_connect([SPANISH_2]))
    first.stop()
    _, again = start_emulator(state_file=path)
    assert listed(again, ids) == as_connect([SPANISH_2])


def test_create_and_list_predefined_attributes(connect_client) -> None:
    instance = {"InstanceId": CONNECT_MANAGED.id}
    connect_client.create_predefined_attribute(
        **instance, Name="Region", Values={"StringList": ["EMEA", "APAC"]}
    )
    names = [
        a["Name"]
        for a in connect_client.list_predefined_attributes(**instance)[
            "PredefinedAttributeSummaryList"
        ]
    ]
    assert set(names) == {*PREDEFINED_ATTRIBUTES, "Region"}
    assert (
        code_of(
            connect_client.create_predefined_attribute,
            **instance,
            Name="Language",
            Values={"StringList": ["Welsh"]},
        )
        == "DuplicateResourceException"
    )
    ids = new_user(connect_client)
    connect_client.associate_user_proficiencies(
        **ids, UserProficiencies=as_connect([proficiency("Region", "APAC", 2)])
    )
    assert listed(connect_client, ids) == as_connect([proficiency("Region", "APAC", 2)])


def test_reset_forgets_created_attributes(connect_client, emulator) -> None:
    instance = {"InstanceId": CONNECT_MANAGED.id}
    connect_client.create_predefined_attribute(
        **instance, Name="Shift", Values={"StringList": ["Night"]}
    )
    emulator.reset()
    summaries = connect_client.list_predefined_attributes(**instance)
    assert "Shift" not in [a["Name"] for a in summaries["PredefinedAttributeSummaryList"]]

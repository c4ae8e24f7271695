"""The emulator's fidelity choices (connect_emulator/fidelity.py, the README's ledger): the
observed default and the other reading of each, at start-up from Python and the command line."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from connect_emulator.__main__ import configured
from connect_emulator.fidelity import Fidelity, UsernameLimits
from connect_emulator.seed import CONNECT_MANAGED, EXISTING_DIRECTORY, SAML, SeedInstance
from tests.testdata import (
    ENGLISH_4,
    SAML_EMAIL_USERNAME,
    TERRAFORM_USERNAME,
    as_connect,
    minimal_create_params,
)


def _code(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**params)
    return str(raised.value.response["Error"]["Code"])


def _describe(client: Any, instance: SeedInstance, **overrides: Any) -> dict[str, Any]:
    created = client.create_user(**minimal_create_params(instance, **overrides))
    user: dict[str, Any] = client.describe_user(InstanceId=instance.id, UserId=created["UserId"])[
        "User"
    ]
    return user


# --- usernames ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance", "username"),
    [(CONNECT_MANAGED, TERRAFORM_USERNAME), (SAML, SAML_EMAIL_USERNAME), (SAML, "s" * 100)],
)
def test_observed_usernames_are_taken_by_default(start_emulator, instance, username):
    _, client = start_emulator()
    assert _describe(client, instance, Username=username)["Username"] == username


@pytest.mark.parametrize(
    ("instance", "refused", "taken"),
    [
        (CONNECT_MANAGED, TERRAFORM_USERNAME, "u" * 20),
        (EXISTING_DIRECTORY, "d" * 21, "d" * 20),
        (SAML, SAML_EMAIL_USERNAME, "s" * 64),
    ],
)
def test_the_references_limits_are_an_option(start_emulator, instance, refused, taken):
    _, client = start_emulator(fidelity={"username_limits": "reference"})
    params = minimal_create_params(instance, Username=refused)
    assert _code(client.create_user, **params) == "InvalidParameterException"
    assert _describe(client, instance, Username=taken)["Username"] == taken


# --- DirectoryUserId and the soft phone's DeskPhoneNumber -----------------------------------


def test_every_user_gets_a_directory_user_id_and_a_given_one_is_kept(start_emulator):
    _, client = start_emulator()
    assert uuid.UUID(_describe(client, CONNECT_MANAGED)["DirectoryUserId"])
    assert uuid.UUID(_describe(client, SAML)["DirectoryUserId"])
    given = _describe(client, EXISTING_DIRECTORY, DirectoryUserId="corp-4711")
    assert given["DirectoryUserId"] == "corp-4711"


@pytest.mark.parametrize(("form", "expected"), [("username", "agent1"), ("none", None)])
def test_the_form_on_saml_and_directory_instances_is_an_option(start_emulator, form, expected):
    _, client = start_emulator(fidelity={"directory_user_id": form})
    for instance in (SAML, EXISTING_DIRECTORY):
        assert _describe(client, instance).get("DirectoryUserId") == expected
    assert uuid.UUID(_describe(client, CONNECT_MANAGED)["DirectoryUserId"])


@pytest.mark.parametrize(("choice", "shown"), [("empty", ""), ("absent", None)])
def test_a_soft_phones_desk_number(start_emulator, choice, shown):
    _, client = start_emulator(fidelity={"soft_phone_desk": choice})
    assert _describe(client, CONNECT_MANAGED)["PhoneConfig"].get("DeskPhoneNumber") == shown
    desk = {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"}
    described = _describe(client, CONNECT_MANAGED, Username="desk", PhoneConfig=desk)
    assert described["PhoneConfig"]["DeskPhoneNumber"] == "+12065550100"


# --- SearchUsers' units ---------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "factor"), [("milliseconds", 1000), ("seconds", 1)])
def test_search_users_per_channel_acw_unit(start_emulator, unit, factor):
    _, client = start_emulator(fidelity={"search_channel_acw_unit": unit})
    acw = [
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 600}},
        {
            "Channel": "VOICE",
            "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30},
            "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 5},
        },
    ]
    phone = {"PhoneType": "SOFT_PHONE"}
    client.create_user(
        **minimal_create_params(CONNECT_MANAGED, PhoneConfig=phone, AfterContactWorkConfigs=acw)
    )
    (found,) = client.search_users(InstanceId=CONNECT_MANAGED.id)["Users"]
    by_channel = {e["Channel"]: e for e in found["AfterContactWorkConfigs"]}
    assert by_channel["CHAT"]["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"] == 600 * factor
    voice = by_channel["VOICE"]
    assert voice["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"] == 30 * factor
    assert voice["AgentFirstCallbackAfterContactWorkConfig"]["AfterContactWorkTimeLimit"] == (
        5 * factor
    )
    assert found["PhoneConfig"]["AfterContactWorkTimeLimit"] == 30_000  # documented: always ms
    # DescribeUser answers seconds whatever the option.
    described = client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=found["Id"])["User"]
    assert described["AfterContactWorkConfigs"] == [acw[1], acw[0]]  # in channel order


# --- proficiency levels ---------------------------------------------------------------------


def test_whole_levels_only_is_an_option(start_emulator):
    _, client = start_emulator(fidelity={"proficiency_levels": "whole"})
    created = client.create_user(**minimal_create_params())
    ids = {"InstanceId": CONNECT_MANAGED.id, "UserId": created["UserId"]}
    half = [{**as_connect([ENGLISH_4])[0], "Level": 2.5}]
    code = _code(client.associate_user_proficiencies, **ids, UserProficiencies=half)
    assert code == "InvalidParameterException"
    client.associate_user_proficiencies(**ids, UserProficiencies=as_connect([ENGLISH_4]))


# --- start-up ---------------------------------------------------------------------------------


def test_the_command_line_sets_every_choice_and_defaults_to_the_observed_reading():
    emulator, _ = configured([])
    assert emulator.service.settings.fidelity == Fidelity()
    emulator, _ = configured(
        [
            "--username-limits=reference",
            "--directory-user-id=none",
            "--soft-phone-desk=absent",
            "--search-channel-acw-unit=seconds",
            "--proficiency-levels=whole",
        ]
    )
    assert emulator.service.settings.fidelity.as_json() == {
        "username_limits": "reference",
        "directory_user_id": "none",
        "soft_phone_desk": "absent",
        "search_channel_acw_unit": "seconds",
        "proficiency_levels": "whole",
    }
    assert Fidelity().username_limits is UsernameLimits.OBSERVED


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValueError, match="unknown fidelity choice"):
        Fidelity.of({"username_limit": "reference"})

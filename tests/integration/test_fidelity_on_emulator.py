"""Issue 21 through the production entrypoint against the emulator over HTTP, under each
reading of what the CreateUser reference and real Connect disagree on (the emulator's fidelity
choices, connect_emulator/fidelity.py): usernames beyond the reference's 20 and 64, the
DirectoryUserId Connect assigns to every user, a soft phone's empty DeskPhoneNumber,
proficiency levels such as 2.5, and the unit of SearchUsers' per-channel ACW."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from aws_connect_user import handlers, schema
from connect_emulator import COMMIT_THEN_DROP, Emulator
from connect_emulator.operations import WRITE_OPERATIONS
from connect_emulator.seed import EXISTING_DIRECTORY, SAML, SeedInstance

from ..handlers.support import MI, event, properties
from ..testdata import ENGLISH_4, SAML_EMAIL_USERNAME, TERRAFORM_USERNAME

pytestmark = pytest.mark.emulator


@pytest.fixture
def start(
    start_emulator: Callable[..., tuple[Emulator, Any]],
    point_handler: Callable[[Emulator], Emulator],
) -> Callable[..., Emulator]:
    """start(**fidelity): an emulator with those choices, the handler pointed at it."""

    def started(**fidelity: str) -> Emulator:
        emulator, _ = start_emulator(fidelity=fidelity)
        return point_handler(emulator)

    return started


def call(e: dict[str, Any]) -> dict[str, Any]:
    response = handlers.resource(e, None)
    assert isinstance(response, dict)
    return dict(json.loads(json.dumps(response)))  # what CloudFormation receives


def created(props: dict[str, Any]) -> dict[str, Any]:
    response = call(event("CREATE", props))
    assert response["status"] == "SUCCESS", response
    return {**props, "UserArn": response["resourceModel"]["UserArn"]}


def writes(emulator: Emulator) -> list[str | None]:
    return [op for op in emulator.requests.operations() if op in WRITE_OPERATIONS]


def sent(emulator: Emulator, operation: str) -> list[dict[str, Any]]:
    return [e.params or {} for e in emulator.requests.entries() if e.operation == operation]


def live(emulator: Emulator, arn: str, instance: SeedInstance = MI) -> dict[str, Any]:
    user: dict[str, Any] = emulator.execute(
        "DescribeUser", {"InstanceId": instance.id, "UserId": arn.rsplit("/", 1)[1]}
    )["User"]
    return user


def renamed(props: dict[str, Any], first: str) -> dict[str, Any]:
    return {**props, "IdentityInfo": {**props["IdentityInfo"], "FirstName": first}}


# --- usernames ------------------------------------------------------------------------------

LONG_NAMES = [
    pytest.param(MI, TERRAFORM_USERNAME, id="connect-managed-43"),
    pytest.param(SAML, SAML_EMAIL_USERNAME, id="saml-email-82"),
]


@pytest.mark.parametrize(("instance", "username"), LONG_NAMES)
def test_a_long_username_creates_reads_updates_and_deletes_cleanly(start, instance, username):
    emulator = start()
    declared = created(properties(instance, Username=username))
    arn = declared["UserArn"]
    read = call(event("READ", declared))
    assert read["status"] == "SUCCESS", read
    assert read["resourceModel"]["Username"] == username
    assert "DirectoryUserId" not in read["resourceModel"]  # never declared: no drift
    emulator.requests.clear()
    changed = renamed(declared, "Grace")
    assert call(event("UPDATE", changed, previous=declared))["status"] == "SUCCESS"
    assert writes(emulator) == ["UpdateUserIdentityInfo"]
    assert call(event("DELETE", {"UserArn": arn}))["status"] == "SUCCESS"
    assert call(event("READ", {"UserArn": arn}))["errorCode"] == "NotFound"


@pytest.mark.parametrize(("instance", "username"), LONG_NAMES)
def test_under_the_references_limits_connect_refuses_and_nothing_is_left(start, instance, username):
    emulator = start(username_limits="reference")
    response = call(event("CREATE", properties(instance, Username=username)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest")
    assert response["message"].startswith("Username: was refused by Connect: ")
    assert "(CreateUser: InvalidParameterException)" in response["message"]
    assert writes(emulator) == ["CreateUser"]
    assert not emulator.state.instances[instance.id].users


# --- DirectoryUserId ------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["uuid", "username", "none"])
@pytest.mark.parametrize("instance", [MI, SAML])
def test_a_connect_assigned_directory_user_id_never_shows_as_drift(start, form, instance):
    emulator = start(directory_user_id=form)
    declared = created(properties(instance))
    arn = declared["UserArn"]
    assigned = live(emulator, arn, instance).get("DirectoryUserId")
    read = call(event("READ", declared))["resourceModel"]
    assert "DirectoryUserId" not in read
    # Read by identifier (import) says what Connect holds.
    by_id = call(event("READ", {"UserArn": arn}))["resourceModel"]
    assert by_id.get("DirectoryUserId") == assigned
    emulator.requests.clear()
    # A no-op update writes nothing; an identity update never trips the create-only check,
    # nor does one whose previous state is what the read by identifier reported.
    assert call(event("UPDATE", declared, previous=declared))["status"] == "SUCCESS"
    assert writes(emulator) == []
    changed = renamed(declared, "Grace")
    response = call(event("UPDATE", changed, previous=declared))
    assert response["status"] == "SUCCESS", response
    assert "DirectoryUserId" not in response["resourceModel"]
    assert writes(emulator) == ["UpdateUserIdentityInfo"]


@pytest.mark.parametrize("instance", [MI, SAML])
def test_a_replacement_never_sends_the_assigned_id_back_to_create_user(start, instance):
    """CloudFormation replaces the user with what it holds as the resource's state (the
    create's and update's answers) and a new Username: no DirectoryUserId goes to Connect."""
    emulator = start()
    first = created(properties(instance))
    held = call(event("UPDATE", renamed(first, "Grace"), previous=first))["resourceModel"]
    replacement = {**held, "Username": "agent2"}
    replacement.pop("UserArn"), replacement.pop("UserId")
    if instance == MI:
        replacement["Password"] = first["Password"]
    created(replacement)
    assert all("DirectoryUserId" not in params for params in sent(emulator, "CreateUser"))


def test_a_declared_directory_user_id_reads_back_and_updates_cleanly(start):
    emulator = start()
    declared = created(properties(EXISTING_DIRECTORY, DirectoryUserId="corp-4711"))
    assert call(event("READ", declared))["resourceModel"]["DirectoryUserId"] == "corp-4711"
    emulator.requests.clear()
    changed = renamed(declared, "Grace")
    assert call(event("UPDATE", changed, previous=declared))["status"] == "SUCCESS"
    assert writes(emulator) == ["UpdateUserIdentityInfo"]
    moved = {**declared, "DirectoryUserId": "corp-4712"}
    response = call(event("UPDATE", moved, previous=declared))
    assert (response["status"], response["errorCode"]) == ("FAILED", "NotUpdatable")


# --- a soft phone's DeskPhoneNumber ---------------------------------------------------------


@pytest.mark.parametrize("choice", ["empty", "absent"])
def test_a_soft_phones_empty_desk_number_is_neither_read_nor_written(start, choice):
    emulator = start(soft_phone_desk=choice)
    declared = created(properties())
    assert "DeskPhoneNumber" not in call(event("READ", declared))["resourceModel"]["PhoneConfig"]
    emulator.requests.clear()
    auto = {**declared, "PhoneConfig": {**declared["PhoneConfig"], "AutoAccept": "true"}}
    assert call(event("UPDATE", auto, previous=declared))["status"] == "SUCCESS"
    (phone,) = [p["PhoneConfig"] for p in sent(emulator, "UpdateUserPhoneConfig")]
    assert "DeskPhoneNumber" not in phone


# --- proficiency levels ---------------------------------------------------------------------


def level_of(model: dict[str, Any]) -> Any:
    (item,) = model["UserProficiencies"]
    return item["Level"]


@pytest.mark.parametrize(("written", "read_back"), [("3", 3), ("3.0", 3.0), (3.0, 3.0), (3, 3)])
def test_a_level_is_a_number_and_its_form_alone_writes_nothing(start, written, read_back):
    emulator = start()
    declared = created(properties(UserProficiencies=[{**ENGLISH_4, "Level": written}]))
    read = call(event("READ", declared))["resourceModel"]
    assert level_of(read) == read_back and type(level_of(read)) is type(read_back)
    emulator.requests.clear()
    for form in ("3", "3.0", 3, 3.0):
        other = {**declared, "UserProficiencies": [{**ENGLISH_4, "Level": form}]}
        assert call(event("UPDATE", other, previous=declared))["status"] == "SUCCESS"
    assert writes(emulator) == []


def test_a_level_set_elsewhere_reads_back_within_the_schema_and_is_repaired(start):
    emulator = start()
    declared = created(properties(UserProficiencies=[{**ENGLISH_4, "Level": "3"}]))
    user_id = declared["UserArn"].rsplit("/", 1)[1]
    half = [{**ENGLISH_4, "Level": 2.5}]
    emulator.execute(
        "UpdateUserProficiencies",
        {"InstanceId": MI.id, "UserId": user_id, "UserProficiencies": half},
    )
    read = call(event("READ", declared))
    assert read["status"] == "SUCCESS", read
    assert level_of(read["resourceModel"]) == 2.5
    assert schema.validation_errors(read["resourceModel"], partial=True) == []
    emulator.requests.clear()
    assert call(event("UPDATE", declared, previous=declared))["status"] == "SUCCESS"
    assert writes(emulator) == ["UpdateUserProficiencies"]


@pytest.mark.parametrize(("levels", "outcome"), [("any", "SUCCESS"), ("whole", "FAILED")])
def test_a_half_level_under_each_reading(start, levels, outcome):
    emulator = start(proficiency_levels=levels)
    props = properties(UserProficiencies=[{**ENGLISH_4, "Level": "2.5"}])
    response = call(event("CREATE", props))
    assert response["status"] == outcome, response
    if outcome == "FAILED":  # Connect refused it: the create undid itself
        assert response["errorCode"] == "InvalidRequest"
        assert "level 2.5" in response["message"]
        assert "not a number" not in response["message"]
        assert not emulator.state.instances[MI.id].users
    else:
        read = call(event("READ", {**props, **response["resourceModel"]}))["resourceModel"]
        assert level_of(read) == 2.5


# --- SearchUsers' units ---------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["milliseconds", "seconds"])
def test_a_lost_create_finds_its_user_whatever_searchusers_unit(start, unit):
    """The create's recovery reads SearchUsers' summaries (never their ACW): it finds its own
    user under either unit of the per-channel AfterContactWorkConfigs."""
    emulator = start(search_channel_acw_unit=unit)
    emulator.faults.fail_next("CreateUser", fault=COMMIT_THEN_DROP)
    acw = [{"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": "600"}}]
    phone = {"PhoneType": "SOFT_PHONE"}
    declared = created(properties(PhoneConfig=phone, AfterContactWorkConfigs=acw))
    assert "SearchUsers" in emulator.requests.operations()
    assert len(emulator.state.instances[MI.id].users) == 1
    read = call(event("READ", declared))["resourceModel"]
    assert read["AfterContactWorkConfigs"] == [
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 600}}
    ]

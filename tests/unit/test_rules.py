"""rules: Connect's identity-management rules and the checks the schema cannot express."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from aws_connect_user import rules
from aws_connect_user.rules import (
    MARKER_TAG_KEY,
    Violation,
    identity_type_rules,
    model_rules,
    not_updatable,
    update_rules,
)
from connect_emulator.seed import CONNECT_MANAGED as MI
from connect_emulator.seed import EXISTING_DIRECTORY as DI
from connect_emulator.seed import SAML as SI

from .models_support import SENTINEL, model

CM, SAML, ED = "CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"


def props_of(found: list[Violation]) -> list[str]:
    return [v.property for v in found]


class TestIdentityTypeRules:
    @pytest.mark.parametrize("instance", [MI, SI, DI])
    def test_the_canonical_user_of_each_type_passes(self, instance) -> None:
        found = identity_type_rules(model(instance), instance.identity_management_type)
        assert found == []

    def test_connect_managed_requires_a_password(self) -> None:
        assert props_of(identity_type_rules(model(Password=None), CM)) == ["Password"]

    @pytest.mark.parametrize("identity_type", [CM, SAML])
    @pytest.mark.parametrize("missing", ["FirstName", "LastName"])
    def test_names_are_required_on_connect_managed_and_saml(self, identity_type, missing) -> None:
        names = {"FirstName": "Ada", "LastName": "Lovelace"}
        del names[missing]
        found = identity_type_rules(model(IdentityInfo=names, Password=None), identity_type)
        assert f"IdentityInfo/{missing}" in props_of(found)

    @pytest.mark.parametrize("identity_type", [CM, SAML])
    def test_no_identity_info_at_all_names_both(self, identity_type) -> None:
        found = identity_type_rules(model(IdentityInfo=None), identity_type)
        assert {"IdentityInfo/FirstName", "IdentityInfo/LastName"} <= set(props_of(found))

    def test_existing_directory_needs_no_names(self) -> None:
        assert identity_type_rules(model(DI, IdentityInfo=None), ED) == []

    @pytest.mark.parametrize("identity_type", [SAML, ED])
    def test_a_password_is_forbidden_outside_connect_managed(self, identity_type) -> None:
        found = identity_type_rules(model(Password=SENTINEL), identity_type)
        assert props_of(found) == ["Password"]
        assert "must not be set" in found[0].rule

    def test_saml_forbids_directory_user_id(self) -> None:
        found = identity_type_rules(model(SI, DirectoryUserId="dir-1"), SAML)
        assert props_of(found) == ["DirectoryUserId"]

    @pytest.mark.parametrize("identity_type", [CM, ED])
    def test_directory_user_id_is_allowed_elsewhere(self, identity_type) -> None:
        m = model(DirectoryUserId="dir-1", Password=SENTINEL if identity_type == CM else None)
        assert identity_type_rules(m, identity_type) == []

    @pytest.mark.parametrize(("identity_type", "limit"), [(CM, 20), (SAML, 64), (ED, 20)])
    def test_username_length_limit(self, identity_type, limit) -> None:
        password = SENTINEL if identity_type == CM else None
        ok = model(Username="u" * limit, Password=password)
        assert identity_type_rules(ok, identity_type) == []
        over = identity_type_rules(
            model(Username="u" * (limit + 1), Password=password), identity_type
        )
        assert props_of(over) == ["Username"]
        assert str(limit) in over[0].rule

    def test_messages_never_repeat_the_password(self) -> None:
        found = identity_type_rules(model(Password=SENTINEL), SAML)
        assert SENTINEL not in rules.describe(found)


class TestModelRules:
    def test_canonical_model_passes(self) -> None:
        assert model_rules(model()) == []

    @pytest.mark.parametrize("username", ["ada@example.com", "a.b-c_d@mail.example.co.uk"])
    def test_at_is_allowed_in_an_email_shaped_username(self, username: str) -> None:
        assert model_rules(model(Username=username)) == []

    @pytest.mark.parametrize(
        "username", ["ada@", "@example.com", "ada@example", "a@b@example.com", "ada@example.c"]
    )
    def test_at_elsewhere_is_refused(self, username: str) -> None:
        assert props_of(model_rules(model(Username=username))) == ["Username"]

    @pytest.mark.parametrize("name", ["FirstName", "LastName"])
    def test_names_must_be_nfc(self, name: str) -> None:
        decomposed = unicodedata.normalize("NFD", "Zoé")
        assert decomposed != "Zoé" and len(decomposed) == 4
        names = {"FirstName": "Ada", "LastName": "Lovelace", name: decomposed}
        found = model_rules(model(IdentityInfo=names))
        assert props_of(found) == [f"IdentityInfo/{name}"]
        assert decomposed not in rules.describe(found)
        composed = {**names, name: "Zoé"}
        assert model_rules(model(IdentityInfo=composed)) == []

    def test_desk_phone_needs_a_number(self) -> None:
        found = model_rules(model(PhoneConfig={"PhoneType": "DESK_PHONE"}))
        assert props_of(found) == ["PhoneConfig/DeskPhoneNumber"]
        ok = model(PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"})
        assert model_rules(ok) == []

    @pytest.mark.parametrize(
        ("prop", "value"),
        [
            ("SecurityProfileIds", [MI.child_id("security", 1), SI.child_arn("security", 1)]),
            ("RoutingProfileId", SI.child_arn("routing", 1)),
            ("HierarchyGroupId", SI.child_arn("hierarchy", 1)),
        ],
    )
    @pytest.mark.parametrize("instance_form", ["id", "arn"])
    def test_arns_of_another_instance_are_refused(self, prop, value, instance_form) -> None:
        instance = MI.id if instance_form == "id" else MI.arn
        assert props_of(model_rules(model(InstanceId=instance, **{prop: value}))) == [prop]

    def test_arns_of_the_same_instance_are_fine(self) -> None:
        m = model(
            InstanceId=MI.arn,
            SecurityProfileIds=[MI.child_arn("security", 1), MI.child_id("security", 2)],
            RoutingProfileId=MI.child_arn("routing", 1),
            HierarchyGroupId=MI.child_arn("hierarchy", 1),
        )
        assert model_rules(m) == []

    def test_duplicate_tag_keys(self) -> None:
        tags = [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}]
        found = model_rules(model(Tags=tags))
        assert props_of(found) == ["Tags"]
        assert "team" in found[0].rule

    def test_the_marker_key_is_reserved(self) -> None:
        found = model_rules(model(Tags=[{"Key": MARKER_TAG_KEY, "Value": "x"}]))
        assert props_of(found) == ["Tags"]
        assert "reserved" in found[0].rule

    def test_all_violations_are_reported_together(self) -> None:
        m = model(
            Username="x@y",
            PhoneConfig={"PhoneType": "DESK_PHONE"},
            RoutingProfileId=SI.child_arn("routing", 1),
        )
        assert props_of(model_rules(m)) == [
            "Username",
            "PhoneConfig/DeskPhoneNumber",
            "RoutingProfileId",
        ]
        assert rules.describe(model_rules(m)).count("; ") == 2


class TestUpdateRules:
    def test_names_stay_required_when_the_live_user_has_them(self) -> None:
        m = model(IdentityInfo={"Email": "ada@example.com"})
        assert set(props_of(update_rules(m, names_required=True))) == {
            "IdentityInfo/FirstName",
            "IdentityInfo/LastName",
        }
        assert update_rules(m, names_required=False) == []

    def test_model_rules_apply_to_updates(self) -> None:
        m = model(PhoneConfig={"PhoneType": "DESK_PHONE"})
        assert props_of(update_rules(m, names_required=False)) == ["PhoneConfig/DeskPhoneNumber"]


def live(**overrides: Any) -> dict[str, Any]:
    user = {"Id": "u-1", "Arn": f"{MI.arn}/agent/u-1", "Username": "agent1"}
    user.update(overrides)
    return user


class TestNotUpdatable:
    def test_nothing_changed(self) -> None:
        assert not_updatable(model(), model(), live(), MI.id) == []

    def test_same_instance_by_arn_is_no_change(self) -> None:
        assert not_updatable(model(InstanceId=MI.arn), model(), live(), MI.id) == []

    def test_instance(self) -> None:
        found = not_updatable(model(InstanceId=SI.id), model(), live(), MI.id)
        assert props_of(found) == ["InstanceId"]

    def test_username_against_the_live_user(self) -> None:
        found = not_updatable(model(Username="agent2"), model(), live(), MI.id)
        assert props_of(found) == ["Username"]

    @pytest.mark.parametrize(
        ("desired", "previous", "live_value"),
        [
            ("dir-2", {"DirectoryUserId": "dir-1"}, "dir-1"),  # changed in the template
            (None, {"DirectoryUserId": "dir-1"}, "dir-1"),  # removed from the template
            ("dir-1", {}, None),  # added in the template
            ("dir-2", None, "dir-1"),  # no previous state: differs from the live user
        ],
    )
    def test_directory_user_id(self, desired, previous, live_value) -> None:
        found = not_updatable(
            model(DirectoryUserId=desired),
            None if previous is None else model(**previous),
            live(DirectoryUserId=live_value),
            MI.id,
        )
        assert props_of(found) == ["DirectoryUserId"]

    def test_directory_user_id_unchanged(self) -> None:
        m = model(DirectoryUserId="dir-1")
        assert not_updatable(m, m, live(DirectoryUserId="dir-1"), MI.id) == []

    def test_a_password_change_is_never_refused(self) -> None:
        assert not_updatable(model(Password="0ther-Pa55word"), model(), live(), MI.id) == []

    def test_a_password_change_is_noticed_both_ways(self) -> None:
        assert rules.password_changed(model(Password="0ther-Pa55word"), model())
        assert rules.password_changed(model(), model(Password="0ther-Pa55word"))
        assert not rules.password_changed(model(), model())
        assert not rules.password_changed(model(), None)

    def test_unchanged_or_removed_password_is_fine(self) -> None:
        assert not_updatable(model(), model(), live(), MI.id) == []
        assert not_updatable(model(Password=None), model(), live(), MI.id) == []

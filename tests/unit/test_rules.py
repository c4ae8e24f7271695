"""rules: Connect's identity-management rules and the checks the schema cannot express."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from aws_connect_user import rules, schema
from aws_connect_user.models import ResourceModel
from aws_connect_user.rules import (
    MARKER_TAG_KEY,
    READ_ONLY_RULE,
    Violation,
    create_violations,
    identity_type_rules,
    model_rules,
    not_updatable,
    update_rules,
    update_violations,
)
from aws_connect_user.runtime import build_model
from connect_emulator.seed import CONNECT_MANAGED as MI
from connect_emulator.seed import EXISTING_DIRECTORY as DI
from connect_emulator.seed import SAML as SI

from ..testdata import OTHER_PASSWORD, PASSWORD, SAML_EMAIL_USERNAME, TERRAFORM_USERNAME
from ..testdata import live_user as live  # DescribeUser's answer
from .models_support import model, props

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
        found = identity_type_rules(model(Password=PASSWORD), identity_type)
        assert props_of(found) == ["Password"]
        assert "must not be set" in found[0].rule

    def test_saml_forbids_directory_user_id(self) -> None:
        found = identity_type_rules(model(SI, DirectoryUserId="dir-1"), SAML)
        assert props_of(found) == ["DirectoryUserId"]

    @pytest.mark.parametrize("identity_type", [CM, ED])
    def test_directory_user_id_is_allowed_elsewhere(self, identity_type) -> None:
        m = model(DirectoryUserId="dir-1", Password=PASSWORD if identity_type == CM else None)
        assert identity_type_rules(m, identity_type) == []

    def test_messages_never_repeat_the_password(self) -> None:
        found = identity_type_rules(model(Password=PASSWORD), SAML)
        assert PASSWORD not in rules.describe(found)


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

    def test_a_property_the_schema_faults_is_no_change(self) -> None:
        m, found = checked(DirectoryUserId="")  # left out of the model: not "removed"
        assert not_updatable(m, model(DirectoryUserId="dir-1"), live(), MI.id, found) == []
        assert props_of(not_updatable(m, model(DirectoryUserId="dir-1"), live(), MI.id)) == [
            "DirectoryUserId"
        ]

    def test_directory_user_id_unchanged(self) -> None:
        m = model(DirectoryUserId="dir-1")
        assert not_updatable(m, m, live(DirectoryUserId="dir-1"), MI.id) == []

    def test_a_password_change_is_never_refused(self) -> None:
        assert not_updatable(model(Password=OTHER_PASSWORD), model(), live(), MI.id) == []

    def test_a_password_change_is_noticed_both_ways(self) -> None:
        assert rules.password_changed(model(Password=OTHER_PASSWORD), model())
        assert rules.password_changed(model(), model(Password=OTHER_PASSWORD))
        assert not rules.password_changed(model(), model())
        assert not rules.password_changed(model(), None)

    def test_unchanged_or_removed_password_is_fine(self) -> None:
        assert not_updatable(model(), model(), live(), MI.id) == []
        assert not_updatable(model(Password=None), model(), live(), MI.id) == []


class TestUsernames:
    """No bound per instance type before any write (issue 21): real instances take the
    43-character CONNECT_MANAGED and 82-character SAML usernames the reference's 20 and 64
    would refuse; the schema's 1-100 is the API's."""

    @pytest.mark.parametrize(
        ("identity_type", "username"),
        [(CM, TERRAFORM_USERNAME), (ED, "d" * 100), (SAML, SAML_EMAIL_USERNAME)],
    )
    def test_no_instance_bound_before_any_write(self, identity_type, username) -> None:
        names = {"FirstName": "Ada", "LastName": "Lovelace"}
        m = model(
            Username=username,
            Password=PASSWORD if identity_type == CM else None,
            IdentityInfo=names,
        )
        assert create_violations(m, identity_type) == []
        assert create_violations(m, None) == []

    def test_an_at_sign_outside_an_email_address_is_still_refused_everywhere(self) -> None:
        assert props_of(model_rules(model(Username="first@last"))) == ["Username"]


def checked(**overrides: Any) -> tuple[ResourceModel, list[Violation]]:
    """A create request as the runtime passes it on: the model without what broke the
    schema, and the schema's violations."""
    result = schema.check(props(**overrides), partial=False)
    return build_model(result.data), result.violations


USERNAME_WORDS = (
    "1 to 100 characters (the API's bound) of letters, digits and _ . @ -, with @ only in an "
    "email address such as ada@example.com"
)
PASSWORD_RULE = (
    "must be 8 to 64 characters without spaces, with at least one upper-case letter (A-Z), "
    "one lower-case letter (a-z) and one digit"
)


class TestCreateViolations:
    def test_a_valid_request(self) -> None:
        m, found = checked()
        assert create_violations(m, CM, found) == []

    def test_schema_and_handler_rules_in_one_message_in_the_schema_order(self) -> None:
        m, found = checked(
            Colour="red",
            PhoneConfig={"PhoneType": "DESK_PHONE"},
            Password="weak",
            Username="u" * 101,
            IdentityInfo={"Email": "ada@example.com"},
            RoutingProfileId=SI.child_arn("routing", 1),
        )
        assert rules.describe(create_violations(m, CM, found)) == "; ".join(
            [
                f"Username: must be {USERNAME_WORDS}",
                f"Password: {PASSWORD_RULE}",
                "IdentityInfo/FirstName: is required on a CONNECT_MANAGED instance",
                "IdentityInfo/LastName: is required on a CONNECT_MANAGED instance",
                "PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE",
                "RoutingProfileId: names an ARN of another instance than InstanceId",
                "Colour: is not a property of AWS::Connect::User",
            ]
        )

    def test_a_rule_does_not_echo_a_schema_fault(self) -> None:
        # The weak Password is left out of the model the rules see: not "is required" too.
        m, found = checked(Password="weak", IdentityInfo={"FirstName": "", "LastName": "L"})
        assert [str(v) for v in create_violations(m, CM, found)] == [
            f"Password: {PASSWORD_RULE}",
            "IdentityInfo/FirstName: must be 1 to 255 characters",
        ]

    @pytest.mark.parametrize("identity_type", [CM, SAML, ED, None])
    def test_only_the_apis_username_bound_holds_before_any_write(self, identity_type) -> None:
        m, found = checked(Username="u" * 101, InstanceId="bad id!")
        assert props_of(create_violations(m, identity_type, found))[:2] == [
            "InstanceId",
            "Username",
        ]
        m, found = checked(Username="u" * 100)
        assert "Username" not in props_of(create_violations(m, identity_type, found))

    @pytest.mark.parametrize("prop", ["UserId", "UserArn"])
    def test_a_read_only_property_is_refused_on_create(self, prop) -> None:
        m, found = checked(**{prop: f"{MI.arn}/agent/u-1"})
        assert create_violations(m, CM, found) == [Violation(prop, READ_ONLY_RULE)]
        assert str(create_violations(m, CM, found)[0]) == (
            f"{prop}: is read-only and cannot be set on create: Amazon Connect assigns it to "
            "the new user (read it with Fn::GetAtt)"
        )

    def test_a_malformed_read_only_property_is_refused_as_read_only(self) -> None:
        m, found = checked(UserArn="not an arn", UserId="u-1")
        assert found != []
        assert create_violations(m, CM, found) == [
            Violation("UserId", READ_ONLY_RULE),
            Violation("UserArn", READ_ONLY_RULE),
        ]

    def test_the_password_never_appears(self) -> None:
        m, found = checked(Password=PASSWORD.lower())
        assert PASSWORD.lower() not in rules.describe(create_violations(m, SAML, found))


class TestUpdateViolations:
    def test_schema_and_update_rules_in_one_message(self) -> None:
        m, found = checked(
            IdentityInfo={"Email": "ada@example.com"},
            PhoneConfig={"PhoneType": "DESK_PHONE", "AfterContactWorkTimeLimit": -1},
        )
        assert [
            str(v) for v in update_violations(m, names_required=True, schema_violations=found)
        ] == [
            "IdentityInfo/FirstName: is required because the user has a first and last name",
            "IdentityInfo/LastName: is required because the user has a first and last name",
            "PhoneConfig/AfterContactWorkTimeLimit: must be a whole number from 0 to 2,000,000",
            "PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE",
        ]

    def test_read_only_properties_are_fine_on_update(self) -> None:
        m, found = checked(UserArn=f"{MI.arn}/agent/u-1", UserId="u-1")
        assert update_violations(m, names_required=True, schema_violations=found) == []


def test_describe_orders_by_the_schema_and_says_each_once() -> None:
    found = [
        Violation("Tags", "b"),
        Violation("Username", "a"),
        Violation("Tags", "b"),
        Violation("IdentityInfo/LastName", "c"),
    ]
    assert rules.describe(found) == "Username: a; IdentityInfo/LastName: c; Tags: b"

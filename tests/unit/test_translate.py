"""translate: model -> API parameters, live user -> model, and update plans."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aws_connect_user import translate
from aws_connect_user.rules import MARKER_TAG_KEY
from aws_connect_user.runtime import build_model
from aws_connect_user.translate import (
    create_user_params,
    desired_tags,
    model_from_user,
    plan_update,
    visible_tags,
)
from connect_emulator.seed import CONNECT_MANAGED as MI

from ..testdata import NAMES, PASSWORD, USER_ID, live_user, user_arn
from .models_support import model, props

UID = USER_ID
ARN = user_arn()
# Connect's phone defaults: what DescribeUser shows for model()'s bare phone type.
DEFAULT_PHONE = {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0}


def live(**overrides: Any) -> dict[str, Any]:
    """testdata.live_user as Connect describes model(): names only, the default phone."""
    return live_user(
        **{"IdentityInfo": dict(NAMES), "PhoneConfig": dict(DEFAULT_PHONE), **overrides}
    )


def operations(desired, user, tags=None) -> list[str]:
    tags = desired_tags(desired, None) if tags is None else tags
    return [c.operation for c in plan_update(desired, user, tags, MI.id).calls]


class TestCreateUserParams:
    def test_references_in_both_forms_become_ids(self) -> None:
        m = model(
            InstanceId=MI.arn,
            SecurityProfileIds=[MI.child_arn("security", 2), MI.child_id("security", 1)],
            RoutingProfileId=MI.child_arn("routing", 1),
            HierarchyGroupId=MI.child_arn("hierarchy", 3),
            DirectoryUserId="dir-1",
            IdentityInfo={"FirstName": "Ada", "LastName": "Lovelace", "Mobile": "+12065550100"},
            PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550101"},
        )
        assert create_user_params(m, {"team": "blue"}) == {
            "InstanceId": MI.id,
            "Username": "agent1",
            "Password": PASSWORD,
            "DirectoryUserId": "dir-1",
            "IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace", "Mobile": "+12065550100"},
            "PhoneConfig": {
                "PhoneType": "DESK_PHONE",
                "AutoAccept": False,
                "AfterContactWorkTimeLimit": 0,
                "DeskPhoneNumber": "+12065550101",
            },
            "SecurityProfileIds": sorted([MI.child_id("security", 1), MI.child_id("security", 2)]),
            "RoutingProfileId": MI.child_id("routing", 1),
            "HierarchyGroupId": MI.child_id("hierarchy", 3),
            "Tags": {"team": "blue"},
        }

    def test_absent_optionals_are_not_sent(self) -> None:
        params = create_user_params(model(Password=None, IdentityInfo=None), {})
        assert set(params) == {
            "InstanceId",
            "Username",
            "PhoneConfig",
            "SecurityProfileIds",
            "RoutingProfileId",
        }

    def test_the_same_profile_by_id_and_arn_is_sent_once(self) -> None:
        m = model(SecurityProfileIds=[MI.child_arn("security", 1), MI.child_id("security", 1)])
        assert create_user_params(m, {})["SecurityProfileIds"] == [MI.child_id("security", 1)]


class TestModelFromUser:
    def test_references_in_the_requested_form_element_by_element(self) -> None:
        asked = model(
            InstanceId=MI.arn,
            SecurityProfileIds=[MI.child_arn("security", 2), MI.child_id("security", 1)],
            RoutingProfileId=MI.child_arn("routing", 1),
            HierarchyGroupId=MI.child_id("hierarchy", 1),
        )
        user = live(
            SecurityProfileIds=[
                MI.child_id("security", 1),
                MI.child_id("security", 2),
                MI.child_id("security", 3),
            ],
            HierarchyGroupId=MI.child_id("hierarchy", 1),
        )
        got = model_from_user(user, MI.arn, asked)
        assert sorted(got.SecurityProfileIds or ()) == sorted(
            [MI.child_id("security", 1), MI.child_arn("security", 2), MI.child_id("security", 3)]
        )
        assert got.RoutingProfileId == MI.child_arn("routing", 1)
        assert got.HierarchyGroupId == MI.child_id("hierarchy", 1)
        assert got.InstanceId == MI.arn
        assert (got.UserId, got.UserArn, got.Password) == (UID, ARN, None)

    def test_ids_when_nothing_was_requested(self) -> None:
        got = model_from_user(live(HierarchyGroupId=MI.child_id("hierarchy", 2)), MI.id, None)
        assert got.RoutingProfileId == MI.child_id("routing", 1)
        assert got.HierarchyGroupId == MI.child_id("hierarchy", 2)
        assert got.SecurityProfileIds == [MI.child_id("security", 1)]

    def test_marker_hidden_and_tags_absent_when_none(self) -> None:
        got = model_from_user(live(Tags={MARKER_TAG_KEY: "abc"}), MI.id, None)
        assert got.Tags is None
        assert "Tags" not in got._serialize()

    def test_visible_tags_are_returned_sorted(self) -> None:
        got = model_from_user(live(Tags={"b": "2", MARKER_TAG_KEY: "abc", "a": "1"}), MI.id, None)
        assert [(t.Key, t.Value) for t in got.Tags or ()] == [("a", "1"), ("b", "2")]

    def test_empty_strings_from_connect_are_absent(self) -> None:
        user = live(
            DirectoryUserId="",
            PhoneConfig={
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": True,
                "AfterContactWorkTimeLimit": 5,
                "DeskPhoneNumber": "",
            },
            IdentityInfo={"FirstName": "Ada", "LastName": "Lovelace", "Email": ""},
        )
        got = model_from_user(user, MI.id, None)._serialize()
        assert "DirectoryUserId" not in got
        assert got["PhoneConfig"] == {
            "PhoneType": "SOFT_PHONE",
            "AutoAccept": True,
            "AfterContactWorkTimeLimit": 5,
        }
        assert got["IdentityInfo"] == {"FirstName": "Ada", "LastName": "Lovelace"}

    def test_instance_form(self) -> None:
        assert translate.instance_form(MI.arn, MI.id) == MI.arn
        assert translate.instance_form(MI.id, MI.id) == MI.id
        assert translate.instance_form(None, MI.id) == MI.id
        assert translate.instance_form("ffffffff-0000-4000-8000-000000000000", MI.id) == MI.id


class TestDesiredTags:
    def test_resource_wins_and_aws_keys_are_dropped(self) -> None:
        m = model(Tags=[{"Key": "team", "Value": "resource"}, {"Key": "x", "Value": ""}])
        stack = {"team": "stack", "cost": "42", "aws:cloudformation:stack-name": "s"}
        assert desired_tags(m, stack) == {"team": "resource", "cost": "42", "x": ""}

    def test_no_tags(self) -> None:
        assert desired_tags(model(), None) == {}


class TestPlanUpdate:
    def test_nothing_changed_means_no_calls(self) -> None:
        assert operations(model(), live()) == []

    def test_reordering_or_changing_form_of_profiles_is_no_change(self) -> None:
        user = live(SecurityProfileIds=[MI.child_id("security", 2), MI.child_id("security", 1)])
        for refs in (
            [MI.child_id("security", 1), MI.child_id("security", 2)],
            [MI.child_arn("security", 2), MI.child_id("security", 1)],
        ):
            assert operations(model(SecurityProfileIds=refs), user) == []
        assert operations(model(RoutingProfileId=MI.child_arn("routing", 1)), live()) == []

    def test_marker_tag_is_neither_removed_nor_reported(self) -> None:
        assert operations(model(), live(Tags={MARKER_TAG_KEY: "t"})) == []

    @pytest.mark.parametrize(
        ("overrides", "operation", "params"),
        [
            (
                {"IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"}},
                "UpdateUserIdentityInfo",
                {"IdentityInfo": {"FirstName": "Ada", "LastName": "Byron"}},
            ),
            (
                {"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": True}},
                "UpdateUserPhoneConfig",
                {
                    "PhoneConfig": {
                        "PhoneType": "SOFT_PHONE",
                        "AutoAccept": True,
                        "AfterContactWorkTimeLimit": 0,
                    }
                },
            ),
            (
                {"RoutingProfileId": MI.child_arn("routing", 2)},
                "UpdateUserRoutingProfile",
                {"RoutingProfileId": MI.child_id("routing", 2)},
            ),
            (
                {"SecurityProfileIds": [MI.child_arn("security", 2), MI.child_id("security", 1)]},
                "UpdateUserSecurityProfiles",
                {
                    "SecurityProfileIds": sorted(
                        [MI.child_id("security", 1), MI.child_id("security", 2)]
                    )
                },
            ),
            (
                {"HierarchyGroupId": MI.child_arn("hierarchy", 1)},
                "UpdateUserHierarchy",
                {"HierarchyGroupId": MI.child_id("hierarchy", 1)},
            ),
        ],
    )
    def test_each_group_changed_is_exactly_its_call(self, overrides, operation, params) -> None:
        calls = plan_update(model(**overrides), live(), {}, MI.id).calls
        assert [c.operation for c in calls] == [operation]
        assert dict(calls[0].params) == {"InstanceId": MI.id, "UserId": UID, **params}

    def test_a_missing_reference_is_attributed_to_its_property(self) -> None:
        desired = model(
            RoutingProfileId=MI.child_id("routing", 2),
            SecurityProfileIds=[MI.child_id("security", 2)],
            HierarchyGroupId=MI.child_id("hierarchy", 1),
        )
        abouts = {c.operation: c.about for c in plan_update(desired, live(), {}, MI.id).calls}
        assert abouts == {
            "UpdateUserRoutingProfile": "RoutingProfileId",
            "UpdateUserSecurityProfiles": "SecurityProfileIds",
            "UpdateUserHierarchy": "HierarchyGroupId",
        }

    def test_hierarchy_removal_calls_without_a_group(self) -> None:
        calls = plan_update(
            model(), live(HierarchyGroupId=MI.child_id("hierarchy", 1)), {}, MI.id
        ).calls
        assert [(c.operation, dict(c.params)) for c in calls] == [
            ("UpdateUserHierarchy", {"InstanceId": MI.id, "UserId": UID})
        ]

    def test_phone_defaults_match_connects(self) -> None:
        # A template that leaves AutoAccept/ACW out describes Connect's defaults: no call.
        assert operations(model(PhoneConfig={"PhoneType": "SOFT_PHONE"}), live()) == []
        changed = model(PhoneConfig={"PhoneType": "SOFT_PHONE"})
        user = live(
            PhoneConfig={
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": True,
                "AfterContactWorkTimeLimit": 0,
            }
        )
        assert operations(changed, user) == ["UpdateUserPhoneConfig"]

    def test_identity_field_removed_is_a_change(self) -> None:
        user = live(
            IdentityInfo={"FirstName": "Ada", "LastName": "Lovelace", "Email": "a@example.com"}
        )
        assert operations(model(), user) == ["UpdateUserIdentityInfo"]

    def test_tags_added_removed_changed(self) -> None:
        user = live(Tags={"keep": "1", "change": "old", "drop": "x", MARKER_TAG_KEY: "t"})
        tags = {"keep": "1", "change": "new", "add": "y"}
        calls = plan_update(model(), user, tags, MI.id).calls
        assert [(c.operation, dict(c.params)) for c in calls] == [
            ("UntagResource", {"resourceArn": ARN, "tagKeys": ["drop"]}),
            ("TagResource", {"resourceArn": ARN, "tags": {"change": "new", "add": "y"}}),
        ]

    def test_only_a_value_changed_is_only_tag_resource(self) -> None:
        calls = plan_update(model(), live(Tags={"a": "1"}), {"a": "2"}, MI.id).calls
        assert [c.operation for c in calls] == ["TagResource"]

    def test_stack_tags_merge_into_the_plan(self) -> None:
        m = model(Tags=[{"Key": "team", "Value": "resource"}])
        tags = desired_tags(m, {"team": "stack", "cost": "1", "aws:cloudformation:logical-id": "A"})
        calls = plan_update(m, live(), tags, MI.id).calls
        assert [(c.operation, dict(c.params)) for c in calls] == [
            ("TagResource", {"resourceArn": ARN, "tags": {"team": "resource", "cost": "1"}})
        ]

    def test_unmodelled_phone_fields_are_not_a_change(self) -> None:
        user = live(
            PhoneConfig={
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": False,
                "AfterContactWorkTimeLimit": 0,
                "PersistentConnection": False,
            }
        )
        assert operations(model(), user) == []


# --- idempotence: applying a plan to the live user leaves nothing to do --------------------

SP = [MI.child_id("security", i) for i in range(1, 5)]
RP = [MI.child_id("routing", i) for i in range(1, 4)]
HG = [MI.child_id("hierarchy", i) for i in range(1, 4)]
tag_maps = st.dictionaries(
    st.sampled_from(["a", "b", "c", "team"]), st.sampled_from(["", "1", "2"]), max_size=4
)
names = st.sampled_from(["Ada", "Zoé", "Grace"])
identities = st.fixed_dictionaries(
    {"FirstName": names, "LastName": names},
    optional={
        "Email": st.sampled_from(["a@example.com", "b@example.com"]),
        "Mobile": st.just("+12065550100"),
    },
)
phones = st.fixed_dictionaries(
    {"PhoneType": st.just("SOFT_PHONE")},
    optional={"AutoAccept": st.booleans(), "AfterContactWorkTimeLimit": st.sampled_from([0, 30])},
)


def reference(pool: list[str], segment: str) -> st.SearchStrategy[str]:
    def form(value: str, as_arn: bool) -> str:
        return f"{MI.arn}/{segment}/{value}" if as_arn else value

    return st.builds(form, st.sampled_from(pool), st.booleans())


desired_models = st.fixed_dictionaries(
    {
        "IdentityInfo": identities,
        "PhoneConfig": phones,
        "SecurityProfileIds": st.lists(
            reference(SP, "security-profile"), min_size=1, max_size=4, unique_by=lambda v: v[-12:]
        ),
        "RoutingProfileId": reference(RP, "routing-profile"),
        "Tags": tag_maps,
    },
    optional={"HierarchyGroupId": reference(HG, "agent-group")},
)
live_users = st.fixed_dictionaries(
    {
        "IdentityInfo": identities,
        "PhoneConfig": st.builds(
            lambda p, a, w: {"PhoneType": p, "AutoAccept": a, "AfterContactWorkTimeLimit": w},
            st.just("SOFT_PHONE"),
            st.booleans(),
            st.sampled_from([0, 30]),
        ),
        "SecurityProfileIds": st.lists(st.sampled_from(SP), min_size=1, max_size=4, unique=True),
        "RoutingProfileId": st.sampled_from(RP),
        "Tags": tag_maps,
    },
    optional={"HierarchyGroupId": st.sampled_from(HG)},
)


def apply(user: dict[str, Any], call: translate.Call) -> None:
    """What Connect does with each write the plan may make."""
    p = dict(call.params)
    match call.operation:
        case "UpdateUserIdentityInfo":
            user["IdentityInfo"] = dict(p["IdentityInfo"])
        case "UpdateUserPhoneConfig":
            user["PhoneConfig"] = dict(p["PhoneConfig"])
        case "UpdateUserRoutingProfile":
            user["RoutingProfileId"] = p["RoutingProfileId"]
        case "UpdateUserSecurityProfiles":
            user["SecurityProfileIds"] = list(p["SecurityProfileIds"])
        case "UpdateUserHierarchy":
            user.pop("HierarchyGroupId", None)
            if "HierarchyGroupId" in p:
                user["HierarchyGroupId"] = p["HierarchyGroupId"]
        case "UntagResource":
            for key in p["tagKeys"]:
                user["Tags"].pop(key)
        case "TagResource":
            user["Tags"].update(p["tags"])
        case other:
            raise AssertionError(f"unexpected operation {other}")


@settings(
    max_examples=120, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(desired=desired_models, current=live_users, stack_tags=tag_maps)
def test_applying_the_plan_converges(desired, current, stack_tags) -> None:
    tags_prop = [{"Key": k, "Value": v} for k, v in desired.pop("Tags").items()]
    m = build_model(props(**desired, Tags=tags_prop or None))
    user = {"Id": UID, "Arn": ARN, "Username": "agent1", **copy.deepcopy(current)}
    user["Tags"] = {**user["Tags"], MARKER_TAG_KEY: "t"}
    tags = desired_tags(m, stack_tags)
    calls = plan_update(m, user, tags, MI.id).calls
    assert len({c.operation for c in calls}) == len(calls), "each write at most once"
    for call in calls:
        apply(user, call)
    assert plan_update(m, user, tags, MI.id).calls == []
    assert user["Tags"][MARKER_TAG_KEY] == "t"
    # ...and reading it back gives the template's references in the template's form.
    read = model_from_user(user, MI.id, m)
    assert set(read.SecurityProfileIds or ()) == set(m.SecurityProfileIds or ())
    assert read.RoutingProfileId == m.RoutingProfileId
    assert read.HierarchyGroupId == m.HierarchyGroupId


def test_a_plan_never_asks_for_more_than_fifty_tags() -> None:
    user = live(Tags={MARKER_TAG_KEY: "t", **{f"k{i:02d}": "v" for i in range(10)}})
    tags = {f"k{i:02d}": "v" for i in range(50)}
    for call in plan_update(model(), user, tags, MI.id).calls:
        apply(user, call)
    assert len(user["Tags"]) <= 50
    assert visible_tags(user["Tags"]) == tags

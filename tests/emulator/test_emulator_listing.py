"""Instances, seeded children, ListUsers pagination and SearchUsers."""

from __future__ import annotations

import pytest

from connect_emulator import seed
from connect_emulator.seed import CONNECT_MANAGED, EXISTING_DIRECTORY, INSTANCES, SAML


def test_describe_instance_by_id_or_arn(connect_client):
    for instance in INSTANCES:
        for reference in (instance.id, instance.arn):
            described = connect_client.describe_instance(InstanceId=reference)["Instance"]
            assert described["Id"] == instance.id
            assert described["Arn"] == instance.arn
            assert described["IdentityManagementType"] == instance.identity_management_type
            assert described["InstanceAlias"] == instance.alias
            assert described["InstanceStatus"] == "ACTIVE"
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.describe_instance(InstanceId="44444444-4444-4444-8444-444444444444")


def test_list_instances_pages_through_all_three(connect_client):
    first = connect_client.list_instances(MaxResults=2)
    second = connect_client.list_instances(MaxResults=2, NextToken=first["NextToken"])
    assert "NextToken" not in second
    listed = [item["Id"] for item in first["InstanceSummaryList"] + second["InstanceSummaryList"]]
    assert listed == [instance.id for instance in INSTANCES]


@pytest.mark.parametrize(
    ("method", "member", "kind", "names"),
    [
        (
            "list_security_profiles",
            "SecurityProfileSummaryList",
            "security",
            seed.SECURITY_PROFILES,
        ),
        ("list_routing_profiles", "RoutingProfileSummaryList", "routing", seed.ROUTING_PROFILES),
        (
            "list_user_hierarchy_groups",
            "UserHierarchyGroupSummaryList",
            "hierarchy",
            seed.HIERARCHY_GROUPS,
        ),
    ],
)
def test_seeded_children_are_listed(connect_client, method, member, kind, names):
    for instance in INSTANCES:
        listed = getattr(connect_client, method)(InstanceId=instance.arn)[member]
        assert [(item["Id"], item["Arn"], item["Name"]) for item in listed] == [
            (instance.child_id(kind, index), instance.child_arn(kind, index), name)
            for index, name in enumerate(names, start=1)
        ]


def test_seeded_children_are_described(connect_client):
    instance = EXISTING_DIRECTORY
    profile = connect_client.describe_security_profile(
        InstanceId=instance.id, SecurityProfileId=instance.child_id("security", 2)
    )["SecurityProfile"]
    assert (profile["Id"], profile["SecurityProfileName"]) == (
        instance.child_id("security", 2),
        "Admin",
    )
    routing = connect_client.describe_routing_profile(
        InstanceId=instance.id, RoutingProfileId=instance.child_arn("routing", 3)
    )["RoutingProfile"]
    assert (routing["RoutingProfileId"], routing["Name"]) == (
        instance.child_id("routing", 3),
        "Support",
    )
    group = connect_client.describe_user_hierarchy_group(
        InstanceId=instance.id, HierarchyGroupId=instance.child_id("hierarchy", 1)
    )["HierarchyGroup"]
    assert (group["Id"], group["Name"]) == (instance.child_id("hierarchy", 1), "Tier1")
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.describe_security_profile(
            InstanceId=instance.id, SecurityProfileId=SAML.child_id("security", 1)
        )


def test_list_users_pages_of_1000_return_every_user_once(connect_client, bulk_users):
    created = bulk_users(2500)
    pages = []
    token = None
    while True:
        kwargs: dict[str, str] = {"NextToken": token} if token else {}
        response = connect_client.list_users(
            InstanceId=CONNECT_MANAGED.id, MaxResults=1000, **kwargs
        )
        pages.append(response["UserSummaryList"])
        token = response.get("NextToken")
        if token is None:
            break
    assert [len(page) for page in pages] == [1000, 1000, 500]
    listed = [user["Id"] for page in pages for user in page]
    assert listed == created
    assert pages[0][0]["Username"] == "bulk00000"
    assert pages[0][0]["Arn"] == f"{CONNECT_MANAGED.arn}/agent/{created[0]}"


def test_list_users_default_page_is_100_and_paginator_works(connect_client, bulk_users):
    bulk_users(150)
    first = connect_client.list_users(InstanceId=CONNECT_MANAGED.id)
    assert len(first["UserSummaryList"]) == 100
    paginator = connect_client.get_paginator("list_users")
    all_users = [
        user
        for page in paginator.paginate(
            InstanceId=CONNECT_MANAGED.id, PaginationConfig={"PageSize": 7}
        )
        for user in page["UserSummaryList"]
    ]
    assert len({user["Id"] for user in all_users}) == len(all_users) == 150


def test_a_token_from_another_instance_is_refused(connect_client, bulk_users):
    bulk_users(3)
    token = connect_client.list_users(InstanceId=CONNECT_MANAGED.id, MaxResults=1)["NextToken"]
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.list_users(InstanceId=SAML.id, NextToken=token)


@pytest.fixture
def search_population(connect_client, make_user_params):
    people = [
        ("ada", "Ada", "Lovelace", {"team": "math"}),
        ("grace", "Grace", "Hopper", {"team": "navy", "rank": "admiral"}),
        ("alan", "Alan", "Turing", {"team": "math"}),
        ("adam", "Adam", "Smith", {}),
    ]
    ids = {}
    for username, first, last, tags in people:
        params = make_user_params(
            Username=username,
            IdentityInfo={"FirstName": first, "LastName": last},
            PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 5},
            HierarchyGroupId=CONNECT_MANAGED.child_id("hierarchy", 1 if username != "grace" else 2),
            Tags=tags or None,
        )
        ids[username] = connect_client.create_user(**params)["UserId"]
    return ids


def _search(connect_client, **kwargs):
    response = connect_client.search_users(InstanceId=CONNECT_MANAGED.id, **kwargs)
    return sorted(user["Username"] for user in response["Users"]), response


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (
            {
                "StringCondition": {
                    "FieldName": "Username",
                    "Value": "ada",
                    "ComparisonType": "EXACT",
                }
            },
            ["ada"],
        ),
        (
            {
                "StringCondition": {
                    "FieldName": "Username",
                    "Value": "AD",
                    "ComparisonType": "CONTAINS",
                }
            },
            ["ada", "adam"],
        ),
        (
            {
                "StringCondition": {
                    "FieldName": "FirstName",
                    "Value": "Grace",
                    "ComparisonType": "EXACT",
                }
            },
            ["grace"],
        ),
        (
            {
                "StringCondition": {
                    "FieldName": "LastName",
                    "Value": "ing",
                    "ComparisonType": "CONTAINS",
                }
            },
            ["alan"],
        ),
        (
            {
                "StringCondition": {
                    "FieldName": "Username",
                    "Value": "al",
                    "ComparisonType": "STARTS_WITH",
                }
            },
            ["alan"],
        ),
        (
            {
                "AndConditions": [
                    {
                        "StringCondition": {
                            "FieldName": "Username",
                            "Value": "a",
                            "ComparisonType": "CONTAINS",
                        }
                    },
                    {
                        "StringCondition": {
                            "FieldName": "LastName",
                            "Value": "o",
                            "ComparisonType": "CONTAINS",
                        }
                    },
                ]
            },
            ["ada", "grace"],
        ),
        (
            {
                "OrConditions": [
                    {
                        "StringCondition": {
                            "FieldName": "Username",
                            "Value": "alan",
                            "ComparisonType": "EXACT",
                        }
                    },
                    {
                        "StringCondition": {
                            "FieldName": "LastName",
                            "Value": "Smith",
                            "ComparisonType": "EXACT",
                        }
                    },
                ]
            },
            ["adam", "alan"],
        ),
        (
            {
                "HierarchyGroupCondition": {
                    "Value": CONNECT_MANAGED.child_id("hierarchy", 2),
                    "HierarchyGroupMatchType": "EXACT",
                }
            },
            ["grace"],
        ),
    ],
)
def test_search_criteria(connect_client, search_population, criteria, expected):
    found, response = _search(connect_client, SearchCriteria=criteria)
    assert found == expected
    assert response["ApproximateTotalCount"] == len(expected)


def test_search_by_tags(connect_client, search_population):
    found, _ = _search(
        connect_client,
        SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "team", "TagValue": "math"}}},
    )
    assert found == ["ada", "alan"]
    found, _ = _search(
        connect_client,
        SearchFilter={
            "UserAttributeFilter": {"TagCondition": {"TagKey": "rank", "TagValue": "admiral"}}
        },
    )
    assert found == ["grace"]
    found, _ = _search(
        connect_client,
        SearchFilter={
            "TagFilter": {
                "OrConditions": [
                    [{"TagKey": "team", "TagValue": "navy"}],
                    [{"TagKey": "nope", "TagValue": "x"}],
                ]
            }
        },
    )
    assert found == ["grace"]


def test_search_summary_content(connect_client, search_population):
    _, response = _search(
        connect_client,
        SearchCriteria={
            "StringCondition": {
                "FieldName": "Username",
                "Value": "grace",
                "ComparisonType": "EXACT",
            }
        },
    )
    (user,) = response["Users"]
    assert user["Id"] == search_population["grace"]
    assert user["Arn"] == f"{CONNECT_MANAGED.arn}/agent/{search_population['grace']}"
    assert user["IdentityInfo"] == {"FirstName": "Grace", "LastName": "Hopper"}
    assert user["Tags"] == {"team": "navy", "rank": "admiral"}
    assert user["HierarchyGroupId"] == CONNECT_MANAGED.child_id("hierarchy", 2)
    assert user["PhoneConfig"]["AfterContactWorkTimeLimit"] == 5000  # milliseconds, as documented


def test_search_pagination(connect_client, search_population):
    seen = []
    token = None
    while True:
        response = connect_client.search_users(
            InstanceId=CONNECT_MANAGED.id, MaxResults=3, **({"NextToken": token} if token else {})
        )
        seen += [user["Username"] for user in response["Users"]]
        token = response.get("NextToken")
        if not token:
            break
    assert sorted(seen) == ["ada", "adam", "alan", "grace"]


def test_search_unknown_field_is_a_bad_parameter(connect_client, search_population):
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        _search(
            connect_client,
            SearchCriteria={
                "StringCondition": {"FieldName": "Shoe", "Value": "x", "ComparisonType": "EXACT"}
            },
        )

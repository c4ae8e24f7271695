"""TagResource / UntagResource / ListTagsForResource, and tags on users."""

from __future__ import annotations

import pytest

from connect_emulator.seed import CONNECT_MANAGED, SAML


@pytest.fixture
def user_arn(connect_client, make_user_params) -> str:
    return connect_client.create_user(**make_user_params(Tags={"a": "1"}))["UserArn"]


def test_tags_round_trip_on_a_user(connect_client, user_arn):
    connect_client.tag_resource(resourceArn=user_arn, tags={"b": "2", "a": "changed"})
    assert connect_client.list_tags_for_resource(resourceArn=user_arn)["tags"] == {
        "a": "changed",
        "b": "2",
    }
    connect_client.untag_resource(resourceArn=user_arn, tagKeys=["a", "not-there"])
    assert connect_client.list_tags_for_resource(resourceArn=user_arn)["tags"] == {"b": "2"}
    user_id = user_arn.rsplit("/", 1)[1]
    user = connect_client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=user_id)["User"]
    assert user["Tags"] == {"b": "2"}
    connect_client.untag_resource(resourceArn=user_arn, tagKeys=["b"])
    assert connect_client.list_tags_for_resource(resourceArn=user_arn)["tags"] == {}
    user = connect_client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=user_id)["User"]
    assert "Tags" not in user


def test_reserved_aws_prefix_is_rejected(connect_client, user_arn):
    for key in ("aws:createdBy", "AWS:createdBy"):
        with pytest.raises(connect_client.exceptions.InvalidParameterException):
            connect_client.tag_resource(resourceArn=user_arn, tags={key: "x"})
    assert connect_client.list_tags_for_resource(resourceArn=user_arn)["tags"] == {"a": "1"}


def test_at_most_50_tags_per_resource(connect_client, user_arn):
    connect_client.tag_resource(resourceArn=user_arn, tags={f"k{n}": "v" for n in range(49)})
    with pytest.raises(connect_client.exceptions.InvalidParameterException):
        connect_client.tag_resource(resourceArn=user_arn, tags={"one-too-many": "v"})
    assert len(connect_client.list_tags_for_resource(resourceArn=user_arn)["tags"]) == 50


def test_instances_and_profiles_are_taggable(connect_client):
    for arn in (SAML.arn, SAML.child_arn("routing", 2)):
        connect_client.tag_resource(resourceArn=arn, tags={"env": "test"})
        assert connect_client.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "test"}
    instance = connect_client.describe_instance(InstanceId=SAML.id)["Instance"]
    assert instance["Tags"] == {"env": "test"}


@pytest.mark.parametrize(
    ("arn", "error"),
    [
        (
            f"{CONNECT_MANAGED.arn}/agent/00000000-0000-4000-8000-000000000000",
            "ResourceNotFoundException",
        ),
        (f"{CONNECT_MANAGED.arn}/queue/abc", "ResourceNotFoundException"),
        ("arn:aws:connect:us-east-1:123456789012:instance/nope", "ResourceNotFoundException"),
        (CONNECT_MANAGED.arn.replace("123456789012", "210987654321"), "ResourceNotFoundException"),
        ("not-an-arn", "InvalidParameterException"),
    ],
)
def test_tagging_missing_or_malformed_resources(connect_client, arn, error):
    with pytest.raises(getattr(connect_client.exceptions, error)):
        connect_client.list_tags_for_resource(resourceArn=arn)
    with pytest.raises(getattr(connect_client.exceptions, error)):
        connect_client.tag_resource(resourceArn=arn, tags={"k": "v"})


def test_deleting_a_user_forgets_its_tags(emulator, connect_client, user_arn):
    connect_client.delete_user(InstanceId=CONNECT_MANAGED.id, UserId=user_arn.rsplit("/", 1)[1])
    assert emulator.state.tags == {}
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.list_tags_for_resource(resourceArn=user_arn)

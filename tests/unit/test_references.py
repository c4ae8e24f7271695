"""references: IDs and ARNs of instances, profiles, groups and users."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_connect_user import references
from aws_connect_user.references import foreign_arns, id_of, parse, parse_user_arn, render, same
from connect_emulator.seed import CONNECT_MANAGED, SAML

MI, SI = CONNECT_MANAGED, SAML
SEGMENT = {"security-profile": "security", "routing-profile": "routing", "agent-group": "hierarchy"}
KINDS: list[references.Kind] = ["security-profile", "routing-profile", "agent-group"]

ids = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=40).filter(
    lambda s: not s.startswith("arn:")
)
partitions = st.sampled_from(["aws", "aws-cn", "aws-us-gov"])
regions = st.sampled_from(["us-east-1", "eu-west-2", "cn-north-1", "us-gov-west-1"])
kinds = st.sampled_from(KINDS)


def arn(
    instance: str, kind: str | None = None, child: str | None = None, partition: str = "aws"
) -> str:
    base = f"arn:{partition}:connect:us-east-1:123456789012:instance/{instance}"
    return f"{base}/{kind}/{child}" if kind else base


class TestParse:
    def test_an_id_is_its_own_id_and_names_no_instance(self) -> None:
        ref = parse(MI.id, "instance")
        assert ref is not None
        assert (ref.id, ref.instance_id, ref.is_arn) == (MI.id, None, False)

    def test_an_instance_arn(self) -> None:
        ref = parse(MI.arn, "instance")
        assert ref is not None and ref.is_arn
        assert ref.id == MI.id == ref.instance_id

    @pytest.mark.parametrize("kind", KINDS)
    def test_a_child_arn_names_its_id_and_instance(self, kind: references.Kind) -> None:
        child = MI.child_id(SEGMENT[kind], 2)
        ref = parse(MI.child_arn(SEGMENT[kind], 2), kind)
        assert ref is not None
        assert (ref.id, ref.instance_id) == (child, MI.id)

    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            (MI.child_arn("security", 1), "routing-profile"),  # ARN of another kind
            (MI.child_arn("routing", 1), "instance"),  # a child is not an instance
            (MI.arn, "security-profile"),  # an instance is not a profile
            ("arn:aws:connect:us-east-1:123456789012:instance/x/queue/y", "agent-group"),
            ("arn:aws:s3:::bucket", "instance"),
        ],
    )
    def test_an_arn_of_another_kind_is_none(self, value: str, kind: references.Kind) -> None:
        assert parse(value, kind) is None

    def test_id_of_leaves_unparseable_values_alone(self) -> None:
        assert id_of(MI.child_arn("security", 1), "routing-profile") == MI.child_arn("security", 1)

    @settings(max_examples=60, derandomize=True, database=None)
    @given(instance=ids, child=ids, kind=kinds, partition=partitions)
    def test_id_of_an_arn_is_the_id_it_was_built_from(self, instance, child, kind, partition):
        assert id_of(arn(instance, kind, child, partition), kind) == child
        assert id_of(arn(instance, partition=partition), "instance") == instance
        assert id_of(child, kind) == child


class TestUserArn:
    def test_splits_instance_and_user(self) -> None:
        user = parse_user_arn(f"{MI.arn}/agent/dddd-1")
        assert user is not None
        assert (user.instance_id, user.user_id) == (MI.id, "dddd-1")

    @pytest.mark.parametrize(
        "value",
        [
            None,
            "",
            "dddd-1",  # an ID is not an ARN
            MI.arn,  # an instance
            MI.child_arn("security", 1),  # another kind of child
            f"{MI.arn}/agent/",  # no user id
            f"{MI.arn}/agent/a/b",  # trailing segment
            f"{MI.arn}/agent/has space",
            "arn:aws:connect:us-east-1:12345:instance/i/agent/u",  # short account
            "arn:aws:iam::123456789012:user/agent",
        ],
    )
    def test_malformed_is_none(self, value: str | None) -> None:
        assert parse_user_arn(value) is None


class TestSameAndForeign:
    def test_same_across_forms(self) -> None:
        assert same(MI.id, MI.arn, "instance")
        assert same(MI.child_arn("routing", 1), MI.child_id("routing", 1), "routing-profile")
        assert not same(MI.id, SI.arn, "instance")
        assert same(None, None, "instance")
        assert not same(None, MI.id, "instance")
        assert not same(MI.id, None, "instance")

    def test_foreign_arns_are_arns_of_other_instances_only(self) -> None:
        values = [
            MI.child_id("security", 1),  # an ID belongs anywhere
            MI.child_arn("security", 2),  # our instance
            SI.child_arn("security", 3),  # foreign
        ]
        assert foreign_arns(MI.id, values, "security-profile") == [SI.child_arn("security", 3)]
        assert foreign_arns(SI.id, values, "security-profile") == [MI.child_arn("security", 2)]
        assert foreign_arns(MI.id, [], "agent-group") == []


class TestRender:
    def test_renders_in_the_requested_form(self) -> None:
        live = MI.child_id("routing", 1)
        assert render(live, MI.child_arn("routing", 1), "routing-profile") == MI.child_arn(
            "routing", 1
        )
        assert render(live, live, "routing-profile") == live
        assert render(live, None, "routing-profile") == live

    def test_an_unrequested_id_is_rendered_as_an_id(self) -> None:
        asked = [MI.child_arn("security", 1)]
        assert render(MI.child_id("security", 2), asked, "security-profile") == MI.child_id(
            "security", 2
        )

    @settings(max_examples=60, derandomize=True, database=None)
    @given(
        children=st.lists(ids, min_size=1, max_size=6, unique=True),
        as_arn=st.lists(st.booleans(), min_size=6, max_size=6),
        kind=kinds,
    )
    def test_round_trip_element_by_element(self, children, as_arn, kind):
        requested = [
            arn(MI.id, kind, c) if flag else c for c, flag in zip(children, as_arn, strict=False)
        ]
        for child, asked in zip(children, requested, strict=True):
            assert render(child, requested, kind) == asked
            assert id_of(render(child, requested, kind), kind) == child

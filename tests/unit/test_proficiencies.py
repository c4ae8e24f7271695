"""Routing proficiencies' pure parts: translation, the set diff (Hypothesis), what an update
manages, what a read lists, the uniqueness rule and the outcome rows."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from cloudformation_cli_python_lib import HandlerErrorCode as H
from hypothesis import given
from hypothesis import strategies as st

from aws_connect_user import outcomes, proficiencies, rules, schema
from aws_connect_user.models import UserProficiency
from aws_connect_user.proficiencies import Diff, Levels, diff
from tests.testdata import BILLING_3, ENGLISH_4, NOT_PREDEFINED, SPANISH_2, as_connect

from .models_support import model

IDS = {"InstanceId": "i", "UserId": "u"}
keys = st.tuples(st.sampled_from(["Language", "Product", "Tier"]), st.sampled_from("abcde"))
level_maps = st.dictionaries(keys, st.integers(min_value=1, max_value=5), max_size=15)


def applied(live: Levels, change: Diff) -> Levels:
    """What Connect holds after the diff's calls, by their documented meaning."""
    after = {k: v for k, v in live.items() if k not in change.disassociate}
    after.update(change.update)
    for key, level in change.associate.items():
        assert key not in live  # AssociateUserProficiencies only for new ones
        after[key] = level
    for key in change.update:
        assert key in live  # UpdateUserProficiencies only for associated ones
    return after


@given(live=level_maps, target=level_maps)
def test_the_diff_takes_live_to_the_target(live: Levels, target: Levels) -> None:
    assert applied(live, diff(live, target)) == target


@given(live=level_maps, target=level_maps)
def test_one_call_per_kind_of_change_and_none_without_change(live: Levels, target: Levels) -> None:
    change = diff(live, target)
    calls = proficiencies.calls(IDS, change)
    kinds = [bool(change.associate), bool(change.update), bool(change.disassociate)]
    assert len(calls) == sum(kinds)
    assert len({op for op, _ in calls}) == len(calls)
    assert (calls == []) is (live == target)


@given(live=level_maps, data=st.data())
def test_order_never_matters(live: Levels, data: st.DataObject) -> None:
    shuffled = dict(data.draw(st.permutations(list(live.items()))))
    assert not diff(live, shuffled)


def test_calls_send_floats_sorted_and_disassociate_names_only() -> None:
    change = diff(
        {("Product", "Billing"): 3, ("Language", "French"): 2},
        {("Language", "Spanish"): 2, ("Language", "English"): 4, ("Product", "Billing"): 1},
    )
    assert proficiencies.calls(IDS, change) == [
        (
            "AssociateUserProficiencies",
            {**IDS, "UserProficiencies": as_connect([ENGLISH_4, SPANISH_2])},
        ),
        (
            "UpdateUserProficiencies",
            {**IDS, "UserProficiencies": [{**as_connect([BILLING_3])[0], "Level": 1.0}]},
        ),
        (
            "DisassociateUserProficiencies",
            {
                **IDS,
                "UserProficiencies": [{"AttributeName": "Language", "AttributeValue": "French"}],
            },
        ),
    ]


def test_levels_compare_as_numbers_whatever_their_form() -> None:
    levels = proficiencies.from_items(as_connect([ENGLISH_4]))
    assert levels == {("Language", "English"): 4}
    for form in (4, "4", 4.0):
        asked = proficiencies.from_items([{**ENGLISH_4, "Level": form}])
        assert not proficiencies.diff(levels, asked)  # a change of form alone writes nothing


@pytest.mark.parametrize(("written", "shown"), [(4, 4), (4.0, 4.0), (None, 4)])
def test_a_read_gives_the_level_back_in_the_form_the_template_wrote(written, shown) -> None:
    live = {("Language", "English"): 4.0}
    asked = None if written is None else model(UserProficiencies=[{**ENGLISH_4, "Level": written}])
    (item,) = proficiencies.rendered(live, asked) or []
    assert item.Level == shown and type(item.Level) is type(shown)


def test_a_level_set_elsewhere_reads_back_as_connect_has_it() -> None:
    live = {("Language", "English"): 2.5}
    (item,) = proficiencies.rendered(live, model(UserProficiencies=[ENGLISH_4])) or []
    assert item.Level == 2.5
    assert (
        schema.validation_errors(
            {"UserProficiencies": [{**ENGLISH_4, "Level": item.Level}]}, partial=True
        )
        == []
    )


def test_declared_is_none_only_when_the_property_is_left_out() -> None:
    assert proficiencies.declared(model()) is None
    assert proficiencies.declared(model(UserProficiencies=[])) == {}
    assert proficiencies.declared(model(UserProficiencies=[ENGLISH_4])) == {
        ("Language", "English"): 4
    }


LIVE = {("Language", "English"): 4, ("Language", "Spanish"): 2}


@pytest.mark.parametrize(
    ("desired", "previous", "expected"),
    [
        ([BILLING_3], None, {("Product", "Billing"): 3}),  # declared: the whole set
        ([], [ENGLISH_4], {}),
        (None, [ENGLISH_4], {("Language", "Spanish"): 2}),  # dropped: only what it declared
        (None, None, None),  # never declared: not managed
    ],
    ids=["declared", "declared-empty", "dropped", "never-declared"],
)
def test_what_an_update_manages(
    desired: list[dict[str, Any]] | None,
    previous: list[dict[str, Any]] | None,
    expected: Levels | None,
) -> None:
    new = model(UserProficiencies=desired)
    old = model(UserProficiencies=previous)
    assert proficiencies.target(new, old, LIVE) == expected
    assert proficiencies.managed(new, old) is (expected is not None)


def test_rendered_keeps_the_templates_order_then_the_rest_sorted() -> None:
    live = {("Language", "English"): 4, ("Product", "Billing"): 3, ("Language", "Spanish"): 2}
    got = proficiencies.rendered(live, model(UserProficiencies=[BILLING_3, ENGLISH_4]))
    assert got == [
        UserProficiency("Product", "Billing", 3),
        UserProficiency("Language", "English", 4),
        UserProficiency("Language", "Spanish", 2),
    ]
    assert proficiencies.rendered({}, None) is None
    assert proficiencies.rendered({}, model(UserProficiencies=[])) == []


def test_a_read_lists_by_identifier_or_when_declared() -> None:
    assert proficiencies.read_lists(None)
    assert proficiencies.read_lists(model(UserProficiencies=[]))
    bare = model()
    assert not proficiencies.read_lists(bare)
    identifier_only = type(bare)(**{k: None for k in vars(bare)})
    identifier_only.UserArn = "arn:aws:connect:us-east-1:123456789012:instance/i/agent/u"
    assert proficiencies.read_lists(identifier_only)


def test_the_uniqueness_rule_names_the_repeated_key() -> None:
    twice = model(UserProficiencies=[ENGLISH_4, {**ENGLISH_4, "Level": 1}, BILLING_3])
    assert [str(v) for v in rules.proficiency_rules(twice)] == [
        "UserProficiencies: must list each attribute name and value once: Language=English"
    ]
    assert rules.proficiency_rules(model(UserProficiencies=[ENGLISH_4, SPANISH_2])) == []


# --- outcome rows -----------------------------------------------------------------------------


def error(code: str, message: str, operation: str) -> ClientError:
    response = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {}}
    return ClientError(response, operation)


SENT = {**IDS, "UserProficiencies": as_connect([ENGLISH_4, NOT_PREDEFINED])}


@pytest.mark.parametrize("operation", sorted(outcomes.PROFICIENCY_WRITES))
def test_a_not_found_on_a_proficiency_write_is_about_the_property(operation: str) -> None:
    failure = outcomes.from_exception(
        error("ResourceNotFoundException", "Value Klingon not found", operation),
        operation,
        params=SENT,
        user="arn:user",
    )
    assert failure.rule is outcomes.MISSING_PROFICIENCY
    assert failure.code is H.InvalidRequest and failure.about == "UserProficiencies"
    assert failure.transient  # the missing-reference window: Connect may not have caught up
    assert failure.rule.retry_for == outcomes.MISSING_REFERENCE_WINDOW_SECONDS
    assert "Language=Klingon level 1" in failure.message
    assert "English" not in failure.message.split("(")[0]


@pytest.mark.parametrize("code", ["InvalidRequestException", "InvalidParameterException"])
def test_a_refusal_on_a_proficiency_write_fails_at_once(code: str) -> None:
    failure = outcomes.from_exception(
        error(code, "nope", "AssociateUserProficiencies"),
        "AssociateUserProficiencies",
        params=SENT,
    )
    assert failure.rule is outcomes.PROFICIENCY_REJECTED and not failure.transient
    assert "Language=English level 4, Language=Klingon level 1" in failure.message


def test_throttling_on_a_proficiency_write_keeps_its_row() -> None:
    failure = outcomes.from_exception(
        error("ThrottlingException", "slow down", "AssociateUserProficiencies"),
        "AssociateUserProficiencies",
        params=SENT,
    )
    assert failure.code is H.Throttling and failure.about is None


def test_a_not_found_on_the_list_is_about_the_user() -> None:
    failure = outcomes.from_exception(
        error("ResourceNotFoundException", "no user", "ListUserProficiencies"),
        "ListUserProficiencies",
        params=IDS,
        user="arn:user",
    )
    assert failure.rule is outcomes.USER_GONE and "arn:user" in failure.message


def test_create_undone_says_whether_the_clean_up_worked() -> None:
    rejected = outcomes.Failure(outcomes.PROFICIENCY_REJECTED, "UserProficiencies was refused")
    done = outcomes.create_undone(rejected, rejected.message, "arn:u", None)
    assert done.code is H.InvalidRequest and "(arn:u) was deleted again" in done.message
    failed = outcomes.Failure(outcomes.USER_GONE, "DeleteUser failed: boom")
    kept = outcomes.create_undone(rejected, rejected.message, "arn:u", failed)
    assert "could not be deleted (DeleteUser failed: boom): delete arn:u yourself" in kept.message


def test_the_callback_context_remembers_the_association_under_new_keys() -> None:
    from aws_connect_user.context import CallbackContext

    wire = {"proficienciesSent": True, "proficienciesAssociated": True, "futureKey": 1}
    context = CallbackContext.from_dict(wire)
    assert context.proficiencies_sent and context.proficiencies_associated
    assert {k: context.to_dict()[k] for k in wire} == wire
    assert "proficienciesSent" not in CallbackContext().to_dict()


@given(live=level_maps, target=level_maps)
def test_a_change_holds_exactly_when_connect_shows_its_effect(live: Levels, target: Levels) -> None:
    """Issue 20: a write refused after our own resent attempt is done when this holds."""
    change = diff(live, target)
    assert proficiencies.holds(applied(live, change), change)
    assert proficiencies.holds(live, change) is (not change)


def update_with_lost_answer(operation: str, refusal: str, live_after: list[Any]) -> None:
    """proficiencies.apply when botocore resent `operation` (RetryAttempts 1) and Connect
    refused the repeat, then lists `live_after` (Stubber: exactly these two calls)."""
    import boto3
    from botocore import xform_name
    from botocore.stub import Stubber

    from aws_connect_user.connect import Connect

    client = boto3.client("connect", region_name="us-east-1")
    stub = Stubber(client)
    stub.add_client_error(
        xform_name(operation), refusal, "repeat", 400, response_meta={"RetryAttempts": 1}
    )
    listed = {"UserProficiencyList": as_connect(live_after)}
    stub.add_response("list_user_proficiencies", listed)
    change = {
        "AssociateUserProficiencies": Diff(associate={("Product", "Billing"): 3}),
        "UpdateUserProficiencies": Diff(update={("Product", "Billing"): 3}),
        "DisassociateUserProficiencies": Diff(disassociate=frozenset({("Product", "Billing")})),
    }[operation]
    with stub:
        proficiencies.apply(Connect(client, []), IDS, change, "arn:user")
    stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("operation", "after"),
    [
        ("AssociateUserProficiencies", [ENGLISH_4, BILLING_3]),
        ("UpdateUserProficiencies", [BILLING_3]),
        ("DisassociateUserProficiencies", [ENGLISH_4]),
    ],
)
def test_a_refused_repeat_of_our_own_write_is_done_when_connect_holds_it(
    operation: str, after: list[Any]
) -> None:
    update_with_lost_answer(operation, "InvalidRequestException", after)


def test_a_refused_repeat_fails_when_connect_does_not_hold_the_change() -> None:
    with pytest.raises(outcomes.Failure):
        update_with_lost_answer("AssociateUserProficiencies", "InvalidRequestException", [])

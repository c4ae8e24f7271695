"""context: the typed callback context and its wire form (kept compatible with in-flight stacks)."""

from __future__ import annotations

import pytest

from aws_connect_user.context import CallbackContext, CorruptContext, CreatedUser


def test_an_empty_context_is_an_operations_first_invocation() -> None:
    empty: list[dict[str, int] | None] = [None, {}]
    for raw in empty:
        context = CallbackContext.from_dict(raw)
        assert (context.retries, context.callbacks, context.give_up_at) == (0, 0, None)
        assert not context.create_sent and context.window_start is None


def test_wire_keys_round_trip_and_unknown_keys_are_kept() -> None:
    wire = {
        "retries": 2,
        "callbacks": 7,
        "giveUpAt": 1_800_000_000,
        "createSent": True,
        "windowStart": 1_799_999_000,
        "phase": "x",
    }
    context = CallbackContext.from_dict(wire)
    assert (context.retries, context.callbacks, context.give_up_at) == (2, 7, 1_800_000_000)
    assert context.create_sent and context.window_start == 1_799_999_000
    assert context.other == {"phase": "x"}
    assert context.to_dict() == wire


def test_unset_flags_stay_off_the_wire() -> None:
    assert CallbackContext(retries=1, callbacks=1, give_up_at=5).to_dict() == {
        "retries": 1,
        "callbacks": 1,
        "giveUpAt": 5,
    }


def test_stabilisation_keys_round_trip() -> None:
    """Issue 16: the user a create made, a delete's marks and the window's name."""
    wire = {
        "retries": 1,
        "callbacks": 1,
        "windowStart": 1_799_999_000,
        "window": "missingReference",
        "createdUserId": "u-1",
        "createdUserArn": USER_ARN,
        "deleteSent": True,
        "deleted": True,
    }
    context = CallbackContext.from_dict(wire)
    assert context.created_user == CreatedUser("u-1", wire["createdUserArn"])  # type: ignore[arg-type]
    assert context.delete_sent and context.deleted and context.window == "missingReference"
    assert context.other == {}
    assert context.to_dict() == wire


USER_ARN = "arn:aws:connect:us-east-1:123456789012:instance/i-1/agent/u-1"
# Issue 20: values this handler never writes. Each is refused naming its key (the handler
# answers InvalidRequest through outcomes.corrupt_context), never a traceback.
CORRUPT: list[tuple[dict[str, object], str]] = [
    ({"retries": "x"}, "retries"),
    ({"retries": [1]}, "retries"),
    ({"retries": -1}, "retries"),
    ({"retries": 1.5}, "retries"),
    ({"retries": True}, "retries"),
    ({"retries": 10**400}, "retries"),
    ({"callbacks": {"n": 1}}, "callbacks"),
    ({"callbacks": float("nan")}, "callbacks"),
    ({"giveUpAt": "1700000000.5"}, "giveUpAt"),
    ({"giveUpAt": float("inf")}, "giveUpAt"),
    ({"giveUpAt": -5}, "giveUpAt"),
    ({"giveUpAt": 10**400}, "giveUpAt"),
    ({"windowStart": "2026-12-06T13:00:00Z"}, "windowStart"),
    ({"windowStart": float("-inf")}, "windowStart"),
    ({"window": 5}, "window"),
    ({"window": ""}, "window"),
    ({"createSent": "yes"}, "createSent"),
    ({"deleteSent": 1}, "deleteSent"),
    ({"deleted": "true"}, "deleted"),
    ({"proficienciesSent": []}, "proficienciesSent"),
    ({"proficienciesAssociated": {}}, "proficienciesAssociated"),
    ({"createdUserId": "u-1", "createdUserArn": "arn:aws:s3:::bucket"}, "createdUserArn"),
    ({"createdUserId": "u-2", "createdUserArn": USER_ARN}, "createdUserArn"),
    ({"createdUserArn": USER_ARN}, "createdUserId"),
    ({"createdUserId": 7, "createdUserArn": USER_ARN}, "createdUserId"),
    ({"acwRestore": {"CHAT": "600"}}, "acwRestore"),
    ({"acwRestore": {"TASK": True}}, "acwRestore"),
    ({"acwRestore": {"EMAIL": 1.5}}, "acwRestore"),
    ({"acwRestore": [1]}, "acwRestore"),
    ({"acwRestore": "x"}, "acwRestore"),
]


@pytest.mark.parametrize(("raw", "key"), CORRUPT, ids=[repr(r)[:50] for r, _ in CORRUPT])
def test_a_value_this_handler_never_writes_is_refused_naming_its_key(raw, key) -> None:
    with pytest.raises(CorruptContext, match=key):
        CallbackContext.from_dict(raw)


@pytest.mark.parametrize("raw", [[1], "x", 5])
def test_a_context_that_is_not_an_object_is_refused(raw) -> None:
    with pytest.raises(CorruptContext, match="must be an object"):
        CallbackContext.from_dict(raw)


def test_null_values_are_absent_keys_and_whole_floats_are_counts() -> None:
    context = CallbackContext.from_dict(
        {"retries": None, "callbacks": 3.0, "giveUpAt": 1_800_000_000.5, "createSent": None}
    )
    assert (context.retries, context.callbacks, context.give_up_at) == (0, 3, 1_800_000_000)
    assert not context.create_sent
    created = CallbackContext.from_dict({"createdUserId": "u-1", "createdUserArn": USER_ARN})
    assert created.created_user == CreatedUser("u-1", USER_ARN)


def test_the_acw_limits_to_put_back_round_trip() -> None:
    """Issue 20: what an update's phone write overwrote, kept for its callbacks."""
    wire = {"retries": 0, "callbacks": 1, "acwRestore": {"CHAT": 600, "EMAIL": 0}}
    context = CallbackContext.from_dict(wire)
    assert context.acw_restore == {"CHAT": 600, "EMAIL": 0}
    assert context.to_dict() == wire
    assert CallbackContext.from_dict({"acwRestore": None}).acw_restore == {}
    assert "acwRestore" not in CallbackContext().to_dict()

"""context: the typed callback context and its wire form (kept compatible with in-flight stacks)."""

from __future__ import annotations

from aws_connect_user.context import CallbackContext


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
    from aws_connect_user.context import CreatedUser

    wire = {
        "retries": 1,
        "callbacks": 1,
        "windowStart": 1_799_999_000,
        "window": "missingReference",
        "createdUserId": "u-1",
        "createdUserArn": "arn:aws:connect:us-east-1:123456789012:instance/i/agent/u-1",
        "deleteSent": True,
        "deleted": True,
    }
    context = CallbackContext.from_dict(wire)
    assert context.created_user == CreatedUser("u-1", wire["createdUserArn"])  # type: ignore[arg-type]
    assert context.delete_sent and context.deleted and context.window == "missingReference"
    assert context.other == {}
    assert context.to_dict() == wire


def test_the_acw_limits_to_put_back_round_trip_and_bad_entries_are_dropped() -> None:
    """Issue 20: what an update's phone write overwrote, kept for its callbacks."""
    wire = {"retries": 0, "callbacks": 1, "acwRestore": {"CHAT": 600, "EMAIL": 0}}
    context = CallbackContext.from_dict(wire)
    assert context.acw_restore == {"CHAT": 600, "EMAIL": 0}
    assert context.to_dict() == wire
    odd = {"acwRestore": {"CHAT": "600", "TASK": True, "EMAIL": 5, "VOICE": None}}
    assert CallbackContext.from_dict(odd).acw_restore == {"EMAIL": 5}
    for raw in ([1], "x", None, 3):
        assert CallbackContext.from_dict({"acwRestore": raw}).acw_restore == {}
    assert "acwRestore" not in CallbackContext().to_dict()

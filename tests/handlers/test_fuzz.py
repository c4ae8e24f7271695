"""Property: whatever the resource properties and callback context, the entrypoint never
answers InternalFailure."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aws_connect_user import connect, handlers, schema

from ..testdata import CONTEXT_KEYS
from .support import USER_ID, StubbedConnect, event, properties, user_arn

PROPERTY_NAMES = sorted(schema.resource_schema()["properties"])
# '-' and non-ASCII digits ("--5", "²") are in: the bug that once kept them out is fixed and
# pinned (test_events.py::test_digit_like_strings_are_invalid_request).
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3_000_000)
    | st.text(alphabet=string.ascii_letters + string.digits + " :/@.+_-²٣", max_size=6)
    | st.sampled_from(["true", "false", "30", "SOFT_PHONE", "DESK_PHONE", "+12065550100"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["Key", "Value", "PhoneType", "AutoAccept", "FirstName", "x"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=6,
)
overrides = st.dictionaries(st.sampled_from([*PROPERTY_NAMES, "Junk"]), values, max_size=4)
# Issue 20: an empty object in any list, and callback contexts this handler never wrote.
LISTS = sorted(
    k for k, v in schema.resource_schema()["properties"].items() if v.get("type") == "array"
)
empty_objects = st.dictionaries(
    st.sampled_from(LISTS),
    st.lists(st.just({}) | values, min_size=1, max_size=3).filter(lambda items: {} in items),
    max_size=2,
)
context_values = (
    values
    | st.floats()
    | st.integers(-(2**70), 2**70)
    | st.sampled_from(
        [
            "1700000000.5",
            "2026-12-06T13:00:00Z",
            "unseenUser",
            user_arn(),
            USER_ID,
            "arn:aws:iam::123456789012:user/x",
        ]
    )
)
context_keys = st.sampled_from([*CONTEXT_KEYS, "futureKey"])  # and one this version never wrote
contexts = st.none() | st.dictionaries(context_keys, context_values, max_size=4)


@settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    action=st.sampled_from(["CREATE", "READ", "UPDATE", "DELETE", "LIST"]),
    changes=overrides,
    empties=empty_objects,
    context=contexts,
)
def test_never_internal_failure(
    monkeypatch: pytest.MonkeyPatch,
    action: str,
    changes: dict[str, Any],
    empties: dict[str, Any],
    context: dict[str, Any] | None,
) -> None:
    connect.forget_cached_state()
    stub = StubbedConnect()  # nothing queued: a request that passes every check fails the call
    monkeypatch.setattr(handlers, "client_for", lambda session, region, **_: stub.client)
    props = {**properties(), **changes, **empties}
    request = event(action, props, previous=properties(), callback_context=context)
    with stub.stubber:
        response = handlers.resource(request, None)
    assert response["status"] == "FAILED" or response["status"] == "SUCCESS", response
    assert response.get("errorCode") != "InternalFailure", (action, props, response)

"""Issue 20, defect 6: odd input that used to reach InternalFailure, through the production
entrypoint: an empty object in a list, and a callback context this handler never wrote."""

from __future__ import annotations

from typing import Any

import pytest

from aws_connect_user import schema

from ..testdata import PASSWORD
from .support import USER_ID, event, live_user, properties, user_arn

LISTS = sorted(
    k for k, v in schema.resource_schema()["properties"].items() if v.get("type") == "array"
)
IDS = {"UserArn": user_arn(), "UserId": USER_ID}


def request(action: str, props: dict[str, Any], **options: Any) -> dict[str, Any]:
    if action == "CREATE":
        return event("CREATE", props, **options)
    return event(action, {**props, **IDS}, previous={**properties(), **IDS}, **options)


@pytest.mark.parametrize("action", ["CREATE", "UPDATE"])
def test_an_empty_tag_is_invalid_request_naming_its_key(stub, invoke, action) -> None:
    if action == "CREATE":
        stub.describe_instance()
    else:
        stub.describe_user(live_user())
    response = invoke(request(action, properties(Tags=[{}])))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert "Tags/0/Key: is required" in response["message"]
    assert PASSWORD not in response["message"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("action", ["CREATE", "UPDATE"])
def test_an_empty_object_in_any_list_is_invalid_request_naming_it(
    stub, invoke, action, name
) -> None:
    if action == "CREATE":
        stub.describe_instance()
    else:
        stub.describe_user(live_user())
    empty: dict[str, Any] = {name: [{}]}
    response = invoke(request(action, properties(**empty)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert f"{name}/0" in response["message"]


CORRUPT_CONTEXTS: list[tuple[dict[str, Any], str]] = [
    ({"retries": None, "callbacks": "x"}, "callbacks"),
    ({"retries": "x"}, "retries"),
    ({"retries": [1]}, "retries"),
    ({"giveUpAt": "1700000000.5"}, "giveUpAt"),
    ({"giveUpAt": float("inf")}, "giveUpAt"),
    ({"windowStart": "2026-12-06T13:00:00Z", "window": "missingReference"}, "windowStart"),
    ({"createdUserId": USER_ID, "createdUserArn": "arn:aws:iam::123456789012:user/x"}, "ARN"),
    ({"deleted": "yes"}, "deleted"),
]


@pytest.mark.parametrize("action", ["CREATE", "READ", "UPDATE", "DELETE", "LIST"])
@pytest.mark.parametrize(
    ("context", "named"), CORRUPT_CONTEXTS, ids=[n for _, n in CORRUPT_CONTEXTS]
)
def test_a_callback_context_this_handler_never_wrote_is_invalid_request(
    stub, invoke, action, context, named
) -> None:
    """Refused before any call, naming the key: never InternalFailure, never a guess about
    what an earlier invocation did."""
    response = invoke(request(action, properties(), callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert response["message"].startswith("callbackContext: ")
    assert named in response["message"]
    assert stub.operations == []


def test_a_secret_in_a_corrupt_context_is_not_echoed(stub, invoke) -> None:
    response = invoke(request("CREATE", properties(), callback_context={"window": [PASSWORD]}))
    assert response["errorCode"] == "InvalidRequest"
    assert "window" in response["message"] and PASSWORD not in response["message"]

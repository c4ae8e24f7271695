"""Stack-level tags and drift detection, on the emulator through the production entrypoint.

CloudFormation propagates stack-level tags to taggable resources and expects them on the
resource when it detects drift (AWS's own taggable types report no drift for them; types that
drop them are reported as drifted). So read returns the user's tags as Connect holds them (the
template's and the stack's, without the handler's marker and `aws:` keys), and an unchanged
stack with stack tags shows no drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from aws_connect_user import handlers
from connect_emulator import Emulator

from ..handlers.support import event, properties

pytestmark = pytest.mark.emulator

STACK_TAGS = {"cost-centre": "42", "team": "stack-wins-not", "aws:cloudformation:stack-name": "s"}
TEMPLATE_TAGS = [{"Key": "team", "Value": "blue"}]


@pytest.fixture
def env(emulator: Emulator, point_handler: Callable[[Emulator], Emulator]) -> Emulator:
    return point_handler(emulator)


def call(e: dict[str, Any]) -> dict[str, Any]:
    response = handlers.resource(e, None)
    assert isinstance(response, dict)
    return response


def drift_expected_tags(template: list[dict[str, str]], stack: Mapping[str, str]) -> set:
    """What CloudFormation expects on the resource: stack tags (not aws:), the template's own
    winning on the same key."""
    merged = {k: v for k, v in stack.items() if not k.startswith("aws:")}
    merged.update({t["Key"]: t["Value"] for t in template})
    return set(merged.items())


def created(env: Emulator) -> dict[str, Any]:
    props = properties(Tags=TEMPLATE_TAGS)
    response = call(event("CREATE", props, stack_tags=STACK_TAGS))
    assert response["status"] == "SUCCESS", response
    return {**props, "UserArn": response["resourceModel"]["UserArn"]}


def test_read_by_identifier_of_an_unchanged_stack_shows_no_tag_drift(env: Emulator) -> None:
    model = created(env)
    read = call(event("READ", {"UserArn": model["UserArn"]}, stack_tags=STACK_TAGS))
    assert read["status"] == "SUCCESS", read
    actual = {(t["Key"], t["Value"]) for t in read["resourceModel"]["Tags"]}
    assert actual == drift_expected_tags(TEMPLATE_TAGS, STACK_TAGS)


def test_read_with_the_model_shows_no_tag_drift(env: Emulator) -> None:
    model = created(env)
    read = call(event("READ", model, stack_tags=STACK_TAGS))
    actual = {(t["Key"], t["Value"]) for t in read["resourceModel"]["Tags"]}
    assert actual == drift_expected_tags(TEMPLATE_TAGS, STACK_TAGS)


def test_an_unchanged_stack_update_writes_no_tags(env: Emulator) -> None:
    model = created(env)
    env.requests.clear()
    again = call(
        event(
            "UPDATE", model, previous=model, stack_tags=STACK_TAGS, previous_stack_tags=STACK_TAGS
        )
    )
    assert again["status"] == "SUCCESS", again
    assert not {"TagResource", "UntagResource"} & set(env.requests.operations())


def test_a_tag_removed_from_the_stack_is_removed_from_the_user(env: Emulator) -> None:
    model = created(env)
    fewer = {k: v for k, v in STACK_TAGS.items() if k != "cost-centre"}
    env.requests.clear()
    updated = call(
        event("UPDATE", model, previous=model, stack_tags=fewer, previous_stack_tags=STACK_TAGS)
    )
    assert updated["status"] == "SUCCESS", updated
    assert "UntagResource" in env.requests.operations()
    read = call(event("READ", {"UserArn": model["UserArn"]}))
    actual = {(t["Key"], t["Value"]) for t in read["resourceModel"]["Tags"]}
    assert actual == drift_expected_tags(TEMPLATE_TAGS, fewer)

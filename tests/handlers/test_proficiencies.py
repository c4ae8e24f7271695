"""Routing proficiencies (UserProficiencies, issue 13) through the production entrypoint, every
Connect request checked against botocore's model by the Stubber.

Create is two writes (CreateUser, then one AssociateUserProficiencies once DescribeUser shows
the user); a failure of the second either calls back (transient) or deletes the user the create
made (final). Read lists every page. Update diffs as a set; managed means declared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from tests.testdata import (
    BILLING_3,
    ENGLISH_4,
    NOT_PREDEFINED,
    PASSWORD,
    SPANISH_2,
    as_connect,
    proficiency,
)

from .support import (
    MI,
    USER_ID,
    StubbedConnect,
    create_params,
    created,
    event,
    live_user,
    properties,
    user_arn,
)

IDS = {"InstanceId": MI.id, "UserId": USER_ID}
TWO = [ENGLISH_4, BILLING_3]
Scenario = Callable[[StubbedConnect, pytest.MonkeyPatch], dict[str, Any]]


def created_context(**extra: Any) -> dict[str, Any]:
    """The callback context of a create whose user exists (stabilise.py, context.py)."""
    return {
        "retries": 1,
        "callbacks": 1,
        "createdUserId": USER_ID,
        "createdUserArn": user_arn(),
        **extra,
    }


def associate(stub: StubbedConnect, entries: list[dict[str, Any]]) -> None:
    stub.ok("AssociateUserProficiencies", {**IDS, "UserProficiencies": as_connect(entries)})


def create_until_visible(stub: StubbedConnect) -> None:
    stub.describe_instance()
    stub.ok("CreateUser", create_params(), created())
    stub.visible()


def delete_user(stub: StubbedConnect) -> None:
    stub.ok("DeleteUser", IDS)


# --- scenarios (also run by test_permissions.py: the schema declares exactly these calls) ------


def create_with_proficiencies(stub, mp):
    create_until_visible(stub)
    associate(stub, TWO)
    return event("CREATE", properties(UserProficiencies=TWO))


def create_rejected_and_cleaned_up(stub, mp):
    create_until_visible(stub)
    stub.error(
        "AssociateUserProficiencies",
        "InvalidRequestException",
        {**IDS, "UserProficiencies": as_connect([ENGLISH_4, NOT_PREDEFINED])},
        message="Predefined attribute Language with value Klingon not found.",
    )
    delete_user(stub)
    return event("CREATE", properties(UserProficiencies=[ENGLISH_4, NOT_PREDEFINED]))


def create_callback_after_lost_association(stub, mp):
    stub.visible()
    stub.proficiencies([ENGLISH_4])  # the lost call took effect for English only? list first
    associate(stub, [BILLING_3])
    context = created_context(proficienciesSent=True)
    return event("CREATE", properties(UserProficiencies=TWO), callback_context=context)


def read_two_pages(stub, mp):
    stub.describe_user(live_user())
    stub.proficiencies([ENGLISH_4], next_token="page-2")
    stub.proficiencies([BILLING_3], token="page-2")
    return event("READ", {"UserArn": user_arn()})


def update_every_kind(stub, mp):
    stub.describe_user(live_user())
    stub.proficiencies([ENGLISH_4, BILLING_3])
    stub.ok("AssociateUserProficiencies", {**IDS, "UserProficiencies": as_connect([SPANISH_2])})
    stub.ok(
        "UpdateUserProficiencies",
        {**IDS, "UserProficiencies": as_connect([proficiency("Language", "English", 1)])},
    )
    stub.ok(
        "DisassociateUserProficiencies",
        {**IDS, "UserProficiencies": [{"AttributeName": "Product", "AttributeValue": "Billing"}]},
    )
    desired = [proficiency("Language", "English", 1), SPANISH_2]
    return event(
        "UPDATE",
        properties(UserArn=user_arn(), UserProficiencies=desired),
        previous=properties(UserArn=user_arn(), UserProficiencies=TWO),
    )


SCENARIOS: dict[str, Scenario] = {
    "create-with-proficiencies": create_with_proficiencies,
    "create-rejected-and-cleaned-up": create_rejected_and_cleaned_up,
    "create-callback-after-lost-association": create_callback_after_lost_association,
    "read-proficiencies-two-pages": read_two_pages,
    "update-proficiencies-every-kind": update_every_kind,
}


def run(scenario: Scenario, stub, invoke, monkeypatch) -> dict[str, Any]:
    return invoke(scenario(stub, monkeypatch))


def writes(stub: StubbedConnect) -> list[str]:
    return [op for op in stub.operations if not op.startswith(("Describe", "List", "Search"))]


# --- create ----------------------------------------------------------------------------------


def test_create_is_two_writes_and_reads_back_whole_levels(stub, invoke, monkeypatch) -> None:
    response = run(create_with_proficiencies, stub, invoke, monkeypatch)
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == ["CreateUser", "AssociateUserProficiencies"]
    # associated only once DescribeUser shows the user: no not-found from Connect's lag
    assert stub.operations.index("DescribeUser") < stub.operations.index(
        "AssociateUserProficiencies"
    )
    assert response["resourceModel"]["UserProficiencies"] == TWO  # Level 4, not 4.0
    assert all(type(e["Level"]) is int for e in response["resourceModel"]["UserProficiencies"])


def test_create_without_proficiencies_makes_no_proficiency_call(stub, invoke) -> None:
    create_until_visible(stub)
    response = invoke(event("CREATE", properties()))
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == ["CreateUser"]


def test_create_with_an_empty_list_makes_no_proficiency_call(stub, invoke) -> None:
    create_until_visible(stub)
    response = invoke(event("CREATE", properties(UserProficiencies=[])))
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == ["CreateUser"]


def test_create_waits_for_the_user_before_associating(stub, invoke) -> None:
    stub.describe_instance()
    stub.ok("CreateUser", create_params(), created())
    stub.not_visible()
    first = invoke(event("CREATE", properties(UserProficiencies=TWO)))
    assert first["status"] == "IN_PROGRESS", first
    assert "AssociateUserProficiencies" not in stub.operations
    stub.visible()
    associate(stub, TWO)
    second = invoke(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations.count("CreateUser") == 1


@pytest.mark.parametrize(
    ("code", "status", "cfn_code"),
    [
        ("ThrottlingException", 429, "Throttling"),
        ("InternalServiceException", 500, "ServiceInternalError"),
    ],
)
def test_a_transient_failure_calls_back_without_creating_again(
    stub, invoke, code, status, cfn_code
) -> None:
    create_until_visible(stub)
    stub.error("AssociateUserProficiencies", code, status=status)
    first = invoke(event("CREATE", properties(UserProficiencies=TWO)))
    assert first["status"] == "IN_PROGRESS", first
    context = first["callbackContext"]
    assert (context["createdUserId"], context["createdUserArn"]) == (USER_ID, user_arn())
    assert "proficienciesAssociated" not in context
    # the model carries the created user's identity (a rollback deletes it), no Password
    assert first["resourceModel"]["UserArn"] == user_arn()
    assert "Password" not in first["resourceModel"]
    # a 500 may have taken effect: the callback lists before it associates; a throttle did not
    unknown = code == "InternalServiceException"
    assert context.get("proficienciesSent", False) is unknown
    stub.visible()
    if unknown:
        stub.proficiencies()
    associate(stub, TWO)
    second = invoke(event("CREATE", first["resourceModel"], callback_context=context))
    assert second["status"] == "SUCCESS", second
    assert stub.operations.count("CreateUser") == 1
    assert stub.operations.count("AssociateUserProficiencies") == 2
    assert "DeleteUser" not in stub.operations


def test_a_lost_association_answer_is_listed_and_never_associated_twice(stub, invoke) -> None:
    create_until_visible(stub)
    stub.raise_on("AssociateUserProficiencies", ReadTimeoutError(endpoint_url="https://x"))
    first = invoke(event("CREATE", properties(UserProficiencies=TWO)))
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"]["proficienciesSent"] is True
    stub.visible()
    stub.proficiencies(TWO)  # it did take effect
    second = invoke(
        event("CREATE", first["resourceModel"], callback_context=first["callbackContext"])
    )
    assert second["status"] == "SUCCESS", second
    assert stub.operations.count("AssociateUserProficiencies") == 1
    assert stub.operations.count("CreateUser") == 1


def test_a_partly_lost_association_associates_only_what_is_missing(
    stub, invoke, monkeypatch
) -> None:
    response = run(create_callback_after_lost_association, stub, invoke, monkeypatch)
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == ["AssociateUserProficiencies"]


def test_a_callback_after_the_association_never_associates_again(stub, invoke) -> None:
    stub.visible()
    context = created_context(proficienciesAssociated=True)
    response = invoke(event("CREATE", properties(UserProficiencies=TWO), callback_context=context))
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser"]


def test_a_rejection_deletes_the_user_and_names_the_entry(stub, invoke, monkeypatch) -> None:
    response = run(create_rejected_and_cleaned_up, stub, invoke, monkeypatch)
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    message = response["message"]
    assert message.startswith("UserProficiencies ")
    assert "Language=Klingon level 1" in message and "English" not in message.split("(")[0]
    assert f"({user_arn()}) was deleted" in message
    assert writes(stub) == ["CreateUser", "AssociateUserProficiencies", "DeleteUser"]
    assert PASSWORD not in str(response)


def test_a_rejected_level_deletes_the_user(stub, invoke) -> None:
    create_until_visible(stub)
    stub.error("AssociateUserProficiencies", "InvalidParameterException", message="bad Level")
    delete_user(stub)
    response = invoke(event("CREATE", properties(UserProficiencies=TWO)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    # the message quotes no entry: every entry sent is named
    assert "Language=English level 4, Product=Billing level 3" in response["message"]
    assert stub.operations[-1] == "DeleteUser"


def test_not_predefined_as_not_found_waits_the_window_then_cleans_up(stub, invoke) -> None:
    create_until_visible(stub)
    stub.error(
        "AssociateUserProficiencies",
        "ResourceNotFoundException",
        message="Predefined attribute Language with value Klingon not found.",
        status=404,
    )
    first = invoke(event("CREATE", properties(UserProficiencies=[NOT_PREDEFINED])))
    # never NotFound for the user: the window for Connect to catch up, about UserProficiencies
    assert first["status"] == "IN_PROGRESS", first
    assert first["callbackContext"]["window"] == "missingProficiency"
    assert first["message"].startswith("UserProficiencies names an attribute or value")
    assert "DeleteUser" not in stub.operations
    # the window is over: the same answer is final, and the user is deleted
    stub.visible()
    stub.error("AssociateUserProficiencies", "ResourceNotFoundException", status=404)
    delete_user(stub)
    late = {**first["callbackContext"], "windowStart": int(time.time()) - 10_000}
    second = invoke(event("CREATE", first["resourceModel"], callback_context=late))
    assert (second["status"], second["errorCode"]) == ("FAILED", "InvalidRequest"), second
    assert "UserProficiencies" in second["message"] and "Language=Klingon" in second["message"]
    assert "Still so after" in second["message"] and "was deleted" in second["message"]
    assert stub.operations.count("CreateUser") == 1


def test_a_failed_clean_up_says_so_and_carries_the_arn(stub, invoke) -> None:
    create_until_visible(stub)
    stub.error("AssociateUserProficiencies", "InvalidRequestException", message="no Klingon")
    stub.error("DeleteUser", "AccessDeniedException", IDS, status=403, message="denied")
    response = invoke(event("CREATE", properties(UserProficiencies=[NOT_PREDEFINED])))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert "could not be deleted" in response["message"]
    assert "AccessDeniedException" in response["message"]
    assert f"delete {user_arn()} yourself" in response["message"]


def test_throttled_until_out_of_time_deletes_the_user_too(stub, invoke) -> None:
    stub.visible()
    stub.error("AssociateUserProficiencies", "ThrottlingException", status=429)
    delete_user(stub)
    context = created_context(giveUpAt=int(time.time()) - 1)  # the handler's time is up
    response = invoke(event("CREATE", properties(UserProficiencies=TWO), callback_context=context))
    assert (response["status"], response["errorCode"]) == ("FAILED", "Throttling"), response
    assert "was deleted" in response["message"]


def test_repeated_keys_are_refused_before_any_write(stub, invoke) -> None:
    stub.describe_instance()
    twice = [ENGLISH_4, proficiency("Language", "English", 2)]
    response = invoke(event("CREATE", properties(UserProficiencies=twice, Password="short")))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    # one message with the schema's violations too
    assert "Password" in response["message"]
    assert (
        "UserProficiencies: must list each attribute name and value once: Language=English"
        in response["message"]
    )
    assert writes(stub) == []


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({**ENGLISH_4, "Level": "0"}, "UserProficiencies/0/Level"),
        ({**ENGLISH_4, "Level": "6"}, "UserProficiencies/0/Level"),
        ({**ENGLISH_4, "Level": "three"}, "UserProficiencies/0/Level"),
        ({**ENGLISH_4, "AttributeName": ""}, "UserProficiencies/0/AttributeName"),
        ({**ENGLISH_4, "Extra": "x"}, "UserProficiencies/0"),
    ],
)
def test_the_schema_refuses_bad_entries(stub, invoke, entry, words) -> None:
    stub.describe_instance()
    response = invoke(event("CREATE", properties(UserProficiencies=[entry])))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert words in response["message"]
    assert writes(stub) == []


# --- read ------------------------------------------------------------------------------------


def test_read_by_identifier_lists_every_page(stub, invoke, monkeypatch) -> None:
    response = run(read_two_pages, stub, invoke, monkeypatch)
    assert response["status"] == "SUCCESS", response
    assert response["resourceModel"]["UserProficiencies"] == [ENGLISH_4, BILLING_3]
    assert stub.operations == ["DescribeUser", "ListUserProficiencies", "ListUserProficiencies"]


def test_read_with_a_model_keeps_its_order_and_shows_drift(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.proficiencies([ENGLISH_4, BILLING_3, SPANISH_2])
    declared = [BILLING_3, ENGLISH_4]
    props = properties(UserArn=user_arn(), UserId=USER_ID, UserProficiencies=declared)
    response = invoke(event("READ", props))
    # the template's entries in its order, then what Connect has besides (drift)
    assert response["resourceModel"]["UserProficiencies"] == [BILLING_3, ENGLISH_4, SPANISH_2]


def test_read_with_a_model_that_never_declared_them_does_not_list(stub, invoke) -> None:
    stub.describe_user(live_user())
    response = invoke(event("READ", properties(UserArn=user_arn(), UserId=USER_ID)))
    assert response["status"] == "SUCCESS", response
    assert "UserProficiencies" not in response["resourceModel"]
    assert stub.operations == ["DescribeUser"]


def test_read_of_a_user_without_any_leaves_the_property_out(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.proficiencies()
    response = invoke(event("READ", {"UserArn": user_arn()}))
    assert "UserProficiencies" not in response["resourceModel"]


# --- update ----------------------------------------------------------------------------------


def update_event(
    desired: list[dict[str, Any]] | None, previous: list[dict[str, Any]] | None
) -> dict[str, Any]:
    return event(
        "UPDATE",
        properties(UserArn=user_arn(), UserProficiencies=desired),
        previous=properties(UserArn=user_arn(), UserProficiencies=previous),
    )


def test_update_each_kind_of_change_in_one_call_each(stub, invoke, monkeypatch) -> None:
    response = run(update_every_kind, stub, invoke, monkeypatch)
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == [
        "AssociateUserProficiencies",
        "UpdateUserProficiencies",
        "DisassociateUserProficiencies",
    ]
    assert response["resourceModel"]["UserProficiencies"] == [
        proficiency("Language", "English", 1),
        SPANISH_2,
    ]


@pytest.mark.parametrize(
    ("live", "desired", "operation", "sent"),
    [
        ([ENGLISH_4], TWO, "AssociateUserProficiencies", as_connect([BILLING_3])),
        (TWO, [ENGLISH_4, {**BILLING_3, "Level": 5}], "UpdateUserProficiencies", None),
        (
            TWO,
            [ENGLISH_4],
            "DisassociateUserProficiencies",
            [{"AttributeName": "Product", "AttributeValue": "Billing"}],
        ),
    ],
    ids=["added", "level-changed", "removed"],
)
def test_update_one_kind_of_change(stub, invoke, live, desired, operation, sent) -> None:
    stub.describe_user(live_user())
    stub.proficiencies(live)
    if sent is None:
        sent = as_connect([{**BILLING_3, "Level": 5}])
    stub.ok(operation, {**IDS, "UserProficiencies": sent})
    response = invoke(update_event(desired, TWO))
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == [operation]


@pytest.mark.parametrize("desired", [TWO, list(reversed(TWO))], ids=["same", "reordered"])
def test_update_with_nothing_changed_writes_nothing(stub, invoke, desired) -> None:
    stub.describe_user(live_user())
    stub.proficiencies(TWO)
    response = invoke(update_event(desired, TWO))
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == []


def test_never_declared_proficiencies_are_left_alone(stub, invoke) -> None:
    stub.describe_user(live_user())  # the user has some, set in the console: never listed
    response = invoke(update_event(None, None))
    assert response["status"] == "SUCCESS", response
    assert stub.operations == ["DescribeUser"]


def test_dropping_the_property_disassociates_what_the_template_declared(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.proficiencies([*TWO, SPANISH_2])  # Spanish was set outside the template
    stub.ok(
        "DisassociateUserProficiencies",
        {
            **IDS,
            "UserProficiencies": [
                {"AttributeName": "Language", "AttributeValue": "English"},
                {"AttributeName": "Product", "AttributeValue": "Billing"},
            ],
        },
    )
    response = invoke(update_event(None, TWO))
    assert response["status"] == "SUCCESS", response
    assert writes(stub) == ["DisassociateUserProficiencies"]


def test_a_declared_empty_list_disassociates_everything(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.proficiencies([SPANISH_2])
    stub.ok(
        "DisassociateUserProficiencies",
        {**IDS, "UserProficiencies": [{"AttributeName": "Language", "AttributeValue": "Spanish"}]},
    )
    response = invoke(update_event([], None))
    assert response["status"] == "SUCCESS", response


def test_update_not_predefined_is_invalid_request_about_the_property(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.proficiencies([])
    stub.error(
        "AssociateUserProficiencies",
        "InvalidRequestException",
        {**IDS, "UserProficiencies": as_connect([NOT_PREDEFINED])},
        message="Predefined attribute Language with value Klingon not found.",
    )
    response = invoke(update_event([NOT_PREDEFINED], None))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response
    assert response["message"].startswith("UserProficiencies was refused by Connect")
    assert "DeleteUser" not in stub.operations  # an update never deletes the user


def test_update_not_found_is_never_not_found_for_the_user(stub, invoke) -> None:
    stub.describe_user(live_user())
    stub.proficiencies([])
    stub.error("AssociateUserProficiencies", "ResourceNotFoundException", status=404)
    response = invoke(update_event([NOT_PREDEFINED], None))
    assert response["status"] == "IN_PROGRESS", response
    assert response["callbackContext"]["window"] == "missingProficiency"
    assert response["message"].startswith("UserProficiencies names an attribute or value")


def test_a_refusal_of_a_resent_association_that_took_effect_is_success(stub, invoke) -> None:
    """botocore resent AssociateUserProficiencies after a lost answer and Connect refused to
    associate again what the first attempt did: the live list decides, no clean-up."""
    create_until_visible(stub)
    stub.error("AssociateUserProficiencies", "InvalidRequestException", retry_attempts=1)
    stub.proficiencies(TWO)
    response = invoke(event("CREATE", properties(UserProficiencies=TWO)))
    assert response["status"] == "SUCCESS", response
    assert "DeleteUser" not in stub.operations


def test_a_refusal_of_a_resent_association_that_did_not_take_effect_cleans_up(stub, invoke) -> None:
    create_until_visible(stub)
    stub.error("AssociateUserProficiencies", "InvalidRequestException", retry_attempts=1)
    stub.proficiencies([ENGLISH_4])
    delete_user(stub)
    response = invoke(event("CREATE", properties(UserProficiencies=TWO)))
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidRequest"), response

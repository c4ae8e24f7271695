"""Per-channel settings: the five *Configs lists and PhoneConfig.PersistentConnection in
CreateUser/DescribeUser, UpdateUserConfig, the documented conflicts and the coupling with the
classic PhoneConfig, under each choice Connect leaves undocumented (--channel-fill,
--user-config-update)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError

from connect_emulator.__main__ import configured
from connect_emulator.redaction import REDACTED
from connect_emulator.seed import CONNECT_MANAGED as CM
from connect_emulator.service_model import connect_model

from ..testdata import minimal_create_params
from .test_emulator_shapes import _conforms

IDS = {"InstanceId": CM.id}
DESK = "+14155550100"
FILLS = ["none", "all"]
MODES = ["merge", "replace"]


def acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": seconds}}


def auto(channel: str, on: bool) -> dict[str, Any]:
    return {"Channel": channel, "AutoAccept": on}


NOISE = {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
PERSISTENT = {"Channel": "VOICE", "PersistentConnection": True}
DESK_VOICE = {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": DESK}
BLENDED: dict[str, Any] = {
    "PhoneConfig": None,
    "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}],
    "VoiceEnhancementConfigs": [NOISE],
    "PersistentConnectionConfigs": [PERSISTENT],
    "AfterContactWorkConfigs": [acw("CHAT", 600), acw("VOICE", 30)],
    "AutoAcceptConfigs": [auto("TASK", True)],
}
# Every channel each list supports, at Connect's defaults: what --channel-fill all reports for
# a user nobody configured.
FILLED: dict[str, list[dict[str, Any]]] = {
    "AutoAcceptConfigs": [
        {**auto("VOICE", False), "AgentFirstCallbackAutoAccept": False},
        auto("CHAT", False),
        auto("TASK", False),
        auto("EMAIL", False),
    ],
    "AfterContactWorkConfigs": [
        {
            **acw("VOICE", 0),
            "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0},
        },
        acw("CHAT", 0),
        acw("TASK", 0),
        acw("EMAIL", 0),
    ],
    "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}],
    "PersistentConnectionConfigs": [{"Channel": "VOICE", "PersistentConnection": False}],
    "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "NONE"}],
}
LISTS = tuple(FILLED)


def _code(error: pytest.ExceptionInfo[Exception]) -> str:
    return error.value.response["Error"]["Code"]  # type: ignore[attr-defined]


def lists_of(user: dict[str, Any]) -> dict[str, Any]:
    return {name: user[name] for name in LISTS if name in user}


@pytest.fixture(params=FILLS)
def fill(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def start(start_emulator, fill: str = "none", mode: str = "merge"):
    emulator, client = start_emulator(channel_fill=fill, user_config_update=mode)

    def create(**overrides: Any) -> str:
        return str(client.create_user(**minimal_create_params(**overrides))["UserId"])

    def describe(user_id: str) -> dict[str, Any]:
        user: dict[str, Any] = client.describe_user(**IDS, UserId=user_id)["User"]
        return user

    return emulator, client, create, describe


# --- CreateUser and DescribeUser ------------------------------------------------------------


def test_create_takes_the_lists_and_describe_returns_them_in_channel_order(start_emulator):
    _, _, create, describe = start(start_emulator)
    user = describe(create(**BLENDED))
    assert lists_of(user) == {
        "AutoAcceptConfigs": [auto("TASK", True)],
        "AfterContactWorkConfigs": [acw("VOICE", 30), acw("CHAT", 600)],
        "PhoneNumberConfigs": BLENDED["PhoneNumberConfigs"],
        "PersistentConnectionConfigs": [PERSISTENT],
        "VoiceEnhancementConfigs": [NOISE],
    }
    # The classic form is the VOICE channel's view of the same settings.
    assert user["PhoneConfig"] == {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": False,
        "AfterContactWorkTimeLimit": 30,
        "PersistentConnection": True,
        "DeskPhoneNumber": "",
    }


@pytest.mark.parametrize("operation", ["DescribeUser", "SearchUsers"])
def test_the_answers_match_botocores_output_shape(start_emulator, fill, operation):
    _, client, create, _ = start(start_emulator, fill)
    user_id = create(**BLENDED)
    raw: list[Any] = []
    client.meta.events.register(
        f"after-call.connect.{operation}", lambda http_response, **_: raw.append(http_response)
    )
    if operation == "DescribeUser":
        client.describe_user(**IDS, UserId=user_id)
    else:
        found = client.search_users(**IDS)["Users"]
        assert found[0]["VoiceEnhancementConfigs"] == [NOISE]
    shape = connect_model().operation_model(operation).output_shape
    assert _conforms(shape, json.loads(raw[0].content), operation) == []


def test_a_desk_phone_per_channel_shows_in_the_classic_form(start_emulator):
    _, _, create, describe = start(start_emulator)
    user = describe(create(PhoneConfig=None, PhoneNumberConfigs=[DESK_VOICE]))
    assert user["PhoneConfig"]["PhoneType"] == "DESK_PHONE"
    assert user["PhoneConfig"]["DeskPhoneNumber"] == DESK
    assert user["PhoneNumberConfigs"] == [DESK_VOICE]


def test_phone_config_is_optional_and_persistent_connection_is_kept(start_emulator):
    _, _, create, describe = start(start_emulator)
    bare = describe(create(PhoneConfig=None))
    assert bare["PhoneConfig"] == {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": False,
        "AfterContactWorkTimeLimit": 0,
        "DeskPhoneNumber": "",
    }
    classic = {"PhoneType": "SOFT_PHONE", "PersistentConnection": True}
    persistent = describe(create(Username="agent2", PhoneConfig=classic))
    assert persistent["PhoneConfig"]["PersistentConnection"] is True


def test_unset_channels_are_reported_only_under_fill_all(start_emulator, fill):
    _, _, create, describe = start(start_emulator, fill)
    user = describe(create())
    if fill == "none":
        assert lists_of(user) == {}
        assert "PersistentConnection" not in user["PhoneConfig"]
    else:
        assert lists_of(user) == FILLED
        assert user["PhoneConfig"]["PersistentConnection"] is False


def test_fill_all_gives_unset_channels_the_classic_values(start_emulator):
    _, _, create, describe = start(start_emulator, "all")
    classic = {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": DESK, "AutoAccept": True}
    user = describe(
        create(
            PhoneConfig={**classic, "AfterContactWorkTimeLimit": 45},
            VoiceEnhancementConfigs=[NOISE],
        )
    )
    assert [
        e["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
        for e in user["AfterContactWorkConfigs"]
    ] == [45] * 4
    assert user["AutoAcceptConfigs"][0]["AutoAccept"] is True  # VOICE
    assert {e["AutoAccept"] for e in user["AutoAcceptConfigs"][1:]} == {False}
    assert user["PhoneNumberConfigs"] == [DESK_VOICE]
    assert user["VoiceEnhancementConfigs"] == [NOISE]


@pytest.mark.parametrize(
    ("classic", "lists"),
    [
        ({"AutoAccept": False}, {"AutoAcceptConfigs": [auto("CHAT", True)]}),
        ({"AfterContactWorkTimeLimit": 0}, {"AfterContactWorkConfigs": [acw("CHAT", 5)]}),
        ({"PhoneType": "SOFT_PHONE"}, {"PhoneNumberConfigs": [DESK_VOICE]}),
        (
            {"DeskPhoneNumber": DESK},
            {"PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}]},
        ),
        ({"PersistentConnection": True}, {"PersistentConnectionConfigs": [PERSISTENT]}),
    ],
)
def test_create_refuses_each_documented_conflict(start_emulator, classic, lists):
    emulator, client, _, _ = start(start_emulator)
    member = next(iter(classic))
    with pytest.raises(client.exceptions.InvalidRequestException) as raised:
        client.create_user(**minimal_create_params(PhoneConfig=classic, **lists))
    message = raised.value.response["Error"]["Message"]
    assert f"PhoneConfig.{member}" in message and next(iter(lists)) in message
    assert DESK not in message
    assert emulator.state.instances[CM.id].users == {}


@pytest.mark.parametrize(
    ("lists", "words"),
    [
        ({"VoiceEnhancementConfigs": [{**NOISE, "Channel": "CHAT"}]}, "Only VOICE"),
        ({"PhoneNumberConfigs": [{**DESK_VOICE, "Channel": "EMAIL"}]}, "Only VOICE"),
        ({"PersistentConnectionConfigs": [{**PERSISTENT, "Channel": "TASK"}]}, "Only VOICE"),
        ({"AutoAcceptConfigs": [auto("TASK", True), auto("TASK", False)]}, "one entry per channel"),
        (
            {"AutoAcceptConfigs": [{**auto("CHAT", True), "AgentFirstCallbackAutoAccept": True}]},
            "only applies to the VOICE channel",
        ),
        (
            {
                "AfterContactWorkConfigs": [
                    {
                        **acw("TASK", 5),
                        "AgentFirstCallbackAfterContactWorkConfig": {
                            "AfterContactWorkTimeLimit": 5
                        },
                    }
                ]
            },
            "only applies to the VOICE channel",
        ),
        ({"AfterContactWorkConfigs": [acw("CHAT", 2_000_001)]}, "at most 2000000"),
        (
            {"PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "DESK_PHONE"}]},
            "PhoneNumber is required",
        ),
        (
            {"PhoneNumberConfigs": [{**DESK_VOICE, "PhoneNumber": "0800 EMULATE"}]},
            "regular expression",
        ),
        ({"AutoAcceptConfigs": [auto("FAX", True)]}, "enum value set"),
    ],
)
@pytest.mark.parametrize("operation", ["CreateUser", "UpdateUserConfig"])
def test_the_per_channel_rules_are_invalid_parameters(start_emulator, lists, words, operation):
    emulator, client, create, describe = start(start_emulator)
    user_id = create()
    before = describe(user_id)
    with pytest.raises(client.exceptions.InvalidParameterException) as raised:
        if operation == "CreateUser":
            client.create_user(**minimal_create_params(Username="agent2", **lists))
        else:
            client.update_user_config(**IDS, UserId=user_id, **lists)
    message = raised.value.response["Error"]["Message"]
    assert words in message
    assert "0800 EMULATE" not in message and DESK not in message
    assert describe(user_id) == before
    assert len(emulator.state.instances[CM.id].users) == 1


# --- UpdateUserConfig -----------------------------------------------------------------------


def test_update_user_config_merges_by_channel(start_emulator, fill):
    _, client, create, describe = start(start_emulator, fill, "merge")
    user_id = create(**BLENDED)
    client.update_user_config(**IDS, UserId=user_id, AfterContactWorkConfigs=[acw("EMAIL", 5)])
    user = describe(user_id)
    expected = [acw("VOICE", 30), acw("CHAT", 600), acw("EMAIL", 5)]
    if fill == "all":
        voice_callback = {
            "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}
        }
        expected = [
            {**acw("VOICE", 30), **voice_callback},
            acw("CHAT", 600),
            acw("TASK", 0),
            acw("EMAIL", 5),
        ]
    assert user["AfterContactWorkConfigs"] == expected
    assert user["AutoAcceptConfigs"][-2 if fill == "all" else 0] == auto("TASK", True)  # untouched


def test_update_user_config_can_replace_each_list_it_is_given(start_emulator, fill):
    _, client, create, describe = start(start_emulator, fill, "replace")
    user_id = create(**BLENDED)
    client.update_user_config(**IDS, UserId=user_id, AfterContactWorkConfigs=[acw("EMAIL", 5)])
    user = describe(user_id)
    if fill == "none":
        assert user["AfterContactWorkConfigs"] == [acw("EMAIL", 5)]
    else:
        assert user["AfterContactWorkConfigs"] == [
            *FILLED["AfterContactWorkConfigs"][:3],
            acw("EMAIL", 5),
        ]
    # VOICE left out of the list: its classic view goes back to the default too.
    assert user["PhoneConfig"]["AfterContactWorkTimeLimit"] == 0
    assert user["VoiceEnhancementConfigs"] == [NOISE]  # a list not given is never touched


@pytest.mark.parametrize("mode", MODES)
def test_a_voice_entry_written_per_channel_shows_in_the_classic_form(start_emulator, fill, mode):
    _, client, create, describe = start(start_emulator, fill, mode)
    user_id = create(PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": True})
    client.update_user_config(
        **IDS,
        UserId=user_id,
        PhoneNumberConfigs=[DESK_VOICE],
        AfterContactWorkConfigs=[acw("VOICE", 90)],
        PersistentConnectionConfigs=[PERSISTENT],
    )
    assert describe(user_id)["PhoneConfig"] == {
        "PhoneType": "DESK_PHONE",
        "DeskPhoneNumber": DESK,
        "AutoAccept": True,  # AutoAcceptConfigs not given
        "AfterContactWorkTimeLimit": 90,
        "PersistentConnection": True,
    }


def test_merging_a_list_without_voice_leaves_the_classic_form_alone(start_emulator, fill):
    _, client, create, describe = start(start_emulator, fill, "merge")
    user_id = create(PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": True})
    client.update_user_config(**IDS, UserId=user_id, AutoAcceptConfigs=[auto("CHAT", True)])
    assert describe(user_id)["PhoneConfig"]["AutoAccept"] is True


def test_update_user_config_of_a_missing_user_is_not_found(start_emulator):
    _, client, _, _ = start(start_emulator)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_user_config(
            **IDS, UserId="dddddddd-0001-4000-8000-000000000099", AutoAcceptConfigs=[]
        )


# --- UpdateUserPhoneConfig: the classic form and the channels --------------------------------


def test_update_user_phone_config_sets_the_same_acw_on_every_channel(start_emulator, fill):
    _, client, create, describe = start(start_emulator, fill)
    user_id = create(**BLENDED)
    client.update_user_phone_config(
        **IDS,
        UserId=user_id,
        PhoneConfig={
            "PhoneType": "DESK_PHONE",
            "DeskPhoneNumber": DESK,
            "AfterContactWorkTimeLimit": 15,
        },
    )
    user = describe(user_id)
    limits = {
        e["Channel"]: e["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
        for e in user["AfterContactWorkConfigs"]
    }
    assert set(limits.values()) == {15}
    assert set(limits) == (
        {"VOICE", "CHAT"} if fill == "none" else {"VOICE", "CHAT", "TASK", "EMAIL"}
    )
    assert user["PhoneNumberConfigs"] == [DESK_VOICE]  # the VOICE entries follow
    # The classic call replaces the whole structure: PersistentConnection left out is off.
    assert user["PersistentConnectionConfigs"] == [{**PERSISTENT, "PersistentConnection": False}]
    assert user["VoiceEnhancementConfigs"] == [NOISE]  # no classic member: untouched


def test_a_classic_write_never_adds_channels_under_fill_none(start_emulator):
    _, client, create, describe = start(start_emulator)
    user_id = create()
    client.update_user_phone_config(
        **IDS,
        UserId=user_id,
        PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 15},
    )
    assert lists_of(describe(user_id)) == {}


# --- faults, log, state, options ------------------------------------------------------------


def test_update_user_config_faults_are_injected_like_every_operation(start_emulator):
    emulator, client, create, describe = start(start_emulator)
    user_id = create()
    emulator.faults.fail_next("UpdateUserConfig", 1, "ConditionalOperationFailedException")
    with pytest.raises(client.exceptions.ConditionalOperationFailedException) as raised:
        client.update_user_config(**IDS, UserId=user_id, PhoneNumberConfigs=[DESK_VOICE])
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "PhoneNumberConfigs" not in describe(user_id)
    emulator.faults.fail_next("UpdateUserConfig", 1, "commit_then_drop")
    with pytest.raises(ConnectionClosedError):  # the connection closes unanswered
        client.update_user_config(**IDS, UserId=user_id, PhoneNumberConfigs=[DESK_VOICE])
    assert describe(user_id)["PhoneNumberConfigs"] == [DESK_VOICE]  # committed all the same
    logged = [e for e in emulator.requests.entries() if e.operation == "UpdateUserConfig"]
    assert [e.fault for e in logged] == [
        "fail_next:ConditionalOperationFailedException",
        "fail_next:commit_then_drop",
    ]
    assert logged[0].params["PhoneNumberConfigs"][0]["PhoneNumber"] == REDACTED
    assert DESK not in json.dumps([e.to_json() for e in logged])


def test_update_user_config_is_a_write_saved_to_the_state_file(start_emulator, tmp_path):
    state = tmp_path / "state.json"
    _, client = start_emulator(state_file=state)
    user_id = client.create_user(**minimal_create_params())["UserId"]
    client.update_user_config(**IDS, UserId=user_id, VoiceEnhancementConfigs=[NOISE])
    _, restarted = start_emulator(state_file=state)
    user = restarted.describe_user(**IDS, UserId=user_id)["User"]
    assert user["VoiceEnhancementConfigs"] == [NOISE]


def test_update_user_config_can_lag_behind_a_new_user(start_emulator):
    from connect_emulator import ManualClock

    _, client = start_emulator(
        clock=ManualClock(), consistency={"UpdateUserConfig": {"new_user": 5.0}}
    )
    user_id = client.create_user(**minimal_create_params())["UserId"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_user_config(**IDS, UserId=user_id, VoiceEnhancementConfigs=[NOISE])


def test_command_line_options():
    emulator, _ = configured(
        ["--port", "0", "--channel-fill", "all", "--user-config-update", "replace"]
    )
    assert emulator.service.settings.channel_fill.value == "all"
    assert emulator.service.settings.user_config_update.value == "replace"
    plain, _ = configured(["--port", "0"])
    assert (
        plain.service.settings.channel_fill.value,
        plain.service.settings.user_config_update.value,
    ) == ("none", "merge")


def _admin(emulator: Any, method: str, body: object | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    url = f"{emulator.endpoint_url}/_emulator/channels"
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method)) as answer:
        return json.loads(answer.read())


def test_admin_endpoint_reads_and_sets_the_choices(start_emulator):
    emulator, client = start_emulator()
    assert _admin(emulator, "GET") == {"channel_fill": "none", "user_config_update": "merge"}
    assert _admin(emulator, "POST", {"user_config_update": "replace"}) == {
        "channel_fill": "none",
        "user_config_update": "replace",
    }
    for bad in ({"channel_fill": "some"}, {"channel_fill": "all", "merge": True}):
        with pytest.raises(urllib.error.HTTPError) as error:
            _admin(emulator, "POST", bad)
        assert error.value.code == 400
    assert _admin(emulator, "GET")["channel_fill"] == "none"  # a refused body changes nothing
    _admin(emulator, "POST", {"channel_fill": "all"})
    user_id = client.create_user(**minimal_create_params())["UserId"]
    assert lists_of(client.describe_user(**IDS, UserId=user_id)["User"]) == FILLED

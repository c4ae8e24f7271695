"""Per-channel settings between the model and Connect's API (channels.py), without a network."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from aws_connect_user import channels
from aws_connect_user.channel_rules import channel_rules
from aws_connect_user.models import ResourceModel
from aws_connect_user.runtime import build_model
from tests.testdata import live_user, user_model

CHAT_ACW = {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 600}}
VOICE_ACW = {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30}}
TASK_AUTO = {"Channel": "TASK", "AutoAccept": True}
NOISE = {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
SOFT = {"PhoneType": "SOFT_PHONE"}


def model(**overrides: Any) -> ResourceModel:
    """The valid user with only a phone type in PhoneConfig: nothing a list conflicts with."""
    return build_model(user_model(**{"PhoneConfig": SOFT, **overrides}))


ONE_FORM = "set it in one of the two forms"
CLASSIC = user_model()["PhoneConfig"]  # the valid user's full classic PhoneConfig


def user(**overrides: Any) -> dict[str, Any]:
    return live_user(**overrides)


class TestCreate:
    def test_declared_lists_go_in_channel_order_and_empty_ones_are_not_sent(self) -> None:
        m = model(AfterContactWorkConfigs=[CHAT_ACW, VOICE_ACW], VoiceEnhancementConfigs=[])
        assert channels.create_params(m) == {"AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW]}

    def test_a_list_owns_its_classic_members_so_no_default_is_sent_for_them(self) -> None:
        m = model(PhoneConfig=SOFT, AutoAcceptConfigs=[TASK_AUTO])
        assert channels.classic_params(m) == {
            "PhoneType": "SOFT_PHONE",
            "AfterContactWorkTimeLimit": 0,
        }

    def test_no_phone_config_sends_none(self) -> None:
        m = model(PhoneConfig=None, PhoneNumberConfigs=[{"Channel": "VOICE", **SOFT}])
        assert channels.classic_params(m) is None

    def test_persistent_connection_is_sent_when_set(self) -> None:
        m = model(PhoneConfig={**SOFT, "PersistentConnection": True})
        assert channels.classic_params(m) == {
            "PhoneType": "SOFT_PHONE",
            "AutoAccept": False,
            "AfterContactWorkTimeLimit": 0,
            "PersistentConnection": True,
        }


class TestRead:
    LIVE_ACW: ClassVar[list[dict[str, Any]]] = [
        {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30}},
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 900}},
        {"Channel": "TASK", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}},
    ]

    def test_a_declared_list_comes_back_with_exactly_its_channels_and_live_values(self) -> None:
        found = channels.rendered(
            user(AfterContactWorkConfigs=self.LIVE_ACW), model(AfterContactWorkConfigs=[CHAT_ACW])
        )
        assert channels.plain(found["AfterContactWorkConfigs"]) == [
            {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 900}}
        ]

    def test_an_undeclared_list_comes_back_as_connect_reports_it(self) -> None:
        found = channels.rendered(user(AfterContactWorkConfigs=self.LIVE_ACW), None)
        assert channels.plain(found["AfterContactWorkConfigs"]) == self.LIVE_ACW
        assert found["VoiceEnhancementConfigs"] is None

    def test_optional_members_come_back_only_when_declared(self) -> None:
        live = [{"Channel": "VOICE", "AutoAccept": True, "AgentFirstCallbackAutoAccept": False}]
        declared = [{"Channel": "VOICE", "AutoAccept": True}]
        found = channels.rendered(user(AutoAcceptConfigs=live), model(AutoAcceptConfigs=declared))
        assert channels.plain(found["AutoAcceptConfigs"]) == declared

    def test_a_declared_channel_missing_live_is_missing_in_the_read(self) -> None:
        found = channels.rendered(user(), model(AutoAcceptConfigs=[TASK_AUTO]))
        assert found["AutoAcceptConfigs"] == []

    @pytest.mark.parametrize(
        ("phone", "expected"),
        [(None, True), (SOFT, None), ({**SOFT, "PersistentConnection": False}, True)],
    )
    def test_persistent_connection_keeps_the_request_form(self, phone, expected) -> None:
        live = user(PhoneConfig={**SOFT, "PersistentConnection": True})
        requested = model(PhoneConfig=phone) if phone else None
        assert channels.rendered_persistent_connection(live, requested) is expected


class TestUpdate:
    def test_nothing_differs_nothing_is_written_whatever_the_order(self) -> None:
        live = user(AfterContactWorkConfigs=[CHAT_ACW, VOICE_ACW])
        assert (
            channels.write(model(AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW]), None, live) == {}
        )

    def test_only_the_list_that_differs_is_sent_with_the_other_live_channels(self) -> None:
        live = user(AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW], VoiceEnhancementConfigs=[NOISE])
        chat = {**CHAT_ACW, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 120}}
        desired = model(AfterContactWorkConfigs=[chat], VoiceEnhancementConfigs=[NOISE])
        assert channels.write(desired, None, live) == {"AfterContactWorkConfigs": [VOICE_ACW, chat]}

    def test_a_new_channel_is_added_to_the_live_ones(self) -> None:
        live = user(AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}])
        assert channels.write(model(AutoAcceptConfigs=[TASK_AUTO]), None, live) == {
            "AutoAcceptConfigs": [{"Channel": "VOICE", "AutoAccept": True}, TASK_AUTO]
        }

    def test_a_channel_the_previous_template_declared_goes_back_to_its_default(self) -> None:
        live = user(AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        previous = model(AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        desired = model(AfterContactWorkConfigs=[VOICE_ACW])
        reset = {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}}
        assert channels.write(desired, previous, live) == {
            "AfterContactWorkConfigs": [VOICE_ACW, reset]
        }

    def test_a_dropped_list_goes_back_to_default_and_an_already_default_one_is_left(self) -> None:
        previous = model(VoiceEnhancementConfigs=[NOISE])
        live = user(VoiceEnhancementConfigs=[NOISE])
        expected = [{"Channel": "VOICE", "VoiceEnhancementMode": "NONE"}]
        assert channels.write(model(), previous, live) == {"VoiceEnhancementConfigs": expected}
        assert channels.write(model(), previous, user(VoiceEnhancementConfigs=expected)) == {}
        assert channels.write(model(), previous, user()) == {}

    def test_a_channel_no_template_declared_is_left_as_it_is(self) -> None:
        live = user(AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}])
        assert channels.write(model(), model(), live) == {}

    def test_a_dropped_member_goes_back_to_its_default_and_an_unset_one_is_carried(self) -> None:
        live_entry = {"Channel": "VOICE", "AutoAccept": True, "AgentFirstCallbackAutoAccept": True}
        live = user(AutoAcceptConfigs=[live_entry])
        desired = model(AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": False}])
        assert channels.write(desired, None, live) == {
            "AutoAcceptConfigs": [{**live_entry, "AutoAccept": False}]
        }
        previous = model(AutoAcceptConfigs=[live_entry])
        desired = model(AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}])
        assert channels.write(desired, previous, live) == {
            "AutoAcceptConfigs": [{**live_entry, "AgentFirstCallbackAutoAccept": False}]
        }

    def test_a_desk_phone_number_dropped_with_the_desk_phone_is_removed(self) -> None:
        desk = {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"}
        soft = {"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}
        live = user(PhoneNumberConfigs=[desk])
        desired = model(PhoneConfig=None, PhoneNumberConfigs=[soft])
        assert channels.write(desired, model(PhoneNumberConfigs=[desk]), live) == {
            "PhoneNumberConfigs": [soft]
        }

    def test_the_classic_form_taking_over_a_dropped_list_is_not_reset(self) -> None:
        previous = model(
            PhoneConfig=SOFT, AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}]
        )
        desired = model(PhoneConfig={**SOFT, "AutoAccept": True})
        live = user(AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}])
        assert channels.write(desired, previous, live) == {}

    def test_a_classic_write_that_resets_every_channels_acw_resends_the_list(self) -> None:
        """UpdateUserPhoneConfig sets the same ACW on every channel (documented)."""
        live = user(AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        desired = model(
            PhoneConfig={**SOFT, "AutoAccept": True}, AfterContactWorkConfigs=[CHAT_ACW]
        )
        classic = {**SOFT, "AutoAccept": True, "AfterContactWorkTimeLimit": 30}
        assert channels.write(desired, None, live, classic) == {
            "AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW]
        }
        assert channels.write(desired, None, live) == {}


class TestClassicWrite:
    def test_equal_classic_members_write_nothing(self) -> None:
        assert channels.classic_write(model(PhoneConfig=CLASSIC), user()) is None

    def test_members_a_list_owns_are_neither_compared_nor_reset(self) -> None:
        live = user(
            PhoneConfig={
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": True,
                "AfterContactWorkTimeLimit": 30,
            }
        )
        desired = model(
            PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 30},
            AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}],
        )
        assert channels.classic_write(desired, live) is None
        desired = model(
            PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 60},
            AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}],
        )
        assert channels.classic_write(desired, live) == {
            "PhoneType": "SOFT_PHONE",
            "AutoAccept": True,
            "AfterContactWorkTimeLimit": 60,
        }

    def test_no_phone_config_never_writes_the_classic_form(self) -> None:
        desired = model(PhoneConfig=None, PhoneNumberConfigs=[{"Channel": "VOICE", **SOFT}])
        assert (
            channels.classic_write(desired, user(PhoneConfig={"PhoneType": "DESK_PHONE"})) is None
        )

    def test_persistent_connection_is_compared_only_when_set(self) -> None:
        live = user(PhoneConfig={**user()["PhoneConfig"], "PersistentConnection": True})
        assert channels.classic_write(model(PhoneConfig=CLASSIC), live) is None
        phone = {**user()["PhoneConfig"], "PersistentConnection": False}
        assert channels.classic_write(model(PhoneConfig=phone), live) == phone


class TestRules:
    def messages(self, **overrides: Any) -> list[str]:
        return [str(v) for v in channel_rules(model(**overrides))]

    def test_a_valid_blended_agent_breaks_no_rule(self) -> None:
        assert (
            self.messages(
                PhoneConfig=None,
                PhoneNumberConfigs=[{"Channel": "VOICE", **SOFT}],
                AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW],
                AutoAcceptConfigs=[TASK_AUTO],
                VoiceEnhancementConfigs=[NOISE],
            )
            == []
        )

    def test_every_user_has_a_phone_type_in_one_of_the_two_forms(self) -> None:
        assert self.messages(PhoneConfig={"AutoAccept": True}) == [
            "PhoneConfig/PhoneType: is required unless PhoneNumberConfigs has a VOICE entry: "
            "every user has a phone type"
        ]

    def test_a_desk_phone_needs_a_number(self) -> None:
        desk = {"Channel": "VOICE", "PhoneType": "DESK_PHONE"}
        assert self.messages(PhoneConfig=None, PhoneNumberConfigs=[desk]) == [
            "PhoneNumberConfigs/0/PhoneNumber: is required when PhoneType is DESK_PHONE"
        ]

    @pytest.mark.parametrize(
        ("member", "value", "prop", "entry"),
        [
            ("AutoAccept", True, "AutoAcceptConfigs", TASK_AUTO),
            ("AfterContactWorkTimeLimit", 30, "AfterContactWorkConfigs", CHAT_ACW),
            (
                "PersistentConnection",
                True,
                "PersistentConnectionConfigs",
                {"Channel": "VOICE", "PersistentConnection": True},
            ),
        ],
    )
    def test_each_documented_conflict_is_named(self, member, value, prop, entry) -> None:
        assert self.messages(PhoneConfig={**SOFT, member: value}, **{prop: [entry]}) == [
            f"PhoneConfig/{member}: conflicts with {prop}: set it in one of the two forms"
        ]

    def test_phone_type_and_desk_number_conflict_with_phone_number_configs(self) -> None:
        desk = {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"}
        phone = {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"}
        assert self.messages(PhoneConfig=phone, PhoneNumberConfigs=[desk]) == [
            f"PhoneConfig/{member}: conflicts with PhoneNumberConfigs: {ONE_FORM}"
            for member in ("PhoneType", "DeskPhoneNumber")
        ]

    def test_one_entry_per_channel_and_callbacks_on_voice_only(self) -> None:
        assert self.messages(
            AfterContactWorkConfigs=[
                CHAT_ACW,
                {**CHAT_ACW, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 1}},
            ],
            AutoAcceptConfigs=[{**TASK_AUTO, "AgentFirstCallbackAutoAccept": True}],
        ) == [
            "AfterContactWorkConfigs: must have at most one entry per channel: CHAT",
            "AutoAcceptConfigs/0/AgentFirstCallbackAutoAccept: applies to the VOICE channel only",
        ]

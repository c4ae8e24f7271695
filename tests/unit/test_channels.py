"""Per-channel settings between the model and Connect's API (channels.py), without a network."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_connect_user import channels
from aws_connect_user.channel_rules import channel_rules
from aws_connect_user.models import ResourceModel
from aws_connect_user.runtime import build_model
from connect_emulator import user_config
from tests.testdata import PHONE, live_user, user_model

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

    def test_a_declared_channel_connect_does_not_report_reads_as_its_default(self) -> None:
        # what the update's diff assumes of a missing channel: no false drift either way
        declared_default = {"Channel": "TASK", "AutoAccept": False}
        found = channels.rendered(user(), model(AutoAcceptConfigs=[declared_default]))
        assert [e._serialize() for e in found["AutoAcceptConfigs"]] == [declared_default]
        assert channels.write(model(AutoAcceptConfigs=[declared_default]), None, user()) == {}
        wanted = channels.rendered(user(), model(AutoAcceptConfigs=[TASK_AUTO]))
        assert [e._serialize() for e in wanted["AutoAcceptConfigs"]] != [TASK_AUTO]  # real drift

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
        previous = model(PhoneConfig=None, PhoneNumberConfigs=[desk])
        assert channels.write(desired, previous, live) == {"PhoneNumberConfigs": [soft]}

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


# --- the classic form as the VOICE channel's view (issue 12's three fixes) -------------------

DESK = {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"}
VOICE_DESK = {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"}


def acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": seconds}}


class TestClassicVoice:
    def test_each_classic_member_stands_for_its_lists_voice_entry(self) -> None:
        phone = {**DESK, "AutoAccept": True, "AfterContactWorkTimeLimit": 30}
        assert channels.classic_voice(
            user(PhoneConfig={**phone, "PersistentConnection": False})
        ) == {
            "AutoAcceptConfigs": {"AutoAccept": True},
            "AfterContactWorkConfigs": {
                "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30}
            },
            "PhoneNumberConfigs": {"PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550100"},
            "PersistentConnectionConfigs": {"PersistentConnection": False},
        }

    def test_a_member_connect_does_not_report_stands_for_nothing(self) -> None:
        assert channels.classic_voice(user(PhoneConfig=SOFT)) == {
            "PhoneNumberConfigs": {"PhoneType": "SOFT_PHONE"}
        }
        assert channels.classic_voice(user(PhoneConfig=None)) == {}

    def test_a_voice_entry_missing_from_a_live_list_is_taken_from_the_classic_form(self) -> None:
        live = user(PhoneConfig={**SOFT, "AutoAccept": True}, AutoAcceptConfigs=[TASK_AUTO])
        after = channels.after_classic_write(live, None)
        assert after["AutoAcceptConfigs"] == {
            "VOICE": {"AutoAccept": True},
            "TASK": {"AutoAccept": True},
        }

    def test_a_voice_entry_connect_reports_in_the_list_wins(self) -> None:
        voice = {"Channel": "VOICE", "AutoAccept": False, "AgentFirstCallbackAutoAccept": True}
        live = user(PhoneConfig={**SOFT, "AutoAccept": True}, AutoAcceptConfigs=[voice])
        after = channels.after_classic_write(live, None)
        assert after["AutoAcceptConfigs"] == {
            "VOICE": {"AutoAccept": False, "AgentFirstCallbackAutoAccept": True}
        }


class TestVoiceFromTheClassicForm:
    """Fix 1: a list sent whole carries the VOICE entry Connect reports only in PhoneConfig."""

    def test_a_list_sent_whole_carries_the_voice_setting_made_in_the_classic_form(self) -> None:
        live = user(PhoneConfig={**SOFT, "AutoAccept": True}, AutoAcceptConfigs=[TASK_AUTO])
        desired = model(PhoneConfig=None, AutoAcceptConfigs=[{**TASK_AUTO, "AutoAccept": False}])
        assert channels.write(desired, model(AutoAcceptConfigs=[TASK_AUTO]), live) == {
            "AutoAcceptConfigs": [
                {"Channel": "VOICE", "AutoAccept": True},
                {**TASK_AUTO, "AutoAccept": False},
            ]
        }

    def test_the_acw_list_carries_voices_classic_limit(self) -> None:
        live = user(PhoneConfig={**SOFT, "AfterContactWorkTimeLimit": 45})
        assert channels.write(model(AfterContactWorkConfigs=[CHAT_ACW]), None, live) == {
            "AfterContactWorkConfigs": [acw("VOICE", 45), CHAT_ACW]
        }

    def test_a_declared_voice_entry_the_classic_form_already_holds_writes_nothing(self) -> None:
        live = user(PhoneConfig={**SOFT, "PersistentConnection": True})
        desired = model(
            PersistentConnectionConfigs=[{"Channel": "VOICE", "PersistentConnection": True}]
        )
        assert channels.write(desired, None, live) == {}

    def test_moving_a_desk_phone_to_a_soft_phone_per_channel_is_written(self) -> None:
        """The desk phone is in the classic form only: the VOICE entry is read from there, so
        the change of phone type is seen (before: a missing entry counted as a soft phone)."""
        live = user(PhoneConfig={**PHONE, **DESK})
        desired = model(PhoneConfig=None, PhoneNumberConfigs=[{"Channel": "VOICE", **SOFT}])
        sent = channels.write(desired, model(PhoneConfig=DESK), live)
        assert [e["PhoneType"] for e in sent["PhoneNumberConfigs"]] == ["SOFT_PHONE"]


class TestMovingBetweenTheForms:
    """Issue 20: what the previous template managed in one form and the desired one leaves to
    the other (or drops) goes to what the desired template implies."""

    PER_CHANNEL: ClassVar[dict[str, Any]] = {
        "AutoAcceptConfigs": [
            {"Channel": "VOICE", "AutoAccept": True, "AgentFirstCallbackAutoAccept": True},
            {"Channel": "CHAT", "AutoAccept": True},
        ],
        "AfterContactWorkConfigs": [
            {
                **acw("VOICE", 45),
                "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 90},
            },
            acw("CHAT", 600),
        ],
    }

    def test_back_to_the_classic_form_resets_what_the_classic_write_does_not_reach(self) -> None:
        live = user(
            PhoneConfig={**SOFT, "AutoAccept": True, "AfterContactWorkTimeLimit": 45},
            **self.PER_CHANNEL,
        )
        desired = model(PhoneConfig={**SOFT, "AutoAccept": False, "AfterContactWorkTimeLimit": 30})
        classic = channels.classic_write(desired, live)
        assert classic == {**SOFT, "AutoAccept": False, "AfterContactWorkTimeLimit": 30}
        sent = channels.write(desired, model(**self.PER_CHANNEL), live, classic)
        assert sent == {
            "AutoAcceptConfigs": [
                {"Channel": "VOICE", "AutoAccept": False, "AgentFirstCallbackAutoAccept": False},
                {"Channel": "CHAT", "AutoAccept": False},
            ],
            "AfterContactWorkConfigs": [
                {
                    **acw("VOICE", 30),
                    "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0},
                },
                acw("CHAT", 30),
                # PhoneConfig's limit is every channel's again: the write may not be sent.
                acw("TASK", 30),
                acw("EMAIL", 30),
            ],
        }

    def test_a_dropped_channel_takes_the_classic_limit_when_no_phone_write_is_sent(self) -> None:
        live = user(
            PhoneConfig={**SOFT, "AutoAccept": False, "AfterContactWorkTimeLimit": 30},
            AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 600)],
        )
        desired = model(PhoneConfig={**SOFT, "AfterContactWorkTimeLimit": 30})
        previous = model(AfterContactWorkConfigs=[acw("VOICE", 30), acw("CHAT", 600)])
        assert channels.classic_write(desired, live) is None
        assert channels.write(desired, previous, live) == {
            "AfterContactWorkConfigs": [acw(c, 30) for c in ("VOICE", "CHAT", "TASK", "EMAIL")]
        }

    def test_per_channel_without_voice_resets_what_the_classic_form_had_set(self) -> None:
        live = user(PhoneConfig={**SOFT, "AutoAccept": True, "AfterContactWorkTimeLimit": 600})
        previous = model(PhoneConfig={**SOFT, "AutoAccept": True, "AfterContactWorkTimeLimit": 600})
        desired = model(
            AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}],
            AfterContactWorkConfigs=[acw("CHAT", 30)],
        )
        assert channels.classic_write(desired, live) is None
        assert channels.write(desired, previous, live) == {
            "AutoAcceptConfigs": [
                {"Channel": "VOICE", "AutoAccept": False},
                {"Channel": "CHAT", "AutoAccept": True},
            ],
            # The classic limit was every channel's: the channels this template does not
            # list go to Connect's default.
            "AfterContactWorkConfigs": [
                acw("VOICE", 0),
                acw("CHAT", 30),
                acw("TASK", 0),
                acw("EMAIL", 0),
            ],
        }


class TestAcwRestore:
    MIXED: ClassVar[dict[str, Any]] = {
        "PhoneConfig": {**SOFT, "AutoAccept": True},
        "AfterContactWorkConfigs": [VOICE_ACW],
    }

    def test_the_limits_a_phone_write_overwrites_are_recorded_and_an_earlier_record_wins(
        self,
    ) -> None:
        live = user(
            PhoneConfig=PHONE, AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW, acw("EMAIL", 5)]
        )
        desired = model(**self.MIXED)
        classic = channels.classic_write(desired, live)
        assert channels.acw_restore(desired, live, classic, {}) == {"CHAT": 600, "EMAIL": 5}
        assert channels.acw_restore(desired, live, classic, {"CHAT": 120}) == {
            "CHAT": 120,
            "EMAIL": 5,
        }
        assert channels.acw_restore(desired, live, None, {"CHAT": 120}) == {"CHAT": 120}
        classic_acw = model(PhoneConfig={**SOFT, "AfterContactWorkTimeLimit": 60})
        assert channels.acw_restore(classic_acw, live, {"AfterContactWorkTimeLimit": 60}, {}) == {}

    def test_a_callback_puts_back_what_an_earlier_phone_write_overwrote(self) -> None:
        spread = user(
            PhoneConfig={**PHONE, "AutoAccept": True},
            AfterContactWorkConfigs=[VOICE_ACW, acw("CHAT", 30), acw("EMAIL", 30)],
        )
        desired = model(**self.MIXED)
        assert channels.write(desired, None, spread, None, {}) == {}
        assert channels.write(desired, None, spread, None, {"CHAT": 600, "EMAIL": 5}) == {
            "AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW, acw("EMAIL", 5)]
        }

    def test_undoing_the_spread_puts_every_recorded_channel_back(self) -> None:
        live = user(PhoneConfig=PHONE, AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        classic = {**PHONE, "AfterContactWorkTimeLimit": 45}
        assert channels.undo_spread(live, classic, {"CHAT": 600}) == [acw("VOICE", 45), CHAT_ACW]
        assert channels.undo_spread(user(PhoneConfig=PHONE), classic, {"CHAT": 600}) is None


class TestClassicWriteKeepsTheOtherChannelsAcw:
    """Fix 2: UpdateUserPhoneConfig sets one ACW on every channel; when the template sets ACW
    per channel, the UpdateUserConfig after it puts the channels it does not declare back."""

    MIXED: ClassVar[dict[str, Any]] = {
        "PhoneConfig": {**SOFT, "AutoAccept": True},
        "AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW],
    }
    LIVE_PHONE: ClassVar[dict[str, Any]] = dict(PHONE)  # the valid user's: VOICE's ACW 30

    def plan(self, live: dict[str, Any], desired: ResourceModel) -> dict[str, Any]:
        classic = channels.classic_write(desired, live)
        assert classic == {**PHONE, "AutoAccept": True}
        return channels.write(desired, None, live, classic)

    def test_a_channel_no_template_declared_gets_its_own_acw_back(self) -> None:
        live = user(
            PhoneConfig=self.LIVE_PHONE,
            AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW, acw("EMAIL", 5)],
        )
        assert self.plan(live, model(**self.MIXED)) == {
            "AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW, acw("EMAIL", 5)]
        }

    def test_the_list_is_sent_when_only_an_undeclared_channel_was_changed(self) -> None:
        live = user(PhoneConfig=self.LIVE_PHONE, AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        desired = model(**{**self.MIXED, "AfterContactWorkConfigs": [VOICE_ACW]})
        assert self.plan(live, desired) == {"AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW]}

    def test_nothing_is_sent_when_every_channel_already_had_voices_limit(self) -> None:
        live = user(
            PhoneConfig=self.LIVE_PHONE, AfterContactWorkConfigs=[VOICE_ACW, acw("TASK", 30)]
        )
        desired = model(**{**self.MIXED, "AfterContactWorkConfigs": [VOICE_ACW]})
        assert self.plan(live, desired) == {}

    def test_acw_in_the_classic_form_is_every_channels_and_is_not_put_back(self) -> None:
        live = user(PhoneConfig=self.LIVE_PHONE, AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        desired = model(PhoneConfig={**SOFT, "AfterContactWorkTimeLimit": 60})
        classic = channels.classic_write(desired, live)
        assert classic == {**SOFT, "AutoAccept": False, "AfterContactWorkTimeLimit": 60}
        assert channels.write(desired, None, live, classic) == {}


class TestReadFromTheClassicForm:
    """Fix 3: a declared VOICE entry Connect shows only in PhoneConfig reads from there."""

    def test_a_declared_voice_entry_shown_only_in_the_classic_form_reads_as_declared(self) -> None:
        live = user(PhoneConfig={**PHONE, **DESK})
        requested = model(PhoneConfig=None, PhoneNumberConfigs=[VOICE_DESK])
        found = channels.rendered(live, requested)
        assert channels.plain(found["PhoneNumberConfigs"]) == [VOICE_DESK]

    def test_drift_made_in_the_classic_form_shows(self) -> None:
        live = user(PhoneConfig={**SOFT, "AutoAccept": False, "AfterContactWorkTimeLimit": 90})
        found = channels.rendered(live, model(AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW]))
        # VOICE's drift shows; CHAT, which Connect does not report, reads as its default
        assert channels.plain(found["AfterContactWorkConfigs"]) == [
            acw("VOICE", 90),
            acw("CHAT", 0),
        ]

    def test_a_voice_entry_connect_reports_in_the_list_wins(self) -> None:
        live = user(
            PhoneConfig={**SOFT, "AutoAccept": True},
            AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": False}],
        )
        requested = model(AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": True}])
        found = channels.rendered(live, requested)
        assert channels.plain(found["AutoAcceptConfigs"]) == [
            {"Channel": "VOICE", "AutoAccept": False}
        ]

    def test_a_list_not_declared_gets_nothing_from_the_classic_form(self) -> None:
        live = user(PhoneConfig={**DESK, "AutoAccept": True, "AfterContactWorkTimeLimit": 30})
        found = channels.rendered(live, model(PhoneConfig=None, PhoneNumberConfigs=[VOICE_DESK]))
        assert found["AutoAcceptConfigs"] is None
        assert found["AfterContactWorkConfigs"] is None
        assert channels.rendered(live, None)["PhoneNumberConfigs"] is None


# --- properties: any live user, any valid template -------------------------------------------

NUMBER = DESK["DeskPhoneNumber"]
LIMITS = st.sampled_from([0, 30, 600])
ENHANCEMENTS = st.sampled_from(["VOICE_ISOLATION", "NOISE_SUPPRESSION", "NONE"])


@st.composite
def entries(draw: st.DrawFn, name: str) -> list[dict[str, Any]]:
    """Entries of one list, one per channel, VOICE-only members on VOICE only."""
    lst = channels.BY_NAME[name]
    options = ["VOICE"] if lst.voice_only else list(channels.CHANNELS)
    found = []
    for channel in draw(st.lists(st.sampled_from(options), unique=True)):
        voice = channel == "VOICE"
        entry: dict[str, Any] = {"Channel": channel}
        if name == "AutoAcceptConfigs":
            entry["AutoAccept"] = draw(st.booleans())
            if voice and draw(st.booleans()):
                entry["AgentFirstCallbackAutoAccept"] = draw(st.booleans())
        elif name == "AfterContactWorkConfigs":
            entry["AfterContactWorkConfig"] = {"AfterContactWorkTimeLimit": draw(LIMITS)}
            if voice and draw(st.booleans()):
                limit = {"AfterContactWorkTimeLimit": draw(LIMITS)}
                entry["AgentFirstCallbackAfterContactWorkConfig"] = limit
        elif name == "PhoneNumberConfigs":
            desk = draw(st.booleans())
            entry.update({"PhoneType": "DESK_PHONE", "PhoneNumber": NUMBER} if desk else SOFT)
        elif name == "PersistentConnectionConfigs":
            entry["PersistentConnection"] = draw(st.booleans())
        else:
            entry["VoiceEnhancementMode"] = draw(ENHANCEMENTS)
        found.append(entry)
    return found


@st.composite
def live_users(draw: st.DrawFn) -> dict[str, Any]:
    """DescribeUser's User with any channels reported; the classic PhoneConfig agrees with the
    VOICE entries Connect reports (it is their view), and stands alone for those it does not."""
    lists = {lst.name: draw(entries(lst.name)) for lst in channels.LISTS}
    phone: dict[str, Any] = {
        **(DESK if draw(st.booleans()) else SOFT),
        "AutoAccept": draw(st.booleans()),
        "AfterContactWorkTimeLimit": draw(LIMITS),
    }
    if draw(st.booleans()):
        phone["PersistentConnection"] = draw(st.booleans())
    voice = {name: e for name, items in lists.items() for e in items if e["Channel"] == "VOICE"}
    if "AutoAcceptConfigs" in voice:
        phone["AutoAccept"] = voice["AutoAcceptConfigs"]["AutoAccept"]
    if "AfterContactWorkConfigs" in voice:
        phone.update(voice["AfterContactWorkConfigs"]["AfterContactWorkConfig"])
    if "PhoneNumberConfigs" in voice:
        phone.pop("DeskPhoneNumber", None)
        phone["PhoneType"] = voice["PhoneNumberConfigs"]["PhoneType"]
        if "PhoneNumber" in voice["PhoneNumberConfigs"]:
            phone["DeskPhoneNumber"] = voice["PhoneNumberConfigs"]["PhoneNumber"]
    if "PersistentConnectionConfigs" in voice:
        phone["PersistentConnection"] = voice["PersistentConnectionConfigs"]["PersistentConnection"]
    return user(PhoneConfig=phone, **{k: v or None for k, v in lists.items()})


@st.composite
def templates(draw: st.DrawFn) -> ResourceModel:
    """A template valid under the channel rules: any lists declared (empty ones too), and
    PhoneConfig (or none) setting only members no declared list sets."""
    lists = {lst.name: draw(entries(lst.name)) for lst in channels.LISTS if draw(st.booleans())}
    owned = {m for name, items in lists.items() if items for m in channels.BY_NAME[name].classic}
    phone: dict[str, Any] | None = {}
    if "PhoneType" not in owned:
        phone = dict(DESK if draw(st.booleans()) else SOFT)
    elif draw(st.booleans()):
        phone = None
    if phone is not None:
        for member, values in (
            ("AutoAccept", st.booleans()),
            ("AfterContactWorkTimeLimit", LIMITS),
            ("PersistentConnection", st.booleans()),
        ):
            if member not in owned and draw(st.booleans()):
                phone[member] = draw(values)
    desired = model(PhoneConfig=phone, **lists)
    assert channel_rules(desired) == []
    return desired


@settings(max_examples=300, derandomize=True, database=None)
@given(live=live_users(), desired=templates())
def test_a_list_is_sent_with_every_channel_reported_and_declared(
    live: dict[str, Any], desired: ResourceModel
) -> None:
    """Whatever Connect reports and the template declares, a list UpdateUserConfig sends has
    every channel Connect reported, every declared one, and VOICE taken from the classic form
    when no list has it; a declared channel as declared, every other as it was before any
    write (UpdateUserPhoneConfig's one ACW for all channels undone)."""
    classic = channels.classic_write(desired, live)
    voice = channels.classic_voice(live)
    for name, items in channels.write(desired, None, live, classic).items():
        sent = {
            item["Channel"]: {k: v for k, v in item.items() if k != "Channel"} for item in items
        }
        assert len(sent) == len(items), items
        reported = channels.live(live, name)
        wanted = channels.declared(desired, name) or {}
        assert set(sent) == {*reported, *wanted, *(["VOICE"] if name in voice else [])}
        for channel, members in wanted.items():
            assert {k: sent[channel].get(k) for k in members} == members
        for channel in set(sent) - set(wanted):
            assert sent[channel] == reported.get(channel, voice.get(name)), (name, channel)


@settings(max_examples=300, derandomize=True, database=None)
@given(
    live=live_users(),
    desired=templates(),
    mode=st.sampled_from(list(user_config.ConfigUpdate)),
)
def test_the_writes_converge_and_read_back_as_declared(
    live: dict[str, Any], desired: ResourceModel, mode: user_config.ConfigUpdate
) -> None:
    """The planned writes applied as the emulator's Connect applies them (UpdateUserConfig
    merging or replacing, DescribeUser reporting only channels someone set): a second plan
    writes nothing, every declared list reads back as declared (no false drift), and a
    channel of a written list that the template does not declare keeps its value."""
    fill = user_config.ChannelFill.NONE
    state = copy.deepcopy(live)
    classic = channels.classic_write(desired, live)
    if classic is not None:
        user_config.update_phone(state, classic, fill)
    lists = channels.write(desired, None, live, classic)
    if lists:
        user_config.update_config(state, lists, fill, mode)

    assert channels.classic_write(desired, state) is None
    assert channels.write(desired, None, state, None) == {}
    found = channels.rendered(state, desired)
    shown = channels.after_classic_write(state, None)  # the lists, VOICE from the classic form
    for lst in channels.LISTS:
        wanted = channels.declared(desired, lst.name)
        if wanted is None:
            continue
        # A declared channel Connect still does not report was declared at its default (so
        # nothing was written), and reads as that default.
        for channel in set(wanted) - set(shown[lst.name]):
            assert all(v == lst.defaults.get(m) for m, v in wanted[channel].items()), channel
        expected = [{"Channel": c, **wanted[c]} for c in channels.CHANNELS if c in wanted]
        assert channels.plain(found[lst.name]) == expected, lst.name
    for name in lists:
        before, after = channels.after_classic_write(live, None), channels.live(state, name)
        wanted = channels.declared(desired, name) or {}
        for channel in set(before[name]) - set(wanted):
            assert after.get(channel, before[name][channel]) == before[name][channel], channel


class TestOneFormPerSetting:
    """Issue 23: what read returns holds each shared setting in one form only."""

    PER_CHANNEL: ClassVar[dict[str, Any]] = {
        "AfterContactWorkConfigs": [VOICE_ACW, CHAT_ACW],
        "AutoAcceptConfigs": [TASK_AUTO],
    }

    def test_by_identifier_the_classic_form_when_the_lists_agree(self) -> None:
        live = user(AfterContactWorkConfigs=[VOICE_ACW, {**CHAT_ACW, **acw("CHAT", 30)}])
        assert channels.read_forms(live, None)["AfterContactWorkConfigs"] == channels.CLASSIC_FORM
        assert channels.rendered(live, None)["AfterContactWorkConfigs"] is None
        phone = channels.rendered_phone(live, None)
        assert phone is not None and phone.AfterContactWorkTimeLimit == 30

    def test_by_identifier_the_list_when_a_channel_says_more(self) -> None:
        live = user(**self.PER_CHANNEL)
        forms = channels.read_forms(live, None)
        assert forms["AfterContactWorkConfigs"] == forms["AutoAcceptConfigs"] == channels.LIST_FORM
        assert forms["PhoneNumberConfigs"] == channels.CLASSIC_FORM
        found = channels.rendered(live, None)
        assert channels.plain(found["AutoAcceptConfigs"]) == [
            {"Channel": "VOICE", "AutoAccept": False},  # from the classic form
            TASK_AUTO,
        ]
        phone = channels.rendered_phone(live, None)
        assert phone is not None
        assert (phone.AutoAccept, phone.AfterContactWorkTimeLimit) == (None, None)
        assert phone.PhoneType == "SOFT_PHONE"

    def test_a_template_keeps_its_own_form(self) -> None:
        live = user(**self.PER_CHANNEL)
        classic = channels.rendered(live, model(PhoneConfig=CLASSIC))
        assert classic["AfterContactWorkConfigs"] is None and classic["AutoAcceptConfigs"] is None
        lists_only = model(PhoneConfig=None, PhoneNumberConfigs=[{"Channel": "VOICE", **SOFT}])
        assert channels.rendered_phone(live, lists_only) is None
        mixed = model(PhoneConfig=CLASSIC, AfterContactWorkConfigs=[VOICE_ACW, CHAT_ACW])
        phone = channels.rendered_phone(live, mixed)
        assert phone is not None and phone.AfterContactWorkTimeLimit is None
        assert phone.AutoAccept is False

    def test_the_by_identifier_model_passes_the_channel_rules(self) -> None:
        live = user(
            **self.PER_CHANNEL,
            PersistentConnectionConfigs=[{"Channel": "VOICE", "PersistentConnection": True}],
        )
        found = build_model(
            {
                **user_model(PhoneConfig=None),
                "PhoneConfig": channels.plain(channels.rendered_phone(live, None)),
                **{k: channels.plain(v) for k, v in channels.rendered(live, None).items() if v},
            }
        )
        assert channel_rules(found) == []

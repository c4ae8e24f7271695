"""Generated templates of one user, console settings no template declares, and the live user
as one comparable state: the pieces of the rollback and interrupted-update properties
(test_rollback_restores.py, test_interrupted_update.py).

A state is read from the emulator without a request (no fault, no log entry). The per-channel
lists are compared entry by entry with Connect's defaults filled in; an entry Connect does not
report (`--channel-fill none`) stands for what CreateUser gave it, read from the emulator's own
model of Connect with every channel reported (user_config.create under ChannelFill.ALL), or,
for VOICE, from the classic PhoneConfig, which is its view.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from aws_connect_user.rules import MARKER_TAG_KEY
from connect_emulator import Emulator, user_config
from connect_emulator.seed import CONNECT_MANAGED
from loadtest import Credentials, Operation, OperationResult, warm_container

from .. import testdata
from .support import describe, invoke

MI = CONNECT_MANAGED
CHANNELS = user_config.CHANNELS
VOICE = "VOICE"
ACW = "AfterContactWorkTimeLimit"
DESK_NUMBER = "+12065550111"
LIMITS = st.sampled_from([0, 30, 120, 600])
# Proficiency levels: whole and not (issue 21: any number 1-5, as Connect takes 2.5).
LEVELS = st.integers(1, 5) | st.sampled_from([1.5, 2.5, 4.5])
EMULATOR_CHOICES = [(fill, mode) for fill in ("none", "all") for mode in ("merge", "replace")]
EMULATOR_IDS = [f"fill-{fill}-{mode}" for fill, mode in EMULATOR_CHOICES]

FAST = 0.001  # time scale: a 5 s callback delay is waited as 5 ms
# One warm Lambda container (per emulator: its clients know the endpoint) and one set of
# caller credentials for every operation of these properties: a new client per operation
# would cost more than the operations themselves.
_CONTAINERS: dict[str, Any] = {}
_CREDENTIALS = Credentials.fresh()


def run(emu: Emulator, operation: Operation) -> OperationResult:
    """One operation through the production entrypoint, callbacks included."""
    if emu.endpoint_url not in _CONTAINERS:
        _CONTAINERS[emu.endpoint_url] = warm_container(FAST)
    container = _CONTAINERS[emu.endpoint_url]
    return invoke(emu, operation, time_scale=FAST, container=container, credentials=_CREDENTIALS)


# --- templates -------------------------------------------------------------------------------


def _entry(draw: st.DrawFn, name: str, channel: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"Channel": channel}
    voice = channel == VOICE
    if name == "AutoAcceptConfigs":
        entry["AutoAccept"] = draw(st.booleans())
        if voice and draw(st.booleans()):
            entry["AgentFirstCallbackAutoAccept"] = draw(st.booleans())
    elif name == "AfterContactWorkConfigs":
        entry["AfterContactWorkConfig"] = {ACW: draw(LIMITS)}
        if voice and draw(st.booleans()):
            entry["AgentFirstCallbackAfterContactWorkConfig"] = {ACW: draw(LIMITS)}
    elif name == "PhoneNumberConfigs":
        desk = draw(st.booleans())
        entry["PhoneType"] = "DESK_PHONE" if desk else "SOFT_PHONE"
        if desk:
            entry["PhoneNumber"] = DESK_NUMBER
    elif name == "PersistentConnectionConfigs":
        entry["PersistentConnection"] = draw(st.booleans())
    else:
        entry["VoiceEnhancementMode"] = draw(st.sampled_from(["NONE", "NOISE_SUPPRESSION"]))
    return entry


def _lists(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for lst in user_config.LISTS:
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(lst.channels), unique=True, max_size=4))
            found[lst.name] = [_entry(draw, lst.name, c) for c in chosen]
    return found


_CONFLICTS = {
    "AutoAcceptConfigs": ("AutoAccept",),
    "AfterContactWorkConfigs": (ACW,),
    "PhoneNumberConfigs": ("PhoneType", "DeskPhoneNumber"),
    "PersistentConnectionConfigs": ("PersistentConnection",),
}


@st.composite
def templates(draw: st.DrawFn) -> dict[str, Any]:
    """One valid template of the user `agent00001`: classic phone and per-channel lists in any
    mix and channel subset (each setting in one form), agent-first settings, proficiencies,
    tags, identity, profiles and hierarchy; typed (the driver sends scalars as strings)."""
    lists = _lists(draw)
    owned = {m for name, items in lists.items() if items for m in _CONFLICTS.get(name, ())}
    voice_number = any(e["Channel"] == VOICE for e in lists.get("PhoneNumberConfigs", []))
    phone: dict[str, Any] | None = None
    if not voice_number or draw(st.booleans()):
        phone = {}
        if "PhoneType" not in owned:
            desk = draw(st.booleans())
            phone["PhoneType"] = "DESK_PHONE" if desk else "SOFT_PHONE"
            if desk:
                phone["DeskPhoneNumber"] = DESK_NUMBER
        for member, values in (
            ("AutoAccept", st.booleans()),
            (ACW, LIMITS),
            ("PersistentConnection", st.booleans()),
        ):
            if member not in owned and draw(st.booleans()):
                phone[member] = draw(values)
    identity: dict[str, Any] = {"FirstName": draw(st.sampled_from(["Ada", "Bea"])), "LastName": "A"}
    if draw(st.booleans()):
        identity["Email"] = "agent1@example.com"
    if draw(st.booleans()):
        identity["Mobile"] = "+12065550100"
    template: dict[str, Any] = {
        "InstanceId": MI.arn,
        "Username": "agent00001",
        "Password": testdata.PASSWORD,
        "IdentityInfo": identity,
        "SecurityProfileIds": sorted(
            draw(
                st.sets(
                    st.sampled_from([MI.child_id("security", i) for i in (1, 2, 3)]), min_size=1
                )
            )
        ),
        "RoutingProfileId": MI.child_id("routing", draw(st.sampled_from([1, 2]))),
        **lists,
    }
    if phone is not None:
        template["PhoneConfig"] = phone
    if draw(st.booleans()):
        template["HierarchyGroupId"] = MI.child_id("hierarchy", draw(st.sampled_from([1, 2])))
    tags = draw(st.dictionaries(st.sampled_from(["team", "cost"]), st.sampled_from(["a", "b"])))
    if tags:
        template["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    if draw(st.booleans()):
        keys = draw(
            st.lists(
                st.sampled_from(
                    [("Language", "English"), ("Language", "Spanish"), ("Product", "Billing")]
                ),
                unique=True,
            )
        )
        template["UserProficiencies"] = [testdata.proficiency(n, v, draw(LEVELS)) for n, v in keys]
    return template


# --- console settings no template declares -----------------------------------------------------


def _listed(template: Mapping[str, Any], name: str) -> set[str]:
    return {e["Channel"] for e in template.get(name) or ()}


def _classic_acw(template: Mapping[str, Any]) -> bool:
    """A classic PhoneConfig manages every channel's ACW unless a list sets it per channel
    (UpdateUserPhoneConfig sets one limit on all channels)."""
    return "PhoneConfig" in template and not template.get("AfterContactWorkConfigs")


def seed_console_settings(
    emu: Emulator, arn: str, templates: tuple[Mapping[str, Any], ...]
) -> None:
    """What an admin sets in the console on what none of `templates` declares: auto-accept and
    an ACW limit on channels no list has, voice enhancement, a proficiency. Each list is sent
    whole as the console shows it, as the console would under either UpdateUserConfig reading.
    Left out, with the reason: tags and the hierarchy group (the type manages the whole tag
    set and the group a template leaves out is removed: a console tag or group is drift the
    next update repairs, by design), identity and profiles (every template declares them)."""
    ids = {"InstanceId": MI.id, "UserId": arn.rsplit("/", 1)[1]}
    user = describe(emu, arn)
    lists: dict[str, list[dict[str, Any]]] = {}

    classic = _classic_view(user["PhoneConfig"])

    def add(name: str, entry: dict[str, Any]) -> None:
        """The list as the console shows it (VOICE from the classic form when Connect does
        not report it), with one entry changed."""
        shown = {e["Channel"]: e for e in user.get(name) or ()}
        if VOICE not in shown and name in classic:
            shown[VOICE] = {"Channel": VOICE, **classic[name]}
        shown[entry["Channel"]] = entry
        lists[name] = [shown[c] for c in CHANNELS if c in shown]
        user[name] = lists[name]

    auto = set().union(*(_listed(t, "AutoAcceptConfigs") for t in templates))
    for channel in ("CHAT", "EMAIL"):
        if channel not in auto:
            add("AutoAcceptConfigs", {"Channel": channel, "AutoAccept": True})
    if not any(_classic_acw(t) for t in templates):
        limits = set().union(*(_listed(t, "AfterContactWorkConfigs") for t in templates))
        for channel in ("TASK", "EMAIL"):
            if channel not in limits:
                add(
                    "AfterContactWorkConfigs",
                    {"Channel": channel, "AfterContactWorkConfig": {ACW: 5}},
                )
    if not any("VoiceEnhancementConfigs" in t for t in templates):
        add(
            "VoiceEnhancementConfigs",
            {"Channel": VOICE, "VoiceEnhancementMode": "NOISE_SUPPRESSION"},
        )
    if lists:
        emu.execute("UpdateUserConfig", {**ids, **lists})
    if not any("UserProficiencies" in t for t in templates):
        emu.execute(
            "AssociateUserProficiencies",
            {
                **ids,
                "UserProficiencies": [
                    {"AttributeName": "Tier", "AttributeValue": "Gold", "Level": 2.0}
                ],
            },
        )


# --- the live user as one state ------------------------------------------------------------------


def created_lists(template: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every channel's entries as CreateUser with the template leaves them, every channel
    reported: what an entry Connect does not report stands for."""
    params = {
        k: copy.deepcopy(v)
        for k, v in template.items()
        if k == "PhoneConfig" or k.endswith("Configs")
    }
    made = user_config.create(params, user_config.ChannelFill.ALL)
    return {
        (name, e["Channel"]): e for name in user_config.LIST_NAMES for e in made.get(name) or ()
    }


def _classic_view(phone: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    number = phone.get("DeskPhoneNumber")
    return {
        "AutoAcceptConfigs": {"AutoAccept": phone.get("AutoAccept", False)},
        "AfterContactWorkConfigs": {"AfterContactWorkConfig": {ACW: phone.get(ACW, 0)}},
        "PhoneNumberConfigs": {
            "PhoneType": phone.get("PhoneType", "SOFT_PHONE"),
            **({"PhoneNumber": number} if number else {}),
        },
        "PersistentConnectionConfigs": {
            "PersistentConnection": bool(phone.get("PersistentConnection", False))
        },
    }


def state(emu: Emulator, arn: str, baseline: Mapping[tuple[str, str], dict[str, Any]]) -> dict:
    """The live user as one comparable value: everything a template or the console sets."""
    user = describe(emu, arn)
    phone = {"AutoAccept": False, ACW: 0, "PersistentConnection": False, **user["PhoneConfig"]}
    classic = _classic_view(phone)
    lists = {}
    for lst in user_config.LISTS:
        reported = {e["Channel"]: e for e in user.get(lst.name) or ()}
        for channel in lst.channels:
            default = lst.default_entry(channel)
            if channel in reported:
                entry = {**default, **reported[channel]}
            elif channel == VOICE and lst.name in classic:
                entry = {**default, **classic[lst.name]}
            else:
                entry = {**default, **baseline.get((lst.name, channel), {})}
            lists[f"{lst.name}/{channel}"] = entry
    rows = emu.state.proficiencies.get(arn, [])
    return {
        "IdentityInfo": {k: v for k, v in (user.get("IdentityInfo") or {}).items() if v},
        "PhoneConfig": phone,
        **lists,
        "RoutingProfileId": user["RoutingProfileId"],
        "SecurityProfileIds": sorted(user["SecurityProfileIds"]),
        "HierarchyGroupId": user.get("HierarchyGroupId"),
        "Tags": {k: v for k, v in (user.get("Tags") or {}).items() if k != MARKER_TAG_KEY},
        "UserProficiencies": sorted(
            (r["AttributeName"], r["AttributeValue"], r["Level"]) for r in rows
        ),
    }


def differences(expected: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
    """Each part where two states differ: (expected, found)."""
    return {
        k: (expected.get(k), found.get(k))
        for k in sorted({*expected, *found})
        if expected.get(k) != found.get(k)
    }


def identifiers(result: OperationResult) -> dict[str, Any]:
    model = result.resource_model or {}
    return {k: model[k] for k in ("UserId", "UserArn")}

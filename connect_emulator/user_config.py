"""A user's per-channel settings (the five *Configs lists) and the classic PhoneConfig view.

Documented (CreateUser, UpdateUserConfig, UpdateUserPhoneConfig in botocore's Connect model):
PhoneConfig.AutoAccept conflicts with AutoAcceptConfigs, AfterContactWorkTimeLimit with
AfterContactWorkConfigs, PhoneType and DeskPhoneNumber with PhoneNumberConfigs, and
PersistentConnection with PersistentConnectionConfigs; PhoneNumberConfigs,
PersistentConnectionConfigs and VoiceEnhancementConfigs support VOICE only; the agent-first
callback members apply to VOICE only; UpdateUserPhoneConfig "will always set the same ACW
timeouts to all channels the user handles".

The emulator's reading where the model is silent: the classic PhoneConfig is the VOICE
channel's view (it mirrors the VOICE entries both ways). Two undocumented answers are
settings: whether DescribeUser reports channels nobody set (ChannelFill), and whether
UpdateUserConfig merges a given list into the user's channels or replaces it (ConfigUpdate).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .errors import invalid_parameter, invalid_request
from .identity_rules import AFTER_CONTACT_WORK_MAX

CHANNELS = ("VOICE", "CHAT", "TASK", "EMAIL")
VOICE = "VOICE"
ACW = "AfterContactWorkTimeLimit"
DESK_PHONE = "DESK_PHONE"


class ChannelFill(StrEnum):
    """What DescribeUser reports in the five lists. Undocumented.

    NONE (default): only the channels set through a list (CreateUser, UpdateUserConfig).
    ALL: every channel the list supports, those nobody set at Connect's defaults (and the
    values a classic PhoneConfig gave them), with PhoneConfig.PersistentConnection always.
    """

    NONE = "none"
    ALL = "all"


class ConfigUpdate(StrEnum):
    """What UpdateUserConfig does with each list it is given. Undocumented.

    MERGE (default): each given entry replaces its channel's entry; other channels stay.
    REPLACE: the given list is the whole list; a channel it leaves out goes back to its default.
    """

    MERGE = "merge"
    REPLACE = "replace"


@dataclass(frozen=True)
class ChannelList:
    name: str
    channels: tuple[str, ...]
    defaults: Mapping[str, Any]  # the members every entry has, at Connect's defaults
    voice_defaults: Mapping[str, Any]  # members of the VOICE entry only (agent-first callbacks)
    classic: tuple[str, ...]  # the PhoneConfig members it conflicts with

    def default_entry(self, channel: str) -> dict[str, Any]:
        extra = self.voice_defaults if channel == VOICE else {}
        return copy.deepcopy({"Channel": channel, **self.defaults, **extra})


_NO_LIMIT = {ACW: 0}
LISTS: tuple[ChannelList, ...] = (
    ChannelList(
        "AutoAcceptConfigs",
        CHANNELS,
        {"AutoAccept": False},
        {"AgentFirstCallbackAutoAccept": False},
        ("AutoAccept",),
    ),
    ChannelList(
        "AfterContactWorkConfigs",
        CHANNELS,
        {"AfterContactWorkConfig": _NO_LIMIT},
        {"AgentFirstCallbackAfterContactWorkConfig": _NO_LIMIT},
        (ACW,),
    ),
    ChannelList("PhoneNumberConfigs", (VOICE,), {"PhoneType": "SOFT_PHONE"}, {}, ("PhoneType",)),
    ChannelList(
        "PersistentConnectionConfigs",
        (VOICE,),
        {"PersistentConnection": False},
        {},
        ("PersistentConnection",),
    ),
    ChannelList("VoiceEnhancementConfigs", (VOICE,), {"VoiceEnhancementMode": "NONE"}, {}, ()),
)
LIST_NAMES = tuple(lst.name for lst in LISTS)
# The documented conflicts, in the words of the CreateUser reference.
_CONFLICTS = {
    "AutoAcceptConfigs": ("AutoAccept",),
    "AfterContactWorkConfigs": (ACW,),
    "PhoneNumberConfigs": ("PhoneType", "DeskPhoneNumber"),
    "PersistentConnectionConfigs": ("PersistentConnection",),
}
_CALLBACK_MEMBERS = ("AgentFirstCallbackAutoAccept", "AgentFirstCallbackAfterContactWorkConfig")


# --- rules --------------------------------------------------------------------------------


def check_lists(params: Mapping[str, Any]) -> None:
    """The per-channel rules of CreateUser and UpdateUserConfig beyond the model's constraints."""
    for lst in LISTS:
        items = params.get(lst.name)
        if items is None:
            continue
        channels = [item["Channel"] for item in items]
        for channel in channels:
            if channel not in lst.channels:
                raise invalid_parameter(f"Only VOICE is supported for {lst.name}.")
        twice = sorted({c for c in channels if channels.count(c) > 1})
        if twice:
            raise invalid_parameter(
                f"{lst.name} can have at most one entry per channel: {', '.join(twice)}."
            )
        for item in items:
            _check_entry(lst.name, item)


def _check_entry(name: str, item: Mapping[str, Any]) -> None:
    if item["Channel"] != VOICE:
        for member in _CALLBACK_MEMBERS:
            if item.get(member) is not None:
                raise invalid_parameter(f"{member} only applies to the VOICE channel.")
    for member in ("AfterContactWorkConfig", "AgentFirstCallbackAfterContactWorkConfig"):
        limit = (item.get(member) or {}).get(ACW)
        if limit is not None and limit > AFTER_CONTACT_WORK_MAX:
            raise invalid_parameter(f"{ACW} must be at most {AFTER_CONTACT_WORK_MAX} seconds.")
    if (
        name == "PhoneNumberConfigs"
        and item["PhoneType"] == DESK_PHONE
        and not item.get("PhoneNumber")
    ):
        raise invalid_parameter("PhoneNumber is required when PhoneType is DESK_PHONE.")


def check_conflicts(params: Mapping[str, Any]) -> None:
    """CreateUser: a PhoneConfig member and its per-channel list cannot both be set."""
    phone = params.get("PhoneConfig") or {}
    for name, members in _CONFLICTS.items():
        if not params.get(name):
            continue
        for member in members:
            if phone.get(member) is not None:
                raise invalid_request(
                    f"PhoneConfig.{member} cannot be set simultaneously with {name}."
                )


# --- state ----------------------------------------------------------------------------------


def classic_phone(requested: Mapping[str, Any] | None, fill: ChannelFill) -> dict[str, Any]:
    """The phone config as the service stores it: unset settings take their defaults."""
    phone: dict[str, Any] = {"PhoneType": "SOFT_PHONE", "AutoAccept": False, ACW: 0}
    if fill is ChannelFill.ALL:
        phone["PersistentConnection"] = False
    phone.update(copy.deepcopy(dict(requested or {})))
    return phone


def _entries(user: Mapping[str, Any], name: str) -> dict[str, dict[str, Any]]:
    return {item["Channel"]: item for item in user.get(name) or ()}


def _store(user: dict[str, Any], name: str, entries: Mapping[str, dict[str, Any]]) -> None:
    ordered = [entries[c] for c in CHANNELS if c in entries]
    if ordered:
        user[name] = ordered
    else:
        user.pop(name, None)


def _entry(lst: ChannelList, item: Mapping[str, Any], fill: ChannelFill) -> dict[str, Any]:
    """A given entry as stored: its members, and under ALL the defaults of those it omits."""
    given = {k: copy.deepcopy(v) for k, v in item.items() if v is not None}
    if fill is ChannelFill.ALL:
        return {**lst.default_entry(item["Channel"]), **given}
    return given


def create(params: Mapping[str, Any], fill: ChannelFill) -> dict[str, Any]:
    """PhoneConfig and the five lists of a new user: the classic form first, then the lists."""
    user: dict[str, Any] = {"PhoneConfig": classic_phone(params.get("PhoneConfig"), fill)}
    if fill is ChannelFill.ALL:
        for lst in LISTS:
            _store(user, lst.name, {c: lst.default_entry(c) for c in lst.channels})
        _classic_to_lists(user)
    voice_set = []
    for lst in LISTS:
        if params.get(lst.name):
            given = {i["Channel"]: _entry(lst, i, fill) for i in params[lst.name]}
            _store(user, lst.name, {**_entries(user, lst.name), **given})
            voice_set += [lst.name] if VOICE in given else []
    _voice_to_classic(user, voice_set, fill)
    return user


def update_config(
    user: dict[str, Any], params: Mapping[str, Any], fill: ChannelFill, mode: ConfigUpdate
) -> None:
    """UpdateUserConfig: each list given merges into, or replaces, the user's list."""
    voice_set = []  # the lists whose VOICE entry this call decides
    for lst in LISTS:
        items = params.get(lst.name)
        if items is None:
            continue
        given = {i["Channel"]: _entry(lst, i, fill) for i in items}
        if mode is ConfigUpdate.MERGE:
            entries = {**_entries(user, lst.name), **given}
        else:
            entries = given
            if fill is ChannelFill.ALL:
                entries = {c: given.get(c) or lst.default_entry(c) for c in lst.channels}
        _store(user, lst.name, entries)
        if VOICE in given or mode is ConfigUpdate.REPLACE:
            voice_set.append(lst.name)
    _voice_to_classic(user, voice_set, fill)


def update_phone(user: dict[str, Any], requested: Mapping[str, Any], fill: ChannelFill) -> None:
    """UpdateUserPhoneConfig: the classic form replaced, the same ACW on every channel, and
    the VOICE entries following the classic members."""
    user["PhoneConfig"] = classic_phone(requested, fill)
    _classic_to_lists(user)


def _classic_to_lists(user: dict[str, Any]) -> None:
    phone = user["PhoneConfig"]
    for item in user.get("AfterContactWorkConfigs") or ():
        item["AfterContactWorkConfig"] = {ACW: phone[ACW]}
    voice = {
        "AutoAcceptConfigs": {"AutoAccept": phone["AutoAccept"]},
        "PhoneNumberConfigs": {
            "PhoneType": phone["PhoneType"],
            "PhoneNumber": phone.get("DeskPhoneNumber"),
        },
        "PersistentConnectionConfigs": {
            "PersistentConnection": bool(phone.get("PersistentConnection", False))
        },
    }
    for name, members in voice.items():
        entry = _entries(user, name).get(VOICE)
        if entry is not None:
            entry.update(members)
            if entry.get("PhoneNumber") is None:
                entry.pop("PhoneNumber", None)


def _voice_to_classic(user: dict[str, Any], names: Iterable[str], fill: ChannelFill) -> None:
    """The classic members follow the VOICE entries of the lists named; a VOICE entry a
    replacing list left out takes its classic members back to their defaults."""
    phone = user["PhoneConfig"]
    for name in names:
        voice = _entries(user, name).get(VOICE)
        if name == "AutoAcceptConfigs":
            phone["AutoAccept"] = voice["AutoAccept"] if voice else False
        elif name == "AfterContactWorkConfigs":
            phone[ACW] = voice["AfterContactWorkConfig"][ACW] if voice else 0
        elif name == "PhoneNumberConfigs":
            phone["PhoneType"] = voice["PhoneType"] if voice else "SOFT_PHONE"
            phone.pop("DeskPhoneNumber", None)
            if voice and voice.get("PhoneNumber"):
                phone["DeskPhoneNumber"] = voice["PhoneNumber"]
        elif name == "PersistentConnectionConfigs":
            if voice is not None:
                phone["PersistentConnection"] = voice["PersistentConnection"]
            elif fill is ChannelFill.ALL:
                phone["PersistentConnection"] = False
            else:
                phone.pop("PersistentConnection", None)

"""The per-channel lists' shape: which lists there are, their members and defaults, and the
model-to-data helpers the rules need. Pure and light (no CloudFormation library, no boto3): the
rules built on it also run in cfn-lint's custom rules and the CDK construct (checks.py), so
models are imported for type checking only and an item's class is named, not imported."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import ResourceModel

CHANNELS = ("VOICE", "CHAT", "TASK", "EMAIL")
VOICE = "VOICE"
ACW = "AfterContactWorkTimeLimit"


@dataclass(frozen=True)
class ChannelList:
    """One per-channel list: its property (and API member) name, its item model, the members
    every entry has besides Channel, and Connect's default for each member (None: absent)."""

    name: str
    item: str  # the item's class in models.py (not imported here: see the docstring)
    required: tuple[str, ...]
    defaults: Mapping[str, Any]
    voice_only: bool
    classic: tuple[str, ...]  # the PhoneConfig members this list conflicts with
    voice_members: tuple[str, ...] = ()  # members that apply to the VOICE channel only


_NO_LIMIT = {ACW: 0}
LISTS: tuple[ChannelList, ...] = (
    ChannelList(
        "AutoAcceptConfigs",
        "AutoAcceptConfig",
        ("AutoAccept",),
        {"AutoAccept": False, "AgentFirstCallbackAutoAccept": False},
        voice_only=False,
        classic=("AutoAccept",),
        voice_members=("AgentFirstCallbackAutoAccept",),
    ),
    ChannelList(
        "AfterContactWorkConfigs",
        "AfterContactWorkConfigPerChannel",
        ("AfterContactWorkConfig",),
        {
            "AfterContactWorkConfig": _NO_LIMIT,
            "AgentFirstCallbackAfterContactWorkConfig": _NO_LIMIT,
        },
        voice_only=False,
        classic=(ACW,),
        voice_members=("AgentFirstCallbackAfterContactWorkConfig",),
    ),
    ChannelList(
        "PhoneNumberConfigs",
        "PhoneNumberConfig",
        ("PhoneType",),
        {"PhoneType": "SOFT_PHONE", "PhoneNumber": None},
        voice_only=True,
        classic=("PhoneType", "DeskPhoneNumber"),
    ),
    ChannelList(
        "PersistentConnectionConfigs",
        "PersistentConnectionConfig",
        ("PersistentConnection",),
        {"PersistentConnection": False},
        voice_only=True,
        classic=("PersistentConnection",),
    ),
    ChannelList(
        "VoiceEnhancementConfigs",
        "VoiceEnhancementConfig",
        ("VoiceEnhancementMode",),
        {"VoiceEnhancementMode": "NONE"},
        voice_only=True,
        classic=(),
    ),
)
LIST_NAMES = tuple(lst.name for lst in LISTS)
BY_NAME = {lst.name: lst for lst in LISTS}

# The classic PhoneConfig: its members, and Connect's default for those a template may omit.
CLASSIC_FIELDS = ("PhoneType", "AutoAccept", ACW, "DeskPhoneNumber", "PersistentConnection")
CLASSIC_DEFAULTS: Mapping[str, Any] = {"AutoAccept": False, ACW: 0}

Entries = dict[str, dict[str, Any]]  # channel -> the entry's members but Channel


def plain(value: Any) -> Any:
    """A model value as API data: dataclasses as dicts without their unset members."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(v)
            for f in dataclasses.fields(value)
            if (v := getattr(value, f.name)) is not None
        }
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return value


def _by_channel(items: Iterable[Any]) -> Entries:
    found: Entries = {}
    for item in items:
        entry = plain(item)
        if isinstance(entry, dict) and entry.get("Channel"):
            found.setdefault(entry["Channel"], {k: v for k, v in entry.items() if k != "Channel"})
    return found


def declared(model: ResourceModel | None, name: str) -> Entries | None:
    """The channels a model declares in one list; None when it leaves the list out."""
    items = getattr(model, name, None) if model is not None else None
    return None if items is None else _by_channel(items)

"""The per-channel settings' rules the schema cannot say. Pure functions over the resource
model returning violations (rules.Violation), for the handler's one refusal message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .channel_lists import LISTS, VOICE, declared, plain
from .schema import Violation

if TYPE_CHECKING:  # light at run time, as rules.py
    from .models import ResourceModel

DESK_PHONE = "DESK_PHONE"


def _items(model: ResourceModel, name: str) -> list[dict[str, Any]]:
    return [e for e in plain(list(getattr(model, name, None) or ())) if isinstance(e, dict)]


def one_entry_per_channel(model: ResourceModel) -> list[Violation]:
    found = []
    for lst in LISTS:
        channels = [e.get("Channel") for e in _items(model, lst.name)]
        twice = sorted({c for c in channels if c and channels.count(c) > 1})
        if twice:
            found.append(
                Violation(lst.name, "must have at most one entry per channel: " + ", ".join(twice))
            )
    return found


def voice_only_members(model: ResourceModel) -> list[Violation]:
    """Members that apply to VOICE only (the agent-first callback settings)."""
    found = []
    for lst in LISTS:
        for index, entry in enumerate(_items(model, lst.name)):
            if entry.get("Channel") == VOICE:
                continue
            found += [
                Violation(f"{lst.name}/{index}/{member}", "applies to the VOICE channel only")
                for member in lst.voice_members
                if member in entry
            ]
    return found


def conflicts(model: ResourceModel) -> list[Violation]:
    """The conflicts CreateUser documents: a PhoneConfig member and its per-channel list."""
    phone = model.PhoneConfig
    if phone is None:
        return []
    found = []
    for lst in LISTS:
        if not declared(model, lst.name):
            continue
        for member in lst.classic:
            if getattr(phone, member, None) not in (None, ""):
                found.append(
                    Violation(
                        f"PhoneConfig/{member}",
                        f"conflicts with {lst.name}: set it in one of the two forms",
                    )
                )
    return found


def phone_type_rules(model: ResourceModel) -> list[Violation]:
    """Every user has a phone type, in one of the two forms, and a desk phone has a number."""
    phone = model.PhoneConfig
    numbers = _items(model, "PhoneNumberConfigs")
    voice = [(i, e) for i, e in enumerate(numbers) if e.get("Channel") == VOICE]
    if not (phone and phone.PhoneType) and not voice:
        return [
            Violation(
                "PhoneConfig/PhoneType",
                "is required unless PhoneNumberConfigs has a VOICE entry: every user has a "
                "phone type",
            )
        ]
    return [
        Violation(f"PhoneNumberConfigs/{i}/PhoneNumber", "is required when PhoneType is DESK_PHONE")
        for i, e in voice
        if e.get("PhoneType") == DESK_PHONE and not e.get("PhoneNumber")
    ]


def channel_rules(model: ResourceModel) -> list[Violation]:
    """All of the above, for create and update alike."""
    return [
        *phone_type_rules(model),
        *conflicts(model),
        *one_entry_per_channel(model),
        *voice_only_members(model),
    ]

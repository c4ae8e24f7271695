"""Per-channel user settings (the five *Configs lists) and the classic PhoneConfig they
overlap with, between the resource model and Connect's API. Pure functions.

What a template manages: exactly the channels (and, in an entry, the members) it declares;
its classic PhoneConfig stands for the VOICE entries, and its ACW limit for every channel
(UpdateUserPhoneConfig "will always set the same ACW timeouts to all channels the user
handles"). A channel or member the previous template managed, in either form, and the new
one does not list goes to what the new one implies: what CreateUser with it gives (its
classic value, else Connect's default), so a rollback across the two forms restores. Anything
no template declared is left as Connect holds it: when a template sets ACW per channel, the
other channels get back the limit a phone write overwrote (acw_restore, update_writes.py).

Connect documents neither whether UpdateUserConfig merges a list into the user's channels or
replaces it, nor whether DescribeUser reports channels nobody set. So a write sends the whole
list: the template's channels plus every other live channel as it is, which is correct under
either behaviour, and a live channel that is missing counts as being at its default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import models
from .channel_lists import (  # re-exported: the pure part the rules share
    ACW,
    CHANNELS,
    CLASSIC_DEFAULTS,
    CLASSIC_FIELDS,
    LISTS,
    VOICE,
    ChannelList,
    Entries,
    _by_channel,
    declared,
)
from .channel_lists import (
    BY_NAME as BY_NAME,
)
from .channel_lists import (
    LIST_NAMES as LIST_NAMES,
)
from .channel_lists import (
    plain as plain,
)
from .models import ResourceModel, UserPhoneConfig
from .references import by_identifier


def live(user: Mapping[str, Any], name: str) -> Entries:
    return _by_channel(user.get(name) or ())


def _ordered(channels: Iterable[str]) -> list[str]:
    return sorted(set(channels), key=lambda c: (CHANNELS.index(c) if c in CHANNELS else 99, c))


def _as_list(entries: Entries) -> list[dict[str, Any]]:
    return [{"Channel": c, **entries[c]} for c in _ordered(entries)]


# --- create -----------------------------------------------------------------------------------


def create_params(model: ResourceModel) -> dict[str, list[dict[str, Any]]]:
    """CreateUser's per-channel lists: the ones the template declares with any entry."""
    found = {}
    for lst in LISTS:
        entries = declared(model, lst.name)
        if entries:
            found[lst.name] = _as_list(entries)
    return found


def owned_by_lists(model: ResourceModel) -> set[str]:
    """Classic PhoneConfig members whose per-channel list the template declares: the list
    sets them, so the classic form neither sends their defaults nor compares them."""
    return {m for lst in LISTS if declared(model, lst.name) for m in lst.classic}


def classic_params(model: ResourceModel) -> dict[str, Any] | None:
    """The PhoneConfig to send (None when the template has none): what it sets, and Connect's
    defaults for AutoAccept and the ACW limit unless a per-channel list sets them."""
    phone = model.PhoneConfig
    if phone is None:
        return None
    owned = owned_by_lists(model)
    params = {k: v for k, v in CLASSIC_DEFAULTS.items() if k not in owned}
    params.update(
        {k: v for k in CLASSIC_FIELDS if (v := getattr(phone, k, None)) not in (None, "")}
    )
    return params


def _classic_managed(model: ResourceModel) -> set[str]:
    """The classic members an update compares: those the template sets, those with a default,
    less those a list sets. PersistentConnection left out is not the template's (it may be set
    in the console), so it is carried over as it is."""
    phone = model.PhoneConfig
    managed = {"PhoneType", "AutoAccept", ACW, "DeskPhoneNumber"}
    if phone is not None and phone.PersistentConnection is not None:
        managed.add("PersistentConnection")
    return managed - owned_by_lists(model)


def classic_write(model: ResourceModel, user: Mapping[str, Any]) -> dict[str, Any] | None:
    """UpdateUserPhoneConfig's PhoneConfig when the classic members the template manages
    differ from the live user's, else None. It replaces the whole structure, so every live
    member the template does not manage is carried over."""
    desired = classic_params(model)
    if desired is None:
        return None
    live_phone = {k: v for k, v in (user.get("PhoneConfig") or {}).items() if v not in (None, "")}
    managed = _classic_managed(model)
    current = {k: v for k, v in {**CLASSIC_DEFAULTS, **live_phone}.items() if k in managed}
    if {k: v for k, v in desired.items() if k in managed} == current:
        return None
    kept = {k: v for k, v in live_phone.items() if k not in managed}
    return {**kept, **desired}


# --- read -------------------------------------------------------------------------------------

# The form a read gives a setting the two forms share (the four lists with classic members).
CLASSIC_FORM, LIST_FORM, AS_REPORTED = "classic", "list", "reported"


def _implied(lst: ChannelList, user: Mapping[str, Any], channel: str) -> dict[str, Any]:
    """An entry as the classic PhoneConfig alone leaves it: VOICE is the classic form's view,
    the ACW limit is the same on every channel, everything else at Connect's defaults."""
    entry = {k: v for k, v in lst.defaults.items() if v is not None}
    limit = (user.get("PhoneConfig") or {}).get(ACW)
    if lst.name == "AfterContactWorkConfigs" and isinstance(limit, int):
        entry["AfterContactWorkConfig"] = {ACW: limit}
    if channel == VOICE:
        entry.update(classic_voice(user).get(lst.name, {}))
    return entry


def classic_agrees(lst: ChannelList, user: Mapping[str, Any]) -> bool:
    """Whether every channel Connect reports in this list is what the classic form implies,
    so the classic PhoneConfig alone says all there is to say about the setting."""
    if not user.get("PhoneConfig"):
        return False
    for channel, entry in live(user, lst.name).items():
        implied = _implied(lst, user, channel)
        if any(implied.get(member) != value for member, value in entry.items()):
            return False
    return True


def read_forms(user: Mapping[str, Any], requested: ResourceModel | None) -> dict[str, str]:
    """The form a read returns each shared setting in: one form per setting, so what read
    returns is a model the type accepts. With a template, the template's form (a declared
    list; else its PhoneConfig; with neither, the list as Connect reports it). By identifier,
    the classic PhoneConfig when the list says nothing it does not imply (the form most users
    are made in, and the one an older template or tool understands); the list otherwise, so
    no per-channel setting is lost."""
    identifier = by_identifier(requested)
    forms = {}
    for lst in LISTS:
        if not lst.classic:
            continue
        if identifier:
            forms[lst.name] = CLASSIC_FORM if classic_agrees(lst, user) else LIST_FORM
        elif declared(requested, lst.name) is not None:
            forms[lst.name] = LIST_FORM
        elif requested is not None and requested.PhoneConfig is not None:
            forms[lst.name] = CLASSIC_FORM
        else:
            forms[lst.name] = AS_REPORTED
    return forms


def _rendered_entry(
    lst: ChannelList, wanted: Mapping[str, Any], have: Mapping[str, Any]
) -> dict[str, Any]:
    members = dict.fromkeys([*lst.required, *wanted])
    entry: dict[str, Any] = {}
    for member in members:
        value = have.get(member, lst.defaults.get(member))
        if value is not None:
            entry[member] = value
    return entry


def rendered(user: Mapping[str, Any], requested: ResourceModel | None) -> dict[str, Any]:
    """The five lists of a live user as model values, each in the form read_forms chooses.
    A list the request declares comes back with exactly its channels and members, values
    from the live user (so drift is real drift; a VOICE entry Connect shows only in the
    classic form is taken from there); a setting held in the classic form comes back without
    its list; otherwise a list comes back as Connect reports it (None when empty), with the
    VOICE entry from the classic form when read by identifier chose the list."""
    found: dict[str, Any] = {}
    voice = classic_voice(user)
    forms = read_forms(user, requested)
    for lst in LISTS:
        form = forms.get(lst.name, AS_REPORTED)
        if form == CLASSIC_FORM:
            found[lst.name] = None
            continue
        have = live(user, lst.name)
        wanted = declared(requested, lst.name)
        if lst.name in voice and (wanted is not None or form == LIST_FORM):
            have.setdefault(VOICE, voice[lst.name])
        if wanted is None:
            entries = have
        else:
            # A declared channel Connect does not report has Connect's defaults, as the
            # update's diff assumes: reported so, it is no drift.
            entries = {c: _rendered_entry(lst, wanted[c], have.get(c, {})) for c in wanted}
        items = [getattr(models, lst.item)._deserialize(e) for e in _as_list(entries)]
        found[lst.name] = items if items or wanted is not None else None
    return found


def rendered_phone(
    user: Mapping[str, Any], requested: ResourceModel | None
) -> UserPhoneConfig | None:
    """PhoneConfig with the members of the settings read_forms gives the classic form; None
    when a template leaves PhoneConfig out (it uses the lists) or no member is left."""
    phone = user.get("PhoneConfig") or {}
    kept_form = by_identifier(requested) or (requested is not None and requested.PhoneConfig)
    if not phone or not kept_form:
        return None
    forms = read_forms(user, requested)
    kept = {m for lst in LISTS if forms.get(lst.name) == CLASSIC_FORM for m in lst.classic}
    values = {
        "PhoneType": phone.get("PhoneType"),
        "AutoAccept": phone.get("AutoAccept"),
        ACW: phone.get(ACW),
        "DeskPhoneNumber": phone.get("DeskPhoneNumber") or None,
        "PersistentConnection": rendered_persistent_connection(user, requested),
    }
    values = {k: v if k in kept else None for k, v in values.items()}
    if all(v is None for v in values.values()):
        return None
    return UserPhoneConfig(**values)  # type: ignore[arg-type]  # each member's own type


def rendered_persistent_connection(
    user: Mapping[str, Any], requested: ResourceModel | None
) -> bool | None:
    """PhoneConfig.PersistentConnection in the request's form: back when the request sets it
    or has no PhoneConfig to keep the form of (import, read by identifier)."""
    value = (user.get("PhoneConfig") or {}).get("PersistentConnection")
    phone: UserPhoneConfig | None = requested.PhoneConfig if requested else None
    if phone is None or phone.PersistentConnection is not None:
        return value if isinstance(value, bool) else None
    return None


# --- update -----------------------------------------------------------------------------------


def classic_voice(user: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The VOICE entries the live classic PhoneConfig stands for, list by list: it is the
    VOICE channel's view of the same settings, and Connect may report a setting made in the
    classic form there only. A write that sends a list whole sends these with it, so a
    Connect that replaces the list keeps what an admin set in the classic form."""
    phone = user.get("PhoneConfig") or {}
    found: dict[str, dict[str, Any]] = {}
    if isinstance(phone.get("AutoAccept"), bool):
        found["AutoAcceptConfigs"] = {"AutoAccept": phone["AutoAccept"]}
    if isinstance(phone.get(ACW), int):
        found["AfterContactWorkConfigs"] = {"AfterContactWorkConfig": {ACW: phone[ACW]}}
    if phone.get("PhoneType"):
        number = phone.get("DeskPhoneNumber")
        found["PhoneNumberConfigs"] = {
            "PhoneType": phone["PhoneType"],
            **({"PhoneNumber": number} if number else {}),
        }
    if isinstance(phone.get("PersistentConnection"), bool):
        found["PersistentConnectionConfigs"] = {
            "PersistentConnection": phone["PersistentConnection"]
        }
    return found


def after_classic_write(
    user: Mapping[str, Any], classic: Mapping[str, Any] | None
) -> dict[str, Entries]:
    """The live lists as they will be once UpdateUserPhoneConfig has written `classic`, with
    a VOICE entry missing from a list taken from the classic form (classic_voice).
    Documented: it sets the same ACW limit on every channel. Assumed as well (writing more
    is safe, writing less could leave a list undone): the members it shares with the VOICE
    entries set those."""
    lists = {lst.name: live(user, lst.name) for lst in LISTS}
    for name, entry in classic_voice(user).items():
        lists[name].setdefault(VOICE, entry)
    if not classic:
        return lists
    if ACW in classic:
        for entry in lists["AfterContactWorkConfigs"].values():
            entry["AfterContactWorkConfig"] = {ACW: classic[ACW]}
    voice = {
        "AutoAcceptConfigs": {"AutoAccept": classic.get("AutoAccept")},
        "PhoneNumberConfigs": {
            "PhoneType": classic.get("PhoneType"),
            "PhoneNumber": classic.get("DeskPhoneNumber"),
        },
        "PersistentConnectionConfigs": {
            "PersistentConnection": classic.get("PersistentConnection")
        },
    }
    for name, members in voice.items():
        voice_entry = lists[name].get(VOICE)
        if voice_entry is not None:
            voice_entry.update({k: v for k, v in members.items() if v is not None})
    return lists


def _value(entry: Mapping[str, Any] | None, member: str, lst: ChannelList) -> Any:
    if entry is not None and member in entry:
        return entry[member]
    return lst.defaults.get(member)


def _classic_voice_of(model: ResourceModel, lst: ChannelList) -> dict[str, Any]:
    """The VOICE entry a template's classic PhoneConfig stands for in one list."""
    return classic_voice({"PhoneConfig": classic_params(model) or {}}).get(lst.name, {})


def implied(lst: ChannelList, model: ResourceModel, channel: str, member: str) -> Any:
    """What a template gives a channel's member its list does not declare: what CreateUser
    with it gives. The classic form stands for the VOICE entries, and its ACW limit for every
    channel (UpdateUserPhoneConfig sets it on all); the rest is Connect's default."""
    entry = _implied(lst, {"PhoneConfig": classic_params(model) or {}}, channel)
    return entry.get(member, lst.defaults.get(member))


def managed_before(
    lst: ChannelList, previous: ResourceModel | None, desired: ResourceModel
) -> dict[str, set[str]]:
    """Channel -> members the update sets to what the desired template implies (unless it
    lists them): those the previous template managed, its entries and the VOICE members its
    classic PhoneConfig set; and every channel's ACW when the classic limit starts or stops
    being every channel's (one template sets it in PhoneConfig, the other per channel or not
    at all), since the phone write that would spread it is sent only when VOICE's differs."""
    found = {c: set(m) for c, m in (declared(previous, lst.name) or {}).items()}
    if previous is None:
        return found
    voice = _classic_voice_of(previous, lst)
    if voice:
        found.setdefault(VOICE, set()).update(voice)
    was_classic = ACW in (classic_params(previous) or {})
    if lst.name == "AfterContactWorkConfigs" and was_classic != (
        ACW in (classic_params(desired) or {})
    ):
        for channel in CHANNELS:
            found.setdefault(channel, set()).add("AfterContactWorkConfig")
    return found


def _targets(lst: ChannelList, desired: ResourceModel, previous: ResourceModel | None) -> Entries:
    """Channel -> member -> value the update must make true: the desired entries, and for
    what the previous template managed (in either form) and this one does not list, what
    this one implies: its classic form's value, or Connect's default. The classic write, when
    sent, already makes some of them true (after_classic_write); the list writes the rest."""
    wanted = declared(desired, lst.name) or {}
    by_classic = _classic_voice_of(desired, lst)  # the classic write compares and sets these
    targets: Entries = {}
    for channel, names in managed_before(lst, previous, desired).items():
        for member in names:
            if member in wanted.get(channel, {}) or (channel == VOICE and member in by_classic):
                continue
            targets.setdefault(channel, {})[member] = implied(lst, desired, channel, member)
    for channel, members in wanted.items():
        targets.setdefault(channel, {}).update(members)
    return targets


def acw_restore(
    desired: ResourceModel,
    user: Mapping[str, Any],
    classic: Mapping[str, Any] | None,
    recorded: Mapping[str, int],
) -> dict[str, int]:
    """Channel -> ACW limit to put back after UpdateUserPhoneConfig: it sets VOICE's limit on
    every channel, and a template that manages ACW per channel keeps every other channel's
    (its own are targets, the rest no template's). Taken from the live user before the write,
    and kept in the callback context: what an earlier invocation recorded wins, since its
    phone write may have taken effect already."""
    found = dict(recorded)
    if classic and ACW in owned_by_lists(desired):
        for channel, entry in after_classic_write(user, None)["AfterContactWorkConfigs"].items():
            limit = (entry.get("AfterContactWorkConfig") or {}).get(ACW)
            if channel != VOICE and isinstance(limit, int):
                found.setdefault(channel, limit)
    return found


def undo_spread(
    user: Mapping[str, Any], classic: Mapping[str, Any] | None, restore: Mapping[str, int]
) -> list[dict[str, Any]] | None:
    """The AfterContactWorkConfigs that puts back what UpdateUserPhoneConfig overwrote when
    the update cannot finish: every channel of `restore` as it was before the write. `user`
    is the live user before this invocation's phone write (`classic`), if it sent one."""
    entries = after_classic_write(user, classic)["AfterContactWorkConfigs"]
    if not any(c in entries for c in restore):
        return None
    for channel, limit in restore.items():
        if channel in entries:
            entries[channel] = {**entries[channel], "AfterContactWorkConfig": {ACW: limit}}
    return _as_list(entries)


def write(
    desired: ResourceModel,
    previous: ResourceModel | None,
    user: Mapping[str, Any],
    classic: Mapping[str, Any] | None = None,
    restore: Mapping[str, int] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """UpdateUserConfig's lists: only those where a managed channel differs from the live
    user (after the classic write, if any, has had its effect). Each is sent whole: the
    managed channels as the template wants them, every other live channel as it is, and the
    ACW limits the classic write overwrote put back (`restore`: acw_restore's, by default
    from this live user)."""
    if restore is None:
        restore = acw_restore(desired, user, classic, {})
    after = after_classic_write(user, classic)
    found = {}
    for lst in LISTS:
        have = after[lst.name]
        targets = _targets(lst, desired, previous)
        if lst.name == "AfterContactWorkConfigs":
            for channel, limit in restore.items():
                if channel not in targets and channel in have:
                    targets[channel] = {"AfterContactWorkConfig": {ACW: limit}}
        differs = any(
            _value(have.get(c), m, lst) != v
            for c, members in targets.items()
            for m, v in members.items()
        )
        if not differs:
            continue
        entries: Entries = {}
        for channel in {*have, *targets}:
            entry = {**have.get(channel, {}), **targets.get(channel, {})}
            for member in lst.required:
                entry.setdefault(member, lst.defaults[member])
            entries[channel] = {k: v for k, v in entry.items() if v is not None}
        found[lst.name] = _as_list(entries)
    return found

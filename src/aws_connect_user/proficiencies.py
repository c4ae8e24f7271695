"""Routing proficiencies (UserProficiencies) between the resource model and Connect's four
proficiency calls. Translation and the diff are pure; `live` reads every page.

A proficiency is keyed by (AttributeName, AttributeValue); its Level is a number 1-5 in the
model (2.5 too) and a float in Connect's API. Levels are compared as numbers, so 3, "3" and 3.0
are one level and a change of form alone writes nothing; a read gives a level back in the form
the request wrote it (3 or 3.0), and a level the request does not hold as it reads (2.5 set in
the console) as Connect has it, a whole number without its ".0".

What a template manages: managed means declared. A template that declares UserProficiencies
(even as an empty list) owns the user's whole set: an update associates what is new, updates
what changed level and disassociates what is gone. When the new template drops the property,
the proficiencies the previous template declared are disassociated and any others are left
alone. When no template declared it, the user's proficiencies (set in the console, say) are
never touched, and a read with such a model does not list them.

A write whose answer was lost is resent by botocore; Connect may refuse the repeat ("already
associated"). `apply` then lists the user's proficiencies: when they show the change, the
write is done. The create's association (association.py) and the update share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .connect import Connect
from .models import ResourceModel, UserProficiency
from .outcomes import Failure
from .references import by_identifier

PROPERTY = "UserProficiencies"
PAGE_SIZE = 100  # ListUserProficiencies' MaxResults limit
ASSOCIATE = "AssociateUserProficiencies"
UPDATE = "UpdateUserProficiencies"
DISASSOCIATE = "DisassociateUserProficiencies"
LIST = "ListUserProficiencies"

MEMBERS = ("AttributeName", "AttributeValue", "Level")
Key = tuple[str, str]  # (AttributeName, AttributeValue)
Levels = dict[Key, float]


# --- model <-> API ---------------------------------------------------------------------------


def _level(value: Any) -> float:
    """A level as a number to compare: 3, "3" and 3.0 are one level."""
    return float(value)


def _shown(level: float, written: Any) -> float | int:
    """A live level in the form the request wrote it when it is the same level, else as a
    whole number where it is one (Connect's 3.0 is 3) and as it is otherwise (2.5)."""
    if isinstance(written, int | float) and not isinstance(written, bool) and written == level:
        return written
    return int(level) if float(level).is_integer() else level


def _member(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def from_items(items: Iterable[Any]) -> Levels:
    """Proficiencies keyed by (name, value), from model items or API dicts; the first entry
    of a key wins (a repeated key is refused by rules.proficiency_rules before any write)."""
    found: Levels = {}
    for item in items:
        name, value, level = (_member(item, m) for m in MEMBERS)
        if name is None or value is None or level is None:
            continue
        found.setdefault((str(name), str(value)), _level(level))
    return found


def declared(model: ResourceModel | None) -> Levels | None:
    """The proficiencies a model declares; None when it leaves the property out."""
    items = getattr(model, PROPERTY, None) if model is not None else None
    return None if items is None else from_items(items)


def api_items(levels: Mapping[Key, float]) -> list[dict[str, Any]]:
    """The API's UserProficiencyList, sorted by key: Level as the float Connect models."""
    return [
        {"AttributeName": name, "AttributeValue": value, "Level": float(levels[(name, value)])}
        for name, value in sorted(levels)
    ]


def key_items(keys: Iterable[Key]) -> list[dict[str, str]]:
    """DisassociateUserProficiencies' list: name and value only."""
    return [{"AttributeName": name, "AttributeValue": value} for name, value in sorted(keys)]


def rendered(
    live: Mapping[Key, float], requested: ResourceModel | None
) -> list[UserProficiency] | None:
    """The live proficiencies as model items: those the request declares in its order first,
    then the rest sorted (a template that declares the property manages the whole set, so an
    extra one is drift to show). None (absent) when there are none and none were declared."""
    asked = declared(requested)
    if not live and asked is None:
        return None
    wanted = list(asked or {})
    written = _written_levels(requested)
    order = [k for k in wanted if k in live] + sorted(k for k in live if k not in wanted)
    return [
        UserProficiency(
            AttributeName=name,
            AttributeValue=value,
            Level=_shown(live[(name, value)], written.get((name, value))),
        )
        for name, value in order
    ]


def _written_levels(requested: ResourceModel | None) -> dict[Key, Any]:
    """Each declared proficiency's Level as the request wrote it (the first of a key)."""
    found: dict[Key, Any] = {}
    for item in getattr(requested, PROPERTY, None) or ():
        name, value, level = (_member(item, m) for m in MEMBERS)
        if name is not None and value is not None:
            found.setdefault((str(name), str(value)), level)
    return found


def read_lists(requested: ResourceModel | None) -> bool:
    """Whether a read lists the proficiencies: by identifier it returns all; a model that
    leaves the property out manages none."""
    return getattr(requested, PROPERTY, None) is not None or by_identifier(requested)


# --- diff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diff:
    associate: Levels = field(default_factory=dict)
    update: Levels = field(default_factory=dict)
    disassociate: frozenset[Key] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.associate or self.update or self.disassociate)


def diff(live: Mapping[Key, float], target: Mapping[Key, float]) -> Diff:
    """The set difference from live to target: new keys, changed levels, gone keys."""
    return Diff(
        associate={k: v for k, v in target.items() if k not in live},
        update={k: v for k, v in target.items() if k in live and live[k] != v},
        disassociate=frozenset(k for k in live if k not in target),
    )


def target(
    desired: ResourceModel, previous: ResourceModel | None, live: Mapping[Key, float]
) -> Levels | None:
    """The set an update must make live; None when no template declares the property."""
    wanted = declared(desired)
    if wanted is not None:
        return wanted
    before = declared(previous)
    if before is None:
        return None
    return {k: v for k, v in live.items() if k not in before}


def managed(desired: ResourceModel, previous: ResourceModel | None) -> bool:
    """Whether an update has proficiencies to look at (the desired or previous template
    declares them); when not, it makes no proficiency call at all."""
    return declared(desired) is not None or declared(previous) is not None


def calls(ids: Mapping[str, str], change: Diff) -> list[tuple[str, dict[str, Any]]]:
    """One call per kind of change, none when nothing changed. Associations go first: a
    rejected attribute then fails the update before anything was taken away."""
    found: list[tuple[str, dict[str, Any]]] = []
    if change.associate:
        found.append((ASSOCIATE, {**ids, PROPERTY: api_items(change.associate)}))
    if change.update:
        found.append((UPDATE, {**ids, PROPERTY: api_items(change.update)}))
    if change.disassociate:
        found.append((DISASSOCIATE, {**ids, PROPERTY: key_items(change.disassociate)}))
    return found


# --- Connect ---------------------------------------------------------------------------------


def live(connect: Connect, ids: Mapping[str, str], user_arn: str) -> Levels:
    """Every page of ListUserProficiencies."""
    found: Levels = {}
    token: str | None = None
    while True:
        params: dict[str, Any] = {**ids, "MaxResults": PAGE_SIZE}
        if token:
            params["NextToken"] = token
        page = connect.call(LIST, params, user=user_arn)
        found.update(from_items(page.get("UserProficiencyList") or ()))
        token = page.get("NextToken")
        if not token:
            return found


def holds(live: Mapping[Key, float], change: Diff) -> bool:
    """Whether the live proficiencies already show the whole change."""
    return (
        all(live.get(k) == v for k, v in {**change.associate, **change.update}.items())
        and not change.disassociate & live.keys()
    )


def apply(
    connect: Connect,
    ids: Mapping[str, str],
    change: Diff,
    user_arn: str,
    *,
    sent_before: bool = False,
) -> None:
    """One call per kind of change. A refusal after an attempt of ours that may have taken
    effect (botocore resent the call, or `sent_before`: an earlier invocation's answer was
    lost) may be Connect refusing to repeat it ("already associated", "not associated"):
    when the live proficiencies show that call's change, it is done."""
    for operation, params in calls(ids, change):
        try:
            connect.call(operation, params)
        except Failure as failure:
            if failure.transient or not (failure.outcome_unknown or sent_before):
                raise
            if not _done(connect, ids, user_arn, _part(change, operation)):
                raise


def _part(change: Diff, operation: str) -> Diff:
    if operation == ASSOCIATE:
        return Diff(associate=change.associate)
    if operation == UPDATE:
        return Diff(update=change.update)
    return Diff(disassociate=change.disassociate)


def _done(connect: Connect, ids: Mapping[str, str], user_arn: str, change: Diff) -> bool:
    try:
        return holds(live(connect, ids, user_arn), change)
    except Failure:
        return False

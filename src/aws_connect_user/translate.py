"""Translation between the resource model and Connect's API, both ways. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from . import channels, references
from .models import ResourceModel, Tag, UserIdentityInfo, UserPhoneConfig
from .references import by_identifier, id_of
from .rules import MARKER_TAG_KEY

MAX_TAGS = 50  # Connect's limit per resource
IDENTITY_FIELDS = ("FirstName", "LastName", "Email", "SecondaryEmail", "Mobile")
PHONE_DEFAULTS: Mapping[str, Any] = {"AutoAccept": False, "AfterContactWorkTimeLimit": 0}


_MODEL_FIELDS = tuple(f.name for f in fields(ResourceModel))


def empty_model() -> ResourceModel:
    return ResourceModel(**dict.fromkeys(_MODEL_FIELDS))


# --- tags -------------------------------------------------------------------------------


def tag_map(tags: Iterable[Tag] | None) -> dict[str, str]:
    return {tag.Key: tag.Value or "" for tag in tags or () if tag.Key is not None}


def tag_list(tags: Mapping[str, str]) -> list[Tag] | None:
    """Tags in the CloudFormation form, sorted by key; None (absent) when there are none."""
    return [Tag(Key=k, Value=tags[k]) for k in sorted(tags)] or None


def desired_tags(model: ResourceModel, stack_tags: Mapping[str, str] | None) -> dict[str, str]:
    """Stack-level tags plus the resource's own; the resource wins on the same key.
    aws: keys (CloudFormation system tags) are never sent: Connect rejects them."""
    merged = {k: v for k, v in (stack_tags or {}).items() if not k.startswith("aws:")}
    merged.update(tag_map(model.Tags))
    return merged


def visible_tags(live: Mapping[str, str] | None) -> dict[str, str]:
    """The user's tags without the handler's own create marker."""
    return {k: v for k, v in (live or {}).items() if k != MARKER_TAG_KEY}


# --- model -> API ------------------------------------------------------------------------


def identity_params(info: UserIdentityInfo | None) -> dict[str, str]:
    if info is None:
        return {}
    return {name: value for name in IDENTITY_FIELDS if (value := getattr(info, name))}


def phone_params(phone: UserPhoneConfig | None) -> dict[str, Any]:
    """The full phone config Connect will hold: UpdateUserPhoneConfig replaces all of it."""
    params: dict[str, Any] = dict(PHONE_DEFAULTS)
    if phone is not None:
        params["PhoneType"] = phone.PhoneType
        if phone.AutoAccept is not None:
            params["AutoAccept"] = phone.AutoAccept
        if phone.AfterContactWorkTimeLimit is not None:
            params["AfterContactWorkTimeLimit"] = phone.AfterContactWorkTimeLimit
        if phone.DeskPhoneNumber:
            params["DeskPhoneNumber"] = phone.DeskPhoneNumber
    return params


def _required(value: str | None, name: str) -> str:
    """A property the schema requires: validated before any handler runs, so its absence here
    is a bug, reported as one rather than sent to Connect."""
    if not value:
        raise ValueError(f"{name} is required by the schema but missing")
    return value


def security_profile_ids(model: ResourceModel) -> list[str]:
    return sorted({id_of(v, "security-profile") for v in model.SecurityProfileIds or ()})


def create_user_params(model: ResourceModel, tags: Mapping[str, str]) -> dict[str, Any]:
    """CreateUser's parameters: every given property, references as IDs."""
    params: dict[str, Any] = {
        "InstanceId": id_of(_required(model.InstanceId, "InstanceId"), "instance"),
        "Username": _required(model.Username, "Username"),
        **({"PhoneConfig": phone} if (phone := channels.classic_params(model)) else {}),
        **channels.create_params(model),
        "SecurityProfileIds": security_profile_ids(model),
        "RoutingProfileId": id_of(
            _required(model.RoutingProfileId, "RoutingProfileId"), "routing-profile"
        ),
    }
    if model.Password:
        params["Password"] = model.Password
    if identity := identity_params(model.IdentityInfo):
        params["IdentityInfo"] = identity
    if model.DirectoryUserId:
        params["DirectoryUserId"] = model.DirectoryUserId
    if model.HierarchyGroupId:
        params["HierarchyGroupId"] = id_of(model.HierarchyGroupId, "agent-group")
    if tags:
        params["Tags"] = dict(tags)
    return params


# --- API -> model ------------------------------------------------------------------------


def model_from_user(
    user: Mapping[str, Any], instance: str, requested: ResourceModel | None
) -> ResourceModel:
    """The resource model of a live user (DescribeUser's User).

    References come back in the form the request used for each (ID or ARN), IDs otherwise.
    Each setting the classic PhoneConfig shares with a per-channel list comes back in one
    form only (channels.read_forms), so the model is one the type accepts.
    """
    asked = requested or empty_model()
    info = {k: v for k in IDENTITY_FIELDS if (v := (user.get("IdentityInfo") or {}).get(k))}
    hierarchy = user.get("HierarchyGroupId")
    return ResourceModel(
        InstanceId=instance,
        Username=user.get("Username"),
        Password=None,
        # Connect assigns a DirectoryUserId to every user: a template that never declared one
        # must not drift, nor hand it back to a CreateUser; a read by identifier reports it.
        DirectoryUserId=user.get("DirectoryUserId") or None
        if asked.DirectoryUserId is not None or by_identifier(requested)
        else None,
        IdentityInfo=UserIdentityInfo(**{k: info.get(k) for k in IDENTITY_FIELDS})
        if info
        else None,
        PhoneConfig=channels.rendered_phone(user, requested),
        SecurityProfileIds=[  # type: ignore[arg-type]  # a list: models.py would make a set
            references.render(sp, asked.SecurityProfileIds, "security-profile")
            for sp in sorted(user.get("SecurityProfileIds") or ())
        ]
        or None,
        RoutingProfileId=references.render(
            user["RoutingProfileId"], asked.RoutingProfileId, "routing-profile"
        )
        if user.get("RoutingProfileId")
        else None,
        HierarchyGroupId=references.render(hierarchy, asked.HierarchyGroupId, "agent-group")
        if hierarchy
        else None,
        Tags=tag_list(visible_tags(user.get("Tags"))),  # type: ignore[arg-type]
        UserProficiencies=None,  # not in DescribeUser: read adds them (proficiencies.py)
        UserId=user.get("Id"),
        UserArn=user.get("Arn"),
        **channels.rendered(user, requested),
    )


def instance_form(requested: str | None, instance_id: str) -> str:
    """InstanceId as the request wrote it when it names this instance, else the ID."""
    if requested and id_of(requested, "instance") == instance_id:
        return requested
    return instance_id


# --- update plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One Connect write an update needs; `about` names the property a missing reference is."""

    operation: str
    params: Mapping[str, Any]
    about: str | None = None


@dataclass(frozen=True)
class UpdatePlan:
    calls: list[Call] = field(default_factory=list)
    # Channel -> ACW limit the phone write overwrites and the lists put back: the callback
    # context keeps it, so a later invocation still knows (channels.acw_restore).
    acw_restore: dict[str, int] = field(default_factory=dict)


PHONE_FIELDS = ("PhoneType", "AutoAccept", "AfterContactWorkTimeLimit", "DeskPhoneNumber")


def unmodelled(live: Mapping[str, Any], modelled: Iterable[str]) -> dict[str, Any]:
    """Members of a live structure this type does not model. Update calls that replace a whole
    structure carry them over, so a template change never switches off a setting made
    outside CloudFormation (PhoneConfig.PersistentConnection, say)."""
    known = set(modelled)
    return {k: v for k, v in live.items() if k not in known and v is not None}


def _live_phone(user: Mapping[str, Any]) -> dict[str, Any]:
    """The live phone config in phone_params' form; fields this type does not model (newer
    API members such as PersistentConnection) are not the template's to compare."""
    live = dict(PHONE_DEFAULTS)
    phone = user.get("PhoneConfig") or {}
    live.update({k: phone[k] for k in PHONE_FIELDS if phone.get(k) not in (None, "")})
    return live


def identity_differs(
    desired: ResourceModel, user: Mapping[str, Any], *, directory_owned: bool
) -> bool:
    """Whether the identity fields the template manages differ from the live user's. On an
    EXISTING_DIRECTORY instance the directory owns the names and email: the template manages
    only the fields it sets."""
    identity = identity_params(desired.IdentityInfo)
    live = {k: v for k, v in (user.get("IdentityInfo") or {}).items() if v}
    managed = identity.keys() if directory_owned else IDENTITY_FIELDS
    return identity != {k: v for k, v in live.items() if k in managed}


def plan_update(
    desired: ResourceModel,
    user: Mapping[str, Any],
    tags: Mapping[str, str],
    instance_id: str,
    *,
    directory_owned: bool = False,
    previous: ResourceModel | None = None,
    acw_recorded: Mapping[str, int] | None = None,
) -> UpdatePlan:
    """The writes that take the live user to the desired model, and only those.

    Comparing with the live state (not the previous template) makes a retried or resumed
    update converge and repairs drift made outside CloudFormation.
    """
    routing = id_of(_required(desired.RoutingProfileId, "RoutingProfileId"), "routing-profile")
    ids = {"InstanceId": instance_id, "UserId": user["Id"]}
    calls: list[Call] = []

    if identity_differs(desired, user, directory_owned=directory_owned):
        live_identity = user.get("IdentityInfo") or {}
        # A directory owns what the template leaves out; otherwise the template owns it all.
        kept = live_identity if directory_owned else unmodelled(live_identity, IDENTITY_FIELDS)
        identity = {**kept, **identity_params(desired.IdentityInfo)}
        identity = {k: v for k, v in identity.items() if v not in (None, "")}
        calls.append(Call("UpdateUserIdentityInfo", {**ids, "IdentityInfo": identity}))

    # The classic form first: it sets the same ACW on every channel, and the lists then win.
    phone = channels.classic_write(desired, user)
    restore = channels.acw_restore(desired, user, phone, acw_recorded or {})
    if phone is not None:
        calls.append(Call("UpdateUserPhoneConfig", {**ids, "PhoneConfig": phone}))
    if lists := channels.write(desired, previous, user, phone, restore):
        calls.append(Call("UpdateUserConfig", {**ids, **lists}))

    if routing != user.get("RoutingProfileId"):
        params = {**ids, "RoutingProfileId": routing}
        calls.append(Call("UpdateUserRoutingProfile", params, "RoutingProfileId"))

    profiles = security_profile_ids(desired)
    if set(profiles) != set(user.get("SecurityProfileIds") or ()):
        params = {**ids, "SecurityProfileIds": profiles}
        calls.append(Call("UpdateUserSecurityProfiles", params, "SecurityProfileIds"))

    group = id_of(desired.HierarchyGroupId, "agent-group") if desired.HierarchyGroupId else None
    if group != (user.get("HierarchyGroupId") or None):
        params = {**ids, **({"HierarchyGroupId": group} if group else {})}
        calls.append(Call("UpdateUserHierarchy", params, "HierarchyGroupId"))

    live_tags = visible_tags(user.get("Tags"))
    removed = sorted(set(live_tags) - set(tags))
    if len(tags) >= MAX_TAGS and MARKER_TAG_KEY in (user.get("Tags") or {}):
        removed.append(MARKER_TAG_KEY)  # the template needs every slot Connect allows
    added = {k: v for k, v in tags.items() if live_tags.get(k) != v}
    arn = user["Arn"]
    if removed:
        calls.append(Call("UntagResource", {"resourceArn": arn, "tagKeys": removed}))
    if added:
        calls.append(Call("TagResource", {"resourceArn": arn, "tags": added}))
    return UpdatePlan(calls, restore)


def created_model(model: ResourceModel, user_id: str, user_arn: str) -> ResourceModel:
    """What create and update return: the desired model with the user's identifiers."""
    return replace(model, Password=None, UserId=user_id, UserArn=user_arn)


def listed_model(summary: Mapping[str, Any], instance: str) -> ResourceModel:
    """A list entry: enough to read the user (UserArn) and to recognise it.
    Built in one step: a page holds up to 1,000 of them."""
    values: dict[str, Any] = dict.fromkeys(_MODEL_FIELDS)
    values.update(
        InstanceId=instance,
        Username=summary.get("Username"),
        UserId=summary.get("Id"),
        UserArn=summary.get("Arn"),
    )
    return ResourceModel(**values)


def has_names(user: Mapping[str, Any]) -> bool:
    info = user.get("IdentityInfo") or {}
    return bool(info.get("FirstName") and info.get("LastName"))

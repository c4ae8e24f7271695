"""What the schema cannot say: Connect's identity-management rules and related checks.

Pure functions over the resource model. Each returns violations; the handler refuses the
request before any write when there are any. Messages name the property and the rule and
never repeat a value (the Password is a property like any other here).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import references
from .models import ResourceModel

CONNECT_MANAGED = "CONNECT_MANAGED"
SAML = "SAML"
EXISTING_DIRECTORY = "EXISTING_DIRECTORY"

USERNAME_LIMIT = {CONNECT_MANAGED: 20, SAML: 64, EXISTING_DIRECTORY: 20}
_EMAIL_SHAPED = re.compile(r"^[a-zA-Z0-9_.-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,63}$")
# Tag key the handler sets on users it creates, to recognise them after a lost response.
MARKER_TAG_KEY = "cfn-connect-user:create-token"


@dataclass(frozen=True)
class Violation:
    property: str
    rule: str

    def __str__(self) -> str:
        return f"{self.property}: {self.rule}"


def describe(violations: Iterable[Violation]) -> str:
    return "; ".join(str(v) for v in violations)


def _names_required(model: ResourceModel, why: str) -> list[Violation]:
    info = model.IdentityInfo
    return [
        Violation(f"IdentityInfo/{name}", f"is required {why}")
        for name in ("FirstName", "LastName")
        if not (info and getattr(info, name))
    ]


def identity_type_rules(model: ResourceModel, identity_type: str) -> list[Violation]:
    """The rules of the CreateUser reference that depend on the instance's identity type."""
    found: list[Violation] = []
    on = f"on a {identity_type} instance"
    if identity_type == CONNECT_MANAGED:
        if not model.Password:
            found.append(Violation("Password", f"is required {on}"))
        found += _names_required(model, on)
    elif identity_type == SAML:
        if model.Password:
            found.append(Violation("Password", f"must not be set {on}"))
        if model.DirectoryUserId:
            found.append(Violation("DirectoryUserId", f"must not be set {on}"))
        found += _names_required(model, on)
    elif identity_type == EXISTING_DIRECTORY and model.Password:
        found.append(Violation("Password", f"must not be set {on}"))
    limit = USERNAME_LIMIT.get(identity_type)
    if limit is not None and model.Username and len(model.Username) > limit:
        found.append(Violation("Username", f"must be at most {limit} characters {on}"))
    return found


def model_rules(model: ResourceModel) -> list[Violation]:
    """Rules that hold whatever the instance type."""
    found: list[Violation] = []
    if model.Username and "@" in model.Username and not _EMAIL_SHAPED.match(model.Username):
        found.append(Violation("Username", "may contain @ only in an email address shape"))
    found += control_character_rules(model)
    found += name_rules(model)
    found += phone_rules(model)
    found += reference_rules(model)
    found += tag_rules(model)
    return found


def _strings(value: Any, path: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            yield from _strings(inner, f"{path}/{field.name}" if path else field.name)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, path)


def control_character_rules(model: ResourceModel) -> list[Violation]:
    """No string property may carry a control character. The schema's patterns end in `$`,
    which Python's re also matches before a final newline, so "agent1\n" would pass them."""
    paths = [
        path
        for path, value in _strings(model, "")
        if any(unicodedata.category(ch) == "Cc" for ch in value)
    ]
    return [
        Violation(path, "must not contain control characters such as a line break or a tab")
        for path in dict.fromkeys(paths)
    ]


def name_rules(model: ResourceModel) -> list[Violation]:
    info = model.IdentityInfo
    found = []
    for name in ("FirstName", "LastName"):
        value = getattr(info, name) if info else None
        if value and not unicodedata.is_normalized("NFC", value):
            found.append(
                Violation(f"IdentityInfo/{name}", "must be in Unicode Normalization Form C (NFC)")
            )
    return found


def phone_rules(model: ResourceModel) -> list[Violation]:
    phone = model.PhoneConfig
    if phone and phone.PhoneType == "DESK_PHONE" and not phone.DeskPhoneNumber:
        return [
            Violation("PhoneConfig/DeskPhoneNumber", "is required when PhoneType is DESK_PHONE")
        ]
    return []


def reference_rules(model: ResourceModel) -> list[Violation]:
    """ARNs of profiles and groups must belong to the instance named by InstanceId."""
    if not model.InstanceId:
        return []
    instance_id = references.id_of(model.InstanceId, "instance")
    checks: list[tuple[str, list[str], references.Kind]] = [
        ("SecurityProfileIds", list(model.SecurityProfileIds or ()), "security-profile"),
        (
            "RoutingProfileId",
            [model.RoutingProfileId] if model.RoutingProfileId else [],
            "routing-profile",
        ),
        (
            "HierarchyGroupId",
            [model.HierarchyGroupId] if model.HierarchyGroupId else [],
            "agent-group",
        ),
    ]
    found = []
    for prop, values, kind in checks:
        if references.foreign_arns(instance_id, values, kind):
            found.append(Violation(prop, "names an ARN of another instance than InstanceId"))
    return found


def tag_rules(model: ResourceModel) -> list[Violation]:
    keys = [tag.Key or "" for tag in model.Tags or ()]
    found = []
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        found.append(Violation("Tags", "keys must be unique: " + ", ".join(duplicates)))
    if MARKER_TAG_KEY in keys:
        found.append(Violation("Tags", f"the key {MARKER_TAG_KEY} is reserved by this type"))
    return found


def tag_count_rules(tags: Mapping[str, str], limit: int, *, creating: bool) -> list[Violation]:
    """Resource and stack tags share Connect's per-user limit. A create needs one slot for the
    marker tag that makes it exactly-once (it recognises its own user after a lost answer), so
    it takes one tag fewer rather than silently giving that guarantee up."""
    if creating and len(tags) > limit - 1:
        return [
            Violation(
                "Tags",
                f"resource and stack tags together may be at most {limit - 1} on create: "
                f"Connect allows {limit} per user and this type reserves one for the tag "
                f"{MARKER_TAG_KEY}, which lets a retried create recognise its own user",
            )
        ]
    if len(tags) > limit:
        return [Violation("Tags", f"resource and stack tags together exceed {limit}")]
    return []


def update_rules(model: ResourceModel, *, names_required: bool) -> list[Violation]:
    """Rules for what an update may change. The names stay required wherever the live user
    has them, except on an EXISTING_DIRECTORY instance, whose directory owns them."""
    found = model_rules(model)
    if names_required:
        found += _names_required(model, "because the user has a first and last name")
    return found


def not_updatable(
    desired: ResourceModel,
    previous: ResourceModel | None,
    user: Mapping[str, Any],
    instance_id: str,
) -> list[Violation]:
    """Changes Connect has no API for. CloudFormation replaces the user when a create-only
    property changes in a template; anything that still arrives here is refused."""
    found = []
    if desired.InstanceId and not references.same(desired.InstanceId, instance_id, "instance"):
        found.append(
            Violation("InstanceId", "cannot change: a user cannot move to another instance")
        )
    if desired.Username and desired.Username != user.get("Username"):
        found.append(Violation("Username", "cannot change: Connect has no API to rename a user"))
    before = previous.DirectoryUserId if previous else None
    live = user.get("DirectoryUserId") or None
    if (desired.DirectoryUserId != before and previous is not None) or (
        desired.DirectoryUserId and live and desired.DirectoryUserId != live
    ):
        found.append(Violation("DirectoryUserId", "cannot change after the user is created"))
    return found


def password_changed(desired: ResourceModel, previous: ResourceModel | None) -> bool:
    """The template's Password is an initial password: Connect has no API to set another
    user's password (agents change their own), so a change is reported, never applied, and
    never refused (refusing it would also refuse the rollback of the same update)."""
    # A desired state without one is no change: update callbacks carry the model this handler
    # returned, which never holds the Password.
    return bool(desired.Password) and previous is not None and desired.Password != previous.Password

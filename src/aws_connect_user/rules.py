"""What the schema cannot say: Connect's identity-management rules and related checks.

Pure functions over the resource model. Each returns violations; the handler refuses the
request before any write when there are any, with the request's schema violations in the same
message (create_violations, update_violations), in the schema's property order. Messages name
the property and the rule and never repeat a value (the Password is a property like any other).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import channel_rules, references, schema
from .schema import Violation as Violation  # rules and schema report the same violations

if TYPE_CHECKING:  # light at run time: checks.py runs these rules in cfn-lint and the CDK
    from .models import ResourceModel

CONNECT_MANAGED = "CONNECT_MANAGED"
SAML = "SAML"
EXISTING_DIRECTORY = "EXISTING_DIRECTORY"

_EMAIL_SHAPED = re.compile(r"^[a-zA-Z0-9_.-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,63}$")
# Tag key the handler sets on users it creates, to recognise them after a lost response.
MARKER_TAG_KEY = "cfn-connect-user:create-token"
READ_ONLY_RULE = (
    "is read-only and cannot be set on create: Amazon Connect assigns it to the new user "
    "(read it with Fn::GetAtt)"
)


def describe(violations: Iterable[Violation]) -> str:
    """One message for many violations: each once, in the schema's property order."""
    return "; ".join(str(v) for v in schema.ordered(violations))


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
    # No per-type Username bound (issue 21): the reference's 20 (64 on SAML) is contradicted
    # by real instances. The schema holds the API's 1-100; Connect's own refusal names
    # Username (outcomes.from_exception).
    return found


def read_only_rules(
    model: ResourceModel, schema_violations: Sequence[Violation] = ()
) -> list[Violation]:
    """Read-only properties set on create. CloudFormation never sends a template's read-only
    properties to a handler, and a create's result must match its request, so a request that
    sets one (cfn invoke, a hand-made event) is refused rather than silently ignored."""
    names = schema.read_only_properties()
    given = {n for n in names if getattr(model, n, None) is not None}
    given |= {_top(v.property) for v in schema_violations} & names
    return [Violation(n, READ_ONLY_RULE) for n in sorted(given)]


def _top(path: str) -> str:
    return path.split("/", 1)[0]


def _within(path: str, other: str) -> bool:
    return path == other or path.startswith(other + "/")


def _combined(schema_violations: Sequence[Violation], found: list[Violation]) -> list[Violation]:
    """Schema violations and rule violations in one list. A rule sees the model without what
    broke the schema, so a rule about a property the schema already faults is an echo of
    that fault ("is required" for a weak Password) and is left out."""
    faulted = [v.property for v in schema_violations]
    echoes = [v for v in found if any(_within(v.property, f) for f in faulted)]
    return schema.ordered([*schema_violations, *(v for v in found if v not in echoes)])


def create_violations(
    model: ResourceModel,
    identity_type: str | None,
    schema_violations: Sequence[Violation] = (),
) -> list[Violation]:
    """Everything wrong with a create request, for one message: the schema's violations
    (model built without what broke them), read-only properties set, the rules that hold
    everywhere and, when the instance's identity-management type is known, its rules."""
    read_only = read_only_rules(model, schema_violations)
    written = [
        v for v in schema_violations if _top(v.property) not in schema.read_only_properties()
    ]
    found = [*read_only, *model_rules(model)]
    found += identity_type_rules(model, identity_type) if identity_type else []
    return _combined(written, found)


def update_violations(
    model: ResourceModel,
    *,
    names_required: bool,
    schema_violations: Sequence[Violation] = (),
) -> list[Violation]:
    """Everything wrong with an update request, for one message (see create_violations)."""
    return _combined(schema_violations, update_rules(model, names_required=names_required))


def model_rules(model: ResourceModel) -> list[Violation]:
    """Rules that hold whatever the instance type."""
    found: list[Violation] = []
    if model.Username and "@" in model.Username and not _EMAIL_SHAPED.match(model.Username):
        found.append(Violation("Username", "may contain @ only in an email address shape"))
    found += control_character_rules(model)
    found += name_rules(model)
    found += phone_rules(model)
    found += channel_rules.channel_rules(model)  # the per-channel lists and the two forms
    found += reference_rules(model)
    found += proficiency_rules(model)
    found += tag_rules(model)
    return found


def _strings(value: Any, path: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            yield from _strings(inner, f"{path}/{field.name}" if path else field.name)
    elif isinstance(value, Mapping):  # a template's properties (checks.Properties)
        for key, inner in value.items():
            yield from _strings(inner, f"{path}/{key}" if path else str(key))
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


def proficiency_rules(model: ResourceModel) -> list[Violation]:
    """Each proficiency once per (AttributeName, AttributeValue): Connect keys them so, and
    two levels for one would leave which one wins to the service."""
    keys = [
        f"{item.AttributeName}={item.AttributeValue}"
        for item in model.UserProficiencies or ()
        if item is not None and item.AttributeName and item.AttributeValue
    ]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        return [
            Violation(
                "UserProficiencies",
                "must list each attribute name and value once: " + ", ".join(twice),
            )
        ]
    return []


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
    schema_violations: Sequence[Violation] = (),
) -> list[Violation]:
    """Changes Connect has no API for. CloudFormation replaces the user when a create-only
    property changes in a template; anything that still arrives here is refused. A property
    the schema faults is left out of the desired model: that is no change to report."""
    faulted = [v.property for v in schema_violations]
    return [v for v in _changes(desired, previous, user, instance_id) if v.property not in faulted]


def _changes(
    desired: ResourceModel,
    previous: ResourceModel | None,
    user: Mapping[str, Any],
    instance_id: str,
) -> list[Violation]:
    found = []
    if desired.InstanceId and not references.same(desired.InstanceId, instance_id, "instance"):
        found.append(
            Violation("InstanceId", "cannot change: a user cannot move to another instance")
        )
    if desired.Username and desired.Username != user.get("Username"):
        found.append(Violation("Username", "cannot change: Connect has no API to rename a user"))
    # Connect reports a DirectoryUserId for every user, assigning one where the template has
    # none: only a declared value is compared (with the live one), and dropping a declared one
    # is a change; the ID Connect assigned to a template that never declared one is not.
    declared = desired.DirectoryUserId
    before = previous.DirectoryUserId if previous else None
    known = user.get("DirectoryUserId") or before  # the live one, else the last declared
    compared = known is not None or previous is not None  # else nothing to tell a change by
    if (declared is None and before is not None) or (
        declared is not None and compared and declared != known
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

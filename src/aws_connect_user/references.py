"""IDs and ARNs of Connect resources: parsing, comparing and rendering them.

Templates may name an instance, profile or group by ID or by ARN (CloudFormation attributes
hand out ARNs); Connect's user APIs want IDs. These functions are pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .models import ResourceModel

Kind = Literal["instance", "security-profile", "routing-profile", "agent-group", "agent"]

_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):connect:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):"
    r"instance/(?P<instance>[a-zA-Z0-9-]{1,100})"
    r"(?:/(?P<kind>security-profile|routing-profile|agent-group|agent)/(?P<id>[a-zA-Z0-9-]{1,100}))?$"
)


@dataclass(frozen=True)
class Reference:
    """One reference as written in a template: an ID, or an ARN that also names its instance."""

    value: str
    id: str
    instance_id: str | None  # set only for ARNs

    @property
    def is_arn(self) -> bool:
        return self.instance_id is not None


def parse(value: str, kind: Kind) -> Reference | None:
    """Parse an ID or an ARN of the given kind; None when it is an ARN of another kind."""
    match = _ARN.match(value)
    if match is None:
        if value.startswith("arn:"):
            return None
        return Reference(value=value, id=value, instance_id=None)
    if kind == "instance":
        if match["kind"] is not None:
            return None
        return Reference(value=value, id=match["instance"], instance_id=match["instance"])
    if match["kind"] != kind:
        return None
    return Reference(value=value, id=match["id"], instance_id=match["instance"])


def id_of(value: str, kind: Kind) -> str:
    """The ID a (schema-valid) ID-or-ARN value names."""
    ref = parse(value, kind)
    return ref.id if ref is not None else value


@dataclass(frozen=True)
class UserArn:
    value: str
    instance_id: str
    user_id: str


def parse_user_arn(value: str | None) -> UserArn | None:
    """Split a user ARN into its instance and user IDs; None when it is not a user ARN."""
    if not value:
        return None
    match = _ARN.match(value)
    if match is None or match["kind"] != "agent":
        return None
    return UserArn(value=value, instance_id=match["instance"], user_id=match["id"])


def foreign_arns(instance_id: str, values: Iterable[str], kind: Kind) -> list[str]:
    """The ARNs among values that belong to an instance other than instance_id."""
    foreign = []
    for value in values:
        ref = parse(value, kind)
        if ref is not None and ref.is_arn and ref.instance_id != instance_id:
            foreign.append(value)
    return foreign


def render(live_id: str, requested: str | Iterable[str] | None, kind: Kind) -> str:
    """Give a live ID back in the form the request used for it (ARN or ID); IDs otherwise."""
    candidates = [requested] if isinstance(requested, str) else list(requested or ())
    for value in candidates:
        if id_of(value, kind) == live_id:
            return value
    return live_id


def same(a: str | None, b: str | None, kind: Kind) -> bool:
    """Whether two ID-or-ARN values name the same resource (None only equals None)."""
    if a is None or b is None:
        return a is b
    return id_of(a, kind) == id_of(b, kind)


def by_identifier(requested: ResourceModel | None) -> bool:
    """Whether a read names the user by identifier only (import, drift detection's first read,
    Cloud Control's GetResource, a read after list): a model with nothing but the read-only
    UserId and UserArn. There is then no template whose form to keep, and the read reports
    everything Connect holds."""
    if requested is None:
        return True
    return all(
        value is None
        for name, value in vars(requested).items()
        if name not in ("UserId", "UserArn") and not name.startswith("_")
    )

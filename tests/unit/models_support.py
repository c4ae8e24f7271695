"""Building resource models the way the runtime does (set-typed arrays kept as lists)."""

from __future__ import annotations

from typing import Any

from aws_connect_user.models import ResourceModel
from aws_connect_user.runtime import build_model
from connect_emulator.seed import CONNECT_MANAGED, SeedInstance

SENTINEL = "S3ntinel-Pa55word"


def props(instance: SeedInstance = CONNECT_MANAGED, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "InstanceId": instance.id,
        "Username": "agent1",
        "IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "SecurityProfileIds": [instance.child_id("security", 1)],
        "RoutingProfileId": instance.child_id("routing", 1),
    }
    if instance.identity_management_type == "CONNECT_MANAGED":
        data["Password"] = SENTINEL
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def model(instance: SeedInstance = CONNECT_MANAGED, **overrides: Any) -> ResourceModel:
    return build_model(props(instance, **overrides))

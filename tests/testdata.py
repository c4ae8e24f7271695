"""The one place for test data: a valid user, that user as Connect describes it, and the one
sentinel password every secrets test searches for.

Builders take the seed instance the user lives on and top-level overrides; an override of
None removes the key. Each returns a fresh dict, so a test may change what it gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connect_emulator.seed import CONNECT_MANAGED, SeedInstance

# The sentinel: satisfies the schema's Password pattern and appears nowhere else, so finding it
# in a response, log line or request log is a leak.
PASSWORD = "S3ntinel-Pa55word"
USER_ID = "dddddddd-0001-4000-8000-000000000042"
NAMES = {"FirstName": "Ada", "LastName": "Lovelace"}
EMAIL = "ada@example.com"
PHONE = {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30}


def _apply(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _manages_passwords(instance: SeedInstance) -> bool:
    return instance.identity_management_type == "CONNECT_MANAGED"


def identity_info(instance: SeedInstance = CONNECT_MANAGED) -> dict[str, str]:
    """The user's IdentityInfo; no Email on SAML (the emulator's default policy rejects it)."""
    identity = dict(NAMES)
    if instance.identity_management_type != "SAML":
        identity["Email"] = EMAIL
    return identity


def user_arn(instance: SeedInstance = CONNECT_MANAGED, user_id: str = USER_ID) -> str:
    return f"{instance.arn}/agent/{user_id}"


def create_user_params(
    instance: SeedInstance = CONNECT_MANAGED, **overrides: Any
) -> dict[str, Any]:
    """The CreateUser request for the valid user: IDs, not ARNs, typed scalars; the Password only
    where Connect manages identities."""
    params: dict[str, Any] = {
        "InstanceId": instance.id,
        "Username": "agent1",
        "IdentityInfo": identity_info(instance),
        "PhoneConfig": dict(PHONE),
        "SecurityProfileIds": [instance.child_id("security", 1)],
        "RoutingProfileId": instance.child_id("routing", 1),
    }
    if _manages_passwords(instance):
        params["Password"] = PASSWORD
    return _apply(params, overrides)


def user_model(instance: SeedInstance = CONNECT_MANAGED, **overrides: Any) -> dict[str, Any]:
    """The valid user's resource properties (the schema's `properties`), typed as the schema
    declares them, with the instance and the routing profile as ARNs (what Fn::GetAtt gives).
    CloudFormation sends every scalar as a string: loadtest.stringify_scalars(model)."""
    return create_user_params(
        instance,
        **{
            "InstanceId": instance.arn,
            "RoutingProfileId": instance.child_arn("routing", 1),
            **overrides,
        },
    )


def minimal_create_params(
    instance: SeedInstance = CONNECT_MANAGED, **overrides: Any
) -> dict[str, Any]:
    """The smallest CreateUser request the instance accepts (for tests of the emulator's own
    defaults): names, a soft phone, one security profile, a routing profile."""
    return create_user_params(
        instance,
        **{"IdentityInfo": dict(NAMES), "PhoneConfig": {"PhoneType": "SOFT_PHONE"}, **overrides},
    )


def live_user(
    instance: SeedInstance = CONNECT_MANAGED,
    *,
    user_id: str = USER_ID,
    tags: Mapping[str, str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """DescribeUser's `User` for the valid user: its CreateUser fields but the instance and the
    Password, plus Id, Arn and Tags."""
    user = create_user_params(instance, InstanceId=None, Password=None)
    return _apply(
        {"Id": user_id, "Arn": user_arn(instance, user_id), **user, "Tags": dict(tags or {})},
        overrides,
    )

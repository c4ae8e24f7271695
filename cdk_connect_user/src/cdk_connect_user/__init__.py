"""A typed CDK construct for the AWS::Connect::User resource type (a package of its own: never
part of the handler's registry package)."""

from .user import (
    TYPE_NAME,
    ConnectUser,
    IConnectUser,
    IdentityInfo,
    ImportedConnectUser,
    PhoneConfig,
    PhoneType,
)

__all__ = [
    "TYPE_NAME",
    "ConnectUser",
    "IConnectUser",
    "IdentityInfo",
    "ImportedConnectUser",
    "PhoneConfig",
    "PhoneType",
]

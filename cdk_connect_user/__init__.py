"""A typed CDK construct for the AWS::Connect::User resource type (development tooling: never
part of the handler's registry package)."""

from .user import TYPE_NAME, ConnectUser, IdentityInfo, PhoneConfig, PhoneType

__all__ = ["TYPE_NAME", "ConnectUser", "IdentityInfo", "PhoneConfig", "PhoneType"]

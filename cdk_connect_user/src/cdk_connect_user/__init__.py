"""A typed CDK construct for the AWS::Connect::User resource type (a package of its own: never
part of the handler's registry package)."""

from .proficiency import UserProficiency
from .user import (
    TYPE_NAME,
    AfterContactWorkConfig,
    AfterContactWorkConfigPerChannel,
    AutoAcceptConfig,
    Channel,
    ConnectUser,
    IConnectUser,
    IdentityInfo,
    ImportedConnectUser,
    PersistentConnectionConfig,
    PhoneConfig,
    PhoneNumberConfig,
    PhoneType,
    VoiceEnhancementConfig,
    VoiceEnhancementMode,
)

__all__ = [
    "TYPE_NAME",
    "AfterContactWorkConfig",
    "AfterContactWorkConfigPerChannel",
    "AutoAcceptConfig",
    "Channel",
    "ConnectUser",
    "IConnectUser",
    "IdentityInfo",
    "ImportedConnectUser",
    "PersistentConnectionConfig",
    "PhoneConfig",
    "PhoneNumberConfig",
    "PhoneType",
    "UserProficiency",
    "VoiceEnhancementConfig",
    "VoiceEnhancementMode",
]

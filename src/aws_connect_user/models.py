# DO NOT modify this file by hand, changes will be overwritten
from dataclasses import dataclass

from cloudformation_cli_python_lib.interface import (
    BaseModel,
    BaseResourceHandlerRequest,
)
from cloudformation_cli_python_lib.recast import recast_object
from cloudformation_cli_python_lib.utils import deserialize_list

import sys
from inspect import getmembers, isclass
from typing import (
    AbstractSet,
    Any,
    Generic,
    Mapping,
    MutableMapping,
    Optional,
    Sequence,
    Type,
    TypeVar,
)

T = TypeVar("T")


def set_or_none(value: Optional[Sequence[T]]) -> Optional[AbstractSet[T]]:
    if value:
        return set(value)
    return None


@dataclass
class ResourceHandlerRequest(BaseResourceHandlerRequest):
    # pylint: disable=invalid-name
    desiredResourceState: Optional["ResourceModel"]
    previousResourceState: Optional["ResourceModel"]
    typeConfiguration: Optional["TypeConfigurationModel"]


@dataclass
class ResourceModel(BaseModel):
    InstanceId: Optional[str]
    Username: Optional[str]
    Password: Optional[str]
    DirectoryUserId: Optional[str]
    IdentityInfo: Optional["_UserIdentityInfo"]
    PhoneConfig: Optional["_UserPhoneConfig"]
    AutoAcceptConfigs: Optional[AbstractSet["_AutoAcceptConfig"]]
    AfterContactWorkConfigs: Optional[AbstractSet["_AfterContactWorkConfigPerChannel"]]
    PhoneNumberConfigs: Optional[AbstractSet["_PhoneNumberConfig"]]
    PersistentConnectionConfigs: Optional[AbstractSet["_PersistentConnectionConfig"]]
    VoiceEnhancementConfigs: Optional[AbstractSet["_VoiceEnhancementConfig"]]
    SecurityProfileIds: Optional[AbstractSet[str]]
    RoutingProfileId: Optional[str]
    HierarchyGroupId: Optional[str]
    UserProficiencies: Optional[AbstractSet["_UserProficiency"]]
    Tags: Optional[AbstractSet["_Tag"]]
    UserId: Optional[str]
    UserArn: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_ResourceModel"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_ResourceModel"]:
        if not json_data:
            return None
        dataclasses = {n: o for n, o in getmembers(sys.modules[__name__]) if isclass(o)}
        recast_object(cls, json_data, dataclasses)
        return cls(
            InstanceId=json_data.get("InstanceId"),
            Username=json_data.get("Username"),
            Password=json_data.get("Password"),
            DirectoryUserId=json_data.get("DirectoryUserId"),
            IdentityInfo=UserIdentityInfo._deserialize(json_data.get("IdentityInfo")),
            PhoneConfig=UserPhoneConfig._deserialize(json_data.get("PhoneConfig")),
            AutoAcceptConfigs=set_or_none(json_data.get("AutoAcceptConfigs")),
            AfterContactWorkConfigs=set_or_none(json_data.get("AfterContactWorkConfigs")),
            PhoneNumberConfigs=set_or_none(json_data.get("PhoneNumberConfigs")),
            PersistentConnectionConfigs=set_or_none(json_data.get("PersistentConnectionConfigs")),
            VoiceEnhancementConfigs=set_or_none(json_data.get("VoiceEnhancementConfigs")),
            SecurityProfileIds=set_or_none(json_data.get("SecurityProfileIds")),
            RoutingProfileId=json_data.get("RoutingProfileId"),
            HierarchyGroupId=json_data.get("HierarchyGroupId"),
            UserProficiencies=set_or_none(json_data.get("UserProficiencies")),
            Tags=set_or_none(json_data.get("Tags")),
            UserId=json_data.get("UserId"),
            UserArn=json_data.get("UserArn"),
        )


# work around possible type aliasing issues when variable has same name as a model
_ResourceModel = ResourceModel


@dataclass
class UserIdentityInfo(BaseModel):
    FirstName: Optional[str]
    LastName: Optional[str]
    Email: Optional[str]
    SecondaryEmail: Optional[str]
    Mobile: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_UserIdentityInfo"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_UserIdentityInfo"]:
        if not json_data:
            return None
        return cls(
            FirstName=json_data.get("FirstName"),
            LastName=json_data.get("LastName"),
            Email=json_data.get("Email"),
            SecondaryEmail=json_data.get("SecondaryEmail"),
            Mobile=json_data.get("Mobile"),
        )


# work around possible type aliasing issues when variable has same name as a model
_UserIdentityInfo = UserIdentityInfo


@dataclass
class UserPhoneConfig(BaseModel):
    PhoneType: Optional[str]
    AutoAccept: Optional[bool]
    AfterContactWorkTimeLimit: Optional[int]
    DeskPhoneNumber: Optional[str]
    PersistentConnection: Optional[bool]

    @classmethod
    def _deserialize(
        cls: Type["_UserPhoneConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_UserPhoneConfig"]:
        if not json_data:
            return None
        return cls(
            PhoneType=json_data.get("PhoneType"),
            AutoAccept=json_data.get("AutoAccept"),
            AfterContactWorkTimeLimit=json_data.get("AfterContactWorkTimeLimit"),
            DeskPhoneNumber=json_data.get("DeskPhoneNumber"),
            PersistentConnection=json_data.get("PersistentConnection"),
        )


# work around possible type aliasing issues when variable has same name as a model
_UserPhoneConfig = UserPhoneConfig


@dataclass
class AutoAcceptConfig(BaseModel):
    Channel: Optional[str]
    AutoAccept: Optional[bool]
    AgentFirstCallbackAutoAccept: Optional[bool]

    @classmethod
    def _deserialize(
        cls: Type["_AutoAcceptConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_AutoAcceptConfig"]:
        if not json_data:
            return None
        return cls(
            Channel=json_data.get("Channel"),
            AutoAccept=json_data.get("AutoAccept"),
            AgentFirstCallbackAutoAccept=json_data.get("AgentFirstCallbackAutoAccept"),
        )


# work around possible type aliasing issues when variable has same name as a model
_AutoAcceptConfig = AutoAcceptConfig


@dataclass
class AfterContactWorkConfigPerChannel(BaseModel):
    Channel: Optional[str]
    AfterContactWorkConfig: Optional["_AfterContactWorkConfig"]
    AgentFirstCallbackAfterContactWorkConfig: Optional["_AfterContactWorkConfig"]

    @classmethod
    def _deserialize(
        cls: Type["_AfterContactWorkConfigPerChannel"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_AfterContactWorkConfigPerChannel"]:
        if not json_data:
            return None
        return cls(
            Channel=json_data.get("Channel"),
            AfterContactWorkConfig=AfterContactWorkConfig._deserialize(json_data.get("AfterContactWorkConfig")),
            AgentFirstCallbackAfterContactWorkConfig=AfterContactWorkConfig._deserialize(json_data.get("AgentFirstCallbackAfterContactWorkConfig")),
        )


# work around possible type aliasing issues when variable has same name as a model
_AfterContactWorkConfigPerChannel = AfterContactWorkConfigPerChannel


@dataclass
class AfterContactWorkConfig(BaseModel):
    AfterContactWorkTimeLimit: Optional[int]

    @classmethod
    def _deserialize(
        cls: Type["_AfterContactWorkConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_AfterContactWorkConfig"]:
        if not json_data:
            return None
        return cls(
            AfterContactWorkTimeLimit=json_data.get("AfterContactWorkTimeLimit"),
        )


# work around possible type aliasing issues when variable has same name as a model
_AfterContactWorkConfig = AfterContactWorkConfig


@dataclass
class PhoneNumberConfig(BaseModel):
    Channel: Optional[str]
    PhoneType: Optional[str]
    PhoneNumber: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_PhoneNumberConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_PhoneNumberConfig"]:
        if not json_data:
            return None
        return cls(
            Channel=json_data.get("Channel"),
            PhoneType=json_data.get("PhoneType"),
            PhoneNumber=json_data.get("PhoneNumber"),
        )


# work around possible type aliasing issues when variable has same name as a model
_PhoneNumberConfig = PhoneNumberConfig


@dataclass
class PersistentConnectionConfig(BaseModel):
    Channel: Optional[str]
    PersistentConnection: Optional[bool]

    @classmethod
    def _deserialize(
        cls: Type["_PersistentConnectionConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_PersistentConnectionConfig"]:
        if not json_data:
            return None
        return cls(
            Channel=json_data.get("Channel"),
            PersistentConnection=json_data.get("PersistentConnection"),
        )


# work around possible type aliasing issues when variable has same name as a model
_PersistentConnectionConfig = PersistentConnectionConfig


@dataclass
class VoiceEnhancementConfig(BaseModel):
    Channel: Optional[str]
    VoiceEnhancementMode: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_VoiceEnhancementConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_VoiceEnhancementConfig"]:
        if not json_data:
            return None
        return cls(
            Channel=json_data.get("Channel"),
            VoiceEnhancementMode=json_data.get("VoiceEnhancementMode"),
        )


# work around possible type aliasing issues when variable has same name as a model
_VoiceEnhancementConfig = VoiceEnhancementConfig


@dataclass
class UserProficiency(BaseModel):
    AttributeName: Optional[str]
    AttributeValue: Optional[str]
    Level: Optional[float]

    @classmethod
    def _deserialize(
        cls: Type["_UserProficiency"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_UserProficiency"]:
        if not json_data:
            return None
        return cls(
            AttributeName=json_data.get("AttributeName"),
            AttributeValue=json_data.get("AttributeValue"),
            Level=json_data.get("Level"),
        )


# work around possible type aliasing issues when variable has same name as a model
_UserProficiency = UserProficiency


@dataclass
class Tag(BaseModel):
    Key: Optional[str]
    Value: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_Tag"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_Tag"]:
        if not json_data:
            return None
        return cls(
            Key=json_data.get("Key"),
            Value=json_data.get("Value"),
        )


# work around possible type aliasing issues when variable has same name as a model
_Tag = Tag


@dataclass
class TypeConfigurationModel(BaseModel):

    @classmethod
    def _deserialize(
        cls: Type["_TypeConfigurationModel"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_TypeConfigurationModel"]:
        if not json_data:
            return None
        return cls(
        )


# work around possible type aliasing issues when variable has same name as a model
_TypeConfigurationModel = TypeConfigurationModel



"""ConnectUser: this repository's Connect user resource type as a typed CDK construct.

A CfnResource subclass (so `ref`, `cfn_options`, `add_property_override` and dependencies work
as on any L1) whose keyword arguments mirror the type's schema (resource-schema.json, shipped
in this package): required arguments are the schema's required properties, nested objects are
dataclasses, enums are Python Enums. Literal values are checked against the schema when the
construct is created; tokens (Ref, Fn::GetAtt, parameters) are left to CloudFormation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import jsii
from aws_cdk import (
    CfnResource,
    Fn,
    ITaggable,
    Resource,
    SecretValue,
    TagManager,
    TagType,
    Token,
)
from aws_cdk.aws_connect import CfnRoutingProfile, CfnSecurityProfile, CfnUserHierarchyGroup
from constructs import Construct

from aws_connect_user import checks  # the handler's own rules: one definition

from . import schema
from .proficiency import UserProficiency, render_proficiencies

# The type is registered privately, under the user's own name: type_name=, else the CDK
# context value TYPE_NAME_CONTEXT (cdk.json or -c), else this placeholder, which no account has.
# Never AWS::Connect::User: that is AWS's public type, whose properties have other names.
TYPE_NAME = "MyCompany::Connect::User"
TYPE_NAME_CONTEXT = "cdk-connect-user:typeName"
_PUBLIC_NAMESPACE = "AWS::"

# A tag given on the user wins over Tags.of(scope).add(...) (default priority 100), as a
# resource tag wins over a stack tag in the handler. Tags.of(..., priority=300) still overrides.
OWN_TAG_PRIORITY = 200

SecurityProfile = str | CfnSecurityProfile
RoutingProfile = str | CfnRoutingProfile
HierarchyGroup = str | CfnUserHierarchyGroup


class PhoneType(StrEnum):
    SOFT_PHONE = "SOFT_PHONE"
    DESK_PHONE = "DESK_PHONE"


@dataclass(frozen=True, kw_only=True)
class IdentityInfo:
    """UserIdentityInfo. FirstName and LastName are required on CONNECT_MANAGED and SAML
    instances (the handler enforces that per instance type)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    secondary_email: str | None = None
    mobile: str | None = None

    def render(self) -> dict[str, str]:
        return _without_none(
            FirstName=self.first_name,
            LastName=self.last_name,
            Email=self.email,
            SecondaryEmail=self.secondary_email,
            Mobile=self.mobile,
        )


@dataclass(frozen=True, kw_only=True)
class PhoneConfig:
    """UserPhoneConfig. DeskPhoneNumber is required with DESK_PHONE. The phone type may be
    given here or as the VOICE entry of phone_number_configs instead (one of the two); a member
    whose per-channel list is given must be left out here (they conflict)."""

    phone_type: PhoneType | None = None
    auto_accept: bool | None = None
    # Seconds, an integer; float only because CDK's number tokens are floats.
    after_contact_work_time_limit: float | None = None
    desk_phone_number: str | None = None
    persistent_connection: bool | None = None

    def render(self) -> dict[str, Any]:
        return _without_none(
            PhoneType=_enum_value(self.phone_type),
            AutoAccept=self.auto_accept,
            AfterContactWorkTimeLimit=_whole(self.after_contact_work_time_limit),
            DeskPhoneNumber=self.desk_phone_number,
            PersistentConnection=self.persistent_connection,
        )


def _whole(seconds: float | None) -> float | None:
    if isinstance(seconds, float) and seconds.is_integer() and not Token.is_unresolved(seconds):
        return int(seconds)  # 30.0 -> 30: the schema's type is integer
    return seconds


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


# --- per-channel settings (issue 12): the five *Configs lists ---------------------------------


class Channel(StrEnum):
    VOICE = "VOICE"
    CHAT = "CHAT"
    TASK = "TASK"
    EMAIL = "EMAIL"


class VoiceEnhancementMode(StrEnum):
    VOICE_ISOLATION = "VOICE_ISOLATION"
    NOISE_SUPPRESSION = "NOISE_SUPPRESSION"
    NONE = "NONE"


@dataclass(frozen=True, kw_only=True)
class AutoAcceptConfig:
    """Auto-accept of one channel; agent_first_callback_auto_accept applies to VOICE only."""

    channel: Channel
    auto_accept: bool
    agent_first_callback_auto_accept: bool | None = None

    def render(self) -> dict[str, Any]:
        return _without_none(
            Channel=_enum_value(self.channel),
            AutoAccept=self.auto_accept,
            AgentFirstCallbackAutoAccept=self.agent_first_callback_auto_accept,
        )


@dataclass(frozen=True, kw_only=True)
class AfterContactWorkConfig:
    """An After Contact Work timeout in seconds (0 = no limit)."""

    after_contact_work_time_limit: float

    def render(self) -> dict[str, Any]:
        return {"AfterContactWorkTimeLimit": _whole(self.after_contact_work_time_limit)}


@dataclass(frozen=True, kw_only=True)
class AfterContactWorkConfigPerChannel:
    """The ACW timeout of one channel; the agent-first callback one applies to VOICE only."""

    channel: Channel
    after_contact_work_config: AfterContactWorkConfig
    agent_first_callback_after_contact_work_config: AfterContactWorkConfig | None = None

    def render(self) -> dict[str, Any]:
        callback = self.agent_first_callback_after_contact_work_config
        return _without_none(
            Channel=_enum_value(self.channel),
            AfterContactWorkConfig=self.after_contact_work_config.render(),
            AgentFirstCallbackAfterContactWorkConfig=callback.render() if callback else None,
        )


@dataclass(frozen=True, kw_only=True)
class PhoneNumberConfig:
    """The phone type (and desk phone number, required with DESK_PHONE) of VOICE."""

    phone_type: PhoneType
    phone_number: str | None = None
    channel: Channel = Channel.VOICE

    def render(self) -> dict[str, Any]:
        return _without_none(
            Channel=_enum_value(self.channel),
            PhoneType=_enum_value(self.phone_type),
            PhoneNumber=self.phone_number,
        )


@dataclass(frozen=True, kw_only=True)
class PersistentConnectionConfig:
    """Persistent connection of VOICE."""

    persistent_connection: bool
    channel: Channel = Channel.VOICE

    def render(self) -> dict[str, Any]:
        return {
            "Channel": _enum_value(self.channel),
            "PersistentConnection": self.persistent_connection,
        }


@dataclass(frozen=True, kw_only=True)
class VoiceEnhancementConfig:
    """Voice enhancement of VOICE."""

    voice_enhancement_mode: VoiceEnhancementMode
    channel: Channel = Channel.VOICE

    def render(self) -> dict[str, Any]:
        return {
            "Channel": _enum_value(self.channel),
            "VoiceEnhancementMode": _enum_value(self.voice_enhancement_mode),
        }


ChannelConfig = (
    AutoAcceptConfig
    | AfterContactWorkConfigPerChannel
    | PhoneNumberConfig
    | PersistentConnectionConfig
    | VoiceEnhancementConfig
)
# Property -> its item class. What the lists may hold together is the handler's rule
# (aws_connect_user.checks), not restated here.
_CHANNEL_LISTS: dict[str, type] = {
    "AutoAcceptConfigs": AutoAcceptConfig,
    "AfterContactWorkConfigs": AfterContactWorkConfigPerChannel,
    "PhoneNumberConfigs": PhoneNumberConfig,
    "PersistentConnectionConfigs": PersistentConnectionConfig,
    "VoiceEnhancementConfigs": VoiceEnhancementConfig,
}


def _channel_lists(**lists: Sequence[ChannelConfig] | None) -> dict[str, Any]:
    """The given per-channel lists as properties (keyword: property name)."""
    rendered = {}
    for name, items in lists.items():
        if items is None:
            continue
        item_type = _CHANNEL_LISTS[name]
        if isinstance(items, str | Mapping) or not all(isinstance(i, item_type) for i in items):
            raise TypeError(f"{name} takes a list of {item_type.__name__}")
        rendered[name] = [item.render() for item in items]
    return rendered


# --- end of the per-channel settings ------------------------------------------------------------


class IConnectUser(Protocol):
    """A user made here (ConnectUser) or elsewhere (ConnectUser.from_user_arn)."""

    @property
    def attr_user_arn(self) -> str: ...

    @property
    def attr_user_id(self) -> str: ...


class ImportedConnectUser(Resource):
    """A user defined outside this app (another stack, the console), known by its ARN."""

    def __init__(self, scope: Construct, construct_id: str, *, user_arn: str) -> None:
        problems = schema.value_violations("user_arn", ("UserArn",), user_arn)
        if problems:
            raise ValueError(f"ConnectUser.from_user_arn: {'; '.join(problems)}")
        super().__init__(scope, construct_id, environment_from_arn=user_arn)
        self._user_arn = user_arn
        # arn:...:instance/<instance id>/agent/<user id>
        if Token.is_unresolved(user_arn):
            self._user_id = Fn.select(3, Fn.split("/", user_arn))
            self._instance_id = Fn.select(1, Fn.split("/", user_arn))
        else:
            parts = user_arn.split("/")
            self._user_id, self._instance_id = parts[3], parts[1]

    @property
    def attr_user_arn(self) -> str:
        return self._user_arn

    @property
    def attr_user_id(self) -> str:
        return self._user_id

    @property
    def instance_id(self) -> str:
        """The ID of the user's instance (from the ARN)."""
        return self._instance_id


@jsii.implements(ITaggable)
class ConnectUser(CfnResource):
    """An Amazon Connect user (AWS::Connect::User, or a private copy of the type).

    `ref` and `attr_user_arn` are the user's ARN (the primary identifier), `attr_user_id` its ID.
    Profiles and the hierarchy group are IDs, ARNs or the aws_connect L1 constructs themselves
    (CfnSecurityProfile, CfnRoutingProfile, CfnUserHierarchyGroup: their ARN attribute is used).
    Tags: `tags=` on the user, plus anything `Tags.of(scope).add(...)` applies; a key given here
    wins. InstanceId, Username and DirectoryUserId are create-only: changing them replaces the
    user. The password is a SecretValue (for example SecretValue.secrets_manager(...)), so it
    is a dynamic reference or parameter in the template, never a literal.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instance_id: str,
        username: str,
        security_profile_ids: Sequence[SecurityProfile],
        routing_profile_id: RoutingProfile,
        phone_config: PhoneConfig | None = None,
        password: SecretValue | None = None,
        directory_user_id: str | None = None,
        identity_info: IdentityInfo | None = None,
        hierarchy_group_id: HierarchyGroup | None = None,
        tags: Mapping[str, str] | None = None,
        # Per-channel settings (issue 12).
        auto_accept_configs: Sequence[AutoAcceptConfig] | None = None,
        after_contact_work_configs: Sequence[AfterContactWorkConfigPerChannel] | None = None,
        phone_number_configs: Sequence[PhoneNumberConfig] | None = None,
        persistent_connection_configs: Sequence[PersistentConnectionConfig] | None = None,
        voice_enhancement_configs: Sequence[VoiceEnhancementConfig] | None = None,
        user_proficiencies: Sequence[UserProficiency] | None = None,  # issue 13
        type_name: str | None = None,
    ) -> None:
        type_name = type_name or scope.node.try_get_context(TYPE_NAME_CONTEXT) or TYPE_NAME
        if str(type_name).startswith(_PUBLIC_NAMESPACE):
            raise ValueError(
                f"ConnectUser {construct_id!r}: type_name {type_name!r} is AWS's public type, "
                "whose properties have other names; give the name you registered this type "
                f"under, e.g. type_name='Acme::Connect::User' or -c {TYPE_NAME_CONTEXT}=..."
            )
        if password is not None and not isinstance(password, SecretValue):
            raise TypeError("password must be a SecretValue, e.g. SecretValue.secrets_manager()")
        properties = _without_none(
            InstanceId=instance_id,
            Username=username,
            Password=password.unsafe_unwrap() if password is not None else None,
            DirectoryUserId=directory_user_id,
            IdentityInfo=identity_info.render() if identity_info is not None else None,
            PhoneConfig=phone_config.render() if phone_config is not None else None,
            SecurityProfileIds=_security_profiles(security_profile_ids),
            RoutingProfileId=_reference(routing_profile_id, "routing_profile_id"),
            HierarchyGroupId=(
                _reference(hierarchy_group_id, "hierarchy_group_id")
                if hierarchy_group_id is not None
                else None
            ),
        )
        properties.update(
            _channel_lists(  # per-channel settings (issue 12)
                AutoAcceptConfigs=auto_accept_configs,
                AfterContactWorkConfigs=after_contact_work_configs,
                PhoneNumberConfigs=phone_number_configs,
                PersistentConnectionConfigs=persistent_connection_configs,
                VoiceEnhancementConfigs=voice_enhancement_configs,
            )
        )
        proficiencies = render_proficiencies(user_proficiencies)  # routing proficiencies
        if proficiencies is not None:
            properties["UserProficiencies"] = proficiencies
        problems = schema.violations(properties)
        faulted = [key for key, value in properties.items() if schema.violations({key: value})]
        problems += [str(v) for v in checks.violations(properties, Token.is_unresolved, faulted)]
        if problems:
            raise ValueError(f"ConnectUser {construct_id!r}: {'; '.join(problems)}")
        super().__init__(scope, construct_id, type=type_name, properties=properties)
        self._tag_manager = TagManager(TagType.STANDARD, type_name, tag_property_name="Tags")
        for key, value in (tags or {}).items():
            self.add_tag(key, value)

    @staticmethod
    def from_user_arn(scope: Construct, construct_id: str, user_arn: str) -> ImportedConnectUser:
        """A user defined elsewhere, by its ARN (a literal, or a token such as an import):
        `attr_user_arn`, `attr_user_id` and `instance_id` as for a user made here."""
        return ImportedConnectUser(scope, construct_id, user_arn=user_arn)

    @property
    def tags(self) -> TagManager:
        """The user's tag manager (ITaggable): what Tags.of(scope).add(...) writes to."""
        return self._tag_manager

    @property
    def attr_user_arn(self) -> str:
        """Fn::GetAtt UserArn: the user's ARN."""
        return Token.as_string(self.get_att("UserArn"))

    @property
    def attr_user_id(self) -> str:
        """Fn::GetAtt UserId: the ID Amazon Connect assigned."""
        return Token.as_string(self.get_att("UserId"))

    def add_tag(self, key: str, value: str) -> None:
        """Tag the user; this tag wins over one with the same key from Tags.of(scope)."""
        problems = schema.value_violations("Tags.Key", ("Tags", "items", "Key"), key)
        problems += schema.value_violations("Tags.Value", ("Tags", "items", "Value"), value)
        problems += [str(v) for v in checks.tag_violations(key, value)]
        if problems:
            raise ValueError(f"ConnectUser {self.node.id!r}: {'; '.join(problems)}")
        self._tag_manager.set_tag(key, value, OWN_TAG_PRIORITY)

    def _render_properties(self, props: Mapping[str, Any]) -> Mapping[str, Any]:
        # TagManager renders STANDARD tags as CDK's CfnTag shape ({key, value}); L1 classes map
        # that to CloudFormation's; a CfnResource must do it itself. Called with resolved values.
        rendered = dict(props)
        tags = rendered.get("Tags")
        if isinstance(tags, list):
            rendered["Tags"] = [
                {"Key": tag.get("Key", tag.get("key")), "Value": tag.get("Value", tag.get("value"))}
                if isinstance(tag, dict)
                else tag
                for tag in tags
            ]
        return rendered


def _without_none(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


# What each reference argument takes besides a string, and the L1's ARN attribute.
_L1_ARNS: dict[str, tuple[type, str]] = {
    "security_profile_ids": (CfnSecurityProfile, "attr_security_profile_arn"),
    "routing_profile_id": (CfnRoutingProfile, "attr_routing_profile_arn"),
    "hierarchy_group_id": (CfnUserHierarchyGroup, "attr_user_hierarchy_group_arn"),
}


def _reference(value: Any, argument: str) -> Any:
    """An ID/ARN string as given, an L1 construct as its ARN attribute."""
    l1_type, attribute = _L1_ARNS[argument]
    if isinstance(value, l1_type):
        return getattr(value, attribute)
    if isinstance(value, str):
        return value
    raise TypeError(
        f"{argument} takes an ID or ARN string or an aws_connect.{l1_type.__name__}, "
        f"not {type(value).__name__}"
    )


def _security_profiles(ids: Sequence[SecurityProfile]) -> Any:
    if isinstance(ids, str):
        # A str is a Sequence[str] to the type checker, so only a run-time check catches it.
        shown = "a token" if Token.is_unresolved(ids) else repr(ids)
        raise TypeError(
            f"security_profile_ids takes a list of security profiles, not one string ({shown}): "
            "write security_profile_ids=[...] (a List<String> parameter: .value_as_list)"
        )
    if Token.is_unresolved(ids):
        return ids  # a list token, e.g. a List<String> parameter
    return [_reference(profile, "security_profile_ids") for profile in ids]

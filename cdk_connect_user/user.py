"""ConnectUser: the AWS::Connect::User resource type as a typed CDK construct.

A CfnResource subclass (so `ref`, `cfn_options`, `add_property_override` and dependencies work
as on any L1) whose keyword arguments mirror the type's schema (aws-connect-user.json):
required arguments are the schema's required properties, nested objects are dataclasses, enums
are Python Enums. Literal values are checked against the schema's constraints when the
construct is created; tokens (Ref, Fn::GetAtt, parameters) are left to CloudFormation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jsii
from aws_cdk import (
    Acknowledgment,
    CfnResource,
    ITaggable,
    SecretValue,
    Stack,
    TagManager,
    TagType,
    Token,
    Validations,
)
from constructs import Construct

TYPE_NAME = "AWS::Connect::User"

# A tag given on the user wins over Tags.of(scope).add(...) (default priority 100), as a
# resource tag wins over a stack tag in the handler. Tags.of(..., priority=300) still overrides.
OWN_TAG_PRIORITY = 200

# aws-cdk-lib's built-in synthesis validation ("CloudFormation Validate") checks
# AWS::Connect::User against AWS's own type, whose properties have other names (InstanceArn,
# SecurityProfileArns, ...) and which has no UserId attribute. Those findings are about a
# different schema, so the construct acknowledges exactly them: unknown (F3002) and missing
# (F3003) properties on itself, and the UserId GetAtt (F6101) on its stack once it is used.
_BUILTIN_SPEC_RULES = ("CloudFormation-Validate::F3002", "CloudFormation-Validate::F3003")
_BUILTIN_GETATT_RULE = "CloudFormation-Validate::F6101"

_USERNAME = re.compile(r"^[a-zA-Z0-9_.@-]+$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_EMAIL = re.compile(r"^(?=^.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$")
_TAG_KEY = re.compile(r"^(?!aws:)[\w\s.:/=+\-@]+$")
_ARN_PREFIX = r"arn:aws[a-z-]*:connect:[a-z0-9-]+:[0-9]{12}:instance/[a-zA-Z0-9-]{1,100}"
_ID = r"[a-zA-Z0-9-]{1,100}"
_REFERENCES = {
    "InstanceId": re.compile(rf"^({_ARN_PREFIX}|{_ID})$"),
    "SecurityProfileIds": re.compile(rf"^({_ARN_PREFIX}/security-profile/{_ID}|{_ID})$"),
    "RoutingProfileId": re.compile(rf"^({_ARN_PREFIX}/routing-profile/{_ID}|{_ID})$"),
    "HierarchyGroupId": re.compile(rf"^({_ARN_PREFIX}/agent-group/{_ID}|{_ID})$"),
}
MAX_ACW_SECONDS = 2_000_000


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
        _check(self.first_name, "IdentityInfo.FirstName", max_length=255)
        _check(self.last_name, "IdentityInfo.LastName", max_length=300)
        _check(self.email, "IdentityInfo.Email", max_length=265)
        _check(self.secondary_email, "IdentityInfo.SecondaryEmail", pattern=_EMAIL)
        _check(self.mobile, "IdentityInfo.Mobile", pattern=_E164)
        return _without_none(
            FirstName=self.first_name,
            LastName=self.last_name,
            Email=self.email,
            SecondaryEmail=self.secondary_email,
            Mobile=self.mobile,
        )


@dataclass(frozen=True, kw_only=True)
class PhoneConfig:
    """UserPhoneConfig. DeskPhoneNumber is required with DESK_PHONE."""

    phone_type: PhoneType
    auto_accept: bool | None = None
    # Seconds, an integer; float only because CDK's number tokens are floats.
    after_contact_work_time_limit: float | None = None
    desk_phone_number: str | None = None

    def render(self) -> dict[str, Any]:
        phone_type = PhoneType(self.phone_type)  # also accepts the plain string
        acw = self.after_contact_work_time_limit
        if acw is not None and not Token.is_unresolved(acw):
            if not (float(acw).is_integer() and 0 <= acw <= MAX_ACW_SECONDS):
                raise ValueError(
                    "PhoneConfig.AfterContactWorkTimeLimit must be a whole number of seconds, "
                    f"0 to {MAX_ACW_SECONDS:,}"
                )
            acw = int(acw)
        _check(self.desk_phone_number, "PhoneConfig.DeskPhoneNumber", pattern=_E164)
        if phone_type is PhoneType.DESK_PHONE and self.desk_phone_number is None:
            raise ValueError("PhoneConfig.DeskPhoneNumber is required with DESK_PHONE")
        return _without_none(
            PhoneType=phone_type.value,
            AutoAccept=self.auto_accept,
            AfterContactWorkTimeLimit=acw,
            DeskPhoneNumber=self.desk_phone_number,
        )


@jsii.implements(ITaggable)
class ConnectUser(CfnResource):
    """An Amazon Connect user (AWS::Connect::User, or a private copy of the type).

    `ref` and `attr_user_arn` are the user's ARN (the primary identifier), `attr_user_id` its ID.
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
        phone_config: PhoneConfig,
        security_profile_ids: Sequence[str],
        routing_profile_id: str,
        password: SecretValue | None = None,
        directory_user_id: str | None = None,
        identity_info: IdentityInfo | None = None,
        hierarchy_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        type_name: str = TYPE_NAME,
    ) -> None:
        _check(instance_id, "InstanceId", pattern=_REFERENCES["InstanceId"], max_length=250)
        _check(username, "Username", pattern=_USERNAME, max_length=64)
        _check(routing_profile_id, "RoutingProfileId", pattern=_REFERENCES["RoutingProfileId"])
        _check(hierarchy_group_id, "HierarchyGroupId", pattern=_REFERENCES["HierarchyGroupId"])
        _check(directory_user_id, "DirectoryUserId", max_length=256)
        _check_security_profiles(security_profile_ids)
        if password is not None and not isinstance(password, SecretValue):
            raise TypeError("password must be a SecretValue, e.g. SecretValue.secrets_manager()")
        properties = _without_none(
            InstanceId=instance_id,
            Username=username,
            Password=password.unsafe_unwrap() if password is not None else None,
            DirectoryUserId=directory_user_id,
            IdentityInfo=identity_info.render() if identity_info is not None else None,
            PhoneConfig=phone_config.render(),
            SecurityProfileIds=(
                security_profile_ids
                if Token.is_unresolved(security_profile_ids)
                else list(security_profile_ids)
            ),
            RoutingProfileId=routing_profile_id,
            HierarchyGroupId=hierarchy_group_id,
        )
        super().__init__(scope, construct_id, type=type_name, properties=properties)
        self._tag_manager = TagManager(TagType.STANDARD, type_name, tag_property_name="Tags")
        for key, value in (tags or {}).items():
            self.add_tag(key, value)
        if type_name == TYPE_NAME:
            Validations.of(self).acknowledge(
                *(
                    Acknowledgment(
                        id=rule,
                        reason="Checked against this registry type's schema, not AWS's built-in "
                        "AWS::Connect::User, whose property names differ.",
                    )
                    for rule in _BUILTIN_SPEC_RULES
                )
            )

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
        if self.cfn_resource_type == TYPE_NAME:
            # The built-in validation's AWS::Connect::User has no UserId attribute; its finding
            # is reported where the GetAtt is used (an output, another resource), so the
            # acknowledgement has to cover the stack.
            Validations.of(Stack.of(self)).acknowledge(
                Acknowledgment(
                    id=_BUILTIN_GETATT_RULE,
                    reason="UserId is an attribute of this registry type's AWS::Connect::User.",
                )
            )
        return Token.as_string(self.get_att("UserId"))

    def add_tag(self, key: str, value: str) -> None:
        """Tag the user; this tag wins over one with the same key from Tags.of(scope)."""
        _check(key, "Tags.Key", pattern=_TAG_KEY, max_length=128)
        _check(value, "Tags.Value", max_length=256)
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


def _literal(value: Any) -> bool:
    return isinstance(value, str) and not Token.is_unresolved(value)


def _check(
    value: str | None,
    name: str,
    *,
    pattern: re.Pattern[str] | None = None,
    max_length: int | None = None,
) -> None:
    if value is None or not _literal(value):
        return
    if not value or (max_length is not None and len(value) > max_length):
        raise ValueError(f"{name} must be 1 to {max_length or 'any number of'} characters")
    if pattern is not None and not pattern.fullmatch(value):
        raise ValueError(f"{name} {value!r} does not match {pattern.pattern}")


def _check_security_profiles(ids: Sequence[str]) -> None:
    if Token.is_unresolved(ids):
        return
    if not 1 <= len(ids) <= 10:
        raise ValueError("SecurityProfileIds must hold 1 to 10 security profiles")
    literals = [i for i in ids if _literal(i)]
    if len(set(literals)) != len(literals):
        raise ValueError("SecurityProfileIds must not repeat a security profile")
    for profile in ids:
        _check(profile, "SecurityProfileIds[]", pattern=_REFERENCES["SecurityProfileIds"])

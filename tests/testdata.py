"""The one place for test data: a valid user, that user as Connect describes it, the one
sentinel password every secrets test searches for (and a second secret), and the one copy of
Connect's error table the tests hold the handler to.

Builders take the seed instance the user lives on and top-level overrides; an override of
None removes the key. Each returns a fresh dict, so a test may change what it gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from connect_emulator.seed import CONNECT_MANAGED, SeedInstance
from loadtest import stringify_scalars

# The sentinel: satisfies the schema's Password pattern and appears nowhere else, so finding it
# in a response, log line or request log is a leak.
PASSWORD = "S3ntinel-Pa55word"
# The second secret, likewise findable: the password an update (or a second request) carries.
OTHER_PASSWORD = "0ther-Pa55word"
USER_ID = "dddddddd-0001-4000-8000-000000000042"
NAMES = {"FirstName": "Ada", "LastName": "Lovelace"}
EMAIL = "ada@example.com"
PHONE = {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30}
# Usernames real Connect accepts beyond the CreateUser reference's 20 and 64 (issue 21): the
# 43-character name HashiCorp's acceptance tests create on a CONNECT_MANAGED instance
# (RandomWithPrefix("resource-test-terraform")), and an 82-character SAML email address.
TERRAFORM_USERNAME = "resource-test-terraform-5577006791947779410"
SAML_EMAIL_USERNAME = (
    "maximiliana.konstantinopoulou-vanderbilt@contact-centre.eu.example-enterprises.com"
)
assert (len(TERRAFORM_USERNAME), len(SAML_EMAIL_USERNAME)) == (43, 82)


# Every callback-context key the handler writes (context.py's wire keys, written out rather than
# imported), for the fuzz suites that hand the handler contexts it never wrote.
CONTEXT_KEYS = (
    "retries",
    "callbacks",
    "giveUpAt",
    "createSent",
    "windowStart",
    "window",
    "createdUserId",
    "createdUserArn",
    "deleteSent",
    "deleted",
    "proficienciesSent",
    "proficienciesAssociated",
    "acwRestore",
)


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


def cloudformation_properties(
    instance: SeedInstance = CONNECT_MANAGED, **overrides: Any
) -> dict[str, Any]:
    """The valid user's resource properties as CloudFormation sends them: every scalar of
    user_model a string. Overrides are sent as given (typed or not)."""
    return _apply(stringify_scalars(user_model(instance)), overrides)


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


# --- Connect's error table -----------------------------------------------------------------


class ConnectError(NamedTuple):
    """What one Connect error must become, as the service documentation and CloudFormation's
    handler contract read. Written out here, not imported from src: the tests check the
    handler's table (outcomes.py) against it."""

    code: str  # the CloudFormation HandlerErrorCode
    transient: bool = False  # a mutating handler calls back (IN_PROGRESS) rather than fail
    outcome_unknown: bool = False  # a write that failed so may have taken effect
    status: int = 400  # the HTTP status Connect answers with (botocore's Connect model)


CONNECT_ERRORS: Mapping[str, ConnectError] = {
    "InvalidRequestException": ConnectError("InvalidRequest"),
    "InvalidParameterException": ConnectError("InvalidRequest"),
    "LimitExceededException": ConnectError("ServiceLimitExceeded", status=429),
    "ServiceQuotaExceededException": ConnectError("ServiceLimitExceeded", status=402),
    "DuplicateResourceException": ConnectError("AlreadyExists", status=409),
    # about the user itself; about a reference the handler names it (a bounded window)
    "ResourceNotFoundException": ConnectError("NotFound", status=404),
    "ThrottlingException": ConnectError("Throttling", transient=True, status=429),
    "TooManyRequestsException": ConnectError("Throttling", transient=True, status=429),
    # a concurrent change to the user (UpdateUserConfig): nothing was written
    "ConditionalOperationFailedException": ConnectError(
        "ResourceConflict", transient=True, status=409
    ),
    "InternalServiceException": ConnectError(
        "ServiceInternalError", transient=True, outcome_unknown=True, status=500
    ),
    "AccessDeniedException": ConnectError("AccessDenied", status=403),
    "UnrecognizedClientException": ConnectError("InvalidCredentials"),
    "InvalidClientTokenId": ConnectError("InvalidCredentials"),
    "ExpiredToken": ConnectError("InvalidCredentials"),
    "ExpiredTokenException": ConnectError("InvalidCredentials"),
    "InvalidSignatureException": ConnectError("InvalidCredentials"),
}

# --- routing proficiencies (issue 13) ------------------------------------------------------
# Seeded predefined attributes (connect_emulator/seed.py): Language, Product, Tier.


def proficiency(name: str, value: str, level: float) -> dict[str, Any]:
    """One UserProficiencies entry as a template writes it (Level 1-5, 2.5 too: issue 21)."""
    return {"AttributeName": name, "AttributeValue": value, "Level": level}


ENGLISH_4 = proficiency("Language", "English", 4)
SPANISH_2 = proficiency("Language", "Spanish", 2)
BILLING_3 = proficiency("Product", "Billing", 3)
NOT_PREDEFINED = proficiency("Language", "Klingon", 1)  # not a value of Language


def as_connect(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries as Connect's API has them: Level a float, sorted by name and value."""
    return [
        {**e, "Level": float(e["Level"])}
        for e in sorted(entries, key=lambda e: (e["AttributeName"], e["AttributeValue"]))
    ]


# --- AWS's public AWS::Connect::User, for adopt.convert (issue 23) --------------------------
# A stack as a team on AWS's type has it: users next to a hierarchy group they reference, a
# parameter, an output that uses a user, and one member this type has no counterpart for.

AWS_TYPE_STACK = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Instance:
    Type: String
    Default: arn:aws:connect:us-east-1:123456789012:instance/11111111-1111-4111-8111-111111111111
Resources:
  Tier1:
    Type: AWS::Connect::UserHierarchyGroup
    Properties:
      InstanceArn: !Ref Instance
      Name: Tier1
  Agent:
    Type: AWS::Connect::User
    Properties:
      InstanceArn: !Ref Instance
      Username: agent.one
      Password: Example-Passw0rd
      IdentityInfo: {FirstName: Ada, LastName: Lovelace, Email: ada@example.com}
      PhoneConfig: {PhoneType: SOFT_PHONE, AutoAccept: true}
      AfterContactWorkConfigs:
        - Channel: CHAT
          AfterContactWorkConfig: {AfterContactWorkTimeLimit: 600, AfterContactWorkMode: FIXED}
      SecurityProfileArns:
        - !Sub '${Instance}/security-profile/aaaaaaaa-0001-4000-8000-000000000001'
      RoutingProfileArn: !Sub '${Instance}/routing-profile/bbbbbbbb-0001-4000-8000-000000000002'
      HierarchyGroupArn: !GetAtt Tier1.UserHierarchyGroupArn
      UserProficiencies:
        - {AttributeName: Language, AttributeValue: English, Level: 3.0}
      Tags: [{Key: team, Value: blue}]
  Supervisor:
    Type: AWS::Connect::User
    DependsOn: Agent
    Properties:
      InstanceArn: !Ref Instance
      Username: sup.one
      Password: Example-Passw0rd
      IdentityInfo: {FirstName: Grace, LastName: Hopper}
      PhoneConfig:
        PhoneType: DESK_PHONE
        DeskPhoneNumber: '+12065550100'
      SecurityProfileArns:
        - arn:aws:connect:us-east-1:123456789012:instance/\
11111111-1111-4111-8111-111111111111/security-profile/aaaaaaaa-0001-4000-8000-000000000003
      RoutingProfileArn: arn:aws:connect:us-east-1:123456789012:instance/\
11111111-1111-4111-8111-111111111111/routing-profile/bbbbbbbb-0001-4000-8000-000000000001
Outputs:
  AgentArn:
    Value: !GetAtt Agent.UserArn
"""

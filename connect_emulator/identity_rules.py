"""The identity-management rules CreateUser/UpdateUser* enforce beyond the model's constraints.

Source: the Amazon Connect API Reference for CreateUser
(https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUser.html). Its text on Email
with SAML contradicts itself, so that one rule is a setting (SamlEmailPolicy). Its username
limits (20, or 64 on SAML) are contradicted by real instances: they apply only under
fidelity.UsernameLimits.REFERENCE; the default takes 1-100 everywhere (botocore's model).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Any

from .errors import invalid_parameter, invalid_request
from .fidelity import UsernameLimits

CONNECT_MANAGED = "CONNECT_MANAGED"
SAML = "SAML"
EXISTING_DIRECTORY = "EXISTING_DIRECTORY"

EMAIL = re.compile(r"(?=^.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}")
_SAML_USERNAME = re.compile(r"[a-zA-Z0-9_.@-]{1,64}")
NON_SAML_USERNAME_MAX = 20
# botocore's AgentUsername (1-100) with the reference's character set: what every instance takes.
_ANY_USERNAME = re.compile(r"[a-zA-Z0-9_.@-]{1,100}")
AFTER_CONTACT_WORK_MAX = 2_000_000  # seconds; documented, not in the model


class SamlEmailPolicy(StrEnum):
    """What IdentityInfo.Email does on a SAML instance.

    REJECT (default): the parameter text, "If you are using SAML ... and include this parameter,
    an error is returned" -> InvalidRequestException. REQUIRE: the Warning box, "Email is required
    if you are using SAML" -> InvalidParameterException when missing. ALLOW: neither.
    """

    REJECT = "reject"
    REQUIRE = "require"
    ALLOW = "allow"


def check_username(
    identity_type: str, username: str, limits: UsernameLimits = UsernameLimits.OBSERVED
) -> None:
    if limits is UsernameLimits.OBSERVED:
        if not _ANY_USERNAME.fullmatch(username):
            raise invalid_parameter("The username must be 1-100 characters from [a-zA-Z0-9_.@-].")
    elif identity_type == SAML:
        if not _SAML_USERNAME.fullmatch(username):
            raise invalid_parameter(
                "With SAML identity management the username must be 1-64 characters from "
                "[a-zA-Z0-9_.@-]."
            )
    elif len(username) > NON_SAML_USERNAME_MAX:
        raise invalid_parameter(
            f"The username can include up to {NON_SAML_USERNAME_MAX} characters for instances "
            "not using SAML for identity management."
        )
    if "@" in username and not EMAIL.fullmatch(username):
        raise invalid_parameter("The username can include @ only if used in an email format.")


def check_identity_info(
    identity_type: str, identity: dict[str, Any] | None, saml_email: SamlEmailPolicy
) -> None:
    identity = identity or {}
    for name in ("FirstName", "LastName"):
        value = identity.get(name)
        if value and unicodedata.normalize("NFC", value) != value:
            raise invalid_parameter(f"{name} must be in Unicode Normalization Form C (NFC).")
        if identity_type in (CONNECT_MANAGED, SAML) and not value:
            raise invalid_parameter(
                f"{name} is required if you are using Amazon Connect or SAML for identity "
                "management."
            )
    for name in ("Email", "SecondaryEmail"):
        value = identity.get(name)
        if value is not None and not EMAIL.fullmatch(value):
            raise invalid_parameter(f"{name} must be a valid email address.")
    if identity_type == SAML:
        if saml_email is SamlEmailPolicy.REJECT and identity.get("Email") is not None:
            raise invalid_request("Email must not be set when using SAML for identity management.")
        if saml_email is SamlEmailPolicy.REQUIRE and not identity.get("Email"):
            raise invalid_parameter("Email is required when using SAML for identity management.")


def check_phone_config(phone: dict[str, Any] | None) -> None:
    if phone is None:
        return
    if phone.get("PhoneType") == "DESK_PHONE" and not phone.get("DeskPhoneNumber"):
        raise invalid_parameter("DeskPhoneNumber is required when PhoneType is DESK_PHONE.")
    limit = phone.get("AfterContactWorkTimeLimit")
    if limit is not None and limit > AFTER_CONTACT_WORK_MAX:
        raise invalid_parameter(
            f"AfterContactWorkTimeLimit must be at most {AFTER_CONTACT_WORK_MAX} seconds."
        )


def check_create(
    identity_type: str,
    params: dict[str, Any],
    saml_email: SamlEmailPolicy,
    limits: UsernameLimits = UsernameLimits.OBSERVED,
) -> None:
    """Every identity rule of CreateUser for the instance's identity-management type."""
    if identity_type == CONNECT_MANAGED and not params.get("Password"):
        raise invalid_parameter(
            "A password is required if you are using Amazon Connect for identity management."
        )
    if identity_type != CONNECT_MANAGED and params.get("Password") is not None:
        raise invalid_request(
            "A password must not be included unless Amazon Connect manages identities."
        )
    if identity_type == SAML and params.get("DirectoryUserId") is not None:
        raise invalid_request("DirectoryUserId must not be set when using SAML.")
    check_username(identity_type, params["Username"], limits)
    check_identity_info(identity_type, params.get("IdentityInfo"), saml_email)
    check_phone_config(params.get("PhoneConfig"))

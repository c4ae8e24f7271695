"""Where the emulator follows observed Connect rather than the CreateUser reference's prose
(issue 21), and the start-up option that gives the other reading. connect_emulator/README.md's
fidelity ledger lists each choice with its source.

- Usernames (UsernameLimits): OBSERVED (default) accepts 1-100 characters from
  [a-zA-Z0-9_.@-] on every instance, as botocore's model bounds AgentUsername and as
  HashiCorp's acceptance tests show (43-character CONNECT_MANAGED usernames); REFERENCE keeps
  the reference's 20 (CONNECT_MANAGED, EXISTING_DIRECTORY) and 64 (SAML).
- DirectoryUserId (DirectoryUserIdForm): Connect reports one for every user (the AWS CLI's
  describe-user example: a UUID on a Connect-made user). A CONNECT_MANAGED user made without
  one gets a UUID; on SAML and EXISTING_DIRECTORY instances the form is unknown: UUID
  (default), the username, or none reported.
- DeskPhoneNumber on a soft phone (SoftPhoneDesk): EMPTY (default) answers "", as the CLI
  example shows; ABSENT leaves the member out.
- SearchUsers' per-channel AfterContactWorkConfigs (SearchChannelAcwUnit): the documentation
  says AfterContactWorkTimeLimit is returned in milliseconds without saying which of the two
  members it means; MILLISECONDS (default) reads it as both, SECONDS as the classic one only.
- Proficiency levels (ProficiencyLevels): ANY (default) takes every float 1.0-5.0, as
  botocore's model says (ProficiencyLevel, a float 1.0-5.0); WHOLE refuses all but 1-5,
  as the console's five stars suggest.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

_DIRECTORY_NAMESPACE = uuid.UUID("6f1b9a3e-2c4d-4e8f-9a1b-3c5d7e9f1a2b")


class UsernameLimits(enum.Enum):
    OBSERVED = "observed"  # 1-100 everywhere: botocore's model, the Terraform acceptance tests
    REFERENCE = "reference"  # 20, or 64 on SAML: the CreateUser reference


class DirectoryUserIdForm(enum.Enum):
    UUID = "uuid"
    USERNAME = "username"
    NONE = "none"


class SoftPhoneDesk(enum.Enum):
    EMPTY = "empty"
    ABSENT = "absent"


class SearchChannelAcwUnit(enum.Enum):
    MILLISECONDS = "milliseconds"
    SECONDS = "seconds"


class ProficiencyLevels(enum.Enum):
    ANY = "any"
    WHOLE = "whole"


@dataclass(frozen=True)
class Fidelity:
    username_limits: UsernameLimits = UsernameLimits.OBSERVED
    directory_user_id: DirectoryUserIdForm = DirectoryUserIdForm.UUID
    soft_phone_desk: SoftPhoneDesk = SoftPhoneDesk.EMPTY
    search_channel_acw_unit: SearchChannelAcwUnit = SearchChannelAcwUnit.MILLISECONDS
    proficiency_levels: ProficiencyLevels = ProficiencyLevels.ANY

    @classmethod
    def of(cls, given: Fidelity | Mapping[str, Any] | None) -> Fidelity:
        """From keyword values ("reference", or the enum member) as the constructor takes them."""
        if given is None or isinstance(given, Fidelity):
            return given or cls()
        unknown = set(given) - set(OPTIONS)
        if unknown:
            raise ValueError(f"unknown fidelity choice: {', '.join(sorted(unknown))}")
        chosen: dict[str, Any] = {k: OPTIONS[k](v) for k, v in given.items()}
        return cls(**chosen)

    def as_json(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name).value for f in fields(self)}


OPTIONS: Mapping[str, type[enum.Enum]] = {
    "username_limits": UsernameLimits,
    "directory_user_id": DirectoryUserIdForm,
    "soft_phone_desk": SoftPhoneDesk,
    "search_channel_acw_unit": SearchChannelAcwUnit,
    "proficiency_levels": ProficiencyLevels,
}


def directory_user_id(
    form: DirectoryUserIdForm, identity_type: str, user_id: str, username: str
) -> str | None:
    """The DirectoryUserId Connect reports for a user made without one."""
    if identity_type == "CONNECT_MANAGED" or form is DirectoryUserIdForm.UUID:
        return str(uuid.uuid5(_DIRECTORY_NAMESPACE, user_id))
    if form is DirectoryUserIdForm.USERNAME:
        return username
    return None

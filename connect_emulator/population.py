"""A varied population of users, as a contact centre built in the console, with the CSV bulk
upload or by scripts would have them: the input of `adopt`'s tests and benchmark.

`populate(emulator, count)` makes `count` users spread over the three seeded instances
(CONNECT_MANAGED, SAML, EXISTING_DIRECTORY) through `Emulator.execute` (no HTTP, no faults,
no log): every fifth user has each phone set-up below, about half have an email, some a
secondary email and a mobile, some tags, a hierarchy group and routing proficiencies. The
same count always gives the same users (user IDs follow the emulator's counter).
"""

from __future__ import annotations

from typing import Any, Protocol

from .seed import CONNECT_MANAGED, INSTANCES, PREDEFINED_ATTRIBUTES, SeedInstance

PASSWORD = "Populat10n-Passw0rd"  # only ever sent to the emulator


class Executes(Protocol):
    def execute(self, operation: str, params: dict[str, Any]) -> dict[str, Any]: ...


def _acw(channel: str, seconds: int) -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": seconds}}


# What each fifth of the users has: the classic form, a desk phone, per-channel lists that say
# no more than the classic form, and per-channel settings the classic form cannot say.
PHONE_SETUPS: tuple[dict[str, Any], ...] = (
    {
        "PhoneConfig": {
            "PhoneType": "SOFT_PHONE",
            "AutoAccept": True,
            "AfterContactWorkTimeLimit": 30,
        }
    },
    {"PhoneConfig": {"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+12065550100"}},
    {
        "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}],
        "AutoAcceptConfigs": [{"Channel": "VOICE", "AutoAccept": True}],
    },
    {
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "AfterContactWorkConfigs": [_acw("VOICE", 30), _acw("CHAT", 600)],
        "AutoAcceptConfigs": [{"Channel": "TASK", "AutoAccept": True}],
        "VoiceEnhancementConfigs": [
            {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
        ],
    },
    {
        "PhoneNumberConfigs": [
            {"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550199"}
        ],
        "PersistentConnectionConfigs": [{"Channel": "VOICE", "PersistentConnection": True}],
    },
)


def username(number: int, instance: SeedInstance) -> str:
    """Names of the shapes real instances hold: dotted, underscored, email-shaped on SAML;
    `jo.ng` and `jo_ng` differ only in punctuation."""
    if instance.identity_management_type == "SAML":
        return f"agent.{number}@example.com"
    return f"jo{'._'[number % 2]}{number:05d}"


def identity(number: int, instance: SeedInstance) -> dict[str, str]:
    info = {"FirstName": f"First{number}", "LastName": f"Last{number}"}
    if instance.identity_management_type != "SAML" and number % 2 == 0:
        info["Email"] = f"user{number}@example.com"
    if number % 7 == 0:
        info["SecondaryEmail"] = f"alt{number}@example.org"
    if number % 11 == 0:
        info["Mobile"] = f"+1206555{number % 10000:04d}"
    return info


def create_params(number: int) -> dict[str, Any]:
    instance = INSTANCES[number % len(INSTANCES)]
    params: dict[str, Any] = {
        "InstanceId": instance.id,
        "Username": username(number, instance),
        "IdentityInfo": identity(number, instance),
        "SecurityProfileIds": [instance.child_id("security", 1 + number % 4)],
        "RoutingProfileId": instance.child_id("routing", 1 + (number // 3) % 3),
        **PHONE_SETUPS[(number // 3) % len(PHONE_SETUPS)],
    }
    if number % 4 == 1:
        params["SecurityProfileIds"].append(instance.child_id("security", 1 + (number + 1) % 4))
    if instance is CONNECT_MANAGED:
        params["Password"] = PASSWORD
    if number % 4 != 3:
        params["HierarchyGroupId"] = instance.child_id("hierarchy", 1 + (number // 3) % 3)
    if number % 2 == 1:
        params["Tags"] = {"team": ("blue", "red", "green")[(number // 3) % 3], "site": "north"}
    return params


def proficiencies(number: int) -> list[dict[str, Any]]:
    """Every fourth user has one or two routing proficiencies."""
    if number % 4 != 0:
        return []
    names = sorted(PREDEFINED_ATTRIBUTES)
    first = names[number % len(names)]
    found = [
        {
            "AttributeName": first,
            "AttributeValue": PREDEFINED_ATTRIBUTES[first][
                number % len(PREDEFINED_ATTRIBUTES[first])
            ],
            "Level": float(1 + number % 5),
        }
    ]
    if number % 8 == 0:
        second = names[(number + 1) % len(names)]
        found.append(
            {
                "AttributeName": second,
                "AttributeValue": PREDEFINED_ATTRIBUTES[second][0],
                "Level": 5.0,
            }
        )
    return found


def populate(emulator: Executes, count: int, start: int = 0) -> list[str]:
    """Make users number start..start+count-1; their ARNs in creation order."""
    arns = []
    for number in range(start, start + count):
        params = create_params(number)
        made = emulator.execute("CreateUser", params)
        levels = proficiencies(number)
        if levels:
            emulator.execute(
                "AssociateUserProficiencies",
                {
                    "InstanceId": params["InstanceId"],
                    "UserId": made["UserId"],
                    "UserProficiencies": levels,
                },
            )
        arns.append(made["UserArn"])
    return arns

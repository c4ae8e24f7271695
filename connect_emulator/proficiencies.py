"""Routing proficiencies: the instance's predefined attributes (seeded, seed.py, plus those
CreatePredefinedAttribute adds; ListPredefinedAttributes) and the four user proficiency
operations, with the model's constraints and ListUserProficiencies paging.

A user's proficiencies live in State.proficiencies, keyed by the user's ARN, as
{"AttributeName": ..., "AttributeValue": ..., "Level": float} in association order.

Two behaviours Connect does not document are start-up choices (ServiceSettings):
- an attribute or value that is not predefined: `ResourceNotFoundException` (default) or
  `InvalidRequestException` (ProficiencyMissing);
- associating a proficiency the user already has: refused with `InvalidRequestException`
  (default) or its level updated (ProficiencyRepeat).
Documented and enforced: UpdateUserProficiencies only for proficiencies already associated
(`InvalidRequestException`), levels 1.0-5.0 as botocore's model says
(`InvalidParameterException` otherwise; fidelity.ProficiencyLevels.WHOLE takes only the whole
numbers 1-5). Disassociating one the user does not have is accepted and changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import seed
from .errors import ServiceError, invalid_parameter, invalid_request, not_found
from .fidelity import ProficiencyLevels
from .pagination import page

if TYPE_CHECKING:
    from .operations import ConnectService
    from .store import State

OPERATIONS = (
    "AssociateUserProficiencies",
    "UpdateUserProficiencies",
    "DisassociateUserProficiencies",
    "ListUserProficiencies",
    "CreatePredefinedAttribute",
    "ListPredefinedAttributes",
    "DescribePredefinedAttribute",
)
WRITES = frozenset(
    {
        "AssociateUserProficiencies",
        "UpdateUserProficiencies",
        "DisassociateUserProficiencies",
        "CreatePredefinedAttribute",
    }
)


class ProficiencyMissing(enum.Enum):
    NOT_FOUND = "not-found"  # ResourceNotFoundException
    INVALID_REQUEST = "invalid-request"  # InvalidRequestException


class ProficiencyRepeat(enum.Enum):
    REJECT = "reject"  # InvalidRequestException
    UPDATE = "update"  # the new level replaces the old one


Handler = Callable[[dict[str, Any]], dict[str, Any]]


def predefined(state: State, instance_id: str) -> dict[str, tuple[str, ...]]:
    """The predefined attributes of an instance and their values: the seed's (the same in
    every instance), and those CreatePredefinedAttribute added."""
    added = state.predefined_attributes.get(instance_id, {})
    return {**seed.PREDEFINED_ATTRIBUTES, **{k: tuple(v) for k, v in added.items()}}


def handlers(service: ConnectService) -> dict[str, Handler]:
    """The four operations, for ConnectService's handler table."""
    ops = _Proficiencies(service)
    return {
        "AssociateUserProficiencies": ops.associate,
        "UpdateUserProficiencies": ops.update,
        "DisassociateUserProficiencies": ops.disassociate,
        "ListUserProficiencies": ops.list,
        "CreatePredefinedAttribute": ops.create_attribute,
        "ListPredefinedAttributes": ops.list_attributes,
        "DescribePredefinedAttribute": ops.describe_attribute,
    }


Key = tuple[str, str]


class _Proficiencies:
    def __init__(self, service: ConnectService) -> None:
        self.service = service

    def _held(self, params: dict[str, Any]) -> tuple[dict[str, Any], dict[Key, float]]:
        """The user (it must exist and be visible) and its proficiencies, by key."""
        instance = self.service.instance(params["InstanceId"])
        user = self.service.user(instance, params["UserId"])
        stored = self.service.state.proficiencies.get(user["Arn"], [])
        held = {(p["AttributeName"], p["AttributeValue"]): float(p["Level"]) for p in stored}
        return user, held

    def _store(self, user: dict[str, Any], held: dict[Key, float]) -> None:
        if held:
            self.service.state.proficiencies[user["Arn"]] = _rows(held)
        else:
            self.service.state.proficiencies.pop(user["Arn"], None)
        self.service._touch(user)

    def _check_predefined(self, reference: str, items: list[dict[str, Any]]) -> None:
        instance_id = self.service.instance(reference).id
        attributes = predefined(self.service.state, instance_id)
        for item in items:
            name, value = item["AttributeName"], item["AttributeValue"]
            if value not in attributes.get(name, ()):
                message = f"Predefined attribute {name} with value {value} not found."
                if self.service.settings.proficiency_missing is ProficiencyMissing.NOT_FOUND:
                    raise not_found(message)
                raise invalid_request(message)

    def _check_levels(self, items: list[dict[str, Any]]) -> None:
        whole = self.service.settings.fidelity.proficiency_levels is ProficiencyLevels.WHOLE
        for item in items:
            level = float(item["Level"])  # validation.py checks integer ranges, not floats
            if not 1.0 <= level <= 5.0:
                raise invalid_parameter("Level must be from 1.0 to 5.0.")
            if whole and not level.is_integer():
                raise invalid_parameter("Level must be one of 1.0, 2.0, 3.0, 4.0 or 5.0.")

    def associate(self, params: dict[str, Any]) -> dict[str, Any]:
        user, held = self._held(params)
        items = params["UserProficiencies"]
        self._check_levels(items)
        self._check_predefined(params["InstanceId"], items)
        for item in items:
            key = (item["AttributeName"], item["AttributeValue"])
            repeat = self.service.settings.proficiency_repeat
            if key in held and repeat is ProficiencyRepeat.REJECT:
                raise invalid_request(
                    f"Proficiency {key[0]} with value {key[1]} is already associated."
                )
        held.update({(i["AttributeName"], i["AttributeValue"]): float(i["Level"]) for i in items})
        self._store(user, held)
        return {}

    def update(self, params: dict[str, Any]) -> dict[str, Any]:
        user, held = self._held(params)
        items = params["UserProficiencies"]
        self._check_levels(items)
        self._check_predefined(params["InstanceId"], items)
        for item in items:
            key = (item["AttributeName"], item["AttributeValue"])
            if key not in held:
                raise invalid_request(
                    f"Proficiency {key[0]} with value {key[1]} is not associated with the user."
                )
        held.update({(i["AttributeName"], i["AttributeValue"]): float(i["Level"]) for i in items})
        self._store(user, held)
        return {}

    def disassociate(self, params: dict[str, Any]) -> dict[str, Any]:
        user, held = self._held(params)
        items = params["UserProficiencies"]
        self._check_predefined(params["InstanceId"], items)
        for item in items:
            held.pop((item["AttributeName"], item["AttributeValue"]), None)
        self._store(user, held)
        return {}

    def create_attribute(self, params: dict[str, Any]) -> dict[str, Any]:
        """A string-list predefined attribute (the values proficiencies choose from)."""
        instance = self.service.instance(params["InstanceId"])
        name = params["Name"]
        if name in predefined(self.service.state, instance.id):
            raise ServiceError(
                "DuplicateResourceException", f"Predefined attribute {name} already exists."
            )
        values = list(dict.fromkeys((params.get("Values") or {}).get("StringList") or ()))
        if not values:
            raise invalid_request("A predefined attribute needs at least one value.")
        added = self.service.state.predefined_attributes.setdefault(instance.id, {})
        added[name] = values
        return {}

    def list_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.service.instance(params["InstanceId"])
        names = sorted(predefined(self.service.state, instance.id))
        items, token = page("ListPredefinedAttributes", instance.id, names, params, 100)
        answer: dict[str, Any] = {
            "PredefinedAttributeSummaryList": [{"Name": name} for name in items]
        }
        if token is not None:
            answer["NextToken"] = token
        return answer

    def describe_attribute(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.service.instance(params["InstanceId"])
        values = predefined(self.service.state, instance.id).get(params["Name"])
        if values is None:
            raise not_found(f"Predefined attribute {params['Name']} not found.")
        return {
            "PredefinedAttribute": {"Name": params["Name"], "Values": {"StringList": list(values)}}
        }

    def list(self, params: dict[str, Any]) -> dict[str, Any]:
        user, held = self._held(params)
        items, token = page("ListUserProficiencies", user["Arn"], _rows(held), params, 100)
        answer: dict[str, Any] = {"UserProficiencyList": list(items)}
        if token is not None:
            answer["NextToken"] = token
        return answer


def _rows(held: dict[Key, float]) -> list[dict[str, Any]]:
    return [
        {"AttributeName": name, "AttributeValue": value, "Level": level}
        for (name, value), level in held.items()
    ]

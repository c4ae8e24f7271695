"""The emulator's state: instances, their seeded children, users and tags; JSON round trip."""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import seed

# Fixed times keep seeded state (and a saved state file) reproducible.
SEED_TIME = 1735689600.0  # 2025-01-01T00:00:00Z
_USER_NAMESPACE = uuid.UUID("5f0c7a52-8c4e-4f7b-9d55-2f4b3a6f0c01")
CHILD_KINDS = ("security", "routing", "hierarchy")
CHILD_NAMES = {
    "security": seed.SECURITY_PROFILES,
    "routing": seed.ROUTING_PROFILES,
    "hierarchy": seed.HIERARCHY_GROUPS,
}
# ARN path segment of each child kind, and of users.
CHILD_SEGMENTS = {
    "security": "security-profile",
    "routing": "routing-profile",
    "hierarchy": "agent-group",
}
USER_SEGMENT = "agent"


@dataclass
class Child:
    kind: str
    id: str
    arn: str
    name: str


@dataclass
class Instance:
    id: str
    arn: str
    alias: str
    identity_management_type: str
    created_time: float
    children: dict[str, dict[str, Child]]
    # User records in creation order, keyed by user ID; "Seq" orders them for pagination.
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Username -> user ID; derived, so uniqueness checks stay O(1) at 10,000s of users.
    user_ids_by_name: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.user_ids_by_name = {user["Username"]: user_id for user_id, user in self.users.items()}

    def add_user(self, user: dict[str, Any]) -> None:
        self.users[user["Id"]] = user
        self.user_ids_by_name[user["Username"]] = user["Id"]

    def remove_user(self, user_id: str) -> None:
        user = self.users.pop(user_id)
        del self.user_ids_by_name[user["Username"]]


@dataclass
class State:
    instances: dict[str, Instance]
    tags: dict[str, dict[str, str]]  # resource ARN -> tags
    user_counter: int = 0
    # user ARN -> routing proficiencies, in association order (proficiencies.py)
    proficiencies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # instance ID -> predefined attribute name -> values, beyond the seed's (proficiencies.py)
    predefined_attributes: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def next_user_id(self) -> str:
        self.user_counter += 1
        return str(uuid.uuid5(_USER_NAMESPACE, f"user-{self.user_counter}"))

    def to_json(self) -> dict[str, Any]:
        return {
            "user_counter": self.user_counter,
            "tags": self.tags,
            "proficiencies": self.proficiencies,
            "predefined_attributes": self.predefined_attributes,
            "instances": [
                {
                    "id": instance.id,
                    "arn": instance.arn,
                    "alias": instance.alias,
                    "identity_management_type": instance.identity_management_type,
                    "created_time": instance.created_time,
                    "children": {
                        kind: [vars(child) for child in children.values()]
                        for kind, children in instance.children.items()
                    },
                    "users": list(instance.users.values()),
                }
                for instance in self.instances.values()
            ],
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> State:
        instances = {}
        for item in document["instances"]:
            instances[item["id"]] = Instance(
                id=item["id"],
                arn=item["arn"],
                alias=item["alias"],
                identity_management_type=item["identity_management_type"],
                created_time=item["created_time"],
                children={
                    kind: {child["id"]: Child(**child) for child in children}
                    for kind, children in item["children"].items()
                },
                users={user["Id"]: user for user in item["users"]},
            )
        return cls(
            instances=instances,
            tags=document["tags"],
            user_counter=document["user_counter"],
            proficiencies=document.get("proficiencies", {}),
            predefined_attributes=document.get("predefined_attributes", {}),
        )


def seeded_state() -> State:
    """The three seeded instances with the children seed.py names, no users, no tags."""
    instances = {}
    for spec in seed.INSTANCES:
        children = {
            kind: {
                spec.child_id(kind, index): Child(
                    kind=kind,
                    id=spec.child_id(kind, index),
                    arn=spec.child_arn(kind, index),
                    name=name,
                )
                for index, name in enumerate(CHILD_NAMES[kind], start=1)
            }
            for kind in CHILD_KINDS
        }
        instances[spec.id] = Instance(
            id=spec.id,
            arn=spec.arn,
            alias=spec.alias,
            identity_management_type=spec.identity_management_type,
            created_time=SEED_TIME,
            children=children,
        )
    return State(instances=instances, tags={})


def load_state(path: Path) -> State:
    return State.from_json(json.loads(path.read_text(encoding="utf-8")))


def save_state(state: State, path: Path) -> None:
    """Write atomically, so a crash mid-save never leaves a half-written state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(state.to_json(), handle)
    os.replace(temporary, path)

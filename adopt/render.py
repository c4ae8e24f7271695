"""From live users to templates and import files. Pure functions.

A resource's properties are what the type's READ returns for the user by identifier
(`read_model` makes the same calls to the handler's own translation as `handlers.read_handler`),
less what a template cannot hold: the read-only UserId and UserArn.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

import aws_connect_user.proficiencies as proficiencies
from aws_connect_user import rules, schema, translate
from aws_connect_user.models import ResourceModel
from aws_connect_user.references import Kind, id_of, parse_user_arn
from aws_connect_user.runtime import build_model

MAX_PER_TEMPLATE = 200  # one IMPORT change set takes at most 200 (botocore: ResourcesToImport)
DEFAULT_PER_TEMPLATE = 200
READ_ONLY = ("UserId", "UserArn")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
MAX_LOGICAL_ID = 255


@dataclass(frozen=True)
class Adopted:
    """One user ready to write: its logical ID, ARN and template properties."""

    logical_id: str
    arn: str
    properties: dict[str, Any]


def read_model(user: Mapping[str, Any], levels: Mapping[tuple[str, str], float]) -> ResourceModel:
    """What READ with only UserArn returns for a DescribeUser `User` and its proficiencies:
    handlers.read_handler's steps, on data already fetched."""
    arn = parse_user_arn(user.get("Arn"))
    if arn is None:
        raise ValueError("DescribeUser returned a user without a user ARN")
    requested = replace(translate.empty_model(), UserArn=arn.value)
    instance = translate.instance_form(None, arn.instance_id)
    found = translate.model_from_user(user, instance, requested)
    listed = proficiencies.rendered(levels, requested)
    return replace(found, UserProficiencies=listed)  # type: ignore[arg-type]  # a list


def template_properties(model: ResourceModel, *, directory_ids: bool = True) -> dict[str, Any]:
    """The model as template properties, in the schema's property order. directory_ids=False
    leaves out the DirectoryUserId Connect assigned (a CONNECT_MANAGED or SAML instance): a
    template that declares it would send it back to CreateUser on a replacement (and SAML
    refuses it there), while drift detection compares only what the template declares."""
    data = model._serialize()
    order = list(schema.resource_schema()["properties"])
    left_out = {"Password", *(() if directory_ids else ("DirectoryUserId",))}
    return {k: data[k] for k in order if k in data and k not in READ_ONLY and k not in left_out}


def problems(properties: Mapping[str, Any]) -> list[str]:
    """Why the type would refuse these properties (its schema and its rules); [] when none.
    The identity-type rules that need a Password apply to a create only, not to an import."""
    checked = schema.check(properties, partial=False)
    found = [*checked.violations, *rules.model_rules(build_model(checked.data))]
    return [str(v) for v in schema.ordered(found)]


def _base_id(username: str) -> str:
    parts = [p for p in _NOT_ALNUM.split(username) if p]
    return ("User" + "".join(p[:1].upper() + p[1:] for p in parts))[:200]


def logical_ids(usernames: Iterable[str]) -> dict[str, str]:
    """Logical IDs from usernames: "User" and the name's letters and digits, each part
    capitalised (jo.ng -> UserJoNg). Names that would share one (jo.ng, jo_ng) each get the
    first 8 hex digits of their name's SHA-256, so every ID is unique and the same on every
    run over the same users."""
    names = sorted(set(usernames))
    bases = {name: _base_id(name) for name in names}
    counts: dict[str, int] = {}
    for base in bases.values():
        counts[base] = counts.get(base, 0) + 1
    found = {}
    for name, base in bases.items():
        if counts[base] > 1:
            base += hashlib.sha256(name.encode()).hexdigest()[:8].upper()
        found[name] = base
    return found


def chunks(items: Sequence[Adopted], size: int) -> list[Sequence[Adopted]]:
    if not 1 <= size <= MAX_PER_TEMPLATE:
        raise ValueError(f"resources per template must be 1 to {MAX_PER_TEMPLATE}")
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- parameters -----------------------------------------------------------------------------

_KINDS: tuple[tuple[str, str, Kind], ...] = (
    ("RoutingProfileId", "RoutingProfile", "routing-profile"),
    ("SecurityProfileIds", "SecurityProfile", "security-profile"),
    ("HierarchyGroupId", "HierarchyGroup", "agent-group"),
)


@dataclass(frozen=True)
class Parameters:
    """Template parameters for the instance and each profile and group, named by kind and the
    position of the ID among all the run's IDs of that kind (stable for the same users)."""

    instance_id: str
    names: Mapping[str, str]  # referenced ID -> parameter name

    @classmethod
    def for_users(cls, instance_id: str, adopted: Iterable[Adopted]) -> Parameters:
        found: dict[str, set[str]] = {prefix: set() for _, prefix, _ in _KINDS}
        for user in adopted:
            for prop, prefix, kind in _KINDS:
                value = user.properties.get(prop)
                for item in value if isinstance(value, list) else [value] if value else []:
                    found[prefix].add(id_of(item, kind))
        names = {
            ident: f"{prefix}{n}"
            for prefix, ids in found.items()
            for n, ident in enumerate(sorted(ids), start=1)
        }
        return cls(instance_id, names)

    def apply(self, properties: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(properties)
        out["InstanceId"] = {"Ref": "InstanceId"}
        for prop, _, kind in _KINDS:
            value = out.get(prop)
            if isinstance(value, list):
                out[prop] = [{"Ref": self.names[id_of(v, kind)]} for v in value]
            elif value:
                out[prop] = {"Ref": self.names[id_of(value, kind)]}
        return out

    def declared(self, resources: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
        """The Parameters section for the resources of one template: only those they use."""
        used = {
            ref["Ref"]
            for props in resources
            for value in props.values()
            for ref in (value if isinstance(value, list) else [value])
            if isinstance(ref, dict) and "Ref" in ref
        }
        by_name = {name: ident for ident, name in self.names.items()}
        section: dict[str, Any] = {
            "InstanceId": {
                "Type": "String",
                "Default": self.instance_id,
                "Description": "The Amazon Connect instance: its ID or ARN.",
            }
        }
        for name in sorted(used - {"InstanceId"}, key=_natural):
            section[name] = {"Type": "String", "Default": by_name[name]}
        return section


def _natural(name: str) -> tuple[str, int]:
    match = re.match(r"([A-Za-z]+)(\d+)$", name)
    return (match[1], int(match[2])) if match else (name, 0)


# --- files ----------------------------------------------------------------------------------


def template(
    users: Sequence[Adopted],
    type_name: str,
    description: str,
    parameters: Parameters | None = None,
) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    written = []
    for user in users:
        props = parameters.apply(user.properties) if parameters else dict(user.properties)
        written.append(props)
        resources[user.logical_id] = {
            "Type": type_name,
            "DeletionPolicy": "Retain",  # import requires it
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }
    body: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Description": description}
    if parameters:
        body["Parameters"] = parameters.declared(written)
    body["Resources"] = resources
    return body


def resources_to_import(users: Sequence[Adopted], type_name: str) -> list[dict[str, Any]]:
    """What `create-change-set --change-set-type IMPORT --resources-to-import` takes."""
    return [
        {
            "ResourceType": type_name,
            "LogicalResourceId": user.logical_id,
            "ResourceIdentifier": {"UserArn": user.arn},
        }
        for user in users
    ]


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when PyYAML has it (ten times faster on thousands of users)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def to_yaml(body: Mapping[str, Any]) -> str:
    return yaml.dump(
        body, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True
    )

"""From AWS's public AWS::Connect::User to this type, without deleting a user.

    python -m adopt.convert --type-name Acme::Connect::User --stack-name agents \\
        --out moved/ template.yaml [--stack-resources resources.json]

Writes into OUT:
- `1-retain.yaml`: the template as it is, with DeletionPolicy and UpdateReplacePolicy Retain on
  every AWS::Connect::User (update the old stack with it first);
- `2-without-users.yaml`: the template without those users (update the old stack with it: the
  users leave the stack and stay in Connect);
- `3-users.yaml`: the users as resources of the type (InstanceArn -> InstanceId,
  SecurityProfileArns -> SecurityProfileIds, RoutingProfileArn -> RoutingProfileId,
  HierarchyGroupArn -> HierarchyGroupId, everything else by name), each with both Retain
  policies; a reference to anything that stays behind becomes a parameter;
- `3-users-import.json`: the resources to import, when the old stack's physical IDs are given
  (`aws cloudformation describe-stack-resources --stack-name OLD > resources.json`);
- `STEPS.md`: the commands, in order.
Whatever has no counterpart in the type is named in STEPS.md and on stderr, never dropped
silently. Other resource types (AWS::Connect::UserHierarchyGroup, RoutingProfile, ...) stay
in the old stack untouched.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode_str

from aws_connect_user import schema

from . import render
from .__main__ import type_name

AWS_TYPE = "AWS::Connect::User"
RENAMED = {
    "InstanceArn": "InstanceId",
    "SecurityProfileArns": "SecurityProfileIds",
    "RoutingProfileArn": "RoutingProfileId",
    "HierarchyGroupArn": "HierarchyGroupId",
}
# Attributes AWS's type hands out and what this type calls them (Ref gives UserArn in both).
ATTRIBUTES = {"UserArn": "UserArn"}


@dataclass
class Conversion:
    users: dict[str, Any] = field(default_factory=dict)  # logical ID -> converted resource
    parameters: dict[str, Any] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # "Logical/Path: why", Password included
    referrers: list[str] = field(default_factory=list)  # what in the old template uses a user


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return schema.resource_schema()["definitions"][ref.rsplit("/", 1)[1]]
    return node


def _intrinsic(value: Any) -> bool:
    return (
        isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("Ref", "Condition")
    ) or (isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith("Fn::"))


def _fit(value: Any, node: Mapping[str, Any], path: str, dropped: list[str]) -> Any:
    """A value of AWS's type in this type's shape; members with no counterpart named."""
    node = _resolve(node)
    if _intrinsic(value):
        return value
    if isinstance(value, dict):
        members = node.get("properties", {})
        out = {}
        for key, inner in value.items():
            if key not in members:
                dropped.append(f"{path}/{key}: this type has no such property")
                continue
            out[key] = _fit(inner, members[key], f"{path}/{key}", dropped)
        return out
    if isinstance(value, list):
        items = node.get("items", {})
        return [_fit(v, items, f"{path}/{i}", dropped) for i, v in enumerate(value)]
    if node.get("type") == "integer" and isinstance(value, float):
        if value.is_integer():
            return int(value)
        dropped.append(f"{path}: {value} is not a whole number, which this type requires")
        return value
    return value


def convert_properties(properties: Mapping[str, Any], logical_id: str) -> tuple[dict, list[str]]:
    ours = schema.resource_schema()["properties"]
    read_only = schema.read_only_properties()
    dropped: list[str] = []
    out: dict[str, Any] = {}
    for key, value in properties.items():
        name = RENAMED.get(key, key)
        if name == "Password":  # write-only, used on create only: an import needs none
            dropped.append(f"{logical_id}/Password: left out, an import needs no initial password")
            continue
        if name not in ours or name in read_only:
            dropped.append(f"{logical_id}/{key}: this type has no such property")
            continue
        out[name] = _fit(value, ours[name], f"{logical_id}/{key}", dropped)
    return out, dropped


def _references(value: Any) -> Iterator[tuple[str, str | None]]:
    """(logical ID, attribute) of every Ref, Fn::GetAtt and Fn::Sub reference in a value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                yield inner, None
            elif key == "Fn::GetAtt":
                parts = inner.split(".", 1) if isinstance(inner, str) else list(inner)
                if len(parts) == 2 and isinstance(parts[0], str):
                    yield parts[0], str(parts[1])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                for token in _sub_tokens(text):
                    name, _, attribute = token.partition(".")
                    yield name, attribute or None
                if isinstance(inner, list) and len(inner) > 1:
                    yield from _references(inner[1])
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def _sub_tokens(text: str) -> Iterator[str]:
    for match in re.finditer(r"\$\{(?!!)([^}]+)\}", text):
        yield match[1]


def _parameterise(value: Any, stays: Mapping[str, Any], parameters: dict[str, Any]) -> Any:
    """References to what stays in the old stack, as parameters of the new template."""
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        target: tuple[str, str | None] | None = None
        if key == "Ref" and isinstance(inner, str) and inner in stays:
            target = (inner, None)
        elif key == "Fn::GetAtt":
            parts = inner.split(".", 1) if isinstance(inner, str) else list(inner)
            if parts and parts[0] in stays:
                target = (parts[0], str(parts[1]))
        if target is not None:
            name, attribute = target
            parameter = name + (attribute or "").replace(".", "")
            kind = "parameter" if stays[name] == "parameter" else "resource"
            what = f"the value of {kind} {name}" + (f"'s {attribute}" if attribute else "")
            parameters.setdefault(
                parameter,
                {"Type": "String", "Description": f"{what} in the old stack"},
            )
            return {"Ref": parameter}
    if isinstance(value, dict):
        return {k: _parameterise(v, stays, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [_parameterise(v, stays, parameters) for v in value]
    return value


def convert(template: Mapping[str, Any], type_name: str) -> Conversion:
    result = Conversion()
    resources = template.get("Resources") or {}
    users = [k for k, r in resources.items() if (r or {}).get("Type") == AWS_TYPE]
    stays: dict[str, str] = {k: "resource" for k in resources if k not in users}
    stays.update({k: "parameter" for k in template.get("Parameters") or {}})
    for logical_id in users:
        resource = resources[logical_id]
        props, dropped = convert_properties(resource.get("Properties") or {}, logical_id)
        result.dropped += dropped
        for key in resource:
            if key not in ("Type", "Properties", "DeletionPolicy", "UpdateReplacePolicy"):
                result.dropped.append(f"{logical_id}: resource attribute {key} not carried over")
        props = _parameterise(props, stays, result.parameters)
        result.users[logical_id] = {
            "Type": type_name,
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }
    moving = set(users)
    for section in ("Resources", "Outputs", "Conditions"):
        for name, body in (template.get(section) or {}).items():
            if name in moving:
                continue
            used = {ref for ref, _ in _references(body) if ref in moving}
            if isinstance(body, dict):
                depends = body.get("DependsOn")
                used |= set([depends] if isinstance(depends, str) else depends or ()) & moving
            if used:
                result.referrers.append(f"{section}/{name} uses {', '.join(sorted(used))}")
    return result


def retained(template: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(template))
    for resource in (out.get("Resources") or {}).values():
        if resource.get("Type") == AWS_TYPE:
            resource["DeletionPolicy"] = "Retain"
            resource["UpdateReplacePolicy"] = "Retain"
    return out


def without_users(template: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(template))
    out["Resources"] = {
        k: v for k, v in (out.get("Resources") or {}).items() if v.get("Type") != AWS_TYPE
    }
    return out


def users_template(conversion: Conversion, source: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Amazon Connect users moved from AWS::Connect::User ({source})",
    }
    if conversion.parameters:
        body["Parameters"] = dict(sorted(conversion.parameters.items()))
    body["Resources"] = conversion.users
    return body


def physical_ids(describe_stack_resources: Mapping[str, Any]) -> dict[str, str]:
    """Logical ID -> physical ID (the user's ARN) from describe-stack-resources' output."""
    return {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in describe_stack_resources.get("StackResources", [])
        if r.get("ResourceType") == AWS_TYPE and r.get("PhysicalResourceId")
    }


def steps(conversion: Conversion, stack: str, new_stack: str, imported: bool) -> str:
    lines = [
        f"# Move the users of stack {stack} to this type, deleting none",
        "",
        "Each step is one stack operation; wait for it to finish before the next. A template",
        "over 51,200 bytes goes to S3 first (`--template-url` instead of `--template-body`), and",
        "one import takes at most 200 resources: more users, more stacks.",
        "",
        "1. Retain the users when they leave the old stack:",
        f"   `aws cloudformation update-stack --stack-name {stack} "
        "--template-body file://1-retain.yaml --capabilities CAPABILITY_IAM` (add the",
        "   stack's parameters as `ParameterKey=...,UsePreviousValue=true`).",
        "2. Take them out of it (they stay in Connect: their DeletionPolicy is Retain):",
        f"   `aws cloudformation update-stack --stack-name {stack} "
        "--template-body file://2-without-users.yaml --capabilities CAPABILITY_IAM`.",
    ]
    if not imported:
        lines += [
            "   Before this step, record the users' ARNs:",
            f"   `aws cloudformation describe-stack-resources --stack-name {stack} "
            "> resources.json`, then run this command again with `--stack-resources "
            "resources.json` to write 3-users-import.json.",
        ]
    values = [f"ParameterKey={name},ParameterValue=..." for name in conversion.parameters]
    with_parameters = " --parameters " + " ".join(values) if values else ""
    lines += [
        "3. Import them into a new stack of the type:",
        f"   `aws cloudformation create-change-set --stack-name {new_stack} "
        "--change-set-name adopt --change-set-type IMPORT --template-body file://3-users.yaml "
        f"--resources-to-import file://3-users-import.json{with_parameters}`,",
        f"   then `aws cloudformation execute-change-set --stack-name {new_stack} "
        "--change-set-name adopt`.",
        f"4. Check: `aws cloudformation detect-stack-drift --stack-name {new_stack}`.",
    ]
    if conversion.referrers:
        lines += ["", "## The old template uses the users", ""]
        lines += [
            f"- {r}: edit 2-without-users.yaml (take the value from the new stack's outputs "
            "or a parameter) before step 2"
            for r in conversion.referrers
        ]
    if conversion.dropped:
        lines += ["", "## Not carried over (no counterpart in this type)", ""]
        lines += [f"- {d}" for d in conversion.dropped]
    return "\n".join(lines) + "\n"


def load_text(text: str) -> dict[str, Any]:
    """A template in YAML (short-form intrinsics such as !Ref included) or JSON, as plain
    data (cfn-lint's own decoder)."""
    body, matches = decode_str(text)
    if body is None:
        raise ValueError("; ".join(str(m) for m in matches))
    plain: dict[str, Any] = json.loads(json.dumps(body, default=str))
    return plain


def load(path: Path) -> dict[str, Any]:
    return load_text(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m adopt.convert", description=__doc__.split("\n")[0])
    p.add_argument("--type-name", required=True, type=type_name, help="e.g. Acme::Connect::User")
    p.add_argument("--stack-name", required=True, help="the stack that holds the users today")
    p.add_argument("--new-stack-name", help="the stack to import them into (default NAME-users)")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--stack-resources", type=Path, help="describe-stack-resources output (JSON)")
    p.add_argument("template", type=Path)
    args = p.parse_args(argv)
    template = load(args.template)
    conversion = convert(template, args.type_name)
    if not conversion.users:
        print(f"error: {args.template} has no {AWS_TYPE}", file=sys.stderr)
        return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "1-retain.yaml").write_text(render.to_yaml(retained(template)), encoding="utf-8")
    (out / "2-without-users.yaml").write_text(
        render.to_yaml(without_users(template)), encoding="utf-8"
    )
    body = users_template(conversion, f"stack {args.stack_name}")
    (out / "3-users.yaml").write_text(render.to_yaml(body), encoding="utf-8")
    imported = args.stack_resources is not None
    if imported:
        arns = physical_ids(json.loads(args.stack_resources.read_text(encoding="utf-8")))
        missing = sorted(set(conversion.users) - set(arns))
        if missing:
            print(f"error: no physical ID for {', '.join(missing)}", file=sys.stderr)
            return 1
        entries = [
            {
                "ResourceType": args.type_name,
                "LogicalResourceId": logical_id,
                "ResourceIdentifier": {"UserArn": arns[logical_id]},
            }
            for logical_id in conversion.users
        ]
        (out / "3-users-import.json").write_text(
            json.dumps(entries, indent=2) + "\n", encoding="utf-8"
        )
    new_stack = args.new_stack_name or f"{args.stack_name}-users"
    (out / "STEPS.md").write_text(
        steps(conversion, args.stack_name, new_stack, imported), encoding="utf-8"
    )
    for line in conversion.dropped + conversion.referrers:
        print(f"note: {line}", file=sys.stderr)
    print(f"{len(conversion.users)} users converted; steps in {out / 'STEPS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

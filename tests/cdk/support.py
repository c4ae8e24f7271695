"""Helpers for checking synthesized AWS::Connect::User properties against the schema."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft7Validator

from connect_emulator.seed import CONNECT_MANAGED

from ..examples.catalogue import SCHEMA_FILE
from ..testdata import PASSWORD

MI = CONNECT_MANAGED
_DYNAMIC_REFERENCE = re.compile(r"^\{\{resolve:(secretsmanager|ssm-secure):[^}]+\}\}$")
# What the AWS Connect L1s' attributes would be once deployed (seeded objects of each kind).
ATTRIBUTE_VALUES = {
    "SecurityProfileArn": MI.child_arn("security", 1),
    "RoutingProfileArn": MI.child_arn("routing", 1),
    "UserHierarchyGroupArn": MI.child_arn("hierarchy", 1),
}


def validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def as_deployed(node: Any, parameters: Mapping[str, Any] | None = None) -> Any:
    """Properties as CloudFormation would hand them to the handler: intrinsics resolved to
    representative values, dynamic references to the tests' sentinel password."""
    if isinstance(node, dict):
        if set(node) == {"Fn::GetAtt"}:
            return ATTRIBUTE_VALUES[node["Fn::GetAtt"][1]]
        if set(node) == {"Ref"}:
            return (parameters or {})[node["Ref"]]
        return {k: as_deployed(v, parameters) for k, v in node.items()}
    if isinstance(node, list):
        return [as_deployed(v, parameters) for v in node]
    if isinstance(node, str) and _DYNAMIC_REFERENCE.match(node):
        return PASSWORD
    return node


def schema_errors(properties: Mapping[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(properties)]

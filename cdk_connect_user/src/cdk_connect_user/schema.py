"""The resource type's schema, shipped in this package, and the checks of literal values it
defines.

resource-schema.json is a copy of the repository's aws-connect-user.json (make generate copies
it, a test keeps the two identical), so every pattern, length, range, enum and item count here
is the schema's own. A rule is stated in the words the schema keeps next to it: the closing
"Allowed: ..." sentence of the node's description. Tokens (Ref, Fn::GetAtt, parameters) are
left to CloudFormation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from aws_cdk import Token

SCHEMA_FILE = "resource-schema.json"
WORDS_MARKER = "Allowed: "
# Phone numbers are personal data like the Password: a message names the member, never the value.
_SENSITIVE_REFERENCES = frozenset({"#/definitions/PhoneNumber"})
_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


@cache
def resource_schema() -> Mapping[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def type_name() -> str:
    return str(resource_schema()["typeName"])


def _resolved(node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:  # only local "#/definitions/<name>" references; none is recursive
        node = resource_schema()["definitions"][str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def node(*path: str) -> Mapping[str, Any]:
    """The schema node of a property: node("IdentityInfo", "Mobile"); "items" steps into an
    array's items: node("Tags", "items", "Key")."""
    current: Mapping[str, Any] = resource_schema()
    for step in path:
        current = _resolved(current)
        current = current["items"] if step == "items" else current["properties"][step]
    return _resolved(current)


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _write_only() -> frozenset[str]:
    return frozenset(p.rsplit("/", 1)[-1] for p in resource_schema()["writeOnlyProperties"])


def rule_words(schema_node: Mapping[str, Any]) -> str | None:
    _, marker, words = str(schema_node.get("description", "")).rpartition(WORDS_MARKER)
    return words.removesuffix(".") if marker else None


def _unresolved(value: Any) -> bool:
    return not isinstance(value, bool) and Token.is_unresolved(value)


def _type_ok(expected: str, value: Any) -> bool:
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected in ("integer", "number") and not isinstance(value, int | float):
        return False
    if expected == "integer":
        return not isinstance(value, bool) and float(value).is_integer()
    if expected == "array":
        return isinstance(value, list | tuple)
    if expected == "object":
        return isinstance(value, Mapping)
    return not isinstance(value, bool)  # "number"


def _broken_keyword(schema_node: Mapping[str, Any], value: Any) -> str | None:
    """The first of the node's value constraints a literal value breaks."""
    if "enum" in schema_node and value not in schema_node["enum"]:
        return "enum"
    if isinstance(value, str):
        if len(value) < schema_node.get("minLength", 0):
            return "minLength"
        if "maxLength" in schema_node and len(value) > schema_node["maxLength"]:
            return "maxLength"
        if "pattern" in schema_node and not _pattern(schema_node["pattern"]).search(value):
            return "pattern"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema_node and value < schema_node["minimum"]:
            return "minimum"
        if "maximum" in schema_node and value > schema_node["maximum"]:
            return "maximum"
    elif isinstance(value, list | tuple):
        if len(value) < schema_node.get("minItems", 0):
            return "minItems"
        if "maxItems" in schema_node and len(value) > schema_node["maxItems"]:
            return "maxItems"
        literals = [json.dumps(item, sort_keys=True) for item in value if not _unresolved(item)]
        if schema_node.get("uniqueItems") and len(set(literals)) != len(literals):
            return "uniqueItems"
    return None


def _violations(
    schema_node: Mapping[str, Any], value: Any, name: str, secret: bool
) -> Iterator[str]:
    if _unresolved(value):
        return
    shown = name if secret else f"{name} {value!r}"
    expected = schema_node.get("type")
    if isinstance(expected, str) and not _type_ok(expected, value):
        yield f"{shown} must be {_TYPE_WORDS.get(expected, expected)}"
        return
    keyword = _broken_keyword(schema_node, value)
    if keyword is not None:
        words = rule_words(schema_node)
        # Only for a constraint added without words: never show a regex.
        rule = f"must be {words}" if words else f"breaks the schema's {keyword} rule"
        yield f"{shown} {rule}"
    if isinstance(value, list | tuple) and "items" in schema_node:
        for index, item in enumerate(value):
            yield from _violations(
                _resolved(schema_node["items"]), item, f"{name}[{index}]", secret
            )
    if isinstance(value, Mapping):
        members = schema_node.get("properties", {})
        for key, member in value.items():
            if key in members:
                hidden = secret or members[key].get("$ref") in _SENSITIVE_REFERENCES
                yield from _violations(_resolved(members[key]), member, f"{name}.{key}", hidden)


def violations(properties: Mapping[str, Any]) -> list[str]:
    """Every way the literal values among the properties break the schema, in property order.
    A write-only property's value (the Password) and a phone number are never repeated."""
    members = resource_schema()["properties"]
    found: list[str] = []
    for key, value in properties.items():
        if key in members:
            found += _violations(_resolved(members[key]), value, key, key in _write_only())
    return found


def value_violations(name: str, path: Sequence[str], value: Any) -> list[str]:
    """The violations of one value at a schema path (a tag's Key or Value as it is added)."""
    return list(_violations(node(*path), value, name, path[0] in _write_only()))

"""The resource schema and jsonschema validation of incoming models.

The schema shipped here is a copy of the root aws-connect-user.json (a test keeps them
identical). Validators are built once per container, not per request. Messages say each rule
in the words the schema keeps next to it (a description's "Allowed: ..." sentence), name the
property and never repeat a value (it may be the Password).
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "resource-schema.json"
# CloudFormation's string form of an integer, ASCII digits only (str.isdigit() takes "²").
# Long enough for any integer the schema allows; longer digit strings stay strings for
# validation to reject (Python refuses to convert more than 4,300 digits).
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?[0-9]{1,18}\.[0-9]{1,18}")
# Keywords of the CloudFormation resource meta-schema that are not JSON Schema.
_CFN_KEYWORDS = ("insertionOrder", "relationshipRef", "arrayType")


@cache
def resource_schema() -> Mapping[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def type_name() -> str:
    return str(resource_schema()["typeName"])


@cache
def handler_timeout_minutes(action: str) -> int:
    """How long CloudFormation waits for a handler across all its callbacks (its own default
    is 120 minutes when the schema sets none)."""
    handler = resource_schema()["handlers"].get(action.lower(), {})
    return int(handler.get("timeoutInMinutes", 120))


def write_only_properties() -> frozenset[str]:
    return frozenset(p.rsplit("/", 1)[-1] for p in resource_schema()["writeOnlyProperties"])


def _strip_cfn_keywords(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_cfn_keywords(v) for k, v in node.items() if k not in _CFN_KEYWORDS}
    if isinstance(node, list):
        return [_strip_cfn_keywords(v) for v in node]
    return node


def _inline_refs(node: Any, definitions: Mapping[str, Any]) -> Any:
    """Replace each local $ref by the definition it names. Draft 7 ignores a $ref's
    siblings, so this validates exactly the same; it saves jsonschema's reference
    resolution on every request (~1/3 of validation time). No definition is recursive."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return _inline_refs(definitions[ref.rsplit("/", 1)[-1]], definitions)
        return {k: _inline_refs(v, definitions) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, definitions) for v in node]
    return node


@cache
def _model_schema(partial: bool) -> Mapping[str, Any]:
    schema = _strip_cfn_keywords(copy.deepcopy(dict(resource_schema())))
    # Keep only what describes a model; handler and tagging metadata are not JSON Schema.
    definitions = schema["definitions"]
    model_schema = {
        "properties": _inline_refs(schema["properties"], definitions),
        "required": schema["required"],
        "additionalProperties": schema["additionalProperties"],
    }
    if partial:
        # Read, delete and list get partial models: check what is there, require nothing.
        model_schema.pop("required")
    return model_schema


@cache
def _validator(partial: bool) -> Draft7Validator:
    return Draft7Validator(_model_schema(partial))


@dataclass(frozen=True)
class Violation:
    """A broken rule: the property's path ("PhoneConfig/DeskPhoneNumber"), the rule in words."""

    property: str
    rule: str

    def __str__(self) -> str:
        return f"{self.property}: {self.rule}"


@dataclass(frozen=True)
class Checked:
    """A model checked against the schema: its violations, and the model without the members
    that broke the schema (safe to build a ResourceModel from, so the handler's rules can judge
    the rest of the request in the same message)."""

    data: dict[str, Any]
    violations: list[Violation]


# Keywords whose failure the node's words explain. Every schema node using one of them ends its
# description with "Allowed: <the rule in words>." (tests keep the words in step).
WORDS_MARKER = "Allowed: "
WORDED_KEYWORDS = (
    "pattern",
    "minLength",
    "maxLength",
    "enum",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
)
_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object with properties",
}
_VALUE_KINDS: dict[type, str] = {
    type(None): "null",
    bool: "true or false",
    str: "a string",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
}
_SHOWN_KEY = 64  # an unknown key is shown, a value never; a key's first 64 characters at most


def rule_words(node: Mapping[str, Any]) -> str | None:
    """The node's rule in words: its description's closing "Allowed: ..." sentence."""
    _, marker, words = str(node.get("description", "")).rpartition(WORDS_MARKER)
    return words.removesuffix(".") if marker else None


def read_only_properties() -> frozenset[str]:
    return frozenset(p.rsplit("/", 1)[-1] for p in resource_schema()["readOnlyProperties"])


def _shown_key(key: str) -> str:
    shown = key if key.isprintable() else repr(key)[1:-1]
    return shown if len(shown) <= _SHOWN_KEY else shown[:_SHOWN_KEY] + "…"


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The property meant by a misspelt name: same letters in another case first, then the
    closest by difflib (case-insensitive)."""
    by_lower = {k.lower(): k for k in known}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1)
    return by_lower[close[0]] if close else None


def _joined(path: Sequence[str | int]) -> str:
    return "/".join(str(p) for p in path)


def _owner(path: Sequence[str | int]) -> str:
    """What an object at path is called in a message."""
    if not path:
        return type_name()
    if isinstance(path[-1], int):
        return f"an item of {_joined(path[:-1])}"
    return _joined(path)


def _value_rule(error: ValidationError) -> str:
    words = rule_words(error.schema)
    if words is not None:
        return f"must be {words}"
    # Only for a constraint added without words (a test fails then): never show a regex.
    return f"breaks the schema's {error.validator} rule"


def _type_rule(error: ValidationError) -> str:
    expected = error.validator_value
    wanted = " or ".join(
        _TYPE_WORDS.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
    )
    given = _VALUE_KINDS.get(type(error.instance), "another kind of value")
    if isinstance(error.instance, float) and "integer" in (
        [expected] if isinstance(expected, str) else expected
    ):
        given = "a fraction"  # a number all the same: never "not a number"
    return f"must be {wanted}, not {given}"


def _from_errors(errors: Iterable[ValidationError]) -> list[Violation]:
    """Violations of jsonschema errors. A misspelt property is reported once, with the name
    meant, instead of as an unknown property and a missing required one."""
    missing: list[tuple[str | int, ...]] = []
    found: list[tuple[tuple[str | int, ...], str, str | None]] = []  # path, rule, name meant
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "required":
            name = error.message.split("'")[1] if "'" in error.message else "a property"
            missing.append((*path, name))
        elif error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            absent = [name for name in known if name not in error.instance]
            for key in sorted(set(error.instance) - set(known)):
                meant = nearest(key, absent)  # a property already given is not the one meant
                rule = f"is not a property of {_owner(path)}"
                found.append(((*path, _shown_key(key)), rule, meant))
        elif error.validator == "type":
            found.append((path, _type_rule(error), None))
        else:
            found.append((path, _value_rule(error), None))
    meant_missing = {(*path[:-1], meant) for path, _, meant in found if meant}
    violations = [
        Violation(_joined(path), rule + (f" (did you mean {meant}?)" if meant else ""))
        for path, rule, meant in found
    ]
    violations += [Violation(_joined(p), "is required") for p in missing if p not in meant_missing]
    return ordered(violations)


def _prune(data: dict[str, Any], errors: Iterable[ValidationError]) -> dict[str, Any]:
    """The model without each member that broke the schema: the outermost object member on the
    error's path that is not inside a list (a bad tag key drops Tags), and unknown keys. A
    missing required member drops nothing, unless it is missing from a list's item (Tags:
    [{}]): an item the model cannot hold drops its list."""
    pruned = copy.deepcopy(data)
    for error in errors:
        in_list = any(isinstance(part, int) for part in error.absolute_path)
        if error.validator == "required" and not in_list:
            continue
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            path.append(None)  # the unknown keys of the object at path
        node: Any = pruned
        for i, part in enumerate(path):
            if not isinstance(node, dict):
                break
            if part is None:
                for key in set(node) - set(error.schema.get("properties", {})):
                    del node[key]
                break
            inner = node.get(part)
            if i == len(path) - 1 or not isinstance(inner, dict):
                node.pop(part, None)
                break
            node = inner
    return pruned


def check(model: Mapping[str, Any], *, partial: bool) -> Checked:
    """Every schema violation of a model, in the schema's property order, and the model
    without the members that broke it."""
    errors = list(_validator(partial).iter_errors(model))
    data = dict(model)
    if not errors:
        return Checked(data, [])
    return Checked(_prune(data, errors), _from_errors(errors))


def violations_of(errors: Iterable[ValidationError], *, partial: bool) -> list[Violation]:
    """The violations jsonschema errors make (check() gets its errors from the cached validator)."""
    return _from_errors(errors)  # partial: the validator's kind, kept for its callers


def validation_errors(model: Mapping[str, Any], *, partial: bool) -> list[str]:
    """Every schema violation of a model, as 'Property/path: what is wrong' lines."""
    return [str(v) for v in check(model, partial=partial).violations]


def _position(name: str, properties: Sequence[str]) -> tuple[int, int, str]:
    if name in properties:
        return (properties.index(name), 0, "")
    meant = nearest(name, properties)  # a misspelt name sorts next to the one meant
    return (properties.index(meant) if meant else len(properties), 1, name)


def order_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Where a property path comes in the schema: its properties' order, then list positions."""
    node: Mapping[str, Any] = _model_schema(partial=False)
    key = []
    for part in path.split("/"):
        if part.isdigit() and node.get("type") == "array":
            key.append((int(part), 0, ""))
            node = node.get("items", {})
            continue
        properties = node.get("properties", {})
        key.append(_position(part, list(properties)))
        node = properties.get(part, {})
    return tuple(key)


def ordered(violations: Iterable[Violation]) -> list[Violation]:
    """Violations without repeats, in the schema's property order (rules in their own order)."""
    return sorted(dict.fromkeys(violations), key=lambda v: order_key(v.property))


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        resolved: Mapping[str, Any] = resource_schema()["definitions"][ref.rsplit("/", 1)[-1]]
        return resolved
    return node


def _coerce(value: Any, node: Mapping[str, Any]) -> Any:
    node = _resolve(node)
    kind = node.get("type")
    if isinstance(value, str):
        if kind == "boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if kind in ("integer", "number") and _INTEGER.fullmatch(value):
            return int(value)
        if kind in ("integer", "number") and _DECIMAL.fullmatch(value):
            number = float(value)  # a number's "2.5" and "3.0" are kept as written
            return int(number) if kind == "integer" and number.is_integer() else number
        return value
    if isinstance(value, float) and kind == "integer" and value.is_integer():
        return int(value)  # 30.0 is the whole number 30: Connect's API takes an integer
    if isinstance(value, dict) and kind == "object":
        props = node.get("properties", {})
        return {k: _coerce(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(value, list) and kind == "array":
        return [_coerce(v, node.get("items", {})) for v in value]
    return value


def coerce_scalars(model: Mapping[str, Any]) -> dict[str, Any]:
    """CloudFormation sends every scalar as a string ("false", "30"): give them their schema types.

    Only exact string forms of booleans and numbers are converted ("3" to 3, "2.5" to 2.5,
    "3.0" to 3.0 for a number and 3 for a whole number); anything else is left for validation
    to reject, so what is validated is what the handler will use.
    """
    props = resource_schema()["properties"]
    return {k: _coerce(v, props[k]) if k in props else v for k, v in model.items()}

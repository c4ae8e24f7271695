"""The resource schema and jsonschema validation of incoming models.

The schema shipped here is a copy of the root aws-connect-user.json (a test keeps them
identical). Validators are built once per container, not per request.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
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
def _validator(partial: bool) -> Draft7Validator:
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
    return Draft7Validator(model_schema)


def _path(error: ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    return "/".join(parts) if parts else "(model)"


def _describe(error: ValidationError) -> str:
    """Say what is wrong without echoing the offending value (it may be the Password)."""
    keyword = error.validator
    expected = error.validator_value
    match keyword:
        case "required":
            missing = error.message.split("'")[1] if "'" in error.message else "a property"
            return f"required property {missing} is missing"
        case "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            return "unknown propert" + ("y " if len(extra) == 1 else "ies ") + ", ".join(extra)
        case "type":
            shown = "null" if error.instance is None else type(error.instance).__name__
            return f"must be of type {expected}, not {shown}"
        case "pattern":
            return f"does not match the pattern {expected}"
        case "enum":
            return "must be one of " + ", ".join(str(v) for v in expected)
        case "minLength" | "maxLength":
            bound = "at least" if keyword == "minLength" else "at most"
            return f"must be {bound} {expected} characters long"
        case "minItems" | "maxItems":
            bound = "at least" if keyword == "minItems" else "at most"
            return f"must have {bound} {expected} items"
        case "minimum" | "maximum":
            bound = "at least" if keyword == "minimum" else "at most"
            return f"must be {bound} {expected}"
        case "uniqueItems":
            return "must not contain duplicate items"
        case _:
            return f"fails the schema's {keyword} rule"


def validation_errors(model: Mapping[str, Any], *, partial: bool) -> list[str]:
    """Every schema violation of a model, as 'Property/path: what is wrong' lines."""
    errors = sorted(_validator(partial).iter_errors(model), key=lambda e: list(e.absolute_path))
    return [f"{_path(e)}: {_describe(e)}" for e in errors]


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
        if kind == "integer" and _INTEGER.fullmatch(value):
            return int(value)
        return value
    if isinstance(value, dict) and kind == "object":
        props = node.get("properties", {})
        return {k: _coerce(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(value, list) and kind == "array":
        return [_coerce(v, node.get("items", {})) for v in value]
    return value


def coerce_scalars(model: Mapping[str, Any]) -> dict[str, Any]:
    """CloudFormation sends every scalar as a string ("false", "30"): give them their schema types.

    Only exact string forms of booleans and integers are converted; anything else is left
    for validation to reject, so what is validated is what the handler will use.
    """
    props = resource_schema()["properties"]
    return {k: _coerce(v, props[k]) if k in props else v for k, v in model.items()}

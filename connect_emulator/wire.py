"""Connect's REST-JSON wire format: request parsing and response encoding, from the model."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel, Shape

from .errors import ServiceError, invalid_request, validation_error_for

JSON_CONTENT_TYPE = "application/json"


def _scalar(operation: str, shape: Shape, raw: str, where: str) -> Any:
    """A URI/querystring/header text converted to the member's modelled type."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        try:
            return int(raw)
        except ValueError:
            raise validation_error_for(operation, f"{where} must be an integer") from None
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise validation_error_for(operation, f"{where} must be true or false")
        return raw == "true"
    return raw


def _body(operation: str, body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise invalid_request("The request body is not valid JSON.") from None
    if not isinstance(document, dict):
        raise invalid_request(f"The {operation} request body must be a JSON object.")
    return document


def parse_request(
    operation: OperationModel,
    labels: Mapping[str, str],
    query: Mapping[str, list[str]],
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """The operation's input parameters, keyed by member name as boto3 takes them."""
    shape = operation.input_shape
    document = _body(operation.name, body)
    if shape is None:
        return {}
    params: dict[str, Any] = {}
    claimed_query = {
        member.serialization.get("name", name)
        for name, member in shape.members.items()
        if member.serialization.get("location") == "querystring" and member.type_name != "map"
    }
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "uri":
            if wire_name in labels:
                params[name] = _scalar(operation.name, member, labels[wire_name], wire_name)
        elif location == "querystring":
            if member.type_name == "list":
                if wire_name in query:
                    params[name] = [
                        _scalar(operation.name, member.member, value, wire_name)
                        for value in query[wire_name]
                    ]
            elif member.type_name == "map":
                extra = {
                    key: values[0] for key, values in query.items() if key not in claimed_query
                }
                if extra:
                    params[name] = extra
            elif wire_name in query:
                params[name] = _scalar(operation.name, member, query[wire_name][0], wire_name)
        elif location == "header":
            value = headers.get(wire_name)
            if value is not None:
                params[name] = _scalar(operation.name, member, value, wire_name)
        elif location is None and wire_name in document:
            params[name] = document[wire_name]
    return params


def encode_body(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def error_body(error: ServiceError) -> bytes:
    return encode_body({"Message": error.message})

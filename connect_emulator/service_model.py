"""Connect's botocore service model, and the HTTP routes derived from its bindings."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote

import botocore.session
from botocore.model import OperationModel, ServiceModel

_LABEL = re.compile(r"\{([^}+]+)(\+?)\}")


@functools.cache
def connect_model() -> ServiceModel:
    """The very model a stock boto3 client uses, so both sides agree on the wire format."""
    return botocore.session.get_session().get_service_model("connect")


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]
    literal_length: int  # more literal characters = more specific route

    def match(self, method: str, raw_path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        found = self.pattern.fullmatch(raw_path)
        if found is None:
            return None
        return {
            name: unquote(value) for name, value in zip(self.labels, found.groups(), strict=True)
        }


def _compile(operation: OperationModel) -> Route:
    uri = operation.http["requestUri"].split("?", 1)[0]
    labels: list[str] = []
    parts: list[str] = []
    position = 0
    for found in _LABEL.finditer(uri):
        parts.append(re.escape(uri[position : found.start()]))
        labels.append(found.group(1))
        # A greedy label may span '/', a plain one is a single (percent-encoded) segment.
        parts.append("(.+)" if found.group(2) else "([^/]+)")
        position = found.end()
    parts.append(re.escape(uri[position:]))
    literal = len(_LABEL.sub("", uri))
    return Route(
        operation=operation.name,
        method=operation.http["method"],
        pattern=re.compile("".join(parts)),
        labels=tuple(labels),
        literal_length=literal,
    )


@functools.cache
def routes() -> tuple[Route, ...]:
    model = connect_model()
    compiled = [_compile(model.operation_model(name)) for name in model.operation_names]
    return tuple(sorted(compiled, key=lambda route: -route.literal_length))


def resolve(method: str, raw_path: str) -> tuple[str, dict[str, str]] | None:
    """The operation (and its URI labels) that a request line addresses, if any."""
    path = raw_path.rstrip("/") or "/"
    for route in routes():
        labels = route.match(method, path)
        if labels is not None:
            return route.operation, labels
    return None

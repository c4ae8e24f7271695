"""The handler's own rules, run over a template's properties before anything is deployed.

One definition for three users: the handler refuses a request with rules.model_rules before
any Connect call; cfn-lint's custom rules (lint_rules/) and the CDK
construct (cdk_connect_user) run exactly those functions here, over a template's properties
instead of a request's model. A rule changed in rules.py or channel_rules.py changes all three.

Light on purpose: the standard library and jsonschema (which cfn-lint already needs), never the
CloudFormation library or boto3, so a user's cfn-lint CI can import it from a clone.

A value only CloudFormation knows (a Ref, Fn::GetAtt, a parameter, a CDK token) is a string of
its own that no rule faults by itself and that equals no other value; an InstanceId only
CloudFormation knows leaves the rule relating ARNs to their instance undecided.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from . import rules, schema
from .schema import Violation

if TYPE_CHECKING:
    from .models import ResourceModel

INSTANCE = "InstanceId"


class Properties(Mapping[str, Any]):
    """A template's properties read the way the rules read a model: one attribute per property,
    None when absent, nested objects alike, lists of objects as lists of Properties."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return _view(self._data.get(name))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _view(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Properties(value)
    if isinstance(value, list | tuple):
        return [_view(item) for item in value]
    return value


def _as_model(properties: Mapping[str, Any]) -> ResourceModel:
    # The rules read attributes only; Properties answers them as ResourceModel would.
    return cast("ResourceModel", Properties(properties))


def violations(
    properties: Mapping[str, Any],
    unresolved: Callable[[Any], bool] = lambda _: False,
    schema_faulted: Iterable[str] = (),
) -> list[Violation]:
    """What the handler would refuse in these properties without asking Connect: every rule
    that holds whatever the instance's identity type, in the schema's property order. As in
    the handler's one message, a rule about a property the schema already faults (named in
    schema_faulted) is an echo of that fault and left out."""
    faulted = set(schema_faulted)
    known = {k: v for k, v in properties.items() if k not in faulted}
    if INSTANCE in known and unresolved(known[INSTANCE]):
        del known[INSTANCE]
    model = _as_model(known)
    found = rules.model_rules(model)
    return schema.ordered(v for v in found if v.property.split("/", 1)[0] not in faulted)


def tag_violations(key: str, value: str) -> list[Violation]:
    """The tag rules for one tag added on its own (the CDK construct's add_tag)."""
    return rules.tag_rules(_as_model({"Tags": [{"Key": key, "Value": value}]}))


# --- CloudFormation templates: what only CloudFormation can resolve -------------------------


class Unresolved(str):
    """A value CloudFormation resolves at deploy time, as a string of its own."""


_COUNTER = itertools.count(1)


def is_intrinsic(value: Any) -> bool:
    """A CloudFormation intrinsic function or Ref: {"Ref": ...}, {"Fn::...": ...}."""
    if not isinstance(value, Mapping) or len(value) != 1:
        return False
    [key] = value
    return key == "Ref" or str(key).startswith("Fn::")


def _node(node: Mapping[str, Any]) -> Mapping[str, Any]:
    definitions = schema.resource_schema().get("definitions", {})
    while "$ref" in node:
        node = definitions[str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def _settled(value: Any, node: Mapping[str, Any]) -> Any:
    node = _node(node)
    if is_intrinsic(value):
        kind = node.get("type")
        if kind == "array":
            return []  # an unknown list: nothing in it to check
        if kind == "object":
            return {}
        return Unresolved(f"<unresolved {next(_COUNTER)}>")
    if isinstance(value, Mapping):
        members = node.get("properties", {})
        return {k: _settled(v, members.get(k, {})) for k, v in value.items()}
    if isinstance(value, list):
        return [_settled(item, node.get("items", {})) for item in value]
    return value


def from_template(properties: Mapping[str, Any]) -> dict[str, Any]:
    """A resource's properties as a template writes them (conditions already played out), with
    each intrinsic function replaced by what the rules can know of it."""
    settled: dict[str, Any] = _settled(properties, schema.resource_schema())
    return settled


def template_violations(properties: Mapping[str, Any]) -> list[Violation]:
    """violations() for a resource's properties in a CloudFormation template."""
    return violations(from_template(properties), lambda v: isinstance(v, Unresolved))

"""The example templates, and how to turn their Connect user resources into the
resource properties CloudFormation would send the handler for a stack on the emulator.

The templates are the single source of truth: nothing here restates a property. Each example
gets the parameter values a contact-centre team would pass on the command line, pointing at the
emulator's seeded instance, profiles and groups; resources of AWS's own Connect types
(security/routing profiles, hierarchy groups) are stood in for by seeded objects of the same
kind, as if the stack had created them. Dynamic references are resolved the way CloudFormation
does before it calls a handler, to the tests' sentinel password (as is a NoEcho password
parameter), so a secrets check needs to look for one value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

from connect_emulator.seed import CONNECT_MANAGED, SAML, SeedInstance
from registry_package.naming import PLACEHOLDER

from ..testdata import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "examples" / "templates"
SCHEMA_FILE = ROOT / "aws-connect-user.json"
TYPE_NAME = PLACEHOLDER  # the examples' private name (make package renders them under yours)

_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure|ssm):[^}]+\}\}")


@dataclass(frozen=True)
class Example:
    template: str
    instance: SeedInstance
    parameters: Mapping[str, Any]
    # logical ID of a resource of another type -> the seeded ARN standing in for it
    stand_ins: Mapping[str, str] = field(default_factory=dict)
    stack_tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return TEMPLATES / self.template

    def load(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(json.dumps(cfn_yaml.load(str(self.path))))
        return loaded

    def users(self) -> dict[str, dict[str, Any]]:
        """Logical ID -> resolved properties of every AWS::Connect::User in the template."""
        template = self.load()
        return {
            logical_id: self.resolve(resource.get("Properties", {}), template)
            for logical_id, resource in template["Resources"].items()
            if resource["Type"] == TYPE_NAME
        }

    def resolve(self, node: Any, template: Mapping[str, Any]) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Ref"}:
                return self._ref(node["Ref"], template)
            if set(node) == {"Fn::GetAtt"}:
                logical_id, attribute = node["Fn::GetAtt"]
                assert attribute.endswith("Arn"), f"unexpected attribute {attribute}"
                return self.stand_ins[logical_id]
            assert not any(k.startswith("Fn::") for k in node), f"unhandled intrinsic {node}"
            return {k: self.resolve(v, template) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, template) for v in node]
        if isinstance(node, str) and _DYNAMIC_REFERENCE.fullmatch(node):
            return PASSWORD
        return node

    def _ref(self, name: str, template: Mapping[str, Any]) -> Any:
        if name in template.get("Parameters", {}):
            declared = template["Parameters"][name]
            value = self.parameters.get(name, declared.get("Default"))
            assert value is not None, f"{self.template}: no value for parameter {name}"
            if declared["Type"] == "CommaDelimitedList" and isinstance(value, str):
                return value.split(",")
            if declared["Type"] == "Number":
                return int(value)
            return value
        return self.stand_ins[name]  # Ref of an AWS::Connect profile or group is its ARN


MI = CONNECT_MANAGED

EXAMPLES = (
    Example(
        "single-agent.yaml",
        MI,
        {
            "InstanceId": MI.id,
            "AgentPassword": PASSWORD,
            "AgentSecurityProfileId": MI.child_id("security", 1),
            "BasicRoutingProfileId": MI.child_id("routing", 1),
        },
    ),
    Example(
        "team.yaml",
        MI,
        {
            "InstanceArn": MI.arn,
            "OutboundQueueArn": f"{MI.arn}/queue/eeeeeeee-0001-4000-8000-000000000001",
            "AdminSecurityProfileArn": MI.child_arn("security", 2),
            "InitialPassword": PASSWORD,
        },
        stand_ins={
            "AgentProfile": MI.child_arn("security", 1),
            "TeamRouting": MI.child_arn("routing", 3),
            "TeamGroup": MI.child_arn("hierarchy", 1),
        },
        stack_tags={"cost-centre": "contact-centre", "role": "stack-default"},
    ),
    Example(
        "saml-agent.yaml",
        SAML,
        {
            "InstanceId": SAML.arn,
            "SecurityProfileIds": f"{SAML.child_id('security', 1)},{SAML.child_arn('security', 4)}",
            "RoutingProfileId": SAML.child_id("routing", 2),
            "HierarchyGroupId": SAML.child_arn("hierarchy", 2),
        },
    ),
    Example(
        "skills-routing.yaml",
        MI,
        {
            "InstanceId": MI.arn,
            "AgentPassword": PASSWORD,
            "AgentSecurityProfileId": MI.child_id("security", 1),
            "RoutingProfileId": MI.child_id("routing", 3),
        },
    ),
    Example(
        "secrets-manager-password.yaml",
        MI,
        {
            "InstanceId": MI.id,
            "SecurityProfileId": MI.child_id("security", 3),
            "RoutingProfileId": MI.child_id("routing", 1),
        },
    ),
    Example(
        "blended-agent.yaml",
        MI,
        {
            "InstanceId": MI.arn,
            "AgentPassword": PASSWORD,
            "SecurityProfileId": MI.child_id("security", 1),
            "BlendedRoutingProfileId": MI.child_id("routing", 3),
        },
    ),
)


def example_ids() -> list[str]:
    return [e.template.removesuffix(".yaml") for e in EXAMPLES]


def resource_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema

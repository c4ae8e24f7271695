"""cfn-lint custom rules: what the Connect user type's handler would refuse, found before a
deployment.

    cfn-lint --append-rules lint_rules/ my-stack.yaml          # from a clone of this repository
    make lint-templates FILES=my-stack.yaml                     # the same, plus the type's schema

E9101 runs the handler's own rules (aws_connect_user.checks: a desk phone without a number, the
per-channel conflicts and duplicates, VOICE-only settings, repeated proficiencies, tag and
username rules, ...) on every resource of a private `<Organization>::Connect::User` type, each
finding naming the resource and the property and saying the rule in the handler's words. One
type only: --configure-rule E9101:type_name=Acme-Connect-User (cfn-lint splits a rule setting at
each colon, so the name is written with hyphens, as in the type's ARN).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

try:
    from aws_connect_user import checks
except ImportError:  # a clone without the package installed: the rules live in src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from aws_connect_user import checks

# Any private Connect user type; AWS::Connect::User is AWS's public type, with other rules.
PRIVATE_CONNECT_USER = re.compile(r"^(?!AWS::)[A-Za-z0-9]{2,64}::Connect::User$")


def _located(template: Any, path: list[str | int]) -> list[str | int]:
    """The deepest part of path the template has (a missing member is reported at its owner)."""
    node, found = template, []
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        found.append(step)
    return found


class ConnectUserHandlerRules(CloudFormationLintRule):
    id = "E9101"
    shortdesc = "Connect user: the handler's rules"
    description = (
        "Properties the Connect user type's handler refuses before any Amazon Connect call "
        "(the same rule functions the handler runs)"
    )
    source_url = "https://github.com/aws-cloudformation/cloudformation-cli"
    tags = ("resources", "connect", "custom")

    def __init__(self) -> None:
        super().__init__()
        self.config_definition = {"type_name": {"default": "", "type": "string"}}
        self.configure()

    def _checked(self, resource_type: Any) -> bool:
        wanted = str(self.config.get("type_name") or "").replace("-", "::")
        if wanted:
            return bool(resource_type == wanted)
        return isinstance(resource_type, str) and bool(PRIVATE_CONNECT_USER.match(resource_type))

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches: list[RuleMatch] = []
        for logical_id, resource in cfn.get_resources().items():
            properties = resource.get("Properties") if isinstance(resource, dict) else None
            if not self._checked(resource.get("Type")) or not isinstance(properties, dict):
                continue
            seen: set[str] = set()
            for scenario in cfn.get_object_without_conditions(properties):
                for violation in checks.template_violations(scenario["Object"]):
                    message = f"{logical_id}: {violation}"
                    if message in seen:
                        continue
                    seen.add(message)
                    steps = [int(s) if s.isdigit() else s for s in violation.property.split("/")]
                    path = ["Resources", logical_id, "Properties", *steps]
                    matches.append(RuleMatch(_located(cfn.template, path), message))
        return matches

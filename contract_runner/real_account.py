"""Reuse the contract inputs against a real account: `python -m contract_runner.real_account`.

inputs/ names the emulator's seeded instances and children. cfn test can resolve `{{Name}}`
placeholders in input files from the account's CloudFormation exports, so this writes:
- <out>/inputs/: the same inputs with every seeded ID and ARN replaced by a `{{ConnectUserCt-…}}`
  placeholder (and nothing else changed);
- <out>/setup-stack.yaml: a stack that exports those names, from parameters naming your own
  instances, security profiles, routing profiles and hierarchy groups; exports the contract
  tests' Password (`{{ConnectUserCt-Password}}`, what the registry package's inputs carry);
  and, unless told the instance has them already, creates the predefined attributes the
  proficiency input set routes by (AWS::Connect::PredefinedAttribute on the managed instance).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from connect_emulator.seed import (
    CONNECT_MANAGED,
    HIERARCHY_GROUPS,
    INSTANCES,
    PREDEFINED_ATTRIBUTES,
    ROUTING_PROFILES,
    SECURITY_PROFILES,
    SeedInstance,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "ConnectUserCt"
LABELS = {"CONNECT_MANAGED": "Managed", "SAML": "Saml", "EXISTING_DIRECTORY": "Directory"}
CHILDREN = (
    ("security", "SecurityProfile", "security-profile", len(SECURITY_PROFILES)),
    ("routing", "RoutingProfile", "routing-profile", len(ROUTING_PROFILES)),
    ("hierarchy", "HierarchyGroup", "agent-group", len(HIERARCHY_GROUPS)),
)
ARN_BASE = "arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}:instance/"
PASSWORD_EXPORT = f"{PREFIX}-Password"
PASSWORD_PARAMETER = "ContractTestPassword"
ATTRIBUTES_PARAMETER = "CreatePredefinedAttributes"


def _exports(instance: SeedInstance) -> Iterator[tuple[str, str, str, Any]]:
    """(export name, seeded value, parameter name, CloudFormation value) for one instance."""
    label = LABELS[instance.identity_management_type]
    instance_param = f"{label}InstanceId"
    yield f"{PREFIX}-{label}-InstanceId", instance.id, instance_param, {"Ref": instance_param}
    yield (
        f"{PREFIX}-{label}-InstanceArn",
        instance.arn,
        instance_param,
        {"Fn::Sub": f"{ARN_BASE}${{{instance_param}}}"},
    )
    for kind, name, segment, count in CHILDREN:
        for index in range(1, count + 1):
            param = f"{label}{name}{index}"
            yield (
                f"{PREFIX}-{label}-{name}{index}",
                instance.child_id(kind, index),
                param,
                {"Ref": param},
            )
            yield (
                f"{PREFIX}-{label}-{name}{index}Arn",
                instance.child_arn(kind, index),
                param,
                {"Fn::Sub": f"{ARN_BASE}${{{instance_param}}}/{segment}/${{{param}}}"},
            )


def seeded_exports() -> dict[str, str]:
    """Export name -> the emulator's seeded value (what a setup stack over the seed would give)."""
    return {name: value for i in INSTANCES for name, value, _p, _v in _exports(i)}


def placeholder_inputs(document: Any) -> Any:
    """The document with every seeded ID or ARN value replaced by its placeholder."""
    by_value = {value: name for name, value in seeded_exports().items()}
    if isinstance(document, dict):
        return {key: placeholder_inputs(value) for key, value in document.items()}
    if isinstance(document, list):
        return [placeholder_inputs(item) for item in document]
    if isinstance(document, str) and document in by_value:
        return "{{" + by_value[document] + "}}"
    return document


def setup_stack() -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for instance in INSTANCES:
        for export, seeded, param, value in _exports(instance):
            parameters.setdefault(
                param, {"Type": "String", "Description": f"Plays the seeded {seeded}"}
            )
            outputs[export.replace("-", "")] = {"Value": value, "Export": {"Name": export}}
    parameters[PASSWORD_PARAMETER] = {
        "Type": "String",  # not NoEcho: the export shows it anyway
        "MinLength": 8,
        "MaxLength": 64,
        "Description": "The initial password of the users the contract tests create on the "
        "managed instance: 8-64 characters with an upper-case letter, a lower-case letter and "
        "a digit. cfn test reads it from this stack's exports, so it is visible there: use a "
        "throwaway one.",
    }
    outputs[PASSWORD_EXPORT.replace("-", "")] = {
        "Value": {"Ref": PASSWORD_PARAMETER},
        "Export": {"Name": PASSWORD_EXPORT},
    }
    parameters[ATTRIBUTES_PARAMETER] = {
        "Type": "String",
        "AllowedValues": ["true", "false"],
        "Default": "true",
        "Description": "Create the predefined attributes the proficiency input set routes by "
        f"({', '.join(PREDEFINED_ATTRIBUTES)}) on the managed instance; false if it has them.",
    }
    managed = LABELS[CONNECT_MANAGED.identity_management_type]
    resources: dict[str, Any] = {
        # A stack needs one resource; this one creates nothing.
        "Placeholder": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
    }
    for name, values in PREDEFINED_ATTRIBUTES.items():
        resources[f"{name}Attribute"] = {
            "Type": "AWS::Connect::PredefinedAttribute",
            "Condition": "CreateAttributes",
            "Properties": {
                "InstanceArn": {"Fn::Sub": f"{ARN_BASE}${{{managed}InstanceId}}"},
                "Name": name,
                "Values": {"StringList": list(values)},
            },
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Exports for AWS::Connect::User contract tests (cfn test {{...}} inputs)",
        "Parameters": parameters,
        "Conditions": {"CreateAttributes": {"Fn::Equals": [{"Ref": ATTRIBUTES_PARAMETER}, "true"]}},
        "Resources": resources,
        "Outputs": outputs,
    }


def write(out: Path) -> list[Path]:
    (out / "inputs").mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted((PROJECT_ROOT / "inputs").glob("inputs_*.json")):
        target = out / "inputs" / source.name
        document = placeholder_inputs(json.loads(source.read_text(encoding="utf-8")))
        target.write_text(json.dumps(document, indent=4) + "\n", encoding="utf-8")
        written.append(target)
    stack = out / "setup-stack.yaml"
    stack.write_text(yaml.safe_dump(setup_stack(), sort_keys=False), encoding="utf-8")
    return [*written, stack]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contract_runner.real_account")
    parser.add_argument("--out", type=Path, default=Path("build/real-account"))
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

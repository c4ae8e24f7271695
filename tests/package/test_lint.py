"""make lint-templates: templates using the type under a private name are validated against its
schema, with findings at the user's file and line; and the cfn-lint limitation it works around
is still there (the last test fails once cfn-lint validates registry schemas itself)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from registry_package.lint import (
    ROOT,
    RULES_DIR,
    ProviderSchemaManager,
    lint_templates,
    main,
    write_registry_schema,
)
from registry_package.naming import PLACEHOLDER

from ..testdata import user_model

TYPE_NAME = "Acme::Connect::User"


def template(**overrides: Any) -> str:
    """A stack with one user of the private type; the password and instance come in as
    parameters, as in a real template."""
    properties = user_model(
        InstanceId={"Ref": "InstanceArn"}, Password={"Ref": "AgentPassword"}, **overrides
    )
    document = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "InstanceArn": {"Type": "String"},
            "AgentPassword": {"Type": "String", "NoEcho": True},
        },
        "Resources": {"Agent": {"Type": TYPE_NAME, "Properties": properties}},
        "Outputs": {"UserArn": {"Value": {"Fn::GetAtt": ["Agent", "UserArn"]}}},
    }
    return yaml.safe_dump(document, sort_keys=False)


def misspelled() -> str:
    text = template()
    assert text.count("AutoAccept:") == 1
    return text.replace("AutoAccept:", "AutoAcept:")


def line_of(text: str, needle: str) -> int:
    [number] = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return number


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_misspelled_property_under_a_private_name_fails_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = misspelled()
    path = write(tmp_path, "stack.yaml", text)
    code = main(["--type-name", TYPE_NAME, str(path)])
    out = capsys.readouterr().out
    assert code != 0
    assert "E3002" in out and "'AutoAcept' was unexpected" in out
    assert f"{path}:{line_of(text, 'AutoAcept:')}:" in out


def test_missing_required_property_and_unknown_attribute_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = template(Username=None).replace("- UserArn", "- UserName")
    assert "UserName" in text
    path = write(tmp_path, "stack.yaml", text)
    assert lint_templates(TYPE_NAME, [str(path)]) != 0
    out = capsys.readouterr().out
    assert "E3003 'Username' is a required property" in out
    assert "UserName" in out  # the GetAtt of an attribute the type does not have


def test_a_correct_template_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.yaml", template())
    also = write(tmp_path, "other.yaml", template(Username="agent2"))
    assert main(["--type-name", TYPE_NAME, str(good), str(also)]) == 0
    assert capsys.readouterr().out == ""


def test_only_the_named_type_is_checked_against_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "stack.yaml", misspelled().replace(TYPE_NAME, "Other::Connect::User"))
    assert main(["--type-name", TYPE_NAME, str(path)]) != 0
    out = capsys.readouterr().out
    assert "E3006" in out and "Other::Connect::User" in out  # unknown type, not the schema's
    assert "AutoAcept" not in out


def test_cfn_lint_is_left_as_it_was(tmp_path: Path) -> None:
    before = ProviderSchemaManager.get_resource_schemas_by_regions
    lint_templates(TYPE_NAME, [str(write(tmp_path, "stack.yaml", misspelled()))])
    assert ProviderSchemaManager.get_resource_schemas_by_regions is before


def test_no_templates_lints_the_examples_under_the_chosen_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--type-name", PLACEHOLDER]) == 0
    assert capsys.readouterr().out == ""


def test_relative_paths_start_where_make_was_run(tmp_path: Path) -> None:
    """make lint-templates FILES=stack.yaml from the user's own repository (make -C <clone>)."""
    write(tmp_path, "stack.yaml", misspelled())
    run = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "lint-templates", f"TYPE_NAME={TYPE_NAME}",
         "FILES=stack.yaml"],
        cwd=tmp_path, env={**os.environ, "PWD": str(tmp_path)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode != 0
    assert f"{tmp_path / 'stack.yaml'}:{line_of(misspelled(), 'AutoAcept:')}:" in run.stdout


def test_a_handler_rule_is_found_naming_the_resource_and_property(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = template(PhoneConfig={"PhoneType": "DESK_PHONE"})
    path = write(tmp_path, "stack.yaml", text)
    assert lint_templates(TYPE_NAME, [str(path)]) != 0
    out = capsys.readouterr().out
    assert "E9101 Agent: PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE" in (
        out
    )
    assert f"{path}:{line_of(text, 'PhoneConfig:')}:" in out


def cfn_lint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), *args],
        capture_output=True, text=True, check=False, cwd=cwd,
    )  # fmt: skip


def test_the_custom_rules_run_in_plain_cfn_lint_as_in_a_users_ci(tmp_path: Path) -> None:
    """cfn-lint --append-rules <clone>/lint_rules: the handler's rules without make, for any
    private Connect user type, conditions played out and intrinsics left to CloudFormation."""
    document = yaml.safe_load(template(PhoneConfig={"PhoneType": "DESK_PHONE"}))
    document["Parameters"]["Env"] = {"Type": "String", "AllowedValues": ["prod", "test"]}
    document["Conditions"] = {"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
    document["Resources"]["Agent"]["Properties"]["Tags"] = {
        "Fn::If": ["Prod", [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}], []]
    }
    document["Resources"]["Agent"]["Properties"]["SecurityProfileIds"] = {"Ref": "Profiles"}
    document["Parameters"]["Profiles"] = {"Type": "CommaDelimitedList"}
    path = write(tmp_path, "stack.yaml", yaml.safe_dump(document))
    run = cfn_lint("--append-rules", str(RULES_DIR), "--", str(path), cwd=tmp_path)
    found = [line for line in run.stdout.splitlines() if line.startswith("E9101")]
    assert found == [
        "E9101 Agent: PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE",
        "E9101 Agent: Tags: keys must be unique: a",
    ]
    configured = cfn_lint(
        "--append-rules", str(RULES_DIR), "--configure-rule", "E9101:type_name=Other-Connect-User",
        "--", str(path), cwd=tmp_path,
    )  # fmt: skip
    assert "E9101" not in configured.stdout  # one type only, when told which


def test_the_shared_rules_import_neither_boto3_nor_the_cloudformation_library() -> None:
    """What lets cfn-lint's environment and the CDK construct import them."""
    code = (
        "import sys; import aws_connect_user.checks; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'boto3', 'botocore', 'cloudformation_cli_python_lib'}))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_cfn_lint_alone_still_validates_nothing_under_a_private_name(tmp_path: Path) -> None:
    """The limitation registry_package.lint works around (cfn-lint 1.58): with the schema as a
    registry schema, plain cfn-lint passes the misspelled template. When this test fails,
    cfn-lint validates registry schemas itself: drop lint.registry_schemas_validated and make
    lint-templates plain `cfn-lint --registry-schemas`."""
    schemas = tmp_path / "schemas"
    write_registry_schema(TYPE_NAME, schemas)
    path = write(tmp_path, "stack.yaml", misspelled())
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "cfn-lint"),
            "--registry-schemas",
            str(schemas),
            "--",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout) == (0, ""), (
        "cfn-lint now finds the misspelling under a private name by itself: "
        "the registry_package.lint workaround can go"
    )

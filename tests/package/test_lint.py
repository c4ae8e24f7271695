"""make lint-templates: templates using the type under a private name are validated against its
schema, with findings at the user's file and line; and the cfn-lint limitation it works around
is still there (the last test fails once cfn-lint validates registry schemas itself)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from registry_package.lint import (
    ProviderSchemaManager,
    lint_templates,
    main,
    write_registry_schema,
)

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


def test_no_templates_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--type-name", TYPE_NAME])
    assert exit_.value.code == 2
    assert "FILES=" in capsys.readouterr().err


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

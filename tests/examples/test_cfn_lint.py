"""cfn-lint checks templates against THIS type's schema (not its built-in AWS::Connect::User).

cfn-lint 1.x takes `--registry-schemas DIR...`: every *.json under each directory (recursively)
is a registry schema, keyed by its typeName, and overrides the built-in spec of that type. We give
it a directory holding only aws-connect-user.json, exactly as a template author would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from .catalogue import EXAMPLES, ROOT, SCHEMA_FILE, example_ids

CFN_LINT = Path(sys.executable).with_name("cfn-lint")
BROKEN = Path(__file__).with_name("broken")

# Broken template -> every (rule, message fragment) cfn-lint must report for it, and nothing else.
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "builtin-property-names.yaml": {
        ("E3003", "'InstanceId' is a required property"),
        ("E3003", "'SecurityProfileIds' is a required property"),
        ("E3003", "'RoutingProfileId' is a required property"),
        ("E3002", "'InstanceArn' was unexpected"),
        ("E3002", "'SecurityProfileArns' was unexpected. Did you mean 'SecurityProfileIds'?"),
        ("E3002", "'RoutingProfileArn' was unexpected. Did you mean 'RoutingProfileId'?"),
    },
    "misspelt-property.yaml": {
        ("E3002", "'HierarchyGroupArn' was unexpected. Did you mean 'HierarchyGroupId'?"),
    },
    "missing-routing-profile.yaml": {("E3003", "'RoutingProfileId' is a required property")},
    "bad-phone-type.yaml": {
        ("E3030", "'MOBILE_PHONE' is not one of ['SOFT_PHONE', 'DESK_PHONE']"),
    },
    "acw-too-long.yaml": {("E3034", "2000001 is greater than the maximum of 2000000")},
    "auto-accept-not-boolean.yaml": {("E3012", "'sometimes' is not of type 'boolean'")},
    "desk-phone-not-e164.yaml": {("E3031", "'(206) 555-0100' does not match")},
    "hierarchy-group-wrong-arn.yaml": {("E3031", "/agent-group/")},
    "too-many-security-profiles.yaml": {("E3032", "expected maximum item count: 10, found: 11")},
    "reserved-tag-key.yaml": {
        ("E3031", "'aws:team' does not match '^(?!aws:)"),
        ("E3024", "'aws:team' does not match"),  # cfn-lint's own tag-key rule agrees
    },
    "username-with-space.yaml": {("E3031", "'jane doe' does not match '^[a-zA-Z0-9_.@-]+$'")},
    "unknown-attribute.yaml": {("E6101", "'Arn' is not one of ['UserId', 'UserArn']")},
    "voice-enhancement-on-chat.yaml": {("E3030", "'CHAT' is not one of ['VOICE']")},
    "acw-per-channel-not-nested.yaml": {
        ("E3003", "'AfterContactWorkConfig' is a required property"),
        ("E3002", "'AfterContactWorkTimeLimit' was unexpected"),
    },
}


@pytest.fixture(scope="module")
def schema_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("registry-schemas")
    shutil.copy(SCHEMA_FILE, directory / SCHEMA_FILE.name)
    return directory


def cfn_lint(templates: Iterable[Path], *options: str) -> dict[str, list[dict[str, Any]]]:
    """Run the cfn-lint CLI once over many templates; its findings per template file name."""
    paths = [str(p) for p in templates]
    run = subprocess.run(
        [str(CFN_LINT), "--format", "json", *options, "--", *paths],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode in (0, 2, 4, 6, 8, 10, 12, 14), run.stderr  # bit 1 = a fatal error
    findings: dict[str, list[dict[str, Any]]] = {Path(p).name: [] for p in paths}
    for match in json.loads(run.stdout or "[]"):
        findings[Path(match["Filename"]).name].append(match)
    return findings


@pytest.fixture(scope="module")
def examples_lint(schema_dir: Path) -> dict[str, list[dict[str, Any]]]:
    return cfn_lint((e.path for e in EXAMPLES), "--registry-schemas", str(schema_dir))


@pytest.fixture(scope="module")
def broken_lint(schema_dir: Path) -> dict[str, list[dict[str, Any]]]:
    return cfn_lint(sorted(BROKEN.glob("*.yaml")), "--registry-schemas", str(schema_dir))


def summary(matches: list[dict[str, Any]]) -> list[str]:
    return [f"{m['Rule']['Id']} {m['Message']}" for m in matches]


@pytest.mark.parametrize("example", EXAMPLES, ids=example_ids())
def test_example_is_clean(examples_lint, example) -> None:
    assert examples_lint[example.path.name] == [], summary(examples_lint[example.path.name])


def test_every_broken_template_has_an_expectation() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_template_is_rejected_for_the_right_reason(broken_lint, name: str) -> None:
    matches = broken_lint[name]
    assert matches, f"{name}: cfn-lint accepted it"
    found = [(m["Rule"]["Id"], m["Message"]) for m in matches]
    for rule, fragment in EXPECTED[name]:
        assert any(r == rule and fragment in msg for r, msg in found), (rule, fragment, found)
    # ...and nothing else: each template has exactly the defects it is named after.
    assert len(found) == len(EXPECTED[name]), found
    assert all(m["Level"] == "Error" for m in matches), found


def test_the_builtin_spec_is_not_what_checks_our_templates() -> None:
    """Without --registry-schemas cfn-lint uses AWS's own AWS::Connect::User, which names the
    properties differently: our examples fail and the AWS-named template passes. With our schema
    it is the other way round (above), so our schema is what is checked."""
    findings = cfn_lint([EXAMPLES[0].path, BROKEN / "builtin-property-names.yaml"])
    example = summary(findings[EXAMPLES[0].path.name])
    assert "E3003 'InstanceArn' is a required property" in example
    assert any(s.startswith("E3002") and "'InstanceId' was unexpected" in s for s in example)
    assert findings["builtin-property-names.yaml"] == []


def test_private_type_name_is_known_but_not_checked_by_cfn_lint_1_58(tmp_path: Path) -> None:
    """Known cfn-lint 1.58 limitation, documented in the README: its property validation
    (SchemaManager.get_resource_schemas_by_regions) only visits type names in its built-in
    provider list, so a registry schema under a private name (Acme::Connect::User) makes the type
    known (no E3006) but its properties go unchecked. Lint with the AWS:: name instead. If this
    test fails, cfn-lint has fixed it: turn it into a positive test and update the README."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    schema["typeName"] = "Acme::Connect::User"
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "acme-connect-user.json").write_text(json.dumps(schema))
    source = BROKEN / "bad-phone-type.yaml"
    text = source.read_text(encoding="utf-8")
    (tmp_path / source.name).write_text(
        text.replace("Type: AWS::Connect::User", "Type: Acme::Connect::User")
    )
    private = cfn_lint([tmp_path / source.name], "--registry-schemas", str(tmp_path / "schemas"))
    assert private[source.name] == []
    unknown = cfn_lint([tmp_path / source.name])
    assert [m["Rule"]["Id"] for m in unknown[source.name]] == ["E3006"]

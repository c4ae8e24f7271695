"""make lint-templates' checks, on the examples and on templates each broken in one way: the
type's schema under the examples' private name (not AWS's built-in AWS::Connect::User) and the
handler's own rules as cfn-lint custom rules (E9101, lint_rules/), each finding naming the
resource and the property."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from registry_package.naming import PLACEHOLDER, renamed

from .catalogue import EXAMPLES, ROOT, TYPE_NAME, example_ids

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
    "proficiency-level-out-of-range.yaml": {("E3034", "6 is greater than the maximum of 5")},
    # The handler's rules (E9101): the resource, the property, the rule in the handler's words.
    "desk-phone-without-number.yaml": {
        ("E9101", "Agent: PhoneConfig/DeskPhoneNumber: is required when PhoneType is DESK_PHONE")
    },
    "no-phone-type.yaml": {
        ("E9101", "Agent: PhoneConfig/PhoneType: is required unless PhoneNumberConfigs has a VOICE")
    },
    "per-channel-conflict.yaml": {
        ("E9101", "Agent: PhoneConfig/AutoAccept: conflicts with AutoAcceptConfigs")
    },
    "two-voice-entries.yaml": {
        ("E9101", "Agent: AfterContactWorkConfigs: must have at most one entry per channel: VOICE")
    },
    "voice-only-setting-on-chat.yaml": {
        (
            "E9101",
            "Agent: AutoAcceptConfigs/0/AgentFirstCallbackAutoAccept: applies to the VOICE "
            "channel only",
        )
    },
    "repeated-proficiency.yaml": {
        (
            "E9101",
            "Agent: UserProficiencies: must list each attribute name and value once: "
            "Language=English",
        )
    },
    "marker-tag-key.yaml": {
        ("E9101", "Agent: Tags: the key cfn-connect-user:create-token is reserved by this type")
    },
    "username-at-outside-an-email.yaml": {
        ("E9101", "Agent: Username: may contain @ only in an email address shape")
    },
    "acw-per-channel-not-nested.yaml": {
        ("E3003", "'AfterContactWorkConfig' is a required property"),
        ("E3002", "'AfterContactWorkTimeLimit' was unexpected"),
    },
}


def lint(templates: Iterable[Path], *args: str) -> dict[str, list[dict[str, Any]]]:
    """make lint-templates' command once over many templates (cfn-lint's JSON output); its
    findings per template file name."""
    paths = [str(p) for p in templates]
    command = [sys.executable, "-m", "registry_package.lint", *args]
    command += ["--cfn-lint-arg=--format", "--cfn-lint-arg=json", *paths]
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode in (0, 2, 4, 6, 8, 10, 12, 14), run.stderr  # bit 1 = a fatal error
    findings: dict[str, list[dict[str, Any]]] = {Path(p).name: [] for p in paths}
    for match in json.loads(run.stdout or "[]"):
        findings[Path(match["Filename"]).name].append(match)
    return findings


@pytest.fixture(scope="module")
def examples_lint() -> dict[str, list[dict[str, Any]]]:
    return lint((e.path for e in EXAMPLES), "--type-name", TYPE_NAME)


@pytest.fixture(scope="module")
def broken_lint() -> dict[str, list[dict[str, Any]]]:
    return lint(sorted(BROKEN.glob("*.yaml")), "--type-name", TYPE_NAME)


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


def test_examples_carry_the_private_placeholder_never_aws_public_type() -> None:
    assert TYPE_NAME == PLACEHOLDER
    for example in EXAMPLES:
        text = example.path.read_text(encoding="utf-8")
        assert f"Type: {PLACEHOLDER}" in text
        assert "AWS::Connect::User\n" not in text and "AWS::Connect::User " not in text


def test_under_aws_public_name_the_examples_fail(tmp_path: Path) -> None:
    """Why the examples carry a private name: under AWS::Connect::User, cfn-lint checks them
    against AWS's own type, which names the properties differently (as CloudFormation would
    send them to that type, and fail)."""
    example = tmp_path / EXAMPLES[0].path.name
    example.write_text(renamed(EXAMPLES[0].path.read_text(), "AWS::Connect::User"))
    run = subprocess.run(
        [str(CFN_LINT), "--format", "json", "--", str(example)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = summary(json.loads(run.stdout))
    assert "E3003 'InstanceArn' is a required property" in found
    assert any(s.startswith("E3002") and "'InstanceId' was unexpected" in s for s in found)


def test_the_examples_lint_clean_under_a_name_chosen_once(tmp_path: Path) -> None:
    """make lint-templates with no FILES, under another name: the examples rendered under it."""
    run = subprocess.run(
        [sys.executable, "-m", "registry_package.lint"],
        env={**os.environ, "TYPE_NAME": "Acme::Connect::User"},
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert (run.returncode, run.stdout) == (0, ""), run.stdout + run.stderr
    rendered = ROOT / "dist" / "acme-connect-user" / "examples"
    assert sorted(p.name for p in rendered.glob("*.yaml")) == sorted(e.template for e in EXAMPLES)
    for path in rendered.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert PLACEHOLDER not in text and "Type: Acme::Connect::User" in text

"""The contract-test inputs: valid where they must be, and shaped the way the suite needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from connect_emulator.seed import CONNECT_MANAGED, EXISTING_DIRECTORY, SAML

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "aws-connect-user.json").read_text())
VALIDATOR = Draft7Validator(SCHEMA)
SETS = sorted(
    int(path.name.split("_")[1]) for path in (ROOT / "inputs").glob("inputs_*_create.json")
)
# Create-only, or (Password) not changeable by an update: identical in create and update.
UNCHANGED = ("InstanceId", "Username", "DirectoryUserId", "Password")
CHANGED = (
    "IdentityInfo",
    "PhoneConfig",
    "RoutingProfileId",
    "SecurityProfileIds",
    "HierarchyGroupId",
    "Tags",
)
# Per-channel settings (inputs_5 has them without PhoneConfig, inputs_6 with it): an update
# changes each of them that the set declares.
CHANNEL_LISTS = (
    "AutoAcceptConfigs",
    "AfterContactWorkConfigs",
    "PhoneNumberConfigs",
    "PersistentConnectionConfigs",
    "VoiceEnhancementConfigs",
)
IDENTITY_TYPES = {
    instance.id: instance.identity_management_type
    for instance in (CONNECT_MANAGED, SAML, EXISTING_DIRECTORY)
}


def load(number: int, kind: str) -> dict:
    return json.loads((ROOT / "inputs" / f"inputs_{number}_{kind}.json").read_text())


def identity_type(model: dict) -> str:
    instance_id = model["InstanceId"].rpartition("instance/")[2] or model["InstanceId"]
    return IDENTITY_TYPES[instance_id]


def test_sets_are_numbered_without_gaps_and_cover_every_identity_type():
    assert list(range(1, len(SETS) + 1)) == SETS
    assert {identity_type(load(n, "create")) for n in SETS} == set(IDENTITY_TYPES.values())
    assert any(load(n, "create")["InstanceId"].startswith("arn:") for n in SETS)


@pytest.mark.parametrize("number", SETS)
def test_create_and_update_are_valid_and_invalid_is_not(number):
    for kind in ("create", "update"):
        errors = list(VALIDATOR.iter_errors(load(number, kind)))
        assert not errors, f"inputs_{number}_{kind}: {errors[0].message}"
    assert list(VALIDATOR.iter_errors(load(number, "invalid")))


@pytest.mark.parametrize("number", SETS)
def test_update_changes_every_updatable_property_and_nothing_else(number):
    create, update = load(number, "create"), load(number, "update")
    for name in UNCHANGED:
        assert create.get(name) == update.get(name), name
    for name in CHANGED:
        if name == "PhoneConfig" and name not in create:  # a per-channel-only set
            assert name not in update
            continue
        assert create[name] != update[name], name
    for name in CHANNEL_LISTS:
        if name in create or name in update:
            assert create.get(name) != update.get(name), name
    if "UserProficiencies" in create:  # inputs_7: each kind of change (issue 13)
        before = {
            (p["AttributeName"], p["AttributeValue"]): p["Level"]
            for p in create["UserProficiencies"]
        }
        after = {
            (p["AttributeName"], p["AttributeValue"]): p["Level"]
            for p in update["UserProficiencies"]
        }
        assert set(after) - set(before) and set(before) - set(after), number
        assert any(before[k] != after[k] for k in set(before) & set(after)), number


def test_per_channel_settings_have_a_set_of_their_own_and_one_mixed_with_phone_config():
    declares = [
        (any(name in load(n, kind) for name in CHANNEL_LISTS), "PhoneConfig" in load(n, kind))
        for n in SETS
        for kind in ("create", "update")
    ]
    assert (True, False) in declares and (True, True) in declares


@pytest.mark.parametrize("number", SETS)
def test_identity_rules_of_the_instance_are_respected(number):
    create = load(number, "create")
    kind = identity_type(create)
    assert ("Password" in create) == (kind == "CONNECT_MANAGED")
    if kind == "SAML":
        assert "DirectoryUserId" not in create
        assert "Email" not in create.get("IdentityInfo", {})  # the emulator's default policy
    assert 1 <= len(create["Username"]) <= 100  # the API's bound: no instance is tighter
    if kind in ("CONNECT_MANAGED", "SAML"):
        for model in (create, load(number, "update")):
            assert model["IdentityInfo"]["FirstName"] and model["IdentityInfo"]["LastName"]


@pytest.mark.parametrize("number", SETS)
def test_no_empty_lists(number):
    # An empty list comes back absent and fails the suite's input/output comparison.
    for kind in ("create", "update"):
        model = load(number, kind)
        assert all(value != [] for value in model.values())


def test_sets_use_the_usernames_real_connect_takes_beyond_the_references_limits():
    """Issue 21: a CONNECT_MANAGED username past the reference's 20 (Terraform's acceptance
    tests create 43-character ones) and a SAML email past its 64."""
    longest = {kind: 0 for kind in IDENTITY_TYPES.values()}
    for number in SETS:
        create = load(number, "create")
        kind = identity_type(create)
        longest[kind] = max(longest[kind], len(create["Username"]))
    assert longest["CONNECT_MANAGED"] > 20 and longest["SAML"] > 64


def test_a_set_declares_a_level_between_whole_numbers_and_one_written_as_a_float():
    levels = [
        p["Level"]
        for n in SETS
        for kind in ("create", "update")
        for p in load(n, kind).get("UserProficiencies", ())
    ]
    assert any(not float(level).is_integer() for level in levels)  # 2.5: botocore's float
    assert any(isinstance(level, float) and level.is_integer() for level in levels)  # 3.0


def test_a_set_declares_routing_proficiencies():
    assert any("UserProficiencies" in load(n, "create") for n in SETS)


def test_usernames_are_distinct_across_sets():
    usernames = [load(number, "create")["Username"] for number in SETS]
    assert len(set(usernames)) == len(usernames)


def test_real_account_placeholders_resolve_back_to_the_inputs_with_the_clis_resolver(tmp_path):
    from rpdk.core.test import _stub_exports

    from contract_runner.real_account import seeded_exports, write

    write(tmp_path)
    pattern = r"{{([-A-Za-z0-9:\s]+?)}}"  # rpdk.core.test.render_template's
    for number in SETS:
        for kind in ("create", "update", "invalid"):
            name = f"inputs_{number}_{kind}.json"
            text = (tmp_path / "inputs" / name).read_text()
            if kind != "invalid":
                assert "{{" in text  # every valid input names at least one seeded object
            resolved = json.loads(_stub_exports(text, seeded_exports(), pattern))
            assert resolved == load(number, kind)
    stack = (tmp_path / "setup-stack.yaml").read_text()
    for export in seeded_exports():
        assert f"Name: {export}" in stack


def test_setup_stack_exports_the_password_and_makes_the_attributes_the_inputs_use(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    from contract_runner.real_account import PASSWORD_EXPORT, setup_stack, write
    from registry_package.inputs import PASSWORD_PLACEHOLDER

    stack = setup_stack()
    exported = {o["Export"]["Name"] for o in stack["Outputs"].values()}
    assert PASSWORD_PLACEHOLDER == "{{" + PASSWORD_EXPORT + "}}" and PASSWORD_EXPORT in exported
    assert "throwaway" in stack["Parameters"]["ContractTestPassword"]["Description"]
    made = {
        r["Properties"]["Name"]: set(r["Properties"]["Values"]["StringList"])
        for r in stack["Resources"].values()
        if r["Type"] == "AWS::Connect::PredefinedAttribute"
    }
    for number in SETS:
        for kind in ("create", "update"):
            for entry in load(number, kind).get("UserProficiencies", []):
                assert entry["AttributeValue"] in made[entry["AttributeName"]], entry
    write(tmp_path)
    path = tmp_path / "setup-stack.yaml"
    assert yaml.safe_load(path.read_text()) == stack
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    run = subprocess.run([str(cfn_lint), str(path)], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout) == (0, ""), run.stdout

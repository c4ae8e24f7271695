"""The README's CDK commands, as a newcomer types them on a fresh clone (after make venv):

    cd examples/cdk_app
    npm ci
    npx cdk synth

run in a copy of the example app (nothing left behind in the tree), next to the project's .venv.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from registry_package.naming import configured_type_name

from ..examples.catalogue import ROOT

APP_DIR = ROOT / "examples" / "cdk_app"
CDK_CLI = "aws-cdk"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    ran = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert ran.returncode == 0, f"{' '.join(command)}:\n{ran.stdout}\n{ran.stderr}"
    return ran


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/cdk_app as a fresh clone has it, beside the .venv that make venv builds."""
    if shutil.which("npm") is None or shutil.which("npx") is None:
        pytest.fail("npm/npx are not on PATH: install Node.js >= 20 (it brings both)")
    root = tmp_path_factory.mktemp("clone")
    (root / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    app = root / "examples" / "cdk_app"
    shutil.copytree(
        APP_DIR, app, ignore=shutil.ignore_patterns("node_modules", "cdk.out", "__pycache__")
    )
    return app


def test_the_cli_is_pinned_and_the_app_runs_with_the_project_interpreter() -> None:
    package = json.loads((APP_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((APP_DIR / "package-lock.json").read_text(encoding="utf-8"))
    pinned = package["devDependencies"][CDK_CLI]
    assert pinned[0].isdigit(), "an exact version, no range"
    assert lock["packages"][f"node_modules/{CDK_CLI}"]["version"] == pinned
    app = json.loads((APP_DIR / "cdk.json").read_text(encoding="utf-8"))["app"]
    assert app == "../../.venv/bin/python app.py"  # not the system python3, which lacks aws_cdk


@pytest.mark.package_index  # npm ci fetches the pinned CLI from the npm registry
def test_npm_ci_then_npx_cdk_synth_synthesizes_the_team(clone: Path) -> None:
    _run(["npm", "ci"], clone)
    version = _run(["npx", "cdk", "--version"], clone).stdout
    pinned = json.loads((clone / "package.json").read_text())["devDependencies"][CDK_CLI]
    assert version.startswith(pinned), version  # the locked CLI, not one from elsewhere

    synth = _run(["npx", "cdk", "synth"], clone)

    type_name = configured_type_name()  # config.mk's: the app follows it
    assert f"Type: {type_name}" in synth.stdout  # the template, printed as YAML
    assert "AWS::Connect::User\n" not in synth.stdout
    assert users_of(clone, type_name) == TEAM

    _run(["npx", "cdk", "synth", "-c", "cdk-connect-user:typeName=Acme::Connect::User"], clone)
    assert users_of(clone, "Acme::Connect::User") == TEAM


TEAM = {"TeamLead": "mgarcia", "Agentakumar": "akumar", "Agentlchen": "lchen"}


def users_of(app: Path, type_name: str) -> dict[str, str]:
    template = json.loads((app / "cdk.out" / "SupportTeam.template.json").read_text())
    return {
        logical_id: resource["Properties"]["Username"]
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == type_name
    }

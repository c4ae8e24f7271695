"""make demo's first run from a fresh clone: requirements-demo.txt alone (the handler's runtime,
the emulator, the local Lambda endpoint) runs the demo, without the test and CDK tooling, in at
most 200 MB. The install fetches from the package index: the package_index lane."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.package_index

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 200
NOT_FOR_THE_DEMO = ("aws-cdk-lib", "mypy", "hypothesis", "cfn-lint", "pytest", "cloudformation-cli")


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1_000_000


def test_the_demo_runs_from_its_own_lean_install(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", "requirements-demo.txt", "-c", "constraints.txt"], cwd=ROOT,
                   check=True, timeout=600)  # fmt: skip
    subprocess.run([*pip, "--no-deps", "-e", "."], cwd=ROOT, check=True, timeout=600)
    installed = subprocess.run(
        [python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True,
        check=True,
    ).stdout.lower()  # fmt: skip
    assert not [name for name in NOT_FOR_THE_DEMO if f"\n{name}==" in f"\n{installed}"]
    assert _size_mb(venv) <= BUDGET_MB
    ran = subprocess.run([python, "-m", "demo"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=False)  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "demo passed" in ran.stdout


def test_make_demo_and_make_local_need_only_the_demo_stage() -> None:
    """The Makefile's two stages: demo and local depend on the demo install, not the full."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo: demo-venv\n" in makefile
    assert "\nlocal: demo-venv\n" in makefile
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements-demo.txt" in dev

"""The CDK tests need Node.js (jsii runs aws-cdk-lib in it)."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import NODE


def test_node_is_available() -> None:
    if NODE is None:
        pytest.fail("node is not on PATH: install Node.js >= 20 to run the CDK tests")
    version = subprocess.run([NODE, "--version"], capture_output=True, text=True, check=True)
    assert int(version.stdout.strip().lstrip("v").split(".")[0]) >= 20

"""`python -m local_lambda` (make local) end to end, with the real `cfn invoke` against it."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

pytestmark = pytest.mark.emulator

ROOT = Path(__file__).resolve().parents[2]
CREATE_REQUEST = ROOT / "local_lambda" / "requests" / "create.json"


@pytest.fixture
def make_local():
    process = subprocess.Popen(
        [sys.executable, "-m", "local_lambda", "--port", "0", "--connect-port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    banner = []
    assert process.stdout is not None
    for line in process.stdout:  # the banner ends with the boto3 hints
        banner.append(line)
        if 'boto3.client("connect"' in line:
            break
    text = "".join(banner)
    connect = re.search(r"Amazon Connect emulator\s+(http://\S+)", text)
    lambda_ = re.search(r"Local Lambda endpoint\s+(http://\S+)", text)
    assert connect and lambda_, text
    endpoints = {"connect": connect.group(1), "lambda": lambda_.group(1)}
    yield process, endpoints, text
    if process.poll() is None:
        process.kill()
        process.wait()


def test_banner_says_where_everything_listens(make_local):
    _process, endpoints, banner = make_local
    assert f"AWS_ENDPOINT_URL_CONNECT={endpoints['connect']}" in banner
    assert "TypeFunction    aws_connect_user.handlers.resource" in banner
    assert "TestEntrypoint  aws_connect_user.handlers.test_entrypoint" in banner
    assert f"invoke --endpoint {endpoints['lambda']} resource CREATE" in banner


def test_cfn_invoke_creates_a_user_in_the_emulator_and_ctrl_c_stops(make_local):
    process, endpoints, _banner = make_local
    invoked = subprocess.run(
        [sys.executable, "-m", "contract_runner.cfn", "invoke", "--endpoint", endpoints["lambda"],
         "resource", "CREATE", str(CREATE_REQUEST)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert invoked.returncode == 0, invoked.stdout + invoked.stderr
    assert '"status": "SUCCESS"' in invoked.stdout
    password = json.loads(CREATE_REQUEST.read_text())["desiredResourceState"]["Password"]
    assert password not in invoked.stdout + invoked.stderr
    connect = boto3.client("connect", endpoint_url=endpoints["connect"])
    users = connect.list_users(InstanceId="11111111-1111-4111-8111-111111111111")
    assert [user["Username"] for user in users["UserSummaryList"]] == ["local-agent"]

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0

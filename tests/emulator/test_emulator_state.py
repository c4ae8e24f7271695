"""The state file, reset to the seed, and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from connect_emulator.seed import CONNECT_MANAGED, INSTANCES
from tests.conftest import CLIENT_CONFIG

REPOSITORY = Path(__file__).resolve().parents[2]


def test_state_file_round_trip(start_emulator, make_user_params, tmp_path):
    state_file = tmp_path / "connect-state.json"
    first, client = start_emulator(state_file=state_file)
    created = client.create_user(**make_user_params(Tags={"kept": "yes"}))
    assert state_file.exists()  # saved after the write, not only at exit
    first.stop()

    second, client = start_emulator(state_file=state_file)
    user = client.describe_user(InstanceId=CONNECT_MANAGED.id, UserId=created["UserId"])["User"]
    assert user["Tags"] == {"kept": "yes"}
    with pytest.raises(client.exceptions.DuplicateResourceException):
        client.create_user(**make_user_params())
    # The ID counter is part of the state: a new user never reuses an old ID.
    other = client.create_user(**make_user_params(Username="agent2"))["UserId"]
    assert other != created["UserId"]

    second.reset()
    saved = json.loads(state_file.read_text())
    assert [instance["id"] for instance in saved["instances"]] == [i.id for i in INSTANCES]
    assert all(instance["users"] == [] for instance in saved["instances"])


def test_reset_restores_the_seed(emulator, connect_client, make_user_params):
    seeded = emulator.state_snapshot()
    connect_client.create_user(**make_user_params())
    connect_client.tag_resource(resourceArn=CONNECT_MANAGED.arn, tags={"t": "1"})
    assert emulator.state_snapshot() != seeded
    emulator.reset()
    assert emulator.state_snapshot() == seeded


def test_command_line_serves_and_says_where(tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "connect_emulator",
            "--port",
            "0",
            "--quiet",
            "--rate",
            "100",
            "--burst",
            "10",
            "--fail-next",
            "DescribeInstance:1:ThrottlingException",
        ],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("Amazon Connect emulator listening on http://127.0.0.1:")
        endpoint = first_line.rsplit(" ", 1)[1].strip()
        client = boto3.client("connect", endpoint_url=endpoint, config=CLIENT_CONFIG)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.describe_instance(InstanceId=CONNECT_MANAGED.id)
        described = client.describe_instance(InstanceId=CONNECT_MANAGED.id)["Instance"]
        assert described["InstanceAlias"] == CONNECT_MANAGED.alias
    finally:
        process.terminate()
        process.wait(timeout=10)

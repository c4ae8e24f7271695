"""local_lambda.requests: the read, update and delete requests for the user a CREATE made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_lambda.requests import RESPONSE_MARKER, follow_ups, main

ARN = (
    "arn:aws:connect:us-east-1:123456789012:instance/11111111-1111-4111-8111-111111111111/agent/u-2"
)
CREATED = {
    "status": "SUCCESS",
    "resourceModel": {
        "InstanceId": "11111111-1111-4111-8111-111111111111",
        "Username": "local-agent",
        "UserArn": ARN,
        "UserId": "u-2",
    },
}


def test_follow_ups_name_the_created_user() -> None:
    requests = follow_ups(CREATED)
    assert requests["read"]["desiredResourceState"]["UserArn"] == ARN
    assert requests["delete"]["desiredResourceState"]["UserArn"] == ARN
    update = requests["update"]
    assert update["desiredResourceState"]["UserArn"] == ARN
    assert update["previousResourceState"]["UserArn"] == ARN
    assert update["previousResourceState"]["IdentityInfo"]["LastName"] == "Local"  # as created
    assert update["desiredResourceState"]["IdentityInfo"]["LastName"] == "Updated"


def test_cfn_invoke_output_is_read_and_passed_through(tmp_path, capsys) -> None:
    output = tmp_path / "create.out"
    logs = f"{RESPONSE_MARKER}\n" + json.dumps({"status": "IN_PROGRESS"}) + "\n"
    output.write_text(logs + f"{RESPONSE_MARKER}\n{json.dumps(CREATED)}\n")
    assert main([str(output), "--dir", str(tmp_path / "out")]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(logs)
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["delete.json", "read.json", "update.json"]
    read = json.loads((tmp_path / "out" / "read.json").read_text())
    assert read["desiredResourceState"]["UserArn"] == ARN


def test_a_failed_create_writes_nothing(tmp_path: Path, capsys) -> None:
    output = tmp_path / "create.out"
    output.write_text(json.dumps({"status": "FAILED", "errorCode": "AlreadyExists"}))
    assert main([str(output), "--dir", str(tmp_path / "out")]) == 1
    assert "AlreadyExists" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_create_request_for_another_username(tmp_path: Path) -> None:
    assert main(["--username", "agent2", "--dir", str(tmp_path)]) == 0
    request = json.loads((tmp_path / "create.json").read_text())
    assert request["desiredResourceState"]["Username"] == "agent2"


@pytest.mark.parametrize("name", ["read", "update", "delete"])
def test_the_samples_carry_no_fixed_user(name: str) -> None:
    text = (
        Path(__file__).resolve().parents[2] / "examples" / "invoke" / f"{name}.json"
    ).read_text()
    assert "/agent/" not in text

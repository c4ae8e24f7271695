"""`make local` end to end as a newcomer runs it: ports chosen on the command line (0 = free
ones), the banner's real ports and PID, its cfn invoke commands run as printed, and a taken
port reported in one line."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from local_lambda.requests import final_event

from .console import Console

pytestmark = pytest.mark.emulator

ROOT = Path(__file__).resolve().parents[2]
INVOKE = ROOT / "examples" / "invoke"
INSTANCE_ID = "11111111-1111-4111-8111-111111111111"
BANNER_END = 'boto3.client("connect"'
# -o: take .venv as built (the session's venv), so make runs only the local recipe.
MAKE_LOCAL = ["make", "--no-print-directory", "-o", ".venv/.demo-installed", "local"]


class Banner:
    def __init__(self, text: str) -> None:
        self.text = text
        connect = re.search(r"Amazon Connect emulator\s+(http://\S+)", text)
        lambda_ = re.search(r"Local Lambda endpoint\s+(http://\S+)", text)
        pid = re.search(r"PID (\d+) \(to stop: Ctrl-C, or kill (\d+)\)", text)
        assert connect and lambda_ and pid and pid.group(1) == pid.group(2), text
        self.connect_url, self.lambda_url = connect.group(1), lambda_.group(1)
        self.pid = int(pid.group(1))

    def invoke_commands(self) -> dict[str, str]:
        """Action -> the command line as printed (a shell line: CREATE pipes its answer)."""
        found = {}
        for line in self.text.splitlines():
            if " invoke " in line and " resource " in line:
                words = shlex.split(line.split(" | ")[0])
                found[words[words.index("resource") + 1]] = line.strip()
        return found

    def boto3_command(self) -> str:
        [line] = [line for line in self.text.splitlines() if "boto3_invoke.py --endpoint" in line]
        return line.strip()


@pytest.fixture
def make_local():
    console = Console([*MAKE_LOCAL, "CONNECT_PORT=0", "LAMBDA_PORT=0"], ROOT)
    try:
        yield console, Banner(console.expect(BANNER_END))
    finally:
        console.kill()


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_ports_pass_through_and_the_banner_says_where_everything_listens(make_local):
    console, banner = make_local
    assert "-m local_lambda --connect-port 0 --port 0" in console.lines[0]  # make's echo
    assert f"AWS_ENDPOINT_URL_CONNECT={banner.connect_url}" in banner.text
    assert "TypeFunction    aws_connect_user.handlers.resource" in banner.text
    assert "TestEntrypoint  aws_connect_user.handlers.test_entrypoint" in banner.text
    for url in (banner.connect_url, banner.lambda_url):
        assert _port(url) != 0
        with socket.create_connection(("127.0.0.1", _port(url)), timeout=5):
            pass  # something really listens on the printed port


def test_kill_of_the_printed_pid_stops_it_cleanly(make_local):
    console, banner = make_local
    assert banner.pid != console.process.pid  # make's child, the python that serves
    os.kill(banner.pid, signal.SIGTERM)  # what `kill <pid>` sends
    assert "Stopping." in console.rest()
    assert console.process.returncode == 0  # make saw python exit 0
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", _port(banner.lambda_url)), timeout=5)


def test_ctrl_c_stops_make_and_the_endpoints(make_local):
    console, banner = make_local
    os.killpg(console.process.pid, signal.SIGINT)  # a terminal's Ctrl-C: the whole job
    assert "Stopping." in console.rest()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", _port(banner.connect_url)), timeout=5)


def _run(command: str) -> dict:
    """A printed command line, typed into a shell at the repository root."""
    invoked = subprocess.run(
        command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert invoked.returncode == 0, invoked.stdout + invoked.stderr
    password = json.loads((INVOKE / "create.json").read_text())["desiredResourceState"]["Password"]
    assert password not in invoked.stdout + invoked.stderr
    # The last "=== Handler response ===" block is the terminal response.
    return final_event(invoked.stdout.split("\nwrote ")[0])


def test_the_printed_cfn_invoke_commands_run_users_lives_repeatedly(make_local):
    """Create, read, update, list, delete, and again: the CREATE's answer writes the requests
    for the user it made (local_lambda.requests), so nothing names a user fixed in advance."""
    _console, banner = make_local
    commands = banner.invoke_commands()
    assert list(commands) == ["CREATE", "READ", "UPDATE", "LIST", "DELETE"]
    assert "| " in commands["CREATE"] and "-m local_lambda.requests" in commands["CREATE"]
    connect = boto3.client("connect", endpoint_url=banner.connect_url)
    arns = []
    for _ in range(2):
        created = _run(commands["CREATE"])
        assert created["status"] == "SUCCESS", created
        arn = created["resourceModel"]["UserArn"]
        arns.append(arn)
        users = connect.list_users(InstanceId=INSTANCE_ID)["UserSummaryList"]
        assert [(user["Arn"], user["Username"]) for user in users] == [(arn, "local-agent")]

        read = _run(commands["READ"])
        assert read["status"] == "SUCCESS", read
        assert read["resourceModel"]["UserArn"] == arn
        assert read["resourceModel"]["IdentityInfo"]["LastName"] == "Local"

        updated = _run(commands["UPDATE"])
        assert updated["status"] == "SUCCESS", updated
        described = connect.describe_user(InstanceId=INSTANCE_ID, UserId=arn.rsplit("/", 1)[1])
        assert described["User"]["IdentityInfo"]["LastName"] == "Updated"
        assert described["User"]["PhoneConfig"]["AfterContactWorkTimeLimit"] == 30

        listed = _run(commands["LIST"])
        assert listed["status"] == "SUCCESS", listed
        assert [model["UserArn"] for model in listed["resourceModels"]] == [arn]

        deleted = _run(commands["DELETE"])
        assert deleted["status"] == "SUCCESS", deleted
        assert connect.list_users(InstanceId=INSTANCE_ID)["UserSummaryList"] == []
        gone = _run(commands["READ"])
        assert gone["status"] == "FAILED" and gone["errorCode"] == "NotFound", gone
    assert arns[0] != arns[1]  # the second user is a new one, and its requests named it


def test_the_printed_boto3_command_runs_as_written(make_local):
    """examples/invoke/boto3_invoke.py: the same request files, CloudFormation's payload."""
    _console, banner = make_local
    listing = banner.boto3_command()
    create = listing.replace(
        " LIST examples/invoke/list.json", " CREATE examples/invoke/create.json"
    )
    created = json.loads(_shell(create).stdout)
    assert created["status"] == "SUCCESS", created
    listed = json.loads(_shell(listing).stdout)
    assert [m["UserArn"] for m in listed["resourceModels"]] == [created["resourceModel"]["UserArn"]]


def _shell(command: str) -> subprocess.CompletedProcess[str]:
    ran = subprocess.run(
        command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran


@pytest.fixture
def taken_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize(
    ("flag", "other", "what"),
    [("--connect-port", "--port", "Connect emulator"), ("--port", "--connect-port", "Lambda")],
)
def test_a_taken_port_is_one_line_naming_it_and_exit_2(taken_port, flag, other, what):
    ran = subprocess.run(
        [sys.executable, "-m", "local_lambda", flag, str(taken_port), other, "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert ran.stdout == ""
    assert ran.stderr.strip() == (
        f"Cannot start the {what}{' endpoint' if what == 'Lambda' else ''}: port {taken_port} on "
        "127.0.0.1 is already in use. Choose other ports: make local CONNECT_PORT=<port> "
        "LAMBDA_PORT=<port> (0 = any free port), or python -m local_lambda --connect-port "
        "<port> --port <port>."
    )


def test_make_local_on_a_taken_port_fails_without_a_traceback(taken_port):
    ran = subprocess.run(
        [*MAKE_LOCAL, f"CONNECT_PORT={taken_port}", "LAMBDA_PORT=0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ran.returncode != 0
    assert "Traceback" not in ran.stdout + ran.stderr
    assert f"port {taken_port} on 127.0.0.1 is already in use" in ran.stderr

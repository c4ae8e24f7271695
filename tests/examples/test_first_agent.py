"""The README's "Your first agent in a real account", as far as it runs offline: the name
commands, every `aws connect` command of "Find the IDs" (the real AWS CLI, against the
emulator), and the deploy and update of the one-agent example with the parameters the README
passes, through the handler's entrypoint on the emulator."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aws_connect_user import connect, handlers
from connect_emulator import Emulator
from connect_emulator.seed import CONNECT_MANAGED as MI
from demo.events import handler_request
from registry_package.build import bundle_dir
from registry_package.naming import configured_type_name

from .catalogue import ROOT, Example

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(name: str) -> str:
    """The shell block after the README's <!-- first-agent:NAME --> marker."""
    found = re.search(rf"<!-- first-agent:{name} -->\n```sh\n(.*?)```", README, re.S)
    assert found, name
    return found.group(1)


def bash(script: str, env: dict[str, str]) -> str:
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran.stdout


def test_the_name_commands_give_the_chosen_name_and_the_package_folder() -> None:
    names = block("names")
    assert "make package" in names
    script = names.replace("make package\n", "")  # the build itself: tests/package
    script += 'echo "$TYPE_NAME|$DIST|$STEM"\n'
    out = bash(script, {"MAKEFLAGS": ""}).strip().splitlines()[-1]
    type_name = configured_type_name()
    dist = bundle_dir(type_name, Path("dist"))
    assert out == f"{type_name}|{dist}|{dist.name}"


@pytest.mark.emulator
@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_find_the_ids_with_the_aws_cli_as_typed(emulator: Emulator, tmp_path: Path) -> None:
    script = block("ids").replace("my-contact-centre", MI.alias)  # your alias: the seeded one
    script += 'echo "$INSTANCE_ID|$SECURITY_PROFILE_ID|$ROUTING_PROFILE_ID"\n'
    env = {
        "AWS_ENDPOINT_URL_CONNECT": emulator.endpoint_url,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
    }
    out = bash(script, env)
    assert "Basic Routing Profile" in out and "Tier1" in out  # the tables it shows
    ids = out.strip().splitlines()[-1]
    assert ids == f"{MI.id}|{MI.child_id('security', 1)}|{MI.child_id('routing', 1)}"


def overrides(script: str) -> dict[str, str]:
    words = shlex.split(script.replace("\\\n", " "))
    start = words.index("--parameter-overrides") + 1
    found = {}
    for word in words[start:]:
        if word.startswith("--"):
            break
        key, value = word.split("=", 1)
        found[key] = value
    return found


def stack_tags(script: str) -> dict[str, str]:
    words = shlex.split(script.replace("\\\n", " "))
    return dict(w.split("=", 1) for w in words[words.index("--tags") + 1 :] if "=" in w)


def call(action: str, props: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    answer = handlers.resource(handler_request(action, props, **kwargs), None)
    assert isinstance(answer, dict)
    return answer


@pytest.mark.emulator
def test_deploy_then_update_the_one_agent_example(emulator: Emulator, connect_endpoint_env):
    """What CloudFormation would send the handler for the README's deploy and update."""
    deploy, update = block("deploy"), block("update")
    assert "$DIST/examples/single-agent.yaml" in deploy and "single-agent.yaml" in update
    found_ids = {  # what "Find the IDs" gave (test above)
        "$INSTANCE_ID": MI.id,
        "$SECURITY_PROFILE_ID": MI.child_id("security", 1),
        "$ROUTING_PROFILE_ID": MI.child_id("routing", 1),
    }
    first = {k: found_ids.get(v, v) for k, v in overrides(deploy).items()}
    example = Example("single-agent.yaml", MI, first)
    declared = example.load()["Parameters"]
    required = {name for name, p in declared.items() if "Default" not in p}
    assert required <= set(first) <= set(declared)  # nothing missing, nothing unknown
    tags = stack_tags(deploy)
    connect.forget_cached_state()
    [props] = example.users().values()
    created = call("CREATE", props, stack_tags=tags)
    assert created["status"] == "SUCCESS", created.get("message")
    identity = {"UserArn": created["resourceModel"]["UserArn"]}

    # aws cloudformation deploy keeps the values of the parameters an update leaves out.
    second = Example("single-agent.yaml", MI, {**first, **overrides(update)})
    [desired] = second.users().values()
    updated = call(
        "UPDATE", {**desired, **identity}, previous={**props, **identity}, stack_tags=tags
    )
    assert updated["status"] == "SUCCESS", updated.get("message")
    user_id = created["resourceModel"]["UserId"]
    live = emulator.execute("DescribeUser", {"InstanceId": MI.id, "UserId": user_id})["User"]
    assert live["PhoneConfig"]["AfterContactWorkTimeLimit"] == 120
    assert live["Tags"]["cost-centre"] == "contact-centre"  # the deploy's --tags
    deleted = call("DELETE", identity)
    assert deleted["status"] == "SUCCESS", deleted.get("message")
    connect.forget_cached_state()

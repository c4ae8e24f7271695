"""Cold start: a fresh Python process that imports the handler and serves its first create,
versus a fresh process that imports boto3 and makes the same bare calls (DescribeInstance +
CreateUser: what a cold container's create needs), against the same in-process emulator.

Runs alternate (handler, bare, handler, ...). Figures: time inside the child from its first
line to the answer (imports + first request), and the whole process as the parent sees it
(interpreter start to exit).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .common import Row, Stats, event, user_properties

TARGET_RATIO = 1.3

_HANDLER_CHILD = """
import json, sys, time
payload = json.loads(sys.stdin.read())
started = time.perf_counter()
from aws_connect_user.handlers import resource
imported = time.perf_counter()
answer = resource(payload["event"], None)
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1e3, "total_ms": (done - started) * 1e3,
                  "status": answer.get("status"), "message": answer.get("message")}))
"""

_BARE_CHILD = """
import json, sys, time
payload = json.loads(sys.stdin.read())
started = time.perf_counter()
import boto3
from botocore.config import Config
imported = time.perf_counter()
creds = payload["credentials"]
client = boto3.client(
    "connect",
    region_name="us-east-1",
    aws_access_key_id=creds["accessKeyId"],
    aws_secret_access_key=creds["secretAccessKey"],
    aws_session_token=creds["sessionToken"],
    config=Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=5,
                  read_timeout=20, user_agent_extra="aws-connect-user-resource-type"),
)
client.describe_instance(InstanceId=payload["params"]["InstanceId"])
made = client.create_user(**payload["params"])
# the DescribeUser that tells the create took effect, as the handler's stabilisation makes
client.describe_user(InstanceId=payload["params"]["InstanceId"], UserId=made["UserId"])
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1e3, "total_ms": (done - started) * 1e3,
                  "status": "SUCCESS", "message": None}))
"""


@dataclass
class ColdStart:
    handler_total: Stats  # ms, in-child: imports + first create
    bare_total: Stats
    ratio: Stats  # per pair of runs
    handler_process: Stats  # ms, whole process
    bare_process: Stats
    process_ratio: Stats
    handler_import: Stats
    bare_import: Stats
    heaviest_imports: list[tuple[str, float]]  # handler-only imports, cumulative ms


def _run(
    code: str, payload: dict[str, Any], env: dict[str, str], interpreter_args: Sequence[str] = ()
) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *interpreter_args, "-c", code],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    wall = (time.perf_counter() - started) * 1e3
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["status"] != "SUCCESS":
        raise RuntimeError(f"cold-start child answered {result}")
    return result, wall


def child_environment(endpoint_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["AWS_ENDPOINT_URL_CONNECT"] = endpoint_url
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _import_times(env: dict[str, str], statement: str) -> dict[str, tuple[float, float]]:
    """(self, cumulative) import time in ms of every module, from python -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    found: dict[str, tuple[float, float]] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| \s*(\S+)", line)
        if match:
            found[match[3]] = (int(match[1]) / 1000, int(match[2]) / 1000)
    return found


def heaviest_handler_only_imports(env: dict[str, str], top: int = 5) -> list[tuple[str, float]]:
    """What importing the handler costs on top of a process that already has a bare boto3
    client's imports: the heaviest top-level packages (cumulative ms) and the handler's own
    modules (self ms), from one `python -X importtime` run."""
    preload = "import boto3, botocore.config, botocore.httpsession"
    handler = _import_times(env, preload + "; import aws_connect_user.handlers")
    bare = _import_times(env, preload)
    roots: dict[str, float] = {}
    own = 0.0
    for module, (self_ms, cumulative_ms) in handler.items():
        if module in bare or module.startswith("__editable__"):
            continue  # shared with a bare boto3 client, or the dev install's import hook
        if module.split(".")[0] == "aws_connect_user":
            own += self_ms
        elif "." not in module:
            roots[module] = cumulative_ms
    ranked = sorted(roots.items(), key=lambda item: -item[1])[:top]
    return [*ranked, ("aws_connect_user (own modules, self)", own)]


def create_payloads(credentials: Any, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The handler child's CREATE event and the bare child's parameters (DescribeInstance +
    CreateUser + DescribeUser) for the same user (fresh usernames per tag)."""
    from aws_connect_user.rules import MARKER_TAG_KEY

    props = user_properties(f"cold-h-{tag}")
    handler_payload = {"event": event("CREATE", props, credentials=credentials)}
    bare_props = user_properties(f"cold-b-{tag}")
    bare_payload = {
        "credentials": credentials.to_json(),
        "params": {
            "InstanceId": bare_props["InstanceId"],
            "Username": bare_props["Username"],
            "Password": bare_props["Password"],
            "IdentityInfo": bare_props["IdentityInfo"],
            "PhoneConfig": {
                "PhoneType": "SOFT_PHONE",
                "AutoAccept": False,
                "AfterContactWorkTimeLimit": 0,
            },
            "SecurityProfileIds": bare_props["SecurityProfileIds"],
            "RoutingProfileId": bare_props["RoutingProfileId"],
            "HierarchyGroupId": bare_props["HierarchyGroupId"],
            "Tags": {"team": "bench", MARKER_TAG_KEY: "0" * 40},
        },
    }
    return handler_payload, bare_payload


def measure(emulator: Any, credentials: Any, runs: int = 7) -> ColdStart:
    env = child_environment(emulator.endpoint_url)
    handler_total: list[float] = []
    bare_total: list[float] = []
    handler_process: list[float] = []
    bare_process: list[float] = []
    handler_import: list[float] = []
    bare_import: list[float] = []
    stamp = time.strftime("%H%M%S")
    for index in range(runs + 1):  # the first pair warms the page cache and is discarded
        handler_payload, bare_payload = create_payloads(credentials, f"{stamp}-{index}")
        order = [("h", _HANDLER_CHILD, handler_payload), ("b", _BARE_CHILD, bare_payload)]
        if index % 2:
            order.reverse()
        for side, code, payload in order:
            result, wall = _run(code, payload, env)
            if index == 0:
                continue
            if side == "h":
                handler_total.append(result["total_ms"])
                handler_import.append(result["import_ms"])
                handler_process.append(wall)
            else:
                bare_total.append(result["total_ms"])
                bare_import.append(result["import_ms"])
                bare_process.append(wall)
    return ColdStart(
        handler_total=Stats.of(handler_total),
        bare_total=Stats.of(bare_total),
        ratio=Stats.of([h / b for h, b in zip(handler_total, bare_total, strict=True)]),
        handler_process=Stats.of(handler_process),
        bare_process=Stats.of(bare_process),
        process_ratio=Stats.of([h / b for h, b in zip(handler_process, bare_process, strict=True)]),
        handler_import=Stats.of(handler_import),
        bare_import=Stats.of(bare_import),
        heaviest_imports=heaviest_handler_only_imports(env),
    )


def rows(result: ColdStart) -> list[Row]:
    section = "Cold start (fresh process, first create)"
    heavy = ", ".join(f"{name} {ms:.0f} ms" for name, ms in result.heaviest_imports)
    return [
        Row(
            section,
            "imports + first create: handler / bare boto3",
            f"{result.ratio.render('x')}; handler {result.handler_total.render('ms', 0)}, "
            f"bare {result.bare_total.render('ms', 0)}",
            f"<= {TARGET_RATIO}x",
            result.ratio.median <= TARGET_RATIO,
            data={
                "ratio": vars(result.ratio),
                "handler_ms": vars(result.handler_total),
                "bare_ms": vars(result.bare_total),
            },
        ),
        Row(
            section,
            "whole process (interpreter start to exit): handler / bare",
            f"{result.process_ratio.render('x')}; handler "
            f"{result.handler_process.render('ms', 0)}, bare {result.bare_process.render('ms', 0)}",
            f"<= {TARGET_RATIO}x",
            result.process_ratio.median <= TARGET_RATIO,
            data={
                "ratio": vars(result.process_ratio),
                "handler_ms": vars(result.handler_process),
                "bare_ms": vars(result.bare_process),
            },
        ),
        Row(
            section,
            "import time: aws_connect_user.handlers vs boto3",
            f"handler {result.handler_import.render('ms', 0)}, "
            f"boto3 {result.bare_import.render('ms', 0)}",
            note=f"handler-only imports (cumulative): {heavy}",
            data={
                "handler_ms": vars(result.handler_import),
                "bare_ms": vars(result.bare_import),
                "handler_only_imports_ms": dict(result.heaviest_imports),
            },
        ),
    ]

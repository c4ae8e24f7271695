"""The README's main command. Starts the Connect emulator and the local Lambda endpoint,
then drives one agent through its whole life via TypeFunction, the production entrypoint,
over the Lambda Invoke API. Exits non-zero if any step does not do what it should."""

from __future__ import annotations

import copy
import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from connect_emulator import Emulator
from connect_emulator.seed import CONNECT_MANAGED
from contract_runner.isolation import REGION, isolated_process_environment
from demo.events import handler_request
from local_lambda import LocalLambda

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "properties" / "single-agent.json"
STACK_TAGS = {"cost-centre": "contact-centre", "stack": "agents-demo"}
Check = Callable[[Mapping[str, Any]], str | None]


def _shown(model: Mapping[str, Any] | None) -> str:
    # The handler never returns a Password; the demo would rather prove it than trust it.
    if model is None:
        return ""
    assert "Password" not in model, "a Password came back from the handler"
    return json.dumps(model, indent=2, sort_keys=True).replace("\n", "\n      ")


class Demo:
    def __init__(self, lambda_client: Any, emulator: Emulator) -> None:
        self.lambda_client = lambda_client
        self.emulator = emulator
        self.failures = 0
        self.step_number = 0
        self.last_calls: list[str | None] = []  # the Connect calls of the step being checked

    def invoke(self, event: Mapping[str, Any]) -> dict[str, Any]:
        answer = self.lambda_client.invoke(
            FunctionName="TypeFunction", Payload=json.dumps(event).encode()
        )
        payload: dict[str, Any] = json.loads(answer["Payload"].read())
        if answer.get("FunctionError"):
            raise RuntimeError(f"TypeFunction crashed: {payload.get('errorType')}")
        return payload

    def step(
        self, title: str, event: Mapping[str, Any], check: Check, *, show_model: bool = False
    ) -> dict[str, Any]:
        self.step_number += 1
        before = len(self.emulator.requests)
        started = time.perf_counter()
        answer = self.invoke(event)
        elapsed_ms = (time.perf_counter() - started) * 1000
        calls = [e.operation for e in self.emulator.requests.entries()[before:]]
        self.last_calls = calls
        problem = check(answer)
        verdict = "ok" if problem is None else f"UNEXPECTED: {problem}"
        self.failures += problem is not None
        status = answer.get("status")
        code = f" {answer['errorCode']}" if answer.get("errorCode") else ""
        print(f"\n{self.step_number}. {event['action']:<6} {title}")
        print(f"   -> {status}{code} in {elapsed_ms:.0f} ms [{verdict}]")
        print(f"   Connect calls: {', '.join(str(c) for c in calls) or 'none'}")
        if answer.get("message"):
            print(f"   message: {answer['message']}")
        model = answer.get("resourceModel")
        shown = _shown(model)  # checks for a Password even when not printed
        if model and show_model:
            print(f"   model: {shown}")
        for model in answer.get("resourceModels") or []:
            print(f"   listed: {model.get('Username')}  {model.get('UserArn')}")
            _shown(model)
        return answer


def succeeded(answer: Mapping[str, Any]) -> str | None:
    return None if answer.get("status") == "SUCCESS" else "expected SUCCESS"


def run(demo: Demo, agent: dict[str, Any]) -> None:
    created = demo.step(
        f"agent {agent['Username']!r} from {EXAMPLE.name}",
        handler_request("CREATE", agent, stack_tags=STACK_TAGS),
        succeeded,
        show_model=True,
    )
    model = created.get("resourceModel") or {}
    identifier = {"UserArn": model.get("UserArn")}

    demo.step("it back by its UserArn", handler_request("READ", identifier), succeeded)

    updated = copy.deepcopy(agent)
    updated.update(identifier)
    updated["PhoneConfig"] = {
        "PhoneType": "DESK_PHONE",
        "DeskPhoneNumber": "+12065550123",
        "AutoAccept": True,
        "AfterContactWorkTimeLimit": 60,
    }
    updated["SecurityProfileIds"] = [
        *agent["SecurityProfileIds"],
        CONNECT_MANAGED.child_arn("security", 4),  # QualityAnalyst, by ARN
    ]
    updated["Tags"] = [*agent.get("Tags", []), {"Key": "shift", "Value": "night"}]

    def shows_update(answer: Mapping[str, Any]) -> str | None:
        if answer.get("status") != "SUCCESS":
            return "expected SUCCESS"
        live = answer.get("resourceModel") or {}
        if live.get("PhoneConfig", {}).get("PhoneType") != "DESK_PHONE":
            return "the desk phone did not stick"
        if {"Key": "shift", "Value": "night"} not in live.get("Tags", []):
            return "the new tag is missing"
        return None

    demo.step(
        "desk phone, + QualityAnalyst profile, + shift tag",
        handler_request("UPDATE", updated, previous={**agent, **identifier}, stack_tags=STACK_TAGS),
        succeeded,
    )
    demo.step(
        "it again: the update is live",
        handler_request("READ", identifier),
        shows_update,
        show_model=True,
    )

    updated = per_channel_update(demo, updated)

    # Routing proficiencies (issue 13): predefined attributes seeded in the emulator.
    skilled = {
        **updated,
        "UserProficiencies": [
            {"AttributeName": "Language", "AttributeValue": "English", "Level": 4},
            {"AttributeName": "Product", "AttributeValue": "Billing", "Level": 3},
        ],
    }

    def shows_proficiencies(answer: Mapping[str, Any]) -> str | None:
        if answer.get("status") != "SUCCESS":
            return "expected SUCCESS"
        live = (answer.get("resourceModel") or {}).get("UserProficiencies")
        return None if live == skilled["UserProficiencies"] else "the proficiencies are missing"

    demo.step(
        "+ routing proficiencies Language=English (4), Product=Billing (3)",
        handler_request("UPDATE", skilled, previous=updated, stack_tags=STACK_TAGS),
        shows_proficiencies,
        show_model=True,
    )

    def lists_agent(answer: Mapping[str, Any]) -> str | None:
        arns = [m.get("UserArn") for m in answer.get("resourceModels") or []]
        return None if identifier["UserArn"] in arns else "the agent is not listed"

    demo.step(
        "the instance's users",
        handler_request("LIST", {"InstanceId": agent["InstanceId"]}),
        lists_agent,
    )
    demo.step("the agent", handler_request("DELETE", identifier), succeeded)

    def not_found(answer: Mapping[str, Any]) -> str | None:
        return None if answer.get("errorCode") == "NotFound" else "expected FAILED NotFound"

    demo.step("after delete", handler_request("READ", identifier), not_found)


def per_channel_update(demo: Demo, before: dict[str, Any]) -> dict[str, Any]:
    """One per-channel update: chat gets an After Contact Work time of its own and calls get
    noise suppression, in one UpdateUserConfig; the classic PhoneConfig is not rewritten."""
    after = copy.deepcopy(before)
    after["PhoneConfig"].pop("AfterContactWorkTimeLimit")  # now set per channel
    after["AfterContactWorkConfigs"] = [
        {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 60}},
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 300}},
    ]
    after["VoiceEnhancementConfigs"] = [
        {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}
    ]

    def one_config_write(answer: Mapping[str, Any]) -> str | None:
        if answer.get("status") != "SUCCESS":
            return "expected SUCCESS"
        writes = [c for c in demo.last_calls if c and c.startswith("UpdateUser")]
        return None if writes == ["UpdateUserConfig"] else "expected one UpdateUserConfig"

    demo.step(
        "per channel: chat ACW 300 s, noise suppression on calls",
        handler_request("UPDATE", after, previous=before, stack_tags=STACK_TAGS),
        one_config_write,
        show_model=True,
    )
    return after


def main() -> int:
    agent = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with isolated_process_environment(), Emulator() as emulator:
        functions = LocalLambda(environment={"AWS_ENDPOINT_URL_CONNECT": emulator.endpoint_url})
        with functions:
            print("AWS::Connect::User demo: no AWS account, everything on loopback")
            print(f"  Connect emulator     {emulator.endpoint_url}")
            print(f"  Lambda endpoint      {functions.endpoint_url} (TypeFunction)")
            tags = ", ".join(f"{k}={v}" for k, v in STACK_TAGS.items())
            print(f"  Stack tags           {tags}: what CloudFormation passes from a stack's")
            print("                       tags (aws cloudformation deploy --tags ...); the handler")
            print("                       puts them on the user next to its own Tags")
            client = boto3.client(
                "lambda",
                region_name=REGION,
                endpoint_url=functions.endpoint_url,
                config=Config(retries={"max_attempts": 1}, read_timeout=120),
            )
            demo = Demo(client, emulator)
            run(demo, agent)
    print()
    if demo.failures:
        print(f"demo FAILED: {demo.failures} step(s) did not do what they should")
        return 1
    print(f"demo passed: {demo.step_number} steps, each as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())

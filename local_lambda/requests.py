"""cfn invoke request files for the user a CREATE made, so the samples work for every create.

    cfn invoke resource CREATE examples/invoke/create.json | python -m local_lambda.requests
    cfn invoke resource READ .local/invoke/read.json        # then UPDATE, DELETE alike
    python -m local_lambda.requests --username agent2       # a create.json for another user

Reads the CREATE's answer (cfn invoke's output, whose last "=== Handler response ===" block is
the final ProgressEvent, or that ProgressEvent as JSON) from a file or standard input, passes it
through, and writes read.json, update.json and delete.json (examples/invoke's, for that user's
UserArn and Username) to --dir (.local/invoke). The emulator's user IDs are not known in advance
once a user has been deleted, so the files come from the answer, not from a guess.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "invoke"
DEFAULT_DIR = Path(".local") / "invoke"
RESPONSE_MARKER = "=== Handler response ==="
FOLLOW_UPS = ("read", "update", "delete")


def final_event(text: str) -> dict[str, Any]:
    """The ProgressEvent in cfn invoke's output (its last response block) or in plain JSON."""
    body = text.rsplit(RESPONSE_MARKER, 1)[-1].strip()
    event: dict[str, Any] = json.loads(body)
    return event


def _sample(name: str) -> dict[str, Any]:
    request: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return request


def follow_ups(created: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """read, update and delete requests for the user a successful CREATE answer describes."""
    if created.get("status") != "SUCCESS" or not created.get("resourceModel"):
        raise ValueError(
            f"the CREATE did not succeed ({created.get('status')} {created.get('errorCode', '')}"
            f"): {created.get('message', '')}".strip()
        )
    model = created["resourceModel"]
    identity = {"UserArn": model["UserArn"], "Username": model["Username"]}
    requests = {name: _sample(name) for name in FOLLOW_UPS}
    requests["read"]["desiredResourceState"]["UserArn"] = model["UserArn"]
    # The UserId too, as CloudFormation's model of a created user has it: a second delete of
    # the same user is then NotFound at once (stabilise.py: a UserArn alone may still appear).
    requests["delete"]["desiredResourceState"].update(
        {"UserArn": model["UserArn"], "UserId": model["UserId"]}
    )
    update = requests["update"]
    update["desiredResourceState"].update(identity)
    # What CloudFormation sends as the previous state: the template it created from, with the
    # identifier it learned; the create's own request for what the answer leaves out.
    previous = {**_sample("create")["desiredResourceState"], **model}
    update["previousResourceState"] = {**previous, **identity}
    return requests


def create_request(username: str) -> dict[str, Any]:
    request = _sample("create")
    request["desiredResourceState"]["Username"] = username
    return request


def _write(directory: Path, name: str, request: Mapping[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    path.write_text(json.dumps(request, indent=4) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_lambda.requests",
        description="Write cfn invoke request files for the user a CREATE answer describes.",
    )
    parser.add_argument("answer", nargs="?", default="-", help="file with the answer (- = stdin)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where to write them")
    parser.add_argument("--username", help="instead: write a create.json for this username")
    args = parser.parse_args(argv)
    if args.username:
        print(_write(args.dir, "create", create_request(args.username)))
        return 0
    text = sys.stdin.read() if args.answer == "-" else Path(args.answer).read_text("utf-8")
    print(text, end="" if text.endswith("\n") else "\n")  # the answer, passed through
    try:
        requests = follow_ups(final_event(text))
    except (ValueError, KeyError) as error:
        print(f"error: no request files written: {error}", file=sys.stderr)
        return 1
    for name, request in requests.items():
        print(f"wrote {_write(args.dir, name, request)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

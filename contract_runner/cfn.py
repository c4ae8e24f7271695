"""`python -m contract_runner.cfn <cfn arguments>`: the real cfn CLI, offline.

rpdk.core.cli.main runs unmodified, with three things around it:
- STS: the CLI builds its STS client with an explicit endpoint_url from
  rpdk.core.boto_helpers.get_service_endpoint (public STS; an explicit endpoint_url beats
  AWS_ENDPOINT_URL_STS), so that one function is replaced to return a loopback LocalSts.
- AWS configuration: fake credentials with a session token, empty temporary config files.
- Output: rpdk.log goes to $CFN_OFFLINE_LOG_FILE (default build/cfn/rpdk.log) and both the log
  and the console pass through a Password redactor.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import rpdk.core.boto_helpers as boto_helpers
import rpdk.core.cli as cli

from contract_runner.isolation import isolated_process_environment
from contract_runner.redact import RedactingFilter, RedactingStream, Redactor, secrets_in_files
from contract_runner.sts import LocalSts

LOG_FILE_VARIABLE = "CFN_OFFLINE_LOG_FILE"
DEFAULT_LOG_FILE = Path("build/cfn/rpdk.log")
LOGGING_RESOURCE = "data/logging.yaml"


@contextmanager
def _patched(owner: Any, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _sts_to_loopback(sts_url: str) -> Callable[[str, str], str]:
    original = boto_helpers.get_service_endpoint

    def get_service_endpoint(service: str, region: str) -> str:
        return sts_url if service == "sts" else original(service, region)

    return get_service_endpoint


def _logging_config(log_file: Path, redactor: Redactor) -> Callable[[str, str], Any]:
    """Wrap cli.resource_yaml so the CLI's own logging.yaml is used with two changes."""
    original = cli.resource_yaml

    def resource_yaml(package: str, name: str) -> Any:
        config = original(package, name)
        if name == LOGGING_RESOURCE:
            config["handlers"]["logfile"]["filename"] = str(log_file)
            config.setdefault("filters", {})["redact"] = {"()": lambda: RedactingFilter(redactor)}
            for handler in config["handlers"].values():
                handler.setdefault("filters", []).append("redact")
        return config

    return resource_yaml


@contextmanager
def _redacted_stdio(redactor: Redactor) -> Iterator[None]:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = RedactingStream(stdout, redactor)
    sys.stderr = RedactingStream(stderr, redactor)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = stdout, stderr


def run_cli(argv: Sequence[str]) -> int:
    """Run cfn with argv; returns its exit status (the CLI reports failures via SystemExit)."""
    log_file = Path(os.environ.get(LOG_FILE_VARIABLE) or DEFAULT_LOG_FILE).resolve()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # Literal Password values too: the key-value pattern cannot see every way they are quoted.
    json_files = [*Path("inputs").glob("*.json"), *(Path(a) for a in argv if a.endswith(".json"))]
    redactor = Redactor(secrets_in_files(json_files))
    with ExitStack() as stack:
        stack.enter_context(isolated_process_environment())
        sts = stack.enter_context(LocalSts())
        stack.enter_context(
            _patched(boto_helpers, "get_service_endpoint", _sts_to_loopback(sts.endpoint_url))
        )
        stack.enter_context(_patched(cli, "resource_yaml", _logging_config(log_file, redactor)))
        stack.enter_context(_redacted_stdio(redactor))
        try:
            cli.main(list(argv))
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def main() -> None:
    sys.argv[0] = "cfn"  # argparse's prog name in usage and errors
    sys.exit(run_cli(sys.argv[1:]))


if __name__ == "__main__":
    main()

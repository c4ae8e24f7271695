"""Command line: the runner's own options, cfn test's options, and the rest for pytest."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# cfn test options that take a value and are passed through unchanged.
PASSED_THROUGH = ("--enforce-timeout", "--role-arn", "--typeconfig", "--source-account",
                  "--source-arn", "--cloudformation-endpoint-url")  # fmt: skip
# cfn test options the runner sets itself or that would reach a real account or Docker.
REFUSED = {
    "--endpoint": "the runner points cfn test at its own local Lambda endpoint",
    "--function-name": "the suite must drive TypeFunction in the CloudFormation request format",
    "--region": "the emulator is seeded in us-east-1",
    "--profile": "the runner never reads AWS profiles",
    "--docker-image": "no Docker here; the handler runs behind the local Lambda endpoint",
    "--log-group-name": "handler log delivery would call CloudWatch Logs",
    "--log-role-arn": "handler log delivery would call CloudWatch Logs",
}
DEFAULT_TIMEOUT_S = 600.0
# The handler contract's limits: read and list answer within 30 s, create, update and delete
# within 60 s (cfn test times the first invocation: twice this for them). cfn test's own
# default is 240; the runner holds the handler to the contract unless told otherwise.
CONTRACT_TIMEOUT_S = "30"


@dataclass(frozen=True)
class RunnerOptions:
    handler_overrides: dict[str, str]
    timeout_s: float
    connect_endpoint: str | None
    output_dir: Path
    cfn_args: list[str]
    pytest_args: list[str]
    visibility_delay: float = 0.0  # the emulator's eventual-consistency delay, seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m contract_runner",
        description=(
            "Run the official cfn test contract suite offline against TypeFunction. "
            "Unrecognised options go to the suite's pytest, e.g. -k create_read."
        ),
        allow_abbrev=False,
    )
    runner = parser.add_argument_group("runner")
    runner.add_argument(
        "--handler",
        action="append",
        default=[],
        metavar="FUNCTION=MODULE.ATTR",
        help="serve FUNCTION (from template.yml) with another handler, e.g. a broken one in tests",
    )
    runner.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"stop the whole run after this many seconds (default {DEFAULT_TIMEOUT_S:.0f})",
    )
    runner.add_argument(
        "--connect-endpoint",
        help="use this Connect endpoint instead of starting the local emulator",
    )
    runner.add_argument(
        "--visibility-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="start the emulator eventually consistent: new users, deleted users and new "
        "references stay (in)visible for this long (default 0: consistent)",
    )
    runner.add_argument(
        "--output-dir",
        type=Path,
        default=Path("build/contract"),
        help="rpdk.log, handler.log and the report go here (default build/contract)",
    )
    cfn = parser.add_argument_group("cfn test (passed through)")
    for option in PASSED_THROUGH:
        cfn.add_argument(option)
    for option in REFUSED:
        parser.add_argument(option, help=argparse.SUPPRESS)
    parser.add_argument("--v2", action="store_true", help=argparse.SUPPRESS)
    return parser


def parse(argv: Sequence[str]) -> RunnerOptions:
    argv = list(argv)
    explicit_pytest: list[str] = []
    if "--" in argv:  # everything after an explicit -- is pytest's
        cut = argv.index("--")
        argv, explicit_pytest = argv[:cut], argv[cut + 1 :]
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    for option, why in REFUSED.items():
        if getattr(args, option.lstrip("-").replace("-", "_")) is not None:
            parser.error(f"{option} is not supported: {why}")
    if args.v2:
        parser.error("--v2 is not supported: the RQTS runner needs Docker")
    overrides: dict[str, str] = {}
    for item in args.handler:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            parser.error(f"--handler expects FUNCTION=MODULE.ATTR, got {item!r}")
        overrides[name] = path
    if args.visibility_delay < 0:
        parser.error("--visibility-delay must be >= 0")
    if args.visibility_delay and args.connect_endpoint:
        parser.error("--visibility-delay configures the local emulator, not --connect-endpoint")
    if args.enforce_timeout is None:
        args.enforce_timeout = CONTRACT_TIMEOUT_S
    cfn_args: list[str] = []
    for option in PASSED_THROUGH:
        value = getattr(args, option.lstrip("-").replace("-", "_"))
        if value is not None:
            cfn_args += [option, value]
    return RunnerOptions(
        handler_overrides=overrides,
        timeout_s=args.timeout,
        connect_endpoint=args.connect_endpoint,
        output_dir=args.output_dir,
        cfn_args=cfn_args,
        pytest_args=[*rest, *explicit_pytest],
        visibility_delay=args.visibility_delay,
    )

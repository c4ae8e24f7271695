"""python -m connect_emulator --port 4566 [--state-file F] [--rate 2 --burst 5] ..."""

from __future__ import annotations

import argparse
import logging
import sys

from .faults import ALL_OPERATIONS, FaultSpec
from .identity_rules import SamlEmailPolicy
from .server import Emulator


def _fail_next(text: str) -> tuple[str, int, str]:
    try:
        operation, count, fault = text.split(":")
        return operation, int(count), fault
    except ValueError:
        raise argparse.ArgumentTypeError("expected OPERATION:COUNT:FAULT") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m connect_emulator", description="A local Amazon Connect emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566, help="0 picks a free port")
    parser.add_argument("--state-file", help="load state from here at start, save after each write")
    parser.add_argument("--user-limit", type=int, default=100_000, help="users per instance")
    parser.add_argument(
        "--saml-email",
        choices=[policy.value for policy in SamlEmailPolicy],
        default=SamlEmailPolicy.REJECT.value,
        help="IdentityInfo.Email on SAML instances (default: reject)",
    )
    faults = parser.add_argument_group("fault injection (for --operation, default all)")
    faults.add_argument("--operation", default=ALL_OPERATIONS, help="e.g. CreateUser; * = all")
    faults.add_argument("--rate", type=float, help="token-bucket refill, requests per second")
    faults.add_argument("--burst", type=int, default=1, help="token-bucket size")
    faults.add_argument("--error-rate", type=float, default=0.0, help="share of 500 errors")
    faults.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    faults.add_argument("--drop-rate", type=float, default=0.0, help="share of dropped connections")
    faults.add_argument("--commit-then-drop-rate", type=float, default=0.0)
    faults.add_argument("--fault-seed", type=int, default=0, help="seed of the fault RNG")
    faults.add_argument(
        "--fail-next",
        action="append",
        default=[],
        metavar="OPERATION:COUNT:FAULT",
        type=_fail_next,
        help="fail the next COUNT calls, e.g. CreateUser:2:ThrottlingException or "
        "UpdateUserHierarchy:1:commit_then_drop (repeatable)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    spec = FaultSpec(
        rate=args.rate,
        burst=args.burst,
        error_rate=args.error_rate,
        latency=args.latency,
        drop_rate=args.drop_rate,
        commit_then_drop_rate=args.commit_then_drop_rate,
    )
    emulator = Emulator(
        args.host,
        args.port,
        state_file=args.state_file,
        fault_seed=args.fault_seed,
        faults={args.operation: spec} if spec != FaultSpec() else None,
        fail_next=args.fail_next,
        user_limit=args.user_limit,
        saml_email=args.saml_email,
    )
    emulator.start()
    print(f"Amazon Connect emulator listening on {emulator.endpoint_url}", flush=True)
    print(f"  export AWS_ENDPOINT_URL_CONNECT={emulator.endpoint_url}", flush=True)
    print(
        f"  admin: {emulator.endpoint_url}/_emulator/requests | faults | state | reset", flush=True
    )
    try:
        emulator.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""make local: the Connect emulator and the local Lambda endpoint, in the foreground."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import sys
from pathlib import Path

from connect_emulator import Emulator
from connect_emulator.seed import INSTANCES
from contract_runner.isolation import isolated_process_environment
from local_lambda.functions import load_functions
from local_lambda.server import LocalLambda

CONNECT_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CONNECT"
# Ready cfn invoke requests on the seeded CONNECT_MANAGED instance: create and list as they are,
# read, update and delete written for the created user by local_lambda.requests.
REQUESTS = Path(__file__).resolve().parents[1] / "examples" / "invoke"
WRITTEN = Path(".local") / "invoke"  # local_lambda.requests' default --dir
LIFECYCLE = ("CREATE", "READ", "UPDATE", "LIST", "DELETE")
FROM_SAMPLES = ("CREATE", "LIST")
PORT_TAKEN = 2  # exit status when a port cannot be bound
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class PortTaken(Exception):
    """A port could not be bound: one line for the console, no traceback."""

    def __init__(self, what: str, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"Cannot start the {what}: port {port} on {host} is {reason}. Choose other ports: "
            "make local CONNECT_PORT=<port> LAMBDA_PORT=<port> (0 = any free port), or "
            "python -m local_lambda --connect-port <port> --port <port>."
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m local_lambda",
        description="Serve template.yml's functions on a local Lambda endpoint, with the handler's "
        "Connect client pointed at a local Connect emulator started alongside.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    # 3001 is cfn invoke/test's default --endpoint, so they need no --endpoint here.
    parser.add_argument("--port", type=int, default=3001, help="Lambda endpoint (0 = any free)")
    parser.add_argument("--connect-port", type=int, default=4566, help="emulator (0 = any free)")
    parser.add_argument(
        "--handler",
        action="append",
        default=[],
        metavar="FUNCTION=MODULE.ATTR",
        help="serve FUNCTION with another handler than template.yml's",
    )
    return parser


def _shown(path: Path) -> str:
    """A request file as the reader would type it: relative when under the current directory."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _banner(emulator_url: str, lambda_: LocalLambda) -> str:
    seeded = ", ".join(f"{i.identity_management_type} {i.id}" for i in INSTANCES)
    functions = "\n".join(
        f"      {name:<15} {spec.handler}" for name, spec in lambda_.functions.items()
    )
    python = _shown(Path(sys.executable))
    cfn = f"{python} -m contract_runner.cfn invoke"
    helper = f"{python} -m local_lambda.requests"

    def request(action: str) -> str:
        folder = REQUESTS if action in FROM_SAMPLES else WRITTEN
        return _shown(folder.resolve() / f"{action.lower()}.json")

    invokes = "\n".join(
        f"  {cfn} --endpoint {lambda_.endpoint_url} resource {action} {request(action)}"
        + (f" | {helper}" if action == "CREATE" else "")
        for action in LIFECYCLE
    )
    endpoint = lambda_.endpoint_url
    pid = os.getpid()
    return f"""\
AWS::Connect::User local endpoints, PID {pid} (to stop: Ctrl-C, or kill {pid})

  Amazon Connect emulator  {emulator_url}
      seeded instances: {seeded}
  Local Lambda endpoint    {lambda_.endpoint_url}
{functions}
  The handler's Connect client uses {CONNECT_ENDPOINT_VARIABLE}={emulator_url}

cfn invoke, one user's life in order (the real CLI; only its STS calls are answered on loopback).
The CREATE's answer goes through local_lambda.requests, which writes read, update and delete for
that user to {WRITTEN}/ (so it repeats: after the DELETE, CREATE again); another user at once:
{helper} --username agent2, then CREATE {_shown(WRITTEN.resolve() / "create.json")}.
{invokes}
boto3, the same request files (the payload format: examples/invoke/boto3_invoke.py's docstring):
  {python} examples/invoke/boto3_invoke.py --endpoint {endpoint} LIST {request("LIST")}
  boto3.client("connect", endpoint_url="{emulator_url}")
"""


def _bind_error(exc: OSError, what: str, host: str, port: int) -> PortTaken:
    reasons = {errno.EADDRINUSE: "already in use", errno.EACCES: "not allowed for this user"}
    if exc.errno not in reasons:
        raise exc
    return PortTaken(what, host, port, reasons[exc.errno])


def _serve(args: argparse.Namespace) -> None:
    overrides = dict(item.split("=", 1) for item in args.handler)
    emulator = Emulator(args.host, args.connect_port)
    try:
        emulator.start()
    except OSError as exc:
        raise _bind_error(exc, "Connect emulator", args.host, args.connect_port) from None
    try:
        with isolated_process_environment():
            lambda_ = LocalLambda(
                load_functions(overrides=overrides),
                host=args.host,
                port=args.port,
                environment={CONNECT_ENDPOINT_VARIABLE: emulator.endpoint_url},
            )
            try:
                lambda_.start()
            except OSError as exc:
                lambda_.stop()
                raise _bind_error(exc, "Lambda endpoint", args.host, args.port) from None
            try:
                print(_banner(emulator.endpoint_url, lambda_), flush=True)
                signal.sigwait(STOP_SIGNALS)
                print("\nStopping.", flush=True)
            finally:
                lambda_.stop()
    finally:
        emulator.stop()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Blocked before any server thread starts (threads inherit the mask), so Ctrl-C and kill
    # reach the sigwait in _serve: a signal the kernel handed to a server thread would
    # otherwise leave the main thread waiting.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        _serve(args)
    except PortTaken as exc:
        print(exc, file=sys.stderr, flush=True)
        return PORT_TAKEN
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())

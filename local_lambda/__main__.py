"""make local: the Connect emulator and the local Lambda endpoint, in the foreground."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from connect_emulator import Emulator
from connect_emulator.seed import INSTANCES
from contract_runner.isolation import REGION, isolated_process_environment
from local_lambda.functions import load_functions
from local_lambda.server import LocalLambda

CONNECT_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CONNECT"
REQUESTS = Path(__file__).resolve().parent / "requests"


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


def _banner(emulator_url: str, lambda_: LocalLambda) -> str:
    seeded = ", ".join(f"{i.identity_management_type} {i.id}" for i in INSTANCES)
    functions = "\n".join(
        f"      {name:<15} {spec.handler}" for name, spec in lambda_.functions.items()
    )
    cfn = f"{sys.executable} -m contract_runner.cfn"
    return f"""\
AWS::Connect::User local endpoints (Ctrl-C to stop)

  Amazon Connect emulator  {emulator_url}
      seeded instances: {seeded}
  Local Lambda endpoint    {lambda_.endpoint_url}
{functions}
  The handler's Connect client uses {CONNECT_ENDPOINT_VARIABLE}={emulator_url}

cfn invoke (the real CLI; only its STS calls are answered on loopback):
  {cfn} invoke --endpoint {lambda_.endpoint_url} resource CREATE {REQUESTS / "create.json"}
  {cfn} invoke --endpoint {lambda_.endpoint_url} resource LIST {REQUESTS / "list.json"}
boto3 (any credentials, region {REGION}):
  boto3.client("lambda", endpoint_url="{lambda_.endpoint_url}")
      .invoke(FunctionName="TypeFunction", Payload=...)
  boto3.client("connect", endpoint_url="{emulator_url}")
"""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops as cleanly as Ctrl-C


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    overrides = dict(item.split("=", 1) for item in args.handler)
    with (
        isolated_process_environment(),
        Emulator(args.host, args.connect_port) as emulator,
        LocalLambda(
            load_functions(overrides=overrides),
            host=args.host,
            port=args.port,
            environment={CONNECT_ENDPOINT_VARIABLE: emulator.endpoint_url},
        ) as lambda_,
    ):
        print(_banner(emulator.endpoint_url, lambda_), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopping.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

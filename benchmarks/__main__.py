"""python -m benchmarks [--quick] [--only overhead,cold,...] [--json FILE] [--markdown]

The performance benchmark of the AWS::Connect::User handler: what it costs per operation
(time, API calls, cold start, package size) against the floor set by the Connect API, all
against the local in-process Connect emulator. Prints one table; every timed figure is a
median over repeated runs with min and max, and every comparison is measured side by side
in the same run.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from .common import Row, emulator_for_handler, isolate_aws_environment, machine

# A regional Connect endpoint answers in tens of milliseconds; the context rows use this.
SERVICE_LATENCY = 0.02
SECTIONS = (
    "calls",
    "gone",
    "overhead",
    "cold",
    "lambda",
    "list",
    "stack",
    "lag",
    "stacks",
    "adopt",
    "package",
)
# Issue 16: the stack-scale run on a Connect that shows a new user this many seconds late.
LAG_VISIBILITY_DELAY = 5.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated: {','.join(SECTIONS)}"
    )
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--stack-time-scale",
        type=float,
        default=0.1,
        help="real seconds per emulated second in the stack-scale run (default 0.1)",
    )
    parser.add_argument(
        "--callback-delay-cap",
        type=int,
        metavar="SECONDS",
        help="run the stack-scale rows with this outcomes.CALLBACK_DELAY_CAP instead of the "
        "handler's own (an experiment, see benchmarks/README.md)",
    )
    parser.add_argument(
        "--stack-runs", type=int, help="repetitions of the stack-scale run (default 3; quick 1)"
    )
    return parser


def _plain(rows: list[Row]) -> str:
    lines: list[str] = []
    section = None
    width = max((len(r.name) for r in rows), default=20)
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append("")
            lines.append(section)
            lines.append("-" * len(section))
        target = f"  [target {row.target}: {row.verdict}]" if row.target else ""
        lines.append(f"  {row.name:<{width}}  {row.value}{target}")
        if row.note:
            lines.append(f"  {'':<{width}}    {row.note}")
    return "\n".join(lines)


def _markdown(rows: list[Row]) -> str:
    lines = ["| Section | Measure | Result (median (min-max, n)) | Target | Verdict | Note |"]
    lines.append("|---|---|---|---|---|---|")
    for row in rows:
        cells = [row.section, row.name, row.value, row.target or "-", row.verdict, row.note]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        print(f"unknown sections: {', '.join(unknown)}", file=sys.stderr)
        return 2
    isolate_aws_environment()
    logging.getLogger("connect_emulator").setLevel(logging.WARNING)
    quick = args.quick
    from loadtest import Credentials

    credentials = Credentials.fresh()
    rows: list[Row] = []
    timings: dict[str, float] = {}
    cold_import: Any = None
    started = time.perf_counter()

    def step(name: str, work: Callable[[], list[Row]]) -> None:
        if name not in chosen:
            return
        print(f"... {name}", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        rows.extend(work())
        timings[name] = time.perf_counter() - begun

    from . import calls, coldstart, gone, lambda_package, listing, overhead, package, stack

    with emulator_for_handler() as emulator:
        step(
            "calls",
            lambda: calls.rows(
                calls.call_counts(emulator, credentials, list_users=1_500 if quick else 2_500)
            ),
        )

        def overheads() -> list[Row]:
            found = overhead.rows(
                overhead.measure(
                    emulator, credentials, rounds=3 if quick else 7, per_round=10 if quick else 40
                )
            )
            found += overhead.breakdown_rows(
                overhead.breakdown(emulator, credentials, rounds=3 if quick else 5)
            )
            return found + overhead.with_latency_rows(
                emulator,
                credentials,
                SERVICE_LATENCY,
                rounds=3,
                per_round=5 if quick else 10,
            )

        step("overhead", overheads)

        def cold() -> list[Row]:
            nonlocal cold_import
            result = coldstart.measure(emulator, credentials, runs=3 if quick else 7)
            cold_import = result.handler_import
            return coldstart.rows(result)

        step("cold", cold)
        step(
            "lambda",
            lambda: lambda_package.rows(
                lambda_package.measure(emulator, credentials, runs=3 if quick else 7)
            ),
        )
        step(
            "list",
            lambda: listing.rows(
                listing.measure(
                    emulator,
                    credentials,
                    users=2_000 if quick else 10_000,
                    runs=2 if quick else 5,
                )
            ),
        )

    # Issue 20: its own emulator, whose clock runs at the driver's compressed pace.
    step("gone", lambda: gone.rows(gone.measure(runs=2 if quick else 5)))

    def stack_rows() -> list[Row]:
        from aws_connect_user import outcomes

        cap = outcomes.CALLBACK_DELAY_CAP
        if args.callback_delay_cap is not None:
            outcomes.CALLBACK_DELAY_CAP = args.callback_delay_cap
        try:
            results = stack.measure(
                runs=args.stack_runs or (1 if quick else 3),
                users=100 if quick else 500,
                time_scale=args.stack_time_scale,
            )
        finally:
            outcomes.CALLBACK_DELAY_CAP = cap
        title = (
            f"[experiment: callback delay cap {args.callback_delay_cap} s] "
            if args.callback_delay_cap is not None
            else ""
        )
        return stack.rows(results, title=title)

    step("stack", stack_rows)

    def lagging_stack_rows() -> list[Row]:
        # The same stack on an eventually consistent Connect: each create is called back
        # until DescribeUser shows its user (stabilisation), in DescribeUser's own bucket.
        results = stack.measure(
            runs=args.stack_runs or 1,
            users=100 if quick else 500,
            time_scale=args.stack_time_scale,
            visibility_delay=LAG_VISIBILITY_DELAY,
        )
        return stack.rows(results, title=f"New users visible {LAG_VISIBILITY_DELAY:g} s late: ")

    step("lag", lagging_stack_rows)

    def many_stacks_rows() -> list[Row]:
        # Ten team stacks of 200 users deployed at once share one account's rate limit. The
        # driver stands in for CloudFormation with no invocation cap of its own: the handler's
        # time budget (its timeoutInMinutes) is what decides when to give up.
        results = stack.measure(
            runs=1,
            users=400 if quick else 2000,
            concurrency=40 if quick else 200,
            time_scale=args.stack_time_scale,
            max_invocations=10_000,
        )
        return stack.rows(
            results, title="Many stacks at once: ", target=stack.MANY_STACKS_TARGET_RATIO
        )

    step("stacks", many_stacks_rows)

    def adopt_rows() -> list[Row]:
        from . import adoption

        return adoption.rows(adoption.measure((200, 1_000) if quick else (1_000, 10_000)))

    step("adopt", adopt_rows)
    step(
        "package",
        lambda: (
            package.rows(package.measure_closure(), package.measure_tool(), cold_import)
            + package.lambda_import_rows(package.measure_lambda_import(runs=3 if quick else 5))
        ),
    )
    total = time.perf_counter() - started

    info = machine()
    header = (
        f"AWS::Connect::User performance benchmark{' (quick)' if quick else ''}\n"
        f"machine: {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}, "
        f"{info['platform']}\n"
        f"reproduce: make bench  (= .venv/bin/python -m benchmarks)"
    )
    print(header)
    print(_markdown(rows) if args.markdown else _plain(rows))
    print(
        "\nrun time: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        + f"; total {total:.0f} s"
    )
    if args.json:
        document = {
            "machine": info,
            "quick": quick,
            "seconds": {**timings, "total": total},
            "rows": [
                {
                    "section": r.section,
                    "name": r.name,
                    "value": r.value,
                    "target": r.target,
                    "met": r.met,
                    "note": r.note,
                    "data": r.data,
                }
                for r in rows
            ],
        }
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, default=str)
    return 0  # a benchmark reports (missed targets are in the table); it does not fail a build


if __name__ == "__main__":
    sys.exit(main())

"""Orchestrate one offline contract run: emulator + local Lambda here, the real cfn in a child."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TextIO

from contract_runner.cfn import LOG_FILE_VARIABLE
from contract_runner.isolation import REGION, isolated_process_environment
from contract_runner.options import RunnerOptions
from contract_runner.redact import RedactingFilter, RedactingStream, Redactor, secrets_in_files
from contract_runner.report_plugin import REPORT_VARIABLE
from contract_runner.summary import input_set_names, last_started, read_report, render
from local_lambda import LocalLambda, load_functions

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FUNCTION = "TypeFunction"  # the production entrypoint: CloudFormation's request format
CONNECT_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CONNECT"
TIMED_OUT = 124


@contextmanager
def _connect_endpoint(explicit: str | None, visibility_delay: float = 0.0) -> Iterator[str]:
    if explicit:
        yield explicit
        return
    from connect_emulator import Emulator  # imported late: only needed when we start one

    with Emulator(port=0, consistency=visibility_delay or None) as emulator:
        yield emulator.endpoint_url


@contextmanager
def _handler_output_to(log_path: Path, redactor: Redactor) -> Iterator[None]:
    """The handler's prints and logs go to a file, as Lambda sends them to CloudWatch Logs."""
    with open(log_path, "w", encoding="utf-8") as log_file:
        stream = RedactingStream(log_file, redactor)
        file_handler = logging.StreamHandler(stream)
        file_handler.addFilter(RedactingFilter(redactor))
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
        )
        root = logging.getLogger()
        saved_level = root.level
        root.addHandler(file_handler)
        root.setLevel(logging.INFO)
        try:
            with redirect_stdout(stream), redirect_stderr(stream):
                yield
        finally:
            root.removeHandler(file_handler)
            root.setLevel(saved_level)
            stream.flush()


def _pump(source: TextIO, out: TextIO, redactor: Redactor) -> None:
    for line in source:
        out.write(redactor(line))
        out.flush()


def _cfn_test_command(lambda_endpoint: str, options: RunnerOptions) -> list[str]:
    return [
        sys.executable, "-m", "contract_runner.cfn", "test",
        "--endpoint", lambda_endpoint, "--function-name", FUNCTION, "--region", REGION,
        *options.cfn_args,
        # After --, for the suite's pytest: our observer plugin, skip reasons in the summary,
        # and live logs at WARNING (the full DEBUG log is in rpdk.log). User args come last.
        "--", "-p", "contract_runner.report_plugin", "-p", "no:cacheprovider", "-rfEs",
        "--log-cli-level=WARNING",
        *options.pytest_args,
    ]  # fmt: skip


def _lag(visibility_delay: float) -> str:
    return f" (visibility delay {visibility_delay:g} s)" if visibility_delay else ""


def _run_child(
    command: list[str], env: dict[str, str], out: TextIO, redactor: Redactor, timeout_s: float
) -> int:
    """Run the CLI, streaming its output redacted; TIMED_OUT if it had to be killed."""
    child = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert child.stdout is not None
    pump = threading.Thread(target=_pump, args=(child.stdout, out, redactor), daemon=True)
    pump.start()
    try:
        code = child.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        code = TIMED_OUT
    pump.join()
    return code


def run(options: RunnerOptions, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if any(arg == "-m" or arg.startswith("-m") for arg in options.pytest_args):
        out.write(
            "warning: -m replaces cfn test's own marker expression, which deselects the hook "
            "tests; unless yours excludes them too, they run and error. Prefer -k.\n"
        )
    output_dir = (PROJECT_ROOT / options.output_dir).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    report_path = output_dir / "report.jsonl"
    report_path.unlink(missing_ok=True)
    redactor = Redactor(secrets_in_files((PROJECT_ROOT / "inputs").glob("*.json")))
    functions = load_functions(overrides=options.handler_overrides)
    started = time.monotonic()
    with ExitStack() as stack:
        stack.enter_context(isolated_process_environment())
        connect_url = stack.enter_context(
            _connect_endpoint(options.connect_endpoint, options.visibility_delay)
        )
        lambda_ = stack.enter_context(
            LocalLambda(functions, environment={CONNECT_ENDPOINT_VARIABLE: connect_url})
        )
        out.write(
            f"Connect emulator: {connect_url}{_lag(options.visibility_delay)}\n"
            f"Local Lambda:     {lambda_.endpoint_url} "
            f"({FUNCTION} -> {functions[FUNCTION].handler})\n"
            f"Logs:             {output_dir}/rpdk.log, {output_dir}/handler.log\n\n"
        )
        out.flush()
        stack.enter_context(_handler_output_to(output_dir / "handler.log", redactor))
        env = {
            **os.environ,
            LOG_FILE_VARIABLE: str(output_dir / "rpdk.log"),
            REPORT_VARIABLE: str(report_path),
            "PYTHONUNBUFFERED": "1",
        }
        command = _cfn_test_command(lambda_.endpoint_url, options)
        code = _run_child(command, env, out, redactor, options.timeout_s)
    sets = read_report(report_path, input_set_names(PROJECT_ROOT / "inputs"))
    for line in render(sets, time.monotonic() - started):
        out.write(line + "\n")
    if code == TIMED_OUT:
        running = last_started(sets) or "unknown"
        out.write(
            f"TIMED OUT: cfn test did not finish within {options.timeout_s:.0f}s; "
            f"still running: {running}\n"
        )
    elif code == 0 and any(s.count("failed") or s.count("error") for s in sets):
        code = 1  # belt and braces: never report success over a failed test
    out.write(f"Exit status {code}\n")
    out.flush()
    return code

"""A pytest plugin the runner adds (-p contract_runner.report_plugin) to the suite's pytest runs.

It only observes: one JSON line per test outcome, appended to $CONTRACT_RUNNER_REPORT, tagged with
the number of the pytest session. cfn test runs one session per input set, in order.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

REPORT_VARIABLE = "CONTRACT_RUNNER_REPORT"
_sessions = {"count": 0}  # the module stays imported across the CLI's pytest.main calls


def _append(record: dict[str, Any]) -> None:
    path = os.environ.get(REPORT_VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as report:
            report.write(json.dumps(record) + "\n")


def pytest_sessionstart(session: pytest.Session) -> None:
    _sessions["count"] += 1


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    # Lets the runner name the test that was running if it has to stop a hung suite.
    test = nodeid.rpartition("::")[2]
    _append({"session": _sessions["count"], "test": test, "when": "start", "outcome": "started"})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # One record per test: the call phase, or the setup/teardown phase that failed or skipped.
    if report.when != "call" and report.passed:
        return
    reason = ""
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif report.failed:
        reason = report.longreprtext.strip().splitlines()[-1] if report.longreprtext else ""
    _append(
        {
            "session": _sessions["count"],
            "test": report.nodeid.rpartition("::")[2],
            "when": report.when,
            "outcome": "error" if report.failed and report.when != "call" else report.outcome,
            "duration": round(report.duration, 3),
            "reason": reason,
        }
    )

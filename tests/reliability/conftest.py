"""Fixtures of the reliability suite, and the figures table printed at the end of a run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from connect_emulator import Emulator

from .support import ACTIONS, FIGURES, LEDGER, declared_permissions, serving


@pytest.fixture
def connect_service() -> Iterator[Callable[..., Emulator]]:
    """Start an emulator (with Emulator options: clock, faults, fault_seed, ...) that the
    production handler uses for the rest of the test."""
    with ExitStack() as stack:

        def start(**options: Any) -> Emulator:
            return stack.enter_context(serving(**options))

        yield start


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long runs (marker `slow`) only when asked for: pytest -m slow tests/reliability."""
    if "slow" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="long run: select it with -m slow")
    for item in items:
        if "reliability" in item.nodeid and item.get_closest_marker("slow"):
            item.add_marker(skip)


def _undeclared_calls() -> dict[str, list[str]]:
    declared = declared_permissions()
    found = {a: sorted(set(LEDGER.observed.get(a, {})) - declared[a]) for a in ACTIONS}
    return {a: calls for a, calls in found.items() if calls}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Least privilege over the whole run, whatever the test order: any Connect call a
    handler made that its schema entry does not declare fails the session."""
    if _undeclared_calls() and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES and not LEDGER.requests():
        return
    undeclared = _undeclared_calls()
    if undeclared:
        terminalreporter.section("least privilege violated", red=True)
        terminalreporter.write_line(f"handlers called undeclared actions: {undeclared}")
    figures = {**FIGURES, "least_privilege": LEDGER.table()}
    terminalreporter.section("reliability figures")
    terminalreporter.write_line(json.dumps(figures, indent=2, sort_keys=True))
    target = os.environ.get("RELIABILITY_FIGURES")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2, sort_keys=True)

"""Turn the report plugin's JSON lines into a per-input-set summary."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Worst outcome wins when a test has several records (a failed call, then a teardown error).
_RANK = {"started": 0, "passed": 1, "skipped": 2, "failed": 3, "error": 4}


@dataclass
class TestResult:
    test: str
    outcome: str
    reason: str = ""
    duration: float = 0.0


@dataclass
class SetResult:
    name: str
    tests: dict[str, TestResult] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.tests.values() if result.outcome == outcome)

    @property
    def duration(self) -> float:
        return sum(result.duration for result in self.tests.values())


def input_set_names(inputs_dir: Path) -> list[str]:
    """cfn test runs inputs_1, inputs_2, ... and stops at the first missing number."""
    names = []
    index = 1
    while any(inputs_dir.glob(f"inputs_{index}_*.json")):
        names.append(f"inputs_{index}")
        index += 1
    return names or ["generated"]


def read_report(path: Path, set_names: list[str]) -> list[SetResult]:
    sets: dict[int, SetResult] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for line in lines:
        record = json.loads(line)
        number = int(record["session"])
        name = set_names[number - 1] if 0 < number <= len(set_names) else f"session_{number}"
        result_set = sets.setdefault(number, SetResult(name))
        test = record["test"]
        previous = result_set.tests.get(test)
        duration = float(record.get("duration", 0.0)) + (previous.duration if previous else 0.0)
        if previous is None or _RANK[record["outcome"]] > _RANK[previous.outcome]:
            result_set.tests[test] = TestResult(
                test, record["outcome"], record.get("reason", ""), duration
            )
        else:
            previous.duration = duration
    return [sets[number] for number in sorted(sets)]


def last_started(sets: Iterable[SetResult]) -> str | None:
    for result_set in reversed(list(sets)):
        for result in reversed(list(result_set.tests.values())):
            if result.outcome == "started":
                return f"{result_set.name} {result.test}"
    return None


def render(sets: list[SetResult], wall_seconds: float) -> list[str]:
    lines = ["", "== Contract test summary (official cfn test suite, offline) =="]
    for result_set in sets:
        parts = [
            f"{result_set.count(outcome)} {outcome}"
            for outcome in ("passed", "skipped", "failed", "error")
            if result_set.count(outcome)
        ]
        lines.append(f"{result_set.name:<12} {', '.join(parts) or 'no tests'}")
        for result in result_set.tests.values():
            if result.outcome != "passed":
                detail = f" ({result.reason})" if result.reason else ""
                lines.append(f"    {result.outcome.upper():<8} {result.test}{detail}")
    totals = {
        outcome: sum(result_set.count(outcome) for result_set in sets)
        for outcome in ("passed", "skipped", "failed", "error")
    }
    total = ", ".join(f"{count} {outcome}" for outcome, count in totals.items())
    lines.append(f"Total: {total} in {wall_seconds:.1f}s")
    return lines

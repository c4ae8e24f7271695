"""The official cfn test suite, end to end through `python -m contract_runner` (= make contract).

Each test runs the runner as `make contract` does, in a subprocess with a hard timeout, and reads
the per-test outcomes the runner's report plugin recorded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contract_runner.summary import input_set_names, read_report

pytestmark = pytest.mark.contract

ROOT = Path(__file__).resolve().parents[2]
INPUT_SETS = input_set_names(ROOT / "inputs")
EXPECTED_PASSED = {
    "contract_create_delete",
    "contract_create_read",
    "contract_create_list",
    "contract_create_taggable",
    "contract_delete_read",
    "contract_delete_list",
    "contract_delete_update",
    "contract_delete_delete",
    "contract_check_asserts_work",
    "contract_update_read",
    "contract_update_list",
    "contract_update_tag_updatable",
    "contract_update_without_create",
}
# The suite's duplicate-create tests need a writable primary identifier; UserArn is read-only.
EXPECTED_SKIPPED = {"contract_create_create", "contract_delete_create"}
SECONDS_PER_SET = 60  # the brief: well under a minute per input set


def run_runner(output_dir: Path, *args: str, timeout: float) -> tuple[int, str, float]:
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "contract_runner", "--output-dir", str(output_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started


def outcomes(output_dir: Path) -> dict[str, dict[str, str]]:
    return {
        result_set.name: {test: result.outcome for test, result in result_set.tests.items()}
        for result_set in read_report(output_dir / "report.jsonl", INPUT_SETS)
    }


def passwords() -> set[str]:
    found = set()
    for path in (ROOT / "inputs").glob("*.json"):
        value = json.loads(path.read_text()).get("Password")
        if value:
            found.add(value)
    return found


def test_every_selected_contract_test_passes_for_every_input_set(tmp_path):
    code, output, seconds = run_runner(tmp_path, timeout=SECONDS_PER_SET * len(INPUT_SETS))

    assert code == 0, output[-4000:]
    results = outcomes(tmp_path)
    assert list(results) == INPUT_SETS
    for name, tests in results.items():
        assert {t for t, o in tests.items() if o == "passed"} == EXPECTED_PASSED, name
        assert {t for t, o in tests.items() if o == "skipped"} == EXPECTED_SKIPPED, name
    assert "13 passed, 2 skipped" in output  # the suite's own pytest summary line, per set
    assert seconds < SECONDS_PER_SET * len(INPUT_SETS)
    # No Password value in anything printed or logged.
    logged = [output] + [
        (tmp_path / name).read_text(encoding="utf-8") for name in ("rpdk.log", "handler.log")
    ]
    for secret in passwords():
        assert all(secret not in text for text in logged)


# Issue 16: a Connect that shows new users, deleted users and new references 3 s late. Each
# create and delete is called back once or twice (cfn test sleeps callbackDelaySeconds), so
# a set takes about 35 s instead of 2 s; the handler's own timeouts are far away.
LAG_SECONDS = 3
SECONDS_PER_LAGGING_SET = 120


def test_every_input_set_passes_on_an_eventually_consistent_connect(tmp_path):
    code, output, _seconds = run_runner(
        tmp_path,
        "--visibility-delay",
        str(LAG_SECONDS),
        timeout=SECONDS_PER_LAGGING_SET * len(INPUT_SETS),
    )

    assert code == 0, output[-4000:]
    results = outcomes(tmp_path)
    assert list(results) == INPUT_SETS
    for name, tests in results.items():
        assert {t for t, o in tests.items() if o == "passed"} == EXPECTED_PASSED, name
        assert {t for t, o in tests.items() if o == "skipped"} == EXPECTED_SKIPPED, name
    # the lag was really met: some handler answers were IN_PROGRESS callbacks
    assert "IN_PROGRESS" in (tmp_path / "handler.log").read_text(encoding="utf-8")


def test_the_runner_fails_when_the_handler_is_broken(tmp_path):
    code, output, _seconds = run_runner(
        tmp_path,
        "--handler",
        "TypeFunction=tests.contract.broken_handler.resource",
        "-k",
        "create_read or update_read or delete_read",
        timeout=SECONDS_PER_SET * len(INPUT_SETS),
    )

    assert code != 0
    for name, tests in outcomes(tmp_path).items():
        assert tests == {
            "contract_create_read": "failed",
            "contract_update_read": "failed",
            # Reading a deleted user must be NotFound, which the broken read gets right.
            "contract_delete_read": "passed",
        }, name
    assert "FAILED   contract_create_read" in output
    assert "FAILED   contract_update_read" in output


def test_an_endless_list_pagination_loop_is_stopped_by_the_timeout(tmp_path):
    code, output, seconds = run_runner(
        tmp_path,
        "--handler",
        "TypeFunction=tests.contract.endless_list_handler.resource",
        "--timeout",
        "8",
        "-k",
        "create_list",
        timeout=60,
    )

    assert code == 124
    assert "TIMED OUT" in output
    assert "still running: inputs_1 contract_create_list" in output
    assert seconds < 30


def test_pytest_options_pass_through_to_the_suite(tmp_path):
    code, output, _seconds = run_runner(tmp_path, "-k", "check_asserts_work", timeout=120)

    assert code == 0, output[-4000:]
    for tests in outcomes(tmp_path).values():
        assert tests == {"contract_check_asserts_work": "passed"}

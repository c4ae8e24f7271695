"""python -m contract_runner --visibility-delay S: the emulator it starts lags by S seconds."""

from __future__ import annotations

import json
import urllib.request

import pytest

from contract_runner.options import parse
from contract_runner.runner import _connect_endpoint


def _consistency(endpoint_url: str) -> dict[str, object]:
    with urllib.request.urlopen(f"{endpoint_url}/_emulator/consistency") as response:
        answer: dict[str, object] = json.loads(response.read())
    return answer


def test_the_delay_reaches_the_emulator_the_runner_starts():
    options = parse(["--visibility-delay", "3", "-k", "create_read"])
    assert (options.visibility_delay, options.pytest_args) == (3.0, ["-k", "create_read"])
    with _connect_endpoint(options.connect_endpoint, options.visibility_delay) as url:
        delays = _consistency(url)["delays"]
    assert delays == {"*": {"new_user": 3.0, "deleted_user": 3.0, "new_reference": 3.0}}


def test_by_default_the_emulator_is_consistent():
    options = parse([])
    assert options.visibility_delay == 0
    with _connect_endpoint(options.connect_endpoint, options.visibility_delay) as url:
        assert _consistency(url)["delays"] == {}


@pytest.mark.parametrize(
    "argv",
    [["--visibility-delay", "-1"], ["--visibility-delay", "3", "--connect-endpoint", "http://x"]],
)
def test_a_delay_the_runner_cannot_apply_is_refused(argv, capsys):
    with pytest.raises(SystemExit):
        parse(argv)
    assert "--visibility-delay" in capsys.readouterr().err

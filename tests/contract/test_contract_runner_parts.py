"""The runner's parts, without running the suite: options, STS, isolation, redaction, summary."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import boto3
import pytest
import rpdk.core.boto_helpers as boto_helpers

from contract_runner.cfn import _patched, _sts_to_loopback
from contract_runner.isolation import FAKE_CREDENTIALS, isolated_environment
from contract_runner.options import parse
from contract_runner.redact import RedactingFilter, RedactingStream, Redactor, secrets_in_files
from contract_runner.sts import LocalSts
from contract_runner.summary import input_set_names, last_started, read_report, render

ROOT = Path(__file__).resolve().parents[2]


def test_pytest_options_go_after_the_runners_and_cfns_own():
    options = parse(
        ["-k", "create_read or update_read", "--enforce-timeout", "60", "-x", "--timeout", "90"]
    )
    assert options.pytest_args == ["-k", "create_read or update_read", "-x"]
    assert options.cfn_args == ["--enforce-timeout", "60"]
    assert options.timeout_s == 90


def test_the_contracts_30_second_limit_is_enforced_unless_told_otherwise():
    assert parse([]).cfn_args == ["--enforce-timeout", "30"]  # read/list 30 s, the rest 60 s


def test_everything_after_an_explicit_double_dash_is_pytests():
    options = parse(["--handler", "TypeFunction=a.b", "--", "--timeout", "3"])
    assert options.handler_overrides == {"TypeFunction": "a.b"}
    assert options.pytest_args == ["--timeout", "3"]


@pytest.mark.parametrize(
    "option", ["--endpoint", "--function-name", "--profile", "--region", "--log-group-name"]
)
def test_options_that_would_leave_the_sandbox_are_refused(option, capsys):
    with pytest.raises(SystemExit):
        parse([option, "x"])
    assert "not supported" in capsys.readouterr().err


def test_local_sts_answers_the_clis_calls_through_the_patched_endpoint():
    session = boto3.Session(
        aws_access_key_id="AKIAONLYKEYNOTOKEN01",
        aws_secret_access_key="secret-not-real",
        region_name="us-east-1",
    )
    with (
        LocalSts() as sts,
        _patched(boto_helpers, "get_service_endpoint", _sts_to_loopback(sts.endpoint_url)),
    ):
        # No session token: the CLI asks STS for one, then for the caller's account.
        credentials = boto_helpers.get_temporary_credentials(
            session, boto_helpers.LOWER_CAMEL_CRED_KEYS
        )
        account = boto_helpers.get_account(session, credentials)
        assumed = boto_helpers.get_temporary_credentials(
            session, role_arn="arn:aws:iam::123456789012:role/ContractTests"
        )
    assert sts.calls == ["GetSessionToken", "GetCallerIdentity", "AssumeRole"]
    assert account == "123456789012"
    assert credentials["sessionToken"]
    assert assumed["aws_session_token"]
    # Other services still resolve to their real endpoints.
    assert boto_helpers.get_service_endpoint("sts", "us-east-1").startswith("https://")


def test_unknown_sts_actions_are_errors():
    with LocalSts() as sts:
        client = boto3.client("sts", endpoint_url=sts.endpoint_url, region_name="us-east-1")
        with pytest.raises(client.exceptions.ClientError, match="InvalidAction"):
            client.get_access_key_info(AccessKeyId="AKIAEXAMPLE000000000")


def test_isolated_environment_drops_profiles_and_endpoints_and_fakes_credentials(tmp_path):
    base = {
        "AWS_PROFILE": "production",
        "AWS_ENDPOINT_URL": "https://example.com",
        "AWS_ENDPOINT_URL_STS": "https://example.com",
        "AWS_ACCESS_KEY_ID": "AKIAREALLOOKINGKEY00",
        "PATH": "/usr/bin",
    }
    env = isolated_environment(base, tmp_path)
    assert "AWS_PROFILE" not in env
    assert not any(key.startswith("AWS_ENDPOINT_URL") for key in env)
    assert env["AWS_ACCESS_KEY_ID"] == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
    assert env["AWS_SESSION_TOKEN"]
    assert Path(env["AWS_CONFIG_FILE"]).read_text() == ""
    assert Path(env["AWS_SHARED_CREDENTIALS_FILE"]).read_text() == ""
    assert env["PATH"] == "/usr/bin"


def test_redactor_masks_passwords_in_json_reprs_and_literals():
    redact = Redactor({"Literal-Pw1"})
    text = json.dumps({"Password": 'Quo"ted-Pw1', "Username": "u"})
    assert redact(text) == '{"Password": "***", "Username": "u"}'
    assert redact(str({"Password": "Repr-Pw1"})) == "{'Password': '***'}"
    assert redact("message mentioning Literal-Pw1") == "message mentioning ***"


def test_redacting_stream_and_filter():
    target = io.StringIO()
    stream = RedactingStream(target, Redactor({"Split-Pw1"}))
    stream.write("first Spl")
    stream.write("it-Pw1 line\nsecond")
    stream.flush()
    assert target.getvalue() == "first *** line\nsecond"

    record = logging.LogRecord("x", logging.INFO, "f", 1, "req %s", ({"Password": "Pw-1a"},), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "req {'Password': '***'}"


def test_every_password_in_the_inputs_is_known_to_the_redactor():
    secrets = secrets_in_files((ROOT / "inputs").glob("*.json"))
    assert {"ContractTest-Pw1", "ContractTest-Pw2"} <= secrets


def test_short_values_are_not_masked_as_literals():
    # "short" was once an invalid input's Password: pytest's "short test summary info" lost it.
    redact = Redactor({"short", "Sh0rt"})
    assert redact("short test summary info") == "short test summary info"
    assert redact('{"Password": "Sh0rt"}') == '{"Password": "***"}'


def test_summary_reads_the_report_by_input_set(tmp_path):
    report = tmp_path / "report.jsonl"
    records = [
        {"session": 1, "test": "contract_create_read", "when": "start", "outcome": "started"},
        {"session": 1, "test": "contract_create_read", "when": "call", "outcome": "passed"},
        {"session": 1, "test": "contract_create_create", "when": "setup", "outcome": "skipped",
         "reason": "No writable identifiers. Skipping test."},
        {"session": 2, "test": "contract_create_read", "when": "call", "outcome": "failed",
         "reason": "AssertionError: status should be SUCCESS"},
        {"session": 2, "test": "contract_create_read", "when": "teardown", "outcome": "error"},
        {"session": 2, "test": "contract_create_list", "when": "start", "outcome": "started"},
    ]  # fmt: skip
    report.write_text("".join(json.dumps(r) + "\n" for r in records))
    sets = read_report(report, ["inputs_1", "inputs_2"])

    assert [s.name for s in sets] == ["inputs_1", "inputs_2"]
    assert sets[0].count("passed") == 1 and sets[0].count("skipped") == 1
    assert sets[1].tests["contract_create_read"].outcome == "error"  # worst outcome wins
    assert last_started(sets) == "inputs_2 contract_create_list"
    text = "\n".join(render(sets, 1.0))
    assert "SKIPPED  contract_create_create (No writable identifiers. Skipping test.)" in text


def test_input_sets_are_numbered_like_cfn_test_reads_them(tmp_path):
    assert input_set_names(tmp_path) == ["generated"]
    for name in ("inputs_1_create.json", "inputs_2_create.json", "inputs_4_create.json"):
        (tmp_path / name).write_text("{}")
    assert input_set_names(tmp_path) == ["inputs_1", "inputs_2"]  # cfn stops at the gap

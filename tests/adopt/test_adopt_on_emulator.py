"""`python -m adopt` end to end on the emulator seeded with a varied population
(connect_emulator/population.py: the three identity types, classic and per-channel phones,
desk phones, proficiencies, tags, hierarchy groups, with and without email).

Done when: every resource written reads back with no drift through the production entrypoint
(READ by identifier gives exactly the written properties, and READ with them as the template
gives them back), an UPDATE with the template as both previous and desired state makes no
Connect write, and the templates lint clean under the chosen type name. The default size keeps
`make test` quick; the few-thousand run is marked slow (`make fuzz`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from botocore.retries import standard

from adopt.__main__ import main
from aws_connect_user import connect, handlers
from connect_emulator import Emulator
from connect_emulator.operations import WRITE_OPERATIONS
from connect_emulator.population import create_params, populate
from connect_emulator.seed import CONNECT_MANAGED, EXISTING_DIRECTORY, INSTANCES
from registry_package.lint import lint_templates

from ..handlers.support import event
from ..integration.test_channels_on_emulator import as_sent

pytestmark = pytest.mark.emulator
TYPE_NAME = "Acme::Connect::User"
POPULATION = 240  # 80 users an instance


BOTH_FILLS = pytest.mark.parametrize(
    "env",
    [{"channel_fill": "none"}, {"channel_fill": "all"}],
    indirect=True,
    ids=lambda options: f"fill-{options['channel_fill']}",
)


@pytest.fixture
def env(
    request: pytest.FixtureRequest,
    start_emulator: Callable[..., tuple[Emulator, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Emulator]:
    """An emulator (default options, or those parametrized: --channel-fill, whether
    DescribeUser reports channels nobody set; --proficiency-search, how SearchUsers reads a
    ListCondition), the handler and adopt pointed at it."""
    emulator, _ = start_emulator(**getattr(request, "param", {}))
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", emulator.endpoint_url)
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)
    connect.forget_cached_state()
    yield emulator
    connect.forget_cached_state()


def run(out: Path, instance: str, *extra: str) -> None:
    argv = ["--instance-id", instance, "--type-name", TYPE_NAME, "--out", str(out), *extra]
    assert main([*argv, "--rate", "1000"]) == 0


def resources(out: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(out.glob("users-*.yaml")):
        found.update(yaml.safe_load(path.read_text())["Resources"])
    return found


def imports(out: Path) -> dict[str, str]:
    found = {}
    for path in sorted(out.glob("users-*-import.json")):
        for entry in json.loads(path.read_text()):
            assert entry["ResourceType"] == TYPE_NAME
            found[entry["LogicalResourceId"]] = entry["ResourceIdentifier"]["UserArn"]
    return found


def call(e: dict[str, Any]) -> dict[str, Any]:
    response = handlers.resource(e, None)
    assert isinstance(response, dict) and response["status"] == "SUCCESS", response
    return response


def assert_no_drift_and_no_write(env: Emulator, out: Path) -> int:
    written = resources(out)
    arns = imports(out)
    assert set(arns) == set(written)
    for logical_id, resource in written.items():
        assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
        props = resource["Properties"]
        assert "Password" not in props
        arn = arns[logical_id]
        ids = {"UserArn": arn, "UserId": arn.rsplit("/", 1)[1]}
        by_identifier = call(event("READ", {"UserArn": arn}))["resourceModel"]
        left_out = set(by_identifier) - set(props) - set(ids)
        assert left_out <= {"DirectoryUserId"}  # Connect's own, left out on purpose
        assert {k: v for k, v in by_identifier.items() if k not in left_out} == {**props, **ids}
        template = as_sent(props)
        assert call(event("READ", {**template, **ids}))["resourceModel"] == {**props, **ids}
        env.requests.clear()
        call(event("UPDATE", {**template, **ids}, previous={**template, **ids}))
        writes = [op for op in env.requests.operations() if op in WRITE_OPERATIONS]
        assert writes == [], (logical_id, writes)
    return len(written)


@BOTH_FILLS
def test_every_user_adopted_reads_back_unchanged_and_updates_write_nothing(
    env: Emulator, tmp_path: Path
) -> None:
    populate(env, POPULATION)
    for instance in INSTANCES:
        out = tmp_path / instance.alias
        run(out, instance.arn, "--per-template", "30")
        assert assert_no_drift_and_no_write(env, out) == POPULATION // 3
        assert len(list(out.glob("users-*.yaml"))) == 3  # 80 users, 30 a template
        files = [str(p) for p in sorted(out.glob("users-*.yaml"))]
        assert lint_templates(TYPE_NAME, files) == 0


def test_only_a_directory_s_user_ids_are_written(env: Emulator, tmp_path: Path) -> None:
    """Issue 21: Connect assigns a DirectoryUserId to every user. A template that declared the
    one it assigned would send it back to CreateUser on a replacement (and a SAML instance
    refuses one there), so only an EXISTING_DIRECTORY instance's IDs are written."""
    populate(env, POPULATION)
    declared: dict[str, bool] = {}
    for instance in INSTANCES:
        out = tmp_path / instance.alias
        run(out, instance.arn)
        found = resources(out).values()
        declared[instance.alias] = any("DirectoryUserId" in r["Properties"] for r in found)
        summary = (out / "summary.txt").read_text()
        assert ("DirectoryUserId left out" in summary) is (instance is not EXISTING_DIRECTORY)
    assert declared == {i.alias: i is EXISTING_DIRECTORY for i in INSTANCES}


def test_a_rerun_writes_the_same_files(env: Emulator, tmp_path: Path) -> None:
    populate(env, 60)
    run(tmp_path / "a", CONNECT_MANAGED.id, "--per-template", "7")
    run(tmp_path / "b", CONNECT_MANAGED.id, "--per-template", "7")
    first = {p.name: p.read_text() for p in (tmp_path / "a").glob("users-*")}
    second = {p.name: p.read_text() for p in (tmp_path / "b").glob("users-*")}
    assert first == second and len(first) == 6


def test_calls_grow_with_pages_except_describe(env: Emulator, tmp_path: Path) -> None:
    populate(env, 600)  # 200 users an instance: proficiency searches beat 200 lists
    env.requests.clear()
    run(tmp_path, CONNECT_MANAGED.id)
    calls: dict[str | None, int] = {}
    for op in env.requests.operations():
        calls[op] = calls.get(op, 0) + 1
    values = 4 + 3 + 3  # the seeded predefined attributes' values
    assert calls == {
        "SearchUsers": 1 + values * 6,
        "DescribeUser": 200,
        "ListPredefinedAttributes": 1,
        "DescribePredefinedAttribute": 3,
        "DescribeInstance": 1,
    }
    summary = (tmp_path / "summary.txt").read_text()
    assert "200 users written" in summary and "DescribeUser 200" in summary


def test_filters(env: Emulator, tmp_path: Path) -> None:
    populate(env, 90)
    group = CONNECT_MANAGED.child_id("hierarchy", 2)
    routing = CONNECT_MANAGED.child_id("routing", 3)
    cases = {
        "pattern": (["--username", "jo.*"], lambda p: p["Username"].startswith("jo.")),
        "routing": (["--routing-profile", routing], lambda p: p["RoutingProfileId"] == routing),
        "group": (["--hierarchy-group", group], lambda p: p.get("HierarchyGroupId") == group),
        "tag": (
            ["--tag", "team=red"],
            lambda p: {"Key": "team", "Value": "red"} in p.get("Tags", []),
        ),
    }
    everyone = tmp_path / "all"
    run(everyone, CONNECT_MANAGED.id)
    every = {k: r["Properties"] for k, r in resources(everyone).items()}
    for name, (args, wanted) in cases.items():
        out = tmp_path / name
        run(out, CONNECT_MANAGED.id, *args)
        got = {k: r["Properties"] for k, r in resources(out).items()}
        assert got == {k: p for k, p in every.items() if wanted(p)}, name
        assert 0 < len(got) < len(every), name


def test_parameters_for_the_instance_profiles_and_groups(env: Emulator, tmp_path: Path) -> None:
    populate(env, 30)
    run(tmp_path, CONNECT_MANAGED.id, "--parameters")
    body = yaml.safe_load((tmp_path / "users-001.yaml").read_text())
    params = body["Parameters"]
    assert params["InstanceId"]["Default"] == CONNECT_MANAGED.id
    for resource in body["Resources"].values():
        props = resource["Properties"]
        assert props["InstanceId"] == {"Ref": "InstanceId"}
        assert params[props["RoutingProfileId"]["Ref"]]["Default"].startswith("bbbbbbbb-")
        for ref in props["SecurityProfileIds"]:
            assert params[ref["Ref"]]["Default"].startswith("aaaaaaaa-")
    assert lint_templates(TYPE_NAME, [str(tmp_path / "users-001.yaml")]) == 0


@pytest.mark.slow
@BOTH_FILLS
def test_a_few_thousand_users(env: Emulator, tmp_path: Path) -> None:
    populate(env, 3000)
    for instance in INSTANCES:
        out = tmp_path / instance.alias
        run(out, instance.id)
        assert assert_no_drift_and_no_write(env, out) == 1000
        files = [str(p) for p in sorted(out.glob("users-*.yaml"))]
        assert len(files) == 5 and lint_templates(TYPE_NAME, files) == 0


def test_a_user_deleted_while_the_run_reads_is_skipped_and_named(
    env: Emulator, tmp_path: Path
) -> None:
    populate(env, 9)
    env.faults.fail_next("DescribeUser", 1, "ResourceNotFoundException")
    run(tmp_path, CONNECT_MANAGED.id)
    summary = (tmp_path / "summary.txt").read_text()
    assert "2 users written, 1 skipped" in summary
    assert "deleted while the run was reading" in summary
    assert len(resources(tmp_path)) == 2


@pytest.mark.parametrize(
    "env",
    [{"proficiency_search": "entry"}, {"proficiency_search": "any"}],
    indirect=True,
    ids=lambda options: f"search-{options['proficiency_search']}",
)
def test_proficiencies_by_search_whichever_way_connect_reads_the_conditions(
    env: Emulator, tmp_path: Path
) -> None:
    """Under `any` a search can find a user for a proficiency it does not have; the index
    reads such users one by one: two levels of one value, or a value two attributes share."""
    populate(env, 30)
    mi = CONNECT_MANAGED.id
    env.execute(
        "CreatePredefinedAttribute",
        {"InstanceId": mi, "Name": "Certified", "Values": {"StringList": ["Gold", "Silver"]}},
    )
    for name, held in (
        ("shared.value", [("Tier", "Gold", 2.0), ("Certified", "Silver", 2.0)]),
        ("two.levels", [("Language", "English", 1.0), ("Product", "Billing", 4.0)]),
    ):
        params = {**create_params(0), "Username": name}
        user_id = env.execute("CreateUser", params)["UserId"]
        items = [{"AttributeName": n, "AttributeValue": v, "Level": lv} for n, v, lv in held]
        env.execute(
            "AssociateUserProficiencies",
            {"InstanceId": mi, "UserId": user_id, "UserProficiencies": items},
        )
    run(tmp_path, mi, "--proficiencies", "search")
    assert "SearchUsers by proficiency" in (tmp_path / "summary.txt").read_text()
    assert assert_no_drift_and_no_write(env, tmp_path) == 12

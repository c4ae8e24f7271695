"""The registry package: built by the CLI's own cfn submit --dry-run (no AWS account), holding
the schema, the handler and its runtime dependencies and nothing else; under a private type
name, that name everywhere; and the execution role granting exactly the handlers' permissions.

Each build pip-installs requirements.txt from the package index (as cfn submit does), for
Lambda's platform, a few seconds each; the two builds are module-scoped. The handler package
is inspected as Lambda runs it: platform wheels, unchecked-hash bytecode, nothing Lambda never
imports, deflated, real-account inputs, importable from a read-only extracted copy.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from connect_emulator import Emulator
from contract_runner.real_account import seeded_exports
from demo.events import handler_request
from registry_package import Bundle, PackageError, build_bundle, build_package
from registry_package.__main__ import main
from registry_package.build import max_session_duration
from registry_package.inputs import PASSWORD_PLACEHOLDER, real_account_inputs
from registry_package.lambda_build import extension_suffix_ok
from registry_package.templates import execution_role_template, registration_template

from ..testdata import user_model

# The builds pip-install from the package index: their own lane, `make package-tests`.
pytestmark = pytest.mark.package_index

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "aws_connect_user"
SCHEMA = json.loads((ROOT / "aws-connect-user.json").read_text(encoding="utf-8"))
RUNTIME_DEPENDENCIES = {
    line.split("==")[0].replace("-", "_").lower(): line.split("==")[1].strip()
    for line in (ROOT / "requirements.txt").read_text().splitlines()
    if "==" in line and not line.startswith("#")
}
DEVELOPMENT_ONLY = (
    "tests",
    "connect_emulator",
    "examples",
    "cdk_connect_user",
    "benchmarks",
    "contract_runner",
    "local_lambda",
    "demo",
    "loadtest",
    "registry_package",
    "aws_cdk",
    "jsii",
    "rpdk",
    "cfnlint",
)


class Unpacked:
    def __init__(self, path: Path, extract_to: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as outer:
            self.outer = outer.namelist()
            self.schema = json.loads(outer.read("schema.json"))
            self.config = json.loads(outer.read(".rpdk-config"))
            outer.extract("ResourceProvider.zip", extract_to)
        self.provider_dir = extract_to / "provider"
        with zipfile.ZipFile(extract_to / "ResourceProvider.zip") as inner:
            self.inner = inner.namelist()
            inner.extractall(self.provider_dir)

    def top_level(self) -> set[str]:
        return {name.split("/", 1)[0] for name in self.inner}


@pytest.fixture(scope="module")
def aws_package(tmp_path_factory: pytest.TempPathFactory) -> Unpacked:
    out = tmp_path_factory.mktemp("dist")
    package = build_package(output_dir=out)
    assert package.path == out / "aws-connect-user.zip"
    return Unpacked(package.path, tmp_path_factory.mktemp("aws"))


@pytest.fixture(scope="module")
def acme_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """What make package TYPE_NAME=Acme::Connect::User writes: one folder."""
    out = tmp_path_factory.mktemp("dist")
    bundle = build_bundle("Acme::Connect::User", out)
    assert bundle.directory == out / "acme-connect-user"
    assert bundle.package.path == bundle.directory / "acme-connect-user.zip"
    return bundle


@pytest.fixture(scope="module")
def acme_package(acme_bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Unpacked:
    return Unpacked(acme_bundle.package.path, tmp_path_factory.mktemp("acme"))


def test_outer_zip_is_what_cfn_submit_uploads(aws_package: Unpacked) -> None:
    assert {n for n in aws_package.outer if "/" not in n} == {
        ".cfn_metadata.json",
        ".rpdk-config",
        "ResourceProvider.zip",
        "schema.json",
    }
    assert aws_package.schema == SCHEMA
    assert aws_package.config["entrypoint"] == "aws_connect_user.handlers.resource"
    assert aws_package.config["settings"]["use_docker"] is False
    inputs = sorted(p.name for p in (ROOT / "inputs").iterdir())
    assert (
        sorted(n.removeprefix("inputs/") for n in aws_package.outer if n.startswith("inputs/"))
        == inputs
    )


def test_handler_package_is_complete(aws_package: Unpacked) -> None:
    shipped = {
        n
        for n in aws_package.inner
        if n.startswith("aws_connect_user/") and "/__pycache__/" not in n
    }
    expected = {
        f"aws_connect_user/{p.relative_to(SOURCE).as_posix()}"
        for p in SOURCE.rglob("*")
        if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts
    }
    assert shipped == expected
    assert "aws_connect_user/resource-schema.json" in shipped
    assert "aws_connect_user/handlers.py" in shipped


def test_runtime_dependencies_are_bundled_at_their_pins(aws_package: Unpacked) -> None:
    top = aws_package.top_level()
    for name, version in RUNTIME_DEPENDENCIES.items():
        assert f"{name}-{version}.dist-info" in top, (name, version)
    assert {"cloudformation_cli_python_lib", "boto3", "botocore", "jsonschema"} <= top


def test_nothing_from_development_tooling(aws_package: Unpacked) -> None:
    assert not aws_package.top_level() & set(DEVELOPMENT_ONLY)
    outer_top = {n.split("/", 1)[0] for n in aws_package.outer}
    assert not outer_top & {*DEVELOPMENT_ONLY, "docs", "build"}
    assert [n for n in aws_package.outer if n.startswith("src/")] == [
        n for n in aws_package.outer if n.startswith("src/aws_connect_user/")
    ]
    assert not [n for n in aws_package.outer if n.endswith(".pyc")]  # src/ is the source


def run_in_package(provider_dir: Path, code: str, **env: str) -> str:
    """Run code on the package alone: -I -S keeps the virtualenv's site-packages out, so an
    import that only works because of a development dependency fails here."""
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import sys; sys.path.insert(0, {str(provider_dir)!r})\n{code}",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        input=env.get("EVENT", ""),
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_private_name_everywhere(acme_package: Unpacked) -> None:
    assert acme_package.schema["typeName"] == "Acme::Connect::User"
    assert acme_package.config["typeName"] == "Acme::Connect::User"
    assert acme_package.config["settings"]["type_name"] == "Acme::Connect::User"
    assert acme_package.config["entrypoint"] == "acme_connect_user.handlers.resource"
    assert acme_package.config["testEntrypoint"] == "acme_connect_user.handlers.test_entrypoint"
    assert "acme_connect_user" in acme_package.top_level()
    assert "aws_connect_user" not in acme_package.top_level()
    bundled = json.loads(
        (acme_package.provider_dir / "acme_connect_user/resource-schema.json").read_text()
    )
    assert bundled["typeName"] == "Acme::Connect::User"
    # Apart from the name, the schema is the project's.
    assert {**acme_package.schema, "typeName": SCHEMA["typeName"]} == SCHEMA
    leftovers = [
        str(p.relative_to(acme_package.provider_dir))
        for p in (acme_package.provider_dir / "acme_connect_user").rglob("*")
        if p.is_file() and b"AWS::Connect::User" in p.read_bytes()  # sources and bytecode
    ]
    assert leftovers == []


def test_private_handler_reports_its_own_name(acme_package: Unpacked) -> None:
    out = run_in_package(
        acme_package.provider_dir,
        "from acme_connect_user import handlers\n"
        "print(handlers.TYPE_NAME, handlers.resource.type_name)",
    )
    assert out == "Acme::Connect::User Acme::Connect::User"


@pytest.mark.emulator
def test_packaged_handler_creates_a_user_on_its_own(
    acme_package: Unpacked, emulator: Emulator
) -> None:
    """The zip's handler with only the zip's dependencies: a CREATE on the emulator."""
    event = handler_request("CREATE", user_model(Username="packaged"))
    event["resourceType"] = "Acme::Connect::User"
    out = run_in_package(
        acme_package.provider_dir,
        "import json\nfrom acme_connect_user.handlers import resource\n"
        "answer = resource(json.loads(sys.stdin.read()), None)\n"
        "print(json.dumps([answer['status'], answer.get('resourceModel', {}).get('Username')]))",
        AWS_ENDPOINT_URL_CONNECT=emulator.endpoint_url,
        EVENT=json.dumps(event),
    )
    assert json.loads(out.splitlines()[-1]) == ["SUCCESS", "packaged"]
    # SUCCESS once DescribeUser shows the new user (stabilisation)
    assert emulator.requests.operations() == ["DescribeInstance", "CreateUser", "DescribeUser"]


def test_execution_role_grants_exactly_the_handlers_permissions() -> None:
    role = yaml.safe_load((ROOT / "resource-role.yaml").read_text(encoding="utf-8"))
    statements = role["Resources"]["ExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
        "Statement"
    ]
    granted = [action for s in statements if s["Effect"] == "Allow" for action in s["Action"]]
    declared = {p for h in SCHEMA["handlers"].values() for p in h["permissions"]}
    declared |= set(SCHEMA["tagging"]["permissions"])
    assert sorted(granted) == sorted(declared)
    assert len(granted) == len(set(granted))
    assert all(s["Resource"] == "*" for s in statements)


def test_bundle_holds_everything_to_register_the_private_type(
    acme_bundle: Bundle, acme_package: Unpacked
) -> None:
    directory = acme_bundle.directory
    assert {p.name for p in directory.iterdir()} == {
        "acme-connect-user.zip",
        "acme-connect-user.json",
        "execution-role.yaml",
        "registration.yaml",
        "examples",
    }
    schema = json.loads((directory / "acme-connect-user.json").read_text(encoding="utf-8"))
    assert schema["typeName"] == "Acme::Connect::User"
    assert schema == acme_package.schema  # the schema the zip carries
    assert {**schema, "typeName": SCHEMA["typeName"]} == SCHEMA

    role = yaml.safe_load((directory / "execution-role.yaml").read_text(encoding="utf-8"))
    assert role == execution_role_template(
        "Acme::Connect::User", schema, max_session_duration(ROOT)
    )
    execution_role = role["Resources"]["ExecutionRole"]["Properties"]
    [trust] = execution_role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "resources.cloudformation.amazonaws.com"}
    assert trust["Condition"]["StringLike"]["aws:SourceArn"]["Fn::Sub"].endswith(
        ":type/resource/Acme-Connect-User/*"
    )
    granted = [
        a for s in execution_role["Policies"][0]["PolicyDocument"]["Statement"] for a in s["Action"]
    ]
    declared = {p for h in schema["handlers"].values() for p in h["permissions"]}
    declared |= set(schema["tagging"]["permissions"])
    assert sorted(granted) == sorted(declared)

    registration = yaml.safe_load((directory / "registration.yaml").read_text(encoding="utf-8"))
    assert registration == registration_template(
        "Acme::Connect::User", schema, max_session_duration(ROOT)
    )
    version = registration["Resources"]["ResourceVersion"]["Properties"]
    assert version["TypeName"] == "Acme::Connect::User"
    assert version["SchemaHandlerPackage"] == {"Fn::Sub": "s3://${Bucket}/${Key}"}
    assert registration["Parameters"]["Key"]["Default"] == acme_bundle.package.path.name

    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "cfn-lint"),
            str(directory / "execution-role.yaml"),
            str(directory / "registration.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_bundle_offers_no_route_that_builds_another_package(acme_bundle: Bundle) -> None:
    """No staged project is kept: its cfn submit would build a different zip with whatever pip
    is on PATH. The examples come rendered under the name, never AWS's public type."""
    assert not (acme_bundle.directory / "project").exists()
    assert not list(acme_bundle.directory.rglob(".rpdk-config"))
    examples = sorted(p.name for p in acme_bundle.examples.glob("*.yaml"))
    assert examples == sorted(p.name for p in (ROOT / "examples" / "templates").glob("*.yaml"))
    for path in acme_bundle.examples.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "Type: Acme::Connect::User" in text and "MyCompany" not in text


def test_cli_refuses_a_malformed_type_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--type-name", "Acme::User"]) == 1
    assert "not a type name" in capsys.readouterr().err
    with pytest.raises(PackageError):
        build_package("acme-connect-user")


# --- the handler package as Lambda runs it --------------------------------------------------


def lambda_tags() -> set[str]:
    """Wheel tags that run on Lambda's python3.11 x86_64 (Amazon Linux 2, glibc 2.26)."""
    from packaging import tags

    platforms = ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
    platforms += [f"manylinux_2_{minor}_x86_64" for minor in range(5, 27)]
    found = tags.cpython_tags((3, 11), platforms=platforms)
    return {str(t) for t in [*found, *tags.compatible_tags((3, 11), platforms=platforms)]}


def test_dependencies_are_lambda_platform_wheels(aws_package: Unpacked) -> None:
    compatible = lambda_tags()
    compiled = []
    for wheel in aws_package.provider_dir.glob("*.dist-info/WHEEL"):
        fields = [line.split(": ", 1) for line in wheel.read_text().splitlines() if ": " in line]
        tags = {value for key, value in fields if key == "Tag"}
        assert tags & compatible, (wheel.parent.name, tags)
        if ("Root-Is-Purelib", "false") in {(k, v) for k, v in fields}:
            compiled.append(wheel.parent.name.split("-")[0])
    assert "rpds_py" in compiled  # jsonschema's compiled dependency: the check has teeth
    extensions = [n for n in aws_package.inner if n.endswith(".so")]
    assert extensions
    assert [n for n in extensions if not extension_suffix_ok(n)] == []


def test_bytecode_is_precompiled_and_unchecked(aws_package: Unpacked) -> None:
    """Every module has a hash-based .pyc that is used without looking at the source's
    timestamp or hash: valid however Lambda's extraction sets the files' times."""
    sources = [n for n in aws_package.inner if n.endswith(".py")]
    assert len(sources) > 200  # botocore, boto3, jsonschema, ... and the handler
    for name in sources:
        folder, _, module = name.rpartition("/")
        cached = f"{folder}/__pycache__/{module[:-3]}.cpython-311.pyc".lstrip("/")
        header = (aws_package.provider_dir / cached).read_bytes()[:8]
        assert header[:4] == importlib.util.MAGIC_NUMBER, name
        assert int.from_bytes(header[4:8], "little") == 0b01, name  # hash-based, unchecked


def test_nothing_lambda_never_imports(aws_package: Unpacked) -> None:
    top = aws_package.top_level()
    assert not top & {"setuptools", "pkg_resources", "_distutils_hack", "bin"}
    assert not [n for n in top if n.startswith("setuptools-") or n.endswith(".pth")]
    assert not [n for n in aws_package.inner if "/tests/" in n or n.endswith("/RECORD")]
    # What the runtime reads stays: versions (importlib.metadata) and the wheels' tags.
    assert (aws_package.provider_dir / "jsonschema-4.25.0.dist-info" / "METADATA").is_file()


def test_zip_is_compressed(aws_package: Unpacked) -> None:
    with zipfile.ZipFile(aws_package.path) as outer:
        kinds = {i.filename: i.compress_type for i in outer.infolist()}
        inner_bytes = outer.read("ResourceProvider.zip")
    assert kinds.pop("ResourceProvider.zip") == zipfile.ZIP_STORED  # deflated inside
    assert set(kinds.values()) == {zipfile.ZIP_DEFLATED}
    with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
        assert {i.compress_type for i in inner.infolist()} == {zipfile.ZIP_DEFLATED}


def test_inputs_are_real_account_placeholders(aws_package: Unpacked) -> None:
    seeded = seeded_exports().values()
    with zipfile.ZipFile(aws_package.path) as outer:
        shipped = {
            n.removeprefix("inputs/"): outer.read(n).decode()
            for n in outer.namelist()
            if n.startswith("inputs/")
        }
    assert shipped
    for name, text in shipped.items():
        repository = json.loads((ROOT / "inputs" / name).read_text(encoding="utf-8"))
        assert json.loads(text) == real_account_inputs(repository)
        assert not [value for value in seeded if value in text], name
        if "Password" in repository:
            assert json.loads(text)["Password"] == PASSWORD_PLACEHOLDER
            assert repository["Password"] not in text


def test_handler_imports_from_a_read_only_extracted_copy(
    aws_package: Unpacked, tmp_path: Path
) -> None:
    """As in /var/task: a read-only copy, an isolated interpreter with only the package (and
    the standard library) on the path, no bytecode writes. The sources of botocore and the
    handler are made to fail if run: the import succeeds only on the shipped bytecode."""
    task = tmp_path / "task"
    shutil.copytree(aws_package.provider_dir, task)
    for module in ("botocore/__init__.py", "aws_connect_user/handlers.py"):
        with (task / module).open("a", encoding="utf-8") as source:
            source.write("\nraise ImportError('compiled from source')\n")
    for path in [task, *task.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    before = sorted(task.rglob("*"))  # (root ignores the modes: this shows nothing was written)
    try:
        out = run_in_package(
            task,
            "sys.dont_write_bytecode = True\n"  # -I ignores PYTHONDONTWRITEBYTECODE
            "import aws_connect_user.handlers as h, botocore\n"
            "print(h.resource.type_name, botocore.__version__)",
        )
    finally:
        for path in [task, *task.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    assert out == f"AWS::Connect::User {RUNTIME_DEPENDENCIES['botocore']}"
    assert sorted(task.rglob("*")) == before

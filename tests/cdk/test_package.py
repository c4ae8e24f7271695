"""cdk_connect_user as a package of its own: typed (mypy outside the repository sees its
types), carrying its schema, depending on exactly what it imports, and building a wheel from its
own folder alone."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata, resources
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from ..examples.catalogue import ROOT

PROJECT = ROOT / "cdk_connect_user"
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCES = sorted((PROJECT / "src" / "cdk_connect_user").glob("*.py"))
SHIPPED = {
    "__init__.py",
    "schema.py",
    "user.py",
    "proficiency.py",
    "py.typed",
    "resource-schema.json",
}
DISTRIBUTION = PYPROJECT["project"]["name"]

# A newcomer's own code, in a folder of its own: mypy must see the construct's real types.
USE_IT = """\
from aws_cdk import App, Stack

from cdk_connect_user import ConnectUser, PhoneConfig, PhoneType

stack = Stack(App(), "Stack")
user = ConnectUser(
    stack,
    "User",
    instance_id="11111111-1111-4111-8111-111111111111",
    username="agent1",
    phone_config=PhoneConfig(phone_type=PhoneType.SOFT_PHONE),
    security_profile_ids=["sp-1"],
    routing_profile_id="rp-1",
)
reveal_type(user.attr_user_arn)
reveal_type(ConnectUser.from_user_arn(stack, "Elsewhere", "arn").attr_user_id)
ConnectUser.from_user_arn(stack, "Wrong", 42)
"""
# aws-cdk-lib's own types are not what is under test, and analysing them takes minutes.
MYPY_INI = """\
[mypy]
[mypy-aws_cdk.*,constructs.*,jsii.*]
follow_imports = skip
"""


def _declared() -> set[str]:
    return {Requirement(r).name.lower() for r in PYPROJECT["project"]["dependencies"]}


def _imported_distributions() -> set[str]:
    modules: set[str] = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"__future__", "cdk_connect_user"}
    owners = metadata.packages_distributions()
    return {owners[module][0].lower() for module in third_party}


def test_it_depends_on_exactly_what_it_imports() -> None:
    # The handler's rules come from this repository's root project (aws_connect_user.checks),
    # whose one third-party import, jsonschema, the root project does not declare.
    imported = _imported_distributions()
    assert imported == {"aws-cdk-lib", "constructs", "jsii", "aws-connect-user-resource-type"}
    assert _declared() == imported | {"jsonschema"}
    installed = {Requirement(r).name.lower() for r in metadata.requires(DISTRIBUTION) or []}
    assert installed == _declared()  # what make venv installed is this pyproject


def test_the_installed_package_carries_its_marker_and_schema() -> None:
    package = resources.files("cdk_connect_user")
    assert package.joinpath("py.typed").is_file()
    schema = package.joinpath("resource-schema.json").read_text(encoding="utf-8")
    assert schema == (ROOT / "aws-connect-user.json").read_text(encoding="utf-8")


def test_mypy_outside_the_repository_sees_its_types(tmp_path: Path) -> None:
    (tmp_path / "use_it.py").write_text(USE_IT, encoding="utf-8")
    (tmp_path / "mypy.ini").write_text(MYPY_INI, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / ".cache"), "use_it.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = checked.stdout + checked.stderr
    assert "import-untyped" not in output and "py.typed" not in output, output
    assert output.count('Revealed type is "str"') == 2, output
    assert (
        'use_it.py:17: error: Argument 3 to "from_user_arn" of "ConnectUser" has incompatible '
        'type "int"; expected "str"  [arg-type]'
    ) in output
    assert "Found 1 error in 1 file" in output


@pytest.mark.package_index  # pip fetches setuptools for the isolated build
def test_its_folder_alone_builds_a_wheel_with_only_the_construct(tmp_path: Path) -> None:
    project = tmp_path / "cdk_connect_user"
    shutil.copytree(
        PROJECT, project, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(project)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("cdk_connect_user-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [
            line.split(":", 1)[1].strip()
            for line in archive.read(meta).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
    assert {n.split("/", 1)[1] for n in names if n.startswith("cdk_connect_user/")} == SHIPPED
    assert {n.split("/")[0] for n in names} == {"cdk_connect_user", Path(meta).parent.name}
    assert {Requirement(r).name.lower() for r in requires} == _declared()

"""The Lambda build's pieces without a package build: pip's platform options (the same on any
build machine), the fallback when the index lacks a platform wheel, pruning, bytecode and the
zip."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

from registry_package import PackageError, build
from registry_package import lambda_build as lb


def test_pip_targets_lambda_whatever_this_machine_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "darwin")
    monkeypatch.setattr("platform.machine", lambda: "arm64")
    assert lb.pip_platform_options() == [
        "--platform",
        "manylinux2014_x86_64",
        "--implementation",
        "cp",
        "--python-version",
        "3.11",
        "--only-binary=:all:",
    ]
    # What the python plugin's own pip reads: the same options.
    assert lb.pip_platform_environment() == {
        "PIP_PLATFORM": "manylinux2014_x86_64",
        "PIP_IMPLEMENTATION": "cp",
        "PIP_PYTHON_VERSION": "3.11",
        "PIP_ONLY_BINARY": ":all:",
    }


def test_a_missing_platform_wheel_falls_back_with_its_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runs: list[dict[str, str] | None] = []

    def cfn(project: Path, extra_env: dict[str, str] | None = None) -> None:
        runs.append(extra_env)
        if extra_env:
            raise PackageError("cfn submit --dry-run failed (1):\n... pip build failed")

    monkeypatch.setattr(build, "run_cfn_submit_dry_run", cfn)
    monkeypatch.setattr(lb, "missing_platform_wheels", lambda _r: ["oddball==1.0"])
    notes = build.build_for_lambda(tmp_path)
    assert runs == [lb.pip_platform_environment(), None]
    [note] = notes
    assert "no manylinux2014_x86_64 CPython 3.11 wheel" in note and "oddball==1.0" in note


def test_other_build_failures_are_not_hidden_by_the_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def cfn(project: Path, extra_env: dict[str, str] | None = None) -> None:
        raise PackageError("cfn submit --dry-run failed (1): schema invalid")

    monkeypatch.setattr(build, "run_cfn_submit_dry_run", cfn)
    with pytest.raises(PackageError, match="schema invalid"):
        build.build_for_lambda(tmp_path)


@pytest.mark.package_index
def test_missing_platform_wheels_names_exactly_the_requirements_without_one(
    tmp_path: Path,
) -> None:
    """pip itself, on the configured index: argon2-cffi-bindings 26.1.0 has only glibc 2.26+
    wheels (Lambda's python3.11 has 2.26 but manylinux2014 promises 2.17); cffi, its
    dependency, and six have Lambda wheels."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("argon2-cffi-bindings==26.1.0\nsix==1.17.0\n", encoding="utf-8")
    assert lb.missing_platform_wheels(requirements) == ["argon2-cffi-bindings==26.1.0"]


def installed_tree(root: Path) -> Path:
    files = {
        "botocore/__init__.py": "",
        "botocore/data/endpoints.json": "{}",
        "jsonschema/__init__.py": "",
        "jsonschema/tests/test_x.py": "",
        "jsonschema-4.25.0.dist-info/METADATA": "Name: jsonschema",
        "jsonschema-4.25.0.dist-info/RECORD": "",
        "jsonschema-4.25.0.dist-info/INSTALLER": "pip",
        "setuptools/__init__.py": "",
        "setuptools-84.2.1.dist-info/METADATA": "",
        "_distutils_hack/__init__.py": "",
        "distutils-precedence.pth": "import _distutils_hack",
        "bin/normalizer": "#!/bin/sh",
        "six.py": "",
        "__pycache__/six.cpython-311.pyc": "stale",
        "aws_connect_user/__init__.py": "",
        "aws_connect_user/tests/__init__.py": "",  # the handler's own: never pruned
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_prune_keeps_only_what_lambda_imports(tmp_path: Path) -> None:
    root = installed_tree(tmp_path)
    lb.prune(root, "aws_connect_user")
    assert tree(root) == {
        "botocore/__init__.py",
        "botocore/data/endpoints.json",
        "jsonschema/__init__.py",
        "jsonschema-4.25.0.dist-info/METADATA",
        "six.py",
        "aws_connect_user/__init__.py",
        "aws_connect_user/tests/__init__.py",
    }


def test_bytecode_is_unchecked_hash_with_lambdas_paths(tmp_path: Path) -> None:
    root = installed_tree(tmp_path)
    lb.prune(root, "aws_connect_user")
    (root / "six.py").write_text("def where():\n    return where.__code__.co_filename\n")
    assert lb.compile_bytecode(root) is None
    pyc = root / "__pycache__" / "six.cpython-311.pyc"
    data = pyc.read_bytes()
    assert data[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(data[4:8], "little") == 0b01
    assert b"/var/task/six.py" in data  # tracebacks name the file where Lambda has it


def test_no_bytecode_from_another_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lb, "LAMBDA_PYTHON", (3, 12))
    reason = lb.compile_bytecode(installed_tree(tmp_path))
    assert reason and "Lambda runs 3.12" in reason
    assert not list(tmp_path.rglob("*.cpython-312.pyc"))


def test_zip_is_deflated_and_reproducible(tmp_path: Path) -> None:
    root = installed_tree(tmp_path / "a")
    lb.write_zip(root, tmp_path / "one.zip")
    (root / "six.py").touch()  # a newer timestamp changes nothing
    lb.write_zip(root, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        assert sorted(archive.namelist()) == sorted(tree(root))


@pytest.mark.parametrize(
    ("name", "loads"),
    [
        ("rpds/rpds.cpython-311-x86_64-linux-gnu.so", True),
        ("x/_speedups.abi3.so", True),
        ("rpds/rpds.cpython-311-darwin.so", False),
        ("rpds/rpds.cpython-312-x86_64-linux-gnu.so", False),
        ("rpds/rpds.cpython-311-aarch64-linux-gnu.so", False),
    ],
)
def test_extension_suffixes(name: str, loads: bool) -> None:
    assert lb.extension_suffix_ok(name) is loads

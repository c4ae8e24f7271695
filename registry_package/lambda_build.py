"""The handler package as Lambda's python3.11 (x86_64) runtime runs it best.

The registry runs ResourceProvider.zip on Lambda, extracted read-only to /var/task. The python
plugin's own build (pip install --target build, then every file but .pyc into a stored zip)
gives the build machine's wheels, setuptools and a .pth file nobody imports, and no bytecode,
so every cold start compiles botocore from source. Here:

- pip is told the target platform (manylinux2014_x86_64, CPython 3.11, binary wheels only)
  through PIP_* environment variables, which the plugin's pip reads: the same build on macOS
  or ARM gives Lambda's wheels. If the index lacks such a wheel, the build falls back to this
  machine's wheels and says which requirements lacked one (platform_fallback_note);
- prune() drops what Lambda never imports; compile_bytecode() writes hash-based, unchecked
  .pyc files (valid whatever the extracted files' timestamps are); write_zip() deflates.
"""

from __future__ import annotations

import compileall
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

LAMBDA_PLATFORM = "manylinux2014_x86_64"
LAMBDA_IMPLEMENTATION = "cp"
LAMBDA_PYTHON = (3, 11)
LAMBDA_TASK_ROOT = "/var/task"  # where Lambda extracts the zip: the .pyc files' source paths
# Installed as dependencies but never imported by the handler at runtime.
NEVER_IMPORTED = ("setuptools", "pkg_resources", "_distutils_hack", "bin")
# Per-package folders no runtime code imports.
UNUSED_SUBDIRS = ("tests", "benchmarks")
# dist-info files only pip itself reads; METADATA (importlib.metadata versions), WHEEL (the
# platform tags) and licences stay.
DIST_INFO_JUNK = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")
# Fixed entry timestamps: the same inputs give the same zip.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def python_version() -> str:
    return ".".join(map(str, LAMBDA_PYTHON))


def pip_platform_options() -> list[str]:
    """pip install options that pick Lambda's wheels whatever this machine is."""
    return [
        "--platform",
        LAMBDA_PLATFORM,
        "--implementation",
        LAMBDA_IMPLEMENTATION,
        "--python-version",
        python_version(),
        "--only-binary=:all:",
    ]


def pip_platform_environment() -> dict[str, str]:
    """The same options as environment variables: the python plugin runs its own
    `pip install --target build -r requirements.txt`, and pip reads PIP_<OPTION>."""
    return {
        "PIP_PLATFORM": LAMBDA_PLATFORM,
        "PIP_IMPLEMENTATION": LAMBDA_IMPLEMENTATION,
        "PIP_PYTHON_VERSION": python_version(),
        "PIP_ONLY_BINARY": ":all:",
    }


def _pip(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def resolved_requirements(requirements: Path) -> list[str]:
    """name==version of everything pip installs for requirements on this machine."""
    with tempfile.TemporaryDirectory(prefix="resolve-") as tmp:
        report = Path(tmp) / "report.json"
        done = _pip(
            [
                *("install", "--dry-run", "--ignore-installed", "--quiet"),
                *("--report", str(report), "--target", str(Path(tmp) / "t")),
                *("-r", str(requirements)),
            ]
        )
        if done.returncode != 0:
            return []
        items = json.loads(report.read_text(encoding="utf-8"))["install"]
    return sorted(f"{i['metadata']['name']}=={i['metadata']['version']}" for i in items)


def missing_platform_wheels(requirements: Path) -> list[str]:
    """The resolved requirements that have no wheel for Lambda's platform in the index."""
    missing = []
    with tempfile.TemporaryDirectory(prefix="wheels-") as tmp:
        for pinned in resolved_requirements(requirements):
            options = ["--no-deps", "--quiet", "--dest", tmp, *pip_platform_options()]
            done = _pip(["download", *options, pinned])
            if done.returncode != 0:
                missing.append(pinned)
    return missing


def platform_fallback_note(missing: Iterable[str]) -> str:
    names = ", ".join(missing) or "(pip named none; see rpdk.log)"
    host = f"{sysconfig.get_platform()}, CPython {sys.version_info[0]}.{sys.version_info[1]}"
    return (
        f"no {LAMBDA_PLATFORM} CPython {python_version()} wheel in the package index for: "
        f"{names}. Built the dependencies for this machine ({host}) instead; the zip runs on "
        "Lambda only if its compiled extensions suit Lambda's platform too. Make the wheels "
        "available (pip download --platform ... on a connected machine) and rebuild."
    )


def prune(build: Path, handler_package: str) -> list[str]:
    """Delete what Lambda never imports from the installed tree; returns what went."""
    removed: list[str] = []

    def remove(path: Path) -> None:
        removed.append(path.relative_to(build).as_posix())
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    for entry in sorted(build.iterdir()):
        dist_name = entry.name.split("-", 1)[0] if entry.suffix == ".dist-info" else None
        if entry.name in NEVER_IMPORTED or dist_name in NEVER_IMPORTED or entry.suffix == ".pth":
            remove(entry)
        elif entry.suffix == ".dist-info":
            for junk in DIST_INFO_JUNK:
                if (entry / junk).exists():
                    remove(entry / junk)
        elif entry.is_dir() and entry.name != handler_package:
            for sub in UNUSED_SUBDIRS:
                if (entry / sub).is_dir():
                    remove(entry / sub)
    for cache in sorted(build.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache)  # pip's timestamp-based bytecode; compile_bytecode writes ours
    return removed


def compile_bytecode(build: Path) -> str | None:
    """Hash-based unchecked .pyc next to every module, compiled as if under /var/task.
    Returns why there is no bytecode, or None."""
    if sys.version_info[:2] != LAMBDA_PYTHON:
        return (
            f"no bytecode shipped: this is Python {sys.version_info[0]}.{sys.version_info[1]} "
            f"and Lambda runs {python_version()} (bytecode is version-specific); build with a "
            f"Python {python_version()} virtualenv to ship it"
        )
    ok = compileall.compile_dir(
        str(build),
        quiet=1,
        ddir=LAMBDA_TASK_ROOT,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        workers=0,
    )
    return None if ok else "some modules did not compile; they are shipped as source only"


def _entries(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*") if p.is_file())


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int, compress: int) -> None:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.external_attr = (mode & 0xFFFF) << 16
    info.compress_type = compress
    archive.writestr(info, data)


def write_zip(source: Path, destination: Path) -> None:
    """Every file under source, deflated, in a stable order with fixed timestamps."""
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in _entries(source):
            mode = path.stat().st_mode
            name = path.relative_to(source).as_posix()
            _add(archive, name, path.read_bytes(), mode, zipfile.ZIP_DEFLATED)


def repack(outer: Path, inner: Path) -> None:
    """Replace outer's ResourceProvider.zip with inner, deflating the other entries."""
    replacement = outer.with_suffix(".repack")
    with (
        zipfile.ZipFile(outer) as source,
        zipfile.ZipFile(replacement, "w") as target,
    ):
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            if info.filename == "ResourceProvider.zip":
                # Already deflated inside: storing it saves a pointless second pass.
                _add(target, info.filename, inner.read_bytes(), 0o644, zipfile.ZIP_STORED)
            else:
                mode = (info.external_attr >> 16) or 0o644
                _add(target, info.filename, source.read(info), mode, zipfile.ZIP_DEFLATED)
    os.replace(replacement, outer)


def optimise(built: Path, build: Path, handler_package: str) -> list[str]:
    """After cfn submit --dry-run: prune and compile its build/ tree and put it, deflated, into
    the zip it built as ResourceProvider.zip. Returns notes for the user."""
    prune(build, handler_package)
    reason = compile_bytecode(build)
    with tempfile.TemporaryDirectory(prefix="provider-") as tmp:
        inner = Path(tmp) / "ResourceProvider.zip"
        write_zip(build, inner)
        repack(built, inner)
    return [reason] if reason else []


def extension_suffix_ok(name: str) -> bool:
    """Does an extension module's file name load on CPython 3.11 x86_64 Linux?"""
    return bool(re.search(r"\.(cpython-311-x86_64-linux-gnu|abi3)\.so$", name))

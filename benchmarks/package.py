"""Package size: what `cfn submit --dry-run` puts in the registry package, measured two ways.

1. The registry_package tool (python -m registry_package), when it is available, builds the
   real package; its zip is measured.
2. Always: the requirements.txt closure as `pip install -r requirements.txt --target build`
   would lay it out, rebuilt from the installed distributions of the same pinned versions
   (no network): every distribution's files without bytecode (cfn zips no .pyc), stored
   (cfn's zips are ZIP_STORED), plus the handler source. Split by who needs it: what the
   Lambda Python runtime already ships (boto3 and its dependencies, an older version), what
   the handler needs on top, and what is installed but never imported at runtime.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .common import Row

ROOT = Path(__file__).resolve().parent.parent
# Shipped by the Lambda python3.11+ runtimes (boto3 and what it depends on).
RUNTIME_PROVIDED = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3"}
)
# Installed by pip as a dependency of cloudformation-cli-python-lib, never imported by the
# handler at runtime.
NOT_IMPORTED = frozenset({"setuptools"})


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(path: Path) -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0])
    return names


def _closure(roots: list[str]) -> list[str]:
    from packaging.requirements import Requirement

    seen: dict[str, None] = {}
    pending = list(roots)
    while pending:
        name = _canonical(pending.pop())
        if name in seen:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # not installed here: left out of the figures (pip would add it)
        seen[name] = None
        for spec in requires:
            requirement = Requirement(spec)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            pending.append(requirement.name)
    return list(seen)


def _files(name: str) -> list[tuple[Path, str]]:
    dist = metadata.distribution(name)
    found = []
    for entry in dist.files or []:
        text = str(entry)
        if text.endswith(".pyc") or "__pycache__" in text or text.startswith(".."):
            continue
        found.append((Path(str(dist.locate_file(entry))), text))
    return found


@dataclass
class Closure:
    groups: dict[str, dict[str, int]] = field(default_factory=dict)  # group -> dist -> bytes
    zip_bytes: int = 0
    zip_without_runtime_provided: int = 0

    def total(self, group: str) -> int:
        return sum(self.groups.get(group, {}).values())


def _stored_zip(entries: list[tuple[Path, str]]) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for path, arcname in entries:
            if path.is_file():
                archive.write(path, arcname)
    return buffer.tell()


def measure_closure() -> Closure:
    names = _closure(_requirements(ROOT / "requirements.txt"))
    result = Closure()
    all_entries: list[tuple[Path, str]] = []
    lean_entries: list[tuple[Path, str]] = []
    for name in names:
        entries = _files(name)
        size = sum(path.stat().st_size for path, _ in entries if path.is_file())
        if name in RUNTIME_PROVIDED:
            group = "Lambda runtime provides"
        elif name in NOT_IMPORTED:
            group = "installed, never imported"
        else:
            group = "needed on top of the runtime"
        result.groups.setdefault(group, {})[name] = size
        all_entries += entries
        if name not in RUNTIME_PROVIDED:
            lean_entries += entries
    source = ROOT / "src" / "aws_connect_user"
    handler = [
        (path, f"aws_connect_user/{path.relative_to(source)}")
        for path in sorted(source.rglob("*"))
        if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts
    ]
    result.groups["handler source"] = {
        "aws_connect_user": sum(path.stat().st_size for path, _ in handler)
    }
    result.zip_bytes = _stored_zip(all_entries + handler)
    result.zip_without_runtime_provided = _stored_zip(lean_entries + handler)
    return result


@dataclass
class ToolPackage:
    zip_bytes: int
    seconds: float
    inner_bytes: dict[str, int]  # ResourceProvider.zip: file bytes per top-level directory


def _top_level(name: str) -> str:
    head = name.split("/", 1)[0]
    if head.endswith((".dist-info", ".egg-info")):
        return head.split("-", 1)[0]
    return head.removesuffix(".py")


def measure_tool(timeout: float = 300.0) -> ToolPackage | str:
    """Build the real package with `python -m registry_package --output <tmp>` (cfn submit
    --dry-run; pip fetches the pinned requirements); its size and what is inside."""
    import tempfile

    if not (ROOT / "registry_package" / "__main__.py").exists():
        return "registry_package not available yet"
    with tempfile.TemporaryDirectory(prefix="bench-package-") as tmp:
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "registry_package", "--output", tmp],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"registry_package took over {timeout:.0f} s"
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            return f"registry_package failed (exit {done.returncode}): {done.stderr[-300:]}"
        zips = sorted(Path(tmp).glob("*/*.zip"))  # the bundle folder, e.g. aws-connect-user/
        if not zips:
            return "registry_package wrote no zip"
        inner: dict[str, int] = {}
        with (
            zipfile.ZipFile(zips[0]) as outer,
            zipfile.ZipFile(outer.open("ResourceProvider.zip")) as provider,
        ):
            for info in provider.infolist():
                key = _top_level(info.filename)
                inner[key] = inner.get(key, 0) + info.file_size
        return ToolPackage(zips[0].stat().st_size, elapsed, inner)


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def rows(closure: Closure, tool: ToolPackage | str, import_ms: Any = None) -> list[Row]:
    section = "Package"
    out = []
    if isinstance(tool, ToolPackage):
        runtime_names = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six"}
        runtime_names |= {"python_dateutil", "urllib3"}
        provided = sum(v for k, v in tool.inner_bytes.items() if k in runtime_names)
        unused = sum(
            v
            for k, v in tool.inner_bytes.items()
            if k in ("setuptools", "pkg_resources", "_distutils_hack")
        )
        total = sum(tool.inner_bytes.values())
        out.append(
            Row(
                section,
                "registry package zip (python -m registry_package)",
                _mb(tool.zip_bytes),
                note=(
                    f"built in {tool.seconds:.0f} s; ResourceProvider.zip holds {_mb(total)}: "
                    f"boto3/botocore & deps {_mb(provided)}, setuptools {_mb(unused)}, "
                    f"the rest {_mb(total - provided - unused)}"
                ),
                data={"zip_bytes": tool.zip_bytes, "inner_bytes": tool.inner_bytes},
            )
        )
    else:
        out.append(
            Row(section, "registry package zip (python -m registry_package)", "-", note=tool)
        )
    runtime = closure.total("Lambda runtime provides")
    needed = closure.total("needed on top of the runtime")
    unused = closure.total("installed, never imported")
    handler = closure.total("handler source")
    out.append(
        Row(
            section,
            "requirements.txt closure, as cfn packages it (stored zip)",
            f"{_mb(closure.zip_bytes)}; without what the runtime ships "
            f"{_mb(closure.zip_without_runtime_provided)}",
            note=(
                f"raw: runtime-provided (boto3, botocore, ...) {_mb(runtime)}, needed on top "
                f"{_mb(needed)}, never imported (setuptools) {_mb(unused)}, handler "
                f"{handler / 1e3:.0f} kB"
            ),
            data={
                "zip_bytes": closure.zip_bytes,
                "zip_without_runtime_provided": closure.zip_without_runtime_provided,
                "groups": closure.groups,
            },
        )
    )
    if import_ms is not None:
        out.append(
            Row(
                section,
                "handler import time (fresh process)",
                import_ms.render("ms", 0),
                note="see the cold-start rows for what it is made of",
            )
        )
    return out


# --- import time as Lambda would see it ----------------------------------------------------


@dataclass
class LambdaImport:
    bundled: Any  # Stats, ms: everything from the package, no bytecode (cfn zips no .pyc)
    runtime_boto3: Any  # Stats, ms: boto3 & co. from a precompiled runtime dir, rest bundled
    bundled_warm_pyc: Any  # Stats, ms: the same bundle with bytecode present (dev machine)


def _lay_out(target: Path, entries: list[tuple[Path, str]]) -> None:
    import shutil

    for path, arcname in entries:
        if path.is_file():
            destination = target / arcname
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def measure_lambda_import(runs: int = 5) -> LambdaImport:
    """Import aws_connect_user.handlers in a fresh interpreter (no site-packages, -S) from a
    package laid out like /var/task: the zip's files, no bytecode, read-only as far as
    Python is concerned (PYTHONDONTWRITEBYTECODE), so every bundled module is compiled on
    every cold start. Compared with boto3 & co. coming from a precompiled directory, as the
    Lambda runtime's own copy does."""
    import compileall
    import tempfile

    from .common import Stats

    names = _closure(_requirements(ROOT / "requirements.txt"))
    source = ROOT / "src" / "aws_connect_user"
    handler = [
        (path, f"aws_connect_user/{path.relative_to(source)}")
        for path in sorted(source.rglob("*"))
        if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts
    ]
    with tempfile.TemporaryDirectory(prefix="bench-lambda-") as tmp:
        full, lean, runtime, warm = (Path(tmp) / d for d in ("full", "lean", "runtime", "warm"))
        for name in names:
            entries = _files(name)
            _lay_out(full, entries)
            _lay_out(warm, entries)
            _lay_out(runtime if name in RUNTIME_PROVIDED else lean, entries)
        for directory in (full, lean, warm):
            _lay_out(directory, handler)
        compileall.compile_dir(str(runtime), quiet=2, workers=0)
        compileall.compile_dir(str(warm), quiet=2, workers=0)

        def once(path: list[Path], write_bytecode: bool) -> float:
            code = (
                "import sys, time; sys.path[:0] = sys.argv[1:]; t = time.perf_counter(); "
                "import aws_connect_user.handlers; print((time.perf_counter() - t) * 1e3)"
            )
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
            if not write_bytecode:
                env["PYTHONDONTWRITEBYTECODE"] = "1"
            done = subprocess.run(
                [sys.executable, "-S", "-c", code, *map(str, path)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=120,
            )
            return float(done.stdout.strip().splitlines()[-1])

        bundled: list[float] = []
        split: list[float] = []
        cached: list[float] = []
        for _ in range(runs):
            bundled.append(once([full], write_bytecode=False))
            split.append(once([lean, runtime], write_bytecode=False))
            cached.append(once([warm], write_bytecode=False))
        return LambdaImport(Stats.of(bundled), Stats.of(split), Stats.of(cached))


def lambda_import_rows(result: LambdaImport) -> list[Row]:
    ratio = result.bundled.median / result.runtime_boto3.median
    return [
        Row(
            "Package",
            "handler import, cfn submit's own zip layout (no .pyc, read-only)",
            f"boto3 bundled {result.bundled.render('ms', 0)}; boto3 from the runtime "
            f"(precompiled) {result.runtime_boto3.render('ms', 0)}",
            note=(
                f"bundling costs {ratio:.1f}x the import time; with bytecode present "
                f"(dev machine) {result.bundled_warm_pyc.render('ms', 0)}. What "
                "make package ships is precompiled: see the Lambda package rows"
            ),
            data={
                "bundled_ms": vars(result.bundled),
                "runtime_boto3_ms": vars(result.runtime_boto3),
                "bundled_with_pyc_ms": vars(result.bundled_warm_pyc),
            },
        )
    ]

"""The registry package as Lambda runs it: python -m registry_package's zip, its
ResourceProvider.zip extracted to a read-only folder (as /var/task), each cold start a fresh
isolated interpreter (-I -S -B: no site-packages, no environment, no bytecode writes) with only
the standard library and the layout's folders on its path. Three children, alternating:

- bundled: the package alone (boto3 & co. from the package, precompiled);
- runtime boto3: the same package without boto3 & co., which come from a second precompiled
  folder after it, as the runtime's own copy in /var/runtime would;
- bare: boto3 from that runtime folder making the calls the handler's create makes
  (DescribeInstance + CreateUser + DescribeUser), with no handler.

Targets: handler import bundled within 1.05x of runtime boto3 (what bundling costs), and
imports + first create within 1.3x of bare boto3 (what the handler costs).
"""

from __future__ import annotations

import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import coldstart
from .common import Row, Stats

IMPORT_TARGET = 1.05
CREATE_TARGET = coldstart.TARGET_RATIO
ISOLATED = ("-I", "-S", "-B")
# What the Lambda python3.11 runtime ships in /var/runtime: top-level names in the package.
RUNTIME_TOP_LEVEL = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3"}
)
RUNTIME_DISTRIBUTIONS = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "python_dateutil", "six", "urllib3"}
)


@dataclass
class LambdaPackage:
    zip_bytes: int
    inner_zip_bytes: int
    extracted_bytes: int
    build_seconds: float
    notes: tuple[str, ...]
    bundled_import: Stats  # ms
    runtime_import: Stats
    import_ratio: Stats  # per run: bundled / runtime boto3
    bundled_total: Stats  # ms: imports + first create
    runtime_total: Stats
    bare_total: Stats
    create_ratio: Stats  # per run: bundled handler / bare boto3


def _is_runtime(name: str) -> bool:
    if name.endswith(".dist-info"):
        return name.split("-", 1)[0] in RUNTIME_DISTRIBUTIONS
    return name in RUNTIME_TOP_LEVEL


def lay_out(package_zip: Path, root: Path) -> tuple[Path, Path, Path]:
    """(bundled, lean, runtime) folders from the zip's ResourceProvider.zip, read-only."""
    bundled, lean, runtime = root / "bundled", root / "lean", root / "runtime"
    with zipfile.ZipFile(package_zip) as outer:
        inner = root / "ResourceProvider.zip"
        inner.write_bytes(outer.read("ResourceProvider.zip"))
    with zipfile.ZipFile(inner) as archive:
        archive.extractall(bundled)
    shutil.copytree(bundled, lean)
    runtime.mkdir()
    for entry in sorted(lean.iterdir()):
        if _is_runtime(entry.name):
            shutil.move(str(entry), runtime / entry.name)
    for path in [root, *root.rglob("*")]:
        if path != inner:
            path.chmod(path.stat().st_mode & ~0o222)
    return bundled, lean, runtime


def _writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)


def _on_path(folders: list[Path], body: str) -> str:
    return f"import sys; sys.path[:0] = {[str(f) for f in folders]!r}\n{body}"


def measure(emulator: Any, credentials: Any, runs: int = 7) -> LambdaPackage:
    from registry_package import build_package

    env = coldstart.child_environment(emulator.endpoint_url)
    imports: dict[str, list[float]] = {"bundled": [], "runtime": []}
    totals: dict[str, list[float]] = {"bundled": [], "runtime": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="bench-lambda-package-") as tmp:
        started = time.perf_counter()
        package = build_package(output_dir=Path(tmp) / "dist")
        build_seconds = time.perf_counter() - started
        root = Path(tmp) / "task"
        root.mkdir()
        bundled, lean, runtime = lay_out(package.path, root)
        inner_zip_bytes = (root / "ResourceProvider.zip").stat().st_size
        extracted = sum(p.stat().st_size for p in bundled.rglob("*") if p.is_file())
        children = {
            "bundled": _on_path([bundled], coldstart._HANDLER_CHILD),
            "runtime": _on_path([lean, runtime], coldstart._HANDLER_CHILD),
            "bare": _on_path([runtime], coldstart._BARE_CHILD),
        }
        stamp = time.strftime("%H%M%S")
        try:
            for index in range(runs + 1):  # the first round warms the page cache: discarded
                handler, bare = coldstart.create_payloads(credentials, f"lp{stamp}-{index}")
                second, _ = coldstart.create_payloads(credentials, f"lr{stamp}-{index}")
                payloads = {"bundled": handler, "runtime": second, "bare": bare}
                order = list(children)
                order = order[index % 3 :] + order[: index % 3]  # rotate who goes first
                for side in order:
                    result, _wall = coldstart._run(children[side], payloads[side], env, ISOLATED)
                    if index == 0:
                        continue
                    totals[side].append(result["total_ms"])
                    if side in imports:
                        imports[side].append(result["import_ms"])
        finally:
            _writable(root)
    return LambdaPackage(
        zip_bytes=package.size_bytes,
        inner_zip_bytes=inner_zip_bytes,
        extracted_bytes=extracted,
        build_seconds=build_seconds,
        notes=package.notes,
        bundled_import=Stats.of(imports["bundled"]),
        runtime_import=Stats.of(imports["runtime"]),
        import_ratio=Stats.of(
            [b / r for b, r in zip(imports["bundled"], imports["runtime"], strict=True)]
        ),
        bundled_total=Stats.of(totals["bundled"]),
        runtime_total=Stats.of(totals["runtime"]),
        bare_total=Stats.of(totals["bare"]),
        create_ratio=Stats.of(
            [h / b for h, b in zip(totals["bundled"], totals["bare"], strict=True)]
        ),
    )


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def rows(result: LambdaPackage) -> list[Row]:
    section = "Lambda package (read-only extracted zip, python -I -S -B)"
    notes = "; ".join(result.notes)
    return [
        Row(
            section,
            "registry zip (deflated)",
            f"{_mb(result.zip_bytes)}; ResourceProvider.zip {_mb(result.inner_zip_bytes)}, "
            f"{_mb(result.extracted_bytes)} extracted",
            note=f"built in {result.build_seconds:.0f} s" + (f"; {notes}" if notes else ""),
            data={
                "zip_bytes": result.zip_bytes,
                "inner_zip_bytes": result.inner_zip_bytes,
                "extracted_bytes": result.extracted_bytes,
            },
        ),
        Row(
            section,
            "handler import: boto3 bundled / the runtime's precompiled boto3",
            f"{result.import_ratio.render('x')}; bundled {result.bundled_import.render('ms', 0)}"
            f", runtime boto3 {result.runtime_import.render('ms', 0)}",
            f"<= {IMPORT_TARGET}x",
            result.import_ratio.median <= IMPORT_TARGET,
            data={
                "ratio": vars(result.import_ratio),
                "bundled_ms": vars(result.bundled_import),
                "runtime_boto3_ms": vars(result.runtime_import),
            },
        ),
        Row(
            section,
            "imports + first create: handler (bundled) / bare boto3",
            f"{result.create_ratio.render('x')}; handler {result.bundled_total.render('ms', 0)}"
            f", bare {result.bare_total.render('ms', 0)}",
            f"<= {CREATE_TARGET}x",
            result.create_ratio.median <= CREATE_TARGET,
            note=f"handler on the runtime's boto3: {result.runtime_total.render('ms', 0)}",
            data={
                "ratio": vars(result.create_ratio),
                "handler_ms": vars(result.bundled_total),
                "handler_runtime_boto3_ms": vars(result.runtime_total),
                "bare_ms": vars(result.bare_total),
            },
        ),
    ]

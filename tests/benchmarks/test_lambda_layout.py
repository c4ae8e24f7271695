"""The Lambda bench's layouts: the package alone, and the package without what the runtime
ships plus a folder holding just that (as /var/runtime), all read-only."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from benchmarks.lambda_package import _writable, lay_out

INNER = (
    "aws_connect_user/handlers.py",
    "boto3/__init__.py",
    "botocore/__init__.py",
    "botocore-1.44.8.dist-info/METADATA",
    "python_dateutil-2.9.0.post0.dist-info/METADATA",
    "dateutil/__init__.py",
    "six.py",
    "jsonschema/__init__.py",
    "jsonschema-4.25.0.dist-info/METADATA",
)


def package(path: Path) -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for name in INNER:
            archive.writestr(name, "")
    with zipfile.ZipFile(path, "w") as outer:
        outer.writestr("schema.json", "{}")
        outer.writestr("ResourceProvider.zip", inner.getvalue())
    return path


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_runtime_layout_splits_off_what_the_runtime_ships(tmp_path: Path) -> None:
    root = tmp_path / "task"
    root.mkdir()
    bundled, lean, runtime = lay_out(package(tmp_path / "p.zip"), root)
    try:
        assert files(bundled) == set(INNER)
        assert files(lean) == {
            "aws_connect_user/handlers.py",
            "jsonschema/__init__.py",
            "jsonschema-4.25.0.dist-info/METADATA",
        }
        assert files(runtime) == set(INNER) - files(lean)
        assert not [p for p in bundled.rglob("*") if p.stat().st_mode & 0o222]
    finally:
        _writable(root)

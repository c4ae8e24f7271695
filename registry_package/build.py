"""Build the registry package with the CLI's own `cfn submit --dry-run`, in a staged copy.

Why a copy: `cfn submit` deletes and rebuilds `build/` in the project root (where the contract
runner keeps its output) and writes the zip there; and a private type name has to be written
into the schema, .rpdk-config, the handler package name and the handler's bundled schema, which
must not touch the tracked files. The copy holds exactly what cfn submit reads for a Python
resource type: the schema, .rpdk-config, requirements.txt, inputs/, src/<package>/, plus
resource-role.yaml and template.yml so the staged project is complete.

The python plugin (use_docker: false, as .rpdk-config says) runs `pip install --target build
-r requirements.txt` with the `pip` on PATH; we put this interpreter's bin directory first, so
it is the virtualenv's pip (reaching PyPI for the pinned runtime dependencies), told through
PIP_* variables to pick Lambda's platform wheels; the installed tree it leaves in build/ is then
pruned, precompiled and deflated into the zip's ResourceProvider.zip (lambda_build), and the
inputs/ it packs are the real-account placeholders (inputs.py).

build_bundle (what `make package` runs) writes to dist/<org-service-resource>/ the zip, the schema
under the type name, execution-role.yaml, registration.yaml (registry_package.templates) and the
examples under the type name. It keeps no staged project: `cfn submit` there would build another
package (the plugin's pip, whatever is first on PATH), so the zip is the one way to register.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import lambda_build
from .inputs import write_real_account_inputs
from .naming import render_examples, whole_name
from .templates import (
    DEFAULT_MAX_SESSION_DURATION,
    execution_role_template,
    registration_template,
    to_yaml,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TYPE_NAME = "AWS::Connect::User"
# The registry's pattern for a type name; AWS, Alexa and Custom are reserved namespaces for
# private registration (AWS:: is fine for building the package, not for registering it).
TYPE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$")
RESERVED_NAMESPACES = ("aws", "alexa", "custom", "amzn", "amazon", "dev")
STAGED_FILES = ("requirements.txt", "resource-role.yaml", "template.yml")
STAGED_DIRS = ("inputs",)
EXECUTION_ROLE_FILE = "execution-role.yaml"
REGISTRATION_FILE = "registration.yaml"


@dataclass(frozen=True)
class TypeNames:
    """Every spelling of a type name that the project's files carry."""

    type_name: str

    @property
    def parts(self) -> list[str]:
        return self.type_name.split("::")

    @property
    def package(self) -> str:  # the python plugin's package name: aws_connect_user
        return "_".join(p.lower() for p in self.parts)

    @property
    def hyphenated(self) -> str:  # schema file and zip name: aws-connect-user
        return "-".join(p.lower() for p in self.parts)

    @property
    def hyphenated_case(self) -> str:  # the role's SourceArn: AWS-Connect-User
        return "-".join(self.parts)


@dataclass(frozen=True)
class Package:
    path: Path
    type_name: str
    size_bytes: int
    entries: int
    handler_entries: int  # files in the inner ResourceProvider.zip (handler + dependencies)
    notes: tuple[str, ...] = ()  # what the build could not do as intended (printed by the CLI)

    @property
    def size_mb(self) -> float:
        return self.size_bytes / 1_000_000

    def summary(self) -> str:
        return (
            f"{self.type_name}: {self.path} ({self.size_mb:.1f} MB, {self.entries} files; "
            f"ResourceProvider.zip holds {self.handler_entries} files)"
        )


class PackageError(RuntimeError):
    pass


def check_type_name(type_name: str) -> None:
    if not TYPE_NAME_PATTERN.fullmatch(type_name):
        raise PackageError(
            f"{type_name!r} is not a type name: Organization::Service::Resource, each part "
            "2-64 letters or digits"
        )


def is_reserved(type_name: str) -> bool:
    return type_name.split("::", 1)[0].lower() in RESERVED_NAMESPACES


def stage(target: Path, type_name: str, root: Path = ROOT) -> Path:
    """Copy what cfn submit needs into target, carrying type_name everywhere."""
    old, new = TypeNames(DEFAULT_TYPE_NAME), TypeNames(type_name)
    target.mkdir(parents=True, exist_ok=True)
    for name in STAGED_FILES:
        if (root / name).exists():
            shutil.copy2(root / name, target / name)
    for name in STAGED_DIRS:
        if (root / name).is_dir():
            shutil.copytree(root / name, target / name)
    if (target / "inputs").is_dir():
        write_real_account_inputs(target / "inputs")  # no emulator IDs, no test passwords
    shutil.copytree(
        root / "src" / old.package,
        target / "src" / new.package,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )

    schema = json.loads((root / f"{old.hyphenated}.json").read_text(encoding="utf-8"))
    schema["typeName"] = type_name
    (target / f"{new.hyphenated}.json").write_text(json.dumps(schema, indent=4) + "\n")

    config = json.loads((root / ".rpdk-config").read_text(encoding="utf-8"))
    config["typeName"] = type_name
    config.setdefault("settings", {})["type_name"] = type_name
    for key in ("entrypoint", "testEntrypoint"):
        if key in config:
            config[key] = config[key].replace(old.package + ".", new.package + ".", 1)
    (target / ".rpdk-config").write_text(json.dumps(config, indent=4) + "\n")

    if type_name != DEFAULT_TYPE_NAME:
        # Everything else that spells the name: the handler's bundled schema copy (its
        # TYPE_NAME comes from there), messages and docstrings, the user agent, the role's
        # SourceArn condition, the SAM template's handler paths.
        texts = [p for p in (target / "src").rglob("*") if p.suffix in (".py", ".json")]
        texts += [target / n for n in ("resource-role.yaml", "template.yml")]
        for path in texts:
            if path.exists():
                _rename_in(path, old, new)
    return target


def _rename_in(path: Path, old: TypeNames, new: TypeNames) -> None:
    text = whole_name(old.type_name).sub(new.type_name, path.read_text(encoding="utf-8"))
    for before, after in (
        (old.package, new.package),
        (old.hyphenated_case, new.hyphenated_case),
        (old.hyphenated, new.hyphenated),
    ):
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")


def run_cfn_submit_dry_run(project: Path, extra_env: dict[str, str] | None = None) -> None:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        env.pop(name, None)  # a dry run needs no account; don't let a profile be read
    env.update(extra_env or {})
    run = subprocess.run(
        [str(bin_dir / "cfn"), "submit", "--dry-run"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        log = project / "rpdk.log"
        detail = log.read_text(encoding="utf-8")[-4000:] if log.exists() else run.stderr
        raise PackageError(f"cfn submit --dry-run failed ({run.returncode}):\n{detail}")


def build_for_lambda(project: Path) -> list[str]:
    """cfn submit --dry-run with pip picking Lambda's wheels; if the index lacks one, the
    build machine's wheels, with a note naming what lacked one."""
    try:
        run_cfn_submit_dry_run(project, lambda_build.pip_platform_environment())
        return []
    except PackageError as error:
        if "pip build failed" not in str(error):
            raise
        missing = lambda_build.missing_platform_wheels(project / "requirements.txt")
        if not missing and lambda_build.resolved_requirements(project / "requirements.txt"):
            raise  # every wheel is there: the failure is something else
    run_cfn_submit_dry_run(project)
    return [lambda_build.platform_fallback_note(missing)]


def _zip_into(project: Path, names: TypeNames, output_dir: Path) -> Package:
    """Run cfn submit --dry-run in project (dependencies for Lambda's platform), make the
    handler package lean and precompiled, and move the zip to output_dir."""
    notes = build_for_lambda(project)
    built = project / f"{names.hyphenated}.zip"
    if not built.exists():
        raise PackageError(f"cfn submit --dry-run wrote no {built.name}")
    notes += lambda_build.optimise(built, project / "build", names.package)
    shutil.rmtree(project / "build")  # the installed tree; cfn submit rebuilds it
    output_dir.mkdir(parents=True, exist_ok=True)
    destination = output_dir / built.name
    shutil.move(str(built), destination)
    with zipfile.ZipFile(destination) as outer:
        entries = len(outer.namelist())
        with zipfile.ZipFile(outer.open("ResourceProvider.zip")) as inner:
            handler_entries = len(inner.namelist())
    return Package(
        path=destination,
        type_name=names.type_name,
        size_bytes=destination.stat().st_size,
        entries=entries,
        handler_entries=handler_entries,
        notes=tuple(notes),
    )


def build_package(
    type_name: str = DEFAULT_TYPE_NAME,
    output_dir: Path = ROOT / "dist",
    root: Path = ROOT,
) -> Package:
    """The registry zip alone, built in a temporary staged copy (deleted afterwards)."""
    check_type_name(type_name)
    with tempfile.TemporaryDirectory(prefix="registry-package-") as tmp:
        project = stage(Path(tmp) / "project", type_name, root)
        return _zip_into(project, TypeNames(type_name), output_dir)


@dataclass(frozen=True)
class Bundle:
    """Everything to register the type under its name, in one folder."""

    directory: Path
    package: Package
    schema: Path  # the schema under the type name
    execution_role: Path  # execution-role.yaml
    registration: Path  # registration.yaml
    examples: Path  # the example templates under the type name

    def summary(self) -> str:
        rows = [
            self.package.summary(),
            f"  schema:             {self.schema}",
            f"  execution role:     {self.execution_role}",
            f"  registration stack: {self.registration}",
            f"  example templates:  {self.examples}",
        ]
        return "\n".join(rows)


def bundle_dir(type_name: str, output_dir: Path = ROOT / "dist") -> Path:
    """dist/<org-service-resource>/, e.g. dist/acme-connect-user/."""
    return output_dir / TypeNames(type_name).hyphenated


def max_session_duration(root: Path = ROOT) -> int:
    """The execution role's MaxSessionDuration in the project's resource-role.yaml."""
    path = root / "resource-role.yaml"
    if path.exists():
        role = yaml.safe_load(path.read_text(encoding="utf-8"))
        value = role.get("Resources", {}).get("ExecutionRole", {}).get("Properties", {})
        if isinstance(value.get("MaxSessionDuration"), int):
            return int(value["MaxSessionDuration"])
    return DEFAULT_MAX_SESSION_DURATION


def write_templates(
    directory: Path,
    type_name: str,
    schema: dict[str, Any],
    session_duration: int = DEFAULT_MAX_SESSION_DURATION,
) -> tuple[Path, Path]:
    """execution-role.yaml and registration.yaml for type_name, from the schema."""
    try:
        role_yaml = to_yaml(execution_role_template(type_name, schema, session_duration))
        registration_yaml = to_yaml(registration_template(type_name, schema, session_duration))
    except ValueError as error:
        raise PackageError(str(error)) from error
    directory.mkdir(parents=True, exist_ok=True)
    role = directory / EXECUTION_ROLE_FILE
    role.write_text(role_yaml, encoding="utf-8")
    registration = directory / REGISTRATION_FILE
    registration.write_text(registration_yaml, encoding="utf-8")
    return role, registration


def build_bundle(
    type_name: str = DEFAULT_TYPE_NAME,
    output_dir: Path = ROOT / "dist",
    root: Path = ROOT,
) -> Bundle:
    """output_dir/<org-service-resource>/ with the registry zip, the schema under type_name,
    execution-role.yaml, registration.yaml and the examples under type_name. The staged project
    is not kept: its `cfn submit` would build another package (the python plugin pip-installs
    with whatever pip is first on PATH, for that machine's platform, unpruned and without
    bytecode), so the one route to register is this zip (registration.yaml or register-type)."""
    check_type_name(type_name)
    names = TypeNames(type_name)
    directory = bundle_dir(type_name, output_dir)
    for stale in ("project", "examples"):  # a previous build's: ours to replace
        shutil.rmtree(directory / stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="registry-package-") as tmp:
        project = stage(Path(tmp) / "project", type_name, root)
        schema_text = (project / f"{names.hyphenated}.json").read_text(encoding="utf-8")
        schema = json.loads(schema_text)
        session = max_session_duration(root)
        role, registration = write_templates(directory, type_name, schema, session)
        shutil.copyfile(role, project / "resource-role.yaml")
        package = _zip_into(project, names, directory)
    schema_path = directory / f"{names.hyphenated}.json"
    schema_path.write_text(schema_text, encoding="utf-8")
    examples = directory / "examples"
    render_examples(type_name, examples)
    return Bundle(
        directory=directory,
        package=package,
        schema=schema_path,
        execution_role=role,
        registration=registration,
        examples=examples,
    )

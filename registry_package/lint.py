"""cfn-lint for templates that use this type under a private name.

    python -m registry_package.lint --type-name Acme::Connect::User a.yaml b.yaml
    make lint-templates TYPE_NAME=Acme::Connect::User FILES="a.yaml b.yaml"

cfn-lint 1.58 loads a registry schema (--registry-schemas) under a private name but validates
none of its properties: its property rules (E3002, E3003, E3012, ... and the Ref/GetAtt checks)
ask ProviderSchemaManager.get_resource_schemas_by_regions, which looks types up in the
per-region provider index only and so skips registry schemas. A misspelled property on
Acme::Connect::User lints clean.

The workaround: run cfn-lint in-process with this type's schema (renamed) as a registry schema
and that one lookup taught to answer registry schemas first, for every region. Everything else
is cfn-lint's own: its template decoding, rules, output (file:line:column) and exit code.
tests/package/test_lint.py holds a test that fails once cfn-lint fixes the lookup; then this
patch can go and the command becomes `cfn-lint --registry-schemas <dir>`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cfnlint.schema.manager import ProviderSchemaManager

from .build import DEFAULT_TYPE_NAME, ROOT, PackageError, TypeNames, check_type_name


def renamed_schema(type_name: str, root: Path = ROOT) -> dict[str, Any]:
    """This type's schema under type_name."""
    schema: dict[str, Any] = json.loads(
        (root / f"{TypeNames(DEFAULT_TYPE_NAME).hyphenated}.json").read_text(encoding="utf-8")
    )
    return {**schema, "typeName": type_name}


def write_registry_schema(type_name: str, directory: Path, root: Path = ROOT) -> Path:
    """The renamed schema in directory, as cfn-lint's --registry-schemas reads it."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{TypeNames(type_name).hyphenated}.json"
    path.write_text(json.dumps(renamed_schema(type_name, root), indent=2), encoding="utf-8")
    return path


@contextmanager
def registry_schemas_validated() -> Iterator[None]:
    """Make cfn-lint's per-region schema lookup answer registry schemas (the workaround)."""
    original = ProviderSchemaManager.get_resource_schemas_by_regions

    def by_regions(self: Any, resource_type: str, regions: Sequence[str]) -> Iterator[Any]:
        registry = self._registry_schemas  # cfn-lint's own store of --registry-schemas
        if resource_type in registry:
            yield list(regions), registry[resource_type]
            return
        yield from original(self, resource_type, regions)

    ProviderSchemaManager.get_resource_schemas_by_regions = by_regions
    try:
        yield
    finally:
        ProviderSchemaManager.get_resource_schemas_by_regions = original


def run_cfn_lint(args: Sequence[str]) -> int:
    """cfn-lint's command line, in this process; returns its exit code."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    try:
        Runner(ConfigMixIn(list(args))).cli()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    return 0


def lint_templates(
    type_name: str, templates: Sequence[str], cfn_lint_args: Sequence[str] = ()
) -> int:
    """Lint templates with cfn-lint, validating resources of type_name against this type's
    schema; prints cfn-lint's findings (file:line:column) and returns its exit code."""
    check_type_name(type_name)
    with tempfile.TemporaryDirectory(prefix="lint-schema-") as tmp:
        write_registry_schema(type_name, Path(tmp))
        with registry_schemas_validated():
            return run_cfn_lint(["--registry-schemas", tmp, *cfn_lint_args, "--", *templates])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m registry_package.lint",
        description="cfn-lint templates, validating resources of a private type name against "
        "this type's schema (cfn-lint alone validates none of their properties).",
    )
    parser.add_argument("--type-name", default=DEFAULT_TYPE_NAME, help="e.g. Acme::Connect::User")
    parser.add_argument(
        "--cfn-lint-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="passed to cfn-lint, e.g. --cfn-lint-arg=--regions=eu-west-1 (repeatable)",
    )
    parser.add_argument("templates", nargs="*", help="template files")
    args = parser.parse_args(argv)
    if not args.templates:
        parser.error('no templates: make lint-templates TYPE_NAME=... FILES="a.yaml b.yaml"')
    try:
        return lint_templates(args.type_name, args.templates, args.cfn_lint_arg)
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

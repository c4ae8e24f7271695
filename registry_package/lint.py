"""cfn-lint for templates that use this type under a private name.

    make lint-templates                          # the examples, under config.mk's TYPE_NAME
    make lint-templates FILES="a.yaml b.yaml"    # your templates (paths relative to where you are)
    python -m registry_package.lint --type-name Acme::Connect::User a.yaml b.yaml

Two layers, both with the pinned cfn-lint: the type's schema under the chosen name (below), and
the handler's own rules as cfn-lint custom rules (lint_rules/, E9101: aws_connect_user.checks),
which also run on their own in a user's CI: cfn-lint --append-rules lint_rules/ -- t.yaml.

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

from .build import DEFAULT_TYPE_NAME, ROOT, PackageError, TypeNames, bundle_dir, check_type_name
from .naming import PLACEHOLDER, configured_type_name, render_examples

RULES_DIR = ROOT / "lint_rules"
HANDLER_RULES = "E9101"


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
    _forget_registry_schemas()
    try:
        yield
    finally:
        ProviderSchemaManager.get_resource_schemas_by_regions = original
        _forget_registry_schemas()


def _forget_registry_schemas() -> None:
    """cfn-lint keeps one schema manager per process, with the registry schemas it was given
    and lookups cached: a second in-process run under another name would see the first's."""
    from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER

    PROVIDER_SCHEMA_MANAGER._registry_schemas.clear()
    for name in ("get_resource_schema", "get_resource_types", "get_type_getatts", "get_type_ref"):
        getattr(ProviderSchemaManager, name).cache_clear()


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
            return run_cfn_lint(
                [
                    "--registry-schemas",
                    tmp,
                    "--append-rules",
                    str(RULES_DIR),
                    "--configure-rule",
                    f"{HANDLER_RULES}:type_name={TypeNames(type_name).hyphenated_case}",
                    *cfn_lint_args,
                    "--",
                    *templates,
                ]
            )


def example_templates(type_name: str, output_dir: Path = ROOT / "dist") -> list[str]:
    """The examples as a user deploys them: the repository's own files under the placeholder
    name, else rendered under type_name into dist/<org-service-resource>/examples/."""
    if type_name == PLACEHOLDER:
        return [str(p) for p in sorted((ROOT / "examples" / "templates").glob("*.yaml"))]
    target = bundle_dir(type_name, output_dir) / "examples"
    return [str(p) for p in render_examples(type_name, target)]


def resolved(templates: Sequence[str], cwd: Path | None) -> list[str]:
    """Template paths as given, relative ones taken from cwd (where make was run)."""
    return [str(cwd / t) if cwd is not None and not Path(t).is_absolute() else t for t in templates]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m registry_package.lint",
        description="cfn-lint templates, validating resources of a private type name against "
        "this type's schema (cfn-lint alone validates none of their properties).",
    )
    parser.add_argument(
        "--type-name",
        default=None,
        help="e.g. Acme::Connect::User (default: TYPE_NAME from config.mk)",
    )
    parser.add_argument(
        "--cwd", type=Path, default=None, help="the directory relative template paths start from"
    )
    parser.add_argument(
        "--cfn-lint-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="passed to cfn-lint, e.g. --cfn-lint-arg=--regions=eu-west-1 (repeatable)",
    )
    parser.add_argument("templates", nargs="*", help="template files (default: the examples)")
    args = parser.parse_args(argv)
    type_name = args.type_name or configured_type_name()
    try:
        check_type_name(type_name)
        templates = resolved(args.templates, args.cwd) or example_templates(type_name)
        return lint_templates(type_name, templates, args.cfn_lint_arg)
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

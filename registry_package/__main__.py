"""python -m registry_package [--type-name NAME] [--output DIR]

Writes DIR/<org-service-resource>/ (default dist/acme-connect-user/ for Acme::Connect::User):
the registry zip, the schema under that name, execution-role.yaml, registration.yaml and
examples/, the example templates under that name."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import ROOT, PackageError, build_bundle, is_reserved
from .naming import configured_type_name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m registry_package",
        description="Build the registry package with cfn submit --dry-run (no AWS account), "
        "plus the templates to register it, in one folder.",
    )
    parser.add_argument(
        "--type-name",
        default=None,
        help="type name to package under, e.g. Acme::Connect::User (default: config.mk's)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "dist",
        help="parent of the output folder <org-service-resource>/ (dist/)",
    )
    args = parser.parse_args(argv)
    args.type_name = args.type_name or configured_type_name()
    started = time.perf_counter()
    print(f"Building the registry package for {args.type_name} (cfn submit --dry-run)...")
    try:
        bundle = build_bundle(args.type_name, args.output)
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(bundle.summary())
    for note in bundle.package.notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"Built in {time.perf_counter() - started:.1f} s.")
    if is_reserved(args.type_name):
        print(
            f"Note: {args.type_name.split('::')[0]}:: is a reserved namespace; to register the "
            "type privately, build it under your own name, e.g. "
            "make package TYPE_NAME=Acme::Connect::User"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

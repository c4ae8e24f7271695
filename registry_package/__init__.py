"""Builds the CloudFormation registry package (cfn submit --dry-run), optionally under a private
type name, with the templates to register it. Development tooling: not part of the package it
builds."""

from .build import (
    DEFAULT_TYPE_NAME,
    Bundle,
    Package,
    PackageError,
    build_bundle,
    build_package,
    bundle_dir,
    stage,
    write_templates,
)

__all__ = [
    "DEFAULT_TYPE_NAME",
    "Bundle",
    "Package",
    "PackageError",
    "build_bundle",
    "build_package",
    "bundle_dir",
    "stage",
    "write_templates",
]

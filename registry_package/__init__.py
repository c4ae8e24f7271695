"""Builds the CloudFormation registry package (cfn submit --dry-run), optionally under a private
type name. Development tooling: not part of the package it builds."""

from .build import DEFAULT_TYPE_NAME, Package, PackageError, build_package, stage

__all__ = ["DEFAULT_TYPE_NAME", "Package", "PackageError", "build_package", "stage"]

"""Adopt an existing contact centre: CloudFormation templates and import files for every user of
an Amazon Connect instance, each resource exactly what the type's READ returns (README.md)."""

from .run import Options, Summary, adopt
from .source import Connect, Filters, Pacer, connect_client

__all__ = ["Connect", "Filters", "Options", "Pacer", "Summary", "adopt", "connect_client"]

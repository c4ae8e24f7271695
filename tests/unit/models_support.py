"""Building resource models the way the runtime does (set-typed arrays kept as lists)."""

from __future__ import annotations

from typing import Any

from aws_connect_user.models import ResourceModel
from aws_connect_user.runtime import build_model
from connect_emulator.seed import CONNECT_MANAGED, SeedInstance

from ..testdata import minimal_create_params as props


def model(instance: SeedInstance = CONNECT_MANAGED, **overrides: Any) -> ResourceModel:
    """The smallest valid user (testdata.minimal_create_params: references as IDs, only a
    phone type) as the runtime builds it."""
    return build_model(props(instance, **overrides))


__all__ = ["model", "props"]

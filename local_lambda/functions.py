"""The functions the endpoint serves, read from the SAM template rather than hard-coded."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = PROJECT_ROOT / "template.yml"
SERVERLESS_FUNCTION = "AWS::Serverless::Function"
# SAM's own defaults when neither the function nor Globals set them.
DEFAULT_TIMEOUT_S = 3
DEFAULT_MEMORY_MB = 128

Handler = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # "package.module.attribute", as in the template's Handler property
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB

    def load(self) -> Handler:
        module_name, _, attribute = self.handler.rpartition(".")
        if not module_name:
            raise ValueError(f"handler {self.handler!r} must be module.attribute")
        handler = getattr(importlib.import_module(module_name), attribute)
        if not callable(handler):
            raise TypeError(f"handler {self.handler!r} is not callable")
        return handler


class _TolerantLoader(yaml.SafeLoader):
    """Safe loader that keeps going past CloudFormation short-form tags (!Ref, !Sub...)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)


def load_functions(
    template: Path = TEMPLATE, overrides: Mapping[str, str] | None = None
) -> dict[str, FunctionSpec]:
    """Every AWS::Serverless::Function in the template, by logical ID.

    overrides maps a function name to another handler path (module.attribute); tests use it
    to put a deliberately broken handler behind TypeFunction without a hook in the product.
    """
    document = yaml.load(template.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    globals_ = (document.get("Globals") or {}).get("Function") or {}
    functions: dict[str, FunctionSpec] = {}
    for name, resource in (document.get("Resources") or {}).items():
        if resource.get("Type") != SERVERLESS_FUNCTION:
            continue
        props = resource.get("Properties") or {}
        functions[name] = FunctionSpec(
            name=name,
            handler=props["Handler"],
            timeout_s=float(props.get("Timeout", globals_.get("Timeout", DEFAULT_TIMEOUT_S))),
            memory_mb=int(props.get("MemorySize", globals_.get("MemorySize", DEFAULT_MEMORY_MB))),
        )
    for name, handler in (overrides or {}).items():
        if name not in functions:
            raise KeyError(f"no function {name!r} in {template.name}; have {sorted(functions)}")
        functions[name] = replace(functions[name], handler=handler)
    return functions

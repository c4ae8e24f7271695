"""The type name the user chose, once, in config.mk, and the examples rendered under it.

The repository's examples carry the placeholder MyCompany::Connect::User (unmistakably not
AWS's public AWS::Connect::User); everything a user deploys is rendered from them under the
chosen name. The schema in the repository keeps AWS::Connect::User (cfn test runs on it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = "config.mk"
PLACEHOLDER = "MyCompany::Connect::User"
ENVIRONMENT = "TYPE_NAME"  # make exports the setting (and a command-line override) as this
EXAMPLES = ROOT / "examples" / "templates"
_SETTING = re.compile(r"^\s*TYPE_NAME\s*[:?]?=\s*(\S+)\s*$", re.MULTILINE)


def configured_type_name(root: Path = ROOT, environ: Mapping[str, str] = os.environ) -> str:
    """TYPE_NAME as make sees it: the environment (make exports it), else config.mk."""
    if environ.get(ENVIRONMENT):
        return environ[ENVIRONMENT]
    found = _SETTING.search((root / CONFIG_FILE).read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{root / CONFIG_FILE} sets no TYPE_NAME")
    return found.group(1)


def whole_name(type_name: str) -> re.Pattern[str]:
    """type_name as a whole word: AWS::Connect::User but not AWS::Connect::UserHierarchyGroup."""
    return re.compile(rf"(?<![A-Za-z0-9:]){re.escape(type_name)}(?![A-Za-z0-9])")


def renamed(text: str, type_name: str, old: str = PLACEHOLDER) -> str:
    return whole_name(old).sub(type_name, text)


def render_examples(type_name: str, target: Path, source: Path = EXAMPLES) -> list[Path]:
    """The example templates under type_name, in target (replaced whole)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    written = []
    for template in sorted(source.glob("*.yaml")):
        path = target / template.name
        path.write_text(renamed(template.read_text(encoding="utf-8"), type_name), "utf-8")
        written.append(path)
    return written

"""The type name chosen once (config.mk) and what carries it: the rendered examples and the
staged project, renamed as whole words only."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry_package.build import stage
from registry_package.naming import (
    PLACEHOLDER,
    configured_type_name,
    renamed,
    render_examples,
)

ROOT = Path(__file__).resolve().parents[2]


def test_config_mk_holds_the_placeholder_and_the_environment_overrides_it(tmp_path: Path) -> None:
    assert configured_type_name(ROOT, environ={}) == PLACEHOLDER
    (tmp_path / "config.mk").write_text("# comment\nTYPE_NAME = Acme::Connect::User\n")
    assert configured_type_name(tmp_path, environ={}) == "Acme::Connect::User"
    assert configured_type_name(tmp_path, environ={"TYPE_NAME": "Zed::Connect::User"}) == (
        "Zed::Connect::User"
    )
    (tmp_path / "config.mk").write_text("# nothing set\n")
    with pytest.raises(ValueError, match="sets no TYPE_NAME"):
        configured_type_name(tmp_path, environ={})


def test_a_rename_leaves_other_connect_types_alone() -> None:
    text = "Type: AWS::Connect::User\nType: AWS::Connect::UserHierarchyGroup\nX AWS::Connect::User."
    assert renamed(text, "Acme::Connect::User", old="AWS::Connect::User") == (
        "Type: Acme::Connect::User\nType: AWS::Connect::UserHierarchyGroup\nX Acme::Connect::User."
    )


def test_the_examples_render_under_the_name(tmp_path: Path) -> None:
    written = render_examples("Acme::Connect::User", tmp_path / "examples")
    team = (tmp_path / "examples" / "team.yaml").read_text()
    assert team.count("Type: Acme::Connect::User") == 3
    assert "Type: AWS::Connect::UserHierarchyGroup" in team
    assert PLACEHOLDER not in "".join(p.read_text() for p in written)


def test_the_staged_project_renames_whole_names_only(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "src" / "aws_connect_user").mkdir(parents=True)
    for name in ("aws-connect-user.json", ".rpdk-config"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    (root / "src" / "aws_connect_user" / "refs.py").write_text(
        'OURS = "AWS::Connect::User"\nGROUP = "AWS::Connect::UserHierarchyGroup"\n'
    )
    project = stage(tmp_path / "project", "Acme::Connect::User", root)
    assert (project / "src" / "acme_connect_user" / "refs.py").read_text() == (
        'OURS = "Acme::Connect::User"\nGROUP = "AWS::Connect::UserHierarchyGroup"\n'
    )

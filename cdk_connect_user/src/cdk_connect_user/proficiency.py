"""Routing proficiencies (UserProficiencies, issue 13) for the ConnectUser construct."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class UserProficiency:
    """One routing proficiency: a predefined attribute of the instance (attribute_name, such
    as "Language"), one of its values (attribute_value, "English") and the agent's level, a
    number from 1 to 5 (2.5 too: Connect's ProficiencyLevel is a float 1.0-5.0)."""

    attribute_name: str
    attribute_value: str
    level: int | float  # 3, 3.0 and 2.5 alike; a number token (Token.as_number) too

    def render(self) -> dict[str, Any]:
        return {
            "AttributeName": self.attribute_name,
            "AttributeValue": self.attribute_value,
            "Level": self.level,
        }


def render_proficiencies(items: Sequence[UserProficiency] | None) -> list[dict[str, Any]] | None:
    """The UserProficiencies property; None (left out: not managed) when not given. An empty
    list is kept: it declares that the user has none."""
    if items is None:
        return None
    if isinstance(items, UserProficiency):
        raise TypeError("user_proficiencies takes a list of UserProficiency, not one")
    rendered = []
    for item in items:
        if not isinstance(item, UserProficiency):
            raise TypeError(
                f"user_proficiencies takes UserProficiency entries, not {type(item).__name__}"
            )
        rendered.append(item.render())
    return rendered

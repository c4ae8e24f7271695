"""SearchUsers: evaluation of SearchCriteria and SearchFilter against user records."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from .errors import invalid_parameter

Predicate = Callable[[dict[str, Any]], bool]


class ProficiencySearch(enum.Enum):
    """How SearchUsers reads a ListCondition's conditions, which the reference says are ANDed
    without saying over what. Undocumented.

    ENTRY (default): one proficiency must meet them all.
    ANY: each condition may be met by a different proficiency of the user.
    """

    ENTRY = "entry"
    ANY = "any"


# FieldName (case-insensitive) -> the user's value(s) it compares.
_FIELDS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "username": lambda user: [user["Username"]],
    "firstname": lambda user: [user.get("IdentityInfo", {}).get("FirstName", "")],
    "lastname": lambda user: [user.get("IdentityInfo", {}).get("LastName", "")],
    "resourceid": lambda user: [user["Id"]],
    "routingprofileid": lambda user: [user["RoutingProfileId"]],
    "securityprofileid": lambda user: list(user["SecurityProfileIds"]),
}


def _string_condition(condition: dict[str, Any]) -> Predicate:
    field = str(condition.get("FieldName", "")).lower()
    if field not in _FIELDS:
        raise invalid_parameter(f"Unsupported FieldName in StringCondition: {field or '(none)'}")
    value = condition.get("Value")
    comparison = condition.get("ComparisonType")
    if value is None or comparison is None:
        raise invalid_parameter("StringCondition needs Value and ComparisonType.")
    read = _FIELDS[field]
    needle = value.lower()
    # EXACT is case-sensitive; CONTAINS and STARTS_WITH ignore case, like a search box.
    if comparison == "EXACT":
        return lambda user: any(candidate == value for candidate in read(user))
    if comparison == "CONTAINS":
        return lambda user: any(needle in candidate.lower() for candidate in read(user))
    return lambda user: any(candidate.lower().startswith(needle) for candidate in read(user))


_NUMBER: dict[str, Callable[[float, int | None, int | None], bool]] = {
    "GREATER_OR_EQUAL": lambda v, lo, hi: lo is not None and v >= lo,
    "GREATER": lambda v, lo, hi: lo is not None and v > lo,
    "LESSER_OR_EQUAL": lambda v, lo, hi: hi is not None and v <= hi,
    "LESSER": lambda v, lo, hi: hi is not None and v < hi,
    "EQUAL": lambda v, lo, hi: v == (lo if lo is not None else hi),
    "NOT_EQUAL": lambda v, lo, hi: v != (lo if lo is not None else hi),
    "RANGE": lambda v, lo, hi: lo is not None and hi is not None and lo <= v <= hi,
}


def _member_test(test: Predicate, member: str) -> Callable[[dict[str, Any]], bool]:
    return lambda proficiency: test({"Username": proficiency[member]})


def _level_test(
    compare: Callable[[float, int | None, int | None], bool], lo: int | None, hi: int | None
) -> Callable[[dict[str, Any]], bool]:
    return lambda proficiency: compare(float(proficiency["Level"]), lo, hi)


def _list_condition(condition: dict[str, Any], mode: ProficiencySearch) -> Predicate:
    """Users whose proficiencies meet every condition: StringCondition on `name` or `value`,
    NumberCondition on `limit` (the level); one proficiency all of them, or under ANY each
    condition some proficiency (ProficiencySearch)."""
    if condition.get("TargetListType", "PROFICIENCIES") != "PROFICIENCIES":
        raise invalid_parameter("Only TargetListType PROFICIENCIES is supported.")
    checks: list[Callable[[dict[str, Any]], bool]] = []
    for item in condition.get("Conditions", []):
        if "StringCondition" in item:
            string = item["StringCondition"]
            member = {"name": "AttributeName", "value": "AttributeValue"}.get(
                str(string.get("FieldName", "")).lower()
            )
            if member is None:
                raise invalid_parameter("ListCondition's StringCondition takes name or value.")
            test = _string_condition({**string, "FieldName": "username"})
            checks.append(_member_test(test, member))
        if "NumberCondition" in item:
            number = item["NumberCondition"]
            compare = _NUMBER.get(str(number.get("ComparisonType")))
            if str(number.get("FieldName", "")).lower() != "limit" or compare is None:
                raise invalid_parameter("ListCondition's NumberCondition takes limit.")
            checks.append(_level_test(compare, number.get("MinValue"), number.get("MaxValue")))
    if mode is ProficiencySearch.ANY:
        return lambda user: (
            all(any(check(p) for p in user.get("Proficiencies", ())) for check in checks)
            and bool(user.get("Proficiencies"))
        )
    return lambda user: any(
        all(check(p) for check in checks) for p in user.get("Proficiencies", ())
    )


def _hierarchy_condition(condition: dict[str, Any]) -> Predicate:
    group = condition.get("Value")
    if condition.get("HierarchyGroupMatchType", "EXACT") != "EXACT":
        raise invalid_parameter("Only HierarchyGroupMatchType EXACT is supported.")
    return lambda user: user.get("HierarchyGroupId") == group


def _criteria(criteria: dict[str, Any], mode: ProficiencySearch, depth: int = 0) -> Predicate:
    if depth > 8:
        raise invalid_parameter("SearchCriteria is nested too deeply.")
    parts: list[Predicate] = []
    if "ListCondition" in criteria:
        parts.append(_list_condition(criteria["ListCondition"], mode))
    if "StringCondition" in criteria:
        parts.append(_string_condition(criteria["StringCondition"]))
    if "HierarchyGroupCondition" in criteria:
        parts.append(_hierarchy_condition(criteria["HierarchyGroupCondition"]))
    if "AndConditions" in criteria:
        ands = [_criteria(item, mode, depth + 1) for item in criteria["AndConditions"]]
        parts.append(lambda user: all(check(user) for check in ands))
    if "OrConditions" in criteria:
        ors = [_criteria(item, mode, depth + 1) for item in criteria["OrConditions"]]
        parts.append(lambda user: any(check(user) for check in ors))
    return lambda user: all(check(user) for check in parts)


def _tag(condition: dict[str, Any]) -> Callable[[dict[str, str]], bool]:
    key, value = condition.get("TagKey"), condition.get("TagValue")
    return lambda tags: key in tags and (value is None or tags[key] == value)


def _tag_filter(tag_filter: dict[str, Any]) -> Callable[[dict[str, str]], bool]:
    parts: list[Callable[[dict[str, str]], bool]] = []
    if "TagCondition" in tag_filter:
        parts.append(_tag(tag_filter["TagCondition"]))
    if "AndConditions" in tag_filter:
        ands = [_tag(item) for item in tag_filter["AndConditions"]]
        parts.append(lambda tags: all(check(tags) for check in ands))
    if "OrConditions" in tag_filter:
        groups = [[_tag(item) for item in group] for group in tag_filter["OrConditions"]]
        parts.append(lambda tags: any(all(check(tags) for check in group) for group in groups))
    return lambda tags: all(check(tags) for check in parts)


def _attribute_filter(attributes: dict[str, Any]) -> Predicate:
    def and_condition(condition: dict[str, Any]) -> Predicate:
        tag_checks = [_tag(item) for item in condition.get("TagConditions", [])]
        group = condition.get("HierarchyGroupCondition")
        group_check = _hierarchy_condition(group) if group else None
        return lambda user: (
            all(check(user["Tags"]) for check in tag_checks)
            and (group_check is None or group_check(user))
        )

    parts: list[Predicate] = []
    if "TagCondition" in attributes:
        tag_check = _tag(attributes["TagCondition"])
        parts.append(lambda user: tag_check(user["Tags"]))
    if "HierarchyGroupCondition" in attributes:
        parts.append(_hierarchy_condition(attributes["HierarchyGroupCondition"]))
    if "AndCondition" in attributes:
        parts.append(and_condition(attributes["AndCondition"]))
    if "OrConditions" in attributes:
        ors = [and_condition(item) for item in attributes["OrConditions"]]
        parts.append(lambda user: any(check(user) for check in ors))
    return lambda user: all(check(user) for check in parts)


def build_predicate(
    params: dict[str, Any], mode: ProficiencySearch = ProficiencySearch.ENTRY
) -> Predicate:
    """A test over a user record with its "Tags" attached, from SearchUsers' parameters."""
    parts: list[Predicate] = []
    if params.get("SearchCriteria"):
        parts.append(_criteria(params["SearchCriteria"], mode))
    search_filter = params.get("SearchFilter") or {}
    if "TagFilter" in search_filter:
        tag_check = _tag_filter(search_filter["TagFilter"])
        parts.append(lambda user: tag_check(user["Tags"]))
    if "UserAttributeFilter" in search_filter:
        parts.append(_attribute_filter(search_filter["UserAttributeFilter"]))
    return lambda user: all(check(user) for check in parts)

"""The supported Connect operations, over the emulator's State. Callers hold the lock."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import fidelity, proficiencies, seed, user_config
from .consistency import DeletedUsername, RepeatDelete, Tombstone, Visibility, VisibilityDelays
from .errors import ServiceError, invalid_parameter, not_found
from .faults import RealClock
from .fidelity import Fidelity, SearchChannelAcwUnit, SoftPhoneDesk
from .identity_rules import (
    SamlEmailPolicy,
    check_create,
    check_identity_info,
    check_phone_config,
)
from .pagination import page
from .proficiencies import ProficiencyMissing, ProficiencyRepeat
from .store import CHILD_SEGMENTS, USER_SEGMENT, Child, Instance, State
from .user_config import ChannelFill, ConfigUpdate
from .user_search import ProficiencySearch, build_predicate

_ARN_PREFIX = f"arn:{seed.PARTITION}:connect:{seed.REGION}:{seed.ACCOUNT_ID}:instance/"
_RESOURCE_ARN = re.compile(r"arn:[^:]+:connect:[^:]*:[^:]*:instance/([^/]+)(?:/([^/]+)/([^/]+))?")
_SEGMENT_KINDS = {segment: kind for kind, segment in CHILD_SEGMENTS.items()}
WRITE_OPERATIONS = frozenset(
    {
        "CreateUser",
        "UpdateUserIdentityInfo",
        "UpdateUserPhoneConfig",
        "UpdateUserConfig",
        "UpdateUserRoutingProfile",
        "UpdateUserSecurityProfiles",
        "UpdateUserHierarchy",
        "DeleteUser",
        "TagResource",
        "UntagResource",
        *proficiencies.WRITES,
    }
)
MAX_TAGS = 50


@dataclass
class ServiceSettings:
    user_limit: int = 100_000  # per instance
    saml_email: SamlEmailPolicy = SamlEmailPolicy.REJECT
    region: str = seed.REGION
    repeat_delete: RepeatDelete = RepeatDelete.NOT_FOUND
    deleted_username: DeletedUsername = DeletedUsername.FREE
    channel_fill: ChannelFill = ChannelFill.NONE
    user_config_update: ConfigUpdate = ConfigUpdate.MERGE
    proficiency_missing: ProficiencyMissing = ProficiencyMissing.NOT_FOUND
    proficiency_repeat: ProficiencyRepeat = ProficiencyRepeat.REJECT
    fidelity: Fidelity = field(default_factory=Fidelity)
    proficiency_search: ProficiencySearch = ProficiencySearch.ENTRY


class ConnectService:
    def __init__(
        self, state: State, settings: ServiceSettings, visibility: Visibility | None = None
    ) -> None:
        self.state = state
        self.settings = settings
        self.visibility = visibility or Visibility(VisibilityDelays(), RealClock())
        self._lagging: str | None = None  # the operation running with visibility delays
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "DescribeInstance": self.describe_instance,
            "ListInstances": self.list_instances,
            "CreateUser": self.create_user,
            "DescribeUser": self.describe_user,
            "ListUsers": self.list_users,
            "SearchUsers": self.search_users,
            "UpdateUserIdentityInfo": self.update_user_identity_info,
            "UpdateUserPhoneConfig": self.update_user_phone_config,
            "UpdateUserConfig": self.update_user_config,
            "UpdateUserRoutingProfile": self.update_user_routing_profile,
            "UpdateUserSecurityProfiles": self.update_user_security_profiles,
            "UpdateUserHierarchy": self.update_user_hierarchy,
            "DeleteUser": self.delete_user,
            "TagResource": self.tag_resource,
            "UntagResource": self.untag_resource,
            "ListTagsForResource": self.list_tags_for_resource,
            "ListSecurityProfiles": self._lister("ListSecurityProfiles", "security"),
            "ListRoutingProfiles": self._lister("ListRoutingProfiles", "routing"),
            "ListUserHierarchyGroups": self._lister("ListUserHierarchyGroups", "hierarchy"),
            "DescribeSecurityProfile": self.describe_security_profile,
            "DescribeRoutingProfile": self.describe_routing_profile,
            "DescribeUserHierarchyGroup": self.describe_user_hierarchy_group,
            **proficiencies.handlers(self),
        }

    def run(self, operation: str, params: dict[str, Any], *, consistent: bool) -> dict[str, Any]:
        """One operation; unless consistent, it sees what the visibility delays let it see."""
        self._lagging = None if consistent else operation
        try:
            return self.handlers[operation](params)
        finally:
            self._lagging = None

    def _hides_user(self, user_id: str) -> bool:
        return self._lagging is not None and self.visibility.hides_user(self._lagging, user_id)

    def _deleted_users(self, instance: Instance) -> list[Tombstone]:
        if self._lagging is None:
            return []
        return self.visibility.deleted_users(self._lagging, instance.id)

    def _visible_users(self, instance: Instance) -> list[dict[str, Any]]:
        """Every user record this operation sees, in creation order; a deleted user it still
        sees carries its tags as "_StaleTags"."""
        users = list(instance.users.values())
        if self._lagging is None:
            return users  # the common case stays a plain copy: listings of 10,000s of users
        hidden = self.visibility.new_user_filter(self._lagging)
        if hidden is not None:
            users = [user for user in users if not hidden(user["Id"])]
        deleted = self._deleted_users(instance)
        if not deleted:
            return users
        order = self.visibility.order
        merged = [(order(user["Id"]), user) for user in users]
        merged += [(t.order, {**t.user, _STALE_TAGS: t.tags}) for t in deleted]
        merged.sort(key=lambda item: item[0])
        return [user for _, user in merged]

    # --- lookups -------------------------------------------------------------------------

    def instance(self, reference: str) -> Instance:
        """An instance by ID or ARN, as the service accepts either for InstanceId."""
        instance_id = reference
        if reference.startswith("arn:"):
            if not reference.startswith(_ARN_PREFIX) or "/" in reference[len(_ARN_PREFIX) :]:
                raise not_found(f"Instance not found: {reference}")
            instance_id = reference[len(_ARN_PREFIX) :]
        found = self.state.instances.get(instance_id)
        if found is None:
            raise not_found(f"Instance not found: {reference}")
        return found

    def child(self, instance: Instance, kind: str, reference: str) -> Child:
        """A security/routing profile or hierarchy group by ID or by ARN of this instance."""
        child_id = reference
        if reference.startswith("arn:"):
            prefix = f"{instance.arn}/{CHILD_SEGMENTS[kind]}/"
            if not reference.startswith(prefix):
                raise not_found(f"{_KIND_NAMES[kind]} not found: {reference}")
            child_id = reference[len(prefix) :]
        found = instance.children[kind].get(child_id)
        if found is None or self._hides_reference(found.id):
            raise not_found(f"{_KIND_NAMES[kind]} not found: {reference}")
        return found

    def _hides_reference(self, child_id: str) -> bool:
        lagging = self._lagging
        return lagging is not None and self.visibility.hides_reference(lagging, child_id)

    def user(self, instance: Instance, user_id: str) -> dict[str, Any]:
        found = instance.users.get(user_id)
        if found is None or self._hides_user(user_id):
            raise not_found(f"User not found: {user_id}")
        return found

    def _touch(self, user: dict[str, Any]) -> None:
        user["LastModifiedTime"] = time.time()
        user["LastModifiedRegion"] = self.settings.region

    # --- instances -----------------------------------------------------------------------

    def _instance_summary(self, instance: Instance) -> dict[str, Any]:
        return {
            "Id": instance.id,
            "Arn": instance.arn,
            "IdentityManagementType": instance.identity_management_type,
            "InstanceAlias": instance.alias,
            "CreatedTime": instance.created_time,
            "ServiceRole": (
                f"arn:{seed.PARTITION}:iam::{seed.ACCOUNT_ID}:role/aws-service-role/"
                "connect.amazonaws.com/AWSServiceRoleForAmazonConnect_Emulator"
            ),
            "InstanceStatus": "ACTIVE",
            "InboundCallsEnabled": True,
            "OutboundCallsEnabled": True,
            "InstanceAccessUrl": f"https://{instance.alias}.my.connect.aws",
        }

    def describe_instance(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        described = self._instance_summary(instance)
        tags = self.state.tags.get(instance.arn)
        if tags:
            described["Tags"] = dict(tags)
        return {"Instance": described}

    def list_instances(self, params: dict[str, Any]) -> dict[str, Any]:
        instances = list(self.state.instances.values())
        items, token = page("ListInstances", "account", instances, params, 10)
        return _with_token(
            {"InstanceSummaryList": [self._instance_summary(i) for i in items]}, token
        )

    # --- users ---------------------------------------------------------------------------

    def create_user(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        check_create(
            instance.identity_management_type,
            params,
            self.settings.saml_email,
            self.settings.fidelity.username_limits,
        )
        user_config.check_lists(params)
        user_config.check_conflicts(params)
        references = self._profile_references(instance, params)
        self._check_tags(params.get("Tags") or {})
        if params["Username"] in instance.user_ids_by_name or self._username_held(
            instance, params["Username"]
        ):
            raise ServiceError(
                "DuplicateResourceException", f"User with username {params['Username']} exists."
            )
        if len(instance.users) >= self.settings.user_limit:
            raise ServiceError(
                "LimitExceededException",
                f"The limit of {self.settings.user_limit} users per instance has been reached.",
            )
        user_id = self.state.next_user_id()
        arn = f"{instance.arn}/{USER_SEGMENT}/{user_id}"
        user: dict[str, Any] = {
            "Id": user_id,
            "Arn": arn,
            "Username": params["Username"],
            "IdentityInfo": copy.deepcopy(params.get("IdentityInfo") or {}),
            **user_config.create(params, self.settings.channel_fill),
            **references,
        }
        directory_id = params.get("DirectoryUserId") or fidelity.directory_user_id(
            self.settings.fidelity.directory_user_id,
            instance.identity_management_type,
            user_id,
            params["Username"],
        )
        if directory_id is not None:  # Connect reports one for every user (fidelity.py)
            user["DirectoryUserId"] = directory_id
        self._touch(user)
        instance.add_user(user)
        self.visibility.user_created(user_id)
        if params.get("Tags"):
            self.state.tags[arn] = dict(params["Tags"])
        return {"UserId": user_id, "UserArn": arn}

    def _profile_references(self, instance: Instance, params: dict[str, Any]) -> dict[str, Any]:
        security = [
            self.child(instance, "security", reference).id
            for reference in params["SecurityProfileIds"]
        ]
        references: dict[str, Any] = {
            "SecurityProfileIds": list(dict.fromkeys(security)),
            "RoutingProfileId": self.child(instance, "routing", params["RoutingProfileId"]).id,
        }
        if params.get("HierarchyGroupId"):
            references["HierarchyGroupId"] = self.child(
                instance, "hierarchy", params["HierarchyGroupId"]
            ).id
        return references

    def describe_user(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        tombstone = self._tombstone(instance, params["UserId"])
        if tombstone is not None:
            return {"User": self._described(_tagged(copy.deepcopy(tombstone.user), tombstone.tags))}
        user = copy.deepcopy(self.user(instance, params["UserId"]))
        tags = self.state.tags.get(user["Arn"])
        if tags:
            user["Tags"] = dict(tags)
        return {"User": self._described(user)}

    def _described(self, user: dict[str, Any]) -> dict[str, Any]:
        """DescribeUser's shapes of the AWS CLI's example: a soft phone's DeskPhoneNumber is ""."""
        phone = user.get("PhoneConfig") or {}
        if (
            self.settings.fidelity.soft_phone_desk is SoftPhoneDesk.EMPTY
            and phone.get("PhoneType") == "SOFT_PHONE"
            and "DeskPhoneNumber" not in phone
        ):
            phone["DeskPhoneNumber"] = ""
        return user

    def list_users(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        users = self._visible_users(instance)
        items, token = page("ListUsers", instance.id, users, params, 100)
        summaries = [
            {
                "Id": user["Id"],
                "Arn": user["Arn"],
                "Username": user["Username"],
                "LastModifiedTime": user["LastModifiedTime"],
                "LastModifiedRegion": user["LastModifiedRegion"],
            }
            for user in items
        ]
        return _with_token({"UserSummaryList": summaries}, token)

    def search_users(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        matches = build_predicate(params, self.settings.proficiency_search)
        found = []
        for user in self._visible_users(instance):
            tags = user.get(_STALE_TAGS, self.state.tags.get(user["Arn"], {}))
            held = self.state.proficiencies.get(user["Arn"], [])
            candidate = {**user, "Tags": tags, "Proficiencies": held}
            if matches(candidate):
                found.append(candidate)
        items, token = page("SearchUsers", instance.id, found, params, 100)
        result = {
            "Users": [
                _search_summary(user, self.settings.fidelity.search_channel_acw_unit)
                for user in items
            ],
            "ApproximateTotalCount": len(found),
        }
        return _with_token(result, token)

    def update_user_identity_info(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        user = self.user(instance, params["UserId"])
        identity = params["IdentityInfo"]
        check_identity_info(instance.identity_management_type, identity, self.settings.saml_email)
        user["IdentityInfo"] = copy.deepcopy(identity)
        self._touch(user)
        return {}

    def update_user_phone_config(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        user = self.user(instance, params["UserId"])
        check_phone_config(params["PhoneConfig"])
        user_config.update_phone(user, params["PhoneConfig"], self.settings.channel_fill)
        self._touch(user)
        return {}

    def update_user_config(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        user = self.user(instance, params["UserId"])
        user_config.check_lists(params)
        settings = self.settings
        user_config.update_config(user, params, settings.channel_fill, settings.user_config_update)
        self._touch(user)
        return {}

    def update_user_routing_profile(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        user = self.user(instance, params["UserId"])
        user["RoutingProfileId"] = self.child(instance, "routing", params["RoutingProfileId"]).id
        self._touch(user)
        return {}

    def update_user_security_profiles(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        user = self.user(instance, params["UserId"])
        ids = [self.child(instance, "security", ref).id for ref in params["SecurityProfileIds"]]
        user["SecurityProfileIds"] = list(dict.fromkeys(ids))
        self._touch(user)
        return {}

    def update_user_hierarchy(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        user = self.user(instance, params["UserId"])
        if params.get("HierarchyGroupId"):
            group = self.child(instance, "hierarchy", params["HierarchyGroupId"])
            user["HierarchyGroupId"] = group.id
        else:
            user.pop("HierarchyGroupId", None)  # omitting the group removes it
        self._touch(user)
        return {}

    def delete_user(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        if (
            self.settings.repeat_delete is RepeatDelete.SUCCESS
            and self._tombstone(instance, params["UserId"]) is not None
        ):
            return {}  # the stale copy this request met is deleted "again"
        user = self.user(instance, params["UserId"])
        instance.remove_user(user["Id"])
        tags = self.state.tags.pop(user["Arn"], None) or {}
        self.visibility.user_deleted(instance.id, user, tags)
        return {}

    def _username_held(self, instance: Instance, username: str) -> bool:
        if self.settings.deleted_username is not DeletedUsername.HELD:
            return False
        return any(t.user["Username"] == username for t in self._deleted_users(instance))

    def _tombstone(self, instance: Instance, user_id: str) -> Tombstone | None:
        """The deleted user this operation still sees under that ID, if any."""
        if self._lagging is None:
            return None
        return self.visibility.deleted_user(self._lagging, instance.id, user_id)

    # --- tags ----------------------------------------------------------------------------

    def _tagged_resource(self, arn: str) -> str:
        """The ARN of an existing taggable resource, or the service's error for it."""
        parsed = _RESOURCE_ARN.fullmatch(arn)
        if parsed is None:
            raise invalid_parameter(f"Invalid resource ARN: {arn}")
        if not arn.startswith(_ARN_PREFIX):
            raise not_found(f"Resource not found: {arn}")
        instance = self.instance(f"{_ARN_PREFIX}{parsed.group(1)}")
        segment, resource_id = parsed.group(2), parsed.group(3)
        if segment is None:
            return instance.arn
        if segment == USER_SEGMENT:
            return self.user(instance, resource_id)["Arn"]
        if segment in _SEGMENT_KINDS:
            return self.child(instance, _SEGMENT_KINDS[segment], resource_id).arn
        raise not_found(f"Resource not found: {arn}")

    def _check_tags(self, tags: dict[str, str]) -> None:
        for key in tags:
            if key.lower().startswith("aws:"):
                raise invalid_parameter("Tag keys starting with 'aws:' are reserved for AWS use.")
        if len(tags) > MAX_TAGS:
            raise invalid_parameter(f"A resource can have at most {MAX_TAGS} tags.")

    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = self._tagged_resource(params["resourceArn"])
        merged = {**self.state.tags.get(arn, {}), **params["tags"]}
        self._check_tags(params["tags"])
        self._check_tags(merged)
        self.state.tags[arn] = merged
        if arn.split("/")[-2:-1] == [USER_SEGMENT]:
            self._touch_user_by_arn(arn)
        return {}

    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = self._tagged_resource(params["resourceArn"])
        remaining = {
            key: value
            for key, value in self.state.tags.get(arn, {}).items()
            if key not in params["tagKeys"]
        }
        if remaining:
            self.state.tags[arn] = remaining
        else:
            self.state.tags.pop(arn, None)
        if arn.split("/")[-2:-1] == [USER_SEGMENT]:
            self._touch_user_by_arn(arn)
        return {}

    def _touch_user_by_arn(self, arn: str) -> None:
        parsed = _RESOURCE_ARN.fullmatch(arn)
        assert parsed is not None
        instance = self.state.instances[parsed.group(1)]
        self._touch(instance.users[parsed.group(3)])

    def list_tags_for_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = self._tagged_resource(params["resourceArn"])
        return {"tags": dict(self.state.tags.get(arn, {}))}

    # --- seeded children -----------------------------------------------------------------

    def _lister(self, operation: str, kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        output_member = {
            "security": "SecurityProfileSummaryList",
            "routing": "RoutingProfileSummaryList",
            "hierarchy": "UserHierarchyGroupSummaryList",
        }[kind]

        def list_children(params: dict[str, Any]) -> dict[str, Any]:
            instance = self.instance(params["InstanceId"])
            children = [
                child
                for child in instance.children[kind].values()
                if not self._hides_reference(child.id)
            ]
            items, token = page(operation, instance.id, children, params, 100)
            summaries = []
            for child in items:
                summary: dict[str, Any] = {
                    "Id": child.id,
                    "Arn": child.arn,
                    "Name": child.name,
                    "LastModifiedTime": instance.created_time,
                    "LastModifiedRegion": self.settings.region,
                }
                if kind == "security":
                    summary["Type"] = "CUSTOMER_MANAGED"
                summaries.append(summary)
            return _with_token({output_member: summaries}, token)

        return list_children

    def describe_security_profile(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        child = self.child(instance, "security", params["SecurityProfileId"])
        profile = {
            "Id": child.id,
            "OrganizationResourceId": instance.id,
            "Arn": child.arn,
            "SecurityProfileName": child.name,
            "LastModifiedTime": instance.created_time,
            "LastModifiedRegion": self.settings.region,
            "Type": "CUSTOMER_MANAGED",
        }
        return {"SecurityProfile": _tagged(profile, self.state.tags.get(child.arn))}

    def describe_routing_profile(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        child = self.child(instance, "routing", params["RoutingProfileId"])
        users = sum(1 for user in instance.users.values() if user["RoutingProfileId"] == child.id)
        profile = {
            "InstanceId": instance.id,
            "Name": child.name,
            "RoutingProfileArn": child.arn,
            "RoutingProfileId": child.id,
            "Description": f"Seeded routing profile {child.name}",
            "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 1}],
            "NumberOfAssociatedUsers": users,
            "LastModifiedTime": instance.created_time,
            "LastModifiedRegion": self.settings.region,
            "IsDefault": child.name == seed.ROUTING_PROFILES[0],
        }
        return {"RoutingProfile": _tagged(profile, self.state.tags.get(child.arn))}

    def describe_user_hierarchy_group(self, params: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance(params["InstanceId"])
        child = self.child(instance, "hierarchy", params["HierarchyGroupId"])
        group = {
            "Id": child.id,
            "Arn": child.arn,
            "Name": child.name,
            "HierarchyPath": {"LevelOne": {"Id": child.id, "Arn": child.arn, "Name": child.name}},
            "LastModifiedTime": instance.created_time,
            "LastModifiedRegion": self.settings.region,
        }
        return {"HierarchyGroup": _tagged(group, self.state.tags.get(child.arn))}


_STALE_TAGS = "_StaleTags"  # never answered: the summaries below pick named members
_KIND_NAMES = {"security": "Security profile", "routing": "Routing profile", "hierarchy": "Group"}


def _with_token(result: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token is not None:
        result["NextToken"] = token
    return result


def _tagged(resource: dict[str, Any], tags: dict[str, str] | None) -> dict[str, Any]:
    if tags:
        resource["Tags"] = dict(tags)
    return resource


def _search_summary(user: dict[str, Any], channel_unit: SearchChannelAcwUnit) -> dict[str, Any]:
    identity = user.get("IdentityInfo", {})
    phone = copy.deepcopy(user["PhoneConfig"])
    if "AfterContactWorkTimeLimit" in phone:
        phone["AfterContactWorkTimeLimit"] *= 1000  # SearchUsers answers in milliseconds
    summary: dict[str, Any] = {
        "Arn": user["Arn"],
        "Id": user["Id"],
        "Username": user["Username"],
        "IdentityInfo": {
            name: identity[name] for name in ("FirstName", "LastName") if name in identity
        },
        "PhoneConfig": phone,
        "RoutingProfileId": user["RoutingProfileId"],
        "SecurityProfileIds": list(user["SecurityProfileIds"]),
    }
    for name in ("DirectoryUserId", "HierarchyGroupId", *user_config.LIST_NAMES):
        if name in user:
            summary[name] = copy.deepcopy(user[name])
    if channel_unit is SearchChannelAcwUnit.MILLISECONDS:
        for entry in summary.get("AfterContactWorkConfigs", ()):
            for member in ("AfterContactWorkConfig", "AgentFirstCallbackAfterContactWorkConfig"):
                config = entry.get(member)
                if config and "AfterContactWorkTimeLimit" in config:
                    config["AfterContactWorkTimeLimit"] *= 1000
    if user["Tags"]:
        summary["Tags"] = dict(user["Tags"])
    return summary

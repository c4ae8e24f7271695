"""Eventual consistency: how long a change stays invisible to the operations that read it.

Connect's API reference ("Amazon Connect eventual consistency"): a change "might not be
immediately visible to the subsequent commands", and DescribeUser right after CreateUser may
answer ResourceNotFoundException. Three kinds of change lag here, each with a delay in the
emulator's clock time, for every operation it affects ("*") or for one operation:

- NEW_USER: a created user is not found by the operations that look users up.
- DELETED_USER: a deleted user is still described, listed and found by search.
- NEW_REFERENCE: a profile or group created at runtime (Emulator.create_reference, the admin
  endpoint) is not found by the writes that reference it, nor described or listed.

Writes stay authoritative: CreateUser's username check sees a new user at once (a retry
answers DuplicateResourceException, as the issue-16 scenario needs) and UpdateUser* on a deleted
user answers ResourceNotFoundException. Two undocumented answers are settings: a repeated
DeleteUser (RepeatDelete) and a deleted user's username (DeletedUsername).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .faults import ALL_OPERATIONS, Clock

NEW_USER = "new_user"
DELETED_USER = "deleted_user"
NEW_REFERENCE = "new_reference"
KINDS = (NEW_USER, DELETED_USER, NEW_REFERENCE)

_USER_UPDATES = frozenset(
    {
        "UpdateUserIdentityInfo",
        "UpdateUserPhoneConfig",
        "UpdateUserConfig",
        "UpdateUserRoutingProfile",
        "UpdateUserSecurityProfiles",
        "UpdateUserHierarchy",
    }
)
# The operations each kind can delay; a "*" delay applies to all of them.
AFFECTED: dict[str, frozenset[str]] = {
    NEW_USER: frozenset(
        {
            "DescribeUser",
            "ListUsers",
            "SearchUsers",
            "DeleteUser",
            "TagResource",
            "UntagResource",
            "ListTagsForResource",
            *_USER_UPDATES,
        }
    ),
    # CreateUser only under DeletedUsername.HELD: the deleted user's username is still taken.
    DELETED_USER: frozenset(
        {"DescribeUser", "ListUsers", "SearchUsers", "DeleteUser", "CreateUser"}
    ),
    NEW_REFERENCE: frozenset(
        {
            "CreateUser",
            "UpdateUserRoutingProfile",
            "UpdateUserSecurityProfiles",
            "UpdateUserHierarchy",
            "DescribeSecurityProfile",
            "DescribeRoutingProfile",
            "DescribeUserHierarchyGroup",
            "ListSecurityProfiles",
            "ListRoutingProfiles",
            "ListUserHierarchyGroups",
        }
    ),
}


class RepeatDelete(StrEnum):
    """What a second DeleteUser answers while the deleted user is still visible.

    Undocumented. NOT_FOUND (default): the delete path is authoritative, as CreateUser's
    username check is. SUCCESS: the stale copy the delete meets is deleted "again" (200).
    """

    NOT_FOUND = "not-found"
    SUCCESS = "success"


class DeletedUsername(StrEnum):
    """Whether CreateUser may reuse a deleted user's username while that user is still visible.

    Undocumented. FREE (default): at once, the delete path being authoritative. HELD:
    DuplicateResourceException until CreateUser's deleted_user delay has passed.
    """

    FREE = "free"
    HELD = "held"


@dataclass
class VisibilitySpec:
    """Delays (seconds of the emulator's clock) of one operation, or of all ("*").

    For one operation, None means "as for *"; for "*", None means no delay.
    """

    new_user: float | None = None
    deleted_user: float | None = None
    new_reference: float | None = None

    def __post_init__(self) -> None:
        for kind in KINDS:
            value = getattr(self, kind)
            if value is not None and value < 0:
                raise ValueError(f"{kind} must be >= 0 seconds")


class VisibilityDelays:
    """The configured delays: part of the fault settings, so clearing faults clears them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the admin endpoint configures while requests read
        self._specs: dict[str, VisibilitySpec] = {}

    def configure(self, operation: str = ALL_OPERATIONS, **delays: Any) -> VisibilitySpec:
        """Set (replace) the delays of one operation, or of every affected operation ("*")."""
        spec = VisibilitySpec(**delays)
        if operation != ALL_OPERATIONS:
            for kind in KINDS:
                if getattr(spec, kind) is not None and operation not in AFFECTED[kind]:
                    raise ValueError(
                        f"{kind} does not apply to {operation}; it applies to "
                        f"{', '.join(sorted(AFFECTED[kind]))}"
                    )
        with self._lock:
            self._specs[operation] = spec
        return spec

    def clear(self) -> None:
        with self._lock:
            self._specs.clear()

    def delay(self, operation: str, kind: str) -> float:
        if operation not in AFFECTED[kind]:
            return 0.0
        with self._lock:
            for key in (operation, ALL_OPERATIONS):
                spec = self._specs.get(key)
                if spec is not None and getattr(spec, kind) is not None:
                    return float(getattr(spec, kind))
        return 0.0

    def longest(self, kind: str) -> float:
        with self._lock:
            return max((getattr(s, kind) or 0.0 for s in self._specs.values()), default=0.0)

    def snapshot(self) -> dict[str, dict[str, float | None]]:
        with self._lock:
            return {name: asdict(spec) for name, spec in self._specs.items()}


@dataclass
class Tombstone:
    """A deleted user as the lagging operations still see it."""

    user: dict[str, Any]
    tags: dict[str, str]
    deleted_at: float
    order: int
    created_at: float | None  # None: created before tracking began


@dataclass
class Visibility:
    """When each user and reference was created or deleted, and what that hides from whom.

    Recorded on every path (HTTP and Emulator.execute); only HTTP requests lag. Callers hold
    the emulator's lock.
    """

    delays: VisibilityDelays
    clock: Clock
    _created: dict[str, tuple[int, float]] = field(default_factory=dict)  # user -> (order, t)
    _deleted: dict[str, dict[str, Tombstone]] = field(default_factory=dict)  # by instance
    _references: dict[str, float] = field(default_factory=dict)
    _counter: int = 0

    def forget(self) -> None:
        """Back to the seed: nothing was created or deleted recently."""
        self._created.clear()
        self._deleted.clear()
        self._references.clear()

    # --- recording ---------------------------------------------------------------------------

    def user_created(self, user_id: str) -> None:
        self._counter += 1
        self._created[user_id] = (self._counter, self.clock.monotonic())

    def user_deleted(self, instance_id: str, user: dict[str, Any], tags: dict[str, str]) -> None:
        order, created_at = self._created.pop(user["Id"], (-1, None))
        if self.delays.longest(DELETED_USER) > 0:
            self._deleted.setdefault(instance_id, {})[user["Id"]] = Tombstone(
                copy.deepcopy(user), dict(tags), self.clock.monotonic(), order, created_at
            )

    def reference_created(self, reference_id: str) -> None:
        self._references[reference_id] = self.clock.monotonic()

    # --- what one operation sees -------------------------------------------------------------

    def _within(self, since: float, operation: str, kind: str) -> bool:
        delay = self.delays.delay(operation, kind)
        return delay > 0 and self.clock.monotonic() - since < delay

    def hides_user(self, operation: str, user_id: str) -> bool:
        created = self._created.get(user_id)
        return created is not None and self._within(created[1], operation, NEW_USER)

    def new_user_filter(self, operation: str) -> Callable[[str], bool] | None:
        """hides_user for many users at one instant (None: hides none of them)."""
        delay = self.delays.delay(operation, NEW_USER)
        if delay <= 0:
            return None
        since, created = self.clock.monotonic() - delay, self._created
        return lambda user_id: user_id in created and created[user_id][1] > since

    def hides_reference(self, operation: str, reference_id: str) -> bool:
        created = self._references.get(reference_id)
        return created is not None and self._within(created, operation, NEW_REFERENCE)

    def deleted_users(self, operation: str, instance_id: str) -> list[Tombstone]:
        """The instance's deleted users this operation still sees, in order of deletion."""
        tombstones = self._deleted.get(instance_id)
        if not tombstones:
            return []
        longest, now = self.delays.longest(DELETED_USER), self.clock.monotonic()
        for user_id in [u for u, t in tombstones.items() if now - t.deleted_at >= longest]:
            del tombstones[user_id]
        return [
            t
            for t in tombstones.values()
            if self._within(t.deleted_at, operation, DELETED_USER)
            and not self._never_seen(t, operation)
        ]

    def _never_seen(self, tombstone: Tombstone, operation: str) -> bool:
        """Deleted before the operation ever saw it created: nothing stale to show."""
        if tombstone.created_at is None:
            return False
        lived = tombstone.deleted_at - tombstone.created_at
        return lived < self.delays.delay(operation, NEW_USER)

    def deleted_user(self, operation: str, instance_id: str, user_id: str) -> Tombstone | None:
        for tombstone in self.deleted_users(operation, instance_id):
            if tombstone.user["Id"] == user_id:
                return tombstone
        return None

    def order(self, user_id: str) -> int:
        """Creation order of a user (-1: created before this emulator started tracking)."""
        return self._created.get(user_id, (-1, 0.0))[0]

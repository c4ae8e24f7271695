"""The callback context: what one operation remembers between CloudFormation's invocations.

CloudFormation hands back, unchanged, the callbackContext of the last IN_PROGRESS event. Its
wire keys are part of the protocol with in-flight stacks, so they never change; keys this
version does not know are carried over untouched. A known key whose value this handler could
not have written (a count that is not a whole number, a time that is not a finite number, a
created user whose ARN is not that user's) is CorruptContext: the handler refuses the request
(outcomes.corrupt_context) rather than act on a guess. A null is an absent key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .references import parse_user_arn

RETRIES = "retries"
CALLBACKS = "callbacks"
GIVE_UP_AT = "giveUpAt"
CREATE_SENT = "createSent"
WINDOW_START = "windowStart"
WINDOW = "window"
CREATED_USER_ID = "createdUserId"
CREATED_USER_ARN = "createdUserArn"
DELETE_SENT = "deleteSent"
DELETED = "deleted"
PROFICIENCIES_SENT = "proficienciesSent"
PROFICIENCIES_ASSOCIATED = "proficienciesAssociated"
ACW_RESTORE = "acwRestore"
_KNOWN = (
    RETRIES,
    CALLBACKS,
    GIVE_UP_AT,
    CREATE_SENT,
    WINDOW_START,
    WINDOW,
    CREATED_USER_ID,
    CREATED_USER_ARN,
    DELETE_SENT,
    DELETED,
    PROFICIENCIES_SENT,
    PROFICIENCIES_ASSOCIATED,
    ACW_RESTORE,
)


# Far more callbacks than an operation's timeout allows: a larger count was not written here.
MAX_COUNT = 100_000
LATEST_EPOCH = 10**11  # the year 5138: a later time was not written here
_SHOWN = 40  # characters of a refused value quoted back


class CorruptContext(ValueError):
    """A callback context this handler did not write: the message names the key."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _number(value: Any, highest: int) -> bool:
    """A JSON number from 0 to highest (compared before any conversion: ints are unbounded)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (not isinstance(value, float) or math.isfinite(value)) and 0 <= value <= highest


def _count(raw: Mapping[str, Any], key: str) -> int:
    value = raw.get(key)
    if value is None:
        return 0
    if not _number(value, MAX_COUNT) or value != int(value):
        raise CorruptContext(
            f"{key}: must be a whole number from 0 to {MAX_COUNT}, not {_shown(value)}"
        )
    return int(value)


def _epoch(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if not _number(value, LATEST_EPOCH):
        raise CorruptContext(f"{key}: must be a time in epoch seconds, not {_shown(value)}")
    return int(value)


def _flag(raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise CorruptContext(f"{key}: must be true or false, not {_shown(value)}")
    return value


def _text(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise CorruptContext(f"{key}: must be a non-empty string, not {_shown(value)}")
    return value


@dataclass(frozen=True)
class CreatedUser:
    """The identity of the user a create made (CreateUser's answer, or found by its marker)."""

    user_id: str
    user_arn: str


@dataclass
class CallbackContext:
    retries: int = 0  # callbacks in a row without progress: how long the next delay is
    callbacks: int = 0  # callbacks in all: 0 on an operation's first invocation
    give_up_at: int | None = None  # epoch seconds after which no callback is asked for
    # A CreateUser whose outcome is unknown was sent: the user may exist (see recovery.py).
    create_sent: bool = False
    # When a failure retried for a bounded window (outcomes.Rule.retry_for) was first seen.
    window_start: int | None = None
    window: str | None = None  # which window (outcomes.Rule.window) window_start belongs to
    # The user this create made: its callbacks only wait for Connect to show it (stabilise.py).
    created_user: CreatedUser | None = None
    # A DeleteUser whose outcome is unknown was sent: a later not-found is this delete's doing.
    delete_sent: bool = False
    # This delete's DeleteUser took effect: its callbacks only wait for the user to be gone.
    deleted: bool = False
    # The create's AssociateUserProficiencies was sent and its outcome is unknown: the next
    # attempt lists the user's proficiencies and associates only what is missing.
    proficiencies_sent: bool = False
    # The create's proficiencies are associated: its callbacks never associate again.
    proficiencies_associated: bool = False
    # An update's UpdateUserPhoneConfig may have set VOICE's ACW limit on every channel:
    # channel -> limit to put back, recorded before the write (channels.acw_restore).
    acw_restore: dict[str, int] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> CallbackContext:
        """The context CloudFormation handed back; CorruptContext if this handler could not
        have written it."""
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise CorruptContext(f"must be an object, not {_shown(raw)}")
        return cls(
            retries=_count(raw, RETRIES),
            callbacks=_count(raw, CALLBACKS),
            give_up_at=_epoch(raw, GIVE_UP_AT),
            create_sent=_flag(raw, CREATE_SENT),
            window_start=_epoch(raw, WINDOW_START),
            window=_text(raw, WINDOW),
            created_user=_created_user(raw),
            delete_sent=_flag(raw, DELETE_SENT),
            deleted=_flag(raw, DELETED),
            proficiencies_sent=_flag(raw, PROFICIENCIES_SENT),
            proficiencies_associated=_flag(raw, PROFICIENCIES_ASSOCIATED),
            acw_restore=_limits(raw, ACW_RESTORE),
            other={k: v for k, v in raw.items() if k not in _KNOWN},
        )

    def to_dict(self) -> dict[str, Any]:
        wire: dict[str, Any] = {**self.other, RETRIES: self.retries, CALLBACKS: self.callbacks}
        if self.give_up_at is not None:
            wire[GIVE_UP_AT] = self.give_up_at
        if self.create_sent:
            wire[CREATE_SENT] = True
        if self.window_start is not None:
            wire[WINDOW_START] = self.window_start
        if self.window is not None:
            wire[WINDOW] = self.window
        if self.created_user is not None:
            wire[CREATED_USER_ID] = self.created_user.user_id
            wire[CREATED_USER_ARN] = self.created_user.user_arn
        if self.delete_sent:
            wire[DELETE_SENT] = True
        if self.deleted:
            wire[DELETED] = True
        if self.proficiencies_sent:
            wire[PROFICIENCIES_SENT] = True
        if self.proficiencies_associated:
            wire[PROFICIENCIES_ASSOCIATED] = True
        if self.acw_restore:
            wire[ACW_RESTORE] = dict(self.acw_restore)
        return wire


def _created_user(raw: Mapping[str, Any]) -> CreatedUser | None:
    """The created user's ID and ARN: both or neither, the ARN a user ARN with that ID."""
    user_id, user_arn = _text(raw, CREATED_USER_ID), _text(raw, CREATED_USER_ARN)
    if user_id is None and user_arn is None:
        return None
    arn = parse_user_arn(user_arn)
    if user_id is None or arn is None or arn.user_id != user_id:
        raise CorruptContext(
            f"{CREATED_USER_ID} and {CREATED_USER_ARN}: must name one user (its ID, and a user "
            f"ARN with that ID), not {_shown(user_id)} and {_shown(user_arn)}"
        )
    return CreatedUser(user_id, arn.value)


def _limits(raw: Mapping[str, Any], key: str) -> dict[str, int]:
    """Channel -> ACW limit in seconds, as channels.acw_restore wrote it."""
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(channel, str) and _number(limit, MAX_COUNT) and limit == int(limit)
        for channel, limit in value.items()
    ):
        raise CorruptContext(f"{key}: must map channel names to whole seconds, not {_shown(value)}")
    return {channel: int(limit) for channel, limit in value.items()}

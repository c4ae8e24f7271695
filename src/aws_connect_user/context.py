"""The callback context: what one operation remembers between CloudFormation's invocations.

CloudFormation hands back, unchanged, the callbackContext of the last IN_PROGRESS event. Its
wire keys are part of the protocol with in-flight stacks, so they never change; keys this
version does not know are carried over untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
        raw = raw or {}
        give_up = raw.get(GIVE_UP_AT)
        window = raw.get(WINDOW_START)
        user_id, user_arn = raw.get(CREATED_USER_ID), raw.get(CREATED_USER_ARN)
        return cls(
            retries=int(raw.get(RETRIES, 0)),
            callbacks=int(raw.get(CALLBACKS, 0)),
            give_up_at=int(give_up) if give_up else None,
            create_sent=bool(raw.get(CREATE_SENT)),
            window_start=int(window) if window else None,
            window=str(raw[WINDOW]) if raw.get(WINDOW) else None,
            created_user=CreatedUser(str(user_id), str(user_arn)) if user_id and user_arn else None,
            delete_sent=bool(raw.get(DELETE_SENT)),
            deleted=bool(raw.get(DELETED)),
            proficiencies_sent=bool(raw.get(PROFICIENCIES_SENT)),
            proficiencies_associated=bool(raw.get(PROFICIENCIES_ASSOCIATED)),
            acw_restore=_limits(raw.get(ACW_RESTORE)),
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


def _limits(raw: Any) -> dict[str, int]:
    """Channel -> ACW limit, keeping only well-formed entries (the context comes back from
    outside the handler)."""
    if not isinstance(raw, Mapping):
        return {}
    return {
        str(channel): limit
        for channel, limit in raw.items()
        if isinstance(channel, str) and isinstance(limit, int) and not isinstance(limit, bool)
    }

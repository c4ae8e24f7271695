"""A local Amazon Connect emulator for the AWS::Connect::User handler's tests, demo and tools.

    with connect_emulator.running() as emu:
        client = boto3.client("connect", endpoint_url=emu.endpoint_url, ...)

    # Eventually consistent: 5 s (emulator clock) for new users, deleted users, new references.
    with connect_emulator.running(consistency=5.0, clock=ScaledClock(10)) as emu: ...

Never shipped in the handler's zip.
"""

from .consistency import (
    DELETED_USER,
    NEW_REFERENCE,
    NEW_USER,
    DeletedUsername,
    RepeatDelete,
    VisibilitySpec,
)
from .faults import (
    ALL_OPERATIONS,
    COMMIT_THEN_DROP,
    DROP,
    Clock,
    FaultInjector,
    FaultSpec,
    ManualClock,
    RealClock,
    ScaledClock,
)
from .identity_rules import SamlEmailPolicy
from .request_log import RequestLog, RequestLogEntry
from .server import Emulator, running

__all__ = [
    "ALL_OPERATIONS",
    "COMMIT_THEN_DROP",
    "DELETED_USER",
    "DROP",
    "NEW_REFERENCE",
    "NEW_USER",
    "Clock",
    "DeletedUsername",
    "Emulator",
    "FaultInjector",
    "FaultSpec",
    "ManualClock",
    "RealClock",
    "RepeatDelete",
    "RequestLog",
    "RequestLogEntry",
    "SamlEmailPolicy",
    "ScaledClock",
    "VisibilitySpec",
    "running",
]

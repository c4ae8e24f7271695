"""A local Amazon Connect emulator for the AWS::Connect::User handler's tests, demo and tools.

    with connect_emulator.running() as emu:
        client = boto3.client("connect", endpoint_url=emu.endpoint_url, ...)

Never shipped in the handler's zip.
"""

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
    "DROP",
    "Clock",
    "Emulator",
    "FaultInjector",
    "FaultSpec",
    "ManualClock",
    "RealClock",
    "RequestLog",
    "RequestLogEntry",
    "SamlEmailPolicy",
    "ScaledClock",
    "running",
]

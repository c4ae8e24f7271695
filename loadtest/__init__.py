"""A CloudFormation-like load driver for the AWS::Connect::User resource type.

    from connect_emulator import ScaledClock
    from loadtest import Operation, drive

    # time_scale 0.02: every wait is 1/50 of its length, so the emulator's clock runs 50x.
    with connect_emulator.running(clock=ScaledClock(50), faults=...) as emu:
        report = drive([Operation("CREATE", props) for props in models],
                       concurrency=20, time_scale=0.02)
    report.counts()   # {"CREATE": {"SUCCESS": 200, "FAILED": 0}}

The handler finds the emulator through AWS_ENDPOINT_URL_CONNECT (set it, then call
aws_connect_user.connect.forget_cached_state()). See driver.py for the protocol details.
"""

from .driver import (
    GAVE_UP,
    MALFORMED,
    RAISED,
    Credentials,
    Operation,
    OperationResult,
    Report,
    cloudformation_event,
    delete_of,
    drive,
    progress_event_problem,
    read_of,
    run_operation,
    scaled_sdk_backoff,
    stringify_scalars,
    update_of,
    warm_container,
)

__all__ = [
    "GAVE_UP",
    "MALFORMED",
    "RAISED",
    "Credentials",
    "Operation",
    "OperationResult",
    "Report",
    "cloudformation_event",
    "delete_of",
    "drive",
    "progress_event_problem",
    "read_of",
    "run_operation",
    "scaled_sdk_backoff",
    "stringify_scalars",
    "update_of",
    "warm_container",
]

"""A Lambda context object with the attributes the Python runtime provides."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from local_lambda.functions import FunctionSpec

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    deadline_monotonic: float
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    client_context: Any = None
    identity: Any = None

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/[$LATEST]{self.aws_request_id.replace('-', '')}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline_monotonic - time.monotonic()) * 1000))


def function_arn(name: str, region: str = REGION, account_id: str = ACCOUNT_ID) -> str:
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"


def new_context(spec: FunctionSpec, invoked_arn: str | None = None) -> LambdaContext:
    return LambdaContext(
        function_name=spec.name,
        memory_limit_in_mb=spec.memory_mb,
        invoked_function_arn=invoked_arn or function_arn(spec.name),
        deadline_monotonic=time.monotonic() + spec.timeout_s,
    )

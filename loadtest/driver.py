"""A CloudFormation-like driver for one resource type: many operations, in parallel, through
the production entrypoint, with CloudFormation's callback protocol.

What it does for each Operation, exactly as CloudFormation does for a resource:
- builds a CloudFormation-shaped event (action, awsAccountId, a bearerToken that is stable
  for the operation and new for each operation, region, resourceType, stackId, requestData
  with callerCredentials incl. a session token, resourceProperties with scalars sent as
  strings, stackTags, systemTags, logicalResourceId, previousResourceProperties for updates);
- while the handler answers IN_PROGRESS: waits callbackDelaySeconds (times time_scale), then
  invokes again with the returned callbackContext and the returned resourceModel as the next
  resourceProperties;
- stops at SUCCESS or FAILED, or gives up after max_invocations (like a stack timeout).

Time compression: every wait is multiplied by time_scale — callback delays, and botocore's
in-invocation retry backoff inside the warm containers the driver serves the handler from
(aws_connect_user.connect.WarmContainer: one per worker thread). Give the emulator
connect_emulator.ScaledClock(1 / time_scale) and its token bucket sees the same compressed time.
Nothing is skipped.
"""

from __future__ import annotations

import copy
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
RESOURCE_TYPE = "AWS::Connect::User"
ACTIONS = ("CREATE", "READ", "UPDATE", "DELETE", "LIST")
STATUSES = ("SUCCESS", "FAILED", "IN_PROGRESS")
# Pseudo error codes the driver itself assigns (never a handler's).
GAVE_UP = "DriverGaveUp"  # still IN_PROGRESS after max_invocations
RAISED = "EntrypointRaised"  # the entrypoint raised instead of returning
MALFORMED = "MalformedProgressEvent"  # the answer is not a well-formed ProgressEvent
HANDLER_ERROR_CODES = frozenset(
    {
        "NotUpdatable",
        "InvalidRequest",
        "AccessDenied",
        "InvalidCredentials",
        "AlreadyExists",
        "NotFound",
        "ResourceConflict",
        "Throttling",
        "ServiceLimitExceeded",
        "NotStabilized",
        "GeneralServiceException",
        "ServiceInternalError",
        "NetworkFailure",
        "InternalFailure",
        "InvalidTypeConfiguration",
        "HandlerInternalFailure",
        "NonCompliant",
        "UnsupportedTarget",
        "Unknown",
    }
)

Entrypoint = Callable[[Mapping[str, Any], Any], Any]


@dataclass(frozen=True)
class Credentials:
    accessKeyId: str
    secretAccessKey: str
    sessionToken: str

    @classmethod
    def fresh(cls) -> Credentials:
        """Credentials for one stack operation (CloudFormation hands out a set per operation)."""
        token = uuid.uuid4().hex
        return cls(
            accessKeyId="ASIA" + token[:16].upper(),
            secretAccessKey=uuid.uuid4().hex + token[:8],
            sessionToken="FwoGZXIvYXdzE" + uuid.uuid4().hex + uuid.uuid4().hex,
        )

    def to_json(self) -> dict[str, str]:
        return {
            "accessKeyId": self.accessKeyId,
            "secretAccessKey": self.secretAccessKey,
            "sessionToken": self.sessionToken,
        }


@dataclass(frozen=True)
class Operation:
    """One resource operation of a stack operation, as CloudFormation runs it.

    properties are the template's properties (for UPDATE/DELETE/READ with the resource's
    identifiers merged in, see update_of/delete_of/read_of); previous_properties only for
    UPDATE. label is free text for reports and tests.
    """

    action: str
    properties: Mapping[str, Any] | None
    previous_properties: Mapping[str, Any] | None = None
    logical_id: str = "ConnectUser"
    stack_id: str = "arn:aws:cloudformation:us-east-1:123456789012:stack/reliability/0"
    stack_tags: Mapping[str, str] | None = None
    previous_stack_tags: Mapping[str, str] | None = None
    next_token: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")


@dataclass
class OperationResult:
    """How one Operation ended, and every exchange it took to get there."""

    operation: Operation
    status: str  # SUCCESS or FAILED
    error_code: str | None
    message: str | None
    resource_model: dict[str, Any] | None
    resource_models: list[dict[str, Any]] | None
    next_token: str | None
    invocations: int
    callback_delays: list[int]  # callbackDelaySeconds of every IN_PROGRESS, in order
    events: list[dict[str, Any]]  # every event sent to the entrypoint, in order
    responses: list[Any]  # every answer of the entrypoint, in order
    elapsed: float  # real seconds

    @property
    def ok(self) -> bool:
        return self.status == "SUCCESS"


@dataclass
class Report:
    """The outcome of one drive()."""

    results: list[OperationResult]
    wall_time: float  # real seconds
    concurrency: int
    time_scale: float
    protocol_errors: list[str] = field(default_factory=list)  # malformed answers, raises

    def counts(self) -> dict[str, dict[str, int]]:
        """{action: {"SUCCESS": n, "FAILED": m}}."""
        table: dict[str, dict[str, int]] = {}
        for result in self.results:
            row = table.setdefault(result.operation.action, {"SUCCESS": 0, "FAILED": 0})
            row[result.status] += 1
        return table

    @property
    def succeeded(self) -> int:
        return sum(1 for r in self.results if r.status == "SUCCESS")

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == "FAILED")

    @property
    def error_codes(self) -> Counter[str]:
        return Counter(r.error_code for r in self.results if r.error_code)

    @property
    def invocations(self) -> int:
        return sum(r.invocations for r in self.results)

    @property
    def callbacks(self) -> int:
        """IN_PROGRESS answers honoured (invocations beyond the first of each operation)."""
        return sum(len(r.callback_delays) for r in self.results)

    def summary(self) -> dict[str, Any]:
        return {
            "operations": len(self.results),
            "concurrency": self.concurrency,
            "time_scale": self.time_scale,
            "counts": self.counts(),
            "error_codes": dict(self.error_codes),
            "invocations": self.invocations,
            "callbacks": self.callbacks,
            "max_invocations_per_operation": max((r.invocations for r in self.results), default=0),
            "emulated_callback_wait_seconds": sum(sum(r.callback_delays) for r in self.results),
            "wall_time_seconds": round(self.wall_time, 2),
            "protocol_errors": len(self.protocol_errors),
        }


# --- follow-up operations, built the way CloudFormation builds them --------------------------


def _identifiers(model: Mapping[str, Any] | None) -> dict[str, Any]:
    from aws_connect_user.schema import resource_schema

    read_only = [p.rsplit("/", 1)[-1] for p in resource_schema()["readOnlyProperties"]]
    return {k: model[k] for k in read_only if model and model.get(k) is not None}


def update_of(
    created: OperationResult,
    properties: Mapping[str, Any],
    stack_tags: Mapping[str, str] | None = None,
) -> Operation:
    """An UPDATE of a created resource to new template properties.

    desired = new template properties + the resource's read-only identifiers; previous = the
    template properties it was created from (incl. write-only ones) + identifiers.
    """
    base = created.operation
    ids = _identifiers(created.resource_model)
    return replace(
        base,
        action="UPDATE",
        properties={**properties, **ids},
        previous_properties={**(base.properties or {}), **ids},
        stack_tags=stack_tags if stack_tags is not None else base.stack_tags,
        previous_stack_tags=base.stack_tags,
    )


def delete_of(done: OperationResult) -> Operation:
    """A DELETE of a resource created or updated by `done` (its last template + identifiers)."""
    base = done.operation
    ids = _identifiers(done.resource_model)
    return replace(
        base,
        action="DELETE",
        properties={**(base.properties or {}), **ids},
        previous_properties=None,
        previous_stack_tags=None,
    )


def read_of(done: OperationResult) -> Operation:
    """A READ of a resource: its primary identifier and the rest of the last known model."""
    return replace(
        done.operation,
        action="READ",
        properties=dict(done.resource_model or {}),
        previous_properties=None,
        previous_stack_tags=None,
    )


# --- events -------------------------------------------------------------------------------


def stringify_scalars(value: Any) -> Any:
    """Template values as CloudFormation sends them: every scalar a string."""
    if isinstance(value, Mapping):
        return {k: stringify_scalars(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [stringify_scalars(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def cloudformation_event(
    operation: Operation,
    *,
    bearer_token: str,
    credentials: Credentials,
    properties: Mapping[str, Any] | None,
    callback_context: Mapping[str, Any] | None = None,
    previous_properties: Mapping[str, Any] | None = None,
    region: str = REGION,
    account_id: str = ACCOUNT_ID,
) -> dict[str, Any]:
    """The event CloudFormation sends a resource type's Lambda for one invocation."""
    request_data: dict[str, Any] = {
        "callerCredentials": credentials.to_json(),
        "providerCredentials": None,
        "providerLogGroupName": None,
        "logicalResourceId": operation.logical_id,
        "resourceProperties": copy.deepcopy(properties) if properties is not None else None,
        "systemTags": {
            "aws:cloudformation:stack-name": operation.stack_id.split("/")[-2],
            "aws:cloudformation:stack-id": operation.stack_id,
            "aws:cloudformation:logical-id": operation.logical_id,
        },
        "stackTags": dict(operation.stack_tags) if operation.stack_tags is not None else None,
        "typeConfiguration": None,
    }
    if operation.action == "UPDATE":
        request_data["previousResourceProperties"] = (
            copy.deepcopy(previous_properties) if previous_properties is not None else None
        )
        request_data["previousStackTags"] = (
            dict(operation.previous_stack_tags) if operation.previous_stack_tags else None
        )
        request_data["previousSystemTags"] = request_data["systemTags"]
    return {
        "awsAccountId": account_id,
        "bearerToken": bearer_token,
        "region": region,
        "action": operation.action,
        "responseEndpoint": None,
        "resourceType": RESOURCE_TYPE,
        "resourceTypeVersion": "00000001",
        "stackId": operation.stack_id,
        "callbackContext": dict(callback_context) if callback_context else None,
        "nextToken": operation.next_token,
        "requestData": request_data,
    }


def progress_event_problem(answer: Any) -> str | None:
    """Why an entrypoint answer is not a well-formed ProgressEvent (None when it is)."""
    if not isinstance(answer, dict):
        return f"answer is a {type(answer).__name__}, not an object"
    try:
        json.dumps(answer)
    except (TypeError, ValueError):
        return "answer is not JSON-serialisable"
    status = answer.get("status")
    if status not in STATUSES:
        return f"status {status!r} is not one of {STATUSES}"
    code = answer.get("errorCode")
    if status == "FAILED":
        if code not in HANDLER_ERROR_CODES:
            return f"FAILED with errorCode {code!r}"
        if not isinstance(answer.get("message"), str) or not answer["message"]:
            return "FAILED without a message"
    elif code is not None:
        return f"{status} with errorCode {code!r}"
    if status == "IN_PROGRESS":
        delay = answer.get("callbackDelaySeconds")
        if not isinstance(delay, int) or isinstance(delay, bool) or delay < 0:
            return f"IN_PROGRESS with callbackDelaySeconds {delay!r}"
        if answer.get("callbackContext") is not None and not isinstance(
            answer["callbackContext"], dict
        ):
            return "callbackContext is not an object"
    for key in ("resourceModel",):
        if answer.get(key) is not None and not isinstance(answer[key], dict):
            return f"{key} is not an object"
    models = answer.get("resourceModels")
    if models is not None and not (
        isinstance(models, list) and all(isinstance(m, dict) for m in models)
    ):
        return "resourceModels is not a list of objects"
    return None


# --- warm Lambda containers, and time compression of botocore's own retry back-off ----------


def _compress_retry_delays(client: Any, time_scale: float) -> None:
    """Multiply the delays of a client's standard-mode retry handler by time_scale.

    botocore registers that handler under a documented unique id; it is replaced by an
    identical one whose delays are scaled, so only this client's sleeps are compressed."""
    from botocore.retries import standard

    service = client.meta.service_model.service_id.hyphenize()
    event, unique_id = f"needs-retry.{service}", f"retry-config-{service}"
    events = client.meta.events
    events.unregister(event, unique_id=unique_id)
    attempts = client.meta.config.retries.get("total_max_attempts")
    handler = standard.register_retry_handler(client, max_attempts=attempts)
    events.unregister(event, unique_id=unique_id)

    def needs_retry(**kwargs: Any) -> Any:
        delay = handler.needs_retry(**kwargs)
        return delay * time_scale if delay else delay

    events.register(event, needs_retry, unique_id=unique_id)


def scaled_wall_clock(time_scale: float) -> Callable[[], float]:
    """Epoch seconds that run 1/time_scale times as fast as real time from now on."""
    origin = time.time()
    return lambda: origin + (time.time() - origin) / time_scale


def warm_container(time_scale: float = 1.0, *, handler_clock: bool = False) -> Any:
    """A new warm Lambda container for the handler (aws_connect_user.connect.WarmContainer):
    its own clients, botocore retry quota and identity-type cache, as each concurrent Lambda
    invocation has; botocore's retry back-off inside it is scaled by time_scale. With
    handler_clock, the handler's own clock (its callback windows and give-up time) runs
    1/time_scale times as fast too, so a five-minute window passes in five emulated minutes."""
    from aws_connect_user.connect import WarmContainer

    options: dict[str, Any] = {}
    if handler_clock and time_scale != 1:
        options["wall_clock"] = scaled_wall_clock(time_scale)
    if time_scale == 1:
        return WarmContainer(**options)
    return WarmContainer(
        on_new_client=lambda client: _compress_retry_delays(client, time_scale), **options
    )


@contextmanager
def scaled_sdk_backoff(time_scale: float) -> Iterator[None]:
    """Serve the handler invocations made in this block (in this thread) from a new warm
    container whose botocore retry back-off is scaled by time_scale. A no-op when
    time_scale is 1: the handler's own default container serves."""
    if time_scale == 1:
        yield
        return
    from aws_connect_user.connect import serving_from

    with serving_from(warm_container(time_scale)):
        yield


@contextmanager
def _served_from(container: Any) -> Iterator[None]:
    if container is None:
        yield
        return
    from aws_connect_user.connect import serving_from

    with serving_from(container):
        yield


# --- the driver -----------------------------------------------------------------------------


class _LambdaContext:
    """The bits of a Lambda context object a handler could look at."""

    function_name = "aws-connect-user-resource-type"
    memory_limit_in_mb = 256
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def _default_entrypoint() -> Entrypoint:
    from aws_connect_user.handlers import resource

    return resource


def run_operation(
    operation: Operation,
    *,
    entrypoint: Entrypoint | None = None,
    credentials: Credentials | None = None,
    time_scale: float = 1.0,
    max_invocations: int = 30,
    stringify: bool = True,
    protocol_errors: list[str] | None = None,
    container: Any = None,
) -> OperationResult:
    """Run one operation to SUCCESS or FAILED through the entrypoint (see drive()).

    Every invocation is served from `container` (a WarmContainer); by default from a new one
    whose botocore retry back-off is scaled by time_scale, or, at time_scale 1, from the
    handler's own default container."""
    if container is None and time_scale != 1:
        container = warm_container(time_scale)
    return _run_operation(
        operation,
        entrypoint=entrypoint,
        credentials=credentials,
        time_scale=time_scale,
        max_invocations=max_invocations,
        stringify=stringify,
        protocol_errors=protocol_errors,
        container=container,
    )


def _run_operation(
    operation: Operation,
    *,
    entrypoint: Entrypoint | None,
    credentials: Credentials | None,
    time_scale: float,
    max_invocations: int,
    stringify: bool,
    protocol_errors: list[str] | None,
    container: Any,
) -> OperationResult:
    call = entrypoint or _default_entrypoint()
    creds = credentials or Credentials.fresh()
    bearer = str(uuid.uuid4())
    properties: Any = stringify_scalars(operation.properties) if stringify else operation.properties
    previous: Any = (
        stringify_scalars(operation.previous_properties)
        if stringify
        else operation.previous_properties
    )
    context: Mapping[str, Any] | None = None
    events: list[dict[str, Any]] = []
    responses: list[Any] = []
    delays: list[int] = []
    started = time.monotonic()
    status, code, message = "FAILED", GAVE_UP, "still IN_PROGRESS after max_invocations"
    model: dict[str, Any] | None = None
    models: list[dict[str, Any]] | None = None
    next_token: str | None = None
    for _ in range(max_invocations):
        event = cloudformation_event(
            operation,
            bearer_token=bearer,
            credentials=creds,
            properties=properties,
            callback_context=context,
            previous_properties=previous,
        )
        events.append(event)
        try:
            with _served_from(container):
                answer = call(copy.deepcopy(event), _LambdaContext())
        except Exception as error:  # the entrypoint must never raise; record it if it does
            responses.append(None)
            status, code, message = "FAILED", RAISED, f"{type(error).__name__}: {error}"
            if protocol_errors is not None:
                protocol_errors.append(f"{operation.label or operation.action}: {message}")
            break
        responses.append(answer)
        problem = progress_event_problem(answer)
        if problem is not None:
            status, code, message = "FAILED", MALFORMED, problem
            if protocol_errors is not None:
                protocol_errors.append(f"{operation.label or operation.action}: {problem}")
            break
        if answer["status"] != "IN_PROGRESS":
            status = answer["status"]
            code = answer.get("errorCode")
            message = answer.get("message")
            model = answer.get("resourceModel")
            models = answer.get("resourceModels")
            next_token = answer.get("nextToken")
            break
        delay = int(answer.get("callbackDelaySeconds", 0))
        delays.append(delay)
        context = answer.get("callbackContext") or {}
        if answer.get("resourceModel") is not None:
            properties = answer["resourceModel"]
        if delay:
            time.sleep(delay * time_scale)
    return OperationResult(
        operation=operation,
        status=status,
        error_code=code,
        message=message,
        resource_model=model,
        resource_models=models,
        next_token=next_token,
        invocations=len(events),
        callback_delays=delays,
        events=events,
        responses=responses,
        elapsed=time.monotonic() - started,
    )


def drive(
    operations: Iterable[Operation],
    *,
    concurrency: int = 20,
    time_scale: float = 1.0,
    entrypoint: Entrypoint | None = None,
    credentials: Credentials | None = None,
    max_invocations: int = 30,
    stringify: bool = True,
    scale_sdk_retries: bool = True,
    containers: str = "per-worker",
    scale_handler_clock: bool = False,
) -> Report:
    """Run operations the way one CloudFormation stack operation runs its resources.

    - concurrency: operations in flight at once; an operation waiting for its callback keeps
      its slot, as a resource that is IN_PROGRESS does in a stack.
    - time_scale: real seconds per emulated second for every wait (callbackDelaySeconds, and
      botocore's retry backoff when scale_sdk_retries). 1.0 = real time.
    - credentials: the stack operation's caller credentials (fresh by default), shared by all
      operations of this drive, as CloudFormation shares them within a stack operation.
    - max_invocations: give up (error_code DriverGaveUp) after this many invocations of one
      operation, like a stack timeout.
    - stringify: send template scalars as strings, as CloudFormation does.
    - containers: "per-worker" (default) gives every worker thread its own warm Lambda
      container (aws_connect_user.connect.WarmContainer: clients incl. botocore's retry
      quota, identity-type cache), as concurrent Lambda invocations have; "shared" serves
      every worker from one container. Either is new for this drive.
    - scale_handler_clock: the handler's clock runs at the emulated pace too
      (warm_container's handler_clock): its windows last what they say in emulated time.
    Results keep the order of `operations`.
    """
    ops: Sequence[Operation] = list(operations)
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    creds = credentials or Credentials.fresh()
    problems: list[str] = []
    if containers not in ("per-worker", "shared"):
        raise ValueError('containers must be "per-worker" or "shared"')
    sdk_scale = time_scale if scale_sdk_retries else 1.0
    clock = scale_handler_clock and time_scale != 1

    def container_for_worker() -> Any:
        if clock:  # the handler's clock runs at the callbacks' pace, whatever the SDK's
            return warm_container(time_scale, handler_clock=True)
        return warm_container(sdk_scale)

    shared = container_for_worker() if containers == "shared" else None
    workers = threading.local()

    def one(operation: Operation) -> OperationResult:
        container = shared or getattr(workers, "container", None)
        if container is None:
            container = workers.container = container_for_worker()
        return _run_operation(
            operation,
            entrypoint=entrypoint,
            credentials=creds,
            time_scale=time_scale,
            max_invocations=max_invocations,
            stringify=stringify,
            protocol_errors=problems,
            container=container,
        )

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency, thread_name_prefix="cfn-driver") as pool:
        results = list(pool.map(one, ops))
    return Report(
        results=results,
        wall_time=time.monotonic() - started,
        concurrency=concurrency,
        time_scale=time_scale,
        protocol_errors=problems,
    )

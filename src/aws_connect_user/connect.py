"""Connect clients and calls: one place that talks to the service.

A warm Lambda container keeps what is costly to build between invocations: one botocore
session (the Connect service model is parsed once), a few boto3 sessions and Connect
clients keyed by credentials and region, and each instance's identity-management type for
a short time. That state is a `WarmContainer`; the handler serves from `DEFAULT`, and tools
that imitate many containers in one process (loadtest's workers) make their own and serve
from each with `serving_from`. Retries inside an invocation are botocore's standard mode.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import InvalidRegionError
from cloudformation_cli_python_lib import SessionProxy
from cloudformation_cli_python_lib.utils import Credentials

from . import outcomes

# Bounded in-invocation retries: standard mode backs off with jitter, at most ~7 s in all.
MAX_ATTEMPTS = 4
CONNECT_TIMEOUT_SECONDS = 2
READ_TIMEOUT_SECONDS = 8  # Connect's user calls answer in well under a second
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
    user_agent_extra="aws-connect-user-resource-type",
)
# Read and list must answer within the contract's 30 s, and never IN_PROGRESS: their client
# makes fewer, shorter attempts (a worst case of 13 s a call), and they stop starting calls
# within READ_BUDGET_SECONDS, answering a clear failure rather than running over.
QUICK_MAX_ATTEMPTS = 2
QUICK_READ_TIMEOUT_SECONDS = 4
QUICK_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": QUICK_MAX_ATTEMPTS},
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=QUICK_READ_TIMEOUT_SECONDS,
    user_agent_extra="aws-connect-user-resource-type",
)
READ_BUDGET_SECONDS = 25.0  # the contract's 30 s, less a margin for Lambda and the answer
QUICK_ACTIONS = ("READ", "LIST")


def worst_case_seconds(config: Config) -> float:
    """The longest one call can take with a client's config: every attempt timing out, plus
    standard mode's back-off between attempts (at most 1, 2, 4 ... s)."""
    attempts = int((config.retries or {}).get("total_max_attempts", 1))
    per_attempt = float(config.connect_timeout or 0) + float(config.read_timeout or 0)
    return attempts * per_attempt + (2 ** (attempts - 1) - 1)


CALL_WORST_CASE_SECONDS = worst_case_seconds(CLIENT_CONFIG)  # 47 s
QUICK_CALL_WORST_CASE_SECONDS = worst_case_seconds(QUICK_CLIENT_CONFIG)  # 13 s
# CloudFormation gives a create, update or delete invocation 60 s. Each invocation stops
# starting calls once one more could run past this, and asks to be called back instead.
INVOCATION_BUDGET_SECONDS = 55.0
LAMBDA_MARGIN_SECONDS = 3.0
INSTANCE_TYPE_TTL_SECONDS = 60.0
_READS = ("Describe", "List", "Search")
# botocore emits needs-retry after every attempt of a call, the last one included.
_ATTEMPT_EVENT = "needs-retry.connect"
_ATTEMPT_OBSERVER_ID = "aws-connect-user-attempt-outcomes"
_CLIENT_CACHE_SIZE = 8

CacheKey = tuple[str, str, str, str | None]  # access key, secret key, token, region


@dataclass
class _Caller:
    """What a container keeps for one set of credentials in one region."""

    session: SessionProxy
    connect: BaseClient | None = None
    quick: BaseClient | None = None  # read and list's (QUICK_CLIENT_CONFIG)


class WarmContainer:
    """The state one warm Lambda container keeps between invocations.

    on_new_client: called with every Connect client this container builds (tools use it
    to instrument clients: count calls, compress botocore's back-off). wall_clock: the epoch
    seconds the handler reckons its callback windows and give-up time in (tools that compress
    the waits between invocations give one that runs as fast)."""

    def __init__(
        self,
        on_new_client: Callable[[BaseClient], None] | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.on_new_client = on_new_client
        self.wall_clock = wall_clock
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()  # boto3 sessions are not thread-safe
        self._shared: boto3.Session | None = None  # builds every client: one service model
        self._callers: OrderedDict[CacheKey, _Caller] = OrderedDict()
        self._instance_types: dict[tuple[str, str], tuple[float, str]] = {}

    def session(self, credentials: Credentials | None, region: str | None) -> SessionProxy | None:
        """A boto3 session for an event's credentials. Building one costs ~5 ms (a new
        botocore session registers ~130 event handlers), several times a whole Connect call,
        and CloudFormation hands the same credentials to every invocation of a stack
        operation: warm invocations reuse it."""
        if not credentials:
            return None
        key = (
            credentials.accessKeyId,
            credentials.secretAccessKey,
            credentials.sessionToken,
            region,
        )
        return self._caller(key, lambda: _new_session(credentials, region)).session

    def connect_client(
        self, session: SessionProxy | None, region: str | None, *, quick: bool = False
    ) -> BaseClient:
        """A Connect client for a session's credentials and the request's region; quick: read
        and list's, sized to the contract's 30 s."""
        credentials = session.session.get_credentials() if session is not None else None
        if session is None or credentials is None:
            raise outcomes.invalid_credentials("The request carried no AWS credentials.")
        frozen = credentials.get_frozen_credentials()
        key = (frozen.access_key, frozen.secret_key, frozen.token, region)
        caller = self._caller(key, lambda: session)
        slot = "quick" if quick else "connect"
        with self._lock:
            client = getattr(caller, slot)
        if client is None:
            client = self._new_client(frozen, region, QUICK_CLIENT_CONFIG if quick else None)
            with self._lock:
                setattr(caller, slot, getattr(caller, slot) or client)
                client = getattr(caller, slot)
        return client

    def instance_type(self, region: str, instance_id: str, now: float) -> str | None:
        cached = self._instance_types.get((region, instance_id))
        if cached is not None and now - cached[0] < INSTANCE_TYPE_TTL_SECONDS:
            return cached[1]
        return None

    def remember_instance_type(self, region: str, instance_id: str, now: float, kind: str) -> None:
        self._instance_types[(region, instance_id)] = (now, kind)

    def forget(self) -> None:
        """Drop everything, as a cold start would (tests and benchmarks use this)."""
        with self._lock:
            self._callers.clear()
            self._instance_types.clear()

    def _caller(self, key: CacheKey, session: Callable[[], SessionProxy | None]) -> _Caller:
        with self._lock:
            caller = self._callers.get(key)
            if caller is not None:
                self._callers.move_to_end(key)
                return caller
        made = session()
        if made is None:
            raise outcomes.invalid_credentials("The request carried no AWS credentials.")
        with self._lock:
            caller = self._callers.setdefault(key, _Caller(made))
            while len(self._callers) > _CLIENT_CACHE_SIZE:
                self._callers.popitem(last=False)
        return caller

    def _new_client(
        self, frozen: Any, region: str | None, config: Config | None = None
    ) -> BaseClient:
        with self._build_lock:
            if self._shared is None:
                self._shared = boto3.Session(botocore_session=botocore.session.get_session())
            try:
                client = self._shared.client(
                    "connect",
                    region_name=region,
                    aws_access_key_id=frozen.access_key,
                    aws_secret_access_key=frozen.secret_key,
                    aws_session_token=frozen.token,
                    config=config or CLIENT_CONFIG,
                )
            except InvalidRegionError:
                raise outcomes.refused("The request's region is not an AWS Region.") from None
        if self.on_new_client is not None:
            self.on_new_client(client)
        return client


def _new_session(credentials: Credentials, region: str | None) -> SessionProxy:
    return SessionProxy(
        boto3.Session(
            aws_access_key_id=credentials.accessKeyId,
            aws_secret_access_key=credentials.secretAccessKey,
            aws_session_token=credentials.sessionToken,
            region_name=region,
        )
    )


DEFAULT = WarmContainer()
_serving: ContextVar[WarmContainer] = ContextVar("aws_connect_user_container", default=DEFAULT)


def current() -> WarmContainer:
    """The container this invocation is served from."""
    return _serving.get()


@contextmanager
def serving_from(container: WarmContainer) -> Iterator[WarmContainer]:
    """Serve the invocations made in this block (in this thread) from `container`."""
    token = _serving.set(container)
    try:
        yield container
    finally:
        _serving.reset(token)


def client_for(
    session: SessionProxy | None, region: str | None, *, quick: bool = False
) -> BaseClient:
    """A Connect client for the request's credentials, reused while the container is warm;
    quick: read and list's."""
    return current().connect_client(session, region, quick=quick)


def forget_cached_state() -> None:
    """Drop the default container's clients and instance types (tests and benchmarks)."""
    DEFAULT.forget()


def invocation_deadline(lambda_context: Any, now: float | None = None, action: Any = None) -> float:
    """The monotonic time by which this invocation must have answered: CloudFormation's 60 s
    (30 s for a read or a list), or the Lambda function's own remaining time if shorter."""
    now = time.monotonic() if now is None else now
    budget = READ_BUDGET_SECONDS if action in QUICK_ACTIONS else INVOCATION_BUDGET_SECONDS
    remaining = getattr(lambda_context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        with suppress(TypeError, ValueError):  # an odd context object: keep CloudFormation's
            budget = min(budget, float(remaining()) / 1000.0 - LAMBDA_MARGIN_SECONDS)
    return now + budget


_deadline: ContextVar[float | None] = ContextVar("aws_connect_user_deadline", default=None)
# Whether each attempt of the call in progress (in this thread) may have taken effect.
_attempts: ContextVar[list[bool] | None] = ContextVar("aws_connect_user_attempts", default=None)


def _observe_attempt(
    response: Any = None, caught_exception: BaseException | None = None, **_: Any
) -> None:
    """botocore's needs-retry handler that only watches: it returns None, so botocore's own
    retry handler still decides whether to retry."""
    seen = _attempts.get()
    if seen is not None:
        seen.append(outcomes.attempt_outcome_unknown(response, caught_exception))


def observe_attempts(client: BaseClient) -> None:
    """Record every attempt's outcome of the client's calls (once per client: same id)."""
    client.meta.events.register(_ATTEMPT_EVENT, _observe_attempt, unique_id=_ATTEMPT_OBSERVER_ID)


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Calls made in this context stop once one more could run past `at`."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


class Connect:
    """Connect calls for one request. Failures become outcomes.Failure."""

    def __init__(
        self,
        client: BaseClient,
        secrets: Iterable[str | None] = (),
        container: WarmContainer | None = None,
        *,
        quick: bool = False,
    ) -> None:
        """quick: read and list's Connect (its client is QUICK_CLIENT_CONFIG's)."""
        self.client = client
        observe_attempts(client)
        self.secrets = [s for s in secrets if s]
        self.writes = 0  # writes that took effect in this invocation: progress
        self.deadline = _deadline.get()
        self.container = container or current()
        self.worst_case = QUICK_CALL_WORST_CASE_SECONDS if quick else CALL_WORST_CASE_SECONDS

    def call(
        self,
        operation: str,
        params: Mapping[str, Any],
        *,
        refers_to: Sequence[str] = (),
        user: str | None = None,
    ) -> Any:
        """Call one operation. refers_to: its parameters that come from template references
        (a not-found names the one at fault); user: the ARN of the user it names, if any.

        A failed call's outcome is unknown if any of its attempts' was, not only its last's:
        every attempt botocore makes is observed here (observe_attempts)."""
        if self.deadline is not None and time.monotonic() + self.worst_case > self.deadline:
            raise outcomes.out_of_time(operation)
        method = getattr(self.client, botocore.xform_name(operation))
        attempts: list[bool] = []
        watching = _attempts.set(attempts)
        try:
            answer = method(**params)
        except Exception as error:
            raise outcomes.from_exception(
                error,
                operation,
                params=params,
                refers_to=refers_to,
                user=user,
                secrets=self.secrets,
                attempts_unknown=attempts or None,
            ) from None
        finally:
            _attempts.reset(watching)
        if not operation.startswith(_READS):
            self.writes += 1
        return answer

    def identity_management_type(self, instance_id: str) -> str:
        """The instance's identity-management type, cached briefly per warm container."""
        region = self.client.meta.region_name or ""
        now = time.monotonic()
        cached = self.container.instance_type(region, instance_id, now)
        if cached is not None:
            return cached
        answer = self.call(
            "DescribeInstance", {"InstanceId": instance_id}, refers_to=("InstanceId",)
        )
        kind = str(answer["Instance"]["IdentityManagementType"])
        self.container.remember_instance_type(region, instance_id, now, kind)
        return kind

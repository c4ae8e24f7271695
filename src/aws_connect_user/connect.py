"""Connect clients and calls: one place that talks to the service.

A warm Lambda container keeps one botocore session (the Connect service model is parsed
once), a few clients keyed by credentials, and each instance's identity-management type
for a short time. Retries inside an invocation are botocore's standard mode.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

import boto3
import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import InvalidRegionError
from cloudformation_cli_python_lib import SessionProxy, exceptions

from . import errors
from .errors import USER

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
# The longest one call can take: every attempt timing out, plus standard mode's back-off
# (at most 1 + 2 + 4 s between four attempts).
CALL_WORST_CASE_SECONDS = MAX_ATTEMPTS * (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS) + 7
# CloudFormation gives a handler invocation 60 s. Each invocation stops starting calls once
# one more could run past this, and asks to be called back instead.
INVOCATION_BUDGET_SECONDS = 55.0
LAMBDA_MARGIN_SECONDS = 3.0
INSTANCE_TYPE_TTL_SECONDS = 60.0
_READS = ("Describe", "List", "Search")
_CLIENT_CACHE_SIZE = 8

_lock = threading.Lock()
_session: boto3.Session | None = None
_clients: OrderedDict[tuple[str | None, ...], BaseClient] = OrderedDict()
_instance_types: dict[tuple[str, str], tuple[float, str]] = {}


def _shared_session() -> boto3.Session:
    global _session
    if _session is None:
        _session = boto3.Session(botocore_session=botocore.session.get_session())
    return _session


def client_for(session: SessionProxy | None, region: str | None) -> BaseClient:
    """A Connect client for the request's credentials, reused while the container is warm."""
    credentials = session.session.get_credentials() if session is not None else None
    if credentials is None:
        raise exceptions.InvalidCredentials("The request carried no AWS credentials.")
    frozen = credentials.get_frozen_credentials()
    key = (frozen.access_key, frozen.secret_key, frozen.token, region)
    with _lock:
        client = _clients.get(key)
        if client is None:
            try:
                client = _shared_session().client(
                    "connect",
                    region_name=region,
                    aws_access_key_id=frozen.access_key,
                    aws_secret_access_key=frozen.secret_key,
                    aws_session_token=frozen.token,
                    config=CLIENT_CONFIG,
                )
            except InvalidRegionError:
                raise exceptions.InvalidRequest(
                    "The request's region is not an AWS Region."
                ) from None
            _clients[key] = client
            while len(_clients) > _CLIENT_CACHE_SIZE:
                _clients.popitem(last=False)
        else:
            _clients.move_to_end(key)
        return client


def forget_cached_state() -> None:
    """Drop cached clients and instance types (tests and benchmarks use this)."""
    with _lock:
        _clients.clear()
        _instance_types.clear()


def invocation_deadline(lambda_context: Any, now: float | None = None) -> float:
    """The monotonic time by which this invocation must have answered: CloudFormation's 60 s,
    or the Lambda function's own remaining time if that is shorter."""
    now = time.monotonic() if now is None else now
    budget = INVOCATION_BUDGET_SECONDS
    remaining = getattr(lambda_context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        with suppress(TypeError, ValueError):  # an odd context object: keep CloudFormation's
            budget = min(budget, float(remaining()) / 1000.0 - LAMBDA_MARGIN_SECONDS)
    return now + budget


_deadline: ContextVar[float | None] = ContextVar("aws_connect_user_deadline", default=None)


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Calls made in this context stop once one more could run past `at`."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


class Connect:
    """Connect calls for one request. Failures become errors.ConnectCallFailed."""

    def __init__(self, client: BaseClient, secrets: Iterable[str | None] = ()) -> None:
        self.client = client
        self.secrets = [s for s in secrets if s]
        self.writes = 0  # writes that took effect in this invocation: progress
        self.deadline = _deadline.get()

    def call(self, operation: str, params: Mapping[str, Any], about: str = USER) -> Any:
        if self.deadline is not None and time.monotonic() + CALL_WORST_CASE_SECONDS > self.deadline:
            raise errors.out_of_time(operation, about)
        method = getattr(self.client, botocore.xform_name(operation))
        try:
            answer = method(**params)
        except Exception as error:
            raise errors.from_exception(error, operation, about, self.secrets) from None
        if not operation.startswith(_READS):
            self.writes += 1
        return answer

    def identity_management_type(self, instance_id: str) -> str:
        """The instance's identity-management type, cached briefly per warm container."""
        key = (self.client.meta.region_name or "", instance_id)
        now = time.monotonic()
        cached = _instance_types.get(key)
        if cached is not None and now - cached[0] < INSTANCE_TYPE_TTL_SECONDS:
            return cached[1]
        answer = self.call("DescribeInstance", {"InstanceId": instance_id}, about="InstanceId")
        kind = str(answer["Instance"]["IdentityManagementType"])
        _instance_types[key] = (now, kind)
        return kind

"""One Lambda invocation: JSON event in, JSON result out, failures as Lambda reports them."""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from local_lambda.context import LambdaContext
from local_lambda.functions import Handler

LOG = logging.getLogger("local_lambda")


@dataclass(frozen=True)
class Outcome:
    payload: bytes
    function_error: str | None  # the X-Amz-Function-Error header value, when the function failed
    duration_ms: float


def _error_payload(error_type: str, message: str, stack: list[str] | None = None) -> bytes:
    body: dict[str, Any] = {"errorMessage": message, "errorType": error_type}
    if stack is not None:
        body["stackTrace"] = stack
    return json.dumps(body).encode("utf-8")


def run_handler(handler: Handler, event: Any, context: LambdaContext, timeout_s: float) -> Outcome:
    """Call the handler the way the Python runtime does, on a worker so a timeout can be reported.

    A thread cannot be killed: a handler that overruns keeps running in the background, but the
    caller gets Lambda's "Task timed out" function error on time, as with the real service.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = handler(event, context)
        except BaseException as exc:  # the runtime reports everything, even SystemExit
            result["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=target, name=f"lambda-{context.aws_request_id}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    duration_ms = (time.monotonic() - started) * 1000
    if worker.is_alive():
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        message = f"{stamp} {context.aws_request_id} Task timed out after {timeout_s:.2f} seconds"
        return Outcome(_error_payload("Sandbox.Timedout", message), "Unhandled", duration_ms)
    if "error" in result:
        exc = result["error"]
        stack = traceback.format_tb(exc.__traceback__)
        payload = _error_payload(type(exc).__name__, str(exc), stack)
        return Outcome(payload, "Unhandled", duration_ms)
    try:
        payload = json.dumps(result.get("value")).encode("utf-8")
    except (TypeError, ValueError) as exc:
        message = f"Unable to marshal response: {exc}"
        return Outcome(_error_payload("Runtime.MarshalError", message), "Unhandled", duration_ms)
    return Outcome(payload, None, duration_ms)


def describe(event: Any, outcome: Outcome) -> str:
    """A one-line, payload-free summary for the console (never the properties: Password)."""
    action = event.get("action") if isinstance(event, dict) else None
    if outcome.function_error:
        result = f"function error {outcome.function_error}"
    else:
        try:
            body = json.loads(outcome.payload)
        except ValueError:
            body = None
        status = body.get("status") if isinstance(body, dict) else None
        code = body.get("errorCode") if isinstance(body, dict) else None
        result = " ".join(str(part) for part in (status, code) if part) or "ok"
    return f"{action or 'invoke'} -> {result} ({outcome.duration_ms:.0f} ms)"

"""The Lambda Invoke API on loopback, served by werkzeug's threaded WSGI server."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from local_lambda.background import BackgroundWsgiServer
from local_lambda.context import ACCOUNT_ID, REGION, function_arn, new_context
from local_lambda.functions import FunctionSpec, Handler, load_functions
from local_lambda.invoke import describe, run_handler

LOG = logging.getLogger("local_lambda")
ROUTES = Map(
    [Rule("/2015-03-31/functions/<name>/invocations", endpoint="invoke", methods=["POST"])]
)


def _service_error(status: int, error_type: str, message: str) -> Response:
    # Lambda's REST-JSON error shape: the type in x-amzn-ErrorType, Type/Message in the body.
    body = json.dumps({"Type": "User", "Message": message})
    return Response(
        body,
        status=status,
        content_type="application/json",
        headers={"x-amzn-ErrorType": error_type},
    )


def _function_name(raw: str) -> str:
    """The bare name from name, name:qualifier, a partial ARN or a full function ARN."""
    parts = raw.split(":")
    if raw.startswith("arn:") and len(parts) >= 7:
        return parts[6]
    if len(parts) >= 3 and parts[1] == "function":
        return parts[2]
    return parts[0]


class LocalLambda:
    """Serve the template's functions. Use as a context manager or start()/stop()."""

    def __init__(
        self,
        functions: Mapping[str, FunctionSpec] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self.functions = dict(functions if functions is not None else load_functions())
        self._environment = dict(environment or {})
        self._saved_environment: dict[str, str | None] = {}
        self._handlers: dict[str, Handler] = {}
        self._server = BackgroundWsgiServer(self._wsgi, host, port, "local-lambda")

    @property
    def endpoint_url(self) -> str:
        return self._server.endpoint_url

    def start(self) -> LocalLambda:
        # Import every handler up front (Lambda's init phase): a broken import fails loudly here.
        self._handlers = {name: spec.load() for name, spec in self.functions.items()}
        # The function's environment variables, as Lambda sets them for the handler process.
        for key, value in self._environment.items():
            self._saved_environment[key] = os.environ.get(key)
            os.environ[key] = value
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()
        for key, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_environment.clear()

    def __enter__(self) -> LocalLambda:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            _endpoint, args = ROUTES.bind_to_environ(environ).match()
            response = self._invoke(request, args["name"])
        except MethodNotAllowed:
            response = _service_error(405, "MethodNotAllowedException", "Method not allowed")
        except NotFound:
            response = _service_error(404, "UnknownOperationException", "Unknown operation")
        except HTTPException as exc:
            response = _service_error(exc.code or 500, "ServiceException", str(exc))
        return response(environ, start_response)

    def _invoke(self, request: Request, raw_name: str) -> Response:
        name = _function_name(raw_name)
        spec = self.functions.get(name)
        if spec is None:
            arn = function_arn(name, REGION, ACCOUNT_ID)
            return _service_error(404, "ResourceNotFoundException", f"Function not found: {arn}")
        body = request.get_data()
        try:
            event = json.loads(body) if body.strip() else {}
        except ValueError:
            return _service_error(
                400, "InvalidRequestContentException", "Could not parse request body into json"
            )
        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type == "DryRun":
            return Response(status=204)
        context = new_context(spec, function_arn(name))
        if invocation_type == "Event":
            threading.Thread(
                target=self._run, args=(spec, event, context), name="lambda-event", daemon=True
            ).start()
            return Response(status=202)
        outcome = self._run(spec, event, context)
        headers = {"X-Amz-Executed-Version": "$LATEST", "X-Amzn-RequestId": context.aws_request_id}
        if outcome.function_error:
            headers["X-Amz-Function-Error"] = outcome.function_error
        return Response(
            outcome.payload, status=200, headers=headers, content_type="application/json"
        )

    def _run(self, spec: FunctionSpec, event: Any, context: Any) -> Any:
        outcome = run_handler(self._handlers[spec.name], event, context, spec.timeout_s)
        LOG.info("%s %s", spec.name, describe(event, outcome))
        return outcome

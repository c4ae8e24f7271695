"""A small extension of cloudformation-cli-python-lib's Resource that parses events correctly.

The library (2.1.20) gets in the way of this type in five places; each is solved here once:
- arrays that are uniqueItems + insertionOrder:false become sets in the generated models:
  Tags (objects) crash before the handler runs and a string set cannot be serialised.
  Models are built with those fields as lists; the schema still enforces uniqueness.
- the production entrypoint drops the request's nextToken, so list could not paginate.
- an unknown key or a null fails deep in model parsing with a message naming nothing useful.
  Every model is validated against the resource schema first (InvalidRequest naming the
  property); read, delete and list get partial models, so only what is present is checked.
- CloudFormation sends scalars as strings ("false", "30"): they are recast by the schema's
  types before validation, so what is validated is what the handler uses.
- the models' repr includes the Password and the library prints parse tracebacks to stdout.
  Nothing here logs a model, a request or an exception message from parsing.
"""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections.abc import Mapping, MutableMapping
from datetime import datetime
from typing import Any

from cloudformation_cli_python_lib import (
    Action,
    BaseResourceHandlerRequest,
    HandlerErrorCode,
    ProgressEvent,
    Resource,
    SessionProxy,
)
from cloudformation_cli_python_lib.boto3_proxy import _get_boto_session
from cloudformation_cli_python_lib.exceptions import InvalidRequest, NotFound, _HandlerError
from cloudformation_cli_python_lib.log_delivery import ProviderLogHandler
from cloudformation_cli_python_lib.metrics import MetricsPublisherProxy
from cloudformation_cli_python_lib.utils import (
    Credentials,
    HandlerRequest,
    KitchenSinkEncoder,
    UnmodelledRequest,
)

from . import models, redaction, schema
from .connect import deadline, invocation_deadline
from .models import ResourceHandlerRequest, ResourceModel
from .references import parse_user_arn
from .translate import empty_model

LOG = logging.getLogger(__name__)
redaction.install()

FULL_MODEL_ACTIONS = (Action.CREATE, Action.UPDATE)
# Actions that name an existing user by its primary identifier.
IDENTIFIED_ACTIONS = (Action.READ, Action.UPDATE, Action.DELETE)
_EVENT_STRINGS = ("action", "bearerToken", "region", "awsAccountId")


def _list_fields() -> dict[str, type | None]:
    """Array properties the generator turns into sets, with their item model class (if any)."""
    definitions = schema.resource_schema()["definitions"]
    found: dict[str, type | None] = {}
    for name, prop in schema.resource_schema()["properties"].items():
        if prop.get("type") == "array" and prop.get("uniqueItems"):
            item = prop.get("items", {}).get("$ref", "").rsplit("/", 1)[-1]
            is_object = definitions.get(item, {}).get("type") == "object"
            found[name] = getattr(models, item) if is_object else None
    return found


_LIST_FIELDS = _list_fields()


def build_model(data: Mapping[str, Any]) -> ResourceModel:
    """A ResourceModel from schema-valid data, keeping set-typed arrays as lists."""
    plain = {k: v for k, v in data.items() if k not in _LIST_FIELDS}
    model = ResourceModel._deserialize(plain) if plain else None
    model = model or empty_model()
    for name, item_cls in _LIST_FIELDS.items():
        if name in data:
            items = data[name]
            value = [item_cls._deserialize(i) for i in items] if item_cls else list(items)  # type: ignore[attr-defined]
            setattr(model, name, value)
    return model


def parse_model(raw: Any, *, partial: bool, where: str) -> ResourceModel | None:
    """Recast, validate and build one model; InvalidRequest names every problem."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InvalidRequest(f"{where} must be an object, not {type(raw).__name__}")
    data = schema.coerce_scalars(raw)
    problems = schema.validation_errors(data, partial=partial)
    if problems:
        raise InvalidRequest("Invalid resource properties: " + "; ".join(problems))
    return build_model(data)


@functools.lru_cache(maxsize=8)
def _cached_session(
    access_key: str, secret_key: str, token: str, region: str | None
) -> SessionProxy | None:
    return _get_boto_session(Credentials(access_key, secret_key, token), region)


def _session_for(credentials: Credentials | None, region: str | None) -> SessionProxy | None:
    """The library's boto3 session for an event's credentials, reused while the container is
    warm: building a boto3 Session costs ~5 ms (a new botocore session registers ~130 event
    handlers), several times the whole Connect call. CloudFormation hands the same
    credentials to every invocation of a stack operation, so warm invocations reuse it."""
    if not credentials:
        return None
    parts = (credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken)
    if not all(isinstance(part, str) for part in parts):
        return _get_boto_session(credentials, region)  # odd input: the library's own path
    return _cached_session(*parts, region)


def _require_user_arn_shape(state: Any, type_name: str) -> None:
    """A UserArn that is not a user ARN names no user: NotFound, as for an unknown one."""
    if isinstance(state, Mapping) and state.get("UserArn") is not None:
        value = state["UserArn"]
        if not isinstance(value, str) or parse_user_arn(value) is None:
            raise NotFound(type_name, str(value)[:256])


def _mapping_or_none(value: Any, where: str) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidRequest(f"{where} must be an object, not {type(value).__name__}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidRequest(f"{where} must map strings to strings")
    return value


def _check_credentials(request_data: Mapping[str, Any]) -> None:
    """The library hands credential members straight to boto3; refuse what it would choke on."""
    for key in ("callerCredentials", "providerCredentials"):
        credentials = request_data.get(key)
        if credentials is None:
            continue
        if not isinstance(credentials, Mapping):
            raise InvalidRequest(f"requestData.{key} must be an object")
        for member in ("accessKeyId", "secretAccessKey", "sessionToken"):
            if not isinstance(credentials.get(member), str):
                raise InvalidRequest(f"requestData.{key}.{member} must be a string")


def _log_bug(error: BaseException) -> None:
    # Code locations only: an exception's message could carry request data.
    frames = "".join(traceback.format_tb(error.__traceback__))
    LOG.error("Unexpected %s in the handler:\n%s", type(error).__name__, frames)


def _internal_failure(error: BaseException) -> ProgressEvent:
    _log_bug(error)
    return ProgressEvent.failed(
        HandlerErrorCode.InternalFailure,
        f"Internal error in the {schema.type_name()} handler ({type(error).__name__}).",
    )


class ConnectUserResource(Resource):
    """The library's Resource with request parsing that fits this schema."""

    def __init__(self) -> None:
        super().__init__(schema.type_name(), ResourceModel)

    def modelled_request(self, raw: UnmodelledRequest, action: Action) -> ResourceHandlerRequest:
        if action in IDENTIFIED_ACTIONS:
            _require_user_arn_shape(raw.desiredResourceState, self.type_name)
        desired = parse_model(
            raw.desiredResourceState,
            partial=action not in FULL_MODEL_ACTIONS,
            where="desiredResourceState",
        )
        previous = parse_model(
            raw.previousResourceState, partial=True, where="previousResourceState"
        )
        return ResourceHandlerRequest(
            clientRequestToken=raw.clientRequestToken,
            desiredResourceState=desired,
            previousResourceState=previous,
            desiredResourceTags=_mapping_or_none(raw.desiredResourceTags, "stackTags"),
            previousResourceTags=_mapping_or_none(raw.previousResourceTags, "previousStackTags"),
            systemTags=_mapping_or_none(raw.systemTags, "systemTags"),
            previousSystemTags=_mapping_or_none(raw.previousSystemTags, "previousSystemTags"),
            awsAccountId=raw.awsAccountId,
            logicalResourceIdentifier=raw.logicalResourceIdentifier,
            typeConfiguration=None,
            nextToken=raw.nextToken,
            stackId=raw.stackId,
            region=raw.region,
            awsPartition=UnmodelledRequest.get_partition(raw.region),
        )

    def _invoke_handler(
        self,
        session: SessionProxy | None,
        request: BaseResourceHandlerRequest,
        action: Action,
        callback_context: MutableMapping[str, Any],
    ) -> ProgressEvent:
        # Both entrypoints come through here: hide this request's write-only values from logs.
        models_ = (request.desiredResourceState, request.previousResourceState)
        secrets = [getattr(m, "Password", None) for m in models_ if m is not None]
        credentials = session.session.get_credentials() if session is not None else None
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            secrets += [frozen.secret_key, frozen.token]
        with redaction.secrets_hidden(secrets):
            return super()._invoke_handler(session, request, action, callback_context)

    # --- the test entrypoint (TestEntrypoint): hand-written events ----------------------

    def _parse_test_request(
        self, event_data: MutableMapping[str, Any]
    ) -> tuple[SessionProxy | None, BaseResourceHandlerRequest, Action, MutableMapping[str, Any]]:
        try:
            credentials = Credentials(**event_data["credentials"])
            action = Action[event_data["action"]]
            raw = UnmodelledRequest(**event_data["request"])
            region = event_data.get("region")
            context = event_data.get("callbackContext") or {}
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidRequest(f"Malformed test event ({type(error).__name__})") from None
        request = self.modelled_request(raw, action)
        return _get_boto_session(credentials, region), request, action, context

    # --- the production entrypoint (TypeFunction): CloudFormation's request format ------

    def __call__(self, event_data: Mapping[str, Any], context: Any) -> dict[str, Any]:
        request_data = event_data.get("requestData") if isinstance(event_data, Mapping) else None
        secrets = [
            secret
            for key in ("callerCredentials", "providerCredentials")
            for secret in redaction.credential_secrets(
                request_data.get(key) if isinstance(request_data, Mapping) else None
            )
        ]
        try:
            with redaction.secrets_hidden(secrets), deadline(invocation_deadline(context)):
                progress = self._serve(event_data)
        except _HandlerError as error:
            progress = error.to_progress_event()
        except Exception as error:
            progress = _internal_failure(error)
        try:
            answer: dict[str, Any] = json.loads(json.dumps(progress, cls=KitchenSinkEncoder))
        except (TypeError, ValueError) as error:  # a model that does not serialise is a bug
            answer = dict(_internal_failure(error)._serialize())
        return answer

    def _serve(self, event_data: Any) -> ProgressEvent:
        if not isinstance(event_data, Mapping):
            raise InvalidRequest("The event must be a JSON object.")
        event, action = self._parse_event(event_data)
        request = self.modelled_request(
            UnmodelledRequest(
                clientRequestToken=event.bearerToken,
                desiredResourceState=event.requestData.resourceProperties,
                previousResourceState=event.requestData.previousResourceProperties,
                desiredResourceTags=event.requestData.stackTags,
                previousResourceTags=event.requestData.previousStackTags,
                systemTags=event.requestData.systemTags,
                previousSystemTags=event.requestData.previousSystemTags,
                awsAccountId=event.awsAccountId,
                logicalResourceIdentifier=event.requestData.logicalResourceId,
                nextToken=event.nextToken,
                stackId=event.stackId,
                region=event.region,
            ),
            action,
        )
        caller = _session_for(event.requestData.callerCredentials, event.region)
        provider = _session_for(event.requestData.providerCredentials, event.region)
        metrics = MetricsPublisherProxy()
        if event.requestData.providerLogGroupName and provider:
            ProviderLogHandler.setup(event, provider, self.log_format)
            metrics.add_metrics_publisher(provider, event.resourceType)
        metrics.publish_invocation_metric(datetime.utcnow(), action)
        start = datetime.utcnow()
        try:
            progress = self._invoke_handler(caller, request, action, event.callbackContext or {})
        except Exception as error:
            metrics.publish_exception_metric(datetime.utcnow(), action, error)
            raise
        finally:
            elapsed_ms = (datetime.utcnow() - start).total_seconds() * 1000.0
            metrics.publish_duration_metric(datetime.utcnow(), action, elapsed_ms)
        return progress

    @staticmethod
    def _parse_event(event_data: Mapping[str, Any]) -> tuple[HandlerRequest, Action]:
        missing = [k for k in _EVENT_STRINGS if not isinstance(event_data.get(k), str)]
        if missing:
            raise InvalidRequest("The event lacks a string " + ", ".join(missing) + ".")
        if not isinstance(event_data.get("requestData"), Mapping):
            raise InvalidRequest("The event's requestData must be an object.")
        _check_credentials(event_data["requestData"])
        try:
            action = Action[str(event_data["action"])]
        except KeyError:
            raise InvalidRequest(
                "The event's action is not one of CREATE, READ, UPDATE, DELETE, LIST."
            ) from None
        callback = event_data.get("callbackContext")
        if callback is not None and not isinstance(callback, Mapping):
            raise InvalidRequest("The event's callbackContext must be an object.")
        try:
            event = HandlerRequest.deserialize(dict(event_data))
        except (TypeError, ValueError, AttributeError) as error:
            raise InvalidRequest(
                f"Malformed credentials in the event ({type(error).__name__})."
            ) from None
        # The library leaves a field the event lacks unset rather than None.
        for name in ("resourceProperties",):
            if not hasattr(event.requestData, name):
                setattr(event.requestData, name, None)
        return event, action

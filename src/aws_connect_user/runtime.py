"""cloudformation-cli-python-lib's Resource, with the few overrides this type needs.

The library's own entrypoints run every invocation (metrics, log delivery, serialisation).
Each override below works around one limitation of the version in LIBRARY_VERSION, and
tests/unit/test_runtime.py holds a test per limitation that fails once the library lifts it:
- _cast_resource_request / _parse_test_request: hand the request on unparsed; its models
  are built by modelled_request, not by the library, whose parsing crashes on arrays the
  generator types as sets (Tags objects are unhashable; a string set cannot be
  serialised), drops the production request's nextToken (list could not paginate), and
  fails deep in model building with a message naming nothing useful for an unknown key or
  a null. Here every model is recast (CloudFormation sends "false", "30") and validated
  against the resource schema first (InvalidRequest naming the property); read, delete
  and list get partial models.
- _invoke_handler: parsing happens here, where a refusal is an event: the library prints a
  traceback for every exception it catches. A bug becomes InternalFailure naming only its
  type, and is logged by code location only (an exception's message could carry request
  data); the library's metrics still count it.
- _parse_request: the library builds two new boto3 sessions per invocation (~5 ms each,
  several times a Connect call), not for the event's region, and answers a malformed event
  with the exception's own text. Here the event's shape is checked first and sessions come
  from the warm container (connect.py). A malformed event (CloudFormation never sends one)
  is refused through the library's own path, which prints its traceback; the message is
  ours and names no value.
- __call__ / test_entrypoint: each invocation runs with its secrets hidden from every log
  record, under its deadline, and writes exactly one summary log line.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from cloudformation_cli_python_lib import (
    Action,
    BaseResourceHandlerRequest,
    ProgressEvent,
    Resource,
    SessionProxy,
)
from cloudformation_cli_python_lib.exceptions import InternalFailure, InvalidRequest, NotFound
from cloudformation_cli_python_lib.utils import Credentials, HandlerRequest, UnmodelledRequest

from . import connect, models, redaction, schema
from .connect import QUICK_ACTIONS, deadline, invocation_deadline
from .models import ResourceHandlerRequest, ResourceModel
from .references import parse_user_arn
from .translate import empty_model

LIBRARY_VERSION = "2.1.20"  # the cloudformation-cli-python-lib these overrides are written for
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


@dataclass
class CheckedRequest(ResourceHandlerRequest):
    """The request with what its desired state breaks in the schema: create and update refuse
    those violations together with their own rules, in one message, before any write."""

    schemaViolations: list[schema.Violation] = field(default_factory=list)


def check_model(
    raw: Any, *, partial: bool, where: str
) -> tuple[ResourceModel | None, list[schema.Violation]]:
    """Recast and validate one model: the model without what broke the schema, and what did."""
    if raw is None:
        return None, []
    if not isinstance(raw, Mapping):
        raise InvalidRequest(f"{where} must be an object, not {type(raw).__name__}")
    checked = schema.check(schema.coerce_scalars(raw), partial=partial)
    return build_model(checked.data), checked.violations


def parse_model(raw: Any, *, partial: bool, where: str) -> ResourceModel | None:
    """Recast, validate and build one model; InvalidRequest names every problem."""
    model, violations = check_model(raw, partial=partial, where=where)
    if violations:
        raise InvalidRequest("Invalid resource properties: " + "; ".join(map(str, violations)))
    return model


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


def _passwords(*states: Any) -> list[str]:
    return [
        state["Password"]
        for state in states
        if isinstance(state, Mapping) and isinstance(state.get("Password"), str)
    ]


def _summary(action: Any, answer: Mapping[str, Any]) -> None:
    """The one line every invocation logs: what it was asked and what it answered."""
    name = action if isinstance(action, str) and action in Action.__members__ else "(no action)"
    LOG.info(
        "%s %s: %s %s",
        schema.type_name(),
        name,
        answer.get("status", "FAILED"),
        answer.get("errorCode") or "",
    )


class ConnectUserResource(Resource):
    """The library's Resource with request parsing that fits this schema."""

    def __init__(self) -> None:
        super().__init__(schema.type_name(), ResourceModel)

    # --- entrypoints ----------------------------------------------------------------------

    def __call__(self, event_data: Any, context: Any) -> Any:  # TypeFunction
        request_data = event_data.get("requestData") if isinstance(event_data, Mapping) else None
        secrets = [
            secret
            for key in ("callerCredentials", "providerCredentials")
            for secret in redaction.credential_secrets(
                request_data.get(key) if isinstance(request_data, Mapping) else None
            )
        ]
        action = event_data.get("action") if isinstance(event_data, Mapping) else None
        with self._invocation(secrets, invocation_deadline(context, action=action)):
            answer = super().__call__(event_data, context)
        _summary(action, answer)
        return answer

    def test_entrypoint(self, event: Any, context: Any) -> Any:  # TestEntrypoint
        credentials = event.get("credentials") if isinstance(event, Mapping) else None
        action = event.get("action") if isinstance(event, Mapping) else None
        # cfn invoke and SAM give no Lambda context: only read and list's own budget applies.
        until = invocation_deadline(None, action=action) if action in QUICK_ACTIONS else None
        with self._invocation(redaction.credential_secrets(credentials), until):
            answer = super().test_entrypoint(event, context)
        _summary(action, answer)
        return answer

    @staticmethod
    @contextmanager
    def _invocation(secrets: list[str], until: float | None) -> Iterator[None]:
        with redaction.secrets_hidden(secrets):
            if until is None:
                yield
            else:
                with deadline(until):
                    yield

    # --- parsing ----------------------------------------------------------------------------

    def _parse_request(  # type: ignore[override]
        self, event_data: Any
    ) -> tuple[
        tuple[SessionProxy | None, SessionProxy | None],
        Action,
        MutableMapping[str, Any],
        HandlerRequest,
    ]:
        if not isinstance(event_data, Mapping):
            raise InvalidRequest("The event must be a JSON object.")
        event, action = _parse_event(event_data)
        container = connect.current()
        caller = container.session(event.requestData.callerCredentials, event.region)
        provider = container.session(event.requestData.providerCredentials, event.region)
        return (caller, provider), action, event.callbackContext or {}, event

    def _cast_resource_request(self, request: HandlerRequest) -> BaseResourceHandlerRequest:
        data = request.requestData
        raw = UnmodelledRequest(
            clientRequestToken=request.bearerToken,
            desiredResourceState=data.resourceProperties,
            previousResourceState=data.previousResourceProperties,
            desiredResourceTags=data.stackTags,
            previousResourceTags=data.previousStackTags,
            systemTags=data.systemTags,
            previousSystemTags=data.previousSystemTags,
            awsAccountId=request.awsAccountId,
            logicalResourceIdentifier=data.logicalResourceId,
            nextToken=request.nextToken,
            stackId=request.stackId,
            region=request.region,
        )
        return cast(BaseResourceHandlerRequest, raw)  # parsed in _invoke_handler

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
        session = connect.current().session(credentials, region)
        return session, cast(BaseResourceHandlerRequest, raw), action, context

    def modelled_request(self, raw: UnmodelledRequest, action: Action) -> ResourceHandlerRequest:
        if action in IDENTIFIED_ACTIONS:
            _require_user_arn_shape(raw.desiredResourceState, self.type_name)
        where = "desiredResourceState"
        if action in FULL_MODEL_ACTIONS:  # refused by the handler, with its own rules
            desired, pending = check_model(raw.desiredResourceState, partial=False, where=where)
        else:
            desired, pending = parse_model(raw.desiredResourceState, partial=True, where=where), []
        previous = parse_model(
            raw.previousResourceState, partial=True, where="previousResourceState"
        )
        return CheckedRequest(
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
            schemaViolations=pending,
        )

    # --- handling ---------------------------------------------------------------------------

    def _invoke_handler(
        self,
        session: SessionProxy | None,
        request: BaseResourceHandlerRequest,
        action: Action,
        callback_context: MutableMapping[str, Any],
    ) -> ProgressEvent:
        raw = cast(Any, request)
        secrets = _passwords(raw.desiredResourceState, raw.previousResourceState)
        credentials = session.session.get_credentials() if session is not None else None
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            secrets += [frozen.secret_key, frozen.token]
        with redaction.secrets_hidden(secrets):
            try:
                if isinstance(raw, UnmodelledRequest):
                    request = self.modelled_request(raw, action)
            except (InvalidRequest, NotFound) as refusal:
                return refusal.to_progress_event()
            try:
                return super()._invoke_handler(session, request, action, callback_context)
            except InternalFailure:
                raise  # the library's own verdict (a READ that answered IN_PROGRESS)
            except Exception as error:
                _log_bug(error)
                raise InternalFailure(
                    f"Internal error in the {self.type_name} handler ({type(error).__name__})."
                ) from None


def _parse_event(event_data: Mapping[str, Any]) -> tuple[HandlerRequest, Action]:
    """The event's shape, checked before the library reads it (it would echo a bad value)."""
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
    if not hasattr(event.requestData, "resourceProperties"):  # the library leaves it unset
        event.requestData.resourceProperties = None
    return event, action

"""The HTTP server: Connect's REST-JSON API plus the /_emulator/ admin endpoint.

Runs in-process (a daemon thread on an ephemeral loopback port, for tests) or from the CLI.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import admin
from .consistency import DeletedUsername, RepeatDelete, Visibility
from .errors import UNKNOWN_OPERATION, ServiceError, invalid_request
from .faults import ERROR_MESSAGES, Clock, FaultInjector, FaultSpec, RealClock
from .fidelity import Fidelity
from .identity_rules import SamlEmailPolicy
from .operations import WRITE_OPERATIONS, ConnectService, ServiceSettings
from .proficiencies import ProficiencyMissing, ProficiencyRepeat
from .redaction import redact
from .request_log import RequestLog
from .service_model import connect_model, resolve
from .store import CHILD_KINDS, CHILD_SEGMENTS, Child, State, load_state, save_state, seeded_state
from .user_config import ChannelFill, ConfigUpdate
from .user_search import ProficiencySearch
from .validation import validate_input
from .wire import JSON_CONTENT_TYPE, encode_body, error_body, parse_request

logger = logging.getLogger("connect_emulator")
MAX_BODY_BYTES = 16 * 1024 * 1024
_REFERENCE_NAMESPACE = uuid.UUID("0d6f3c1e-54a8-4c1b-a7a4-5b0c2f8e9d12")
# consistency= for Emulator: seconds for every kind, or {operation: {kind: seconds}}.
Consistency = float | Mapping[str, Mapping[str, float | None]]


class Emulator:
    """A local Amazon Connect. `with Emulator() as emu:` serves on emu.endpoint_url."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_file: str | Path | None = None,
        clock: Clock | None = None,
        fault_seed: int = 0,
        faults: Mapping[str, FaultSpec | Mapping[str, Any]] | None = None,
        fail_next: Iterable[tuple[str, int, str]] = (),
        user_limit: int = 100_000,
        saml_email: SamlEmailPolicy | str = SamlEmailPolicy.REJECT,
        region: str = "us-east-1",
        consistency: Consistency | None = None,
        repeat_delete: RepeatDelete | str = RepeatDelete.NOT_FOUND,
        deleted_username: DeletedUsername | str = DeletedUsername.FREE,
        channel_fill: ChannelFill | str = ChannelFill.NONE,
        user_config_update: ConfigUpdate | str = ConfigUpdate.MERGE,
        proficiency_missing: ProficiencyMissing | str = ProficiencyMissing.NOT_FOUND,
        proficiency_repeat: ProficiencyRepeat | str = ProficiencyRepeat.REJECT,
        fidelity: Fidelity | Mapping[str, Any] | None = None,
        proficiency_search: ProficiencySearch | str = ProficiencySearch.ENTRY,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.state_file = Path(state_file) if state_file is not None else None
        self.clock: Clock = clock or RealClock()
        self.faults = FaultInjector(clock=self.clock, seed=fault_seed)
        for operation, spec in (faults or {}).items():
            settings = vars(spec) if isinstance(spec, FaultSpec) else dict(spec)
            self.faults.configure(operation, **settings)
        for operation, count, fault in fail_next:
            self.faults.fail_next(operation, count, fault)
        self.configure_consistency(consistency)
        self.requests = RequestLog()
        self.lock = threading.RLock()  # guards all Connect state
        state = (
            load_state(self.state_file)
            if self.state_file is not None and self.state_file.exists()
            else seeded_state()
        )
        self.service = ConnectService(
            state,
            ServiceSettings(
                user_limit=user_limit,
                saml_email=SamlEmailPolicy(saml_email),
                region=region,
                repeat_delete=RepeatDelete(repeat_delete),
                deleted_username=DeletedUsername(deleted_username),
                channel_fill=ChannelFill(channel_fill),
                user_config_update=ConfigUpdate(user_config_update),
                proficiency_missing=ProficiencyMissing(proficiency_missing),
                proficiency_repeat=ProficiencyRepeat(proficiency_repeat),
                fidelity=Fidelity.of(fidelity),
                proficiency_search=ProficiencySearch(proficiency_search),
            ),
            Visibility(self.faults.visibility, self.clock),
        )
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> Emulator:
        server = _Server((self.host, self.requested_port), _Handler)
        server.emulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"connect-emulator-{self.port}",
        )
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until stopped (the CLI); a KeyboardInterrupt still gets through."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            return self.requested_port
        return int(self._server.server_address[1])

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- state ---------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self.service.state

    def reset(self) -> None:
        """Back to the seed: the three instances and their children, no users, no tags."""
        with self.lock:
            self.service.state = seeded_state()
            self.service.visibility.forget()
            self._persist()

    def configure_consistency(self, consistency: Consistency | None) -> None:
        """Visibility delays: seconds for every kind and operation, or per operation and kind
        ({"*": {"new_user": 5}, "SearchUsers": {"new_user": 30}}). Faults.clear() clears them."""
        if consistency is None:
            return
        if isinstance(consistency, int | float):
            seconds = float(consistency)
            self.faults.visibility.configure(
                new_user=seconds, deleted_user=seconds, new_reference=seconds
            )
            return
        for operation, delays in consistency.items():
            self.faults.visibility.configure(operation, **delays)

    def create_reference(
        self, instance_id: str, kind: str, name: str, reference_id: str | None = None
    ) -> Child:
        """A new security profile, routing profile or hierarchy group ("security", "routing",
        "hierarchy"), created now: under a new_reference delay the writes do not see it yet."""
        if kind not in CHILD_KINDS:
            raise ValueError(f"kind must be one of {', '.join(CHILD_KINDS)}")
        with self.lock:
            instance = self.service.instance(instance_id)
            children = instance.children[kind]
            if any(child.name == name for child in children.values()):
                raise ValueError(f"A {kind} named {name} already exists in {instance.id}.")
            new_id = reference_id or str(
                uuid.uuid5(_REFERENCE_NAMESPACE, f"{instance.id}/{kind}/{name}")
            )
            if new_id in children:
                raise ValueError(f"A {kind} with ID {new_id} already exists in {instance.id}.")
            arn = f"{instance.arn}/{CHILD_SEGMENTS[kind]}/{new_id}"
            child = children[new_id] = Child(kind=kind, id=new_id, arn=arn, name=name)
            self.service.visibility.reference_created(new_id)
            self._persist()
        return child

    def state_snapshot(self) -> dict[str, Any]:
        with self.lock:
            # A deep copy: the caller may keep it while the state moves on.
            return copy.deepcopy(self.service.state.to_json())

    def _persist(self) -> None:
        if self.state_file is not None:
            save_state(self.service.state, self.state_file)

    # --- one API call --------------------------------------------------------------------

    def execute(
        self, operation: str, params: dict[str, Any], *, consistent: bool = True
    ) -> dict[str, Any]:
        """Validate and run one operation on the state (no faults, no log); consistent=False
        applies the visibility delays, as every HTTP request does."""
        validate_input(operation, connect_model().operation_model(operation).input_shape, params)
        with self.lock:
            result = self.service.run(operation, params, consistent=consistent)
            if operation in WRITE_OPERATIONS:
                self._persist()
        return result


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up stop()
    emulator: Emulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as boto3's connection pool expects
    default_request_version = "HTTP/1.0"  # even a garbled request line gets a status line back
    server_version = "ConnectEmulator"
    sys_version = ""
    timeout = 60  # seconds an idle keep-alive connection is kept
    disable_nagle_algorithm = True  # headers and body go out separately: no 40 ms stalls
    server: _Server

    # The methods botocore uses; any other method is answered by send_error(501) below.
    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines and statuses only: bodies (where Password travels) are never logged.
        logger.info("%s %s", self.address_string(), format % args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level failures (bad request line, unknown method) in the service's format."""
        if code == 501:
            error = ServiceError(UNKNOWN_OPERATION, f"Unsupported method {self.command}.")
        else:
            error = invalid_request(message or "Malformed request.")
        status = error.status if code == 501 else code
        self._received = time.time()
        if self.command:
            self._log(operation=None, status=status, error_code=error.code, fault=None, params=None)
        self.close_connection = True
        self._respond(status, error_body(error), error.code, close=True)

    # --- plumbing ------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY_BYTES:
            raise ValueError("bad Content-Length")
        return self.rfile.read(length) if length else b""

    def _respond(
        self, status: int, body: bytes, error_code: str | None, close: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", JSON_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_code is not None:
            self.send_header("x-amzn-ErrorType", error_code)
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _drop(self) -> None:
        # No status line, no headers: the client sees the connection close under it.
        self.close_connection = True

    def _log(self, **fields: Any) -> None:
        self.emulator.requests.append(
            time=self._received, method=self.command, path=self.path, **fields
        )

    def _handle(self) -> None:
        self._received = time.time()
        split = urlsplit(self.path)
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, "The request body could not be read.")
            return
        if split.path.startswith(admin.PREFIX):
            self._handle_admin(split.path, body)
            return
        self._handle_api(split.path, parse_qs(split.query, keep_blank_values=True), body)

    def _handle_admin(self, path: str, body: bytes) -> None:
        try:
            status, document = admin.handle_admin(self.emulator, self.command, path, body)
        except admin.AdminError as error:
            status, document = error.status, {"Message": error.message}
        self._respond(status, json.dumps(document).encode(), None)

    def _handle_api(self, path: str, query: dict[str, list[str]], body: bytes) -> None:
        resolved = resolve(self.command, path)
        operation = resolved[0] if resolved else None
        if resolved is None or resolved[0] not in self.emulator.service.handlers:
            error = ServiceError(
                UNKNOWN_OPERATION,
                f"The emulator does not support {operation}."
                if operation
                else f"No operation matches {self.command} {path}.",
            )
            self._log(
                operation=operation,
                status=error.status,
                error_code=error.code,
                fault=None,
                params=None,
            )
            self._respond(error.status, error_body(error), error.code)
            return
        name, labels = resolved
        decision = self.emulator.faults.decide(name)
        model = connect_model().operation_model(name)
        if decision.drop:
            self._log(
                operation=name, status=None, error_code=None, fault=decision.fault, params=None
            )
            self._drop()
            return
        if decision.latency:
            self.emulator.clock.sleep(decision.latency)

        status, payload, error_code, params = self._run(model, labels, query, body, decision.error)
        if decision.commit_then_drop:
            self._log(
                operation=name,
                status=None,
                error_code=error_code,
                fault=decision.fault,
                params=params,
            )
            self._drop()
            return
        # Logged before answering, so a client that has its answer also finds its entry.
        self._log(
            operation=name,
            status=status,
            error_code=error_code,
            fault=decision.fault,
            params=params,
        )
        self._respond(status, payload, error_code)

    def _run(
        self,
        model: Any,
        labels: dict[str, str],
        query: dict[str, list[str]],
        body: bytes,
        injected: str | None,
    ) -> tuple[int, bytes, str | None, dict[str, Any] | None]:
        """(status, body, error code, redacted params) of one supported operation."""
        params: dict[str, Any] | None = None
        try:
            parsed = parse_request(model, labels, query, dict(self.headers.items()), body)
            params = redact(model.input_shape, parsed)
            if injected is not None:
                raise ServiceError(injected, ERROR_MESSAGES.get(injected, "Injected fault."))
            result = self.emulator.execute(model.name, parsed, consistent=False)
            return 200, encode_body(result), None, params
        except ServiceError as raised:
            answered = raised
            if injected is not None and raised.code != injected:
                answered = ServiceError(injected, ERROR_MESSAGES.get(injected, "Injected fault."))
            return answered.status, error_body(answered), answered.code, params
        except Exception:
            # A bug in the emulator: answer like the service, and leave a trace for its author.
            logger.exception("unhandled error in %s", model.name)
            error = ServiceError("InternalServiceException", "Internal error in the emulator.")
            return error.status, error_body(error), error.code, params


@contextmanager
def running(**options: Any) -> Iterator[Emulator]:
    """An emulator serving on an ephemeral loopback port for the duration of the block."""
    emulator = Emulator(**options)
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()

"""A werkzeug WSGI app served from a daemon thread on a loopback port (tests, tools)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class QuietRequestHandler(WSGIRequestHandler):
    # The apps log what matters themselves; werkzeug's access log is noise.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class BackgroundWsgiServer:
    def __init__(self, app: Callable[..., Any], host: str, port: int, name: str) -> None:
        self._app, self._host, self._port, self._name = app, host, port, name
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{self._name} is not running")
        return f"http://{self._host}:{self._server.port}"

    def start(self) -> None:
        # Bind here: a taken port raises OSError (EADDRINUSE) for the caller to report, where
        # werkzeug's own bind would print to stderr and sys.exit(1).
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        listener = socket.create_server((self._host, self._port), family=family)
        try:
            self._server = make_server(
                self._host,
                self._port,
                self._app,
                threaded=True,
                request_handler=QuietRequestHandler,
                fd=listener.fileno(),  # werkzeug uses a duplicate of it
            )
        finally:
            listener.close()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # shutdown() waits up to one poll
            name=self._name,
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

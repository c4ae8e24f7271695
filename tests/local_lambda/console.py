"""A child process whose console output is read line by line, waiting with a timeout."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path


class Console:
    """Start `command` with stdout and stderr merged; `expect` waits for a line."""

    def __init__(self, command: Sequence[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        # Drains the pipe for the process's whole life, so its log lines never block it.
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def expect(self, text: str, timeout: float = 60) -> str:
        """Everything read so far, up to and including the first line containing `text`."""
        while not any(text in line for line in self.lines):
            try:
                line = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(
                    f"no line with {text!r} within {timeout} s:\n{self.output}"
                ) from None
            if line is None:
                raise AssertionError(f"exited before a line with {text!r}:\n{self.output}")
            self.lines.append(line)
        return self.output

    def rest(self, timeout: float = 30) -> str:
        """Wait for the process to exit; everything it printed."""
        self.process.wait(timeout=timeout)
        while (line := self._queue.get(timeout=timeout)) is not None:
            self.lines.append(line)
        return self.output

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def kill(self) -> None:
        """Clean-up: the whole process group it started (make and its python)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

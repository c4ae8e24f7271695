"""A one-line progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.total = total
        self.label = label
        self.done = 0
        self.started = time.monotonic()
        self._drawn = -1.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= 0.2 or self.done >= self.total):
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        elapsed = now - self.started
        left = elapsed / share - elapsed if share else 0.0
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total}  {elapsed:.0f}s, ~{left:.0f}s left"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

"""Fault injection: token-bucket throttling, error share, latency, dropped connections,
commit-then-drop, exact "fail the next N calls of X" queues, and visibility delays
(eventual consistency, see consistency.py).

All randomness comes from one seeded RNG and all time from an injectable Clock, so a fault
scenario replays identically.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from .errors import status_for

ALL_OPERATIONS = "*"
DROP = "drop"
COMMIT_THEN_DROP = "commit_then_drop"
THROTTLING = "ThrottlingException"
INTERNAL = "InternalServiceException"
ERROR_MESSAGES = {
    THROTTLING: "Rate exceeded",
    INTERNAL: "Request processing failed because of an unknown error, exception or failure.",
}


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class ScaledClock:
    """Real time run `factor` times faster: a 2/s bucket refills at 2 per 1/factor seconds.

    The one scaled clock: the load driver's time_scale is its inverse, so a drive with
    time_scale 0.05 gives the emulator ScaledClock(20)."""

    def __init__(self, factor: float) -> None:
        if factor <= 0:
            raise ValueError("factor must be positive")
        self.factor = factor
        self._origin = time.monotonic()

    def monotonic(self) -> float:
        return self._origin + (time.monotonic() - self._origin) * self.factor

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) / self.factor)


class ManualClock:
    """A clock that moves only when told: sleep() advances it instead of waiting."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self._now += seconds


@dataclass
class FaultSpec:
    """Faults for one operation, or for all (operation "*")."""

    rate: float | None = None  # token refill per second; None = no throttling
    burst: int = 1  # bucket size: calls allowed back to back
    error_rate: float = 0.0  # share of calls answered InternalServiceException
    latency: float = 0.0  # seconds added before answering
    drop_rate: float = 0.0  # share of calls whose connection is closed unanswered
    commit_then_drop_rate: float = 0.0  # share performed, then closed unanswered

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate", "commit_then_drop_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.rate is not None and self.rate <= 0:
            raise ValueError("rate must be positive")
        if self.burst < 1 or self.latency < 0:
            raise ValueError("burst must be >= 1 and latency >= 0")


class TokenBucket:
    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = now

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class Decision:
    """What to do with one request, decided before the operation runs."""

    fault: str | None = None  # label for the request log; None = no fault
    drop: bool = False
    error: str | None = None
    commit_then_drop: bool = False
    latency: float = 0.0


@dataclass
class _Queued:
    fault: str
    remaining: int


@dataclass
class FaultInjector:
    clock: Clock = field(default_factory=RealClock)
    seed: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._specs: dict[str, FaultSpec] = {}
        self._queues: dict[str, deque[_Queued]] = {}
        self._buckets: dict[str, TokenBucket] = {}
        self._rng = random.Random(self.seed)
        from .consistency import VisibilityDelays  # imported here: it imports this module

        self.visibility = VisibilityDelays()

    def configure(self, operation: str = ALL_OPERATIONS, **settings: Any) -> FaultSpec:
        """Set (replace) the faults of one operation, or of every operation with "*".

        A "*" rate limit is one account-wide bucket shared by all operations, like Connect's
        per-account quotas; an operation's own settings replace "*" for that operation.
        """
        spec = FaultSpec(**settings)
        with self._lock:
            self._specs[operation] = spec
            self._buckets.pop(operation, None)
        return spec

    def fail_next(self, operation: str, count: int = 1, fault: str = INTERNAL) -> None:
        """Fail the next `count` calls of an operation ("*" = any) with an error code, "drop"
        or "commit_then_drop"; queued failures take effect before every other fault."""
        if count < 1:
            raise ValueError("count must be >= 1")
        if fault not in (DROP, COMMIT_THEN_DROP):
            status_for(fault)  # raises for a code the model does not know
        with self._lock:
            self._queues.setdefault(operation, deque()).append(_Queued(fault, count))

    def clear(self) -> None:
        """No faults, empty queues, full buckets, no visibility delays, the RNG at its seed."""
        with self._lock:
            self._specs.clear()
            self.visibility.clear()
            self._queues.clear()
            self._buckets.clear()
            self._rng = random.Random(self.seed)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "seed": self.seed,
                "operations": {name: asdict(spec) for name, spec in self._specs.items()},
                "fail_next": {
                    name: [asdict(item) for item in queue]
                    for name, queue in self._queues.items()
                    if queue
                },
                "visibility": self.visibility.snapshot(),
            }

    def decide(self, operation: str) -> Decision:
        with self._lock:
            return self._decide(operation)

    def _pop_queued(self, operation: str) -> str | None:
        for key in (operation, ALL_OPERATIONS):
            queue = self._queues.get(key)
            if queue:
                head = queue[0]
                head.remaining -= 1
                if head.remaining == 0:
                    queue.popleft()
                return head.fault
        return None

    def _decide(self, operation: str) -> Decision:
        key = operation if operation in self._specs else ALL_OPERATIONS
        spec = self._specs.get(key, FaultSpec())
        latency = spec.latency
        queued = self._pop_queued(operation)
        if queued == DROP:
            return Decision(fault=f"fail_next:{DROP}", drop=True)
        if queued == COMMIT_THEN_DROP:
            return Decision(f"fail_next:{COMMIT_THEN_DROP}", commit_then_drop=True, latency=latency)
        if queued is not None:
            return Decision(fault=f"fail_next:{queued}", error=queued, latency=latency)
        if spec.drop_rate and self._rng.random() < spec.drop_rate:
            return Decision(fault=DROP, drop=True)
        if spec.rate is not None:
            now = self.clock.monotonic()
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(spec.rate, spec.burst, now)
            if not bucket.take(now):
                return Decision(fault="throttle", error=THROTTLING, latency=latency)
        if spec.error_rate and self._rng.random() < spec.error_rate:
            return Decision(fault="error_rate", error=INTERNAL, latency=latency)
        if spec.commit_then_drop_rate and self._rng.random() < spec.commit_then_drop_rate:
            return Decision(fault=COMMIT_THEN_DROP, commit_then_drop=True, latency=latency)
        return Decision(fault="latency" if latency else None, latency=latency)

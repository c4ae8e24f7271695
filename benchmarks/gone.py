"""What a delete's wait before NotFound costs (issue 20), through the load driver.

A delete answers NotFound at once only when CloudFormation's model of the user came from a
moment DescribeUser showed it (it carries UserId). Otherwise (the rollback of a create still
waiting for Connect) the user may still appear, and the delete sends DeleteUser again through
callbacks for outcomes.UNSEEN_USER_WINDOW_SECONDS first. Measured here, in emulated time
(the emulator's clock and the handler's own run 1/time_scale times as fast as real time):

- a delete of a user already deleted, named by a model that showed it: calls, invocations;
- the same, named by a create's IN_PROGRESS model: how long until NotFound, and its calls;
- the rollback of a create whose user shows 20 s late: how long until SUCCESS, and its calls.
The handler's own processing counts too (about 1 emulated second per invocation at time scale 0.05).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .common import Row, emulator_for_handler, user_properties

LAG_SECONDS = 20.0  # the reproduction: new users invisible for 20 s


@dataclass
class Deletes:
    """One kind of delete, over several runs."""

    label: str
    outcomes: Counter[str] = field(default_factory=Counter)  # "SUCCESS" / "FAILED NotFound"
    invocations: list[int] = field(default_factory=list)
    calls: list[Counter[str]] = field(default_factory=list)
    waited: list[float] = field(default_factory=list)  # emulated seconds of callback delays

    def add(self, result: Any, calls: Counter[str]) -> None:
        self.outcomes[" ".join(filter(None, (result.status, result.error_code)))] += 1
        self.invocations.append(result.invocations)
        self.calls.append(calls)
        self.waited.append(float(sum(result.callback_delays)))


def _spread(values: list[float], unit: str = "") -> str:
    med = statistics.median(values)
    return f"{med:g}{unit} ({min(values):g}-{max(values):g}, n={len(values)})"


def measure(runs: int = 5, time_scale: float = 0.05) -> list[Deletes]:
    from connect_emulator import ScaledClock
    from loadtest import Operation, delete_of, run_operation, warm_container

    shown = Deletes("delete of a deleted user, model from a finished create (UserId)")
    unseen = Deletes("delete of a deleted user, a create's IN_PROGRESS model (UserArn only)")
    rollback = Deletes(f"rollback of a create whose user shows {LAG_SECONDS:g} s late")
    with emulator_for_handler(clock=ScaledClock(1 / time_scale)) as emulator:

        def run(operation: Any, max_invocations: int = 500) -> tuple[Any, Counter[str]]:
            emulator.requests.clear()
            result = run_operation(
                operation,
                time_scale=time_scale,
                max_invocations=max_invocations,
                container=warm_container(time_scale, handler_clock=True),
            )
            return result, Counter(str(op) for op in emulator.requests.operations())

        for n in range(runs):
            emulator.faults.clear()
            created, _ = run(Operation("CREATE", user_properties(f"gone-{n}")))
            run(delete_of(created))
            shown.add(*run(delete_of(created)))
            model = {k: v for k, v in (delete_of(created).properties or {}).items()}
            model.pop("UserId", None)
            unseen.add(*run(Operation("DELETE", model)))
            emulator.configure_consistency(LAG_SECONDS)
            first, _ = run(Operation("CREATE", user_properties(f"lag-{n}")), max_invocations=1)
            rollback.add(*run(Operation("DELETE", first.responses[-1]["resourceModel"])))
    return [shown, unseen, rollback]


def rows(results: list[Deletes]) -> list[Row]:
    found = []
    for kind in results:
        calls = Counter[str]()
        for counted in kind.calls:
            calls.update(counted)
        per_run = {op: n / len(kind.calls) for op, n in sorted(calls.items())}
        shown_calls = " + ".join(f"{n:g} {op}" for op, n in per_run.items())
        value = (
            f"{', '.join(f'{n} {o}' for o, n in kind.outcomes.items())}; after "
            f"{_spread(kind.waited, ' s')} emulated; "
            f"{_spread([float(i) for i in kind.invocations])} invocations; "
            f"calls per delete {shown_calls}"
        )
        found.append(
            Row(
                "Delete before NotFound (issue 20)",
                kind.label,
                value,
                data={
                    "outcomes": dict(kind.outcomes),
                    "invocations": kind.invocations,
                    "waited_s": kind.waited,
                    "calls_per_delete": per_run,
                },
            )
        )
    return found

"""Shared fixtures: an in-process Amazon Connect emulator and a stock boto3 client for it.

Tests never see the developer's AWS configuration: fake credentials and empty config files are
set at import, before any test module creates a boto3 session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

import connect_emulator
from connect_emulator import Emulator
from connect_emulator.offline import isolate_aws_environment
from connect_emulator.seed import CONNECT_MANAGED, SeedInstance

from .testdata import minimal_create_params

isolate_aws_environment()

# One attempt, short timeouts: a fault test sees exactly the fault it injected.
CLIENT_CONFIG = Config(
    retries={"total_max_attempts": 1, "mode": "standard"},
    connect_timeout=5,
    read_timeout=30,
)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """The session's one emulator; prefer `emulator`, which also resets it."""
    with connect_emulator.running() as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_server: Emulator) -> Emulator:
    """The in-process emulator, back at the seed, with no faults and an empty request log."""
    emulator_server.reset()
    emulator_server.faults.clear()
    emulator_server.requests.clear()
    return emulator_server


@pytest.fixture
def connect_client(emulator: Emulator):
    """A stock boto3 Connect client pointed at the emulator, without retries."""
    return client_for(emulator)


@pytest.fixture
def connect_endpoint_env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """AWS_ENDPOINT_URL_CONNECT set to the emulator, so unmodified code (the handler) uses it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", emulator.endpoint_url)
    return emulator.endpoint_url


def client_for(emulator: Emulator):
    """A stock boto3 Connect client for any emulator (see the `connect_client` fixture)."""
    return boto3.client("connect", endpoint_url=emulator.endpoint_url, config=CLIENT_CONFIG)


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., tuple[Emulator, Any]]]:
    """Start a private emulator with options, e.g. start_emulator(clock=ManualClock());
    returns (emulator, client); stopped at teardown."""
    started: list[Emulator] = []

    def start(**options: Any) -> tuple[Emulator, Any]:
        emulator = Emulator(**options).start()
        started.append(emulator)
        return emulator, client_for(emulator)

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def client_factory() -> Callable[[Emulator], Any]:
    """Makes more stock clients (one per thread: boto3 clients are not to be shared)."""
    return client_for


# --- users -------------------------------------------------------------------------------


@pytest.fixture
def make_user_params() -> Callable[..., dict[str, Any]]:
    """testdata.minimal_create_params(instance=CONNECT_MANAGED, **overrides): the smallest
    valid CreateUser parameters (an override of None removes the parameter)."""
    return minimal_create_params


@pytest.fixture
def bulk_users(emulator: Emulator) -> Callable[..., list[str]]:
    """bulk_users(n, instance=CONNECT_MANAGED): n users made through the Python API (no HTTP,
    so thousands take well under a second); their IDs in creation order."""

    def create(count: int, instance: SeedInstance = CONNECT_MANAGED) -> list[str]:
        return [
            emulator.execute(
                "CreateUser", minimal_create_params(instance, Username=f"bulk{number:05d}")
            )["UserId"]
            for number in range(count)
        ]

    return create

"""Fake credentials and no AWS configuration: what every local tool and test runs with, so
boto3 never reads a developer's real profile or reaches AWS."""

from __future__ import annotations

import os

FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIAEMULATOREXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "emulator-secret-access-key-not-real",
    "AWS_SESSION_TOKEN": "emulator-session-token-not-real",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
# Settings that could send boto3 to a real profile or endpoint (tools set their own endpoint).
LEAKY_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_CONNECT",
)


def isolate_aws_environment() -> None:
    os.environ.update(FAKE_AWS_ENVIRONMENT)
    for name in LEAKY_AWS_VARIABLES:
        os.environ.pop(name, None)

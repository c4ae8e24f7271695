"""Fake credentials and an empty AWS configuration, so no real account or profile is ever used."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

REGION = "us-east-1"
# A session token is included on purpose: without one the CLI calls STS GetSessionToken.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "ASIAOFFLINECONTRACT1",
    "AWS_SECRET_ACCESS_KEY": "offline-contract-test-secret-key-not-real",
    "AWS_SESSION_TOKEN": "offline-contract-test-session-token-not-real",
}
# Anything that could lead botocore to a real profile, role, credential source or endpoint.
_REMOVED_PREFIXES = ("AWS_ENDPOINT_URL", "AWS_CONTAINER_", "AWS_WEB_IDENTITY")
_REMOVED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_SSO_SESSION",
    "AWS_CA_BUNDLE",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "https_proxy",
    "http_proxy",
)


def isolated_environment(base: MutableMapping[str, str], config_dir: Path) -> dict[str, str]:
    """A copy of base with fake credentials and AWS config files in config_dir (both empty)."""
    env = {
        key: value
        for key, value in base.items()
        if key not in _REMOVED and not key.startswith(_REMOVED_PREFIXES)
    }
    config_file = config_dir / "config"
    credentials_file = config_dir / "credentials"
    for path in (config_file, credentials_file):
        path.touch()
    env.update(FAKE_CREDENTIALS)
    env.update(
        {
            "AWS_CONFIG_FILE": str(config_file),
            "AWS_SHARED_CREDENTIALS_FILE": str(credentials_file),
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    return env


@contextmanager
def isolated_process_environment() -> Iterator[dict[str, str]]:
    """Isolate os.environ for the life of the block (this process is a dedicated tool)."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="cfn-offline-aws-") as config_dir:
        env = isolated_environment(os.environ, Path(config_dir))
        os.environ.clear()
        os.environ.update(env)
        try:
            yield env
        finally:
            os.environ.clear()
            os.environ.update(saved)

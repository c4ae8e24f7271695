"""The contract-test inputs the package carries: the real-account ones.

inputs/ in the repository names the emulator's seeded instances and holds test passwords;
the registry package ships the same files with every seeded ID or ARN as a `{{ConnectUserCt-…}}`
placeholder (contract_runner.real_account, resolved by cfn test from the account's exports)
and every Password as the PASSWORD_PLACEHOLDER.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contract_runner.real_account import PREFIX, placeholder_inputs

PASSWORD_PLACEHOLDER = "{{" + PREFIX + "-Password}}"


def real_account_inputs(document: Any) -> Any:
    """The input document with placeholders for the seeded IDs and ARNs and the password."""
    replaced = placeholder_inputs(document)
    if isinstance(replaced, dict) and "Password" in replaced:
        replaced["Password"] = PASSWORD_PLACEHOLDER
    return replaced


def write_real_account_inputs(directory: Path) -> None:
    """Rewrite every inputs_*.json in directory in place."""
    for path in sorted(directory.glob("inputs_*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(real_account_inputs(document), indent=4) + "\n", "utf-8")

"""TypeFunction with one deliberate defect, to prove the contract runner fails when it should.

READ reports NotFound even for a user that exists; every other action is the real handler.
Served with: python -m contract_runner --handler TypeFunction=tests.contract.broken_handler.resource
"""

from typing import Any

from aws_connect_user.handlers import resource as real_resource


def resource(event: dict[str, Any], context: Any) -> Any:
    if event.get("action") == "READ":
        return {
            "status": "FAILED",
            "errorCode": "NotFound",
            "message": "deliberately broken: READ never finds the user",
            "callbackDelaySeconds": 0,
        }
    return real_resource(event, context)

"""TypeFunction reproducing the dropped-nextToken regression: the request's nextToken never
reaches the handler and LIST always answers "page 1, more to come", so the contract suite's
pagination loop never ends."""

from typing import Any

from aws_connect_user.handlers import resource as real_resource


def resource(event: dict[str, Any], context: Any) -> Any:
    if event.get("action") != "LIST":
        return real_resource(event, context)
    event = {key: value for key, value in event.items() if key != "nextToken"}
    response = real_resource(event, context)
    if isinstance(response, dict) and response.get("status") == "SUCCESS":
        response["nextToken"] = "page-2"
    return response

"""A loopback STS answering the three calls the CLI makes: GetCallerIdentity, GetSessionToken
and (with --role-arn) AssumeRole. Query protocol: form-encoded POST in, XML out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request, Response

from local_lambda.background import BackgroundWsgiServer

ACCOUNT_ID = "123456789012"
NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"


def _credentials_xml() -> str:
    expiration = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<Credentials>"
        "<AccessKeyId>ASIAOFFLINESTSTEMP01</AccessKeyId>"
        "<SecretAccessKey>offline-sts-temporary-secret-not-real</SecretAccessKey>"
        "<SessionToken>offline-sts-temporary-session-token-not-real</SessionToken>"
        f"<Expiration>{expiration}</Expiration>"
        "</Credentials>"
    )


def _result(action: str, form: Any, account_id: str) -> str | None:
    if action == "GetCallerIdentity":
        return (
            f"<Arn>arn:aws:iam::{account_id}:user/offline-contract-test</Arn>"
            "<UserId>AIDAOFFLINECONTRACT1</UserId>"
            f"<Account>{account_id}</Account>"
        )
    if action == "GetSessionToken":
        return _credentials_xml()
    if action == "AssumeRole":
        role = escape(form.get("RoleArn", ""))
        session = escape(form.get("RoleSessionName", "session"))
        return (
            _credentials_xml() + "<AssumedRoleUser>"
            f"<AssumedRoleId>AROAOFFLINECONTRACT1:{session}</AssumedRoleId>"
            f"<Arn>{role}/{session}</Arn>"
            "</AssumedRoleUser>"
        )
    return None


class LocalSts:
    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, account_id: str = ACCOUNT_ID
    ) -> None:
        self.account_id = account_id
        self.calls: list[str] = []
        self._server = BackgroundWsgiServer(self._wsgi, host, port, "local-sts")

    @property
    def endpoint_url(self) -> str:
        return self._server.endpoint_url

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        action = request.values.get("Action", "")
        self.calls.append(action)
        request_id = str(uuid.uuid4())
        result = _result(action, request.values, self.account_id)
        if result is None:
            body = (
                f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type>'
                f"<Code>InvalidAction</Code><Message>Could not find operation "
                f"{escape(action)} in the offline STS</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>"
            )
            return Response(body, status=400, content_type="text/xml")(environ, start_response)
        body = (
            f'<{action}Response xmlns="{NAMESPACE}"><{action}Result>{result}</{action}Result>'
            f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
            f"</{action}Response>"
        )
        return Response(body, content_type="text/xml")(environ, start_response)

    def start(self) -> LocalSts:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> LocalSts:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

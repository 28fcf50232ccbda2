"""An azure-core transport that hands requests straight to an in-process emulator: no sockets, no TLS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest as CoreRequest
from azure.core.rest._http_response_impl import HttpResponseImpl
from azure.core.utils import case_insensitive_dict

from vmss_emulator.domain.context import CaseInsensitiveDict
from vmss_emulator.server.dispatch import Dispatcher
from vmss_emulator.server.http import HttpRequest

_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
            404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 412: "Precondition Failed",
            500: "Internal Server Error"}  # fmt: skip


class _NoInternal:
    def close(self) -> None:
        pass


class InProcessResponse(HttpResponseImpl):
    def __init__(self, request: CoreRequest, status: int, headers: dict[str, str], body: bytes) -> None:
        ci_headers = case_insensitive_dict(headers)
        super().__init__(
            request=request,
            internal_response=_NoInternal(),
            status_code=status,
            reason=_REASONS.get(status, "Unknown"),
            content_type=ci_headers.get("Content-Type"),
            headers=ci_headers,
            stream_download_generator=None,
        )
        self._content = body

    def iter_bytes(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._content or b""

    def iter_raw(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._content or b""


class InProcessTransport(HttpTransport):  # type: ignore[type-arg]
    """Pass as `transport=` to any azure-mgmt client whose base_url is the emulator's."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    def __enter__(self) -> InProcessTransport:
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send(self, request: Any, **kwargs: Any) -> Any:
        url = urlsplit(request.url)
        body = request.content if isinstance(request.content, bytes) else (request.content or b"")
        if isinstance(body, str):
            body = body.encode()
        if not isinstance(body, bytes):
            body = request.body if isinstance(getattr(request, "body", None), bytes) else b""
        http_request = HttpRequest(
            method=request.method.upper(),
            path=unquote(url.path),
            query_string=url.query,
            headers=CaseInsensitiveDict(dict(request.headers)),
            body=body,
            base_url=f"{url.scheme}://{url.netloc}",
        )
        response = self.dispatcher.handle(http_request)
        return InProcessResponse(request, response.status, response.headers, response.body)

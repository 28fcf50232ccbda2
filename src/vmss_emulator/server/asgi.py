"""A thin ASGI adapter around the Dispatcher (no framework in the ARM path: ARM's envelope is the
only error shape clients understand, and the routing is ARM's own)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from vmss_emulator.domain.context import CaseInsensitiveDict
from vmss_emulator.server.dispatch import Dispatcher
from vmss_emulator.server.http import HttpRequest

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class ArmApp:
    def __init__(self, dispatcher: Dispatcher, lifespan: Callable[[], Any] | None = None) -> None:
        self.dispatcher = dispatcher
        self._lifespan = lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._handle_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = CaseInsensitiveDict({k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]})
        host = headers.get_ci("host") or "127.0.0.1"
        request = HttpRequest(
            method=scope["method"].upper(),
            path=scope.get("raw_path", b"").decode("utf-8", "replace").split("?", 1)[0] or scope["path"],
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=b"".join(chunks),
            base_url=f"{scope.get('scheme', 'https')}://{host}",
        )
        from urllib.parse import unquote

        request.path = unquote(request.path)
        response = self.dispatcher.handle(request)
        raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
        raw_headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": response.body})

    async def _handle_lifespan(self, receive: Receive, send: Send) -> None:
        stop: Callable[[], Awaitable[None]] | None = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self._lifespan is not None:
                    stop = await self._lifespan()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if stop is not None:
                    await stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

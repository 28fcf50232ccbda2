"""Helpers shared by the project's own tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from vmss_emulator.app import Emulator
from vmss_emulator.domain.context import CaseInsensitiveDict
from vmss_emulator.server.http import HttpRequest

BASE = "https://management.emulator.local"


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def error_code(self) -> str:
        return str(self.json()["error"]["code"])


def raw(
    emulator: Emulator,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    token: bool = True,
    content: bytes | None = None,
) -> RawResponse:
    """Send one request straight to the dispatcher, with a valid token unless told otherwise."""
    path, _, query = path.partition("?")
    all_headers = dict(headers or {})
    if token:
        all_headers.setdefault("Authorization", "Bearer " + emulator.issuer.issue(BASE + "/.default")["access_token"])
    payload = content if content is not None else (orjson.dumps(body) if body is not None else b"")
    response = emulator.dispatcher.handle(
        HttpRequest(
            method=method,
            path=path,
            query_string=query,
            headers=CaseInsensitiveDict(all_headers),
            body=payload,
            base_url=BASE,
        )
    )
    return RawResponse(response.status, response.headers, response.body)


def sub_path(emulator: Emulator) -> str:
    return f"/subscriptions/{emulator.ctx.settings.subscription_id}"

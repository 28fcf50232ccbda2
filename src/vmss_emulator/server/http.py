"""The emulator's own request and response values: what the ASGI adapter and the in-process
transport both translate to and from, so that the two paths share every rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson

from vmss_emulator.domain.context import CaseInsensitiveDict


@dataclass
class HttpRequest:
    method: str
    path: str
    query_string: str = ""
    headers: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    # scheme://host:port that the client used; LRO and nextLink URLs are built on it.
    base_url: str = "https://127.0.0.1:8443"

    @property
    def query(self) -> CaseInsensitiveDict:
        pairs: dict[str, str] = {}
        for key, value in parse_qsl(self.query_string, keep_blank_values=True):
            pairs.setdefault(key, value)
        return CaseInsensitiveDict(pairs)


@dataclass
class HttpResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> HttpResponse:
        all_headers = {"Content-Type": "application/json; charset=utf-8"}
        all_headers.update(headers or {})
        return cls(status=status, body=orjson.dumps(payload), headers=all_headers)

    @classmethod
    def empty(cls, status: int, headers: dict[str, str] | None = None) -> HttpResponse:
        return cls(status=status, body=b"", headers=dict(headers or {}))

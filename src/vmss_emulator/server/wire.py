"""ARM wire rules shared by every route: api-version, JSON bodies, paging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import orjson

from vmss_emulator._utils import jsonc
from vmss_emulator._utils.casing import canonicalize
from vmss_emulator.domain.context import LOCATIONS
from vmss_emulator.domain.errors import (
    InvalidApiVersionParameter,
    InvalidRequestContent,
    MissingApiVersionParameter,
    NoRegisteredProviderFound,
)
from vmss_emulator.server.http import HttpRequest

MISSING_API_VERSION = "The api-version query parameter (?api-version=) is required for all requests."


def api_version_of(request: HttpRequest) -> str:
    version = request.query.get_ci("api-version")
    if not version:
        raise MissingApiVersionParameter(MISSING_API_VERSION)
    return version


def check_arm_api_version(version: str, supported: Sequence[str]) -> None:
    """ARM-owned endpoints (resource groups, subscriptions, providers, deployments)."""
    if version.lower() not in {v.lower() for v in supported}:
        raise InvalidApiVersionParameter(
            f"The api-version '{version}' is invalid. The supported versions are '{','.join(reversed(supported))}'."
        )


def check_provider_api_version(version: str, supported: Sequence[str], full_type: str, location: str = "") -> None:
    """Resource-provider endpoints: ARM answers with NoRegisteredProviderFound and the supported list."""
    if version.lower() not in {v.lower() for v in supported}:
        raise NoRegisteredProviderFound(
            f"No registered resource provider found for location '{location or 'eastus'}' and API version "
            f"'{version}' for type '{full_type.split('/', 1)[1]}'. The supported api-versions are "
            f"'{', '.join(supported)}'. The supported locations are '{', '.join(LOCATIONS)}'."
        )


def parse_body(request: HttpRequest) -> tuple[Any, bool]:
    """The JSON body with property names in canonical casing, and whether a body was sent at all."""
    raw = request.body
    if not raw or not raw.strip():
        return None, False
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        try:  # Newtonsoft leniency ARM has: comments, unquoted names (az's `template:{...}` splice)
            return canonicalize(jsonc.loads(raw)), True
        except ValueError:
            pass
        line = getattr(error, "lineno", 1)
        column = getattr(error, "colno", 1)
        snippet = raw[error.pos : error.pos + 1].decode("utf-8", "replace") if error.pos < len(raw) else ""
        raise InvalidRequestContent(
            "The request content was invalid and could not be deserialized: 'Unexpected character encountered "
            f"while parsing value: {snippet}. Path '', line {line}, position {column}.'."
        ) from None
    return canonicalize(parsed), True


def next_link(request: HttpRequest, skip: int) -> str:
    """An absolute nextLink that carries the api-version and the caller's other query parameters."""
    params = {k: v for k, v in request.query.items() if k != "$skiptoken"}
    params["$skiptoken"] = str(skip)
    # Keep the caller's name for api-version (lower-cased keys are fine for ARM).
    return f"{request.base_url}{request.path}?{urlencode(params)}"


def page(request: HttpRequest, items: list[dict[str, Any]], page_size: int) -> dict[str, Any]:
    token = request.query.get_ci("$skiptoken") or "0"
    skip = int(token) if token.isdigit() else 0
    chunk = items[skip : skip + page_size]
    body: dict[str, Any] = {"value": chunk}
    if skip + page_size < len(items):
        body["nextLink"] = next_link(request, skip + page_size)
    return body

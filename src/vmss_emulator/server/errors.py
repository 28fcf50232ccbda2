"""The one place that renders a domain error as ARM's error envelope."""

from __future__ import annotations

from vmss_emulator.domain.errors import ArmError, AuthenticationFailed
from vmss_emulator.server.http import HttpResponse


def render(error: ArmError) -> HttpResponse:
    headers: dict[str, str] = {"x-ms-failure-cause": "gateway" if error.status == 401 else "service"}
    if isinstance(error, AuthenticationFailed):
        headers["WWW-Authenticate"] = (
            'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", '
            f'error_description="{error.message}"'
        )
    return HttpResponse.json(error.status, {"error": error.to_error_body()}, headers)

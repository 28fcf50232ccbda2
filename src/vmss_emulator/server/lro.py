"""The long-running-operation protocol exactly as azure-core's ARMPolling and az poll it.

- PUT / PATCH started work: 200/201 with a non-terminal provisioningState and `Azure-AsyncOperation`.
- DELETE and POST actions: 202, empty body, `Location` (and `Azure-AsyncOperation` where the RP sends it).
- The Azure-AsyncOperation URL always answers 200 with `{name, status, startTime[, endTime, error]}`.
- The Location URL answers 202 while running, then the result (200 with the body, or 200 empty).
- `Retry-After` is always a whole number of seconds of at least 1 (0 or a fraction costs clients 30 s or a crash).
Polling an operation first lets it advance if it is due, so instant lifecycles finish on the first poll.
"""

from __future__ import annotations

import math

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import ArmError, OperationNotFound
from vmss_emulator.domain.operations import FAILED, IN_PROGRESS, SUCCEEDED, OperationService
from vmss_emulator.server.http import HttpRequest, HttpResponse
from vmss_emulator.store import OperationRecord


def _retry_after(ctx: Context, op: OperationRecord) -> str:
    if op.due_at is None:
        return "1"
    wait = op.due_at - ctx.now()
    return str(max(1, min(15, math.ceil(wait))))


def operation_urls(ctx: Context, op: OperationRecord, api_version: str) -> tuple[str, str]:
    """(Azure-AsyncOperation URL, Location URL) for an operation, in the provider's own style."""
    body = op.body
    namespace = body["namespace"]
    sub = ctx.settings.subscription_id
    base = ctx.base_url
    if body.get("statusUrl"):
        status = f"{base}{body['statusUrl']}?api-version={api_version}"
        return status, status
    if namespace.lower() == "microsoft.resources":
        url = f"{base}/subscriptions/{sub}/operationresults/{op.id}?api-version={api_version}"
        return url, url
    prefix = f"{base}/subscriptions/{sub}/providers/{namespace}/locations/{body['location']}"
    if namespace.lower() == "microsoft.network":
        return (
            f"{prefix}/operations/{op.id}?api-version={api_version}",
            f"{prefix}/operationResults/{op.id}?api-version={api_version}",
        )
    return (
        f"{prefix}/operations/{op.id}?api-version={api_version}",
        f"{prefix}/operations/{op.id}?monitor=true&api-version={api_version}",
    )


def headers_for(ctx: Context, op: OperationRecord, api_version: str, style: str) -> dict[str, str]:
    async_url, location_url = operation_urls(ctx, op, api_version)
    headers = {"Retry-After": _retry_after(ctx, op)}
    if style in ("async", "both"):
        headers["Azure-AsyncOperation"] = async_url
    if style in ("location", "both"):
        headers["Location"] = location_url
    return headers


def poll(ctx: Context, request: HttpRequest, op_id: str, *, style: str) -> HttpResponse:
    service: OperationService = ctx.ops()
    op = service.get(op_id)
    if op is None:
        raise OperationNotFound(f"The operation '{op_id}' could not be found.", code="NotFound")
    if op.status == IN_PROGRESS:
        service.advance_due(only=op.id)
        op = service.get(op_id) or op
    api_version = request.query.get_ci("api-version") or ""
    if style == "async":
        headers = {"Retry-After": _retry_after(ctx, op)} if op.status == IN_PROGRESS else {}
        return HttpResponse.json(200, OperationService.status_body(op), headers)
    # Location-style polling: 202 until done, then the result.
    if op.status == IN_PROGRESS:
        _, location_url = operation_urls(ctx, op, api_version)
        return HttpResponse.empty(202, {"Location": location_url, "Retry-After": _retry_after(ctx, op)})
    if op.status == SUCCEEDED:
        if "result" in op.body and op.body["result"] is not None:
            return HttpResponse.json(200, op.body["result"])
        return HttpResponse.empty(200 if op.body.get("emptyStatus") is None else int(op.body["emptyStatus"]))
    error = op.body.get("error") or {"code": "InternalServerError", "message": "The operation failed."}
    failure = ArmError(error.get("message", ""), code=error.get("code"), target=error.get("target"))
    failure.status = int(op.body.get("errorStatus", 400 if op.status == FAILED else 409))  # type: ignore[misc]
    return HttpResponse.json(failure.status, {"error": error})

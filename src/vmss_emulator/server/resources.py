"""Resource-provider routes: `.../providers/{namespace}/{type}/{name}[/{type}/{name}...][/{endpoint}]`.

Walks the path against the registry (see `domain/registry.py` for the rule), checks the api-version
against the resolved type, the resource group's existence and the If-Match / If-None-Match
preconditions, then calls the type and renders its `Outcome`.
"""

from __future__ import annotations

from vmss_emulator.domain import resourcegroups
from vmss_emulator.domain.bodyshape import check_body
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import InvalidResourceType, MethodNotAllowed, PreconditionFailed
from vmss_emulator.domain.ids import ResourceId, check_resource_name
from vmss_emulator.domain.registry import Call, Outcome, ResourceType
from vmss_emulator.server import lro
from vmss_emulator.server.http import HttpRequest, HttpResponse
from vmss_emulator.server.wire import api_version_of, check_provider_api_version, page, parse_body

_WRITES = ("PUT", "PATCH", "DELETE", "POST")


def _resolve(
    ctx: Context, scope: ResourceId, namespace: str, rest: list[str]
) -> tuple[ResourceType, ResourceId, str | None, str | None]:
    """(type, resource-or-parent id, collection type name, endpoint) for a provider path."""
    return ctx.types().resolve(scope, namespace, rest)


def dispatch(ctx: Context, request: HttpRequest, scope: ResourceId, namespace: str, rest: list[str]) -> HttpResponse:
    version = api_version_of(request)
    try:
        resource_type, rid, collection, endpoint = _resolve(ctx, scope, namespace, rest)
    except InvalidResourceType as error:
        error.message = error.message.replace("{api}", version)
        raise
    full_type = resource_type.full_type
    check_provider_api_version(version, resource_type.api_versions, full_type)
    if rid.resource_group is not None:
        resourcegroups.require(ctx, rid, for_write=request.method in _WRITES)
    body, present = parse_body(request) if request.method in ("PUT", "PATCH", "POST") else (None, False)
    call = Call(
        ctx=ctx,
        method=request.method,
        rid=rid,
        api_version=version,
        collection=collection,
        endpoint=endpoint,
        query=request.query,
        headers=request.headers,
        body=body,
        body_present=present,
    )
    method = request.method
    if collection is not None:
        if method != "GET":
            raise MethodNotAllowed(f"The requested resource does not support http method '{method}'.")
        items = resource_type.list(call)
        return HttpResponse.json(200, page(request, items, ctx.services.get("page_size", 1000)))
    if endpoint is not None:
        if method == "GET":
            outcome = resource_type.get_endpoint(call)
        elif method == "POST":
            with ctx.transaction():
                outcome = resource_type.post_action(call)
        else:
            raise MethodNotAllowed(f"The requested resource does not support http method '{method}'.")
        return render(ctx, call, outcome)
    if method in ("PUT", "DELETE"):
        check_resource_name(rid.name, full_type)
    if method == "GET":
        outcome = resource_type.get(call)
    elif method == "HEAD":
        outcome = resource_type.head(call)
    elif method in ("PUT", "PATCH", "DELETE"):
        if method != "DELETE":
            check_body(full_type, method, body)
        with ctx.transaction():
            _check_preconditions(call, resource_type)
            outcome = getattr(resource_type, method.lower())(call)
    else:
        raise MethodNotAllowed(f"The requested resource does not support http method '{method}'.")
    return render(ctx, call, outcome)


def _check_preconditions(call: Call, resource_type: ResourceType) -> None:
    if_match = call.headers.get_ci("if-match")
    if_none_match = call.headers.get_ci("if-none-match")
    if if_match is None and if_none_match is None:
        return
    current = resource_type.current_etag(call)
    if if_match is not None:
        wanted = if_match.strip()
        if current is None or (wanted != "*" and _strip(wanted) != _strip(current)):
            shown = current if current is not None else ""
            raise PreconditionFailed(
                f"Etag provided in if-match header {wanted} does not match etag {shown} of resource.",
                target="if-match",
            )
    if if_none_match is not None:
        wanted = if_none_match.strip()
        if current is not None and (wanted == "*" or _strip(wanted) == _strip(current)):
            raise PreconditionFailed(
                f"Etag provided in if-none-match header {wanted} matches etag {current} of resource.",
                target="if-none-match",
            )


def _strip(etag: str) -> str:
    etag = etag.strip()
    if etag.startswith("W/"):
        etag = etag[2:]
    return etag.strip('"')


def render(ctx: Context, call: Call, outcome: Outcome) -> HttpResponse:
    headers = dict(outcome.headers)
    if outcome.etag:
        headers["ETag"] = outcome.etag
    if outcome.operation is not None:
        headers.update(lro.headers_for(ctx, outcome.operation, call.api_version, outcome.lro))
    if outcome.body is None:
        return HttpResponse.empty(outcome.status, headers)
    return HttpResponse.json(outcome.status, outcome.body, headers)

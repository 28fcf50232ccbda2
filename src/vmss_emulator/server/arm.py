"""ARM's own endpoints: subscriptions, tenants, locations, providers, resource groups, resources."""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain import resourcefilter, resourcegroups
from vmss_emulator.domain.context import DISPLAY_NAMES, LOCATIONS, Context
from vmss_emulator.domain.errors import MethodNotAllowed, ResourceNotFound
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.providers import provider_body
from vmss_emulator.server import lro
from vmss_emulator.server.http import HttpRequest, HttpResponse
from vmss_emulator.server.wire import api_version_of, check_arm_api_version, page, parse_body

SUBSCRIPTION_API_VERSIONS = (
    "2014-04-01", "2015-01-01", "2015-11-01", "2016-01-01", "2016-02-01", "2016-06-01", "2016-09-01",
    "2017-05-10", "2017-06-01", "2017-08-01", "2018-01-01", "2018-02-01", "2018-05-01", "2018-06-01",
    "2019-03-01", "2019-05-01", "2019-05-10", "2019-06-01", "2019-07-01", "2019-08-01", "2019-10-01",
    "2019-11-01", "2020-01-01", "2020-06-01", "2020-08-01", "2020-10-01", "2021-01-01", "2021-04-01",
    "2022-01-01", "2022-09-01", "2022-12-01", "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01",
    "2025-03-01", "2025-04-01",
)  # fmt: skip
PROVIDER_API_VERSIONS = SUBSCRIPTION_API_VERSIONS


def _check(request: HttpRequest, supported: tuple[str, ...]) -> str:
    version = api_version_of(request)
    check_arm_api_version(version, supported)
    return version


def _subscription_body(ctx: Context) -> dict[str, Any]:
    s = ctx.settings
    return {
        "id": f"/subscriptions/{s.subscription_id}",
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": s.subscription_id,
        "tenantId": s.tenant_id,
        "displayName": s.subscription_name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
        "tags": {},
    }


def list_subscriptions(ctx: Context, request: HttpRequest) -> HttpResponse:
    _check(request, SUBSCRIPTION_API_VERSIONS)
    return HttpResponse.json(200, {"count": {"type": "Total", "value": 1}, "value": [_subscription_body(ctx)]})


def get_subscription(ctx: Context, request: HttpRequest) -> HttpResponse:
    _check(request, SUBSCRIPTION_API_VERSIONS)
    return HttpResponse.json(200, _subscription_body(ctx))


def list_tenants(ctx: Context, request: HttpRequest) -> HttpResponse:
    _check(request, SUBSCRIPTION_API_VERSIONS)
    tid = ctx.settings.tenant_id
    tenant = {
        "id": f"/tenants/{tid}",
        "tenantId": tid,
        "countryCode": "US",
        "displayName": "vmss-emulator",
        "domains": ["vmssemulator.onmicrosoft.com"],
        "tenantCategory": "Home",
        "defaultDomain": "vmssemulator.onmicrosoft.com",
        "tenantType": "AAD",
    }
    return HttpResponse.json(200, {"value": [tenant]})


def list_locations(ctx: Context, request: HttpRequest) -> HttpResponse:
    _check(request, SUBSCRIPTION_API_VERSIONS)
    sub = ctx.settings.subscription_id
    value = [
        {
            "id": f"/subscriptions/{sub}/locations/{name}",
            "name": name,
            "type": "Region",
            "displayName": DISPLAY_NAMES.get(name, name),
            "regionalDisplayName": DISPLAY_NAMES.get(name, name),
            "metadata": {"regionType": "Physical", "regionCategory": "Recommended"},
        }
        for name in LOCATIONS
    ]
    return HttpResponse.json(200, {"value": value})


# -- providers ------------------------------------------------------------------------------------


def list_providers(ctx: Context, request: HttpRequest) -> HttpResponse:
    _check(request, PROVIDER_API_VERSIONS)
    bodies = [provider_body(ctx, ns) for ns in ctx.types().namespaces()]
    return HttpResponse.json(200, {"value": [b for b in bodies if b]})


def get_provider(ctx: Context, request: HttpRequest, namespace: str) -> HttpResponse:
    _check(request, PROVIDER_API_VERSIONS)
    body = provider_body(ctx, namespace)
    if body is None:
        raise ResourceNotFound(f"The resource namespace '{namespace}' is invalid.", code="InvalidResourceNamespace")
    return HttpResponse.json(200, body)


def register_provider(ctx: Context, request: HttpRequest, namespace: str, action: str) -> HttpResponse:
    if request.method != "POST":
        raise MethodNotAllowed(f"The requested resource does not support http method '{request.method}'.")
    return get_provider(ctx, request, namespace)


def tenant_providers(ctx: Context, request: HttpRequest, segments: list[str]) -> HttpResponse:
    _check(request, PROVIDER_API_VERSIONS)
    if len(segments) == 1:
        bodies = [provider_body(ctx, ns, tenant_level=True) for ns in ctx.types().namespaces()]
        return HttpResponse.json(200, {"value": [b for b in bodies if b]})
    body = provider_body(ctx, segments[1], tenant_level=True)
    if body is None or len(segments) > 2:
        raise ResourceNotFound(f"The resource namespace '{segments[1]}' is invalid.", code="InvalidResourceNamespace")
    return HttpResponse.json(200, body)


# -- resource groups ------------------------------------------------------------------------------


def require_resource_group(ctx: Context, rid: ResourceId) -> None:
    resourcegroups.require(ctx, rid)


def list_resource_groups(ctx: Context, request: HttpRequest) -> HttpResponse:
    _check(request, resourcegroups.API_VERSIONS)
    if request.method != "GET":
        raise MethodNotAllowed(f"The requested resource does not support http method '{request.method}'.")
    groups = resourcegroups.list_groups(ctx, ctx.settings.subscription_id)
    return HttpResponse.json(200, page(request, groups, 1000))


def resource_group(ctx: Context, request: HttpRequest, rid: ResourceId) -> HttpResponse:
    version = _check(request, resourcegroups.API_VERSIONS)
    method = request.method
    if method in ("GET", "HEAD"):
        record = resourcegroups.require(ctx, rid)
        if method == "HEAD":
            return HttpResponse.empty(204)
        return HttpResponse.json(200, resourcegroups.view(record))
    if method == "PUT":
        body, _ = parse_body(request)
        with ctx.transaction():
            record, created = resourcegroups.create_or_update(ctx, rid, body)
        return HttpResponse.json(201 if created else 200, resourcegroups.view(record))
    if method == "PATCH":
        body, _ = parse_body(request)
        with ctx.transaction():
            record = resourcegroups.patch(ctx, rid, body)
        return HttpResponse.json(200, resourcegroups.view(record))
    if method == "DELETE":
        resourcegroups.check_name(rid.resource_group or "")
        with ctx.transaction():
            op = resourcegroups.begin_delete(ctx, rid)
        if op is None:
            raise ResourceNotFound(
                f"Resource group '{rid.resource_group}' could not be found.", code="ResourceGroupNotFound"
            )
        return HttpResponse.empty(202, lro.headers_for(ctx, op, version, "location"))
    raise MethodNotAllowed(f"The requested resource does not support http method '{method}'.")


def list_resources(ctx: Context, request: HttpRequest, scope: ResourceId) -> HttpResponse:
    """Top-level resources of a group (or subscription), as `az resource list` shows them, with `$filter`."""
    _check(request, resourcegroups.API_VERSIONS)
    items = resourcefilter.list_resources(
        ctx, scope, resourcefilter.parse_resource_filter(request.query.get("$filter"))
    )
    return HttpResponse.json(200, page(request, items, 1000))

"""From an HTTP request to the domain call that answers it.

`Dispatcher.handle` is synchronous and framework-free: the ASGI adapter (real HTTPS clients) and the
in-process azure-core transport (tests) both call it, so both see exactly the same behaviour.
"""

from __future__ import annotations

import logging
import re

from vmss_emulator.domain.catalog.images import az_image_alias_doc
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import (
    ArmError,
    InternalServerError,
    InvalidResourceType,
    InvalidSubscriptionId,
    ResourceNotFound,
    SubscriptionNotFound,
)
from vmss_emulator.domain.identity import TokenIssuer
from vmss_emulator.domain.ids import ResourceId, is_guid, new_guid
from vmss_emulator.server import aad, arm, lro, resources
from vmss_emulator.server.errors import render
from vmss_emulator.server.http import HttpRequest, HttpResponse

log = logging.getLogger("vmss_emulator.server")

_SLASHES = re.compile(r"/{2,}")
_OPERATION_SEGMENTS = {"operations", "operationresults", "operationstatuses", "asyncoperations"}


class Dispatcher:
    def __init__(self, ctx: Context, issuer: TokenIssuer) -> None:
        self.ctx = ctx
        self.issuer = issuer

    def handle(self, request: HttpRequest) -> HttpResponse:
        request_id = new_guid()
        try:
            response = self._route(request)
        except ArmError as error:
            response = render(error)
        except Exception:  # a bug must still answer with ARM's envelope, never a traceback
            log.exception("unhandled error for %s %s", request.method, request.path)
            response = render(InternalServerError("An internal server error occurred. Please try again."))
        headers = response.headers
        headers.setdefault("x-ms-request-id", request_id)
        headers.setdefault(
            "x-ms-correlation-request-id", request.headers.get_ci("x-ms-correlation-request-id") or request_id
        )
        headers.setdefault("x-ms-routing-request-id", f"EMULATOR:{request_id}")
        client_request_id = request.headers.get_ci("x-ms-client-request-id")
        if client_request_id:
            headers.setdefault("x-ms-client-request-id", client_request_id)
        headers.setdefault("Cache-Control", "no-cache")
        if request.method == "HEAD":
            response.body = b""
        return response

    # -- routing ----------------------------------------------------------------------------------

    def _route(self, request: HttpRequest) -> HttpResponse:
        path = _SLASHES.sub("/", request.path).rstrip("/") or "/"
        request.path = path
        self.ctx.base_url = request.base_url
        segments = path.strip("/").split("/") if path != "/" else []
        lowered = [s.lower() for s in segments]
        if not segments:
            raise ResourceNotFound("The requested resource was not found.", code="NotFound")
        if lowered[:2] == ["metadata", "endpoints"]:
            return aad.cloud_metadata(request)
        if lowered[:2] == ["metadata", "vm-image-aliases"]:
            return HttpResponse.json(200, az_image_alias_doc())
        if lowered[0] not in ("subscriptions", "tenants", "providers"):
            return aad.route(self.issuer, request, segments)
        self.issuer.verify_header(request.headers.get_ci("authorization"))
        if lowered[0] == "tenants":
            return arm.list_tenants(self.ctx, request)
        if lowered[0] == "providers":
            return arm.tenant_providers(self.ctx, request, segments)
        return self._subscription(request, segments, lowered)

    def _subscription(self, request: HttpRequest, segments: list[str], lowered: list[str]) -> HttpResponse:
        if len(segments) == 1:
            return arm.list_subscriptions(self.ctx, request)
        sub = segments[1]
        if not is_guid(sub):
            raise InvalidSubscriptionId(f"The provided subscription identifier '{sub}' is malformed or invalid.")
        if sub.lower() != self.ctx.settings.subscription_id.lower():
            raise SubscriptionNotFound(f"The subscription '{sub}' could not be found.")
        sub = self.ctx.settings.subscription_id
        rest, rest_lower = segments[2:], lowered[2:]
        if not rest:
            return arm.get_subscription(self.ctx, request)
        head = rest_lower[0]
        if head == "locations" and len(rest) == 1:
            return arm.list_locations(self.ctx, request)
        if head == "operationresults" and len(rest) == 2:
            return lro.poll(self.ctx, request, rest[1], style="location")
        if head == "resources" and len(rest) == 1:
            return arm.list_resources(self.ctx, request, ResourceId(sub))
        if head == "resourcegroups":
            return self._resource_group(request, sub, rest[1:], rest_lower[1:])
        if head == "providers":
            return self._provider(request, ResourceId(sub), rest[1:], rest_lower[1:])
        raise ResourceNotFound(f"The resource type '{rest[0]}' could not be found.", code="InvalidResourceType")

    def _resource_group(self, request: HttpRequest, sub: str, rest: list[str], lowered: list[str]) -> HttpResponse:
        if not rest:
            return arm.list_resource_groups(self.ctx, request)
        rid = ResourceId(sub, rest[0])
        if len(rest) == 1:
            return arm.resource_group(self.ctx, request, rid)
        if lowered[1] == "resources" and len(rest) == 2:
            arm.require_resource_group(self.ctx, rid)
            return arm.list_resources(self.ctx, request, rid)
        if lowered[1] == "providers" and len(rest) >= 3:
            return self._provider(request, rid, rest[2:], lowered[2:])
        if lowered[1] == "deployments" and len(rest) >= 4:
            # ARM's short form for deployment operations: {rg}/deployments/{name}/operations[/{id}].
            ns = "Microsoft.Resources"
            return self._provider(request, rid, [ns, *rest[1:]], [ns.lower(), *lowered[1:]])
        raise InvalidResourceType(f"The resource type '{rest[1]}' could not be found in the namespace ''.")

    def _provider(self, request: HttpRequest, scope: ResourceId, rest: list[str], lowered: list[str]) -> HttpResponse:
        """`.../providers/{namespace}/...` at subscription or resource-group scope."""
        if not rest:
            if scope.resource_group is None:
                return arm.list_providers(self.ctx, request)
            raise InvalidResourceType("The resource type could not be found.")
        namespace = rest[0]
        if scope.resource_group is None:
            if len(rest) == 1:
                return arm.get_provider(self.ctx, request, namespace)
            if len(rest) == 2 and lowered[1] in ("register", "unregister"):
                return arm.register_provider(self.ctx, request, namespace, lowered[1])
        # Operation status and result URLs, whatever provider issued them.
        if _is_operation_path(lowered):
            style = "location" if lowered[-2] != "operations" or request.query.get_ci("monitor") else "async"
            if lowered[-2] in ("operationstatuses", "asyncoperations"):
                style = "async"
            return lro.poll(self.ctx, request, rest[-1], style=style)
        registry = self.ctx.types()
        if namespace.lower() not in {ns.lower() for ns in registry.namespaces()}:
            # A provider the emulator does not model answers as ARM does for a type it does not know
            # (not MissingSubscriptionRegistration: azure-mgmt-core would then try to register it and
            # poll for a registration that can never happen).
            type_name = rest[1] if len(rest) > 1 else ""
            version = request.query.get_ci("api-version") or ""
            raise InvalidResourceType(
                f"The resource type '{type_name}' could not be found in the namespace '{namespace}' for api version "
                f"'{version}'."
            )
        return resources.dispatch(self.ctx, request, scope, namespace, rest[1:])


def _is_operation_path(lowered: list[str]) -> bool:
    # {ns}/locations/{loc}/operations/{id}, {ns}/operationResults/{id}, .../deployments/{d}/operationStatuses/{id}
    if len(lowered) >= 4 and lowered[-4] == "deployments" and lowered[-2] == "operations":
        return False  # a deployment's provisioning operation, not an operation status
    return len(lowered) >= 3 and lowered[-2] in _OPERATION_SEGMENTS

"""Resource providers as ARM describes them: what `/providers/{namespace}` and the template `providers()` return.

Built from the registry, so a provider lists exactly the types and api-versions the emulator answers.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.context import DISPLAY_NAMES, LOCATIONS, Context
from vmss_emulator.domain.registry import ResourceType

_ALWAYS_PRESENT = "Microsoft.Resources"


def _type_body(resource_type: ResourceType) -> dict[str, Any]:
    return {
        "resourceType": resource_type.full_type.split("/", 1)[1],
        "locations": [DISPLAY_NAMES[loc] for loc in LOCATIONS],
        "apiVersions": sorted(resource_type.api_versions, reverse=True),
        "defaultApiVersion": max(v for v in resource_type.api_versions if "preview" not in v),
        "capabilities": "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove",
    }


def provider_body(ctx: Context, namespace: str, *, tenant_level: bool = False) -> dict[str, Any] | None:
    """The provider document, or None when the emulator has no such namespace."""
    grouped = ctx.types().namespaces()
    match = next((ns for ns in grouped if ns.lower() == namespace.lower()), None)
    if match is None and namespace.lower() != _ALWAYS_PRESENT.lower():
        return None
    name = match or _ALWAYS_PRESENT
    types = [_type_body(resource_type) for resource_type in grouped.get(name, [])]
    body: dict[str, Any] = {"namespace": name, "resourceTypes": types}
    if tenant_level:
        body["id"] = f"/providers/{name}"
    else:
        body["id"] = f"/subscriptions/{ctx.settings.subscription_id}/providers/{name}"
        body["registrationState"] = "Registered"
        body["registrationPolicy"] = "RegistrationRequired"
    return body


def provider_catalog(ctx: Context) -> dict[str, dict[str, dict[str, Any]]]:
    """Lower-case namespace -> lower-case type name -> what the template function `providers()` returns.

    Handed to the pure template layer as data, so templates can call `providers()` anywhere.
    """
    catalog: dict[str, dict[str, dict[str, Any]]] = {}
    for namespace, resource_types in ctx.types().namespaces().items():
        entries = catalog.setdefault(namespace.lower(), {})
        for resource_type in resource_types:
            body = _type_body(resource_type)
            entries[str(body["resourceType"]).lower()] = {
                "namespace": namespace,
                "resourceType": body["resourceType"],
                "locations": body["locations"],
                "apiVersions": body["apiVersions"],
            }
    return catalog

"""Deployment and resource functions: parameters, variables, copyIndex, resourceId, reference, list*..."""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.templates._registry import Invocation, function
from vmss_emulator.domain.templates.context import Resolver
from vmss_emulator.domain.templates.resource_ids import is_resource_id, provider_path
from vmss_emulator.domain.templates.scope import ExpressionError

_ENVIRONMENT: dict[str, Any] = {
    "name": "AzureCloud",
    "gallery": "https://gallery.azure.com/",
    "graph": "https://graph.windows.net/",
    "portal": "https://portal.azure.com",
    "graphAudience": "https://graph.windows.net/",
    "activeDirectoryDataLake": "https://datalake.azure.net/",
    "batch": "https://batch.core.windows.net/",
    "media": "https://rest.media.azure.net",
    "sqlManagement": "https://management.core.windows.net:8443/",
    "vmImageAliasDoc": "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json",
    "resourceManager": "https://management.azure.com/",
    "authentication": {
        "loginEndpoint": "https://login.microsoftonline.com/",
        "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
        "tenant": "common",
        "identityProvider": "AAD",
    },
    "suffixes": {
        "acrLoginServer": ".azurecr.io",
        "azureDatalakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
        "azureDatalakeStoreFileSystem": "azuredatalakestore.net",
        "azureFrontDoorEndpointSuffix": "azurefd.net",
        "keyvaultDns": ".vault.azure.net",
        "sqlServerHostname": ".database.windows.net",
        "storage": "core.windows.net",
    },
}


@function("parameters", 1)
def parameters(inv: Invocation) -> Any:
    return inv.scope.parameter(inv.string(0))


@function("variables", 1)
def variables(inv: Invocation) -> Any:
    return inv.scope.variable(inv.string(0))


@function("copyIndex", 0, 2)
def copy_index(inv: Invocation) -> Any:
    loop: str | None = None
    offset = 0
    if inv.args and isinstance(inv.args[0], str):
        loop = inv.args[0]
        offset = inv.integer(1) if len(inv.args) > 1 else 0
    elif inv.args:
        offset = inv.integer(0)
    key = loop.lower() if loop is not None else None
    if key not in inv.scope.copy_indices:
        if loop is not None and inv.scope.copy_indices:
            raise ExpressionError(
                f"The template function 'copyIndex' has an invalid loop name '{loop}'. "
                "Please see https://aka.ms/arm-copy for usage details."
            )
        raise ExpressionError(
            "The template function 'copyIndex' is not expected at this location. "
            "Please see https://aka.ms/arm-copy for usage details."
        )
    return inv.scope.copy_indices[key] + offset


def _type_and_names(inv: Invocation, first: int) -> tuple[int, str, str]:
    """Find the resource type (the first argument with a '/') at or after `first`; join the names after it."""
    strings = [inv.string(i) for i in range(len(inv.args))]
    for index in range(first, len(strings)):
        if "/" in strings[index]:
            names = strings[index + 1 :]
            if not names:
                break
            return index, strings[index], "/".join(names)
    raise inv.fail("the resource type and at least one resource name must be provided")


def _path(inv: Invocation, resource_type: str, name: str) -> str:
    try:
        return provider_path(resource_type, name)
    except ExpressionError as error:
        raise inv.fail(error.message.rstrip(".")) from error


@function("resourceId", 2, None)
def resource_id(inv: Invocation) -> Any:
    context = inv.scope.context
    index, resource_type, name = _type_and_names(inv, 0)
    prefix = [inv.string(i) for i in range(index)]
    if len(prefix) > 2:
        raise inv.fail("at most a subscription id and a resource group name may precede the resource type")
    subscription_id = prefix[0] if len(prefix) == 2 else context.subscription_id
    resource_group = prefix[-1] if prefix else context.resource_group_name
    return f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/{_path(inv, resource_type, name)}"


@function("subscriptionResourceId", 2, None)
def subscription_resource_id(inv: Invocation) -> Any:
    index, resource_type, name = _type_and_names(inv, 0)
    if index > 1:
        raise inv.fail("only a subscription id may precede the resource type")
    subscription_id = inv.string(0) if index == 1 else inv.scope.context.subscription_id
    return f"/subscriptions/{subscription_id}/{_path(inv, resource_type, name)}"


@function("tenantResourceId", 2, None)
def tenant_resource_id(inv: Invocation) -> Any:
    index, resource_type, name = _type_and_names(inv, 0)
    if index:
        raise inv.fail("the first parameter must be the resource type")
    return f"/{_path(inv, resource_type, name)}"


@function("extensionResourceId", 3, None)
def extension_resource_id(inv: Invocation) -> Any:
    _, resource_type, name = _type_and_names(inv, 1)
    return f"{inv.string(0).rstrip('/')}/{_path(inv, resource_type, name)}"


@function("providers", 1, 2)
def providers(inv: Invocation) -> Any:
    namespace = inv.string(0)
    types = inv.scope.context.providers.get(namespace.lower())
    if types is None:
        raise inv.fail(f"the resource provider namespace '{namespace}' is not registered")
    if len(inv.args) == 1:
        entries = [{k: v for k, v in entry.items() if k != "namespace"} for entry in types.values()]
        return {"namespace": next(iter(types.values()))["namespace"] if types else namespace, "resourceTypes": entries}
    type_name = inv.string(1)
    entry = types.get(type_name.lower())
    if entry is None:
        raise inv.fail(f"the resource type '{namespace}/{type_name}' is not registered")
    return {
        "resourceType": entry["resourceType"],
        "locations": list(entry["locations"]),
        "apiVersions": list(entry["apiVersions"]),
    }


@function("resourceGroup", 0)
def resource_group(inv: Invocation) -> Any:
    context = inv.scope.context
    return {
        "id": context.resource_group_id,
        "name": context.resource_group_name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": context.resource_group_location,
        "tags": dict(context.resource_group_tags),
        "properties": {"provisioningState": "Succeeded"},
    }


@function("subscription", 0)
def subscription(inv: Invocation) -> Any:
    context = inv.scope.context
    return {
        "id": context.subscription_resource_id,
        "subscriptionId": context.subscription_id,
        "tenantId": context.tenant_id,
        "displayName": context.subscription_display_name,
    }


@function("tenant", 0)
def tenant(inv: Invocation) -> Any:
    tenant_id = inv.scope.context.tenant_id
    return {"id": f"/tenants/{tenant_id}", "tenantId": tenant_id, "countryCode": "US", "displayName": "Emulated tenant"}


@function("deployment", 0)
def deployment(inv: Invocation) -> Any:
    context = inv.scope.context
    return {
        "name": context.deployment_name,
        "properties": {
            "template": dict(inv.scope.template_summary),
            "mode": context.deployment_mode,
            "provisioningState": "Accepted",
        },
    }


@function("environment", 0)
def environment(inv: Invocation) -> Any:
    return {**_ENVIRONMENT, "name": inv.scope.context.environment_name}


def _target(inv: Invocation) -> tuple[str, str | None]:
    """The resource id and default api-version that reference()/list*() point at."""
    name_or_id = inv.string(0)
    declared = inv.scope.declared_resource(name_or_id)
    if declared is not None:
        return declared.id, declared.api_version
    if is_resource_id(name_or_id):
        return name_or_id, None
    raise ExpressionError(
        f"The template reference '{name_or_id}' is not valid: could not find template resource or resource copy "
        "with this name. Please see https://aka.ms/arm-function-reference for usage details."
    )


def _require_resolver(inv: Invocation) -> Resolver:
    # Without a resolver we are validating (names, variables, conditions): Azure refuses reference() there.
    if inv.scope.resolver is None:
        raise ExpressionError(
            f"The template function '{inv.name}' is not expected at this location. "
            "Please see https://aka.ms/arm-functions for usage details."
        )
    return inv.scope.resolver


@function("reference", 1, 3)
def reference(inv: Invocation) -> Any:
    resolver = _require_resolver(inv)
    resource_id_, default_api_version = _target(inv)
    api_version = inv.string(1) if len(inv.args) > 1 else default_api_version
    full = len(inv.args) > 2 and inv.string(2).lower() == "full"
    return resolver.reference(resource_id_, api_version, full)


def invoke_list(inv: Invocation) -> Any:
    """Any `list*` function (listKeys, listSecrets...): delegated to the resolver by name."""
    if len(inv.args) not in (2, 3):
        raise inv.fail("function requires 2 or 3 argument(s): resource name or id, api version, [function values]")
    resolver = _require_resolver(inv)
    resource_id_, _ = _target(inv)
    if len(inv.args) == 2:
        # Resolvers written against the three-argument form keep working when no body is given.
        return resolver.invoke_list(resource_id_, inv.name, inv.string(1))
    return resolver.invoke_list(resource_id_, inv.name, inv.string(1), inv.args[2])

"""Applying one template resource through exactly the code path a REST request takes.

The resource's id is resolved against the registry as the server resolves a URL
(`Registry.resolve_id`), its api-version checked against the type, its body canonicalised
(`casing.canonicalize`) and coerced leniently (`coerce.coerce_body`), and the type's `put` is called
inside a transaction. `reference()` reads through the type's `get`, the view a GET returns.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator._utils.casing import canonicalize
from vmss_emulator.domain import resourcegroups
from vmss_emulator.domain.bodyshape import check_body
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments.coerce import coerce_body
from vmss_emulator.domain.errors import InvalidResourceType, NoRegisteredProviderFound
from vmss_emulator.domain.ids import ResourceId, check_resource_name
from vmss_emulator.domain.registry import Call, Outcome, ResourceType

# Members of an evaluated template resource that address it rather than describe it.
_ADDRESSING = frozenset({"id", "type", "name", "apiversion"})


def resolve(ctx: Context, resource_id: str) -> tuple[ResourceType, ResourceId]:
    """The registered type of `resource_id` (InvalidResourceType when the emulator does not model it)."""
    try:
        rid = ResourceId.parse(resource_id)
    except ValueError:
        raise InvalidResourceType(f"The resource id '{resource_id}' is not valid.") from None
    try:
        return ctx.types().resolve_id(rid)
    except InvalidResourceType:
        raise InvalidResourceType(
            f"The resource type '{rid.full_type}' could not be found in the namespace '{rid.namespace}'. "
            "The emulator models only the resource types listed by GET /subscriptions/{id}/providers."
        ) from None


def check_api_version(resource_type: ResourceType, api_version: str | None, location: str) -> str:
    """The api-version to call the type with; ARM's 400 when the type does not accept it."""
    if not api_version:
        return resource_type.api_versions[-1]
    accepted = {v.lower(): v for v in resource_type.api_versions}
    if api_version.lower() not in accepted:
        short_type = resource_type.full_type.split("/", 1)[1]
        raise NoRegisteredProviderFound(
            f"No registered resource provider found for location '{location}' and API version '{api_version}' "
            f"for type '{short_type}'. The supported api-versions are '{', '.join(resource_type.api_versions)}'. "
            "The supported locations are 'eastus, westus, ...'."
        )
    return accepted[api_version.lower()]


def request_body(evaluated: dict[str, Any]) -> dict[str, Any]:
    """The request body the resource provider receives for an evaluated template resource."""
    body = {key: value for key, value in evaluated.items() if key.lower() not in _ADDRESSING}
    coerced = coerce_body(body)
    canonical: dict[str, Any] = canonicalize(coerced)
    return canonical


def put_resource(ctx: Context, evaluated: dict[str, Any], location: str) -> Outcome:
    """PUT one evaluated template resource; raises the resource type's own ArmError on refusal."""
    resource_type, rid = resolve(ctx, str(evaluated["id"]))
    api_version = check_api_version(resource_type, evaluated.get("apiVersion"), location)
    resourcegroups.require(ctx, rid, for_write=True)
    check_resource_name(rid.name, resource_type.full_type)
    body = request_body(evaluated)
    check_body(resource_type.full_type, "PUT", body)
    call = Call(ctx=ctx, method="PUT", rid=rid, api_version=api_version, body=body, body_present=True)
    with ctx.transaction():
        return resource_type.put(call)


def delete_resource(ctx: Context, resource_id: str) -> Outcome:
    resource_type, rid = resolve(ctx, resource_id)
    call = Call(ctx=ctx, method="DELETE", rid=rid, api_version=resource_type.api_versions[-1])
    with ctx.transaction():
        return resource_type.delete(call)


def get_resource(ctx: Context, resource_id: str, api_version: str | None = None) -> dict[str, Any]:
    """What GET returns for the resource; the type's not-found error when it does not exist."""
    resource_type, rid = resolve(ctx, resource_id)
    version = api_version if api_version else resource_type.api_versions[-1]
    body = resource_type.get(Call(ctx=ctx, method="GET", rid=rid, api_version=version)).body
    return dict(body) if isinstance(body, dict) else {}


class StoreResolver:
    """The templates package's `Resolver`: `reference()` and `list*()` read the emulator's real state."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def reference(self, resource_id: str, api_version: str | None, full: bool) -> dict[str, Any]:
        document = get_resource(self.ctx, resource_id, api_version)
        if full:
            return document
        properties = document.get("properties")
        return dict(properties) if isinstance(properties, dict) else {}

    def invoke_list(
        self, resource_id: str, function_name: str, api_version: str, body: Any | None = None
    ) -> dict[str, Any]:
        resource_type, rid = resolve(self.ctx, resource_id)
        call = Call(
            ctx=self.ctx,
            method="POST",
            rid=rid,
            api_version=api_version or resource_type.api_versions[-1],
            endpoint=function_name,
            body=body,
            body_present=body is not None,
        )
        result = resource_type.post_action(call).body
        return dict(result) if isinstance(result, dict) else {}

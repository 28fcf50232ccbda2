"""The resource types the emulator models, and the contract each one implements.

The server turns a request into a `Call` (which resource, which collection or endpoint, the body,
the api-version) and asks the registered `ResourceType` for an `Outcome` (status, body, and the
long-running operation it started, if any). Resource types never see HTTP; the server never sees
rules. A type registered here is also what `GET /providers` reports, with its api-versions.

Routing rule (used by the server): after `/providers/{namespace}`, segments alternate type/name as
long as `namespace/type/.../type` is registered; whatever is left over is an *endpoint* of the last
resource (`instanceView`, `start`, `rollingUpgrades/latest`), handled by `get_endpoint` (GET) or
`post_action` (POST).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from vmss_emulator.domain.context import CaseInsensitiveDict, Context
from vmss_emulator.domain.errors import InvalidResourceType, MethodNotAllowed, NotFound, ResourceNotFound
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.store import OperationRecord, Record


@dataclass
class Call:
    """One request as the domain sees it."""

    ctx: Context
    method: str
    rid: ResourceId
    api_version: str
    # For collection calls: the child type being listed under `rid` (`rid` is then the parent or scope).
    collection: str | None = None
    # For endpoint calls: what follows the resource (`instanceView`, `rollingUpgrades/latest`).
    endpoint: str | None = None
    query: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    headers: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    body: Any = None
    body_present: bool = False

    def q(self, name: str, default: str | None = None) -> str | None:
        return self.query.get_ci(name, default)

    def flag(self, name: str) -> bool:
        return (self.q(name) or "").lower() == "true"


@dataclass
class Outcome:
    """What a resource type answers. The server renders it, adding LRO headers for `operation`.

    `lro` says which headers Azure sends for this kind of call: "async" (Azure-AsyncOperation only,
    as compute PUTs do), "location" (Location only, as ARM's resource-group delete does) or "both"
    (as compute POST actions and DELETEs do).
    """

    status: int
    body: Any = None
    operation: OperationRecord | None = None
    lro: str = "async"
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class ResourceType:
    """Base class of every modelled resource type. Subclasses override what their type supports."""

    full_type: ClassVar[str]
    api_versions: ClassVar[tuple[str, ...]]
    # Network RP answers a missing child with code NotFound; ARM answers ResourceNotFound.
    child_not_found_code: ClassVar[str] = "ResourceNotFound"

    def get(self, call: Call) -> Outcome:
        raise MethodNotAllowed(f"The requested resource does not support http method '{call.method}'.")

    def list(self, call: Call) -> list[dict[str, Any]]:
        raise MethodNotAllowed(f"The requested resource does not support http method '{call.method}'.")

    def put(self, call: Call) -> Outcome:
        raise MethodNotAllowed(f"The requested resource does not support http method '{call.method}'.")

    def patch(self, call: Call) -> Outcome:
        raise MethodNotAllowed(f"The requested resource does not support http method '{call.method}'.")

    def delete(self, call: Call) -> Outcome:
        raise MethodNotAllowed(f"The requested resource does not support http method '{call.method}'.")

    def head(self, call: Call) -> Outcome:
        self.get(call)
        return Outcome(status=204)

    def get_endpoint(self, call: Call) -> Outcome:
        raise not_found(call.rid, endpoint=call.endpoint)

    def post_action(self, call: Call) -> Outcome:
        raise not_found(call.rid, endpoint=call.endpoint)

    def current_etag(self, call: Call) -> str | None:
        """The etag If-Match / If-None-Match are checked against; None when the resource does not exist."""
        record = call.ctx.store.get(call.rid.key)
        return record.etag if record else None


def not_found(rid: ResourceId, *, endpoint: str | None = None, network: bool = False) -> ResourceNotFound:
    """ARM's 404 for a missing resource, worded as Azure words it."""
    if len(rid.types) > 1 or endpoint:
        path = str(rid) + (f"/{endpoint}" if endpoint else "")
        if network:
            return NotFound(f"Resource {path} not found.", details=[])
        return ResourceNotFound(
            f"The Resource '{rid.full_type}/{'/'.join(rid.names)}' under resource group '{rid.resource_group}' "
            "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        )
    return ResourceNotFound(
        f"The Resource '{rid.full_type}/{rid.name}' under resource group '{rid.resource_group}' was not found. "
        "For more details please go to https://aka.ms/ARMResourceNotFoundFix"
    )


def require(call: Call, record: Record | None) -> Record:
    if record is None:
        raise not_found(call.rid, network=(call.rid.namespace or "").lower() == "microsoft.network")
    return record


class Registry:
    """Every modelled resource type, looked up case-insensitively by its full type."""

    def __init__(self) -> None:
        self._types: dict[str, ResourceType] = {}

    def register(self, resource_type: ResourceType) -> None:
        self._types[resource_type.full_type.lower()] = resource_type

    def lookup(self, full_type: str) -> ResourceType | None:
        return self._types.get(full_type.lower())

    def all(self) -> list[ResourceType]:
        return list(self._types.values())

    def namespaces(self) -> dict[str, list[ResourceType]]:
        grouped: dict[str, list[ResourceType]] = {}
        for resource_type in self._types.values():
            namespace = resource_type.full_type.split("/", 1)[0]
            grouped.setdefault(namespace, []).append(resource_type)
        return grouped

    def resolve(
        self, scope: ResourceId, namespace: str, rest: list[str]
    ) -> tuple[ResourceType, ResourceId, str | None, str | None]:
        """(type, resource-or-parent id, collection type name, endpoint) for `{namespace}/{rest...}` under `scope`.

        Segments alternate type/name while `namespace/type/...` is registered; a trailing type name
        is a collection, anything left over is an endpoint. Raises InvalidResourceType (its message
        carries an `{api}` placeholder for the caller's api-version) when the first type is unknown.
        """
        canonical_ns = next((ns for ns in self.namespaces() if ns.lower() == namespace.lower()), namespace)
        types: list[str] = []
        names: list[str] = []
        resolved: ResourceType | None = None
        i = 0
        while i < len(rest):
            candidate = self.lookup("/".join((canonical_ns, *types, rest[i])))
            if candidate is None:
                break
            canonical_type = candidate.full_type.split("/")[-1]
            if i + 1 == len(rest):
                rid = ResourceId(scope.subscription_id, scope.resource_group, canonical_ns, tuple(types), tuple(names))
                return candidate, rid, canonical_type, None
            types.append(canonical_type)
            names.append(rest[i + 1])
            resolved = candidate
            i += 2
        if resolved is None:
            first = rest[0] if rest else ""
            raise InvalidResourceType(
                f"The resource type '{first}' could not be found in the namespace '{canonical_ns}' for api version "
                "'{api}'."
            )
        rid = ResourceId(scope.subscription_id, scope.resource_group, canonical_ns, tuple(types), tuple(names))
        endpoint = "/".join(rest[i:]) if i < len(rest) else None
        return resolved, rid, None, endpoint

    def resolve_id(self, rid: ResourceId) -> tuple[ResourceType, ResourceId]:
        """The registered type of a full resource id and the id with canonical type names.

        Raises InvalidResourceType when the id's type (with every segment) is not registered.
        """
        if rid.namespace is None:
            raise InvalidResourceType(f"The resource type '{rid.full_type}' could not be found.")
        rest = [part for pair in zip(rid.types, rid.names, strict=True) for part in pair]
        scope = ResourceId(rid.subscription_id, rid.resource_group)
        resource_type, resolved, collection, endpoint = self.resolve(scope, rid.namespace, rest)
        if collection is not None or endpoint is not None or len(resolved.types) != len(rid.types):
            raise InvalidResourceType(
                f"The resource type '{rid.full_type}' could not be found in the namespace '{rid.namespace}'."
            )
        return resource_type, resolved

"""Shared pieces of the Network RP: its error codes, reference checks and sub-resource shapes."""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest, InvalidRequestContent, InvalidResourceReference
from vmss_emulator.domain.ids import ResourceId, parse_reference
from vmss_emulator.store import Record

NETWORK_NS = "Microsoft.Network"


class InUseSubnetCannotBeDeleted(BadRequest):
    pass


class InUseNetworkSecurityGroupCannotBeDeleted(BadRequest):
    pass


class InUseRouteTableCannotBeDeleted(BadRequest):
    pass


class InUseNatGatewayCannotBeDeleted(BadRequest):
    pass


class PublicIPAddressInUse(BadRequest):
    code = "PublicIPAddressInUse"


class PublicIpPrefixInUse(BadRequest):
    pass


class LoadBalancerInUseByVirtualMachineScaleSet(BadRequest):
    pass


class ApplicationGatewayBackendAddressPoolInUse(BadRequest):
    pass


class InvalidRequestFormat(BadRequest):
    pass


def ref(value: Any) -> str | None:
    """The id of an `{"id": ...}` sub-resource reference, or None when absent."""
    if isinstance(value, dict):
        rid = value.get("id")
        return str(rid) if rid else None
    return None


def ref_list(value: Any, target: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRequestContent(f"The request content was invalid and could not be deserialized. Path '{target}'.")
    out = []
    for item in value:
        rid = ref(item)
        if rid:
            out.append(rid)
    return out


def missing_reference(referenced: str, by: str) -> InvalidResourceReference:
    return InvalidResourceReference(
        f"Resource {referenced} referenced by resource {by} was not found. Please make sure that the referenced "
        "resource exists, and that both resources are in the same region.",
        details=[],
    )


def load_referenced(ctx: Context, referenced: str, full_type: str, by: str, target: str) -> Record:
    """The stored top-level resource an id points at, or Azure's InvalidResourceReference."""
    rid = parse_reference(referenced, target=target)
    if rid.type_key != full_type.lower():
        raise missing_reference(referenced, by)
    record = ctx.store.get(rid.key)
    if record is None or record.type_key != full_type.lower():
        raise missing_reference(referenced, by)
    return record


def find_item(record: Record, collection: str, name: str) -> dict[str, Any] | None:
    """An inline sub-resource (subnet, pool, rule ...) of a stored document, by case-insensitive name."""
    for item in record.body.get("properties", {}).get(collection, []) or []:
        if str(item.get("name", "")).lower() == name.lower():
            return dict(item)
    return None


def load_child(
    ctx: Context, referenced: str, parent_type: str, collection: str, by: str, target: str
) -> tuple[Record, dict[str, Any]]:
    """(parent record, inline item) for a child reference such as a subnet or backend pool id."""
    rid = parse_reference(referenced, target=target)
    if len(rid.types) != 2 or rid.parent is None or rid.types[1].lower() != collection.lower():
        raise missing_reference(referenced, by)
    parent = ctx.store.get(rid.parent.key)
    if parent is None or parent.type_key != parent_type.lower():
        raise missing_reference(referenced, by)
    item = find_item(parent, collection, rid.name)
    if item is None:
        raise missing_reference(referenced, by)
    return parent, item


def child_id(parent_id: str, collection: str, name: str) -> str:
    return f"{parent_id}/{collection}/{name}"


def sub_resource(
    parent: str, collection: str, item: dict[str, Any], etag: str, full_type: str | None
) -> dict[str, Any]:
    """An inline child as Azure renders it: name, id, etag, type, properties (provisioningState first)."""
    name = str(item.get("name", ""))
    shaped: dict[str, Any] = {"name": name, "id": child_id(parent, collection, name), "etag": etag}
    if full_type:
        shaped["type"] = full_type
    props = {"provisioningState": "Succeeded"}
    props.update({k: v for k, v in (item.get("properties") or {}).items() if k != "provisioningState"})
    shaped["properties"] = props
    return shaped


def same_id(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


def rid_of(text: str) -> ResourceId:
    return ResourceId.parse(text)


def require_list(value: Any, target: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRequestContent(f"The request content was invalid and could not be deserialized. Path '{target}'.")
    return value


def require_dict(value: Any, target: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequestContent(f"The request content was invalid and could not be deserialized. Path '{target}'.")
    return value

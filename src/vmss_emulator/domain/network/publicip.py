"""Public IP addresses (Microsoft.Network/publicIPAddresses).

Addresses come from the emulated pool 198.18.0.0/16 or from the referenced prefix (198.19.0.0/16).
A Static address is taken at creation; a Dynamic (Basic) one only while associated, as in Azure.
Whoever associates an address (a NIC ipconfig, a load balancer frontend) calls `associate` /
`dissociate`, which keep `properties.ipConfiguration` and refuse a second user.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import addressing, links
from vmss_emulator.domain.network.common import (
    PublicIPAddressInUse,
    load_referenced,
    ref,
    require_dict,
)
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

PIP_TYPE = "Microsoft.Network/publicIPAddresses"
PREFIX_TYPE = "Microsoft.Network/publicIPPrefixes"


class StandardSkuPublicIPAddressesMustBeStatic(BadRequest):
    pass


class PublicIPAddressSkuMismatchWithPublicIPPrefix(BadRequest):
    code = "PublicIpAddressSkuNotMatchingPublicIpPrefixSku"


class DnsRecordInUse(BadRequest):
    pass


class SkuCannotBeChangedOnUpdate(BadRequest):
    pass


class InvalidPublicIPIdleTimeout(BadRequest):
    code = "PublicIPIdleTimeoutIsOutOfRange"


def fqdn(label: str, location: str) -> str:
    return f"{label}.{location}.cloudapp.azure.com"


def settings(pip_id: str, sku_name: str, method: str | None, idle: Any) -> tuple[str, int]:
    """(allocation method, idle timeout) after Azure's defaults and checks."""
    allocation = method or ("Static" if sku_name == "Standard" else "Dynamic")
    if sku_name == "Standard" and allocation != "Static":
        raise StandardSkuPublicIPAddressesMustBeStatic(
            f"Standard sku publicIp {pip_id} must have AllocationMethod set to Static.", details=[]
        )
    timeout = 4 if idle is None else idle
    if not isinstance(timeout, int) or not 4 <= timeout <= 30:
        raise InvalidPublicIPIdleTimeout(
            f"The value of IdleTimeoutInMinutes for public IP {pip_id} is {timeout}; it must be between 4 and 30.",
            details=[],
        )
    return allocation, timeout


class PublicIPAddresses(TrackedResourceType):
    full_type = PIP_TYPE
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        pip_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        sku = require_dict(body.get("sku"), "sku")
        sku_name = str(sku.get("name") or (existing.body["sku"]["name"] if existing else "Basic"))
        sku_name = "Standard" if sku_name.lower() == "standard" else "Basic"
        if existing is not None and existing.body["sku"]["name"] != sku_name:
            raise SkuCannotBeChangedOnUpdate(
                f"Cannot change SKU of public IP address {pip_id} from {existing.body['sku']['name']} to {sku_name}.",
                details=[],
            )
        allocation, idle = settings(
            pip_id, sku_name, props.get("publicIPAllocationMethod"), props.get("idleTimeoutInMinutes")
        )
        document_props: dict[str, Any] = {
            "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
            "publicIPAddressVersion": props.get("publicIPAddressVersion", "IPv4"),
            "publicIPAllocationMethod": allocation,
            "idleTimeoutInMinutes": idle,
            "ipTags": copy.deepcopy(props.get("ipTags") or []),
        }
        dns = require_dict(props.get("dnsSettings"), "properties.dnsSettings")
        if dns.get("domainNameLabel"):
            location = existing.body["location"] if existing else self._location(call, None)
            label = str(dns["domainNameLabel"]).lower()
            claim_label(call.ctx, label, location, pip_id, call.rid.scope_key)
            document_props["dnsSettings"] = {"domainNameLabel": label, "fqdn": fqdn(label, location)}
        if existing is not None:
            old = existing.body["properties"].get("dnsSettings", {}).get("domainNameLabel")
            if old and old != document_props.get("dnsSettings", {}).get("domainNameLabel"):
                release_label(call.ctx, old, existing.body["location"])
        prefix_id = ref(props.get("publicIPPrefix"))
        if prefix_id:
            prefix = load_referenced(call.ctx, prefix_id, PREFIX_TYPE, pip_id, "properties.publicIPPrefix")
            if sku_name != "Standard":
                raise PublicIPAddressSkuMismatchWithPublicIPPrefix(
                    f"Public IP address {pip_id} with sku Basic cannot reference public IP prefix {prefix.id} with "
                    "sku Standard.",
                    details=[],
                )
            document_props["publicIPPrefix"] = {"id": prefix.id}
        if existing is not None:
            for kept in ("ipAddress", "ipConfiguration"):
                if kept in existing.body["properties"]:
                    document_props[kept] = existing.body["properties"][kept]
        document: dict[str, Any] = {"sku": {"name": sku_name, "tier": sku.get("tier", "Regional")}}
        if body.get("zones"):
            document["zones"] = list(body["zones"])
        document["properties"] = document_props
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def on_created(self, call: Call, record: Record) -> None:
        if record.body["properties"]["publicIPAllocationMethod"] == "Static":
            take_address(call.ctx, record)
            call.ctx.store.put(record)

    def on_updated(self, call: Call, record: Record, before: dict[str, Any]) -> None:
        props = record.body["properties"]
        if "ipAddress" not in props and (props["publicIPAllocationMethod"] == "Static" or "ipConfiguration" in props):
            take_address(call.ctx, record)
            call.ctx.store.put(record)

    def before_delete(self, call: Call, record: Record) -> None:
        user = ref(record.body["properties"].get("ipConfiguration"))
        if user:
            raise PublicIPAddressInUse(
                f"Public IP address {record.id} can not be deleted since it is still allocated to resource {user}. "
                "In order to delete the public IP, disassociate/detach the Public IP address from the resource.  To "
                "learn how to do this, see aka.ms/deletepublicip.",
                details=[],
            )

    def on_deleted(self, call: Call, record: Record) -> None:
        give_back_address(call.ctx, record)
        label = record.body["properties"].get("dnsSettings", {}).get("domainNameLabel")
        if label:
            release_label(call.ctx, label, record.body["location"])


def take_address(ctx: Context, record: Record, preferred: str | None = None) -> str:
    """Give the PIP document its address (from its prefix when it names one)."""
    props = record.body["properties"]
    if props.get("ipAddress"):
        return str(props["ipAddress"])
    prefix_id = ref(props.get("publicIPPrefix"))
    if prefix_id:
        prefix = ctx.store.get(prefix_id)
        assert prefix is not None
        address = addressing.allocate_from_prefix(
            ctx, prefix.id, prefix.body["properties"]["ipPrefix"], record.id, record.scope_key, preferred=preferred
        )
    else:
        address = addressing.allocate_public(ctx, record.id, record.scope_key, preferred=preferred)
    props["ipAddress"] = address
    return address


def _labels_id(location: str) -> str:
    return f"/providers/Microsoft.Network/locations/{location}/domainNameLabels"


def claim_label(ctx: Context, label: str, location: str, pip_id: str, scope_key: str) -> None:
    """DNS labels are unique per region (`label.region.cloudapp.azure.com` is one DNS name)."""
    holder = links.get(ctx, _labels_id(location), "labels", label)
    if holder is not None and str(holder.body.get("id", "")).lower() != pip_id.lower():
        raise DnsRecordInUse(f"DNS record {fqdn(label, location)} is already used by another public IP.", details=[])
    if holder is None:
        links.add(ctx, _labels_id(location), "labels", label, {"id": pip_id}, scope_key)


def release_label(ctx: Context, label: str, location: str) -> None:
    links.remove(ctx, _labels_id(location), "labels", label)


def give_back_address(ctx: Context, record: Record) -> None:
    props = record.body["properties"]
    address = props.pop("ipAddress", None)
    if not address:
        return
    prefix_id = ref(props.get("publicIPPrefix"))
    if prefix_id:
        addressing.release_from_prefix(ctx, prefix_id, address)
    else:
        addressing.release_public(ctx, address)


def associate(ctx: Context, pip_id: str, user_id: str, by: str, target: str) -> Record:
    """Point a standalone public IP at `user_id` (an ipconfig or LB frontend); refuse a second user."""
    record = load_referenced(ctx, pip_id, PIP_TYPE, by, target)
    props = record.body["properties"]
    current = ref(props.get("ipConfiguration"))
    if current and current.lower() != user_id.lower():
        raise PublicIPAddressInUse(
            f"Resource {by} is referencing public IP address {record.id} that is already allocated to resource "
            f"{current}.",
            details=[],
        )
    props["ipConfiguration"] = {"id": user_id}
    take_address(ctx, record)
    ctx.store.put(record)
    return record


def dissociate(ctx: Context, pip_id: str, user_id: str) -> None:
    record = ctx.store.get(pip_id)
    if record is None or record.type_key != PIP_TYPE.lower():
        return
    props = record.body["properties"]
    if (ref(props.get("ipConfiguration")) or "").lower() != user_id.lower():
        return
    props.pop("ipConfiguration", None)
    if props["publicIPAllocationMethod"] == "Dynamic":
        give_back_address(ctx, record)
    ctx.store.put(record)

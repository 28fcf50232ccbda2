"""Virtual networks and their subnets (Microsoft.Network/virtualNetworks[/subnets]).

Subnets live inside the VNet document (as Azure returns them); `virtualNetworks/{vnet}/subnets` is an
`InlineChildType` over it. The subnet's `ipConfigurations` back-references are link records written
by whoever takes an address in it (`addressing.py`), and the NSG / route table / NAT gateway a subnet
points at get a "subnets" link so that they show it and refuse deletion while it exists.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest, InvalidRequestContent
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import addressing, ipam, links
from vmss_emulator.domain.network.common import (
    InUseSubnetCannotBeDeleted,
    InvalidRequestFormat,
    child_id,
    load_referenced,
    ref,
    require_dict,
    require_list,
    sub_resource,
)
from vmss_emulator.domain.registry import Call, Outcome, not_found
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets"
# Which property of a subnet points at which resource type.
SUBNET_REFERENCES = (
    ("networkSecurityGroup", "Microsoft.Network/networkSecurityGroups"),
    ("routeTable", "Microsoft.Network/routeTables"),
    ("natGateway", "Microsoft.Network/natGateways"),
)


class InUseSubnetCannotBeUpdated(BadRequest):
    pass


def subnet_prefixes(props: dict[str, Any]) -> list[str]:
    if props.get("addressPrefix"):
        return [str(props["addressPrefix"])]
    return [str(p) for p in props.get("addressPrefixes") or []]


def in_use_error(name: str, by: str) -> InUseSubnetCannotBeDeleted:
    return InUseSubnetCannotBeDeleted(
        f"Subnet {name} is in use by {by} and cannot be deleted. In order to delete the subnet, delete all the "
        "resources within the subnet. See aka.ms/deletesubnet.",
        details=[],
    )


class VirtualNetworks(TrackedResourceType):
    full_type = "Microsoft.Network/virtualNetworks"
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        vnet_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        space = require_dict(props.get("addressSpace"), "properties.addressSpace")
        prefixes = [
            str(p) for p in require_list(space.get("addressPrefixes"), "properties.addressSpace.addressPrefixes")
        ]
        if not prefixes:
            raise InvalidRequestFormat("Cannot parse the request.", details=[])
        networks = [ipam.validate_prefix(p, vnet_id) for p in prefixes]
        subnets = self._subnets(call, vnet_id, props, networks)
        if existing is not None:
            kept = {s["name"].lower(): s for s in subnets}
            for old in existing.body["properties"].get("subnets", []):
                new = kept.get(old["name"].lower())
                if new is not None and subnet_prefixes(new["properties"]) == subnet_prefixes(old["properties"]):
                    continue
                user = addressing.subnet_in_use_by(call.ctx, child_id(vnet_id, "subnets", old["name"]))
                if user and new is None:
                    raise in_use_error(old["name"], user)
                if user:
                    raise InUseSubnetCannotBeUpdated(
                        f"Subnet {old['name']} is in use by {user} and its address prefix cannot be changed. In order "
                        "to update the subnet, delete all the resources within the subnet.",
                        details=[],
                    )
        document_props: dict[str, Any] = {
            "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
            "addressSpace": {"addressPrefixes": prefixes},
        }
        dhcp = props.get("dhcpOptions")
        if isinstance(dhcp, dict):
            document_props["dhcpOptions"] = {"dnsServers": list(dhcp.get("dnsServers") or [])}
        document_props["subnets"] = subnets
        document_props["virtualNetworkPeerings"] = []
        document_props["enableDdosProtection"] = bool(props.get("enableDdosProtection", False))
        document: dict[str, Any] = {"properties": document_props}
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def _subnets(self, call: Call, vnet_id: str, props: dict[str, Any], networks: list[Any]) -> list[dict[str, Any]]:
        subnets: list[dict[str, Any]] = []
        seen: list[tuple[str, Any]] = []
        for raw in require_list(props.get("subnets"), "properties.subnets"):
            if not isinstance(raw, dict) or not raw.get("name"):
                raise InvalidRequestFormat("Cannot parse the request.", details=[])
            name = str(raw["name"])
            subnet_id = child_id(vnet_id, "subnets", name)
            sprops = require_dict(raw.get("properties"), f"properties.subnets[{name}].properties")
            sprefixes = subnet_prefixes(sprops)
            if not sprefixes:
                raise InvalidRequestFormat(
                    f"Subnet {name} in virtual network {call.rid.name} has no address prefix.", details=[]
                )
            for text in sprefixes:
                network = ipam.validate_prefix(text, subnet_id)
                if not any(network.subnet_of(outer) for outer in networks):
                    raise ipam.NetcfgSubnetRangeOutsideVnet(
                        f"Subnet '{name}' is not valid because its IP address range is outside the IP address range "
                        f"of virtual network '{call.rid.name}'.",
                        details=[],
                    )
                for other_name, other in seen:
                    if network.overlaps(other) and other_name.lower() != name.lower():
                        raise ipam.NetcfgSubnetRangesOverlap(
                            f"Subnet '{name}' is not valid because its IP address range overlaps with that of an "
                            f"existing subnet in virtual network '{call.rid.name}'.",
                            details=[],
                        )
                seen.append((name, network))
            stored: dict[str, Any] = {}
            if sprops.get("addressPrefix"):
                stored["addressPrefix"] = sprefixes[0]
            else:
                stored["addressPrefixes"] = sprefixes
            for prop, full_type in SUBNET_REFERENCES:
                target = ref(sprops.get(prop))
                if target:
                    load_referenced(call.ctx, target, full_type, subnet_id, f"properties.subnets[{name}].{prop}")
                    stored[prop] = {"id": target}
            if "defaultOutboundAccess" in sprops:
                stored["defaultOutboundAccess"] = bool(sprops["defaultOutboundAccess"])
            for passthrough in ("serviceEndpoints", "delegations"):
                stored[passthrough] = copy.deepcopy(sprops.get(passthrough) or [])
            stored["privateEndpointNetworkPolicies"] = sprops.get("privateEndpointNetworkPolicies", "Disabled")
            stored["privateLinkServiceNetworkPolicies"] = sprops.get("privateLinkServiceNetworkPolicies", "Enabled")
            subnets.append({"name": name, "id": subnet_id, "properties": stored})
        return subnets

    def get_endpoint(self, call: Call) -> Outcome:
        """`GET .../checkIPAddressAvailability?ipAddress=...`: free or not, and up to five free addresses nearby."""
        if (call.endpoint or "").lower() != "checkipaddressavailability":
            raise not_found(call.rid, endpoint=call.endpoint, network=True)
        record = self.load(call)
        text = call.q("ipAddress") or ""
        address = ipam.parse_address(text)
        if address is None:
            raise InvalidRequestFormat(f"The IP address {text} is not a valid IPv4 address.", details=[])
        for item in record.body["properties"].get("subnets", []):
            prefix = subnet_prefixes(item["properties"])[0]
            if ipam.is_within(prefix, str(address)):
                subnet_id = child_id(record.id, "subnets", item["name"])
                taken = set(addressing.subnet_taken(call.ctx, subnet_id))
                usable = set(_usable(prefix))
                if str(address) in usable and str(address) not in taken:
                    return Outcome(status=200, body={"available": True})
                free = [a for a in _usable(prefix) if a not in taken][:5]
                return Outcome(status=200, body={"available": False, "availableIPAddresses": free})
        return Outcome(status=200, body={"available": False, "availableIPAddresses": []})

    # -- views and back-references ----------------------------------------------------------------

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        subnets = []
        for item in record.body["properties"].get("subnets", []):
            shaped = sub_resource(record.id, "subnets", item, record.etag, SUBNET_TYPE)
            configs = addressing.subnet_ipconfigs(call.ctx, shaped["id"])
            # Azure lists an application gateway's hold on its subnet apart from the NIC-like ipconfigs.
            gateways = [c for c in configs if "/gatewayipconfigurations/" in c.lower()]
            others = [c for c in configs if "/gatewayipconfigurations/" not in c.lower()]
            if others:
                shaped["properties"]["ipConfigurations"] = [{"id": c} for c in others]
            if gateways:
                shaped["properties"]["applicationGatewayIPConfigurations"] = [{"id": c} for c in gateways]
            subnets.append(shaped)
        body["properties"]["subnets"] = subnets
        return body

    def on_created(self, call: Call, record: Record) -> None:
        self._relink(call.ctx, record, {})

    def on_updated(self, call: Call, record: Record, before: dict[str, Any]) -> None:
        self._relink(call.ctx, record, before)

    def before_delete(self, call: Call, record: Record) -> None:
        for item in record.body["properties"].get("subnets", []):
            user = addressing.subnet_in_use_by(call.ctx, child_id(record.id, "subnets", item["name"]))
            if user:
                raise in_use_error(item["name"], user)

    def on_deleted(self, call: Call, record: Record) -> None:
        _unlink_all(call.ctx, record.body)

    def _relink(self, ctx: Context, record: Record, before: dict[str, Any]) -> None:
        _unlink_all(ctx, before)
        for item in record.body["properties"].get("subnets", []):
            subnet_id = child_id(record.id, "subnets", item["name"])
            for prop, _ in SUBNET_REFERENCES:
                target = ref(item["properties"].get(prop))
                if target:
                    links.add_member(ctx, target, "subnets", subnet_id, record.scope_key)


def _unlink_all(ctx: Context, body: dict[str, Any]) -> None:
    if not body:
        return
    for item in body.get("properties", {}).get("subnets", []) or []:
        subnet_id = child_id(str(body["id"]), "subnets", item["name"])
        for prop, _ in SUBNET_REFERENCES:
            target = ref((item.get("properties") or {}).get(prop))
            if target:
                links.remove_member(ctx, target, "subnets", subnet_id)


def _usable(prefix: str) -> list[str]:
    addresses = list(ipam.iter_addresses(prefix))
    return addresses[ipam.RESERVED_AT_START : len(addresses) - ipam.RESERVED_AT_END]


def load_subnet(ctx: Context, subnet_id: str, by: str, target: str) -> tuple[Record, dict[str, Any]]:
    """(VNet record, stored subnet item) for a subnet reference, or InvalidResourceReference."""
    from vmss_emulator.domain.network.common import load_child

    return load_child(ctx, subnet_id, VirtualNetworks.full_type, "subnets", by, target)


def check_not_bad_body(body: Any) -> None:
    if not isinstance(body, dict):
        raise InvalidRequestContent("The request content was invalid and could not be deserialized.")

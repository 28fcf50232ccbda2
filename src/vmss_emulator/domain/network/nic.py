"""Network interfaces (Microsoft.Network/networkInterfaces): standalone NICs and Flexible VMs' NICs.

Standalone NICs bind their ipconfigs (`binding.py`) after the document is stored and give everything
back on delete. NICs that Compute created for a Flexible scale-set VM are the same type; they carry a
`virtualMachine` reference and cannot be deleted while it is set (`NicInUse`).
`POST .../effectiveRouteTable` answers with the NIC's effective routes (`outbound.py`), and
`POST .../effectiveNetworkSecurityGroups` with the groups that apply to it (`effective_nsg.py`).
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import binding, effective_nsg, links, outbound
from vmss_emulator.domain.network.common import (
    InvalidRequestFormat,
    child_id,
    load_referenced,
    ref,
    require_dict,
    require_list,
)
from vmss_emulator.domain.registry import Call, Outcome, not_found
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

NIC_TYPE = "Microsoft.Network/networkInterfaces"
NSG_TYPE = "Microsoft.Network/networkSecurityGroups"
IPCONFIG_TYPE = "Microsoft.Network/networkInterfaces/ipConfigurations"


class NicInUse(BadRequest):
    pass


class NicCannotChangeVirtualNetwork(BadRequest):
    """Azure docs: "Once you create a NIC, you can't change the virtual network it's assigned to." The code
    is the emulator's (no public trace of the real one)."""


class NetworkInterfaceMustHaveAtLeastOneIpConfiguration(BadRequest):
    code = "NicMustHaveAtLeastOneIpConfiguration"


def dns_settings(raw: Any, inherited: list[str]) -> dict[str, Any]:
    dns = require_dict(raw, "dnsSettings")
    servers = [str(s) for s in require_list(dns.get("dnsServers"), "dnsSettings.dnsServers")]
    return {
        "dnsServers": servers,
        "appliedDnsServers": servers or list(inherited),
        "internalDomainNameSuffix": "emulator.internal.cloudapp.net",
    }


def vnet_dns(ctx: Context, subnet_id: str | None) -> list[str]:
    if not subnet_id:
        return []
    record = ctx.store.get(subnet_id.rpartition("/subnets/")[0])
    return list(record.body["properties"].get("dhcpOptions", {}).get("dnsServers", [])) if record else []


def shape_ipconfigs(
    nic_id: str, etag: str, bound: list[tuple[str, dict[str, Any]]], with_type: bool
) -> list[dict[str, Any]]:
    out = []
    for name, props in bound:
        item: dict[str, Any] = {"name": name, "id": child_id(nic_id, "ipConfigurations", name), "etag": etag}
        if with_type:
            item["type"] = IPCONFIG_TYPE
        item["properties"] = props
        out.append(item)
    return out


def link_nsg(ctx: Context, nic_id: str, nsg_id: str | None, scope_key: str) -> None:
    if nsg_id:
        links.add_member(ctx, nsg_id, "networkInterfaces", nic_id, scope_key)


def unlink_nsg(ctx: Context, nic_id: str, nsg_id: str | None) -> None:
    if nsg_id:
        links.remove_member(ctx, nsg_id, "networkInterfaces", nic_id)


class NetworkInterfaces(TrackedResourceType):
    full_type = NIC_TYPE
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        nic_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        configs = require_list(props.get("ipConfigurations"), "properties.ipConfigurations")
        if not configs:
            raise NetworkInterfaceMustHaveAtLeastOneIpConfiguration(
                f"Network interface {nic_id} must have one or more IP configurations.", details=[]
            )
        specs: list[dict[str, Any]] = []
        for raw in configs:
            if not isinstance(raw, dict) or not raw.get("name"):
                raise InvalidRequestFormat("Cannot parse the request.", details=[])
            config_props = require_dict(raw.get("properties"), f"properties.ipConfigurations[{len(specs)}].properties")
            specs.append({"name": str(raw["name"]), "properties": copy.deepcopy(config_props)})
        if not any(s["properties"].get("primary") for s in specs):
            specs[0]["properties"]["primary"] = True
        if existing is not None:
            _refuse_vnet_change(existing, specs)
        nsg_id = ref(props.get("networkSecurityGroup"))
        if nsg_id:
            nsg_id = load_referenced(call.ctx, nsg_id, NSG_TYPE, nic_id, "properties.networkSecurityGroup").id
        document_props: dict[str, Any] = {
            "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
            "ipConfigurations": specs,
            "dnsSettings": require_dict(props.get("dnsSettings"), "properties.dnsSettings"),
            "enableAcceleratedNetworking": bool(props.get("enableAcceleratedNetworking", False)),
            "enableIPForwarding": bool(props.get("enableIPForwarding", False)),
        }
        if nsg_id:
            document_props["networkSecurityGroup"] = {"id": nsg_id}
        if existing is not None:
            for kept in ("virtualMachine", "macAddress", "primary"):
                if kept in existing.body["properties"]:
                    document_props[kept] = existing.body["properties"][kept]
        document: dict[str, Any] = {"properties": document_props}
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def on_created(self, call: Call, record: Record) -> None:
        self._bind(call.ctx, record, {})

    def on_updated(self, call: Call, record: Record, before: dict[str, Any]) -> None:
        previous = dict(record.state.get("ipconfigs", {}))
        kept = _kept_owned_ips(previous, record.body["properties"]["ipConfigurations"])
        for name, state in previous.items():
            if name in kept:
                # The Flexible VM's own public IP stays on this ipconfig: leave it bound (same address).
                state = {k: v for k, v in state.items() if k not in ("pip", "pipOwned")}
            elif state.get("pipOwned"):
                # Removed from the NIC by the user: it becomes an ordinary unattached public IP, as in Azure.
                state = {**state, "pipOwned": False}
            binding.unbind(call.ctx, child_id(record.id, "ipConfigurations", name), state)
        unlink_nsg(call.ctx, record.id, ref(before.get("properties", {}).get("networkSecurityGroup")))
        self._bind(call.ctx, record, previous)
        for name in kept:
            record.state["ipconfigs"][name]["pipOwned"] = True
        call.ctx.store.put(record)

    def _bind(self, ctx: Context, record: Record, previous: dict[str, Any]) -> None:
        props = record.body["properties"]
        # A Flexible scale-set VM's NIC keeps its scale set and instance (NAT rule names, per-VM labels).
        owner = binding.Owner(
            nic_id=record.id,
            scope_key=record.scope_key,
            location=record.body["location"],
            scale_set_id=record.state.get("scaleSet"),
            instance_id=record.state.get("instanceId"),
        )
        bound = []
        states: dict[str, Any] = {}
        for spec in props["ipConfigurations"]:
            name = spec["name"]
            spec_props = spec.get("properties", {})
            if "privateIPAllocationMethod" not in spec_props and spec_props.get("privateIPAddress"):
                spec_props = {**spec_props, "privateIPAllocationMethod": "Static"}
            rendered, state = binding.bind(ctx, owner, name, spec_props, previous.get(name))
            bound.append((name, rendered))
            states[name] = state
        props["ipConfigurations"] = shape_ipconfigs(record.id, record.etag, bound, True)
        first_subnet = ref(bound[0][1].get("subnet")) if bound else None
        props["dnsSettings"] = dns_settings(props.get("dnsSettings"), vnet_dns(ctx, first_subnet))
        record.state["ipconfigs"] = states
        link_nsg(ctx, record.id, ref(props.get("networkSecurityGroup")), record.scope_key)
        ctx.store.put(record)

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        for item in body["properties"].get("ipConfigurations", []):
            item["etag"] = record.etag
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        vm = ref(record.body["properties"].get("virtualMachine"))
        if vm:
            raise NicInUse(
                f"Network Interface {record.id} is used by existing resource {vm}. In order to delete the network "
                "interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.",
                details=[],
            )

    def on_deleted(self, call: Call, record: Record) -> None:
        release_nic(call.ctx, record)

    def post_action(self, call: Call) -> Outcome:
        endpoint = (call.endpoint or "").lower()
        if endpoint not in ("effectiveroutetable", "effectivenetworksecuritygroups"):
            raise not_found(call.rid, endpoint=call.endpoint, network=True)
        record = self.load(call)
        if endpoint == "effectivenetworksecuritygroups":
            return Outcome(status=200, body={"value": effective_nsg.effective_groups(call.ctx, record.id, record.body)})
        routes = outbound.effective_routes(call.ctx, record.body, record.state.get("orchestrationMode"))
        return Outcome(status=200, body={"value": routes})


def _kept_owned_ips(previous: dict[str, Any], configs: list[dict[str, Any]]) -> set[str]:
    """Names of ipconfigs whose scale-set-created public IP the updated NIC still references."""
    wanted = {str(c["name"]): (ref(c["properties"].get("publicIPAddress")) or "").lower() for c in configs}
    return {
        name
        for name, state in previous.items()
        if state.get("pipOwned") and state.get("pip") and wanted.get(name) == str(state["pip"]).lower()
    }


def _refuse_vnet_change(existing: Record, specs: list[dict[str, Any]]) -> None:
    """A NIC cannot move to another virtual network (its subnets may change within the VNet)."""
    before = {
        (ref(c.get("properties", {}).get("subnet")) or "").rpartition("/subnets/")[0].lower()
        for c in existing.body["properties"].get("ipConfigurations", [])
    }
    before.discard("")
    for spec in specs:
        subnet = ref(spec["properties"].get("subnet"))
        vnet_id = (subnet or "").rpartition("/subnets/")[0].lower()
        if before and vnet_id and vnet_id not in before:
            raise NicCannotChangeVirtualNetwork(
                f"Network interface {existing.id} cannot be moved from virtual network {next(iter(before))} to "
                f"{vnet_id}. Once created, a network interface stays in its virtual network.",
                details=[],
            )


def release_nic(ctx: Context, record: Record) -> None:
    for name, state in record.state.get("ipconfigs", {}).items():
        binding.unbind(ctx, child_id(record.id, "ipConfigurations", name), state)
    unlink_nsg(ctx, record.id, ref(record.body["properties"].get("networkSecurityGroup")))

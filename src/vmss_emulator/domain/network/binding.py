"""Binding one NIC IP configuration to the network: its private address, pools, NAT, ASGs, public IP.

Shared by standalone NICs (`nic.py`) and scale-set VM NICs (`scaleset.py`). `bind` validates every
reference and takes what the ipconfig needs, returning the rendered ipconfig properties and a private
`state` that says exactly what was taken; `unbind` gives all of it back from that state. Everything
runs in the caller's transaction, so a refusal half-way leaves nothing behind.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.domain.network import addressing, ipam, links, publicip, vnet
from vmss_emulator.domain.network.common import (
    child_id,
    load_child,
    load_referenced,
    missing_reference,
    ref,
    ref_list,
    require_dict,
)
from vmss_emulator.domain.network.loadbalancer import LB_TYPE, MEMBERS, sku_mismatch
from vmss_emulator.domain.network.publicip import PIP_TYPE, PREFIX_TYPE
from vmss_emulator.store import Record

APPGW_TYPE = "Microsoft.Network/applicationGateways"
ASG_TYPE = "Microsoft.Network/applicationSecurityGroups"
NESTED_PIP_TYPE = (
    "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/networkInterfaces/ipConfigurations/publicIPAddresses"
)


class InboundNatPoolFrontendPortRangeNotLargeEnough(BadRequest):
    pass


class PrivateIPAddressInUse(BadRequest):
    pass


class PrivateIPAddressNotInSubnet(BadRequest):
    pass


class PrivateIPAddressInReservedRange(BadRequest):
    pass


class PublicIpPrefixOutOfIpAddressesForVMScaleSet(BadRequest):
    """Azure's code when a scale set's per-VM public IPs exhaust their prefix (seen in cilium/cilium#43598)."""


ASG_MEMBERS = "ipConfigurations"


@dataclass
class Owner:
    """Who the ipconfig belongs to: the NIC, and for scale-set VMs the set, instance and mode."""

    nic_id: str
    scope_key: str
    location: str
    scale_set_id: str | None = None
    instance_id: str | None = None
    uniform: bool = False


def short_hash(text: str) -> str:
    return hashlib.sha1(text.lower().encode()).hexdigest()[:8]


def bind(
    ctx: Context, owner: Owner, name: str, spec: dict[str, Any], previous: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rendered ipconfig properties, state) for ipconfig `name` of `owner.nic_id` built from `spec`."""
    ipconfig_id = child_id(owner.nic_id, "ipConfigurations", name)
    previous = previous or {}
    state: dict[str, Any] = {}
    subnet_ref = ref(spec.get("subnet"))
    if subnet_ref is None:
        raise missing_reference("(subnet)", ipconfig_id)
    vnet_record, subnet = vnet.load_subnet(ctx, subnet_ref, ipconfig_id, "subnet")
    subnet_id = child_id(vnet_record.id, "subnets", subnet["name"])
    prefix = vnet.subnet_prefixes(subnet["properties"])[0]
    method = "Static" if str(spec.get("privateIPAllocationMethod", "Dynamic")).lower() == "static" else "Dynamic"
    wanted = spec.get("privateIPAddress") if method == "Static" else None
    if wanted:
        from vmss_emulator.domain.network import ipam

        if not ipam.is_within(prefix, str(wanted)):
            raise PrivateIPAddressNotInSubnet(
                f"IP configuration {ipconfig_id} references the private IP address {wanted} which is not in the "
                f"subnet {subnet_id} ({prefix}).",
                details=[],
            )
        if ipam.is_reserved(prefix, str(wanted)):
            # Azure's error reference: "The specified IP address includes an address range required by Azure."
            raise PrivateIPAddressInReservedRange(
                f"Private static IP address {wanted} of IP configuration {ipconfig_id} falls within the reserved "
                f"range of subnet {subnet_id} ({prefix}): the first four addresses and the last one are required by "
                "Azure. Change the IP address to avoid the reserved range.",
                details=[],
            )
        if not addressing.reserve_static(ctx, subnet_id, str(wanted), ipconfig_id, owner.scope_key):
            raise PrivateIPAddressInUse(
                f"IP configuration {ipconfig_id} is using the private IP address {wanted} which is already "
                "allocated to resource "
                f"{links.get(ctx, subnet_id, addressing.IP_KIND, str(wanted)).body['id']}.",  # type: ignore[union-attr]
                details=[],
            )
        address = str(wanted)
    else:
        keep = previous.get("ip") if (previous.get("subnet") or "").lower() == subnet_id.lower() else None
        address = addressing.allocate_private(
            ctx, subnet_id, prefix, ipconfig_id, owner.scope_key, preferred=keep, subnet_name=subnet["name"]
        )
    state.update(subnet=subnet_id, ip=address)
    props: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "privateIPAddress": address,
        "privateIPAllocationMethod": method,
        "subnet": {"id": subnet_id},
        "primary": bool(spec.get("primary", False)),
        "privateIPAddressVersion": spec.get("privateIPAddressVersion", "IPv4"),
    }
    lb_skus: dict[str, str] = {}
    pools = []
    v2_ports: list[tuple[str, int]] = []
    for pool_id in ref_list(spec.get("loadBalancerBackendAddressPools"), "loadBalancerBackendAddressPools"):
        lb, pool = load_child(
            ctx, pool_id, LB_TYPE, "backendAddressPools", ipconfig_id, "loadBalancerBackendAddressPools"
        )
        canonical = child_id(lb.id, "backendAddressPools", pool["name"])
        lb_skus[lb.id] = lb.body["sku"]["name"]
        links.add_member(ctx, canonical, MEMBERS, ipconfig_id, owner.scope_key)
        pools.append(canonical)
        v2_ports.extend(_pool_nat_rules(ctx, owner, lb, canonical, ipconfig_id, previous))
    state["pools"] = pools
    props["loadBalancerBackendAddressPools"] = [{"id": p} for p in pools]
    generated, manual, nat_ports = _nat(ctx, owner, ipconfig_id, spec, previous, lb_skus)
    state["natRules"] = manual
    state["natPorts"] = [[pool, port] for pool, port in nat_ports + v2_ports]
    props["loadBalancerInboundNatRules"] = [{"id": r} for r in generated + manual]
    pip_id, owned = _public_ip(ctx, owner, ipconfig_id, spec, previous, lb_skus)
    if pip_id:
        props["publicIPAddress"] = {"id": pip_id}
        state.update(pip=pip_id, pipOwned=owned)
    appgw = []
    for pool_id in ref_list(spec.get("applicationGatewayBackendAddressPools"), "applicationGatewayBackendAddressPools"):
        gw, pool = load_child(
            ctx, pool_id, APPGW_TYPE, "backendAddressPools", ipconfig_id, "applicationGatewayBackendAddressPools"
        )
        canonical = child_id(gw.id, "backendAddressPools", pool["name"])
        links.add_member(ctx, canonical, MEMBERS, ipconfig_id, owner.scope_key)
        appgw.append(canonical)
    state["appgw"] = appgw
    if appgw:
        props["applicationGatewayBackendAddressPools"] = [{"id": p} for p in appgw]
    asgs = []
    for asg_id in ref_list(spec.get("applicationSecurityGroups"), "applicationSecurityGroups"):
        canonical = load_referenced(ctx, asg_id, ASG_TYPE, ipconfig_id, "applicationSecurityGroups").id
        # Indexed under the ASG so that deleting it can see it is in use without scanning NICs.
        links.add_member(ctx, canonical, ASG_MEMBERS, ipconfig_id, owner.scope_key)
        asgs.append(canonical)
    state["asgs"] = asgs
    if asgs:
        props["applicationSecurityGroups"] = [{"id": a} for a in asgs]
    return props, state


def _nat(
    ctx: Context, owner: Owner, ipconfig_id: str, spec: dict[str, Any], previous: dict[str, Any],
    lb_skus: dict[str, str],
) -> tuple[list[str], list[str], list[tuple[str, int]]]:  # fmt: skip
    rules: list[str] = []
    manual: list[str] = []
    ports: list[tuple[str, int]] = []
    old_ports = {str(p).lower(): int(port) for p, port in previous.get("natPorts", [])}
    for pool_id in ref_list(spec.get("loadBalancerInboundNatPools"), "loadBalancerInboundNatPools"):
        lb, pool = load_child(ctx, pool_id, LB_TYPE, "inboundNatPools", ipconfig_id, "loadBalancerInboundNatPools")
        lb_skus[lb.id] = lb.body["sku"]["name"]
        canonical = child_id(lb.id, "inboundNatPools", pool["name"])
        p = pool["properties"]
        rule_name = f"{pool['name']}.{owner.instance_id if owner.instance_id is not None else short_hash(ipconfig_id)}"
        port = addressing.allocate_port(
            ctx,
            canonical,
            int(p["frontendPortRangeStart"]),
            int(p["frontendPortRangeEnd"]),
            {"id": ipconfig_id, "rule": rule_name},
            owner.scope_key,
            old_ports.get(canonical.lower()),
        )
        if port is None:
            raise InboundNatPoolFrontendPortRangeNotLargeEnough(
                f"Frontend port range {p['frontendPortRangeStart']}-{p['frontendPortRangeEnd']} of inbound NAT pool "
                f"{canonical} has no free port left for {ipconfig_id}.",
                details=[],
            )
        ports.append((canonical, port))
        rules.append(child_id(lb.id, "inboundNatRules", rule_name))
    for rule_id in ref_list(spec.get("loadBalancerInboundNatRules"), "loadBalancerInboundNatRules"):
        lb, rule = load_child(ctx, rule_id, LB_TYPE, "inboundNatRules", ipconfig_id, "loadBalancerInboundNatRules")
        canonical = child_id(lb.id, "inboundNatRules", rule["name"])
        links.add_member(ctx, canonical, MEMBERS, ipconfig_id, owner.scope_key)
        manual.append(canonical)
    return rules, manual, ports


def _pool_nat_rules(
    ctx: Context, owner: Owner, lb: Record, pool_id: str, ipconfig_id: str, previous: dict[str, Any]
) -> list[tuple[str, int]]:
    """Ports of the "NAT rule V2" rules (a frontend port range over a backend pool) for a new pool member."""
    old_ports = {str(p).lower(): int(port) for p, port in previous.get("natPorts", [])}
    taken: list[tuple[str, int]] = []
    for rule in lb.body["properties"].get("inboundNatRules", []):
        p = rule["properties"]
        if (ref(p.get("backendAddressPool")) or "").lower() != pool_id.lower() or not p.get("frontendPortRangeStart"):
            continue
        rule_id = child_id(lb.id, "inboundNatRules", rule["name"])
        port = addressing.allocate_port(
            ctx,
            rule_id,
            int(p["frontendPortRangeStart"]),
            int(p.get("frontendPortRangeEnd") or p["frontendPortRangeStart"]),
            {"id": ipconfig_id, "rule": rule["name"], "backendPort": p.get("backendPort")},
            owner.scope_key,
            old_ports.get(rule_id.lower()),
        )
        if port is None:
            raise InboundNatPoolFrontendPortRangeNotLargeEnough(
                f"Frontend port range of inbound NAT rule {rule_id} has no free port left for {ipconfig_id}.",
                details=[],
            )
        taken.append((rule_id, port))
    return taken


def _public_ip(
    ctx: Context, owner: Owner, ipconfig_id: str, spec: dict[str, Any], previous: dict[str, Any],
    lb_skus: dict[str, str],
) -> tuple[str | None, bool]:  # fmt: skip
    standalone = ref(spec.get("publicIPAddress"))
    if standalone:
        record = publicip.associate(ctx, standalone, ipconfig_id, ipconfig_id, "publicIPAddress")
        return record.id, False
    config = spec.get("publicIPAddressConfiguration")
    if not isinstance(config, dict) or not config.get("name"):
        return None, False
    return create_instance_ip(ctx, owner, ipconfig_id, config, previous, lb_skus), True


def instance_ip_sku(config: dict[str, Any], lb_skus: dict[str, str], by: str) -> str:
    """The per-VM public IP SKU: the load balancer's when there is one (a different explicit SKU is refused)."""
    asked = require_dict(config.get("sku"), "publicIPAddressConfiguration.sku").get("name")
    asked_name = None if asked is None else ("Standard" if str(asked).lower() == "standard" else "Basic")
    for lb_id, lb_sku in lb_skus.items():
        if asked_name is not None and asked_name != lb_sku:
            raise sku_mismatch(lb_id, lb_sku, f"{by}/publicIPAddresses/{config['name']}", asked_name)
        return lb_sku
    return asked_name or "Basic"


def create_instance_ip(
    ctx: Context, owner: Owner, ipconfig_id: str, config: dict[str, Any], previous: dict[str, Any],
    lb_skus: dict[str, str],
) -> str:  # fmt: skip
    name = str(config["name"])
    props = require_dict(config.get("properties"), "publicIPAddressConfiguration.properties")
    sku = instance_ip_sku(config, lb_skus, ipconfig_id)
    if owner.uniform:
        pip_id = f"{ipconfig_id}/publicIPAddresses/{name}"
        record_type, parent_key = NESTED_PIP_TYPE, (owner.scale_set_id or "").lower() or None
    else:
        nic = ResourceId.parse(owner.nic_id)
        pip_id = str(
            ResourceId.resource(
                nic.subscription_id, nic.resource_group or "", PIP_TYPE, f"{name}-{short_hash(owner.nic_id)}"
            )
        )
        record_type, parent_key = PIP_TYPE, None
    allocation, idle = publicip.settings(pip_id, sku, None, props.get("idleTimeoutInMinutes"))
    document: dict[str, Any] = {
        "resourceGuid": new_guid(),
        "publicIPAddressVersion": props.get("publicIPAddressVersion", "IPv4"),
        "publicIPAllocationMethod": allocation,
        "idleTimeoutInMinutes": idle,
    }
    dns = require_dict(props.get("dnsSettings"), "publicIPAddressConfiguration.properties.dnsSettings")
    if dns.get("domainNameLabel"):
        label = f"vm{owner.instance_id}.{str(dns['domainNameLabel']).lower()}"
        publicip.claim_label(ctx, label, owner.location, pip_id, owner.scope_key)
        document["dnsSettings"] = {"domainNameLabel": label, "fqdn": publicip.fqdn(label, owner.location)}
    document["ipTags"] = copy.deepcopy(props.get("ipTags") or [])
    prefix_id = ref(props.get("publicIPPrefix"))
    if prefix_id:
        prefix = load_referenced(
            ctx, prefix_id, PREFIX_TYPE, ipconfig_id, "publicIPAddressConfiguration.publicIPPrefix"
        )
        document["publicIPPrefix"] = {"id": prefix.id}
    document["ipConfiguration"] = {"id": ipconfig_id}
    body: dict[str, Any] = {"name": pip_id.rsplit("/", 1)[1], "id": pip_id, "etag": ""}
    if not owner.uniform:
        body.update(type=PIP_TYPE, location=owner.location)
    body["properties"] = document
    body["sku"] = {"name": sku, "tier": "Regional"}
    now = ctx.now()
    record = Record(
        id=pip_id,
        type=record_type,
        body=body,
        scope_key=owner.scope_key,
        parent_key=parent_key,
        created_at=now,
        changed_at=now,
        state={"location": owner.location},
    )
    record.etag = f'W/"{new_guid()}"'
    body["etag"] = record.etag
    keep = previous.get("pipAddress") if (previous.get("pip") or "").lower() == pip_id.lower() else None
    try:
        publicip.take_address(ctx, record, preferred=keep)
    except ipam.PublicIPCountLimitReached:
        if not prefix_id:
            raise
        prefix_record = ctx.store.get(ref(document["publicIPPrefix"]) or "")
        assert prefix_record is not None
        total = 2 ** (32 - int(prefix_record.body["properties"]["prefixLength"]))
        used = len(links.member_ids(ctx, prefix_record.id, addressing.IP_KIND))
        raise PublicIpPrefixOutOfIpAddressesForVMScaleSet(
            f"IpPrefix {prefix_record.id} can provide {total} public ips at maximum, {used} of them are in use "
            "already.",
            details=[],
        ) from None
    document["provisioningState"] = "Succeeded"
    ctx.store.put(record)
    return pip_id


def unbind(ctx: Context, ipconfig_id: str, state: dict[str, Any]) -> None:
    """Give back everything `bind` took for this ipconfig."""
    if state.get("subnet") and state.get("ip"):
        holder = links.get(ctx, state["subnet"], addressing.IP_KIND, state["ip"])
        if holder is not None and str(holder.body.get("id", "")).lower() == ipconfig_id.lower():
            addressing.release_private(ctx, state["subnet"], state["ip"])
    for pool in state.get("pools", []) + state.get("appgw", []) + state.get("natRules", []):
        links.remove_member(ctx, pool, MEMBERS, ipconfig_id)
    for asg in state.get("asgs", []):
        links.remove_member(ctx, asg, ASG_MEMBERS, ipconfig_id)
    for pool, port in state.get("natPorts", []):
        addressing.release_port(ctx, pool, int(port))
    pip_id = state.get("pip")
    if pip_id and state.get("pipOwned"):
        record = ctx.store.get(pip_id)
        if record is not None:
            state["pipAddress"] = record.body["properties"].get("ipAddress")
            publicip.give_back_address(ctx, record)
            label = record.body["properties"].get("dnsSettings", {}).get("domainNameLabel")
            if label:
                publicip.release_label(ctx, label, str(record.state.get("location") or record.body.get("location")))
            ctx.store.delete(record.key)
    elif pip_id:
        publicip.dissociate(ctx, pip_id, ipconfig_id)

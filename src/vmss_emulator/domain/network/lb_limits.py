"""How many load balancers a scale set may use, and who may share a Basic one.

The Compute REST spec says of `loadBalancerBackendAddressPools` / `loadBalancerInboundNatPools`: "A scale
set can reference backend address pools of one public and one internal load balancer. Multiple scale sets
cannot use the same basic sku load balancer." Each check reads one member link per pool of the LBs the
profile names, never the pools' full membership.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import InvalidParameter
from vmss_emulator.domain.network import addressing, links
from vmss_emulator.domain.network.common import child_id, ref, ref_list
from vmss_emulator.domain.network.loadbalancer import MEMBERS
from vmss_emulator.store import Record

_LB_REFS = ("loadBalancerBackendAddressPools", "loadBalancerInboundNatPools")


def referenced_lbs(ctx: Context, configs: list[dict[str, Any]]) -> dict[str, Record]:
    """The load balancers whose pools the NIC configurations name (missing ones are refused elsewhere)."""
    found: dict[str, Record] = {}
    for config in configs:
        for ipconfig in (config.get("properties") or {}).get("ipConfigurations") or []:
            props = (ipconfig or {}).get("properties") or {}
            for prop in _LB_REFS:
                for target in ref_list(props.get(prop), prop):
                    lb_id = target.rsplit("/", 2)[0]
                    if lb_id.lower() not in found:
                        record = ctx.store.get(lb_id)
                        if record is not None:
                            found[lb_id.lower()] = record
    return found


def _is_public(record: Record) -> bool:
    return any(
        ref((fe.get("properties") or {}).get("publicIPAddress"))
        for fe in record.body["properties"].get("frontendIPConfigurations", [])
    )


def _scale_set_of(ctx: Context, ipconfig_id: str) -> str | None:
    lowered = ipconfig_id.lower()
    if "/virtualmachinescalesets/" in lowered:
        return ipconfig_id[: lowered.index("/virtualmachines/")]
    nic = ctx.store.get(ipconfig_id.rpartition("/ipConfigurations/")[0])
    return str(nic.state.get("scaleSet")) if nic and nic.state.get("scaleSet") else None


def _some_user(ctx: Context, record: Record) -> str | None:
    props = record.body["properties"]
    for pool in props.get("backendAddressPools", []):
        member = links.first_member(ctx, child_id(record.id, "backendAddressPools", pool["name"]), MEMBERS)
        if member:
            return member
    for pool in props.get("inboundNatPools", []):
        ports = addressing.pool_ports(ctx, child_id(record.id, "inboundNatPools", pool["name"]))
        if ports:
            return str(ports[0][1].get("id"))
    return None


def check(ctx: Context, scale_set_id: str, configs: list[dict[str, Any]]) -> None:
    lbs = referenced_lbs(ctx, configs)
    public = [r.id for r in lbs.values() if _is_public(r)]
    internal = [r.id for r in lbs.values() if not _is_public(r)]
    for kind, ids in (("public", public), ("internal", internal)):
        if len(ids) > 1:
            raise InvalidParameter(
                f"Virtual Machine Scale Set {scale_set_id} can reference at most one {kind} load balancer; it "
                f"references {', '.join(sorted(ids))}.",
                target="loadBalancerBackendAddressPools",
            )
    for record in lbs.values():
        if record.body["sku"]["name"] != "Basic":
            continue
        user = _some_user(ctx, record)
        other = _scale_set_of(ctx, user) if user else None
        if user and (other is None or other.lower() != scale_set_id.lower()):
            raise InvalidParameter(
                f"Basic sku load balancer {record.id} is already used by {other or user}; multiple scale sets "
                "cannot use the same basic sku load balancer.",
                target="loadBalancerBackendAddressPools",
            )

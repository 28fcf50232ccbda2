"""How a NIC reaches the internet, and the effective route table that shows it.

Azure gives single VMs and Uniform scale-set VMs default outbound access, but Flexible scale-set VMs
(and any VM in a subnet with `defaultOutboundAccess: false`) only get outbound through an explicit
path: a NAT gateway on the subnet, membership of a Standard load balancer pool used by an outbound
rule, a public IP on the NIC, or a user route 0.0.0.0/0 to a virtual appliance / firewall. The
effective route table is where that becomes visible: without a path the default route's next hop is
`None`.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.network.common import ref

# Azure's default routes for address space that is not the VNet's.
_DEFAULT_DROPS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
INTERNET = "0.0.0.0/0"


def _subnet(ctx: Context, subnet_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    parent_id, _, name = subnet_id.rpartition("/subnets/")
    record = ctx.store.get(parent_id)
    if record is None:
        return None
    for item in record.body["properties"].get("subnets", []):
        if item["name"].lower() == name.lower():
            return record.body, item
    return None


def _user_routes(ctx: Context, subnet: dict[str, Any]) -> list[dict[str, Any]]:
    table_id = ref(subnet["properties"].get("routeTable"))
    table = ctx.store.get(table_id) if table_id else None
    return list(table.body["properties"].get("routes", [])) if table else []


def _outbound_rule_pools(ctx: Context, pool_id: str) -> bool:
    lb_id, _, name = pool_id.rpartition("/backendAddressPools/")
    lb = ctx.store.get(lb_id)
    if lb is None or lb.body.get("sku", {}).get("name") != "Standard":
        return False
    for rule in lb.body["properties"].get("outboundRules", []):
        if (ref(rule["properties"].get("backendAddressPool")) or "").lower() == pool_id.lower():
            return True
    return False


def outbound_method(ctx: Context, nic_body: dict[str, Any], orchestration: str | None) -> str | None:
    """The explicit outbound path of a NIC ("natGateway", "loadBalancer", "publicIP", "userRoute"),
    "default" when Azure's default outbound applies, or None when the NIC has no outbound access."""
    configs = nic_body["properties"].get("ipConfigurations", [])
    subnet_ids = {str(ref(c["properties"].get("subnet"))) for c in configs if ref(c["properties"].get("subnet"))}
    subnets = [s for s in (_subnet(ctx, sid) for sid in subnet_ids) if s is not None]
    if any(ref(item["properties"].get("natGateway")) for _, item in subnets):
        return "natGateway"
    for c in configs:
        for pool in c["properties"].get("loadBalancerBackendAddressPools", []):
            if _outbound_rule_pools(ctx, str(pool["id"])):
                return "loadBalancer"
    if any(ref(c["properties"].get("publicIPAddress")) for c in configs):
        return "publicIP"
    for _, item in subnets:
        for route in _user_routes(ctx, item):
            p = route["properties"]
            if p.get("addressPrefix") == INTERNET and p.get("nextHopType") == "VirtualAppliance":
                return "userRoute"
    private_subnet = any(item["properties"].get("defaultOutboundAccess") is False for _, item in subnets)
    if (orchestration or "").lower() == "flexible" or private_subnet:
        return None
    return "default"


def effective_routes(ctx: Context, nic_body: dict[str, Any], orchestration: str | None) -> list[dict[str, Any]]:
    configs = nic_body["properties"].get("ipConfigurations", [])
    primary = next((c for c in configs if c["properties"].get("primary")), configs[0] if configs else None)
    routes: list[dict[str, Any]] = []
    user: list[dict[str, Any]] = []
    vnet_prefixes: list[str] = []
    if primary is not None:
        found = _subnet(ctx, str(ref(primary["properties"].get("subnet"))))
        if found is not None:
            vnet_body, item = found
            vnet_prefixes = list(vnet_body["properties"]["addressSpace"]["addressPrefixes"])
            user = _user_routes(ctx, item)
    user_prefixes = {r["properties"].get("addressPrefix") for r in user}
    for prefix in vnet_prefixes:
        routes.append(_route("Default", prefix, "VnetLocal", [], prefix in user_prefixes))
    method = outbound_method(ctx, nic_body, orchestration)
    routes.append(_route("Default", INTERNET, "Internet" if method else "None", [], INTERNET in user_prefixes))
    for prefix in _DEFAULT_DROPS:
        if not any(p == prefix for p in vnet_prefixes):
            routes.append(_route("Default", prefix, "None", [], prefix in user_prefixes))
    for route in user:
        p = route["properties"]
        hop_ip = [p["nextHopIpAddress"]] if p.get("nextHopIpAddress") else []
        routes.append(
            {
                "name": route["name"],
                **_route("User", str(p.get("addressPrefix")), str(p.get("nextHopType")), hop_ip, False),
            }
        )
    return routes


def _route(source: str, prefix: str, hop: str, hop_ips: list[str], overridden: bool) -> dict[str, Any]:
    return {
        "source": source,
        "state": "Invalid" if overridden else "Active",
        "addressPrefix": [prefix],
        "nextHopType": hop,
        "nextHopIpAddress": hop_ips,
    }

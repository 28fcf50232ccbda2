"""Wire-shaped bodies and small builders shared by the network tests (they go out verbatim through the SDK)."""

from __future__ import annotations

from typing import Any

LOCATION = "westus"


def rg_id(sub: str, rg: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


def net_id(sub: str, rg: str, kind: str, name: str) -> str:
    return f"{rg_id(sub, rg)}/providers/Microsoft.Network/{kind}/{name}"


def make_rg(resource_client: Any, name: str = "rg") -> str:
    resource_client.resource_groups.create_or_update(name, {"location": LOCATION})
    return name


def make_vnet(
    network_client: Any,
    rg: str,
    name: str = "vnet",
    prefix: str = "10.0.0.0/16",
    subnets: list[tuple[str, str]] | None = None,
    **subnet_extra: Any,
) -> Any:
    subnet_items = [
        {"name": n, "properties": {"addressPrefix": p, **subnet_extra.get(n, {})}}
        for n, p in (subnets if subnets is not None else [("default", "10.0.0.0/24")])
    ]
    body = {
        "location": LOCATION,
        "properties": {"addressSpace": {"addressPrefixes": [prefix]}, "subnets": subnet_items},
    }
    return network_client.virtual_networks.begin_create_or_update(rg, name, body).result()


def make_pip(network_client: Any, rg: str, name: str, sku: str = "Standard", **props: Any) -> Any:
    body = {"location": LOCATION, "sku": {"name": sku}, "properties": props}
    return network_client.public_ip_addresses.begin_create_or_update(rg, name, body).result()


def make_lb(
    network_client: Any,
    sub: str,
    rg: str,
    name: str = "lb",
    sku: str = "Standard",
    pip: str | None = "lbpip",
    nat_range: tuple[int, int] = (50000, 50119),
    outbound: bool = False,
) -> Any:
    lb_id = net_id(sub, rg, "loadBalancers", name)
    if pip:
        make_pip(network_client, rg, pip, sku=sku)
    frontend = {"name": "fe", "properties": {"publicIPAddress": {"id": net_id(sub, rg, "publicIPAddresses", pip)}}}
    props: dict[str, Any] = {
        "frontendIPConfigurations": [frontend],
        "backendAddressPools": [{"name": "pool"}],
        "inboundNatPools": [
            {
                "name": "natpool",
                "properties": {
                    "frontendIPConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/fe"},
                    "protocol": "Tcp",
                    "frontendPortRangeStart": nat_range[0],
                    "frontendPortRangeEnd": nat_range[1],
                    "backendPort": 22,
                },
            }
        ],
    }
    if outbound:
        props["outboundRules"] = [
            {
                "name": "out",
                "properties": {
                    "protocol": "All",
                    "backendAddressPool": {"id": f"{lb_id}/backendAddressPools/pool"},
                    "frontendIPConfigurations": [{"id": f"{lb_id}/frontendIPConfigurations/fe"}],
                },
            }
        ]
    body = {"location": LOCATION, "sku": {"name": sku}, "properties": props}
    return network_client.load_balancers.begin_create_or_update(rg, name, body).result()


def nic_config(
    sub: str, rg: str, *, name: str = "nic", subnet: str = "default", vnet: str = "vnet", **ipconfig: Any
) -> dict[str, Any]:
    extra = ipconfig.pop("nic_props", {})
    return {
        "name": name,
        "properties": {
            "primary": True,
            **extra,
            "ipConfigurations": [
                {
                    "name": "ipconfig",
                    "properties": {
                        "subnet": {"id": f"{net_id(sub, rg, 'virtualNetworks', vnet)}/subnets/{subnet}"},
                        **ipconfig,
                    },
                }
            ],
        },
    }

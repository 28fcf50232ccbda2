"""Flexible scale-set VMs need an explicit outbound path; the effective route table shows whether they have one."""

from __future__ import annotations

from typing import Any

import pytest
from tests.network.helpers import LOCATION, make_lb, make_pip, make_rg, make_vnet, nic_config
from tests.network.scale_set_support import FakeScaleSet


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def default_route(network_client: Any, rg: str, nic_name: str) -> Any:
    table = network_client.network_interfaces.begin_get_effective_route_table(rg, nic_name).result()
    return next(r for r in table.value if r.address_prefix == ["0.0.0.0/0"] and r.source == "Default")


def flexible_nic(emulator: Any, subscription_id: str, rg: str, **ipconfig: Any) -> str:
    vmss = FakeScaleSet(emulator, rg, name="flex", mode="Flexible")
    result = vmss.attach([0], [nic_config(subscription_id, rg, **ipconfig)])
    return str(result[0][0]["id"].rsplit("/", 1)[1])


def test_a_flexible_vm_without_explicit_outbound_has_no_internet_route(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    nic = flexible_nic(emulator, subscription_id, rg)
    table = network_client.network_interfaces.begin_get_effective_route_table(rg, nic).result()
    vnet_route = table.value[0]
    assert (vnet_route.address_prefix, vnet_route.next_hop_type) == (["10.0.0.0/16"], "VnetLocal")
    route = default_route(network_client, rg, nic)
    assert (route.state, route.next_hop_type, route.next_hop_ip_address) == ("Active", "None", [])


def test_a_standalone_nic_gets_default_outbound_access(network_client, rg):
    vnet = make_vnet(network_client, rg)
    body = {
        "location": LOCATION,
        "properties": {"ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": vnet.subnets[0].id}}}]},
    }
    network_client.network_interfaces.begin_create_or_update(rg, "nic", body).result()
    assert default_route(network_client, rg, "nic").next_hop_type == "Internet"


def test_a_nat_gateway_on_the_subnet_gives_a_flexible_vm_outbound(emulator, network_client, subscription_id, rg):
    pip = make_pip(network_client, rg, "natpip")
    gw = network_client.nat_gateways.begin_create_or_update(
        rg,
        "natgw",
        {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIpAddresses": [{"id": pip.id}]}},
    ).result()
    make_vnet(network_client, rg, default={"natGateway": {"id": gw.id}})
    nic = flexible_nic(emulator, subscription_id, rg)
    assert default_route(network_client, rg, nic).next_hop_type == "Internet"


def test_an_instance_public_ip_gives_a_flexible_vm_outbound(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    nic = flexible_nic(
        emulator, subscription_id, rg, publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}}
    )
    assert default_route(network_client, rg, nic).next_hop_type == "Internet"


def test_a_standard_lb_pool_with_an_outbound_rule_gives_a_flexible_vm_outbound(
    emulator, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, outbound=True)
    nic = flexible_nic(
        emulator, subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}]
    )
    assert default_route(network_client, rg, nic).next_hop_type == "Internet"


def test_a_basic_lb_pool_gives_a_flexible_vm_no_outbound(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, sku="Basic")
    nic = flexible_nic(
        emulator, subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}]
    )
    assert default_route(network_client, rg, nic).next_hop_type == "None"


def test_a_user_route_to_a_firewall_is_the_flexible_vms_outbound(emulator, network_client, subscription_id, rg):
    route = {
        "name": "to-fw",
        "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"},
    }
    table = network_client.route_tables.begin_create_or_update(
        rg, "rt", {"location": LOCATION, "properties": {"routes": [route]}}
    ).result()
    make_vnet(network_client, rg, default={"routeTable": {"id": table.id}})
    nic = flexible_nic(emulator, subscription_id, rg)
    routes = network_client.network_interfaces.begin_get_effective_route_table(rg, nic).result().value
    user = next(r for r in routes if r.source == "User")
    assert (user.state, user.next_hop_type, user.next_hop_ip_address) == ("Active", "VirtualAppliance", ["10.0.1.4"])
    assert default_route(network_client, rg, nic).state == "Invalid"


def test_a_subnet_without_default_outbound_access_leaves_a_standalone_nic_without_outbound(network_client, rg):
    vnet = make_vnet(network_client, rg, default={"defaultOutboundAccess": False})
    body = {
        "location": LOCATION,
        "properties": {"ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": vnet.subnets[0].id}}}]},
    }
    network_client.network_interfaces.begin_create_or_update(rg, "nic", body).result()
    assert default_route(network_client, rg, "nic").next_hop_type == "None"

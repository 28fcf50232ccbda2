"""Rules and read endpoints around scale-set networking, through the real SDK and real Compute: NAT pools refused
for Flexible scale sets, the LB's queryInboundNatRulePortMapping, load balancer limits per scale set, the app
gateway's subnet back-reference, and a NIC's effective network security groups."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from tests.network.helpers import LOCATION, make_lb, make_pip, make_rg, make_vnet, net_id, nic_config
from tests.network.test_real_scale_set import vmss_body


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def refused(call: Any) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        call()
    return info.value


def test_a_flexible_scale_set_cannot_use_inbound_nat_pools(compute_client, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    config = nic_config(subscription_id, rg, loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}])
    body = vmss_body(subscription_id, rg, 2, [config])
    body["properties"].update(orchestrationMode="Flexible", platformFaultDomainCount=1, singlePlacementGroup=False)
    del body["properties"]["upgradePolicy"]
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkApiVersion"] = "2020-11-01"
    error = refused(lambda: compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "flex", body).result())
    assert (error.status_code, error.error.code, error.error.target) == (
        400,
        "InvalidParameter",
        "loadBalancerInboundNatPools",
    )
    with pytest.raises(ResourceNotFoundError):
        compute_client.virtual_machine_scale_sets.get(rg, "flex")
    assert network_client.load_balancers.get(rg, "lb").inbound_nat_rules == []
    # The same profile with the pool's backend pool instead is accepted.
    ipconfig = config["properties"]["ipConfigurations"][0]["properties"]
    del ipconfig["loadBalancerInboundNatPools"]
    ipconfig["loadBalancerBackendAddressPools"] = [{"id": lb.backend_address_pools[0].id}]
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "flex", body).result()
    assert len(network_client.load_balancers.get(rg, "lb").backend_address_pools[0].backend_ip_configurations) == 2


def _nat_rule_v2_lb(network_client: Any, sub: str, rg: str) -> Any:
    make_pip(network_client, rg, "v2pip")
    lb_id = net_id(sub, rg, "loadBalancers", "v2lb")
    body = {
        "location": LOCATION,
        "sku": {"name": "Standard"},
        "properties": {
            "frontendIPConfigurations": [
                {"name": "fe", "properties": {"publicIPAddress": {"id": net_id(sub, rg, "publicIPAddresses", "v2pip")}}}
            ],
            "backendAddressPools": [{"name": "pool"}, {"name": "other"}],
            "inboundNatRules": [
                {
                    "name": "ssh",
                    "properties": {
                        "frontendIPConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/fe"},
                        "backendAddressPool": {"id": f"{lb_id}/backendAddressPools/pool"},
                        "protocol": "Tcp",
                        "frontendPortRangeStart": 6000,
                        "frontendPortRangeEnd": 6099,
                        "backendPort": 22,
                    },
                }
            ],
        },
    }
    return network_client.load_balancers.begin_create_or_update(rg, "v2lb", body).result()


def test_query_inbound_nat_rule_port_mapping_answers_each_member_its_port(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = _nat_rule_v2_lb(network_client, subscription_id, rg)
    config = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "vmss", vmss_body(subscription_id, rg, 3, [config])
    ).result()
    nics = list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))
    ports = set()
    for nic in nics:
        query = {"ipConfiguration": {"id": nic.ip_configurations[0].id}}
        result = network_client.load_balancers.begin_list_inbound_nat_rule_port_mappings(
            rg, "v2lb", "pool", query
        ).result()
        (mapping,) = result.inbound_nat_rule_port_mappings
        assert (mapping.inbound_nat_rule_name, mapping.protocol, mapping.backend_port) == ("ssh", "Tcp", 22)
        ports.add(mapping.frontend_port)
    assert ports == {6000, 6001, 6002}
    pool = network_client.load_balancers.get(rg, "v2lb").backend_address_pools[0]
    assert {a.inbound_nat_rules_port_mapping[0].frontend_port for a in pool.load_balancer_backend_addresses} == ports

    member = {"ipConfiguration": {"id": nics[0].ip_configurations[0].id}}
    error = refused(
        lambda: network_client.load_balancers.begin_list_inbound_nat_rule_port_mappings(
            rg, "v2lb", "other", member
        ).result()
    )
    assert (error.status_code, error.error.code) == (404, "NotFound")
    error = refused(
        lambda: network_client.load_balancers.begin_list_inbound_nat_rule_port_mappings(
            rg, "v2lb", "missing", member
        ).result()
    )
    assert (error.status_code, error.error.code) == (404, "NotFound")
    error = refused(
        lambda: network_client.load_balancers.begin_list_inbound_nat_rule_port_mappings(rg, "v2lb", "pool", {}).result()
    )
    assert (error.status_code, error.error.code) == (400, "InvalidRequestFormat")


def test_a_basic_lb_serves_one_scale_set_and_a_scale_set_one_public_lb(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    basic = make_lb(network_client, subscription_id, rg, name="basiclb", sku="Basic", pip="basicpip")
    in_basic = nic_config(
        subscription_id, rg, loadBalancerBackendAddressPools=[{"id": basic.backend_address_pools[0].id}]
    )
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "first", vmss_body(subscription_id, rg, 1, [in_basic])
    ).result()
    # The same scale set may keep using it (an update re-validates the profile).
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "first", vmss_body(subscription_id, rg, 2, [in_basic])
    ).result()
    error = refused(
        lambda: compute_client.virtual_machine_scale_sets.begin_create_or_update(
            rg, "second", vmss_body(subscription_id, rg, 1, [in_basic])
        ).result()
    )
    assert (error.status_code, error.error.code) == (400, "InvalidParameter")
    assert "first" in error.error.message
    with pytest.raises(ResourceNotFoundError):
        compute_client.virtual_machine_scale_sets.get(rg, "second")

    one = make_lb(network_client, subscription_id, rg, name="std1", pip="std1pip")
    two = make_lb(network_client, subscription_id, rg, name="std2", pip="std2pip")
    both = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[
            {"id": one.backend_address_pools[0].id},
            {"id": two.backend_address_pools[0].id},
        ],
    )
    error = refused(
        lambda: compute_client.virtual_machine_scale_sets.begin_create_or_update(
            rg, "third", vmss_body(subscription_id, rg, 1, [both])
        ).result()
    )
    assert (error.status_code, error.error.code) == (400, "InvalidParameter")
    assert len(network_client.load_balancers.get(rg, "basiclb").backend_address_pools[0].backend_ip_configurations) == 2


def test_the_app_gateway_subnet_lists_the_gateway_ip_configuration(network_client, rg):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    body = {
        "location": LOCATION,
        "properties": {
            "gatewayIPConfigurations": [{"name": "gwip", "properties": {"subnet": {"id": vnet.subnets[1].id}}}],
            "backendAddressPools": [{"name": "pool"}],
        },
    }
    gateway = network_client.application_gateways.begin_create_or_update(rg, "agw", body).result()
    subnet = network_client.subnets.get(rg, "vnet", "appgw")
    assert [c.id for c in subnet.application_gateway_ip_configurations] == [gateway.gateway_ip_configurations[0].id]
    assert subnet.ip_configurations is None
    assert network_client.subnets.get(rg, "vnet", "default").application_gateway_ip_configurations is None
    network_client.application_gateways.begin_delete(rg, "agw").result()
    assert network_client.subnets.get(rg, "vnet", "appgw").application_gateway_ip_configurations is None


def test_effective_network_security_groups_of_a_nic(network_client, subscription_id, rg):
    rule = {
        "name": "ssh",
        "properties": {
            "protocol": "Tcp",
            "sourcePortRange": "*",
            "destinationPortRange": "22",
            "sourceAddressPrefix": "*",
            "destinationAddressPrefix": "*",
            "access": "Allow",
            "priority": 100,
            "direction": "Inbound",
        },
    }
    for name, rules in (("subnetnsg", []), ("nicnsg", [rule])):
        network_client.network_security_groups.begin_create_or_update(
            rg, name, {"location": LOCATION, "properties": {"securityRules": rules}}
        ).result()
    subnet_nsg = net_id(subscription_id, rg, "networkSecurityGroups", "subnetnsg")
    nic_nsg = net_id(subscription_id, rg, "networkSecurityGroups", "nicnsg")
    vnet = make_vnet(network_client, rg, default={"networkSecurityGroup": {"id": subnet_nsg}})
    body = {
        "location": LOCATION,
        "properties": {
            "networkSecurityGroup": {"id": nic_nsg},
            "ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": vnet.subnets[0].id}}}],
        },
    }
    nic = network_client.network_interfaces.begin_create_or_update(rg, "nic", body).result()
    result = network_client.network_interfaces.begin_list_effective_network_security_groups(rg, "nic").result()
    groups = {g.network_security_group.id: g for g in result.value}
    assert set(groups) == {subnet_nsg, nic_nsg}
    assert groups[subnet_nsg].association.subnet.id == vnet.subnets[0].id
    assert groups[nic_nsg].association.network_interface.id == nic.id
    assert [r.name for r in groups[subnet_nsg].effective_security_rules] == [
        "defaultSecurityRules/AllowVnetInBound",
        "defaultSecurityRules/AllowAzureLoadBalancerInBound",
        "defaultSecurityRules/DenyAllInBound",
        "defaultSecurityRules/AllowVnetOutBound",
        "defaultSecurityRules/AllowInternetOutBound",
        "defaultSecurityRules/DenyAllOutBound",
    ]
    ssh = groups[nic_nsg].effective_security_rules[0]
    assert (ssh.name, ssh.protocol, ssh.source_port_range, ssh.destination_port_range) == (
        "securityRules/ssh",
        "Tcp",
        "0-65535",
        "22-22",
    )
    assert (ssh.source_address_prefix, ssh.access, ssh.priority, ssh.direction) == (
        "0.0.0.0/0",
        "Allow",
        100,
        "Inbound",
    )
    deny = groups[nic_nsg].effective_security_rules[3]
    assert (deny.name, deny.protocol, deny.access) == ("defaultSecurityRules/DenyAllInBound", "All", "Deny")

    error = refused(
        lambda: network_client.network_interfaces.begin_list_effective_network_security_groups(rg, "nope").result()
    )
    assert (error.status_code, error.error.code) == (404, "ResourceNotFound")

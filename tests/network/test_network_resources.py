"""Network resources through the real azure-mgmt-network SDK: shapes, rules and Azure's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from tests.network.helpers import LOCATION, make_lb, make_pip, make_rg, make_vnet, net_id


def refused(call: Any) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        call()
    return info.value


def make_nic(network_client: Any, rg: str, name: str, subnet_id: str, **ipconfig: Any) -> Any:
    nic_props = ipconfig.pop("nic_props", {})
    body = {
        "location": LOCATION,
        "properties": {
            **nic_props,
            "ipConfigurations": [{"name": "ip1", "properties": {"subnet": {"id": subnet_id}, **ipconfig}}],
        },
    }
    return network_client.network_interfaces.begin_create_or_update(rg, name, body).result()


# -- virtual networks and subnets -----------------------------------------------------------------


def test_a_vnet_is_created_with_its_subnets_inline_and_as_child_resources(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg, subnets=[("a", "10.0.0.0/24"), ("b", "10.0.1.0/24")])
    assert vnet.provisioning_state == "Succeeded"
    assert vnet.etag.startswith('W/"')
    assert [s.name for s in vnet.subnets] == ["a", "b"]
    child = network_client.subnets.get(rg, "vnet", "b")
    assert child.address_prefix == "10.0.1.0/24"
    assert child.id.endswith("/virtualNetworks/vnet/subnets/b")
    assert [s.name for s in network_client.subnets.list(rg, "vnet")] == ["a", "b"]


def test_a_subnet_can_be_added_as_a_child_resource_and_appears_in_the_vnet(resource_client, network_client):
    rg = make_rg(resource_client)
    make_vnet(network_client, rg)
    body = {"properties": {"addressPrefix": "10.0.5.0/24", "defaultOutboundAccess": False}}
    subnet = network_client.subnets.begin_create_or_update(rg, "vnet", "extra", body).result()
    assert subnet.default_outbound_access is False
    names = [s.name for s in network_client.virtual_networks.get(rg, "vnet").subnets]
    assert names == ["default", "extra"]


def test_overlapping_subnet_prefixes_are_refused_and_nothing_is_created(resource_client, network_client):
    rg = make_rg(resource_client)
    error = refused(lambda: make_vnet(network_client, rg, subnets=[("a", "10.0.0.0/24"), ("b", "10.0.0.128/25")]))
    assert (error.status_code, error.error.code) == (400, "NetcfgSubnetRangesOverlap")
    with pytest.raises(ResourceNotFoundError):
        network_client.virtual_networks.get(rg, "vnet")


def test_a_subnet_outside_the_vnet_address_space_is_refused(resource_client, network_client):
    rg = make_rg(resource_client)
    error = refused(lambda: make_vnet(network_client, rg, subnets=[("a", "10.1.0.0/24")]))
    assert (error.status_code, error.error.code) == (400, "NetcfgSubnetRangeOutsideVnet")


def test_a_missing_subnet_is_a_network_not_found_with_empty_details(resource_client, network_client):
    rg = make_rg(resource_client)
    make_vnet(network_client, rg)
    with pytest.raises(ResourceNotFoundError) as info:
        network_client.subnets.get(rg, "vnet", "nope")
    assert info.value.error.code == "NotFound"
    assert info.value.response.json()["error"]["details"] == []


def test_a_subnet_in_use_cannot_be_deleted_nor_dropped_by_a_vnet_put(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    nic = make_nic(network_client, rg, "nic1", vnet.subnets[0].id)
    error = refused(lambda: network_client.subnets.begin_delete(rg, "vnet", "default").result())
    assert (error.status_code, error.error.code) == (400, "InUseSubnetCannotBeDeleted")
    assert nic.ip_configurations[0].id in error.message
    error = refused(lambda: make_vnet(network_client, rg, subnets=[("other", "10.0.9.0/24")]))
    assert error.error.code == "InUseSubnetCannotBeDeleted"
    assert [s.name for s in network_client.virtual_networks.get(rg, "vnet").subnets] == ["default"]
    error = refused(lambda: network_client.virtual_networks.begin_delete(rg, "vnet").result())
    assert error.error.code == "InUseSubnetCannotBeDeleted"


def test_the_subnet_lists_every_nic_ipconfig_in_it(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    ids = [make_nic(network_client, rg, f"nic{i}", vnet.subnets[0].id).ip_configurations[0].id for i in range(3)]
    subnet = network_client.subnets.get(rg, "vnet", "default")
    assert [c.id for c in subnet.ip_configurations] == ids


def test_a_subnet_referencing_a_missing_nsg_is_refused(resource_client, network_client, subscription_id):
    rg = make_rg(resource_client)
    missing = net_id(subscription_id, rg, "networkSecurityGroups", "nope")
    error = refused(lambda: make_vnet(network_client, rg, default={"networkSecurityGroup": {"id": missing}}))
    assert (error.status_code, error.error.code) == (400, "InvalidResourceReference")


def test_subnet_references_to_nsg_route_table_and_nat_gateway_are_shown_and_block_deletion(
    resource_client, network_client, subscription_id
):
    rg = make_rg(resource_client)
    nsg = network_client.network_security_groups.begin_create_or_update(rg, "nsg", {"location": LOCATION}).result()
    table = network_client.route_tables.begin_create_or_update(rg, "rt", {"location": LOCATION}).result()
    pip = make_pip(network_client, rg, "natpip")
    gw_body = {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIpAddresses": [{"id": pip.id}]}}
    gateway = network_client.nat_gateways.begin_create_or_update(rg, "natgw", gw_body).result()
    refs = {"networkSecurityGroup": {"id": nsg.id}, "routeTable": {"id": table.id}, "natGateway": {"id": gateway.id}}
    vnet = make_vnet(network_client, rg, default=refs)
    subnet_id = vnet.subnets[0].id
    assert vnet.subnets[0].network_security_group.id == nsg.id
    assert [s.id for s in network_client.network_security_groups.get(rg, "nsg").subnets] == [subnet_id]
    assert [s.id for s in network_client.route_tables.get(rg, "rt").subnets] == [subnet_id]
    assert [s.id for s in network_client.nat_gateways.get(rg, "natgw").subnets] == [subnet_id]
    for call, code in (
        (
            lambda: network_client.network_security_groups.begin_delete(rg, "nsg").result(),
            "InUseNetworkSecurityGroupCannotBeDeleted",
        ),
        (lambda: network_client.route_tables.begin_delete(rg, "rt").result(), "InUseRouteTableCannotBeDeleted"),
        (lambda: network_client.nat_gateways.begin_delete(rg, "natgw").result(), "InUseNatGatewayCannotBeDeleted"),
    ):
        error = refused(call)
        assert (error.status_code, error.error.code) == (400, code)
    make_vnet(network_client, rg)  # drop the references
    network_client.network_security_groups.begin_delete(rg, "nsg").result()
    network_client.route_tables.begin_delete(rg, "rt").result()
    network_client.nat_gateways.begin_delete(rg, "natgw").result()


# -- network security groups ----------------------------------------------------------------------


def test_an_nsg_has_azures_six_default_rules_and_its_own_rules_as_child_resources(resource_client, network_client):
    rg = make_rg(resource_client)
    rule = {
        "name": "ssh",
        "properties": {
            "protocol": "Tcp",
            "sourcePortRange": "*",
            "destinationPortRange": "22",
            "sourceAddressPrefix": "*",
            "destinationAddressPrefix": "*",
            "access": "Allow",
            "priority": 1000,
            "direction": "Inbound",
        },
    }
    nsg = network_client.network_security_groups.begin_create_or_update(
        rg, "nsg", {"location": LOCATION, "properties": {"securityRules": [rule]}}
    ).result()
    assert [r.name for r in nsg.default_security_rules] == [
        "AllowVnetInBound",
        "AllowAzureLoadBalancerInBound",
        "DenyAllInBound",
        "AllowVnetOutBound",
        "AllowInternetOutBound",
        "DenyAllOutBound",
    ]
    assert [r.priority for r in nsg.default_security_rules] == [65000, 65001, 65500, 65000, 65001, 65500]
    assert network_client.security_rules.get(rg, "nsg", "ssh").destination_port_range == "22"
    rule2 = {"properties": {**rule["properties"], "priority": 1001, "destinationPortRange": "80"}}
    network_client.security_rules.begin_create_or_update(rg, "nsg", "http", rule2).result()
    assert [r.name for r in network_client.network_security_groups.get(rg, "nsg").security_rules] == ["ssh", "http"]
    network_client.security_rules.begin_delete(rg, "nsg", "ssh").result()
    assert [r.name for r in network_client.security_rules.list(rg, "nsg")] == ["http"]


# -- public IPs -----------------------------------------------------------------------------------


def test_a_standard_public_ip_is_static_with_an_address_and_a_dns_name(resource_client, network_client):
    rg = make_rg(resource_client)
    pip = make_pip(network_client, rg, "pip", dnsSettings={"domainNameLabel": "mylabel"}, idleTimeoutInMinutes=10)
    assert pip.public_ip_allocation_method == "Static"
    assert pip.ip_address.startswith("198.18.")
    assert pip.idle_timeout_in_minutes == 10
    assert pip.dns_settings.fqdn == f"mylabel.{LOCATION}.cloudapp.azure.com"


def test_a_standard_public_ip_must_be_static(resource_client, network_client):
    rg = make_rg(resource_client)
    error = refused(lambda: make_pip(network_client, rg, "pip", publicIPAllocationMethod="Dynamic"))
    assert (error.status_code, error.error.code) == (400, "StandardSkuPublicIPAddressesMustBeStatic")


def test_a_basic_dynamic_public_ip_has_no_address_until_it_is_associated(resource_client, network_client):
    rg = make_rg(resource_client)
    pip = make_pip(network_client, rg, "pip", sku="Basic")
    assert pip.public_ip_allocation_method == "Dynamic"
    assert pip.ip_address is None
    vnet = make_vnet(network_client, rg)
    nic = make_nic(network_client, rg, "nic", vnet.subnets[0].id, publicIPAddress={"id": pip.id})
    pip = network_client.public_ip_addresses.get(rg, "pip")
    assert pip.ip_address is not None
    assert pip.ip_configuration.id == nic.ip_configurations[0].id
    error = refused(lambda: network_client.public_ip_addresses.begin_delete(rg, "pip").result())
    assert (error.status_code, error.error.code) == (400, "PublicIPAddressInUse")
    network_client.network_interfaces.begin_delete(rg, "nic").result()
    assert network_client.public_ip_addresses.get(rg, "pip").ip_address is None
    network_client.public_ip_addresses.begin_delete(rg, "pip").result()


def test_public_ips_from_a_prefix_take_its_addresses(resource_client, network_client):
    rg = make_rg(resource_client)
    prefix = network_client.public_ip_prefixes.begin_create_or_update(
        rg, "prefix", {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"prefixLength": 30}}
    ).result()
    assert prefix.ip_prefix.startswith("198.19.")
    pip = make_pip(network_client, rg, "pip", publicIPPrefix={"id": prefix.id})
    assert pip.ip_address == prefix.ip_prefix.split("/")[0]
    assert [p.id for p in network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses] == [pip.id]
    error = refused(lambda: network_client.public_ip_prefixes.begin_delete(rg, "prefix").result())
    assert error.status_code == 400


def test_tags_are_patched_synchronously_with_a_new_etag(resource_client, network_client):
    rg = make_rg(resource_client)
    pip = make_pip(network_client, rg, "pip")
    updated = network_client.public_ip_addresses.update_tags(rg, "pip", {"tags": {"a": "b"}})
    assert updated.tags == {"a": "b"}
    assert updated.etag != pip.etag


# -- load balancers -------------------------------------------------------------------------------


def test_a_load_balancer_refuses_a_public_ip_of_another_sku(resource_client, network_client, subscription_id):
    rg = make_rg(resource_client)
    make_pip(network_client, rg, "basicpip", sku="Basic")
    error = refused(
        lambda: (
            make_lb(network_client, subscription_id, rg, pip=None)
            if False
            else _lb_with(network_client, subscription_id, rg, "basicpip")
        )
    )
    assert (error.status_code, error.error.code) == (400, "PublicIPAndLBSkuDoNotMatch")
    with pytest.raises(ResourceNotFoundError):
        network_client.load_balancers.get(rg, "lb")
    assert network_client.public_ip_addresses.get(rg, "basicpip").ip_configuration is None


def _lb_with(network_client: Any, sub: str, rg: str, pip: str) -> Any:
    body = {
        "location": LOCATION,
        "sku": {"name": "Standard"},
        "properties": {
            "frontendIPConfigurations": [
                {"name": "fe", "properties": {"publicIPAddress": {"id": net_id(sub, rg, "publicIPAddresses", pip)}}}
            ]
        },
    }
    return network_client.load_balancers.begin_create_or_update(rg, "lb", body).result()


def test_load_balancer_children_are_reachable_as_child_resources(resource_client, network_client, subscription_id):
    rg = make_rg(resource_client)
    lb = make_lb(network_client, subscription_id, rg)
    assert lb.frontend_ip_configurations[0].public_ip_address.id.endswith("/lbpip")
    assert network_client.load_balancer_backend_address_pools.get(rg, "lb", "pool").name == "pool"
    network_client.load_balancer_backend_address_pools.begin_create_or_update(rg, "lb", "pool2", {}).result()
    names = [p.name for p in network_client.load_balancer_backend_address_pools.list(rg, "lb")]
    assert names == ["pool", "pool2"]
    pip = network_client.public_ip_addresses.get(rg, "lbpip")
    assert pip.ip_configuration.id == lb.frontend_ip_configurations[0].id


def test_a_rule_referencing_a_missing_pool_is_refused(resource_client, network_client, subscription_id):
    rg = make_rg(resource_client)
    lb = make_lb(network_client, subscription_id, rg)
    rule = {
        "properties": {
            "frontendIPConfiguration": {"id": lb.frontend_ip_configurations[0].id},
            "backendAddressPool": {"id": f"{lb.id}/backendAddressPools/nope"},
            "protocol": "Tcp",
            "frontendPort": 80,
            "backendPort": 80,
        }
    }
    body = {
        "location": LOCATION,
        "sku": {"name": "Standard"},
        "properties": {
            "frontendIPConfigurations": [
                {
                    "name": "fe",
                    "properties": {"publicIPAddress": {"id": lb.frontend_ip_configurations[0].public_ip_address.id}},
                }
            ],
            "backendAddressPools": [{"name": "pool"}],
            "loadBalancingRules": [{"name": "r", **rule}],
        },
    }
    error = refused(lambda: network_client.load_balancers.begin_create_or_update(rg, "lb", body).result())
    assert (error.status_code, error.error.code) == (400, "InvalidResourceReference")


def test_a_nic_in_a_backend_pool_shows_in_backend_ip_configurations_and_blocks_lb_deletion(
    resource_client, network_client, subscription_id
):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    pool = lb.backend_address_pools[0].id
    nic = make_nic(network_client, rg, "nic", vnet.subnets[0].id, loadBalancerBackendAddressPools=[{"id": pool}])
    pool_view = network_client.load_balancer_backend_address_pools.get(rg, "lb", "pool")
    assert [c.id for c in pool_view.backend_ip_configurations] == [nic.ip_configurations[0].id]
    error = refused(lambda: network_client.load_balancers.begin_delete(rg, "lb").result())
    assert error.status_code == 400
    network_client.network_interfaces.begin_delete(rg, "nic").result()
    assert network_client.load_balancer_backend_address_pools.get(rg, "lb", "pool").backend_ip_configurations is None
    network_client.load_balancers.begin_delete(rg, "lb").result()


# -- network interfaces ---------------------------------------------------------------------------


def test_nic_private_ips_come_from_the_subnet_and_are_released_on_delete(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    subnet = vnet.subnets[0].id
    first = make_nic(network_client, rg, "a", subnet)
    second = make_nic(network_client, rg, "b", subnet)
    assert [first.ip_configurations[0].private_ip_address, second.ip_configurations[0].private_ip_address] == [
        "10.0.0.4",
        "10.0.0.5",
    ]
    network_client.network_interfaces.begin_delete(rg, "a").result()
    third = make_nic(network_client, rg, "c", subnet)
    assert third.ip_configurations[0].private_ip_address == "10.0.0.4"


def test_a_static_private_ip_already_taken_is_refused(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    subnet = vnet.subnets[0].id
    make_nic(network_client, rg, "a", subnet)
    error = refused(
        lambda: make_nic(
            network_client, rg, "b", subnet, privateIPAllocationMethod="Static", privateIPAddress="10.0.0.4"
        )
    )
    assert error.status_code == 400
    with pytest.raises(ResourceNotFoundError):
        network_client.network_interfaces.get(rg, "b")


def test_a_nic_referencing_a_missing_subnet_is_refused_and_not_created(
    resource_client, network_client, subscription_id
):
    rg = make_rg(resource_client)
    make_vnet(network_client, rg)
    missing = net_id(subscription_id, rg, "virtualNetworks", "vnet") + "/subnets/nope"
    error = refused(lambda: make_nic(network_client, rg, "a", missing))
    assert (error.status_code, error.error.code) == (400, "InvalidResourceReference")
    assert network_client.subnets.get(rg, "vnet", "default").ip_configurations is None


def test_a_nic_with_an_nsg_and_dns_servers_shows_them(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    nsg = network_client.network_security_groups.begin_create_or_update(rg, "nsg", {"location": LOCATION}).result()
    nic = make_nic(
        network_client,
        rg,
        "a",
        vnet.subnets[0].id,
        nic_props={"networkSecurityGroup": {"id": nsg.id}, "dnsSettings": {"dnsServers": ["10.0.0.6"]}},
    )
    assert nic.network_security_group.id == nsg.id
    assert nic.dns_settings.applied_dns_servers == ["10.0.0.6"]
    assert [n.id for n in network_client.network_security_groups.get(rg, "nsg").network_interfaces] == [nic.id]
    error = refused(lambda: network_client.network_security_groups.begin_delete(rg, "nsg").result())
    assert error.error.code == "InUseNetworkSecurityGroupCannotBeDeleted"


def test_an_application_gateway_pool_lists_its_members(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    body = {
        "location": LOCATION,
        "properties": {
            "sku": {"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2},
            "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": vnet.subnets[1].id}}}],
            "backendAddressPools": [{"name": "pool"}],
        },
    }
    gateway = network_client.application_gateways.begin_create_or_update(rg, "agw", body).result()
    pool = gateway.backend_address_pools[0].id
    nic = make_nic(network_client, rg, "a", vnet.subnets[0].id, applicationGatewayBackendAddressPools=[{"id": pool}])
    gateway = network_client.application_gateways.get(rg, "agw")
    assert [c.id for c in gateway.backend_address_pools[0].backend_ip_configurations] == [nic.ip_configurations[0].id]
    error = refused(lambda: network_client.subnets.begin_delete(rg, "vnet", "appgw").result())
    assert error.error.code == "InUseSubnetCannotBeDeleted"


def test_an_in_use_subnet_cannot_change_its_prefix(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    make_nic(network_client, rg, "a", vnet.subnets[0].id)
    error = refused(lambda: make_vnet(network_client, rg, subnets=[("default", "10.0.8.0/24")]))
    assert (error.status_code, error.error.code) == (400, "InUseSubnetCannotBeUpdated")
    make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("more", "10.0.1.0/24")])


def test_a_dns_label_is_unique_per_region(resource_client, network_client):
    rg = make_rg(resource_client)
    make_pip(network_client, rg, "a", dnsSettings={"domainNameLabel": "taken"})
    error = refused(lambda: make_pip(network_client, rg, "b", dnsSettings={"domainNameLabel": "taken"}))
    assert (error.status_code, error.error.code) == (400, "DnsRecordInUse")
    network_client.public_ip_addresses.begin_delete(rg, "a").result()
    make_pip(network_client, rg, "b", dnsSettings={"domainNameLabel": "taken"})


def test_a_load_balancer_read_and_put_back_keeps_its_generated_nat_rules_generated(
    emulator, resource_client, network_client, subscription_id
):
    from tests.network.helpers import nic_config
    from tests.network.scale_set_support import FakeScaleSet

    rg = make_rg(resource_client)
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    FakeScaleSet(emulator, rg).attach(
        [0, 1], [nic_config(subscription_id, rg, loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}])]
    )
    lb = network_client.load_balancers.get(rg, "lb")
    assert [r.name for r in lb.inbound_nat_rules] == ["natpool.0", "natpool.1"]
    lb = network_client.load_balancers.begin_create_or_update(rg, "lb", lb).result()
    assert [r.name for r in lb.inbound_nat_rules] == ["natpool.0", "natpool.1"]
    assert [r.frontend_port for r in lb.inbound_nat_rules] == [50000, 50001]


def test_addresses_are_lowest_free_again_after_a_resource_group_is_deleted(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    for name in ("a", "b", "c"):
        make_nic(network_client, rg, name, vnet.subnets[0].id)
    resource_client.resource_groups.begin_delete(rg).result()
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    assert make_nic(network_client, rg, "a", vnet.subnets[0].id).ip_configurations[0].private_ip_address == "10.0.0.4"


def test_check_ip_address_availability_reports_taken_addresses_and_free_ones(resource_client, network_client):
    rg = make_rg(resource_client)
    vnet = make_vnet(network_client, rg)
    make_nic(network_client, rg, "a", vnet.subnets[0].id)
    taken = network_client.virtual_networks.check_ip_address_availability(rg, "vnet", ip_address="10.0.0.4")
    assert taken.available is False
    assert taken.available_ip_addresses == ["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9"]
    assert (
        network_client.virtual_networks.check_ip_address_availability(rg, "vnet", ip_address="10.0.0.10").available
        is True
    )
    assert (
        network_client.virtual_networks.check_ip_address_availability(rg, "vnet", ip_address="10.0.0.1").available
        is False
    )

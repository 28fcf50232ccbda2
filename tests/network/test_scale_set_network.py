"""The ScaleSetNetwork service (what Microsoft.Network does for scale-set VMs), seen through the real SDK."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from tests.network.helpers import LOCATION, make_lb, make_rg, make_vnet, net_id, nic_config
from tests.network.scale_set_support import FakeScaleSet

from vmss_emulator.domain.errors import ArmError


def refused(call: Any) -> ArmError:
    with pytest.raises(ArmError) as info:
        call()
    return info.value


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def appgw(network_client: Any, rg: str, vnet: Any) -> Any:
    body = {
        "location": LOCATION,
        "properties": {
            "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": vnet.subnets[1].id}}}],
            "backendAddressPools": [{"name": "pool"}],
        },
    }
    return network_client.application_gateways.begin_create_or_update(rg, "agw", body).result()


def test_a_hundred_vms_get_unique_addresses_ports_and_pool_memberships_and_release_them(
    emulator, network_client, subscription_id, rg
):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    lb = make_lb(network_client, subscription_id, rg)
    gateway = appgw(network_client, rg, vnet)
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
        applicationGatewayBackendAddressPools=[{"id": gateway.backend_address_pools[0].id}],
        publicIPAddressConfiguration={"name": "pub", "properties": {"idleTimeoutInMinutes": 15}},
    )
    vmss = FakeScaleSet(emulator, rg)
    vmss.validate([config])
    vmss.attach(range(100), [config])

    nics = list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))
    assert len(nics) == 100
    private = {n.ip_configurations[0].private_ip_address for n in nics}
    assert len(private) == 100 and "10.0.0.4" in private
    assert len({n.mac_address for n in nics}) == 100
    pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    assert len({p.ip_address for p in pips}) == 100
    assert {p.sku.name for p in pips} == {"Standard"}  # follows the LB's SKU
    ipconfig_ids = {n.ip_configurations[0].id for n in nics}
    lb = network_client.load_balancers.get(rg, "lb")
    assert {c.id for c in lb.backend_address_pools[0].backend_ip_configurations} == ipconfig_ids
    rules = lb.inbound_nat_rules
    assert len(rules) == 100
    assert {r.frontend_port for r in rules} == set(range(50000, 50100))
    assert {r.backend_ip_configuration.id for r in rules} == ipconfig_ids
    assert {r.name for r in rules} == {f"natpool.{i}" for i in range(100)}
    gateway = network_client.application_gateways.get(rg, "agw")
    assert {c.id for c in gateway.backend_address_pools[0].backend_ip_configurations} == ipconfig_ids
    subnet = network_client.subnets.get(rg, "vnet", "default")
    assert {c.id for c in subnet.ip_configurations} == ipconfig_ids

    vmss.detach(range(50))
    kept = {n.ip_configurations[0].id for n in nics if int(n.virtual_machine.id.rsplit("/", 1)[1]) >= 50}
    lb = network_client.load_balancers.get(rg, "lb")
    assert {c.id for c in lb.backend_address_pools[0].backend_ip_configurations} == kept
    assert {r.backend_ip_configuration.id for r in lb.inbound_nat_rules} == kept
    gateway = network_client.application_gateways.get(rg, "agw")
    assert {c.id for c in gateway.backend_address_pools[0].backend_ip_configurations} == kept
    assert {c.id for c in network_client.subnets.get(rg, "vnet", "default").ip_configurations} == kept
    assert (
        len(list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss")))
        == 50
    )
    # Released addresses and ports are handed out again, lowest first.
    vmss.attach([100], [config])
    nic = network_client.network_interfaces.get_virtual_machine_scale_set_network_interface(rg, "vmss", "100", "nic")
    assert nic.ip_configurations[0].private_ip_address == "10.0.0.4"
    assert network_client.load_balancers.get(rg, "lb").inbound_nat_rules[-1].frontend_port == 50000


def test_vmss_nic_endpoints_have_the_recorded_shapes(emulator, network_client, subscription_id, rg):
    vnet = make_vnet(network_client, rg)
    make_lb(network_client, subscription_id, rg, sku="Basic")
    lb = network_client.load_balancers.get(rg, "lb")
    config = nic_config(
        subscription_id,
        rg,
        nic_props={"dnsSettings": {"dnsServers": ["10.0.0.6", "10.0.0.5"]}},
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
        publicIPAddressConfiguration={
            "name": "pub",
            "properties": {"idleTimeoutInMinutes": 10, "dnsSettings": {"domainNameLabel": "mylabel"}},
        },
    )
    vmss = FakeScaleSet(emulator, rg)
    returned = vmss.attach([0, 3], [config])
    vm_id = f"{vmss.id}/virtualMachines/3"
    assert returned[3] == [
        {"id": f"{vm_id}/networkInterfaces/nic", "properties": {"primary": True, "deleteOption": "Delete"}}
    ]
    nic = network_client.network_interfaces.get_virtual_machine_scale_set_network_interface(rg, "vmss", "3", "nic")
    assert nic.id == f"{vm_id}/networkInterfaces/nic"
    assert nic.virtual_machine.id == vm_id
    assert nic.mac_address.startswith("00-0D-3A-")
    assert nic.primary is True
    assert nic.dns_settings.dns_servers == ["10.0.0.6", "10.0.0.5"]
    assert nic.dns_settings.applied_dns_servers == ["10.0.0.6", "10.0.0.5"]
    ipconfig = nic.ip_configurations[0]
    assert ipconfig.id == f"{nic.id}/ipConfigurations/ipconfig"
    assert ipconfig.primary is True and ipconfig.private_ip_allocation_method == "Dynamic"
    assert [r.id for r in ipconfig.load_balancer_inbound_nat_rules] == [f"{lb.id}/inboundNatRules/natpool.3"]
    assert [
        n.name
        for n in network_client.network_interfaces.list_virtual_machine_scale_set_vm_network_interfaces(rg, "vmss", "0")
    ] == ["nic"]
    listed = list(
        network_client.network_interfaces.list_virtual_machine_scale_set_ip_configurations(rg, "vmss", "3", "nic")
    )
    assert [c.id for c in listed] == [ipconfig.id]
    got = network_client.network_interfaces.get_virtual_machine_scale_set_ip_configuration(
        rg, "vmss", "3", "nic", "ipconfig"
    )
    assert got.private_ip_address == ipconfig.private_ip_address
    pips = list(
        network_client.public_ip_addresses.list_virtual_machine_scale_set_vm_public_ip_addresses(
            rg, "vmss", "3", "nic", "ipconfig"
        )
    )
    assert [p.name for p in pips] == ["pub"]
    pip = network_client.public_ip_addresses.get_virtual_machine_scale_set_public_ip_address(
        rg, "vmss", "3", "nic", "ipconfig", "pub"
    )
    assert pip.id == f"{ipconfig.id}/publicIPAddresses/pub"
    assert pip.ip_configuration.id == ipconfig.id
    assert pip.idle_timeout_in_minutes == 10
    assert pip.sku.name == "Basic" and pip.public_ip_allocation_method == "Dynamic"
    assert pip.dns_settings.domain_name_label == "vm3.mylabel"
    assert pip.dns_settings.fqdn == "vm3.mylabel.westus.cloudapp.azure.com"
    with pytest.raises(ResourceNotFoundError) as info:
        network_client.network_interfaces.get_virtual_machine_scale_set_network_interface(rg, "vmss", "7", "nic")
    assert info.value.error.code == "NotFound"
    with pytest.raises(ResourceNotFoundError):
        list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "nope"))
    assert vnet.subnets[0].name == "default"


def test_several_ipconfigs_and_nics_per_vm(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg, subnets=[("a", "10.0.0.0/24"), ("b", "10.0.1.0/24")])
    first = nic_config(subscription_id, rg, name="nic1", subnet="a")
    first["properties"]["ipConfigurations"][0]["properties"]["primary"] = True
    first["properties"]["ipConfigurations"].append(
        {
            "name": "second",
            "properties": {"subnet": {"id": net_id(subscription_id, rg, "virtualNetworks", "vnet") + "/subnets/a"}},
        }
    )
    second = nic_config(subscription_id, rg, name="nic2", subnet="b")
    second["properties"]["primary"] = False
    vmss = FakeScaleSet(emulator, rg)
    vmss.validate([first, second])
    result = vmss.attach([0], [first, second])[0]
    assert [(n["id"].rsplit("/", 1)[1], n["properties"]["primary"]) for n in result] == [
        ("nic1", True),
        ("nic2", False),
    ]
    nics = {
        n.name: n
        for n in network_client.network_interfaces.list_virtual_machine_scale_set_vm_network_interfaces(rg, "vmss", "0")
    }
    assert [c.private_ip_address for c in nics["nic1"].ip_configurations] == ["10.0.0.4", "10.0.0.5"]
    assert [c.primary for c in nics["nic1"].ip_configurations] == [True, False]
    assert nics["nic2"].ip_configurations[0].private_ip_address == "10.0.1.4"


def test_profile_refusals_have_azures_codes(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    make_vnet(network_client, rg, name="vnet2", prefix="10.1.0.0/16", subnets=[("default", "10.1.0.0/24")])
    vmss = FakeScaleSet(emulator, rg)
    accelerated = nic_config(subscription_id, rg, nic_props={"enableAcceleratedNetworking": True})
    error = refused(lambda: vmss.validate([accelerated], vm_size="Standard_A1_v2"))
    assert (error.status, error.code) == (400, "VMSizeIsNotPermittedToEnableAcceleratedNetworkingForVmss")
    vmss.validate([accelerated], vm_size="Standard_D4s_v3")
    moved = nic_config(subscription_id, rg, vnet="vnet2")
    error = refused(lambda: vmss.validate([moved], previous=[nic_config(subscription_id, rg)]))
    assert (error.status, error.code) == (
        400,
        "VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks",
    )
    second = nic_config(subscription_id, rg, name="nic2", vnet="vnet2")
    second["properties"]["primary"] = False
    error = refused(lambda: vmss.validate([nic_config(subscription_id, rg), second]))
    assert error.status == 400
    many = []
    for i in range(3):
        config = nic_config(subscription_id, rg, name=f"n{i}")
        config["properties"]["primary"] = i == 0
        many.append(config)
    error = refused(lambda: vmss.validate(many, vm_size="Standard_A1_v2"))
    assert (error.status, error.code) == (400, "NetworkInterfaceCountExceeded")
    missing = nic_config(subscription_id, rg, subnet="nope")
    error = refused(lambda: vmss.validate([missing]))
    assert (error.status, error.code) == (400, "InvalidResourceReference")
    nsg = net_id(subscription_id, rg, "networkSecurityGroups", "nope")
    error = refused(
        lambda: vmss.validate([nic_config(subscription_id, rg, nic_props={"networkSecurityGroup": {"id": nsg}})])
    )
    assert error.code == "InvalidResourceReference"


def test_a_per_vm_public_ip_sku_must_follow_the_load_balancer(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, sku="Standard")
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Basic"}},
    )
    vmss = FakeScaleSet(emulator, rg)
    error = refused(lambda: vmss.validate([config]))
    assert (error.status, error.code) == (400, "PublicIPAndLBSkuDoNotMatch")
    error = refused(lambda: vmss.attach([0], [config]))
    assert error.code == "PublicIPAndLBSkuDoNotMatch"
    # Nothing half-created: no NIC, no address, no pool membership.
    assert network_client.subnets.get(rg, "vnet", "default").ip_configurations is None
    assert network_client.load_balancers.get(rg, "lb").backend_address_pools[0].backend_ip_configurations is None


def test_a_nat_pool_without_free_ports_refuses_the_vm_and_nothing_is_left(
    emulator, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, nat_range=(50000, 50001))
    config = nic_config(subscription_id, rg, loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}])
    vmss = FakeScaleSet(emulator, rg)
    vmss.attach([0, 1], [config])
    error = refused(lambda: vmss.attach([2], [config]))
    assert error.status == 400
    assert len(network_client.subnets.get(rg, "vnet", "default").ip_configurations) == 2


def test_a_public_ip_per_vm_can_come_from_a_prefix(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    prefix = network_client.public_ip_prefixes.begin_create_or_update(
        rg, "prefix", {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"prefixLength": 29}}
    ).result()
    config = nic_config(
        subscription_id,
        rg,
        publicIPAddressConfiguration={
            "name": "pub",
            "sku": {"name": "Standard"},
            "properties": {"publicIPPrefix": {"id": prefix.id}, "ipTags": []},
        },
    )
    vmss = FakeScaleSet(emulator, rg)
    vmss.attach(range(3), [config])
    base = prefix.ip_prefix.split("/")[0].rsplit(".", 1)
    pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    assert sorted(p.ip_address for p in pips) == [f"{base[0]}.{int(base[1]) + i}" for i in range(3)]
    assert len(network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses) == 3


def test_a_model_upgrade_keeps_the_vm_address_and_joins_new_pools(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    vmss = FakeScaleSet(emulator, rg)
    vmss.attach([0, 1], [nic_config(subscription_id, rg)])
    upgraded = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    vmss.attach([1], [upgraded])
    nic = network_client.network_interfaces.get_virtual_machine_scale_set_network_interface(rg, "vmss", "1", "nic")
    assert nic.ip_configurations[0].private_ip_address == "10.0.0.5"
    pool = network_client.load_balancers.get(rg, "lb").backend_address_pools[0]
    assert [c.id for c in pool.backend_ip_configurations] == [nic.ip_configurations[0].id]
    renamed = nic_config(subscription_id, rg, name="other")
    vmss.attach([1], [renamed])
    names = [
        n.name
        for n in network_client.network_interfaces.list_virtual_machine_scale_set_vm_network_interfaces(rg, "vmss", "1")
    ]
    assert names == ["other"]
    assert network_client.load_balancers.get(rg, "lb").backend_address_pools[0].backend_ip_configurations is None


def test_flexible_vms_get_top_level_nics_and_public_ips(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    nsg = network_client.network_security_groups.begin_create_or_update(rg, "nsg", {"location": LOCATION}).result()
    config = nic_config(
        subscription_id,
        rg,
        nic_props={"networkSecurityGroup": {"id": nsg.id}},
        publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}},
    )
    vmss = FakeScaleSet(emulator, rg, name="flex", mode="Flexible")
    result = vmss.attach([0], [config])[0]
    nic_name = result[0]["id"].rsplit("/", 1)[1]
    assert nic_name.startswith("nic-") and len(nic_name) == len("nic-") + 8
    nic = network_client.network_interfaces.get(rg, nic_name)
    assert nic.virtual_machine.id == str(vmss.vm_id(0))
    pip = network_client.public_ip_addresses.get(rg, nic.ip_configurations[0].public_ip_address.id.rsplit("/", 1)[1])
    assert pip.ip_configuration.id == nic.ip_configurations[0].id
    with pytest.raises(HttpResponseError) as info:
        network_client.network_interfaces.begin_delete(rg, nic_name).result()
    assert info.value.error.code == "NicInUse"
    with pytest.raises(HttpResponseError) as info:
        network_client.public_ip_addresses.begin_delete(rg, pip.name).result()
    assert info.value.error.code == "PublicIPAddressInUse"
    assert [n.id for n in network_client.network_security_groups.get(rg, "nsg").network_interfaces] == [nic.id]
    vmss.detach([0])
    assert list(network_client.network_interfaces.list(rg)) == []
    assert list(network_client.public_ip_addresses.list(rg)) == []
    assert network_client.network_security_groups.get(rg, "nsg").network_interfaces is None


def test_an_application_gateway_must_be_in_the_scale_sets_vnet_but_another_subnet(
    emulator, network_client, subscription_id, rg
):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    make_vnet(network_client, rg, name="vnet2", prefix="10.1.0.0/16", subnets=[("default", "10.1.0.0/24")])
    gateway = appgw(network_client, rg, vnet)
    pool = [{"id": gateway.backend_address_pools[0].id}]
    vmss = FakeScaleSet(emulator, rg)
    same_subnet = nic_config(subscription_id, rg, subnet="appgw", applicationGatewayBackendAddressPools=pool)
    assert refused(lambda: vmss.validate([same_subnet])).status == 400
    other_vnet = nic_config(subscription_id, rg, vnet="vnet2", applicationGatewayBackendAddressPools=pool)
    assert refused(lambda: vmss.validate([other_vnet])).status == 400
    vmss.validate([nic_config(subscription_id, rg, applicationGatewayBackendAddressPools=pool)])


def test_the_sku_of_per_vm_public_ips_cannot_change(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    basic = nic_config(subscription_id, rg, publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Basic"}})
    standard = nic_config(
        subscription_id, rg, publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}}
    )
    vmss = FakeScaleSet(emulator, rg)
    error = refused(lambda: vmss.validate([standard], previous=[basic]))
    assert (error.status, error.code) == (400, "SkuCannotBeUpdatedOnVMSSPublicIpAddresses")


def test_a_uniform_vm_nic_has_default_outbound_in_its_effective_routes(emulator, network_client, subscription_id, rg):
    from azure.core.rest import HttpRequest

    make_vnet(network_client, rg)
    vmss = FakeScaleSet(emulator, rg)
    nic_id = vmss.attach([0], [nic_config(subscription_id, rg)])[0][0]["id"]
    request = HttpRequest("POST", f"{nic_id}/effectiveRouteTable?api-version=2018-10-01")
    response = network_client.send_request(request)
    assert response.status_code == 200
    default = next(r for r in response.json()["value"] if r["addressPrefix"] == ["0.0.0.0/0"])
    assert default["nextHopType"] == "Internet"


def test_nat_rule_v2_maps_a_port_per_pool_member_shown_on_the_pool(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    rule = {
        "properties": {
            "frontendIPConfiguration": {"id": lb.frontend_ip_configurations[0].id},
            "backendAddressPool": {"id": lb.backend_address_pools[0].id},
            "protocol": "Tcp",
            "frontendPort": 0,
            "frontendPortRangeStart": 50000,
            "frontendPortRangeEnd": 50119,
            "backendPort": 22,
        }
    }
    network_client.inbound_nat_rules.begin_create_or_update(rg, "lb", "NatRule", rule).result()
    config = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    vmss = FakeScaleSet(emulator, rg, name="flex", mode="Flexible")
    vmss.attach([0, 1], [config])
    pool = network_client.load_balancer_backend_address_pools.get(rg, "lb", "pool")
    addresses = pool.load_balancer_backend_addresses
    assert len(addresses) == 2
    mappings = sorted(
        (a.inbound_nat_rules_port_mapping[0].inbound_nat_rule_name, a.inbound_nat_rules_port_mapping[0].frontend_port)
        for a in addresses
    )
    assert mappings == [("NatRule", 50000), ("NatRule", 50001)]
    assert {a.network_interface_ip_configuration.id for a in addresses} == {
        c.id for c in pool.backend_ip_configurations
    }
    vmss.detach([0])
    pool = network_client.load_balancer_backend_address_pools.get(rg, "lb", "pool")
    assert [a.inbound_nat_rules_port_mapping[0].frontend_port for a in pool.load_balancer_backend_addresses] == [50001]


def test_asgs_on_a_scale_set_ipconfig_are_on_every_vm_nic_and_must_exist(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    asg = network_client.application_security_groups.begin_create_or_update(rg, "asg", {"location": LOCATION}).result()
    vmss = FakeScaleSet(emulator, rg)
    vmss.attach([0, 1], [nic_config(subscription_id, rg, applicationSecurityGroups=[{"id": asg.id}])])
    for nic in network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"):
        assert [a.id for a in nic.ip_configurations[0].application_security_groups] == [asg.id]
    missing = net_id(subscription_id, rg, "applicationSecurityGroups", "nope")
    error = refused(
        lambda: vmss.validate([nic_config(subscription_id, rg, applicationSecurityGroups=[{"id": missing}])])
    )
    assert (error.status, error.code) == (400, "InvalidResourceReference")


def test_a_per_instance_update_adds_an_ipconfig_and_leaves_a_backend_pool(
    emulator, network_client, subscription_id, rg
):
    vnet = make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    pooled = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    vmss = FakeScaleSet(emulator, rg)
    vmss.attach([0, 1], [pooled])
    own = nic_config(subscription_id, rg)
    own["properties"]["ipConfigurations"][0]["properties"]["primary"] = True
    own["properties"]["ipConfigurations"].append(
        {"name": "my-second-config", "properties": {"subnet": {"id": vnet.subnets[0].id}}}
    )
    vmss.attach([1], [own])
    nic = network_client.network_interfaces.get_virtual_machine_scale_set_network_interface(rg, "vmss", "1", "nic")
    assert [c.name for c in nic.ip_configurations] == ["ipconfig", "my-second-config"]
    assert nic.ip_configurations[0].private_ip_address == "10.0.0.5"
    pool = network_client.load_balancers.get(rg, "lb").backend_address_pools[0]
    assert [c.id.split("/virtualMachines/")[1][0] for c in pool.backend_ip_configurations] == ["0"]


def test_a_flexible_nic_with_delete_option_detach_outlives_its_vm(emulator, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    config = nic_config(
        subscription_id,
        rg,
        nic_props={"deleteOption": "Detach"},
        publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}},
    )
    vmss = FakeScaleSet(emulator, rg, name="flex", mode="Flexible")
    nic_name = vmss.attach([0], [config])[0][0]["id"].rsplit("/", 1)[1]
    vmss.detach([0])
    nic = network_client.network_interfaces.get(rg, nic_name)
    assert nic.virtual_machine is None
    assert nic.ip_configurations[0].private_ip_address == "10.0.0.4"
    pip_name = nic.ip_configurations[0].public_ip_address.id.rsplit("/", 1)[1]
    network_client.network_interfaces.begin_delete(rg, nic_name).result()
    assert network_client.public_ip_addresses.get(rg, pip_name).ip_configuration is None
    assert network_client.subnets.get(rg, "vnet", "default").ip_configurations is None

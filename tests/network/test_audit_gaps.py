"""Gaps found by an audit, through the real SDK and real Compute: Flexible VMs' NICs are updatable top-level NICs
(the seed's app gateway path for Flexible), per-instance PUT obeys the profile rules, reserved static addresses,
in-use application security groups."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from tests.network.helpers import LOCATION, make_rg, make_vnet, net_id, nic_config
from tests.network.test_real_scale_set import vmss_body


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def refused(call: Any) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        call()
    return info.value


def flexible_body(sub: str, rg: str, capacity: int, configs: list[dict[str, Any]]) -> dict[str, Any]:
    body = vmss_body(sub, rg, capacity, configs)
    body["properties"].update(orchestrationMode="Flexible", platformFaultDomainCount=1, singlePlacementGroup=False)
    del body["properties"]["upgradePolicy"]
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkApiVersion"] = "2020-11-01"
    return body


def make_appgw(network_client: Any, rg: str, subnet_id: str, name: str = "agw") -> Any:
    body = {
        "location": LOCATION,
        "properties": {
            "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": subnet_id}}}],
            "backendAddressPools": [{"name": "pool"}],
        },
    }
    return network_client.application_gateways.begin_create_or_update(rg, name, body).result()


def vm_nics(compute_client: Any, network_client: Any, rg: str, vmss: str) -> list[Any]:
    out = []
    for vm in compute_client.virtual_machine_scale_set_vms.list(rg, vmss):
        for ref in vm.network_profile.network_interfaces:
            out.append(network_client.network_interfaces.get(rg, ref.id.rsplit("/", 1)[1]))
    return out


def test_updating_each_flexible_vm_nic_ipconfig_adds_it_to_the_app_gateway_pool(
    compute_client, network_client, subscription_id, rg
):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    make_vnet(network_client, rg, name="vnet2", prefix="10.1.0.0/16", subnets=[("default", "10.1.0.0/24")])
    gateway = make_appgw(network_client, rg, vnet.subnets[1].id)
    config = nic_config(subscription_id, rg, publicIPAddressConfiguration={"name": "pub", "properties": {}})
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "flex", flexible_body(subscription_id, rg, 2, [config])
    ).result()
    nics = vm_nics(compute_client, network_client, rg, "flex")
    assert len(nics) == 2
    pool = {"id": gateway.backend_address_pools[0].id}
    before = {
        n.name: (n.ip_configurations[0].private_ip_address, n.ip_configurations[0].public_ip_address.id) for n in nics
    }
    for nic in nics:
        wire = {
            "location": nic.location,
            "properties": {
                "ipConfigurations": [
                    {
                        "name": c.name,
                        "properties": {
                            "subnet": {"id": c.subnet.id},
                            "primary": c.primary,
                            "publicIPAddress": {"id": c.public_ip_address.id},
                            "applicationGatewayBackendAddressPools": [pool],
                        },
                    }
                    for c in nic.ip_configurations
                ]
            },
        }
        updated = network_client.network_interfaces.begin_create_or_update(rg, nic.name, wire).result()
        assert [p.id for p in updated.ip_configurations[0].application_gateway_backend_address_pools] == [pool["id"]]
    members = network_client.application_gateways.get(rg, "agw").backend_address_pools[0].backend_ip_configurations
    assert {m.id for m in members} == {n.ip_configurations[0].id for n in nics}
    after = vm_nics(compute_client, network_client, rg, "flex")
    # The VM keeps its NIC, private address and its own public IP (still attached, same address).
    assert {
        n.name: (n.ip_configurations[0].private_ip_address, n.ip_configurations[0].public_ip_address.id) for n in after
    } == before
    assert all(n.virtual_machine is not None for n in after)
    for n in after:
        pip = network_client.public_ip_addresses.get(rg, n.ip_configurations[0].public_ip_address.id.rsplit("/", 1)[1])
        assert pip.ip_address and pip.ip_configuration.id == n.ip_configurations[0].id

    # Moving the NIC to another virtual network is refused and changes nothing.
    moved = {
        "location": LOCATION,
        "properties": {
            "ipConfigurations": [
                {
                    "name": after[0].ip_configurations[0].name,
                    "properties": {
                        "subnet": {"id": net_id(subscription_id, rg, "virtualNetworks", "vnet2") + "/subnets/default"}
                    },
                }
            ]
        },
    }
    error = refused(lambda: network_client.network_interfaces.begin_create_or_update(rg, after[0].name, moved).result())
    assert (error.status_code, error.error.code) == (400, "NicCannotChangeVirtualNetwork")
    assert (
        network_client.network_interfaces.get(rg, after[0].name).ip_configurations[0].private_ip_address
        == before[after[0].name][0]
    )
    assert network_client.subnets.get(rg, "vnet2", "default").ip_configurations is None

    # Deleting the scale set gives the pool memberships back.
    compute_client.virtual_machine_scale_sets.begin_delete(rg, "flex").result()
    assert network_client.application_gateways.get(rg, "agw").backend_address_pools[0].backend_ip_configurations is None


def _per_vm_put(compute_client: Any, rg: str, vmss: str, instance_id: str, configs: list[dict[str, Any]]) -> Any:
    body = {
        "location": LOCATION,
        "properties": {"networkProfileConfiguration": {"networkInterfaceConfigurations": configs}},
    }
    return compute_client.virtual_machine_scale_set_vms.begin_update(rg, vmss, instance_id, body).result()


def _second(sub: str, rg: str, name: str, **extra: Any) -> dict[str, Any]:
    config = nic_config(sub, rg, name=name, **extra)
    config["properties"]["primary"] = False
    return config


def test_per_instance_put_obeys_the_scale_set_nic_rules_and_creates_nothing_when_refused(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    make_vnet(network_client, rg, name="vnet2", prefix="10.1.0.0/16", subnets=[("default", "10.1.0.0/24")])
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "vmss", vmss_body(subscription_id, rg, 1, [nic_config(subscription_id, rg)])
    ).result()
    (vm,) = compute_client.virtual_machine_scale_set_vms.list(rg, "vmss")
    nic_ids = [
        n.id for n in network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss")
    ]
    primary = nic_config(subscription_id, rg)
    cases = {
        "VMScaleSetNicsMustBelongToSameVirtualNetwork": [primary, _second(subscription_id, rg, "nic2", vnet="vnet2")],
        # Standard_DS1_v2 allows 2 NICs.
        "NetworkInterfaceCountExceeded": [primary] + [_second(subscription_id, rg, f"nic{i}") for i in range(2, 5)],
        "InvalidParameter": [primary, {**nic_config(subscription_id, rg, name="nic2")}],  # two primary NICs
        "VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks": [
            nic_config(subscription_id, rg, vnet="vnet2")
        ],
    }
    for code, configs in cases.items():
        error = refused(lambda configs=configs: _per_vm_put(compute_client, rg, "vmss", vm.instance_id, configs))
        assert (error.status_code, error.error.code) == (400, code), code
        nics = network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss")
        assert [n.id for n in nics] == nic_ids
        assert network_client.subnets.get(rg, "vnet2", "default").ip_configurations is None
        assert len(network_client.subnets.get(rg, "vnet", "default").ip_configurations) == 1
        got = compute_client.virtual_machine_scale_set_vms.get(rg, "vmss", vm.instance_id)
        assert len(got.network_profile_configuration.network_interface_configurations) == 1

    # Accelerated networking on a size without it (Standard_A1_v2).
    small = vmss_body(subscription_id, rg, 1, [nic_config(subscription_id, rg)])
    small["sku"]["name"] = "Standard_A1_v2"
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "small", small).result()
    (small_vm,) = compute_client.virtual_machine_scale_set_vms.list(rg, "small")
    accelerated = nic_config(subscription_id, rg, nic_props={"enableAcceleratedNetworking": True})
    error = refused(lambda: _per_vm_put(compute_client, rg, "small", small_vm.instance_id, [accelerated]))
    assert (error.status_code, error.error.code) == (400, "VMSizeIsNotPermittedToEnableAcceleratedNetworkingForVmss")
    (small_nic,) = network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "small")
    assert small_nic.enable_accelerated_networking is False

    # Two NICs in one VNet (different subnets allowed by the rule; here the same) are accepted.
    _per_vm_put(compute_client, rg, "vmss", vm.instance_id, [primary, _second(subscription_id, rg, "nic2")])
    nics = network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss")
    assert sorted(n.name for n in nics) == ["nic", "nic2"]


def _nic_body(sub: str, rg: str, **ipconfig: Any) -> dict[str, Any]:
    subnet = net_id(sub, rg, "virtualNetworks", "vnet") + "/subnets/default"
    return {
        "location": LOCATION,
        "properties": {
            "ipConfigurations": [{"name": "ipconfig1", "properties": {"subnet": {"id": subnet}, **ipconfig}}]
        },
    }


def test_static_private_addresses_in_azure_reserved_range_are_refused(network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    for address in ("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"):
        body = _nic_body(subscription_id, rg, privateIPAllocationMethod="Static", privateIPAddress=address)
        error = refused(
            lambda body=body: network_client.network_interfaces.begin_create_or_update(rg, "nic", body).result()
        )
        assert (error.status_code, error.error.code) == (400, "PrivateIPAddressInReservedRange"), address
        assert list(network_client.network_interfaces.list(rg)) == []
    assert network_client.subnets.get(rg, "vnet", "default").ip_configurations is None
    for address in ("10.0.0.4", "10.0.0.254"):
        body = _nic_body(subscription_id, rg, privateIPAllocationMethod="Static", privateIPAddress=address)
        nic = network_client.network_interfaces.begin_create_or_update(rg, f"nic-{address}", body).result()
        assert nic.ip_configurations[0].private_ip_address == address


def test_an_application_security_group_in_use_by_ip_configurations_cannot_be_deleted(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    asg = network_client.application_security_groups.begin_create_or_update(rg, "asg", {"location": LOCATION}).result()
    body = _nic_body(subscription_id, rg, applicationSecurityGroups=[{"id": asg.id}])
    network_client.network_interfaces.begin_create_or_update(rg, "nic", body).result()
    error = refused(lambda: network_client.application_security_groups.begin_delete(rg, "asg").result())
    assert (error.status_code, error.error.code) == (400, "InUseApplicationSecurityGroupCannotBeDeleted")
    assert "ipconfig1" in error.error.message
    assert network_client.application_security_groups.get(rg, "asg").id == asg.id
    # Dropping the reference from the NIC frees it.
    network_client.network_interfaces.begin_create_or_update(rg, "nic", _nic_body(subscription_id, rg)).result()
    network_client.application_security_groups.begin_delete(rg, "asg").result()

    # Scale-set VMs' ipconfigs count as users too, until the scale set is gone.
    asg = network_client.application_security_groups.begin_create_or_update(rg, "asg", {"location": LOCATION}).result()
    config = nic_config(subscription_id, rg, applicationSecurityGroups=[{"id": asg.id}])
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "vmss", vmss_body(subscription_id, rg, 2, [config])
    ).result()
    error = refused(lambda: network_client.application_security_groups.begin_delete(rg, "asg").result())
    assert (error.status_code, error.error.code) == (400, "InUseApplicationSecurityGroupCannotBeDeleted")
    compute_client.virtual_machine_scale_sets.begin_delete(rg, "vmss").result()
    network_client.application_security_groups.begin_delete(rg, "asg").result()


def test_nic_count_boundary_and_leaving_a_backend_pool_by_per_instance_put(
    compute_client, network_client, subscription_id, rg
):
    from tests.network.helpers import make_lb

    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    pool = [{"id": lb.backend_address_pools[0].id}]
    # Standard_DS4_v2 allows 8 NICs: 9 is refused with nothing created, 8 is accepted.
    nine = [nic_config(subscription_id, rg, loadBalancerBackendAddressPools=pool)]
    nine += [_second(subscription_id, rg, f"nic{i}") for i in range(2, 10)]
    body = vmss_body(subscription_id, rg, 2, nine)
    body["sku"]["name"] = "Standard_DS4_v2"
    error = refused(lambda: compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result())
    assert (error.status_code, error.error.code) == (400, "NetworkInterfaceCountExceeded")
    assert network_client.subnets.get(rg, "vnet", "default").ip_configurations is None
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"] = nine[:8]
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()
    nics = list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))
    assert len(nics) == 16
    members = network_client.load_balancers.get(rg, "lb").backend_address_pools[0].backend_ip_configurations
    assert len(members) == 2
    # One VM leaves the pool through its own PUT; the other stays.
    first, second = compute_client.virtual_machine_scale_set_vms.list(rg, "vmss")
    _per_vm_put(compute_client, rg, "vmss", first.instance_id, [nic_config(subscription_id, rg)] + nine[1:8])
    members = network_client.load_balancers.get(rg, "lb").backend_address_pools[0].backend_ip_configurations
    assert len(members) == 1 and f"/virtualMachines/{second.instance_id}/" in members[0].id

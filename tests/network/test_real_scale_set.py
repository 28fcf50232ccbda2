"""A real Uniform scale set (Compute calling ScaleSetNetwork): NICs, NAT ports and pools follow its instances."""

from __future__ import annotations

from typing import Any

import pytest
from tests.network.helpers import LOCATION, make_lb, make_rg, make_vnet, nic_config


def vmss_body(subscription_id: str, rg: str, capacity: int, configs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "location": LOCATION,
        "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": capacity},
        "properties": {
            "orchestrationMode": "Uniform",
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": "vmss",
                    "adminUsername": "azureuser",
                    "adminPassword": "P@ssw0rd1234!",
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "UbuntuServer",
                        "sku": "18.04-LTS",
                        "version": "latest",
                    },
                    "osDisk": {"createOption": "FromImage", "caching": "ReadWrite"},
                },
                "networkProfile": {"networkInterfaceConfigurations": configs},
            },
        },
    }


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def test_a_uniform_scale_set_gets_nics_nat_ports_and_pool_memberships(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
        publicIPAddressConfiguration={"name": "pub", "properties": {"idleTimeoutInMinutes": 15}},
    )
    body = vmss_body(subscription_id, rg, 3, [config])
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()
    vms = list(compute_client.virtual_machine_scale_set_vms.list(rg, "vmss"))
    nics = list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))
    assert len(nics) == len(vms) == 3
    assert {n.virtual_machine.id.lower() for n in nics} == {vm.id.lower() for vm in vms}
    assert len({n.ip_configurations[0].private_ip_address for n in nics}) == 3
    lb = network_client.load_balancers.get(rg, "lb")
    assert {r.frontend_port for r in lb.inbound_nat_rules} == {50000, 50001, 50002}
    ipconfigs = {n.ip_configurations[0].id for n in nics}
    assert {c.id for c in lb.backend_address_pools[0].backend_ip_configurations} == ipconfigs
    pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    assert len({p.ip_address for p in pips}) == 3

    first = vms[0].instance_id
    compute_client.virtual_machine_scale_set_vms.begin_delete(rg, "vmss", first).result()
    nics = list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))
    assert len(nics) == 2
    lb = network_client.load_balancers.get(rg, "lb")
    assert len(lb.inbound_nat_rules) == 2
    assert len(lb.backend_address_pools[0].backend_ip_configurations) == 2

    compute_client.virtual_machine_scale_sets.begin_delete(rg, "vmss").result()
    assert network_client.load_balancers.get(rg, "lb").backend_address_pools[0].backend_ip_configurations is None
    assert network_client.subnets.get(rg, "vnet", "default").ip_configurations is None


def test_a_scale_set_refusals_from_the_network_reach_the_client(compute_client, network_client, subscription_id, rg):
    from azure.core.exceptions import HttpResponseError

    make_vnet(network_client, rg)
    make_vnet(network_client, rg, name="vnet2", prefix="10.1.0.0/16", subnets=[("default", "10.1.0.0/24")])
    accelerated = nic_config(subscription_id, rg, nic_props={"enableAcceleratedNetworking": True})
    body = vmss_body(subscription_id, rg, 1, [accelerated])
    body["sku"]["name"] = "Standard_A1_v2"
    with pytest.raises(HttpResponseError) as info:
        compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()
    assert (info.value.status_code, info.value.error.code) == (
        400,
        "VMSizeIsNotPermittedToEnableAcceleratedNetworkingForVmss",
    )
    body = vmss_body(subscription_id, rg, 1, [nic_config(subscription_id, rg)])
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()
    moved = vmss_body(subscription_id, rg, 1, [nic_config(subscription_id, rg, vnet="vnet2")])
    with pytest.raises(HttpResponseError) as info:
        compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", moved).result()
    assert (info.value.status_code, info.value.error.code) == (
        400,
        "VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks",
    )

"""A real 100-VM Uniform scale set (Compute drives ScaleSetNetwork): a Standard LB with a backend pool and a
NAT pool, an application gateway pool and a public IP per VM; then scale in by 50."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from azure.core.exceptions import ResourceNotFoundError
from tests.network.helpers import LOCATION, make_lb, make_rg, make_vnet, nic_config
from tests.network.test_real_scale_set import vmss_body


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def _appgw(network_client: Any, rg: str, subnet_id: str) -> Any:
    body = {
        "location": LOCATION,
        "properties": {
            "gatewayIPConfigurations": [{"name": "gwip", "properties": {"subnet": {"id": subnet_id}}}],
            "backendAddressPools": [{"name": "pool"}],
        },
    }
    return network_client.application_gateways.begin_create_or_update(rg, "agw", body).result()


def _network_view(network_client: Any, rg: str) -> dict[str, Any]:
    """Everything the network provider says about the scale set, keyed by VM id (lower-cased)."""
    nics = list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))
    pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    lb = network_client.load_balancers.get(rg, "lb")
    gateway = network_client.application_gateways.get(rg, "agw")
    return {
        "nics": {n.virtual_machine.id.lower(): n for n in nics},
        "nic_count": len(nics),
        "pips": {p.ip_configuration.id.lower(): p for p in pips},
        "pip_count": len(pips),
        "lb_pool": {c.id.lower() for c in lb.backend_address_pools[0].backend_ip_configurations or []},
        "nat": {r.backend_ip_configuration.id.lower(): r.frontend_port for r in lb.inbound_nat_rules},
        "nat_count": len(lb.inbound_nat_rules),
        "gw_pool": {c.id.lower() for c in gateway.backend_address_pools[0].backend_ip_configurations or []},
        "subnet": {c.id.lower() for c in network_client.subnets.get(rg, "vnet", "default").ip_configurations or []},
    }


def _check(view: dict[str, Any], vm_ids: set[str]) -> dict[str, tuple[str, str, int]]:
    """Every VM has exactly its NIC, private IP, public IP, NAT port and pool memberships; return them."""
    assert set(view["nics"]) == vm_ids and view["nic_count"] == len(vm_ids)
    subnet = ipaddress.ip_network("10.0.0.0/24")
    out = {}
    for vm_id, nic in view["nics"].items():
        (ipconfig,) = nic.ip_configurations
        key = ipconfig.id.lower()
        assert ipaddress.ip_address(ipconfig.private_ip_address) in subnet
        pip = view["pips"][key]
        assert pip.public_ip_allocation_method == "Static" and pip.sku.name == "Standard"
        out[vm_id] = (ipconfig.private_ip_address, pip.ip_address, view["nat"][key])
    ipconfigs = {n.ip_configurations[0].id.lower() for n in view["nics"].values()}
    assert view["lb_pool"] == view["gw_pool"] == view["subnet"] == set(view["nat"]) == set(view["pips"]) == ipconfigs
    assert view["pip_count"] == view["nat_count"] == len(vm_ids)
    for index in range(3):
        assert len({v[index] for v in out.values()}) == len(vm_ids), "private IPs, public IPs, NAT ports unique"
    assert all(50000 <= v[2] <= 50119 for v in out.values())
    return out


def test_a_hundred_vm_scale_set_then_scale_in_by_fifty(compute_client, network_client, subscription_id, rg):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    lb = make_lb(network_client, subscription_id, rg)
    gateway = _appgw(network_client, rg, vnet.subnets[1].id)
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
        applicationGatewayBackendAddressPools=[{"id": gateway.backend_address_pools[0].id}],
        publicIPAddressConfiguration={"name": "pub", "properties": {"idleTimeoutInMinutes": 15}},
    )
    body = vmss_body(subscription_id, rg, 100, [config])
    body["properties"]["overprovision"] = False
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()

    vms = {vm.id.lower() for vm in compute_client.virtual_machine_scale_set_vms.list(rg, "vmss")}
    assert len(vms) == 100
    before = _check(_network_view(network_client, rg), vms)

    compute_client.virtual_machine_scale_sets.begin_update(rg, "vmss", {"sku": {"capacity": 50}}).result()
    kept = {vm.id.lower() for vm in compute_client.virtual_machine_scale_set_vms.list(rg, "vmss")}
    assert len(kept) == 50 and kept < vms
    view = _network_view(network_client, rg)
    after = _check(view, kept)
    # The survivors keep their private IP, public IP and NAT port; the removed VMs' ones are all released.
    assert after == {vm: before[vm] for vm in kept}
    removed = vms - kept
    removed_ips = {before[vm][0] for vm in removed}
    for vm in sorted(removed)[:3]:
        with pytest.raises(ResourceNotFoundError):
            network_client.network_interfaces.get_virtual_machine_scale_set_network_interface(
                rg, "vmss", vm.rsplit("/", 1)[1], "nic"
            )
    taken = {ipaddress.ip_address(before[vm][0]) for vm in kept}
    assert not removed_ips & {str(a) for a in taken}
    assert network_client.virtual_networks.check_ip_address_availability(
        rg, "vnet", ip_address=sorted(removed_ips)[0]
    ).available

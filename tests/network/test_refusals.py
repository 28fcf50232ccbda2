"""Refusals through the real SDK and real Compute: each answers Azure's status and code, and a refused request
leaves nothing behind (no scale set, no NIC, no address, no pool member, no public IP)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from tests.network.helpers import LOCATION, make_lb, make_rg, make_vnet, net_id, nic_config
from tests.network.test_audit_gaps import flexible_body, make_appgw
from tests.network.test_real_scale_set import vmss_body


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def refused(call: Any) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        call()
    return info.value


def assert_refused(call: Any, status: int, code: str) -> HttpResponseError:
    error = refused(call)
    assert (error.status_code, error.error.code) == (status, code)
    return error


def create_vmss(compute_client: Any, rg: str, name: str, body: dict[str, Any]) -> Any:
    return compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, name, body).result()


def assert_no_scale_set(compute_client: Any, network_client: Any, rg: str, name: str = "vmss") -> None:
    with pytest.raises(ResourceNotFoundError):
        compute_client.virtual_machine_scale_sets.get(rg, name)
    assert list(network_client.network_interfaces.list(rg)) == []


def subnet_users(network_client: Any, rg: str, vnet: str = "vnet", subnet: str = "default") -> list[str]:
    return [c.id for c in network_client.subnets.get(rg, vnet, subnet).ip_configurations or []]


def pool_members(network_client: Any, rg: str, lb: str = "lb") -> list[str]:
    pool = network_client.load_balancers.get(rg, lb).backend_address_pools[0]
    return [c.id for c in pool.backend_ip_configurations or []]


def pip_names(network_client: Any, rg: str) -> list[str]:
    return sorted(p.name for p in network_client.public_ip_addresses.list(rg))


def _secondary(config: dict[str, Any]) -> dict[str, Any]:
    config["properties"]["primary"] = False
    return config


def _two_ipconfigs(sub: str, rg: str, primaries: tuple[bool | None, bool | None]) -> dict[str, Any]:
    config = nic_config(sub, rg)
    subnet = config["properties"]["ipConfigurations"][0]["properties"]["subnet"]
    config["properties"]["ipConfigurations"] = [
        {
            "name": f"ipconfig{i}",
            "properties": {"subnet": subnet, **({} if primary is None else {"primary": primary})},
        }
        for i, primary in enumerate(primaries)
    ]
    return config


# -- 1. scale-set model refusals ----------------------------------------------------------------


def test_nics_of_a_scale_set_model_in_two_virtual_networks_are_refused(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    make_vnet(network_client, rg, name="vnet2", prefix="10.1.0.0/16", subnets=[("default", "10.1.0.0/24")])
    configs = [nic_config(subscription_id, rg), _secondary(nic_config(subscription_id, rg, name="nic2", vnet="vnet2"))]
    body = vmss_body(subscription_id, rg, 2, configs)
    assert_refused(
        lambda: create_vmss(compute_client, rg, "vmss", body), 400, "VMScaleSetNicsMustBelongToSameVirtualNetwork"
    )
    assert_no_scale_set(compute_client, network_client, rg)
    assert subnet_users(network_client, rg) == []
    assert subnet_users(network_client, rg, "vnet2") == []
    # Different subnets of one virtual network are fine (the rule is per VNet).
    make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("second", "10.0.1.0/24")])
    configs[1] = _secondary(nic_config(subscription_id, rg, name="nic2", subnet="second"))
    create_vmss(compute_client, rg, "vmss", vmss_body(subscription_id, rg, 2, configs))
    assert (
        len(list(network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss"))) == 4
    )


@pytest.mark.parametrize(
    "shape",
    ["two primary NICs", "no primary NIC", "two primary ipconfigs", "no primary ipconfig"],
)
def test_a_scale_set_model_needs_exactly_one_primary_nic_and_ipconfig(
    compute_client, network_client, subscription_id, rg, shape
):
    make_vnet(network_client, rg)
    sub = subscription_id
    configs = {
        "two primary NICs": [nic_config(sub, rg), nic_config(sub, rg, name="nic2")],
        "no primary NIC": [_secondary(nic_config(sub, rg)), _secondary(nic_config(sub, rg, name="nic2"))],
        "two primary ipconfigs": [_two_ipconfigs(sub, rg, (True, True))],
        "no primary ipconfig": [_two_ipconfigs(sub, rg, (None, False))],
    }[shape]
    error = assert_refused(
        lambda: create_vmss(compute_client, rg, "vmss", vmss_body(sub, rg, 2, configs)), 400, "InvalidParameter"
    )
    assert "exactly one primary" in error.error.message
    assert_no_scale_set(compute_client, network_client, rg)
    assert subnet_users(network_client, rg) == []


def test_a_load_balancer_in_use_by_a_scale_set_cannot_be_deleted_nor_lose_its_used_pools(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
    )
    create_vmss(compute_client, rg, "vmss", vmss_body(subscription_id, rg, 2, [config]))
    members = pool_members(network_client, rg)
    assert len(members) == 2

    assert_refused(
        lambda: network_client.load_balancers.begin_delete(rg, "lb").result(),
        400,
        "LoadBalancerInUseByVirtualMachineScaleSet",
    )
    kept = network_client.load_balancers.get(rg, "lb")
    assert pool_members(network_client, rg) == members
    assert len(kept.inbound_nat_rules) == 2

    lb_id = kept.id
    frontend = {
        "name": "fe",
        "properties": {"publicIPAddress": {"id": net_id(subscription_id, rg, "publicIPAddresses", "lbpip")}},
    }
    natpool = {
        "name": "natpool",
        "properties": {
            "frontendIPConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/fe"},
            "protocol": "Tcp",
            "frontendPortRangeStart": 50000,
            "frontendPortRangeEnd": 50119,
            "backendPort": 22,
        },
    }
    without_pool = {"frontendIPConfigurations": [frontend], "backendAddressPools": [], "inboundNatPools": [natpool]}
    without_natpool = {"frontendIPConfigurations": [frontend], "backendAddressPools": [{"name": "pool"}]}
    for props in (without_pool, without_natpool):
        body = {"location": LOCATION, "sku": {"name": "Standard"}, "properties": props}
        assert_refused(
            lambda body=body: network_client.load_balancers.begin_create_or_update(rg, "lb", body).result(),
            400,
            "LoadBalancerBackendAddressPoolInUseByVirtualMachineScaleSet",
        )
        after = network_client.load_balancers.get(rg, "lb")
        assert [p.name for p in after.backend_address_pools] == ["pool"]
        assert [p.name for p in after.inbound_nat_pools] == ["natpool"]
        assert after.etag == kept.etag
        assert pool_members(network_client, rg) == members
        assert {r.frontend_port for r in after.inbound_nat_rules} == {50000, 50001}

    # Once the scale set is gone the same requests succeed.
    compute_client.virtual_machine_scale_sets.begin_delete(rg, "vmss").result()
    body = {"location": LOCATION, "sku": {"name": "Standard"}, "properties": without_natpool}
    network_client.load_balancers.begin_create_or_update(rg, "lb", body).result()
    network_client.load_balancers.begin_delete(rg, "lb").result()


def test_a_public_ip_prefix_in_use_by_scale_set_public_ips_cannot_be_deleted(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    prefix = network_client.public_ip_prefixes.begin_create_or_update(
        rg, "prefix", {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"prefixLength": 28}}
    ).result()
    config = nic_config(
        subscription_id,
        rg,
        publicIPAddressConfiguration={
            "name": "pub",
            "sku": {"name": "Standard"},
            "properties": {"publicIPPrefix": {"id": prefix.id}},
        },
    )
    create_vmss(compute_client, rg, "vmss", vmss_body(subscription_id, rg, 2, [config]))
    users = network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses
    assert len(users) == 2
    assert_refused(
        lambda: network_client.public_ip_prefixes.begin_delete(rg, "prefix").result(), 400, "PublicIpPrefixInUse"
    )
    assert len(network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses) == 2
    compute_client.virtual_machine_scale_sets.begin_delete(rg, "vmss").result()
    network_client.public_ip_prefixes.begin_delete(rg, "prefix").result()


def test_an_application_gateway_whose_pool_a_scale_set_uses_cannot_be_deleted(
    compute_client, network_client, subscription_id, rg
):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    gateway = make_appgw(network_client, rg, vnet.subnets[1].id)
    pool = {"id": gateway.backend_address_pools[0].id}
    config = nic_config(subscription_id, rg, applicationGatewayBackendAddressPools=[pool])
    create_vmss(compute_client, rg, "vmss", vmss_body(subscription_id, rg, 2, [config]))
    assert_refused(
        lambda: network_client.application_gateways.begin_delete(rg, "agw").result(),
        400,
        "ApplicationGatewayBackendAddressPoolInUse",
    )
    # A PUT that drops the used pool is refused the same way.
    body = {
        "location": LOCATION,
        "properties": {
            "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": vnet.subnets[1].id}}}],
            "backendAddressPools": [{"name": "other"}],
        },
    }
    assert_refused(
        lambda: network_client.application_gateways.begin_create_or_update(rg, "agw", body).result(),
        400,
        "ApplicationGatewayBackendAddressPoolInUse",
    )
    kept = network_client.application_gateways.get(rg, "agw")
    assert [p.name for p in kept.backend_address_pools] == ["pool"]
    assert len(kept.backend_address_pools[0].backend_ip_configurations) == 2
    assert len(subnet_users(network_client, rg)) == 2
    compute_client.virtual_machine_scale_sets.begin_delete(rg, "vmss").result()
    network_client.application_gateways.begin_delete(rg, "agw").result()


@pytest.mark.parametrize("missing", ["publicIPPrefix", "backend pool", "load balancer", "app gateway pool", "gateway"])
def test_a_scale_set_referencing_a_missing_network_resource_is_refused(
    compute_client, network_client, subscription_id, rg, missing
):
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    lb = make_lb(network_client, subscription_id, rg)
    make_appgw(network_client, rg, vnet.subnets[1].id)
    lb_id = net_id(subscription_id, rg, "loadBalancers", "lb")
    gw_id = net_id(subscription_id, rg, "applicationGateways", "agw")
    ipconfig: dict[str, Any] = {
        "publicIPPrefix": {
            "publicIPAddressConfiguration": {
                "name": "pub",
                "sku": {"name": "Standard"},
                "properties": {"publicIPPrefix": {"id": net_id(subscription_id, rg, "publicIPPrefixes", "nope")}},
            }
        },
        "backend pool": {"loadBalancerBackendAddressPools": [{"id": f"{lb_id}/backendAddressPools/nope"}]},
        "load balancer": {
            "loadBalancerBackendAddressPools": [
                {"id": net_id(subscription_id, rg, "loadBalancers", "nope") + "/backendAddressPools/pool"}
            ]
        },
        "app gateway pool": {"applicationGatewayBackendAddressPools": [{"id": f"{gw_id}/backendAddressPools/nope"}]},
        "gateway": {
            "applicationGatewayBackendAddressPools": [
                {"id": net_id(subscription_id, rg, "applicationGateways", "nope") + "/backendAddressPools/pool"}
            ]
        },
    }[missing]
    body = vmss_body(subscription_id, rg, 2, [nic_config(subscription_id, rg, **ipconfig)])
    error = assert_refused(lambda: create_vmss(compute_client, rg, "vmss", body), 400, "InvalidResourceReference")
    assert "nope" in error.error.message
    assert_no_scale_set(compute_client, network_client, rg)
    assert subnet_users(network_client, rg) == []
    assert pool_members(network_client, rg) == []
    assert network_client.load_balancers.get(rg, "lb").inbound_nat_rules == []
    assert network_client.application_gateways.get(rg, "agw").backend_address_pools[0].backend_ip_configurations is None
    assert pip_names(network_client, rg) == ["lbpip"]
    assert lb.id == lb_id


# -- 2. per-VM public IP SKU vs the load balancer's ----------------------------------------------


@pytest.mark.parametrize(("lb_sku", "pip_sku"), [("Basic", "Standard"), ("Standard", "Basic")])
def test_a_per_vm_public_ip_sku_other_than_the_load_balancers_is_refused(
    compute_client, network_client, subscription_id, rg, lb_sku, pip_sku
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, sku=lb_sku)
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
        publicIPAddressConfiguration={"name": "pub", "sku": {"name": pip_sku}, "properties": {}},
    )
    body = vmss_body(subscription_id, rg, 2, [config])
    assert_refused(lambda: create_vmss(compute_client, rg, "vmss", body), 400, "PublicIPAndLBSkuDoNotMatch")
    assert_no_scale_set(compute_client, network_client, rg)
    assert subnet_users(network_client, rg) == []
    assert pool_members(network_client, rg) == []
    assert network_client.load_balancers.get(rg, "lb").inbound_nat_rules == []
    assert pip_names(network_client, rg) == ["lbpip"]
    # The matching SKU is accepted and the per-VM public IPs get it.
    config["properties"]["ipConfigurations"][0]["properties"]["publicIPAddressConfiguration"]["sku"] = {"name": lb_sku}
    create_vmss(compute_client, rg, "vmss", vmss_body(subscription_id, rg, 2, [config]))
    pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    assert [p.sku.name for p in pips] == [lb_sku, lb_sku]


# -- 3. full subnets ----------------------------------------------------------------------------


def _small_vnet(network_client: Any, rg: str) -> Any:
    # A /29 has 8 addresses; Azure keeps 5 (.0-.3 and the broadcast), leaving 3.
    return make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/29")])


def test_a_scale_set_larger_than_its_subnet_is_refused_with_nothing_created(
    compute_client, network_client, subscription_id, rg
):
    _small_vnet(network_client, rg)
    body = vmss_body(subscription_id, rg, 4, [nic_config(subscription_id, rg)])
    error = assert_refused(lambda: create_vmss(compute_client, rg, "vmss", body), 400, "SubnetIsFull")
    assert error.error is not None
    assert error.error.message.endswith("does not have enough capacity for 4 IP addresses.")
    assert_no_scale_set(compute_client, network_client, rg)
    assert subnet_users(network_client, rg) == []
    # The three usable addresses are all there for a scale set that fits.
    body["sku"]["capacity"] = 3
    create_vmss(compute_client, rg, "vmss", body)
    nics = network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss")
    assert sorted(n.ip_configurations[0].private_ip_address for n in nics) == ["10.0.0.4", "10.0.0.5", "10.0.0.6"]


def test_scaling_out_beyond_the_subnet_is_refused_and_keeps_the_capacity(
    compute_client, network_client, subscription_id, rg
):
    _small_vnet(network_client, rg)
    body = vmss_body(subscription_id, rg, 2, [nic_config(subscription_id, rg)])
    create_vmss(compute_client, rg, "vmss", body)
    nics_before = sorted(
        n.id for n in network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss")
    )
    body["sku"]["capacity"] = 5
    assert_refused(lambda: create_vmss(compute_client, rg, "vmss", body), 400, "SubnetIsFull")
    assert compute_client.virtual_machine_scale_sets.get(rg, "vmss").sku.capacity == 2
    assert len(list(compute_client.virtual_machine_scale_set_vms.list(rg, "vmss"))) == 2
    nics_after = sorted(
        n.id for n in network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, "vmss")
    )
    assert nics_after == nics_before
    assert len(subnet_users(network_client, rg)) == 2
    # Scaling out by the one address left works.
    body["sku"]["capacity"] = 3
    create_vmss(compute_client, rg, "vmss", body)
    assert len(subnet_users(network_client, rg)) == 3


def test_a_standalone_nic_in_a_full_subnet_is_refused(compute_client, network_client, subscription_id, rg):
    _small_vnet(network_client, rg)
    create_vmss(compute_client, rg, "vmss", vmss_body(subscription_id, rg, 3, [nic_config(subscription_id, rg)]))
    subnet = net_id(subscription_id, rg, "virtualNetworks", "vnet") + "/subnets/default"
    nic = {
        "location": LOCATION,
        "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"subnet": {"id": subnet}}}]},
    }
    assert_refused(
        lambda: network_client.network_interfaces.begin_create_or_update(rg, "nic", nic).result(), 400, "SubnetIsFull"
    )
    with pytest.raises(ResourceNotFoundError):
        network_client.network_interfaces.get(rg, "nic")
    assert len(subnet_users(network_client, rg)) == 3
    # Scaling in frees an address for it.
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "vmss", vmss_body(subscription_id, rg, 2, [nic_config(subscription_id, rg)])
    ).result()
    created = network_client.network_interfaces.begin_create_or_update(rg, "nic", nic).result()
    assert created.ip_configurations[0].private_ip_address.startswith("10.0.0.")


# -- 4. outbound on a real Flexible scale set ----------------------------------------------------


def _default_route(network_client: Any, rg: str, nic_name: str) -> Any:
    table = network_client.network_interfaces.begin_get_effective_route_table(rg, nic_name).result()
    (route,) = [r for r in table.value if r.address_prefix == ["0.0.0.0/0"] and r.source == "Default"]
    return route


def _vm_nic_names(compute_client: Any, rg: str, vmss: str) -> list[str]:
    return [
        ref.id.rsplit("/", 1)[1]
        for vm in compute_client.virtual_machine_scale_set_vms.list(rg, vmss)
        for ref in vm.network_profile.network_interfaces
    ]


def test_flexible_vms_have_outbound_only_through_an_explicit_path(compute_client, network_client, subscription_id, rg):
    pip = network_client.public_ip_addresses.begin_create_or_update(
        rg,
        "natpip",
        {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
    ).result()
    nat = network_client.nat_gateways.begin_create_or_update(
        rg,
        "nat",
        {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIpAddresses": [{"id": pip.id}]}},
    ).result()
    make_vnet(
        network_client,
        rg,
        subnets=[("default", "10.0.0.0/24"), ("natted", "10.0.1.0/24")],
        natted={"natGateway": {"id": nat.id}},
    )
    create_vmss(compute_client, rg, "bare", flexible_body(subscription_id, rg, 2, [nic_config(subscription_id, rg)]))
    create_vmss(
        compute_client,
        rg,
        "nat",
        flexible_body(subscription_id, rg, 2, [nic_config(subscription_id, rg, subnet="natted")]),
    )
    bare = _vm_nic_names(compute_client, rg, "bare")
    natted = _vm_nic_names(compute_client, rg, "nat")
    assert len(bare) == len(natted) == 2
    for name in bare:
        assert _default_route(network_client, rg, name).next_hop_type == "None"
    for name in natted:
        assert _default_route(network_client, rg, name).next_hop_type == "Internet"
    # Putting the NAT gateway on the bare subnet gives its VMs the same path.
    make_vnet(
        network_client,
        rg,
        subnets=[("default", "10.0.0.0/24"), ("natted", "10.0.1.0/24")],
        default={"natGateway": {"id": nat.id}},
        natted={"natGateway": {"id": nat.id}},
    )
    for name in bare:
        assert _default_route(network_client, rg, name).next_hop_type == "Internet"


@pytest.mark.parametrize("mode", ["Uniform", "Flexible"])
def test_a_full_subnet_leaves_no_nic_or_public_ip_of_a_scale_set_with_public_ips_per_vm(
    compute_client, network_client, subscription_id, rg, mode
):
    _small_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg)
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}, "properties": {}},
    )

    def body(capacity: int) -> dict[str, Any]:
        if mode == "Uniform":
            return vmss_body(subscription_id, rg, capacity, [config])
        return flexible_body(subscription_id, rg, capacity, [config])

    assert_refused(lambda: create_vmss(compute_client, rg, "vmss", body(4)), 400, "SubnetIsFull")
    assert_no_scale_set(compute_client, network_client, rg)
    assert pip_names(network_client, rg) == ["lbpip"]
    assert pool_members(network_client, rg) == []
    create_vmss(compute_client, rg, "vmss", body(2))
    nics = sorted(n.id for n in network_client.network_interfaces.list(rg))
    pips = pip_names(network_client, rg)
    vm_pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    assert len(vm_pips) == 2 if mode == "Uniform" else len(pips) == 3
    assert_refused(lambda: create_vmss(compute_client, rg, "vmss", body(4)), 400, "SubnetIsFull")
    assert compute_client.virtual_machine_scale_sets.get(rg, "vmss").sku.capacity == 2
    assert sorted(n.id for n in network_client.network_interfaces.list(rg)) == nics
    assert pip_names(network_client, rg) == pips
    assert len(pool_members(network_client, rg)) == 2
    assert len(subnet_users(network_client, rg)) == 2


@pytest.mark.parametrize("mode", ["Uniform", "Flexible"])
def test_per_vm_public_ips_beyond_their_prefix_are_refused_with_nothing_created(
    compute_client, network_client, subscription_id, rg, mode
):
    make_vnet(network_client, rg)
    prefix = network_client.public_ip_prefixes.begin_create_or_update(
        rg, "prefix", {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"prefixLength": 31}}
    ).result()
    config = nic_config(
        subscription_id,
        rg,
        publicIPAddressConfiguration={
            "name": "pub",
            "sku": {"name": "Standard"},
            "properties": {"publicIPPrefix": {"id": prefix.id}},
        },
    )

    def body(capacity: int) -> dict[str, Any]:
        if mode == "Uniform":
            return vmss_body(subscription_id, rg, capacity, [config])
        return flexible_body(subscription_id, rg, capacity, [config])

    # A /31 gives two addresses.
    error = assert_refused(
        lambda: create_vmss(compute_client, rg, "vmss", body(3)), 400, "PublicIpPrefixOutOfIpAddressesForVMScaleSet"
    )
    assert "can provide 2 public ips at maximum" in error.error.message
    assert_no_scale_set(compute_client, network_client, rg)
    assert network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses is None
    assert pip_names(network_client, rg) == []
    assert subnet_users(network_client, rg) == []
    create_vmss(compute_client, rg, "vmss", body(2))
    users = sorted(p.id for p in network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses)
    assert len(users) == 2
    error = assert_refused(
        lambda: create_vmss(compute_client, rg, "vmss", body(3)), 400, "PublicIpPrefixOutOfIpAddressesForVMScaleSet"
    )
    assert "2 of them are in use already" in error.error.message
    assert compute_client.virtual_machine_scale_sets.get(rg, "vmss").sku.capacity == 2
    assert sorted(p.id for p in network_client.public_ip_prefixes.get(rg, "prefix").public_ip_addresses) == users
    assert len(subnet_users(network_client, rg)) == 2


def test_a_nat_pool_without_free_ports_is_refused_with_nothing_created(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, nat_range=(50000, 50002))
    config = nic_config(
        subscription_id,
        rg,
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
        loadBalancerInboundNatPools=[{"id": lb.inbound_nat_pools[0].id}],
    )
    body = vmss_body(subscription_id, rg, 4, [config])
    assert_refused(
        lambda: create_vmss(compute_client, rg, "vmss", body), 400, "InboundNatPoolFrontendPortRangeNotLargeEnough"
    )
    assert_no_scale_set(compute_client, network_client, rg)
    assert network_client.load_balancers.get(rg, "lb").inbound_nat_rules == []
    assert pool_members(network_client, rg) == []
    assert subnet_users(network_client, rg) == []
    body["sku"]["capacity"] = 3
    create_vmss(compute_client, rg, "vmss", body)
    rules = network_client.load_balancers.get(rg, "lb").inbound_nat_rules
    assert sorted(r.frontend_port for r in rules) == [50000, 50001, 50002]

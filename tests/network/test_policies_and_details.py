"""Through a real scale set (real Compute, real SDK): app gateway pools follow the upgrade policy (Automatic at once,
Rolling batch by batch), load balancer probes and the scale set's health probe, per-VM public IP tags, api-versions
of the VMSS-nested network endpoints, and the remaining Flexible outbound paths."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.rest import HttpRequest
from tests.network.helpers import LOCATION, make_lb, make_rg, make_vnet, net_id, nic_config
from tests.network.test_audit_gaps import flexible_body, make_appgw, vm_nics
from tests.network.test_real_scale_set import vmss_body

from vmss_emulator._utils.clock import FakeClock
from vmss_emulator.testing.plugin import EmulatorCredential, client_kwargs


@pytest.fixture
def rg(resource_client: Any) -> str:
    return make_rg(resource_client)


def _lb_with_probe(network_client: Any, sub: str, rg: str, *, with_rule: bool = True, **options: Any) -> Any:
    """A Standard public LB with a backend pool, an HTTP probe and (by default) a rule that uses the probe."""
    lb_id = net_id(sub, rg, "loadBalancers", "lb")
    network_client.public_ip_addresses.begin_create_or_update(
        rg,
        "lbpip",
        {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
        **options,
    )
    props: dict[str, Any] = {
        "frontendIPConfigurations": [
            {"name": "fe", "properties": {"publicIPAddress": {"id": net_id(sub, rg, "publicIPAddresses", "lbpip")}}}
        ],
        "backendAddressPools": [{"name": "pool"}],
        "probes": [
            {
                "name": "http",
                "properties": {"protocol": "Http", "port": 80, "requestPath": "/health", "intervalInSeconds": 5},
            }
        ],
    }
    if with_rule:
        props["loadBalancingRules"] = [_rule(lb_id)]
    body = {"location": LOCATION, "sku": {"name": "Standard"}, "properties": props}
    return network_client.load_balancers.begin_create_or_update(rg, "lb", body, **options)


def _rule(lb_id: str, name: str = "web", port: int = 80) -> dict[str, Any]:
    return {
        "name": name,
        "properties": {
            "protocol": "Tcp",
            "frontendPort": port,
            "backendPort": port,
            "frontendIPConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/fe"},
            "backendAddressPool": {"id": f"{lb_id}/backendAddressPools/pool"},
            "probe": {"id": f"{lb_id}/probes/http"},
        },
    }


def _gateway_and_pool_config(network_client: Any, sub: str, rg: str) -> tuple[Any, dict[str, Any]]:
    vnet = make_vnet(network_client, rg, subnets=[("default", "10.0.0.0/24"), ("appgw", "10.0.1.0/24")])
    gateway = make_appgw(network_client, rg, vnet.subnets[1].id)
    config = nic_config(sub, rg, applicationGatewayBackendAddressPools=[])
    return gateway, config


def _add_gateway_pool(body: dict[str, Any], pool_id: str) -> dict[str, Any]:
    body = copy.deepcopy(body)
    config = body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]
    config["properties"]["ipConfigurations"][0]["properties"]["applicationGatewayBackendAddressPools"] = [
        {"id": pool_id}
    ]
    return body


def _gateway_members(network_client: Any, rg: str) -> set[str]:
    pool = network_client.application_gateways.get(rg, "agw").backend_address_pools[0]
    return {c.id.lower() for c in pool.backend_ip_configurations or []}


def _ipconfig_of(vm_id: str) -> str:
    return f"{vm_id}/networkInterfaces/nic/ipConfigurations/ipconfig".lower()


def _vm_nic_pools(network_client: Any, rg: str, vmss: str) -> dict[str, list[str]]:
    nics = network_client.network_interfaces.list_virtual_machine_scale_set_network_interfaces(rg, vmss)
    return {
        n.virtual_machine.id.rsplit("/", 1)[1]: [
            p.id for p in n.ip_configurations[0].application_gateway_backend_address_pools or []
        ]
        for n in nics
    }


# -- 1. application gateway pools under the Automatic and Rolling policies --------------------------------------


def test_an_app_gateway_pool_added_to_the_model_reaches_every_vm_at_once_under_the_automatic_policy(
    compute_client, network_client, subscription_id, rg
):
    gateway, config = _gateway_and_pool_config(network_client, subscription_id, rg)
    body = vmss_body(subscription_id, rg, 3, [config])
    body["properties"]["upgradePolicy"] = {"mode": "Automatic"}
    sets = compute_client.virtual_machine_scale_sets
    sets.begin_create_or_update(rg, "vmss", body).result()
    assert _gateway_members(network_client, rg) == set()
    pool_id = gateway.backend_address_pools[0].id
    sets.begin_create_or_update(rg, "vmss", _add_gateway_pool(body, pool_id)).result()
    vms = list(compute_client.virtual_machine_scale_set_vms.list(rg, "vmss"))
    assert len(vms) == 3 and all(vm.latest_model_applied for vm in vms)
    assert _gateway_members(network_client, rg) == {_ipconfig_of(vm.id) for vm in vms}
    assert _vm_nic_pools(network_client, rg, "vmss") == {vm.instance_id: [pool_id] for vm in vms}


def test_an_app_gateway_pool_added_to_the_model_reaches_the_vms_batch_by_batch_under_the_rolling_policy(
    make_emulator, subscription_id
):
    from azure.mgmt.compute import ComputeManagementClient
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.resource.resources import ResourceManagementClient

    emulator = make_emulator(clock=FakeClock())
    credential = EmulatorCredential(emulator)
    sub = emulator.ctx.settings.subscription_id
    resources = ResourceManagementClient(credential, sub, **client_kwargs(emulator))
    network = NetworkManagementClient(credential, sub, **client_kwargs(emulator))
    compute = ComputeManagementClient(credential, sub, **client_kwargs(emulator))
    rg = make_rg(resources)
    # With a FakeClock the pollers must not sleep the real Retry-After: start with polling=False, then settle.
    no_poll = {"polling": False}

    def done(poller: Any) -> Any:
        emulator.advance(60)
        return poller.result()

    vnet = done(
        network.virtual_networks.begin_create_or_update(
            rg,
            "vnet",
            {
                "location": LOCATION,
                "properties": {
                    "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                    "subnets": [
                        {"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}},
                        {"name": "appgw", "properties": {"addressPrefix": "10.0.1.0/24"}},
                    ],
                },
            },
            **no_poll,
        )
    )
    lb = done(_lb_with_probe(network, sub, rg, **no_poll))
    gateway = done(
        network.application_gateways.begin_create_or_update(
            rg,
            "agw",
            {
                "location": LOCATION,
                "properties": {
                    "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": vnet.subnets[1].id}}}],
                    "backendAddressPools": [{"name": "pool"}],
                },
            },
            **no_poll,
        )
    )
    config = nic_config(
        sub,
        rg,
        applicationGatewayBackendAddressPools=[],
        loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}],
    )
    body = vmss_body(sub, rg, 4, [config])
    body["properties"]["upgradePolicy"] = {
        "mode": "Rolling",
        "rollingUpgradePolicy": {"maxBatchInstancePercent": 50, "pauseTimeBetweenBatches": "PT30S"},
    }
    body["properties"]["virtualMachineProfile"]["networkProfile"]["healthProbe"] = {"id": lb.probes[0].id}
    sets = compute.virtual_machine_scale_sets
    done(sets.begin_create_or_update(rg, "vmss", body, **no_poll))
    assert _gateway_members(network, rg) == set()

    def upgraded() -> set[str]:
        return {
            _ipconfig_of(vm.id)
            for vm in compute.virtual_machine_scale_set_vms.list(rg, "vmss")
            if vm.latest_model_applied
        }

    sets.begin_create_or_update(rg, "vmss", _add_gateway_pool(body, gateway.backend_address_pools[0].id), **no_poll)
    emulator.settle()
    # Each observed step: the gateway's pool lists exactly the VMs the upgrade has reached so far.
    steps = [upgraded()]
    assert _gateway_members(network, rg) == steps[0]
    while len(steps[-1]) < 4 and len(steps) < 10:
        emulator.advance(30)
        steps.append(upgraded())
        assert _gateway_members(network, rg) == steps[-1]
    sizes = [len(step) for step in steps]
    assert 0 < sizes[0] < 4 and sizes[-1] == 4
    assert all(steps[i] < steps[i + 1] for i in range(len(steps) - 1))
    status = compute.virtual_machine_scale_set_rolling_upgrades.get_latest(rg, "vmss")
    assert status.progress.successful_instance_count == 4


# -- 2. load balancer probes ---------------------------------------------------------------------------------


def test_a_probe_is_shown_with_its_rules_serves_as_the_health_probe_and_cannot_be_removed_while_used(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = _lb_with_probe(network_client, subscription_id, rg).result()
    probe = network_client.load_balancer_probes.get(rg, "lb", "http")
    assert (probe.protocol, probe.port, probe.request_path, probe.interval_in_seconds) == ("Http", 80, "/health", 5)
    assert probe.id == f"{lb.id}/probes/http"
    assert [r.id for r in probe.load_balancing_rules] == [f"{lb.id}/loadBalancingRules/web"]
    assert [p.name for p in network_client.load_balancer_probes.list(rg, "lb")] == ["http"]
    rule = network_client.load_balancer_load_balancing_rules.get(rg, "lb", "web")
    assert rule.probe.id == probe.id

    config = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    body = vmss_body(subscription_id, rg, 2, [config])
    body["properties"]["upgradePolicy"] = {"mode": "Rolling"}
    body["properties"]["virtualMachineProfile"]["networkProfile"]["healthProbe"] = {"id": probe.id}
    compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()
    got = compute_client.virtual_machine_scale_sets.get(rg, "vmss")
    assert got.virtual_machine_profile.network_profile.health_probe.id.lower() == probe.id.lower()

    # Removing the probe together with its rule while the scale set uses it as its health probe: Azure's refusal
    # (terraform-provider-azurerm#4769, #9076) names the rule, the probe and the scale set.
    current = network_client.load_balancers.get(rg, "lb")
    stripped = copy.deepcopy(current)
    stripped.probes = []
    stripped.load_balancing_rules = []
    with pytest.raises(HttpResponseError) as info:
        network_client.load_balancers.begin_create_or_update(rg, "lb", stripped).result()
    assert (info.value.status_code, info.value.error.code) == (400, "CannotRemoveRuleUsedByProbeUsedByVMSS")
    message = info.value.error.message
    assert f"{lb.id}/loadBalancingRules/web" in message and f"{lb.id}/probes/http" in message
    assert "virtualMachineScaleSets/vmss" in message
    # The same through the child resource: deleting the rule.
    response = network_client.send_request(
        HttpRequest("DELETE", f"{lb.id}/loadBalancingRules/web?api-version=2026-03-01")
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "CannotRemoveRuleUsedByProbeUsedByVMSS")
    # Removing only the probe leaves the rule pointing at nothing.
    only_probe = copy.deepcopy(current)
    only_probe.probes = []
    with pytest.raises(HttpResponseError) as info:
        network_client.load_balancers.begin_create_or_update(rg, "lb", only_probe).result()
    assert (info.value.status_code, info.value.error.code) == (400, "InvalidResourceReference")
    after = network_client.load_balancers.get(rg, "lb")
    assert [p.name for p in after.probes] == ["http"] and [r.name for r in after.load_balancing_rules] == ["web"]

    # Once the scale set is gone the rule and the probe can go.
    compute_client.virtual_machine_scale_sets.begin_delete(rg, "vmss").result()
    network_client.load_balancers.begin_create_or_update(rg, "lb", stripped).result()
    assert not network_client.load_balancers.get(rg, "lb").probes


def test_a_health_probe_that_does_not_exist_is_refused(compute_client, network_client, subscription_id, rg):
    make_vnet(network_client, rg)
    lb = _lb_with_probe(network_client, subscription_id, rg).result()
    config = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    body = vmss_body(subscription_id, rg, 1, [config])
    body["properties"]["upgradePolicy"] = {"mode": "Rolling"}
    body["properties"]["virtualMachineProfile"]["networkProfile"]["healthProbe"] = {"id": f"{lb.id}/probes/nope"}
    with pytest.raises(HttpResponseError) as info:
        compute_client.virtual_machine_scale_sets.begin_create_or_update(rg, "vmss", body).result()
    assert (info.value.status_code, info.value.error.code) == (400, "InvalidResourceReference")
    with pytest.raises(ResourceNotFoundError):
        compute_client.virtual_machine_scale_sets.get(rg, "vmss")
    assert list(network_client.network_interfaces.list(rg)) == []


# -- 3. per-VM public IP tags --------------------------------------------------------------------------------


def test_ip_tags_of_the_public_ip_configuration_appear_on_every_vms_public_ip(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    tags = [{"ipTagType": "RoutingPreference", "tag": "Internet"}]
    config = nic_config(
        subscription_id,
        rg,
        publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}, "properties": {"ipTags": tags}},
    )
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "vmss", vmss_body(subscription_id, rg, 3, [config])
    ).result()
    pips = list(network_client.public_ip_addresses.list_virtual_machine_scale_set_public_ip_addresses(rg, "vmss"))
    assert len(pips) == 3
    assert [[(t.ip_tag_type, t.tag) for t in p.ip_tags] for p in pips] == [[("RoutingPreference", "Internet")]] * 3
    vm = compute_client.virtual_machine_scale_set_vms.list(rg, "vmss").next()
    one = network_client.public_ip_addresses.get_virtual_machine_scale_set_public_ip_address(
        rg, "vmss", vm.instance_id, "nic", "ipconfig", "pub"
    )
    assert [(t.ip_tag_type, t.tag) for t in one.ip_tags] == [("RoutingPreference", "Internet")]
    model = compute_client.virtual_machine_scale_sets.get(rg, "vmss").virtual_machine_profile.network_profile
    pip_config = model.network_interface_configurations[0].ip_configurations[0].public_ip_address_configuration
    assert [(t.ip_tag_type, t.tag) for t in pip_config.ip_tags] == [("RoutingPreference", "Internet")]


# -- 4. api-versions of the VMSS-nested network endpoints ------------------------------------------------------


def _nested(network_client: Any, path: str, api_version: str) -> Any:
    request = HttpRequest("GET", f"{path}?api-version={api_version}")
    return network_client.send_request(request)


@pytest.mark.parametrize("suffix", ["networkInterfaces", "publicipaddresses"])
def test_the_vmss_nested_endpoints_answer_the_documented_api_versions_and_refuse_newer_ones(
    compute_client, network_client, subscription_id, rg, suffix
):
    make_vnet(network_client, rg)
    config = nic_config(subscription_id, rg, publicIPAddressConfiguration={"name": "pub", "properties": {}})
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "vmss", vmss_body(subscription_id, rg, 2, [config])
    ).result()
    vmss = compute_client.virtual_machine_scale_sets.get(rg, "vmss")
    path = f"{vmss.id}/{suffix}"
    # 2018-10-01: what the SDK pins; 2017-03-30: the docs' public IP list; 2016-03-30: the az vmss nic list trace.
    for version in ("2018-10-01", "2017-03-30", "2016-03-30"):
        response = _nested(network_client, path, version)
        assert response.status_code == 200, version
        assert len(response.json()["value"]) == 2
    response = _nested(network_client, path, "2026-03-01")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "NoRegisteredProviderFound"
    assert "API version '2026-03-01'" in error["message"]
    assert "2018-10-01" in error["message"]


# -- 5. Flexible outbound through a real Flexible scale set ------------------------------------------------------


def _default_route(network_client: Any, rg: str, nic_name: str) -> Any:
    table = network_client.network_interfaces.begin_get_effective_route_table(rg, nic_name).result()
    return table.value, next(r for r in table.value if r.address_prefix == ["0.0.0.0/0"] and r.source == "Default")


def _flex(compute_client: Any, network_client: Any, sub: str, rg: str, config: dict[str, Any]) -> list[Any]:
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        rg, "flex", flexible_body(sub, rg, 2, [config])
    ).result()
    nics = vm_nics(compute_client, network_client, rg, "flex")
    assert len(nics) == 2
    return nics


def test_a_flexible_scale_set_in_a_standard_lb_pool_with_an_outbound_rule_has_internet_outbound(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, outbound=True)
    config = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    for nic in _flex(compute_client, network_client, subscription_id, rg, config):
        _, route = _default_route(network_client, rg, nic.name)
        assert (route.state, route.next_hop_type) == ("Active", "Internet")


def test_a_flexible_scale_set_in_a_standard_lb_pool_without_an_outbound_rule_has_none(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    lb = make_lb(network_client, subscription_id, rg, outbound=False)
    config = nic_config(subscription_id, rg, loadBalancerBackendAddressPools=[{"id": lb.backend_address_pools[0].id}])
    for nic in _flex(compute_client, network_client, subscription_id, rg, config):
        _, route = _default_route(network_client, rg, nic.name)
        assert (route.state, route.next_hop_type) == ("Active", "None")


def test_a_flexible_scale_set_with_instance_public_ips_has_internet_outbound(
    compute_client, network_client, subscription_id, rg
):
    make_vnet(network_client, rg)
    config = nic_config(
        subscription_id, rg, publicIPAddressConfiguration={"name": "pub", "sku": {"name": "Standard"}, "properties": {}}
    )
    for nic in _flex(compute_client, network_client, subscription_id, rg, config):
        assert nic.ip_configurations[0].public_ip_address is not None
        _, route = _default_route(network_client, rg, nic.name)
        assert (route.state, route.next_hop_type) == ("Active", "Internet")


def test_a_flexible_scale_set_behind_a_user_route_to_an_appliance_sends_its_default_route_there(
    compute_client, network_client, subscription_id, rg
):
    route = {
        "name": "to-fw",
        "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"},
    }
    table = network_client.route_tables.begin_create_or_update(
        rg, "rt", {"location": LOCATION, "properties": {"routes": [route]}}
    ).result()
    make_vnet(network_client, rg, default={"routeTable": {"id": table.id}})
    for nic in _flex(compute_client, network_client, subscription_id, rg, nic_config(subscription_id, rg)):
        routes, default = _default_route(network_client, rg, nic.name)
        user = [r for r in routes if r.source == "User"]
        assert [(r.address_prefix, r.state, r.next_hop_type, r.next_hop_ip_address) for r in user] == [
            (["0.0.0.0/0"], "Active", "VirtualAppliance", ["10.0.1.4"])
        ]
        assert (default.state, default.next_hop_type) == ("Invalid", "Internet")

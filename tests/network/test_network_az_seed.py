"""The networking seed's own az commands, run by the real az against the session's HTTPS emulator.

Each test has its own resource group (and its own resource names) because the az emulator is shared by
the whole session. Scale sets are created with `az rest` PUT: `az vmss create` flags are tested elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.az

IMAGE = {"publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS", "version": "latest"}


def _net(sub: str, rg: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network"


def _vmss_url(sub: str, rg: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}"


def _put_scale_set(az: Any, sub: str, rg: str, name: str, ipconfig: dict[str, Any], nic_props: dict[str, Any]) -> None:
    body = {
        "location": "westus",
        "sku": {"name": "Standard_DS1_v2", "capacity": 2},
        "properties": {
            "orchestrationMode": "Uniform",
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": name,
                    "adminUsername": "azureuser",
                    "adminPassword": "P@ssw0rd1234!",
                },
                "storageProfile": {"imageReference": IMAGE, "osDisk": {"createOption": "FromImage"}},
                "networkProfile": {
                    "networkInterfaceConfigurations": [
                        {
                            "name": f"{name}nic",
                            "properties": {
                                "primary": True,
                                **nic_props,
                                "ipConfigurations": [{"name": f"{name}ipconfig", "properties": ipconfig}],
                            },
                        }
                    ]
                },
            },
        },
    }
    url = f"{_vmss_url(sub, rg, name)}?api-version=2024-11-01"
    az.run("rest", "--method", "put", "--url", url, "--body", json.dumps(body))


def _group_and_vnet(az: Any, rg: str, vnet: str) -> str:
    sub: str = az("account", "show")["id"]
    az("group", "create", "-n", rg, "-l", "westus")
    az("network", "vnet", "create", "-g", rg, "-n", vnet, "--address-prefix", "10.0.0.0/16",
       "--subnet-name", "default", "--subnet-prefixes", "10.0.0.0/24")  # fmt: skip
    return sub


def test_seed_app_gateway_pool_reaches_instances_after_update_instances(az: Any) -> None:
    rg, vnet, gw, vmss = "azseedappgw", "seedgwvnet", "seedgw", "seedgwss"
    sub = _group_and_vnet(az, rg, vnet)
    az("network", "vnet", "subnet", "create", "-g", rg, "--vnet-name", vnet, "-n", "gwsubnet",
       "--address-prefixes", "10.0.1.0/24")  # fmt: skip
    az("network", "public-ip", "create", "-g", rg, "-n", "seedgwpip", "--sku", "Standard")
    az("network", "application-gateway", "create", "-g", rg, "-n", gw, "--sku", "Standard_v2", "--capacity", "2",
       "--vnet-name", vnet, "--subnet", "gwsubnet", "--public-ip-address", "seedgwpip",
       "--priority", "100")  # fmt: skip
    pool_id = az.run(
        "network", "application-gateway", "address-pool", "show", "--gateway-name", gw, "-g", rg,
        "-n", "appGatewayBackendPool", "--query", "id", "-otsv",
    ).stdout.strip()  # fmt: skip
    assert pool_id == f"{_net(sub, rg)}/applicationGateways/{gw}/backendAddressPools/appGatewayBackendPool"
    gw_subnet = az("network", "vnet", "subnet", "show", "-g", rg, "--vnet-name", vnet, "-n", "gwsubnet")
    assert [c["id"] for c in gw_subnet["applicationGatewayIPConfigurations"]] == [
        f"{_net(sub, rg)}/applicationGateways/{gw}/gatewayIPConfigurations/appGatewayFrontendIP"
    ]

    # Like `az vmss create`, send the (empty) pool list: az's --add needs the key to exist in the model.
    ipconfig = {
        "subnet": {"id": f"{_net(sub, rg)}/virtualNetworks/{vnet}/subnets/default"},
        "applicationGatewayBackendAddressPools": [],
    }
    _put_scale_set(az, sub, rg, vmss, ipconfig, {})

    # The seed's exact spelling: az 2.91's `vmss update` edits a camelCase dict, so it stops on the client
    # side at "NetworkProfile" before sending anything (the same against Azure).
    seed_path = "virtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations[0].ipConfigurations[0]"
    refused = az.run("vmss", "update", "-n", vmss, "-g", rg, "--add",
                     f"{seed_path}.applicationGatewayBackendAddressPools", f"id={pool_id}", check=False)  # fmt: skip
    assert refused.returncode != 0 and "Couldn't find 'NetworkProfile'" in refused.stderr
    path = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0]"
    updated = az("vmss", "update", "-n", vmss, "-g", rg, "--add",
                 f"{path}.applicationGatewayBackendAddressPools", f"id={pool_id}")  # fmt: skip
    model_pools = updated["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0][
        "ipConfigurations"
    ][0]["applicationGatewayBackendAddressPools"]
    assert [p["id"] for p in model_pools] == [pool_id]

    def pool_members() -> list[str]:
        shown = az("network", "application-gateway", "address-pool", "show", "--gateway-name", gw, "-g", rg,
                   "-n", "appGatewayBackendPool")  # fmt: skip
        return sorted(c["id"] for c in shown.get("backendIPConfigurations") or [])

    # Manual upgrade policy: the model changed, the instances' NICs did not.
    assert pool_members() == []
    az.run("vmss", "update-instances", "--instance-ids", "*", "--name", vmss, "--resource-group", rg)
    nics = az("vmss", "nic", "list", "-g", rg, "--vmss-name", vmss)
    nic_ipconfigs = sorted(c["id"] for n in nics for c in n["ipConfigurations"])
    assert len(nic_ipconfigs) == 2
    assert pool_members() == nic_ipconfigs
    assert all(
        [p["id"] for p in c["applicationGatewayBackendAddressPools"]] == [pool_id]
        for n in nics
        for c in n["ipConfigurations"]
    )


def test_seed_lb_nat_pool_port_mapping_nsg_and_asg_queries(az: Any) -> None:
    rg, vnet, lb, vmss = "azseedlb", "seedlbvnet", "seedlb", "seedlbss"
    sub = _group_and_vnet(az, rg, vnet)
    az("network", "nsg", "create", "-g", rg, "-n", "seednsg")
    az("network", "asg", "create", "-g", rg, "-n", "seedasg")
    az("network", "public-ip", "create", "-g", rg, "-n", "seedlbpip", "--sku", "Standard")
    az("network", "lb", "create", "-g", rg, "-n", lb, "--sku", "Standard", "--public-ip-address", "seedlbpip",
       "--frontend-ip-name", "fe", "--backend-pool-name", "pool")  # fmt: skip
    az("network", "lb", "inbound-nat-pool", "create", "-g", rg, "--lb-name", lb, "-n", "natpool",
       "--protocol", "Tcp", "--frontend-port-range-start", "50000", "--frontend-port-range-end", "50119",
       "--backend-port", "22", "--frontend-ip-name", "fe")  # fmt: skip
    net = _net(sub, rg)
    ipconfig = {
        "subnet": {"id": f"{net}/virtualNetworks/{vnet}/subnets/default"},
        "loadBalancerBackendAddressPools": [{"id": f"{net}/loadBalancers/{lb}/backendAddressPools/pool"}],
        "loadBalancerInboundNatPools": [{"id": f"{net}/loadBalancers/{lb}/inboundNatPools/natpool"}],
        "applicationSecurityGroups": [{"id": f"{net}/applicationSecurityGroups/seedasg"}],
    }
    nsg = {"networkSecurityGroup": {"id": f"{net}/networkSecurityGroups/seednsg"}}
    _put_scale_set(az, sub, rg, vmss, ipconfig, nsg)

    shown = az("network", "lb", "show", "-g", rg, "-n", lb)
    nics = az("vmss", "nic", "list", "-g", rg, "--vmss-name", vmss)
    nic_ipconfigs = sorted(c["id"] for n in nics for c in n["ipConfigurations"])
    assert sorted(c["id"] for c in shown["backendAddressPools"][0]["backendIPConfigurations"]) == nic_ipconfigs
    generated = {r["name"]: r for r in shown["inboundNatRules"]}
    assert sorted(generated) == ["natpool.0", "natpool.1"]
    assert {r["frontendPort"] for r in generated.values()} == {50000, 50001}
    assert sorted(r["backendIPConfiguration"]["id"] for r in generated.values()) == nic_ipconfigs
    nat_pool = az("network", "lb", "inbound-nat-pool", "show", "-g", rg, "--lb-name", lb, "-n", "natpool")
    assert (nat_pool["frontendPortRangeStart"], nat_pool["frontendPortRangeEnd"], nat_pool["backendPort"]) == (
        50000,
        50119,
        22,
    )
    lb_ip = az("network", "public-ip", "show", "-g", rg, "-n", "seedlbpip")["ipAddress"]
    info = az("vmss", "list-instance-connection-info", "-g", rg, "-n", vmss)
    assert info == {"instance 0": f"{lb_ip}:50000", "instance 1": f"{lb_ip}:50001"}

    nsgs = az("vmss", "show", "-g", rg, "-n", vmss, "--query",
              "virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].networkSecurityGroup")  # fmt: skip
    assert nsgs == [{"id": f"{net}/networkSecurityGroups/seednsg", "resourceGroup": rg}]
    asgs = az("vmss", "show", "-g", rg, "-n", vmss, "--query",
              "virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].ipConfigurations[]"
              ".applicationSecurityGroups")  # fmt: skip
    assert asgs == [[{"id": f"{net}/applicationSecurityGroups/seedasg", "resourceGroup": rg}]]


def test_seed_raw_rest_public_ips_and_per_instance_network_updates(az: Any, tmp_path: Path) -> None:
    rg, vnet, vmss = "azseedrest", "seedrestvnet", "seedrestss"
    sub = _group_and_vnet(az, rg, vnet)
    subnet = {"id": f"{_net(sub, rg)}/virtualNetworks/{vnet}/subnets/default"}
    pip_config = {"name": "pub1", "properties": {"idleTimeoutInMinutes": 15}}
    _put_scale_set(az, sub, rg, vmss, {"subnet": subnet, "publicIPAddressConfiguration": pip_config}, {})
    url = _vmss_url(sub, rg, vmss)

    pips = az("rest", "--method", "get", "--url", f"{url}/publicipaddresses?api-version=2017-03-30")["value"]
    nics = az("vmss", "nic", "list", "-g", rg, "--vmss-name", vmss)
    assert sorted(p["properties"]["ipConfiguration"]["id"] for p in pips) == sorted(
        c["id"] for n in nics for c in n["ipConfigurations"]
    )
    for pip in pips:
        assert pip["name"] == "pub1"
        assert pip["id"] == f"{pip['properties']['ipConfiguration']['id']}/publicIPAddresses/pub1"
        assert pip["etag"].startswith('W/"')
        props = pip["properties"]
        assert (props["provisioningState"], props["publicIPAddressVersion"], props["idleTimeoutInMinutes"]) == (
            "Succeeded",
            "IPv4",
            15,
        )
        assert props["publicIPAllocationMethod"] == "Dynamic" and props["ipAddress"]
    assert len({p["properties"]["ipAddress"] for p in pips}) == 2

    vm_url = f"{url}/virtualMachines/1/?api-version=2019-07-01"
    vm = az("rest", "--method", "get", "--url", vm_url)
    configs = vm["properties"]["networkProfileConfiguration"]["networkInterfaceConfigurations"]
    configs[0]["properties"]["ipConfigurations"][0]["properties"]["primary"] = True
    configs[0]["properties"]["ipConfigurations"].append(
        {"name": "my-second-config", "properties": {"subnet": subnet, "privateIPAddressVersion": "IPv4"}}
    )
    body = tmp_path / "vm.json"
    body.write_text(json.dumps(vm))
    az.run("rest", "--method", "put", "--url", vm_url, "--body", f"@{body}")

    def vm_nics(instance: str) -> dict[str, list[str]]:
        listed = az("vmss", "nic", "list-vm-nics", "-g", rg, "--vmss-name", vmss, "--instance-id", instance)
        return {n["name"]: [c["name"] for c in n["ipConfigurations"]] for n in listed}

    got = az("rest", "--method", "get", "--url", vm_url)["properties"]["networkProfileConfiguration"]
    assert [c["name"] for c in got["networkInterfaceConfigurations"][0]["properties"]["ipConfigurations"]] == [
        f"{vmss}ipconfig",
        "my-second-config",
    ]
    assert vm_nics("1") == {f"{vmss}nic": [f"{vmss}ipconfig", "my-second-config"]}
    assert vm_nics("0") == {f"{vmss}nic": [f"{vmss}ipconfig"]}

    vm = az("rest", "--method", "get", "--url", vm_url)
    vm["properties"]["networkProfileConfiguration"]["networkInterfaceConfigurations"].append(
        {"name": "secondnic", "properties": {"primary": False, "ipConfigurations": [
            {"name": "ip1", "properties": {"subnet": subnet}}]}}
    )  # fmt: skip
    body.write_text(json.dumps(vm))
    az.run("rest", "--method", "put", "--url", vm_url, "--body", f"@{body}")
    got_vm = az("rest", "--method", "get", "--url", vm_url)
    got_configs = got_vm["properties"]["networkProfileConfiguration"]["networkInterfaceConfigurations"]
    assert [c["name"] for c in got_configs] == [
        f"{vmss}nic",
        "secondnic",
    ]
    assert [n["id"].rsplit("/", 1)[1] for n in got_vm["properties"]["networkProfile"]["networkInterfaces"]] == [
        f"{vmss}nic",
        "secondnic",
    ]
    assert vm_nics("1") == {f"{vmss}nic": [f"{vmss}ipconfig", "my-second-config"], "secondnic": ["ip1"]}
    assert vm_nics("0") == {f"{vmss}nic": [f"{vmss}ipconfig"]}
    addresses = [
        c["privateIPAddress"]
        for n in az("vmss", "nic", "list", "-g", rg, "--vmss-name", vmss)
        for c in n["ipConfigurations"]
    ]
    assert len(addresses) == len(set(addresses)) == 4

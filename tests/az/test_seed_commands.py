"""Every az command (and raw REST call) quoted in the two seeds, in the order a user would type them.

One test, so every step runs against the same emulator (the session's HTTPS server and az login) and
each step starts from the state the previous steps left, as it would for a user. The seeds:
`../shared/seeds/vmss-networking.txt` (N) and `../shared/seeds/vmss-modify.ja.md` (M).

Where a seed's command cannot work with today's az (2.91) whatever the server answers, the test
runs it as quoted, checks that az refuses it on the client side exactly as it would against Azure,
and then runs the form az accepts (see docs/az-requests.md, "Seed commands and az 2.91").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Az

pytestmark = pytest.mark.az

RG = "seed-rg"
VMSS = "myScaleSet"
NSG = "nsgName"
ASG = "asgName"
APPGW = "appGW"
POOL = "appGatewayBackendPool"
OLD_IMAGE = "Canonical:UbuntuServer:16.04-LTS:16.04.201801050"
NEW_VERSION = "16.04.201801090"  # M: "Updating the OS image for your scale set"
NIC_CONFIGS = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations"


def _vmss_create(az: Az, name: str, *extra: str) -> None:
    az.run(
        "vmss", "create", "-g", RG, "-n", name, "--orchestration-mode", "Uniform", "--image", OLD_IMAGE,
        "--admin-username", "azureuser", "--generate-ssh-keys", "-o", "none", *extra,
    )  # fmt: skip


def _first_ip_config(az: Az, name: str) -> dict[str, Any]:
    shown = az("vmss", "show", "-g", RG, "-n", name)
    config: dict[str, Any] = shown["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0][
        "ipConfigurations"
    ][0]
    return config


def _pool_members(az: Az, pool: str = POOL) -> list[str]:
    members = az(
        "network", "application-gateway", "address-pool", "show", "--gateway-name", APPGW, "-g", RG, "-n", pool,
        "--query", "backendIPConfigurations[].id",
    )  # fmt: skip
    return sorted(members or [])


def test_every_seed_command_in_order(az: Az, tmp_path: Path) -> None:
    sub = az("account", "show")["id"]
    rg_id = f"/subscriptions/{sub}/resourceGroups/{RG}"
    az.run("group", "create", "-n", RG, "-l", "eastus", "-o", "none")
    az.run("network", "nsg", "create", "-g", RG, "-n", NSG, "-o", "none")
    az.run("network", "asg", "create", "-g", RG, "-n", ASG, "-o", "none")

    # N: accelerated networking, DNS servers, VM domain names, a public IP per VM, NSG and ASG, all at create.
    _vmss_create(
        az, VMSS, "--instance-count", "2", "--vm-sku", "Standard_D2s_v3", "--accelerated-networking", "true",
        "--dns-servers", "10.0.0.6", "10.0.0.5", "--public-ip-per-vm", "--vm-domain-name", "myvmss",
        "--nsg", NSG, "--asgs", ASG,
    )  # fmt: skip
    nic_config = az("vmss", "show", "-g", RG, "-n", VMSS)["virtualMachineProfile"]["networkProfile"][
        "networkInterfaceConfigurations"
    ][0]
    assert nic_config["enableAcceleratedNetworking"] is True
    assert nic_config["dnsSettings"]["dnsServers"] == ["10.0.0.6", "10.0.0.5"]
    nics = az("vmss", "nic", "list", "-g", RG, "--vmss-name", VMSS)
    assert len(nics) == 2
    assert all(nic["enableAcceleratedNetworking"] and nic["dnsSettings"]["dnsServers"] == ["10.0.0.6", "10.0.0.5"]
               for nic in nics)  # fmt: skip

    # N: "az vmss list-instance-public-ips", then the same list through the REST API at 2017-03-30.
    public_ips = az("vmss", "list-instance-public-ips", "-g", RG, "-n", VMSS)
    addresses = sorted(ip["ipAddress"] for ip in public_ips)
    assert len(set(addresses)) == 2
    # N: "<vm><vmindex>.<specifiedVmssDomainNameLabel>"
    assert sorted(ip["dnsSettings"]["domainNameLabel"] for ip in public_ips) == ["vm0.myvmss", "vm1.myvmss"]
    listed = az(
        "rest", "--method", "get", "--url",
        f"{rg_id}/providers/Microsoft.Compute/virtualMachineScaleSets/{VMSS}/publicipaddresses?api-version=2017-03-30",
    )  # fmt: skip
    assert sorted(ip["properties"]["ipAddress"] for ip in listed["value"]) == addresses
    first = listed["value"][0]
    assert first["name"] == "instancepublicip"
    assert f"/virtualMachineScaleSets/{VMSS}/virtualMachines/" in first["id"]
    assert first["properties"]["ipConfiguration"]["id"] == first["id"].rsplit("/publicIPAddresses/", 1)[0]

    # N: NSG & ASGs per scale set, checked with the seed's exact queries and output shapes.
    assert az(
        "vmss", "show", "-g", RG, "-n", VMSS, "--query", f"{NIC_CONFIGS}[].networkSecurityGroup"
    ) == [  # fmt: skip
        {"id": f"{rg_id}/providers/Microsoft.Network/networkSecurityGroups/{NSG}", "resourceGroup": RG}
    ]
    assert az(
        "vmss", "show", "-g", RG, "-n", VMSS, "--query", f"{NIC_CONFIGS}[].ipConfigurations[].applicationSecurityGroups"
    ) == [  # fmt: skip
        [{"id": f"{rg_id}/providers/Microsoft.Network/applicationSecurityGroups/{ASG}", "resourceGroup": RG}]
    ]

    # M: reading the scale-set model, its instance view, a VM's model and a VM's instance view.
    model = az("vmss", "show", "-g", RG, "-n", VMSS)
    assert model["sku"]["capacity"] == 2 and model["upgradePolicy"]["mode"] == "Manual"
    assert model["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] == "16.04.201801050"
    view = az("vmss", "get-instance-view", "-g", RG, "-n", VMSS)
    assert {"code": "PowerState/running", "count": 2} in view["virtualMachine"]["statusesSummary"]
    vm = az("vmss", "show", "-g", RG, "-n", VMSS, "--instance-id", "0")
    assert vm["latestModelApplied"] is True
    assert vm["storageProfile"]["imageReference"]["exactVersion"] == "16.04.201801050"
    vm_view = az("vmss", "get-instance-view", "-g", RG, "-n", VMSS, "--instance-id", "0")
    assert [s["code"] for s in vm_view["statuses"]] == ["ProvisioningState/succeeded", "PowerState/running"]
    assert (vm_view["osName"], vm_view["osVersion"]) == ("ubuntu", "16.04")

    # M: "az vmss create" run again with the same arguments but one is an update of the scale set.
    _vmss_create(
        az, VMSS, "--instance-count", "3", "--vm-sku", "Standard_D2s_v3", "--accelerated-networking", "true",
        "--dns-servers", "10.0.0.6", "10.0.0.5", "--public-ip-per-vm", "--vm-domain-name", "myvmss",
        "--nsg", NSG, "--asgs", ASG,
    )  # fmt: skip
    instances = az("vmss", "list-instances", "-g", RG, "-n", VMSS)
    assert [i["instanceId"] for i in instances] == ["0", "1", "2"]
    assert len(az("vmss", "list-instance-public-ips", "-g", RG, "-n", VMSS)) == 3

    # M: --set / --add / --remove on the model; a VM-profile change makes existing VMs out of date (Manual).
    az.run("vmss", "update", "-g", RG, "-n", VMSS, "--set",
           f"virtualMachineProfile.storageProfile.imageReference.version={NEW_VERSION}", "-o", "none")  # fmt: skip
    assert [i["latestModelApplied"] for i in az("vmss", "list-instances", "-g", RG, "-n", VMSS)] == [False] * 3
    asgs_path = f"{NIC_CONFIGS}[0].ipConfigurations[0].applicationSecurityGroups"
    second_asg = az("network", "asg", "create", "-g", RG, "-n", "asgTwo")["id"]
    az.run("vmss", "update", "-g", RG, "-n", VMSS, "--add", asgs_path, f"id={second_asg}", "-o", "none")
    assert [a["id"] for a in _first_ip_config(az, VMSS)["applicationSecurityGroups"]][-1] == second_asg
    az.run("vmss", "update", "-g", RG, "-n", VMSS, "--remove", asgs_path, "1", "-o", "none")
    assert [a["id"].rsplit("/", 1)[1] for a in _first_ip_config(az, VMSS)["applicationSecurityGroups"]] == [ASG]

    # M: manual upgrade of named instances, then reimage of one.
    az.run("vmss", "update-instances", "-g", RG, "-n", VMSS, "--instance-ids", "0", "1")
    states = {i["instanceId"]: i["latestModelApplied"] for i in az("vmss", "list-instances", "-g", RG, "-n", VMSS)}
    assert states == {"0": True, "1": True, "2": False}
    upgraded = az("vmss", "show", "-g", RG, "-n", VMSS, "--instance-id", "0")
    assert upgraded["storageProfile"]["imageReference"]["exactVersion"] == NEW_VERSION
    az.run("vmss", "reimage", "-g", RG, "-n", VMSS, "--instance-id", "2")
    reimaged = az("vmss", "get-instance-view", "-g", RG, "-n", VMSS, "--instance-id", "2")
    assert reimaged["statuses"][-1]["code"] == "PowerState/running"

    # N: add the scale set to an application gateway's backend pool, then update the instances.
    az.run("network", "vnet", "subnet", "create", "-g", RG, "--vnet-name", f"{VMSS}VNET", "-n", "appGwSubnet",
           "--address-prefixes", "10.0.2.0/24", "-o", "none")  # fmt: skip
    az.run("network", "application-gateway", "create", "-g", RG, "-n", APPGW, "--vnet-name", f"{VMSS}VNET",
           "--subnet", "appGwSubnet", "--sku", "Standard_v2", "--public-ip-address", "appGwPip", "--priority", "100",
           "--capacity", "2", "-o", "none")  # fmt: skip
    pool_id = az.run(
        "network", "application-gateway", "address-pool", "show", "--gateway-name", APPGW, "-g", RG, "-n", POOL,
        "--query", "id", "-otsv",
    ).stdout.strip()  # fmt: skip
    assert pool_id == f"{rg_id}/providers/Microsoft.Network/applicationGateways/{APPGW}/backendAddressPools/{POOL}"
    seed_path = "virtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations[0].ipConfigurations[0]"
    refused = az.run("vmss", "update", "-n", VMSS, "-g", RG, "--add",
                     f"{seed_path}.applicationGatewayBackendAddressPools", f"id={pool_id}", check=False)  # fmt: skip
    # az 2.91 edits the scale set as JSON, where names are case-sensitive: the seed's "NetworkProfile" is
    # refused before anything is sent, as it would be against Azure.
    assert refused.returncode != 0 and "Couldn't find 'NetworkProfile'" in refused.stderr
    ip_config_path = f"{NIC_CONFIGS}[0].ipConfigurations[0]"
    # Azure omits an empty pool list from the model, and az can only --add to a list that exists.
    missing = az.run("vmss", "update", "-n", VMSS, "-g", RG, "--add",
                     f"{ip_config_path}.applicationGatewayBackendAddressPools", f"id={pool_id}",
                     check=False)  # fmt: skip
    assert missing.returncode != 0 and "Couldn't find 'applicationGatewayBackendAddressPools'" in missing.stderr
    az.run("vmss", "update", "-n", VMSS, "-g", RG, "--set",
           f"{ip_config_path}.applicationGatewayBackendAddressPools=[]", "-o", "none")  # fmt: skip
    az.run("vmss", "update", "-n", VMSS, "-g", RG, "--add",
           f"{ip_config_path}.applicationGatewayBackendAddressPools", f"id={pool_id}", "-o", "none")  # fmt: skip
    assert _first_ip_config(az, VMSS)["applicationGatewayBackendAddressPools"] == [{"id": pool_id, "resourceGroup": RG}]
    assert _pool_members(az) == []  # Manual policy: nothing reaches the VMs before the upgrade
    az.run("vmss", "update-instances", "--instance-ids", "*", "--name", VMSS, "--resource-group", RG)
    members = _pool_members(az)
    assert len(members) == 3
    assert all(f"/virtualMachineScaleSets/{VMSS}/virtualMachines/" in member for member in members)
    assert all(i["latestModelApplied"] for i in az("vmss", "list-instances", "-g", RG, "-n", VMSS))

    # N: networking updates to one instance: GET it at 2019-07-01, add a second IP configuration, PUT it back.
    vm_url = (
        f"{rg_id}/providers/Microsoft.Compute/virtualMachineScaleSets/{VMSS}/virtualMachines/1/?api-version=2019-07-01"
    )
    vm1 = az("rest", "--method", "get", "--url", vm_url)
    ip_configs = vm1["properties"]["networkProfileConfiguration"]["networkInterfaceConfigurations"][0]["properties"][
        "ipConfigurations"
    ]
    subnet = ip_configs[0]["properties"]["subnet"]
    ip_configs[0]["properties"]["primary"] = True
    ip_configs.append(
        {"name": "ipconfig2", "properties": {"subnet": subnet, "privateIPAddressVersion": "IPv4", "primary": False}}
    )
    body = tmp_path / "vm1.json"
    body.write_text(json.dumps(vm1))
    az.run("rest", "--method", "put", "--url", vm_url, "--body", f"@{body}", "-o", "none")
    again = az("rest", "--method", "get", "--url", vm_url)
    names = [
        c["name"]
        for c in again["properties"]["networkProfileConfiguration"]["networkInterfaceConfigurations"][0]["properties"][
            "ipConfigurations"
        ]
    ]
    assert names[-1] == "ipconfig2" and len(names) == 2
    nic = az("vmss", "nic", "list-vm-nics", "-g", RG, "--vmss-name", VMSS, "--instance-id", "1")[0]
    private = {c["name"]: c["privateIPAddress"] for c in nic["ipConfigurations"]}
    assert len(private) == 2 and len(set(private.values())) == 2 and "ipconfig2" in private

    # M: replace a load balancer by the application gateway. az 2.91 gives new load balancers NAT rules v2, so
    # the seed's scale set (backend pool + inbound NAT pool) is built on a load balancer made beforehand.
    other = "lbScaleSet"
    az.run("network", "lb", "create", "-g", RG, "-n", "natLB", "--sku", "Standard", "--backend-pool-name", "bepool",
           "--frontend-ip-name", "fe", "--public-ip-address", "natLbPip", "-o", "none")  # fmt: skip
    az.run("network", "lb", "inbound-nat-pool", "create", "-g", RG, "--lb-name", "natLB", "-n", "natpool",
           "--protocol", "Tcp", "--frontend-port-range-start", "50000", "--frontend-port-range-end", "50119",
           "--backend-port", "22", "--frontend-ip-name", "fe", "-o", "none")  # fmt: skip
    _vmss_create(az, other, "--instance-count", "2", "--vnet-name", f"{VMSS}VNET", "--subnet", f"{VMSS}Subnet",
                 "--lb", "natLB", "--backend-pool-name", "bepool")  # fmt: skip
    before = _first_ip_config(az, other)
    assert len(before["loadBalancerBackendAddressPools"]) == 1 and len(before["loadBalancerInboundNatPools"]) == 1
    assert len(az("network", "lb", "show", "-g", RG, "-n", "natLB")["inboundNatRules"]) == 2
    az.run("vmss", "update", "-g", RG, "-n", other, "--remove", f"{ip_config_path}.loadBalancerBackendAddressPools",
           "0", "-o", "none")  # fmt: skip
    az.run("vmss", "update", "-g", RG, "-n", other, "--remove", f"{ip_config_path}.loadBalancerInboundNatPools",
           "0", "-o", "none")  # fmt: skip
    pascal = az.run("vmss", "update", "-g", RG, "-n", other, "--add",
                    f"{ip_config_path}.ApplicationGatewayBackendAddressPools", json.dumps({"id": pool_id}),
                    check=False)  # fmt: skip
    assert pascal.returncode != 0 and "Couldn't find 'ApplicationGatewayBackendAddressPools'" in pascal.stderr
    az.run("vmss", "update", "-g", RG, "-n", other, "--set",
           f"{ip_config_path}.applicationGatewayBackendAddressPools=[]", "-o", "none")  # fmt: skip
    az.run("vmss", "update", "-g", RG, "-n", other, "--add",
           f"{ip_config_path}.applicationGatewayBackendAddressPools", json.dumps({"id": pool_id}),
           "-o", "none")  # fmt: skip
    after = _first_ip_config(az, other)
    assert after["loadBalancerBackendAddressPools"] == [] and after["loadBalancerInboundNatPools"] == []
    az.run("vmss", "update-instances", "-g", RG, "-n", other, "--instance-ids", "*")
    lb = az("network", "lb", "show", "-g", RG, "-n", "natLB")
    assert not lb["backendAddressPools"][0].get("backendIPConfigurations")
    assert not lb["inboundNatRules"]
    assert len(_pool_members(az)) == 5

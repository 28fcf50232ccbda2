"""The real az CLI against the HTTPS emulator: network commands and the `az vmss nic` / public-IP views."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.az

RG = "aznetrg"


def _scale_set(az: Any, sub: str) -> None:
    net = f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Network"
    ipconfig = {
        "subnet": {"id": f"{net}/virtualNetworks/vnet/subnets/default"},
        "loadBalancerBackendAddressPools": [{"id": f"{net}/loadBalancers/lb/backendAddressPools/pool"}],
        "loadBalancerInboundNatPools": [{"id": f"{net}/loadBalancers/lb/inboundNatPools/natpool"}],
        "publicIPAddressConfiguration": {
            "name": "instancepublicip",
            "properties": {"idleTimeoutInMinutes": 10, "dnsSettings": {"domainNameLabel": "azlabel"}},
        },
    }
    body = {
        "location": "westus",
        "sku": {"name": "Standard_DS1_v2", "capacity": 2},
        "properties": {
            "orchestrationMode": "Uniform",
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": "vm",
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
                    "osDisk": {"createOption": "FromImage"},
                },
                "networkProfile": {
                    "networkInterfaceConfigurations": [
                        {
                            "name": "nic",
                            "properties": {
                                "primary": True,
                                "dnsSettings": {"dnsServers": ["10.0.0.6", "10.0.0.5"]},
                                "ipConfigurations": [{"name": "ipconfig", "properties": ipconfig}],
                            },
                        }
                    ]
                },
            },
        },
    }
    url = f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss"
    az.run("rest", "--method", "put", "--url", f"{url}?api-version=2024-11-01", "--body", json.dumps(body))


def test_az_network_commands_and_scale_set_network_views(az: Any) -> None:
    sub = az("account", "show")["id"]
    az("group", "create", "-n", RG, "-l", "westus")
    az(
        "network",
        "vnet",
        "create",
        "-g",
        RG,
        "-n",
        "vnet",
        "--address-prefix",
        "10.0.0.0/16",
        "--subnet-name",
        "default",
        "--subnet-prefixes",
        "10.0.0.0/24",
    )
    nsg = az("network", "nsg", "create", "-g", RG, "-n", "nsg")
    assert len(nsg["NewNSG"]["defaultSecurityRules"]) == 6
    pip = az(
        "network", "public-ip", "create", "-g", RG, "-n", "lbpip", "--sku", "Basic", "--allocation-method", "Static"
    )
    assert pip["publicIp"]["ipAddress"].startswith("198.18.")
    az(
        "network",
        "lb",
        "create",
        "-g",
        RG,
        "-n",
        "lb",
        "--sku",
        "Basic",
        "--public-ip-address",
        "lbpip",
        "--frontend-ip-name",
        "fe",
        "--backend-pool-name",
        "pool",
    )
    az(
        "network",
        "lb",
        "inbound-nat-pool",
        "create",
        "-g",
        RG,
        "--lb-name",
        "lb",
        "-n",
        "natpool",
        "--protocol",
        "Tcp",
        "--frontend-port-range-start",
        "50000",
        "--frontend-port-range-end",
        "50119",
        "--backend-port",
        "22",
        "--frontend-ip-name",
        "fe",
    )
    _scale_set(az, sub)

    nics = az("vmss", "nic", "list", "-g", RG, "--vmss-name", "vmss")
    assert len(nics) == 2
    assert {n["ipConfigurations"][0]["privateIPAddress"] for n in nics} == {"10.0.0.4", "10.0.0.5"}
    vm_nics = az("vmss", "nic", "list-vm-nics", "-g", RG, "--vmss-name", "vmss", "--instance-id", "0")
    assert [n["name"] for n in vm_nics] == ["nic"]
    shown = az("vmss", "nic", "show", "-g", RG, "--vmss-name", "vmss", "--instance-id", "0", "-n", "nic")
    assert shown["dnsSettings"]["appliedDnsServers"] == ["10.0.0.6", "10.0.0.5"]
    assert shown["ipConfigurations"][0]["loadBalancerInboundNatRules"][0]["id"].endswith("/inboundNatRules/natpool.0")

    pips = az("vmss", "list-instance-public-ips", "-g", RG, "-n", "vmss")
    assert sorted(p["dnsSettings"]["fqdn"] for p in pips) == [
        "vm0.azlabel.westus.cloudapp.azure.com",
        "vm1.azlabel.westus.cloudapp.azure.com",
    ]
    info = az("vmss", "list-instance-connection-info", "-g", RG, "-n", "vmss")
    assert info == {
        "instance 0": f"{pip['publicIp']['ipAddress']}:50000",
        "instance 1": f"{pip['publicIp']['ipAddress']}:50001",
    }

    subnet = az("network", "vnet", "subnet", "show", "-g", RG, "--vnet-name", "vnet", "-n", "default")
    assert len(subnet["ipConfigurations"]) == 2 and all("vmss" in c["id"] for c in subnet["ipConfigurations"])
    lb = az("network", "lb", "show", "-g", RG, "-n", "lb")
    assert len(lb["backendAddressPools"][0]["backendIPConfigurations"]) == 2
    refused = az.run(
        "network", "vnet", "subnet", "delete", "-g", RG, "--vnet-name", "vnet", "-n", "default", check=False
    )
    assert refused.returncode != 0 and "InUseSubnetCannotBeDeleted" in refused.stderr

"""Bad input never gets a 500 and never changes what is stored.

For each resource kind a valid body is taken and every node of it, one at a time, is replaced by a
value of the wrong JSON kind. Every answer must be a success or an ARM error envelope with a 4xx; a
refused PUT on an existing resource must leave it exactly as it was.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from tests.helpers import raw, sub_path

from vmss_emulator.app import Emulator

BAD_VALUES: list[Any] = [None, 5, "x", [], {}, True, [None], [5], {"x": None}]
NETWORK_API = "2024-05-01"
COMPUTE_API = "2024-11-01"


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copied = copy.deepcopy(value)
    cursor = copied
    for key in path[:-1]:
        cursor = cursor[key]
    cursor[path[-1]] = new
    return copied


class World:
    """One emulator with a group, a virtual network, a public IP and a load balancer to refer to."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.group = f"{sub_path(self.emulator)}/resourceGroups/rg1"
        self.net = f"{self.group}/providers/Microsoft.Network"
        assert self.put(self.group, {"location": "eastus"}, COMPUTE_API).status in (200, 201)
        vnet = self.bodies()["vnet"]
        assert self.put(f"{self.net}/virtualNetworks/vnet1", vnet, NETWORK_API).status == 201
        pip = json.loads(json.dumps(self.bodies()["pip"]).replace("{label}", "pip1"))
        assert self.put(f"{self.net}/publicIPAddresses/pip1", pip, NETWORK_API).status == 201

    def put(self, path: str, body: Any, api: str) -> Any:
        response = raw(self.emulator, "PUT", f"{path}?api-version={api}", body)
        self.emulator.settle()
        return response

    def get(self, path: str, api: str) -> Any:
        return raw(self.emulator, "GET", f"{path}?api-version={api}")

    def bodies(self) -> dict[str, Any]:
        subnet = f"{self.net}/virtualNetworks/vnet1/subnets/default"
        frontend = {"id": f"{self.net}/publicIPAddresses/pip1"}
        return {
            "vnet": {
                "location": "eastus",
                "properties": {
                    "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                    "subnets": [
                        {"name": "default", "properties": {"addressPrefix": "10.0.0.0/22"}},
                        {"name": "gw", "properties": {"addressPrefix": "10.0.8.0/24"}},
                    ],
                },
            },
            "pip": {
                "location": "eastus",
                "sku": {"name": "Standard"},
                "properties": {"publicIPAllocationMethod": "Static", "dnsSettings": {"domainNameLabel": "{label}"}},
            },
            "nsg": {
                "location": "eastus",
                "properties": {
                    "securityRules": [
                        {
                            "name": "ssh",
                            "properties": {
                                "protocol": "Tcp",
                                "sourcePortRange": "*",
                                "destinationPortRange": "22",
                                "sourceAddressPrefix": "*",
                                "destinationAddressPrefix": "*",
                                "access": "Allow",
                                "priority": 100,
                                "direction": "Inbound",
                            },
                        }
                    ]
                },
            },  # fmt: skip
            "nic": {
                "location": "eastus",
                "properties": {"ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": subnet}}}]},
            },
            "lb": {
                "location": "eastus",
                "sku": {"name": "Standard"},
                "properties": {
                    "frontendIPConfigurations": [{"name": "fe", "properties": {"publicIPAddress": frontend}}],
                    "backendAddressPools": [{"name": "be"}],
                    "probes": [{"name": "http", "properties": {"protocol": "Http", "port": 80, "requestPath": "/"}}],
                    "inboundNatPools": [
                        {
                            "name": "nat",
                            "properties": {
                                "frontendIPConfiguration": {"id": "{self}/frontendIPConfigurations/fe"},
                                "protocol": "Tcp",
                                "frontendPortRangeStart": 50000,
                                "frontendPortRangeEnd": 50100,
                                "backendPort": 22,
                            },
                        }
                    ],
                },
            },  # fmt: skip
            "appgw": {
                "location": "eastus",
                "properties": {
                    "sku": {"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2},
                    "gatewayIPConfigurations": [
                        {"name": "gw", "properties": {"subnet": {"id": f"{self.net}/virtualNetworks/vnet1/subnets/gw"}}}
                    ],
                    "frontendIPConfigurations": [{"name": "fe", "properties": {"publicIPAddress": frontend}}],
                    "frontendPorts": [{"name": "p", "properties": {"port": 80}}],
                    "backendAddressPools": [{"name": "pool"}],
                },
            },
            "vmss": {
                "location": "eastus",
                "sku": {"name": "Standard_DS1_v2", "capacity": 2},
                "properties": {
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
                            "osDisk": {"createOption": "FromImage", "caching": "ReadWrite"},
                        },
                        "networkProfile": {
                            "networkInterfaceConfigurations": [
                                {
                                    "name": "nic",
                                    "properties": {
                                        "primary": True,
                                        "ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": subnet}}}],
                                    },
                                }
                            ]
                        },
                    },
                },
            },  # fmt: skip
        }


TARGETS = {
    "nsg": ("Microsoft.Network/networkSecurityGroups", NETWORK_API),
    "pip": ("Microsoft.Network/publicIPAddresses", NETWORK_API),
    "vnet": ("Microsoft.Network/virtualNetworks", NETWORK_API),
    "nic": ("Microsoft.Network/networkInterfaces", NETWORK_API),
    "lb": ("Microsoft.Network/loadBalancers", NETWORK_API),
    "appgw": ("Microsoft.Network/applicationGateways", NETWORK_API),
    "vmss": ("Microsoft.Compute/virtualMachineScaleSets", COMPUTE_API),
}


def _assert_error_envelope(response: Any, what: str) -> None:
    assert 400 <= response.status < 500, f"{what}: {response.status} {response.body[:300]!r}"
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["code"] and isinstance(error["message"], str), what


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_a_wrong_kind_anywhere_in_a_body_is_a_4xx_and_changes_nothing(kind: str, emulator: Emulator) -> None:
    world = World(emulator)
    resource_type, api = TARGETS[kind]
    base = f"{world.group}/providers/{resource_type}"
    good = json.loads(json.dumps(world.bodies()[kind]).replace("{self}", f"{base}/existing").replace("{label}", "e"))
    assert world.put(f"{base}/existing", good, api).status in (200, 201)
    before = world.get(f"{base}/existing", api).json()
    fresh = json.loads(json.dumps(world.bodies()[kind]).replace("{self}", f"{base}/fresh").replace("{label}", "f"))
    for path in list(_paths(good)):
        for bad in BAD_VALUES:
            what = f"{kind} {path} = {bad!r}"
            created = world.put(f"{base}/fresh", _replaced(fresh, path, bad), api)
            if created.status >= 300:
                _assert_error_envelope(created, what)
            raw(world.emulator, "DELETE", f"{base}/fresh?api-version={api}")
            world.emulator.settle()
            updated = world.put(f"{base}/existing", _replaced(good, path, bad), api)
            if updated.status >= 300:
                _assert_error_envelope(updated, what)
                assert world.get(f"{base}/existing", api).json() == before, f"{what} changed the stored resource"
            else:
                assert world.put(f"{base}/existing", good, api).status < 300, f"{what}: could not restore"
                before = world.get(f"{base}/existing", api).json()


def test_a_deployment_of_a_broken_resource_fails_with_the_resources_own_error(emulator: Emulator) -> None:
    world = World(emulator)
    deployments = f"{world.group}/providers/Microsoft.Resources/deployments"
    vmss = world.bodies()["vmss"]
    for path in list(_paths(vmss["properties"]))[1:]:
        for bad in (5, "x", [], {}):
            resource = {
                "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": COMPUTE_API, "name": "broken",
                **_replaced(vmss, ("properties", *path), bad),
            }  # fmt: skip
            template = {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                "resources": [resource],
            }
            what = f"deployment with properties {path} = {bad!r}"
            response = world.put(f"{deployments}/d1", {"properties": {"mode": "Incremental", "template": template}},
                                 COMPUTE_API)  # fmt: skip
            if response.status >= 300:
                _assert_error_envelope(response, what)
                continue
            shown = world.get(f"{deployments}/d1", COMPUTE_API).json()
            assert "InternalServerError" not in json.dumps(shown), what
            raw(world.emulator, "DELETE", f"{world.group}/providers/Microsoft.Compute/virtualMachineScaleSets/broken"
                f"?api-version={COMPUTE_API}")  # fmt: skip
            world.emulator.settle()

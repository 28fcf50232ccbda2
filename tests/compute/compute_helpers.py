"""Request bodies and small helpers shared by the compute tests (real SDK clients, in-process emulator)."""

from __future__ import annotations

import copy
from typing import Any

RG = "rg1"
SUB = "00000000-0000-0000-0000-000000000001"
SUBNET = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default"
PROBE = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/loadBalancers/lb1/probes/http"


def vmss_body(capacity: int = 2, **properties: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "location": "eastus",
        "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": capacity},
        "properties": {
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": "vmss1",
                    "adminUsername": "azureuser",
                    "adminPassword": "P@ssw0rd1234!",
                    "customData": "IyEvYmluL2Jhc2g=",
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
                                "ipConfigurations": [{"name": "ipconfig", "properties": {"subnet": {"id": SUBNET}}}],
                            },
                        }
                    ]
                },
            },
        },
    }
    body["properties"].update(copy.deepcopy(properties))
    return body


def rolling_body(capacity: int, **rolling: Any) -> dict[str, Any]:
    body = vmss_body(capacity)
    body["properties"]["upgradePolicy"] = {"mode": "Rolling", "rollingUpgradePolicy": rolling}
    body["properties"]["virtualMachineProfile"]["networkProfile"]["healthProbe"] = {"id": PROBE}
    return body

"""Request bodies and small helpers shared by the compute tests (real SDK clients, in-process emulator)."""

from __future__ import annotations

import copy
from typing import Any

RG = "rg1"
SUB = "00000000-0000-0000-0000-000000000001"
SUBNET = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default"
LB = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/loadBalancers/lb1"
PROBE = f"{LB}/probes/http"


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


def vmss_path(name: str = "vmss1", suffix: str = "") -> str:
    return (
        f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}{suffix}"
    )


def raw(client: Any, method: str, path: str, body: Any = None, api_version: str = "2024-11-01") -> Any:
    """One request through the SDK's pipeline (auth, transport), to look at status codes and headers."""
    from azure.core.rest import HttpRequest

    joiner = "&" if "?" in path else "?"
    request = HttpRequest(method, f"{path}{joiner}api-version={api_version}", json=body)
    return client.send_request(request)


def error_of(excinfo: Any) -> tuple[int, str, str | None]:
    """(status, code, target) of an HttpResponseError raised by the SDK."""
    error = excinfo.value
    payload = error.response.json()["error"]
    return error.status_code, payload["code"], payload.get("target")

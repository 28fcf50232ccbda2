"""Scheduling with the realistic lifecycle: each resource starts as soon as its own dependencies finished.

Azure does not deploy in layers: a dependent starts right after its dependency, whatever unrelated
slower resources are still doing. Time is a FakeClock stepped by the test, so nothing here depends on
how fast the machine is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.deployments.templates import NET, asg, deployment, template
from tests.helpers import raw, sub_path

from vmss_emulator._utils.clock import FakeClock
from vmss_emulator.app import Emulator

API = "2024-11-01"


def slow_scale_set() -> list[dict[str, Any]]:
    """A VNet and a two-VM scale set on it: creating the VMs takes tens of seconds in the realistic profile."""
    vnet = {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": NET,
        "name": "vnet",
        "location": "[resourceGroup().location]",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}],
        },
    }
    subnet = "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]"
    vmss = {
        "type": "Microsoft.Compute/virtualMachineScaleSets",
        "apiVersion": "2023-09-01",
        "name": "slow",
        "location": "[resourceGroup().location]",
        "dependsOn": ["vnet"],
        "sku": {"name": "Standard_DS1_v2", "capacity": 2},
        "properties": {
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": "slow",
                    "adminUsername": "azureuser",
                    "adminPassword": "P@ssw0rd1234!",
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "0001-com-ubuntu-server-jammy",
                        "sku": "22_04-lts-gen2",
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
                                "ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": subnet}}}],
                            },
                        }
                    ]
                },
            },
        },
    }
    return [vnet, vmss]


def test_a_dependent_starts_right_after_its_dependency_not_after_unrelated_slower_resources(
    make_emulator: Callable[..., Emulator],
) -> None:
    emulator = make_emulator(clock=FakeClock(), lifecycle_profile="realistic")
    group = f"{sub_path(emulator)}/resourcegroups/rg"
    assert raw(emulator, "PUT", f"{group}?api-version={API}", {"location": "westus"}).status == 201
    base = f"{group}/providers/Microsoft.Resources/deployments"
    # Layers would be {vnet, f1}, {slow, f2}, {f3}: f3 would wait for the scale set's VMs.
    chain = [asg("f1"), asg("f2", dependsOn=["f1"]), asg("f3", dependsOn=["f2"])]
    response = raw(emulator, "PUT", f"{base}/mixed?api-version={API}", deployment(template(slow_scale_set() + chain)))
    assert response.status == 201
    status_path = (response.header("Azure-AsyncOperation") or "").split(".local", 1)[1]

    def states() -> dict[str, str]:
        items = raw(emulator, "GET", f"{base}/mixed/operations?api-version={API}").json()["value"]
        return {o["properties"]["targetResource"]["resourceName"]: o["properties"]["provisioningState"] for o in items}

    assert raw(emulator, "GET", status_path).json()["status"] == "InProgress"
    # Independent resources run at the same time.
    assert states() == {"vnet": "Running", "f1": "Running"}
    history: list[dict[str, str]] = []
    for _ in range(60):
        emulator.advance(1)
        current = states()
        history.append(current)
        for dependency, dependent in (("f1", "f2"), ("f2", "f3"), ("vnet", "slow")):
            if current.get(dependency) == "Succeeded":
                assert dependent in current, (dependency, current)  # started in the same step
            else:
                assert dependent not in current, (dependency, current)  # never before its dependency
        if current.get("f3") == "Succeeded":
            break
    # The whole chain finished while the unrelated scale set was still creating its VMs.
    assert history[-1]["f3"] == "Succeeded"
    assert history[-1]["slow"] == "Running"
    assert raw(emulator, "GET", status_path).json()["status"] == "InProgress"
    emulator.advance(180)
    assert raw(emulator, "GET", status_path).json()["status"] == "Succeeded"
    assert set(states().values()) == {"Succeeded"}

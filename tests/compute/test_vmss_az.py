"""The real az CLI against the HTTPS emulator: the VMSS commands of docs/az-requests.md §3."""

from __future__ import annotations

import json
from typing import Any

import pytest
from compute_helpers import vmss_body

pytestmark = pytest.mark.az

RG = "azrg"


def _put_scale_set(az: Any, sub: str, name: str, capacity: int) -> None:
    subnet = (
        f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default"
    )
    az.run(
        "rest", "--method", "put", "--url",
        f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet1?api-version=2024-05-01",
        "--body", json.dumps({"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                             "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/22"}}]}}),
    )  # fmt: skip
    body = vmss_body(capacity)
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]["properties"][
        "ipConfigurations"
    ][0]["properties"]["subnet"]["id"] = subnet
    az.run(
        "rest", "--method", "put", "--url",
        f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}?api-version=2024-11-01",
        "--body", json.dumps(body),
    )  # fmt: skip


def test_az_vmss_commands_show_scale_update_and_act_on_instances(az: Any) -> None:
    sub = az("account", "show")["id"]
    az("group", "create", "-n", RG, "-l", "eastus")
    _put_scale_set(az, sub, "azvmss", 2)
    shown = az("vmss", "show", "-g", RG, "-n", "azvmss")
    assert shown["sku"]["capacity"] == 2 and shown["upgradePolicy"]["mode"] == "Manual"
    assert [vm["instanceId"] for vm in az("vmss", "list-instances", "-g", RG, "-n", "azvmss")] == ["0", "1"]
    az("vmss", "scale", "-g", RG, "-n", "azvmss", "--new-capacity", "3")
    assert len(az("vmss", "list-instances", "-g", RG, "-n", "azvmss")) == 3
    az(
        "vmss",
        "update",
        "-g",
        RG,
        "-n",
        "azvmss",
        "--set",
        "virtualMachineProfile.storageProfile.imageReference.sku=16.04-LTS",
    )
    stale = az("vmss", "list-instances", "-g", RG, "-n", "azvmss")
    assert [vm["latestModelApplied"] for vm in stale] == [False, False, False]
    az.run("vmss", "update-instances", "-g", RG, "-n", "azvmss", "--instance-ids", "0")
    assert az("vmss", "show", "-g", RG, "-n", "azvmss", "--instance-id", "0")["latestModelApplied"] is True
    az.run("vmss", "stop", "-g", RG, "-n", "azvmss", "--instance-ids", "1")
    view = az("vmss", "get-instance-view", "-g", RG, "-n", "azvmss", "--instance-id", "1")
    assert view["statuses"][1]["code"] == "PowerState/stopped"
    az.run("vmss", "start", "-g", RG, "-n", "azvmss")
    ran = az("vmss", "run-command", "invoke", "-g", RG, "-n", "azvmss", "--instance-id", "0",
             "--command-id", "RunShellScript", "--scripts", "hostname")  # fmt: skip
    assert ran["value"][0]["code"] == "ProvisioningState/succeeded"
    summary = az("vmss", "get-instance-view", "-g", RG, "-n", "azvmss")["virtualMachine"]["statusesSummary"]
    assert {"code": "PowerState/running", "count": 3} in summary
    az.run("vmss", "update", "-g", RG, "-n", "azvmss", "--instance-id", "2", "--protect-from-scale-in", "true")
    az.run("vmss", "delete-instances", "-g", RG, "-n", "azvmss", "--instance-ids", "0")
    assert [vm["instanceId"] for vm in az("vmss", "list-instances", "-g", RG, "-n", "azvmss")] == ["1", "2"]
    az.run("vmss", "reimage", "-g", RG, "-n", "azvmss")
    az.run("vmss", "extension", "set", "-g", RG, "--vmss-name", "azvmss", "-n", "CustomScript",
           "--publisher", "Microsoft.Azure.Extensions", "--settings", '{"commandToExecute": "echo hi"}')  # fmt: skip
    assert (
        az("vmss", "show", "-g", RG, "-n", "azvmss")["virtualMachineProfile"]["extensionProfile"]["extensions"][0][
            "name"
        ]
        == "CustomScript"
    )
    az.run("vmss", "delete", "-g", RG, "-n", "azvmss")

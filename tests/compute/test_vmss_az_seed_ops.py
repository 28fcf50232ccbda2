"""The seed's az commands (vmss-modify) run by the real az CLI against the HTTPS emulator.

Each test owns its resource group: the az emulator is shared by the whole session."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.az

OLD_JAMMY = "22.04.202204200"  # an older catalogue version of Canonical/0001-com-ubuntu-server-jammy/22_04-lts-gen2
NEWEST_JAMMY = "22.04.202404090"
PASSWORD = "P@ssw0rd1234!"


def _create(az: Any, rg: str, name: str, count: int, *extra: str) -> None:
    az("group", "create", "-n", rg, "-l", "eastus")
    az.run(
        "vmss", "create", "-g", rg, "-n", name, "--image", "Ubuntu2204", "--orchestration-mode", "Uniform",
        "--instance-count", str(count), "--admin-username", "azureuser", "--generate-ssh-keys", *extra,
    )  # fmt: skip


def _statuses(view: dict[str, Any]) -> list[str]:
    return [s["code"] for s in view["statuses"]]


def _power(az: Any, rg: str, name: str, instance_id: str) -> str:
    view = az("vmss", "get-instance-view", "-g", rg, "-n", name, "--instance-id", instance_id)
    return next(code for code in _statuses(view) if code.startswith("PowerState/"))


def test_az_instance_views_and_list_edits(az: Any) -> None:
    rg = "az-seed-views"
    _create(az, rg, "vs", 2)
    view = az("vmss", "get-instance-view", "-g", rg, "-n", "vs")
    assert {"code": "PowerState/running", "count": 2} in view["virtualMachine"]["statusesSummary"]
    assert "ProvisioningState/succeeded" in _statuses(view)
    vm_view = az("vmss", "get-instance-view", "-g", rg, "-n", "vs", "--instance-id", "1")
    assert (vm_view["osName"], vm_view["osVersion"]) == ("ubuntu", "22.04")
    assert _statuses(vm_view) == ["ProvisioningState/succeeded", "PowerState/running"]
    every = az("vmss", "get-instance-view", "-g", rg, "-n", "vs", "--instance-id", "*")
    # `*` lists every VM's instance view (az reads them through the VM list with $expand=instanceView).
    assert sorted(vm["computerName"] for vm in every) == sorted(
        az("vmss", "show", "-g", rg, "-n", "vs", "--instance-id", i)["osProfile"]["computerName"] for i in ("0", "1")
    )
    vm = az("vmss", "show", "-g", rg, "-n", "vs", "--instance-id", "0")
    assert vm["name"] == "vs_0" and vm["latestModelApplied"] is True
    assert "overprovision" not in vm and vm["storageProfile"]["imageReference"]["exactVersion"] == NEWEST_JAMMY

    # --add appends to a list property of the model (a second backend pool of the LB az created); the VMs
    # fall behind the model until they are upgraded; --remove drops a list element by index.
    az.run("network", "lb", "address-pool", "create", "-g", rg, "--lb-name", "vsLB", "-n", "pool2")
    pool2 = az("network", "lb", "address-pool", "show", "-g", rg, "--lb-name", "vsLB", "-n", "pool2")["id"]
    pools = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0]" + (
        ".loadBalancerBackendAddressPools"
    )
    az.run("vmss", "update", "-g", rg, "-n", "vs", "--add", pools, f"id={pool2}")
    ipconfig = az("vmss", "show", "-g", rg, "-n", "vs")["virtualMachineProfile"]["networkProfile"][
        "networkInterfaceConfigurations"
    ][0]["ipConfigurations"][0]
    assert [p["id"].rsplit("/", 1)[1] for p in ipconfig["loadBalancerBackendAddressPools"]] == ["vsLBBEPool", "pool2"]
    assert [vm["latestModelApplied"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "vs")] == [False, False]
    az.run("vmss", "update-instances", "-g", rg, "-n", "vs", "--instance-ids", "*")
    assert az("vmss", "show", "-g", rg, "-n", "vs", "--instance-id", "1")["latestModelApplied"] is True
    members = az("network", "lb", "address-pool", "show", "-g", rg, "--lb-name", "vsLB", "-n", "pool2")
    assert len(members.get("backendIPConfigurations") or []) == 2
    az.run("vmss", "update", "-g", rg, "-n", "vs", "--remove", pools, "0")
    ipconfig = az("vmss", "show", "-g", rg, "-n", "vs")["virtualMachineProfile"]["networkProfile"][
        "networkInterfaceConfigurations"
    ][0]["ipConfigurations"][0]
    assert [p["id"].rsplit("/", 1)[1] for p in ipconfig["loadBalancerBackendAddressPools"]] == ["pool2"]
    assert [vm["latestModelApplied"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "vs")] == [False, False]


def test_az_pinned_older_image_version_reaches_vms_by_update_and_reimage(az: Any) -> None:
    rg = "az-seed-image"
    _create(az, rg, "vi", 2)
    az.run(
        "vmss", "update", "-g", rg, "-n", "vi",
        "--set", f"virtualMachineProfile.storageProfile.imageReference.version={OLD_JAMMY}",
    )  # fmt: skip
    model = az("vmss", "show", "-g", rg, "-n", "vi")["virtualMachineProfile"]["storageProfile"]["imageReference"]
    assert model["version"] == OLD_JAMMY
    stale = az("vmss", "show", "-g", rg, "-n", "vi", "--instance-id", "1")
    assert stale["latestModelApplied"] is False
    assert stale["storageProfile"]["imageReference"]["exactVersion"] == NEWEST_JAMMY
    az.run("vmss", "update-instances", "-g", rg, "-n", "vi", "--instance-ids", "0")
    upgraded = az("vmss", "show", "-g", rg, "-n", "vi", "--instance-id", "0")
    assert upgraded["latestModelApplied"] is True
    assert upgraded["storageProfile"]["imageReference"]["version"] == OLD_JAMMY
    assert upgraded["storageProfile"]["imageReference"]["exactVersion"] == OLD_JAMMY
    # Reimage gives a fresh OS disk from the VM's own model: instance 1 still runs the newest version.
    az.run("vmss", "reimage", "-g", rg, "-n", "vi", "--instance-ids", "0", "1")
    after = {
        vm["instanceId"]: vm["storageProfile"]["imageReference"]["exactVersion"]
        for vm in az("vmss", "list-instances", "-g", rg, "-n", "vi")
    }
    assert after == {"0": OLD_JAMMY, "1": NEWEST_JAMMY}
    view = az("vmss", "get-instance-view", "-g", rg, "-n", "vi", "--instance-id", "0")
    assert _statuses(view) == ["ProvisioningState/succeeded", "PowerState/running"]


def test_az_power_actions(az: Any) -> None:
    rg = "az-seed-power"
    _create(az, rg, "vp", 2)
    az.run("vmss", "deallocate", "-g", rg, "-n", "vp", "--instance-ids", "0")
    assert _power(az, rg, "vp", "0") == "PowerState/deallocated"
    assert _power(az, rg, "vp", "1") == "PowerState/running"
    az.run("vmss", "stop", "-g", rg, "-n", "vp")
    assert _power(az, rg, "vp", "1") == "PowerState/stopped"
    az.run("vmss", "start", "-g", rg, "-n", "vp", "--instance-ids", "1")
    assert _power(az, rg, "vp", "1") == "PowerState/running"
    assert _power(az, rg, "vp", "0") == "PowerState/deallocated"
    az.run("vmss", "start", "-g", rg, "-n", "vp")
    az.run("vmss", "restart", "-g", rg, "-n", "vp")
    summary = az("vmss", "get-instance-view", "-g", rg, "-n", "vp")["virtualMachine"]["statusesSummary"]
    assert {"code": "PowerState/running", "count": 2} in summary
    missing = az.run("vmss", "restart", "-g", rg, "-n", "vp", "--instance-ids", "7", check=False)
    assert missing.returncode != 0 and "InvalidParameter" in missing.stderr


def _put_rolling(az: Any, rg: str, name: str, capacity: int, pause: str = "PT0S") -> str:
    """A Rolling scale set whose health comes from the ApplicationHealthLinux extension (no load balancer)."""
    sub = az("account", "show")["id"]
    az("group", "create", "-n", rg, "-l", "eastus")
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
    az.run(
        "rest", "--method", "put", "--url", f"{base}/Microsoft.Network/virtualNetworks/vnet1?api-version=2024-05-01",
        "--body", json.dumps({"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                             "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/22"}}]}}),
    )  # fmt: skip
    subnet = f"{base}/Microsoft.Network/virtualNetworks/vnet1/subnets/default"
    health = {
        "name": "health",
        "properties": {
            "publisher": "Microsoft.ManagedServices",
            "type": "ApplicationHealthLinux",
            "typeHandlerVersion": "2.0",
            "settings": {"protocol": "http", "port": 80, "requestPath": "/"},
        },
    }
    body = {
        "location": "eastus",
        "sku": {"name": "Standard_DS1_v2", "capacity": capacity},
        "properties": {
            "upgradePolicy": {
                "mode": "Rolling",
                "rollingUpgradePolicy": {
                    "maxBatchInstancePercent": 50,
                    "maxUnhealthyInstancePercent": 50,
                    "pauseTimeBetweenBatches": pause,
                },
            },
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": name,
                    "adminUsername": "azureuser",
                    "adminPassword": "P@ssw0rd1234!",
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "0001-com-ubuntu-server-jammy",
                        "sku": "22_04-lts-gen2",
                        "version": OLD_JAMMY,
                    },
                    "osDisk": {"createOption": "FromImage"},
                },
                "networkProfile": {
                    "networkInterfaceConfigurations": [
                        {
                            "name": "nic",
                            "properties": {
                                "primary": True,
                                "ipConfigurations": [
                                    {
                                        "name": "ip",
                                        "properties": {"subnet": {"id": subnet}},
                                    }
                                ],
                            },
                        }
                    ]
                },
                "extensionProfile": {"extensions": [health]},
            },
        },
    }
    url = f"{base}/Microsoft.Compute/virtualMachineScaleSets/{name}"
    az.run("rest", "--method", "put", "--url", f"{url}?api-version=2024-11-01", "--body", json.dumps(body))
    return url


def test_az_rolling_upgrade_start_get_latest_cancel(az: Any) -> None:
    rg = "az-seed-rolling"
    _put_rolling(az, rg, "vr", 4)
    missing = az.run("vmss", "rolling-upgrade", "get-latest", "-g", rg, "-n", "vr", check=False)
    assert missing.returncode != 0 and "NotFound" in missing.stderr
    az.run("vmss", "rolling-upgrade", "start", "-g", rg, "-n", "vr")
    latest = az("vmss", "rolling-upgrade", "get-latest", "-g", rg, "-n", "vr")
    assert latest["runningStatus"]["code"] == "Completed"
    assert latest["runningStatus"]["lastAction"] == "Start"
    assert latest["policy"]["maxBatchInstancePercent"] == 50
    # The VMs already run the model's pinned version: the OS upgrade leaves them alone.
    assert latest["progress"]["successfulInstanceCount"] == 0
    [entry] = az("vmss", "get-os-upgrade-history", "-g", rg, "-n", "vr")
    assert entry["properties"]["runningStatus"]["code"] == "Completed"
    assert entry["properties"]["targetImageReference"]["version"] == OLD_JAMMY
    # Unpinning is a model change: the Rolling policy moves every VM to the newest version.
    az.run("vmss", "update", "-g", rg, "-n", "vr",
           "--set", "virtualMachineProfile.storageProfile.imageReference.version=latest")  # fmt: skip
    latest = az("vmss", "rolling-upgrade", "get-latest", "-g", rg, "-n", "vr")
    assert (latest["runningStatus"]["code"], latest["progress"]["successfulInstanceCount"]) == ("Completed", 4)
    versions = {
        vm["storageProfile"]["imageReference"]["exactVersion"]
        for vm in az("vmss", "list-instances", "-g", rg, "-n", "vr")
    }
    assert versions == {NEWEST_JAMMY}
    assert len(az("vmss", "get-os-upgrade-history", "-g", rg, "-n", "vr")) == 1
    # Nothing is running: cancel is refused as Azure does.
    cancel = az.run("vmss", "rolling-upgrade", "cancel", "-g", rg, "-n", "vr", check=False)
    assert cancel.returncode != 0 and "OperationNotAllowed" in cancel.stderr


def test_az_rolling_upgrade_cancel_while_it_pauses_between_batches(az: Any) -> None:
    rg = "az-seed-rolling-cancel"
    _put_rolling(az, rg, "vc", 4, pause="PT1H")
    # A model change under the Rolling policy: the first batch (50%) is upgraded, then the upgrade pauses an hour.
    az.run("vmss", "update", "-g", rg, "-n", "vc",
           "--set", "virtualMachineProfile.storageProfile.imageReference.version=latest")  # fmt: skip
    latest = az("vmss", "rolling-upgrade", "get-latest", "-g", rg, "-n", "vc")
    assert latest["runningStatus"]["code"] == "RollingForward"
    assert (latest["progress"]["successfulInstanceCount"], latest["progress"]["pendingInstanceCount"]) == (2, 2)
    # Starting another one while it runs is refused.
    again = az.run("vmss", "rolling-upgrade", "start", "-g", rg, "-n", "vc", check=False)
    assert again.returncode != 0 and "OperationNotAllowed" in again.stderr
    az.run("vmss", "rolling-upgrade", "cancel", "-g", rg, "-n", "vc")
    latest = az("vmss", "rolling-upgrade", "get-latest", "-g", rg, "-n", "vc")
    assert (latest["runningStatus"]["code"], latest["runningStatus"]["lastAction"]) == ("Cancelled", "Cancel")
    applied = [vm["latestModelApplied"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "vc")]
    assert sorted(applied) == [False, False, True, True]


def test_az_extension_force_update_tag(az: Any) -> None:
    rg = "az-seed-ext"
    _create(az, rg, "ve", 2)
    settings = '{"commandToExecute": "echo hi"}'
    az.run("vmss", "extension", "set", "-g", rg, "--vmss-name", "ve", "-n", "CustomScript",
           "--publisher", "Microsoft.Azure.Extensions", "--settings", settings)  # fmt: skip
    az.run("vmss", "update-instances", "-g", rg, "-n", "ve", "--instance-ids", "*")
    ext = az("vmss", "extension", "show", "-g", rg, "--vmss-name", "ve", "-n", "CustomScript")
    first_tag = ext.get("forceUpdateTag")
    az.run("vmss", "extension", "set", "-g", rg, "--vmss-name", "ve", "-n", "CustomScript",
           "--publisher", "Microsoft.Azure.Extensions", "--settings", settings, "--force-update")  # fmt: skip
    ext = az("vmss", "extension", "show", "-g", rg, "--vmss-name", "ve", "-n", "CustomScript")
    assert ext["forceUpdateTag"] and ext["forceUpdateTag"] != first_tag
    # A new tag is a model change: the VMs must be brought up to date to rerun the extension.
    assert [vm["latestModelApplied"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "ve")] == [False, False]
    az.run("vmss", "update-instances", "-g", rg, "-n", "ve", "--instance-ids", "0")
    vm = az("vmss", "show", "-g", rg, "-n", "ve", "--instance-id", "0")
    assert vm["latestModelApplied"] is True
    view = az("vmss", "get-instance-view", "-g", rg, "-n", "ve", "--instance-id", "0")
    assert [e["name"] for e in view.get("extensions", [])] == ["CustomScript"]


def test_az_disk_attach_detach(az: Any) -> None:
    rg = "az-seed-disks"
    _create(az, rg, "vd", 2)
    # Scale-set level: the model gets the disk, the VMs follow on upgrade.
    az.run("vmss", "disk", "attach", "-g", rg, "--vmss-name", "vd", "--size-gb", "16", "--lun", "2")
    disks = az("vmss", "show", "-g", rg, "-n", "vd")["virtualMachineProfile"]["storageProfile"]["dataDisks"]
    assert [(d["lun"], d["diskSizeGB"]) for d in disks] == [(2, 16)]
    # Per VM: an existing managed disk is attached to that VM only.
    az.run("disk", "create", "-g", rg, "-n", "data1", "--size-gb", "8")
    assert az("disk", "show", "-g", rg, "-n", "data1")["diskState"] == "Unattached"
    az.run("vmss", "disk", "attach", "-g", rg, "--vmss-name", "vd", "--instance-id", "1", "--disk", "data1",
           "--lun", "5")  # fmt: skip
    vm1 = az("vmss", "show", "-g", rg, "-n", "vd", "--instance-id", "1")
    assert [(d["lun"], d["name"], d["createOption"]) for d in vm1["storageProfile"]["dataDisks"]] == [
        (5, "data1", "Attach")
    ]
    assert az("vmss", "show", "-g", rg, "-n", "vd", "--instance-id", "0")["storageProfile"]["dataDisks"] == []
    disk = az("disk", "show", "-g", rg, "-n", "data1")
    assert disk["diskState"] == "Attached" and disk["managedBy"].lower() == vm1["id"].lower()
    view = az("vmss", "get-instance-view", "-g", rg, "-n", "vd", "--instance-id", "1")
    assert "data1" in [d["name"] for d in view["disks"]]
    in_use = az.run("disk", "delete", "-g", rg, "-n", "data1", "--yes", check=False)
    assert in_use.returncode != 0 and "OperationNotAllowed" in in_use.stderr
    missing = az.run("vmss", "disk", "attach", "-g", rg, "--vmss-name", "vd", "--instance-id", "0",
                     "--disk", "nosuchdisk", "--lun", "1", check=False)  # fmt: skip
    assert missing.returncode != 0 and "NotFound" in missing.stderr
    az.run("vmss", "disk", "detach", "-g", rg, "--vmss-name", "vd", "--instance-id", "1", "--lun", "5")
    assert az("vmss", "show", "-g", rg, "-n", "vd", "--instance-id", "1")["storageProfile"]["dataDisks"] == []
    assert az("disk", "show", "-g", rg, "-n", "data1")["diskState"] == "Unattached"
    az.run("disk", "delete", "-g", rg, "-n", "data1", "--yes")
    az.run("vmss", "disk", "detach", "-g", rg, "--vmss-name", "vd", "--lun", "2")
    assert az("vmss", "show", "-g", rg, "-n", "vd")["virtualMachineProfile"]["storageProfile"]["dataDisks"] == []
    bad = az.run("vmss", "disk", "detach", "-g", rg, "--vmss-name", "vd", "--instance-id", "1", "--lun", "9",
                 check=False)  # fmt: skip
    assert bad.returncode != 0


def test_az_scale_in_policy_and_protection(az: Any) -> None:
    rg = "az-seed-scale"
    _create(az, rg, "vsc", 4, "--scale-in-policy", "NewestVM")
    assert az("vmss", "show", "-g", rg, "-n", "vsc")["scaleInPolicy"]["rules"] == ["NewestVM"]
    az.run("vmss", "update", "-g", rg, "-n", "vsc", "--instance-id", "3", "--protect-from-scale-in", "true")
    az.run("vmss", "scale", "-g", rg, "-n", "vsc", "--new-capacity", "2")
    # NewestVM removes the newest unprotected VMs (2, then 1); the protected newest one stays.
    ids = [vm["instanceId"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "vsc")]
    assert ids == ["0", "3"]
    az.run("vmss", "update", "-g", rg, "-n", "vsc", "--scale-in-policy", "OldestVM")
    az.run("vmss", "scale", "-g", rg, "-n", "vsc", "--new-capacity", "1")
    assert [vm["instanceId"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "vsc")] == ["3"]
    az.run("vmss", "scale", "-g", rg, "-n", "vsc", "--new-capacity", "2")
    assert [vm["instanceId"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "vsc")] == ["3", "4"]


def test_az_restrictions_show_azure_codes(az: Any) -> None:
    rg = "az-seed-restrict"
    _create(az, rg, "vx", 1, "--single-placement-group", "false")
    assert az("vmss", "show", "-g", rg, "-n", "vx")["singlePlacementGroup"] is False
    spg = az.run("vmss", "update", "-g", rg, "-n", "vx", "--set", "singlePlacementGroup=true", check=False)
    assert spg.returncode != 0 and "PropertyChangeNotAllowed" in spg.stderr
    assert "singlePlacementGroup" in spg.stderr
    zones = az.run("vmss", "update", "-g", rg, "-n", "vx", "--set", 'zones=["1"]', check=False)
    assert zones.returncode != 0 and "PropertyChangeNotAllowed" in zones.stderr
    shown = az("vmss", "show", "-g", rg, "-n", "vx")
    assert shown["singlePlacementGroup"] is False and not shown.get("zones")
    too_many = az.run("vmss", "scale", "-g", rg, "-n", "vx", "--new-capacity", "1001", check=False)
    assert too_many.returncode != 0 and "InvalidParameter" in too_many.stderr


def test_az_flexible_instance_views_and_power_actions(az: Any) -> None:
    rg = "az-seed-flex"
    az("group", "create", "-n", rg, "-l", "eastus")
    # az 2.91 creates Flexible scale sets by default.
    az.run("vmss", "create", "-g", rg, "-n", "fx", "--image", "Ubuntu2204", "--instance-count", "2",
           "--admin-username", "azureuser", "--generate-ssh-keys")  # fmt: skip
    assert az("vmss", "show", "-g", rg, "-n", "fx")["orchestrationMode"] == "Flexible"
    names = sorted(vm["name"] for vm in az("vmss", "list-instances", "-g", rg, "-n", "fx"))
    assert len(names) == 2 and all(name.startswith("fx_") for name in names)
    vm = az("vmss", "show", "-g", rg, "-n", "fx", "--instance-id", names[0])
    assert vm["type"] == "Microsoft.Compute/virtualMachines" and vm["name"] == names[0]
    az.run("vmss", "stop", "-g", rg, "-n", "fx", "--instance-ids", names[0])
    assert _power(az, rg, "fx", names[0]) == "PowerState/stopped"
    assert _power(az, rg, "fx", names[1]) == "PowerState/running"
    summary = az("vmss", "get-instance-view", "-g", rg, "-n", "fx")["virtualMachine"]["statusesSummary"]
    assert {"code": "PowerState/stopped", "count": 1} in summary
    az.run("vmss", "start", "-g", rg, "-n", "fx")
    assert _power(az, rg, "fx", names[0]) == "PowerState/running"
    az.run("vmss", "scale", "-g", rg, "-n", "fx", "--new-capacity", "3")
    assert len(az("vmss", "list-instances", "-g", rg, "-n", "fx")) == 3

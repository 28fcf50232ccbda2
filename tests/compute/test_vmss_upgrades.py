"""Bringing VMs up to date with the scale-set model (seed: 最新のスケール セット モデルで VM を最新の状態にする方法)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from compute_helpers import RG, error_of, raw, rolling_body, vmss_body, vmss_path

from conftest import Clocked


def create(client: Any, body: dict[str, Any]) -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()


def with_image_sku(body: dict[str, Any], sku: str) -> dict[str, Any]:
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["sku"] = sku
    return body


def latest(client: Any) -> dict[str, bool]:
    return {vm.instance_id: vm.latest_model_applied for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1")}


def test_in_manual_mode_a_model_change_leaves_vms_out_of_date_until_a_manual_upgrade(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, vmss_body(3))
    create(compute_client, with_image_sku(vmss_body(3), "16.04-LTS"))
    assert latest(compute_client) == {"0": False, "1": False, "2": False}
    vm = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0")
    assert vm.storage_profile.image_reference.sku == "18.04-LTS"
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["0", "2"]}).result()
    assert latest(compute_client) == {"0": True, "1": False, "2": True}
    vm = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0")
    assert vm.storage_profile.image_reference.sku == "16.04-LTS"


def test_in_automatic_mode_every_out_of_date_vm_is_updated_at_once(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(3, upgradePolicy={"mode": "Automatic"}))
    create(compute_client, with_image_sku(vmss_body(3, upgradePolicy={"mode": "Automatic"}), "16.04-LTS"))
    assert latest(compute_client) == {"0": True, "1": True, "2": True}


def test_os_profile_changes_bypass_the_upgrade_policy_and_reach_only_new_or_reimaged_vms(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, vmss_body(2, upgradePolicy={"mode": "Automatic"}))
    changed = vmss_body(2, upgradePolicy={"mode": "Automatic"})
    changed["properties"]["virtualMachineProfile"]["osProfile"]["adminUsername"] = "newadmin"
    create(compute_client, changed)
    assert latest(compute_client) == {"0": True, "1": True}
    vms = compute_client.virtual_machine_scale_set_vms
    assert vms.get(RG, "vmss1", "0").os_profile.admin_username == "azureuser"
    changed["sku"]["capacity"] = 3
    create(compute_client, changed)
    assert vms.get(RG, "vmss1", "2").os_profile.admin_username == "newadmin"
    compute_client.virtual_machine_scale_sets.begin_reimage(RG, "vmss1", {"instanceIds": ["0"]}).result()
    assert vms.get(RG, "vmss1", "0").os_profile.admin_username == "newadmin"
    assert vms.get(RG, "vmss1", "1").os_profile.admin_username == "azureuser"


def test_rolling_mode_without_a_health_probe_or_extension_is_refused(compute_client: Any, rg: str) -> None:
    body = vmss_body(2, upgradePolicy={"mode": "Rolling"})
    with pytest.raises(HttpResponseError) as excinfo:
        create(compute_client, body)
    assert error_of(excinfo)[:2] == (400, "BadRequest")
    assert excinfo.value.error.message == (
        "Rolling Upgrade mode is not supported for this Virtual Machine Scale Set because a health probe or health "
        "extension was not provided."
    )
    assert raw(compute_client, "GET", vmss_path()).status_code == 404


def _status(client: Any) -> Any:
    return client.virtual_machine_scale_set_rolling_upgrades.get_latest(RG, "vmss1")


def test_a_rolling_upgrade_goes_batch_by_batch_and_faults_when_an_upgraded_instance_turns_unhealthy(
    clocked: Clocked,
) -> None:
    client, emulator = clocked.compute, clocked.emulator
    policy = {"maxBatchInstancePercent": 20, "pauseTimeBetweenBatches": "PT30S"}
    create(client, rolling_body(10, **policy))
    create(client, with_image_sku(rolling_body(10, **policy), "16.04-LTS"))
    emulator.settle()
    # Batch 1 (20% of 10 = 2 instances) is done at once with the instant lifecycle; the pause follows.
    status = _status(client)
    assert status.running_status.code == "RollingForward"
    assert status.policy.max_batch_instance_percent == 20
    assert (status.progress.successful_instance_count, status.progress.pending_instance_count) == (2, 8)
    assert latest(client) == {str(i): i < 2 for i in range(10)}
    emulator.advance(30)
    status = _status(client)
    assert (status.progress.successful_instance_count, status.progress.pending_instance_count) == (4, 6)
    # Instance 3 (upgraded in batch 2) reports itself unhealthy during the pause.
    response = raw(client, "POST", vmss_path("vmss1", "/virtualMachines/3/emulator.setHealth"), {"healthy": False})
    assert response.status_code == 200
    view = client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "3")
    assert view.vm_health.status.code == "HealthState/unhealthy"
    emulator.advance(30)
    status = _status(client)
    assert status.running_status.code == "Faulted"
    assert status.error.code == "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"
    assert "First failed instance ID is: 3." in status.error.message
    assert (status.progress.successful_instance_count, status.progress.failed_instance_count) == (3, 1)
    assert latest(client) == {str(i): i < 4 for i in range(10)}


def test_cancelling_a_rolling_upgrade_stops_it_after_the_current_batch(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    policy = {"maxBatchInstancePercent": 20, "pauseTimeBetweenBatches": "PT10S"}
    create(client, rolling_body(10, **policy))
    create(client, with_image_sku(rolling_body(10, **policy), "16.04-LTS"))
    emulator.settle()
    client.virtual_machine_scale_set_rolling_upgrades.begin_cancel(RG, "vmss1").result()
    emulator.advance(60)
    status = _status(client)
    assert status.running_status.code == "Cancelled"
    assert status.running_status.last_action == "Cancel"
    assert sum(latest(client).values()) == 2


def test_an_os_rolling_upgrade_runs_to_completion_when_every_instance_stays_healthy(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    create(client, rolling_body(5))
    poller = client.virtual_machine_scale_set_rolling_upgrades.begin_start_os_upgrade(RG, "vmss1")
    emulator.settle()
    poller.result()
    assert _status(client).running_status.code == "Completed"


def test_rolling_upgrade_status_is_not_found_before_any_upgrade_ran(compute_client: Any, rg: str) -> None:
    create(compute_client, rolling_body(2))
    response = raw(compute_client, "GET", vmss_path("vmss1", "/rollingUpgrades/latest"))
    assert response.status_code == 404


def test_changing_extension_settings_or_force_update_tag_is_a_model_change(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    extensions = compute_client.virtual_machine_scale_set_extensions
    ext = {
        "properties": {
            "publisher": "Microsoft.Azure.Extensions",
            "type": "CustomScript",
            "typeHandlerVersion": "2.1",
            "settings": {"commandToExecute": "echo 1"},
            "protectedSettings": {"secret": "x"},
        }
    }
    extensions.begin_create_or_update(RG, "vmss1", "script", ext).result()
    assert latest(compute_client) == {"0": False, "1": False}
    got = extensions.get(RG, "vmss1", "script")
    assert got.settings == {"commandToExecute": "echo 1"} and got.protected_settings is None
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["*"]}).result()
    assert latest(compute_client) == {"0": True, "1": True}
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert [e.name for e in view.extensions] == ["script"]
    vm_extensions = compute_client.virtual_machine_scale_set_vm_extensions
    assert [e.name for e in vm_extensions.list(RG, "vmss1", "0").value] == ["script"]
    assert vm_extensions.get(RG, "vmss1", "0", "script").settings == {"commandToExecute": "echo 1"}
    ext["properties"]["forceUpdateTag"] = "2"
    extensions.begin_create_or_update(RG, "vmss1", "script", ext).result()
    assert latest(compute_client) == {"0": False, "1": False}
    assert [e.name for e in extensions.list(RG, "vmss1")] == ["script"]
    summary = compute_client.virtual_machine_scale_sets.get_instance_view(RG, "vmss1").extensions
    assert summary[0].name == "script"
    extensions.begin_delete(RG, "vmss1", "script").result()
    assert list(extensions.list(RG, "vmss1")) == []


def test_a_rolling_batch_in_progress_shows_updating_instances_and_in_progress_counts(realistic: Clocked) -> None:
    client, emulator = realistic.compute, realistic.emulator
    sets = client.virtual_machine_scale_sets
    sets.begin_create_or_update(
        RG, "vmss1", rolling_body(5, maxBatchInstancePercent=40, maxUnhealthyInstancePercent=40), polling=False
    )
    emulator.advance(120)
    sets.begin_create_or_update(
        RG,
        "vmss1",
        with_image_sku(rolling_body(5, maxBatchInstancePercent=40, maxUnhealthyInstancePercent=40), "16.04-LTS"),
        polling=False,
    )
    emulator.advance(1)
    status = _status(client)
    assert status.running_status.code == "RollingForward"
    progress = status.progress
    assert (progress.in_progress_instance_count, progress.pending_instance_count) == (2, 3)
    states = {vm.instance_id: vm.provisioning_state for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1")}
    assert states == {"0": "Updating", "1": "Updating", "2": "Succeeded", "3": "Succeeded", "4": "Succeeded"}
    emulator.advance(600)
    status = _status(client)
    assert status.running_status.code == "Completed"
    assert (status.progress.successful_instance_count, status.progress.in_progress_instance_count) == (5, 0)
    assert latest(client) == {str(i): True for i in range(5)}


def test_pinning_the_image_version_is_an_os_update_applied_per_the_upgrade_policy(compute_client: Any, rg: str) -> None:
    body = with_image_sku(vmss_body(2), "16.04-LTS")
    create(compute_client, body)
    vms = compute_client.virtual_machine_scale_set_vms
    assert vms.get(RG, "vmss1", "0").storage_profile.image_reference.exact_version == "16.04.202104140"
    # az vmss update --set virtualMachineProfile.storageProfile.imageReference.version=16.04.201801090
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] = "16.04.201801090"
    create(compute_client, body)
    assert latest(compute_client) == {"0": False, "1": False}
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["1"]}).result()
    ref = vms.get(RG, "vmss1", "1").storage_profile.image_reference
    assert (ref.version, ref.exact_version) == ("16.04.201801090", "16.04.201801090")
    view = vms.get_instance_view(RG, "vmss1", "1")
    assert (view.os_name, view.os_version) == ("ubuntu", "16.04")

"""OS rolling upgrades: which VMs they move, the OS upgrade history, and model changes during a rolling upgrade."""

from __future__ import annotations

import copy
from typing import Any

from compute_helpers import PROBE, RG, raw, rolling_body, vmss_body, vmss_path

from conftest import Clocked

OLD_1804 = "18.04.201804262"
NEWEST_1804 = "18.04.202401161"


def create(client: Any, body: dict[str, Any]) -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()


def exact_versions(client: Any) -> dict[str, str]:
    return {
        vm.instance_id: vm.storage_profile.image_reference.exact_version
        for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1")
    }


def history(client: Any) -> list[Any]:
    return list(client.virtual_machine_scale_sets.get_os_upgrade_history(RG, "vmss1"))


def _manual_with_probe(capacity: int, version: str) -> dict[str, Any]:
    body = vmss_body(capacity)
    profile = body["properties"]["virtualMachineProfile"]
    profile["networkProfile"]["healthProbe"] = {"id": PROBE}
    profile["storageProfile"]["imageReference"]["version"] = version
    return body


def test_an_os_rolling_upgrade_moves_vms_to_the_models_image_and_is_recorded_in_the_history(
    clocked: Clocked,
) -> None:
    client, emulator = clocked.compute, clocked.emulator
    create(client, _manual_with_probe(3, OLD_1804))
    assert history(client) == []
    # Manual mode: pointing the model at `latest` leaves the VMs on the old version.
    create(client, _manual_with_probe(3, "latest"))
    assert set(exact_versions(client).values()) == {OLD_1804}
    poller = client.virtual_machine_scale_set_rolling_upgrades.begin_start_os_upgrade(RG, "vmss1")
    emulator.settle()
    poller.result()
    assert set(exact_versions(client).values()) == {NEWEST_1804}
    [entry] = history(client)
    assert entry.properties.running_status.code == "Completed"
    assert entry.properties.started_by == "User"
    assert entry.properties.progress.successful_instance_count == 3
    target = entry.properties.target_image_reference
    assert (target.offer, target.sku, target.version) == ("UbuntuServer", "18.04-LTS", NEWEST_1804)
    assert entry.type == "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades"
    # Every VM already runs the target: a second run touches none, and comes first in the history.
    poller = client.virtual_machine_scale_set_rolling_upgrades.begin_start_os_upgrade(RG, "vmss1")
    emulator.settle()
    poller.result()
    newest, oldest = history(client)
    assert newest.properties.progress.successful_instance_count == 0
    assert oldest.properties.progress.successful_instance_count == 3
    assert newest.properties.running_status.start_time >= oldest.properties.running_status.end_time


def test_model_change_rolling_upgrades_are_not_os_upgrades(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    create(client, rolling_body(2))
    body = rolling_body(2)
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] = OLD_1804
    create(client, body)
    emulator.settle()
    assert client.virtual_machine_scale_set_rolling_upgrades.get_latest(RG, "vmss1").running_status.code == (
        "Completed"
    )
    assert set(exact_versions(client).values()) == {OLD_1804}
    assert history(client) == []


def test_a_model_change_during_a_rolling_upgrade_reaches_vms_already_upgraded(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    policy = {"maxBatchInstancePercent": 25, "pauseTimeBetweenBatches": "PT10S"}
    create(client, rolling_body(4, **policy))
    first = rolling_body(4, **policy)
    first["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] = OLD_1804
    create(client, first)
    emulator.settle()
    emulator.advance(10)
    # Two batches of one VM are done; instances 2 and 3 still wait.
    assert exact_versions(client) == {"0": OLD_1804, "1": OLD_1804, "2": NEWEST_1804, "3": NEWEST_1804}
    second = copy.deepcopy(first)
    second["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] = "18.04.202306070"
    client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", second, polling=False)
    emulator.advance(120)
    status = client.virtual_machine_scale_set_rolling_upgrades.get_latest(RG, "vmss1")
    assert status.running_status.code == "Completed"
    assert status.progress.successful_instance_count == 4
    assert set(exact_versions(client).values()) == {"18.04.202306070"}
    assert all(vm.latest_model_applied for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1"))


def test_a_faulted_os_upgrade_is_recorded_with_its_error(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    create(client, _manual_with_probe(3, OLD_1804))
    create(client, _manual_with_probe(3, "latest"))
    response = raw(client, "POST", vmss_path("vmss1", "/virtualMachines/0/emulator.setHealth"), {"healthy": False})
    assert response.status_code == 200
    client.virtual_machine_scale_set_rolling_upgrades.begin_start_os_upgrade(RG, "vmss1", polling=False)
    emulator.settle()
    [entry] = history(client)
    assert entry.properties.running_status.code == "Faulted"
    assert entry.properties.error.code == "MaxUnhealthyInstancePercentExceededInRollingUpgrade"
    assert set(exact_versions(client).values()) == {OLD_1804}

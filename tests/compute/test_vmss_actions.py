"""POST actions on the scale set and its VMs, per-VM PUT and DELETE, transitional power states."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.compute.models import DataDisk, ManagedDiskParameters
from azure.mgmt.compute.models import VirtualMachineScaleSetVMProtectionPolicy as ProtectionPolicy
from compute_helpers import RG, error_of, raw, vmss_body, vmss_path

from conftest import Clocked


def create(client: Any, capacity: int = 3) -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(capacity)).result()


def power(client: Any) -> dict[str, str]:
    vms = client.virtual_machine_scale_set_vms.list(RG, "vmss1", expand="instanceView")
    return {vm.instance_id: vm.instance_view.statuses[1].code.split("/")[1] for vm in vms}


def test_actions_answer_202_with_location_and_azure_async_operation(compute_client: Any, rg: str) -> None:
    create(compute_client)
    response = raw(compute_client, "POST", vmss_path("vmss1", "/poweroff?skipShutdown=false"), {"instanceIds": ["1"]})
    assert response.status_code == 202
    assert "Location" in response.headers and "Azure-AsyncOperation" in response.headers
    assert power(compute_client) == {"0": "running", "1": "stopped", "2": "running"}


def test_start_stop_deallocate_and_restart_apply_to_the_named_instances_or_all(compute_client: Any, rg: str) -> None:
    create(compute_client)
    sets = compute_client.virtual_machine_scale_sets
    sets.begin_deallocate(RG, "vmss1", {"instanceIds": ["0", "2"]}).result()
    assert power(compute_client) == {"0": "deallocated", "1": "running", "2": "deallocated"}
    sets.begin_power_off(RG, "vmss1").result()
    # Powering off does not apply to deallocated VMs: they stay deallocated.
    assert power(compute_client) == {"0": "deallocated", "1": "stopped", "2": "deallocated"}
    with pytest.raises(HttpResponseError) as refused:
        compute_client.virtual_machine_scale_set_vms.begin_power_off(RG, "vmss1", "2").result()
    assert error_of(refused)[:2] == (409, "OperationNotAllowed")
    sets.begin_start(RG, "vmss1", {"instanceIds": ["*"]}).result()
    assert power(compute_client) == {"0": "running", "1": "running", "2": "running"}
    for begin in (sets.begin_restart, sets.begin_redeploy, sets.begin_perform_maintenance, sets.begin_reimage_all):
        begin(RG, "vmss1").result()
    assert power(compute_client) == {"0": "running", "1": "running", "2": "running"}


def test_vm_paths_accept_instance_id_star_as_az_sends_it(compute_client: Any, rg: str) -> None:
    create(compute_client)
    assert raw(compute_client, "POST", vmss_path("vmss1", "/virtualmachines/%2A/powerOff")).status_code == 202
    assert power(compute_client) == {"0": "stopped", "1": "stopped", "2": "stopped"}
    compute_client.virtual_machine_scale_set_vms.begin_start(RG, "vmss1", "1").result()
    assert power(compute_client) == {"0": "stopped", "1": "running", "2": "stopped"}


def test_a_deallocated_vm_has_no_placement_group_or_computer_name_in_its_instance_view(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, 1)
    compute_client.virtual_machine_scale_set_vms.begin_deallocate(RG, "vmss1", "0").result()
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert view.placement_group_id is None and view.computer_name is None
    assert view.statuses[1].display_status == "VM deallocated"


def test_deleting_instances_removes_them_and_lowers_the_capacity(compute_client: Any, rg: str) -> None:
    create(compute_client)
    compute_client.virtual_machine_scale_sets.begin_delete_instances(RG, "vmss1", {"instanceIds": ["1"]}).result()
    compute_client.virtual_machine_scale_set_vms.begin_delete(RG, "vmss1", "2").result()
    assert [vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")] == ["0"]
    assert compute_client.virtual_machine_scale_sets.get(RG, "vmss1").sku.capacity == 1


def test_vms_protected_from_scale_set_actions_are_left_out_of_scale_set_actions(compute_client: Any, rg: str) -> None:
    create(compute_client)
    vms = compute_client.virtual_machine_scale_set_vms
    vm = vms.get(RG, "vmss1", "1")
    vm.protection_policy = ProtectionPolicy(protect_from_scale_in=False, protect_from_scale_set_actions=True)
    vms.begin_update(RG, "vmss1", "1", vm).result()
    assert vms.get(RG, "vmss1", "1").protection_policy.protect_from_scale_set_actions is True
    compute_client.virtual_machine_scale_sets.begin_power_off(RG, "vmss1").result()
    assert power(compute_client) == {"0": "stopped", "1": "running", "2": "stopped"}
    # A per-VM action names the VM itself, so it applies.
    vms.begin_power_off(RG, "vmss1", "1").result()
    assert power(compute_client)["1"] == "stopped"


def test_a_per_vm_put_attaches_and_detaches_data_disks(compute_client: Any, rg: str) -> None:
    create(compute_client, 1)
    vms = compute_client.virtual_machine_scale_set_vms
    vm = vms.get(RG, "vmss1", "0")
    disk_id = (
        compute_client.disks.begin_create_or_update(
            RG,
            "data1",
            {"location": "eastus", "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 4}},
        )
        .result()
        .id
    )
    vm.storage_profile.data_disks = [
        DataDisk(lun=0, create_option="Attach", managed_disk=ManagedDiskParameters(id=disk_id))
    ]
    vm.storage_profile.image_reference = None  # az drops it before the PUT
    updated = vms.begin_update(RG, "vmss1", "0", vm).result()
    assert [(d.lun, d.name) for d in updated.storage_profile.data_disks] == [(0, "data1")]
    assert updated.storage_profile.image_reference.offer == "UbuntuServer"
    assert [d.name for d in vms.get_instance_view(RG, "vmss1", "0").disks][1:] == ["data1"]
    vm = vms.get(RG, "vmss1", "0")
    vm.storage_profile.data_disks = []
    assert vms.begin_update(RG, "vmss1", "0", vm).result().storage_profile.data_disks == []


def test_vms_get_their_network_interfaces_from_the_network_provider(compute_client: Any, rg: str) -> None:
    create(compute_client, 2)
    vm = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "1")
    nics = vm.network_profile.network_interfaces
    assert len(nics) == 1 and nics[0].id.endswith("/virtualMachines/1/networkInterfaces/nic")


def test_orchestration_service_state_is_suspended_and_resumed(compute_client: Any, rg: str) -> None:
    create(compute_client, 1)
    sets = compute_client.virtual_machine_scale_sets
    sets.begin_set_orchestration_service_state(
        RG, "vmss1", {"serviceName": "AutomaticRepairs", "action": "Suspend"}
    ).result()
    services = sets.get_instance_view(RG, "vmss1").orchestration_services
    assert [(s.service_name, s.service_state) for s in services] == [("AutomaticRepairs", "Suspended")]


def test_power_states_pass_through_transitional_states_with_the_realistic_lifecycle(realistic: Clocked) -> None:
    client, emulator = realistic.compute, realistic.emulator
    # polling=False: the SDK's poller would sleep the real Retry-After while the FakeClock stands still.
    client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(2), polling=False)
    assert client.virtual_machine_scale_sets.get(RG, "vmss1").provisioning_state == "Creating"
    assert set(power(client).values()) == {"starting"}
    emulator.advance(120)
    assert client.virtual_machine_scale_sets.get(RG, "vmss1").provisioning_state == "Succeeded"
    assert set(power(client).values()) == {"running"}
    client.virtual_machine_scale_sets.begin_deallocate(RG, "vmss1", {"instanceIds": ["0"]}, polling=False)
    assert power(client)["0"] == "deallocating"
    vm = client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0")
    assert vm.provisioning_state == "Updating"
    emulator.advance(60)
    assert power(client) == {"0": "deallocated", "1": "running"}

"""Scale-set reapply, per-VM simulateEviction (Spot) and attachDetachDataDisks, through the SDK."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from compute_helpers import RG, error_of, raw, vmss_body, vmss_path


def create(client: Any, capacity: int = 2, **profile: Any) -> Any:
    body = vmss_body(capacity)
    body["properties"]["virtualMachineProfile"].update(profile)
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()


def _disk(client: Any, name: str, sku: str = "Standard_LRS") -> Any:
    body = {
        "location": "eastus",
        "sku": {"name": sku},
        "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 4},
    }
    return client.disks.begin_create_or_update(RG, name, body).result()


def _summary(vm: Any) -> tuple[str, bool, str]:
    return vm.instance_id, vm.latest_model_applied, vm.provisioning_state


def test_reapply_answers_202_and_leaves_the_model_and_vms_as_they_were(compute_client: Any, rg: str) -> None:
    create(compute_client)
    before = [_summary(vm) for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")]
    response = raw(compute_client, "POST", vmss_path("vmss1", "/reapply"))
    assert response.status_code == 202 and "Azure-AsyncOperation" in response.headers
    compute_client.virtual_machine_scale_sets.begin_reapply(RG, "vmss1").result()
    after = [_summary(vm) for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")]
    assert after == before and all(latest for _, latest, _ in after)


def test_simulated_eviction_deallocates_a_spot_vm(compute_client: Any, rg: str) -> None:
    create(compute_client, priority="Spot", evictionPolicy="Deallocate", billingProfile={"maxPrice": -1})
    vms = compute_client.virtual_machine_scale_set_vms
    response = raw(compute_client, "POST", vmss_path("vmss1", "/virtualMachines/1/simulateEviction"))
    assert response.status_code == 204
    view = vms.get_instance_view(RG, "vmss1", "1")
    assert view.statuses[1].code == "PowerState/deallocated"
    assert vms.get_instance_view(RG, "vmss1", "0").statuses[1].code == "PowerState/running"
    with pytest.raises(HttpResponseError) as again:
        vms.simulate_eviction(RG, "vmss1", "1")
    assert error_of(again)[:2] == (409, "OperationNotAllowed")


def test_simulated_eviction_with_the_delete_policy_removes_the_vm(compute_client: Any, rg: str) -> None:
    create(compute_client, priority="Spot", evictionPolicy="Delete")
    compute_client.virtual_machine_scale_set_vms.simulate_eviction(RG, "vmss1", "0")
    assert [vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")] == ["1"]
    assert compute_client.virtual_machine_scale_sets.get(RG, "vmss1").sku.capacity == 1


def test_simulated_eviction_of_a_regular_vm_is_refused(compute_client: Any, rg: str) -> None:
    create(compute_client, 1)
    with pytest.raises(HttpResponseError) as refused:
        compute_client.virtual_machine_scale_set_vms.simulate_eviction(RG, "vmss1", "0")
    assert error_of(refused)[:2] == (409, "OperationNotAllowed")
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert view.statuses[1].code == "PowerState/running"


def test_attach_detach_data_disks_returns_the_storage_profile_and_marks_the_disks(compute_client: Any, rg: str) -> None:
    create(compute_client, 1)
    vms = compute_client.virtual_machine_scale_set_vms
    d1, d2 = _disk(compute_client, "d1"), _disk(compute_client, "d2", "Premium_LRS")
    profile = vms.begin_attach_detach_data_disks(
        RG, "vmss1", "0", {"dataDisksToAttach": [{"diskId": d1.id, "lun": 3}, {"diskId": d2.id}]}
    ).result()
    assert [(d.lun, d.name, d.managed_disk.storage_account_type) for d in profile.data_disks] == [
        (0, "d2", "Premium_LRS"),
        (3, "d1", "Standard_LRS"),
    ]
    assert compute_client.disks.get(RG, "d2").disk_state == "Attached"
    profile = vms.begin_attach_detach_data_disks(RG, "vmss1", "0", {"dataDisksToDetach": [{"diskId": d2.id}]}).result()
    assert [d.name for d in profile.data_disks] == ["d1"]
    assert compute_client.disks.get(RG, "d2").disk_state == "Unattached"
    assert [d.name for d in vms.get(RG, "vmss1", "0").storage_profile.data_disks] == ["d1"]


def test_attach_detach_data_disks_refuses_bad_requests_and_changes_nothing(compute_client: Any, rg: str) -> None:
    create(compute_client, 1)
    d1 = _disk(compute_client, "d1")
    path = vmss_path("vmss1", "/virtualMachines/0/attachDetachDataDisks")
    cases: list[tuple[Any, int, str]] = [
        ({}, 400, "InvalidParameter"),
        ({"dataDisksToAttach": "d1"}, 400, "InvalidParameter"),
        ({"dataDisksToAttach": [{"diskId": d1.id, "lun": 64}]}, 400, "InvalidParameter"),
        ({"dataDisksToAttach": [{"diskId": "not-an-id"}]}, 400, "LinkedInvalidPropertyId"),
        ({"dataDisksToAttach": [{"diskId": d1.id.replace("/d1", "/nosuch")}]}, 404, "NotFound"),
        ({"dataDisksToDetach": [{"diskId": d1.id}]}, 400, "InvalidParameter"),
    ]
    for body, status, code in cases:
        response = raw(compute_client, "POST", path, body)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), body
    # The endpoint arrived with api-version 2024-03-01.
    old = raw(compute_client, "POST", path, {"dataDisksToAttach": [{"diskId": d1.id}]}, api_version="2023-09-01")
    assert old.status_code == 404
    assert compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0").storage_profile.data_disks == []
    assert compute_client.disks.get(RG, "d1").disk_state == "Unattached"


def test_approve_rolling_upgrade_is_accepted_on_the_scale_set_and_on_a_vm(compute_client: Any, rg: str) -> None:
    # Nothing is deferred in the emulator, so there is nothing to approve: both answer 202 and change nothing.
    create(compute_client)
    response = raw(compute_client, "POST", vmss_path("vmss1", "/approveRollingUpgrade"), {"instanceIds": ["0"]})
    assert response.status_code == 202
    compute_client.virtual_machine_scale_sets.begin_approve_rolling_upgrade(RG, "vmss1").result()
    compute_client.virtual_machine_scale_set_vms.begin_approve_rolling_upgrade(RG, "vmss1", "1").result()
    missing = raw(compute_client, "POST", vmss_path("vmss1", "/virtualMachines/9/approveRollingUpgrade"))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "ResourceNotFound")
    restart = raw(compute_client, "POST", vmss_path("vmss1", "/virtualMachines/9/restart"))
    assert restart.status_code == 404
    assert all(vm.latest_model_applied for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1"))

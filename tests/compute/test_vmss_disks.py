"""Standalone managed disks (Microsoft.Compute/disks) and their attachment to scale-set VMs, through the SDK."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.compute.models import DataDisk, ManagedDiskParameters
from compute_helpers import RG, error_of, raw, vmss_body


def _disk(client: Any, name: str, size: int = 4) -> Any:
    body = {"location": "eastus", "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": size}}
    return client.disks.begin_create_or_update(RG, name, body).result()


def _attach(client: Any, instance_id: str, *disk_ids: str) -> Any:
    vms = client.virtual_machine_scale_set_vms
    vm = vms.get(RG, "vmss1", instance_id)
    vm.storage_profile.data_disks = [
        DataDisk(lun=lun, create_option="Attach", managed_disk=ManagedDiskParameters(id=disk_id))
        for lun, disk_id in enumerate(disk_ids)
    ]
    return vms.begin_update(RG, "vmss1", instance_id, vm).result()


def test_a_disk_is_created_shown_listed_and_deleted(compute_client: Any, rg: str) -> None:
    created = _disk(compute_client, "d1", 8)
    assert (created.disk_size_gb, created.disk_state, created.sku.name) == (8, "Unattached", "Standard_LRS")
    assert created.provisioning_state == "Succeeded" and created.managed_by is None
    assert [d.name for d in compute_client.disks.list_by_resource_group(RG)] == ["d1"]
    body = {"location": "eastus", "zones": ["1"], "properties": {"diskSizeGB": 8}}
    with pytest.raises(HttpResponseError) as zoned:
        compute_client.disks.begin_create_or_update(RG, "d1", body).result()
    assert error_of(zoned) == (409, "PropertyChangeNotAllowed", "zones")
    grown = compute_client.disks.begin_create_or_update(
        RG, "d1", {"location": "eastus", "properties": {"diskSizeGB": 16}}
    )
    assert grown.result().disk_size_gb == 16
    compute_client.disks.begin_delete(RG, "d1").result()
    with pytest.raises(HttpResponseError) as gone:
        compute_client.disks.get(RG, "d1")
    assert error_of(gone)[0] == 404


def test_bad_disk_bodies_are_refused_with_400_and_nothing_stored(compute_client: Any, rg: str) -> None:
    sub = compute_client._config.subscription_id
    path = f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Compute/disks"
    empty = {"createOption": "Empty"}
    for body, target in (
        ({"location": "eastus", "properties": {"creationData": empty}}, "diskSizeGB"),
        ({"location": "eastus", "properties": {"creationData": empty, "diskSizeGB": 0}}, "diskSizeGB"),
        ({"location": "eastus", "properties": {"diskSizeGB": 4}}, "creationData.createOption"),
        ({"location": "eastus", "sku": {"name": "Gold"}, "properties": {"creationData": empty, "diskSizeGB": 4}},
         "sku.name"),
        ({"location": "eastus", "properties": "nope"}, "properties"),
        ({"location": "eastus", "sku": "Standard_LRS", "properties": {"creationData": empty, "diskSizeGB": 4}}, "sku"),
        ({"location": "eastus", "zones": "1", "properties": {"creationData": empty, "diskSizeGB": 4}}, "zones"),
        ({"location": "eastus", "properties": {"creationData": empty, "diskSizeGB": "8"}}, "diskSizeGB"),
    ):  # fmt: skip
        response = raw(compute_client, "PUT", f"{path}/bad", body, api_version="2025-01-02")
        assert response.status_code == 400, response.text()
        assert response.json()["error"]["target"] == target
    assert list(compute_client.disks.list_by_resource_group(RG)) == []


def test_attaching_to_a_vm_marks_the_disk_attached_until_detached(compute_client: Any, rg: str) -> None:
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(2)).result()
    disk = _disk(compute_client, "d1")
    vm = _attach(compute_client, "1", disk.id)
    assert [(d.lun, d.name, d.create_option) for d in vm.storage_profile.data_disks] == [(0, "d1", "Attach")]
    shown = compute_client.disks.get(RG, "d1")
    assert shown.disk_state == "Attached" and shown.managed_by.lower() == vm.id.lower()
    # Attached elsewhere: another VM cannot take it; an attached disk cannot be deleted.
    with pytest.raises(HttpResponseError) as taken:
        _attach(compute_client, "0", disk.id)
    assert error_of(taken)[:2] == (409, "OperationNotAllowed")
    with pytest.raises(HttpResponseError) as in_use:
        compute_client.disks.begin_delete(RG, "d1").result()
    assert error_of(in_use)[:2] == (409, "OperationNotAllowed")
    assert compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0").storage_profile.data_disks == []
    _attach(compute_client, "1")
    assert compute_client.disks.get(RG, "d1").disk_state == "Unattached"
    compute_client.disks.begin_delete(RG, "d1").result()


def test_attaching_a_missing_disk_is_refused_with_404(compute_client: Any, rg: str) -> None:
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(1)).result()
    missing = _disk(compute_client, "d1").id.replace("/d1", "/nosuch")
    with pytest.raises(HttpResponseError) as refused:
        _attach(compute_client, "0", missing)
    assert error_of(refused) == (404, "NotFound", "managedDisk.id")
    assert compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0").storage_profile.data_disks == []


def test_scaling_in_a_vm_frees_its_attached_disk(compute_client: Any, rg: str) -> None:
    sets = compute_client.virtual_machine_scale_sets
    sets.begin_create_or_update(RG, "vmss1", vmss_body(2)).result()
    _attach(compute_client, "1", _disk(compute_client, "d1").id)
    sets.begin_delete_instances(RG, "vmss1", {"instanceIds": ["1"]}).result()
    shown = compute_client.disks.get(RG, "d1")
    assert shown.disk_state == "Unattached" and shown.managed_by is None

"""Custom / gallery images (`imageReference.id`, `sharedGalleryImageId`, `communityGalleryImageId`): a change of
the id is a model change like a version change (seed: "imageReference.version (またはカスタム イメージの id)")."""

from __future__ import annotations

from typing import Any

import pytest
from compute_helpers import RG, SUB, vmss_body

GALLERY = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/galleries/g1/images/app"


def with_image(image_reference: dict[str, Any], capacity: int = 2, mode: str = "Manual") -> dict[str, Any]:
    body = vmss_body(capacity, upgradePolicy={"mode": mode})
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"] = image_reference
    body["properties"]["virtualMachineProfile"]["storageProfile"]["osDisk"]["osType"] = "Linux"
    return body


def put(client: Any, body: dict[str, Any]) -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()


def vm_image(client: Any, instance_id: str) -> Any:
    return client.virtual_machine_scale_set_vms.get(RG, "vmss1", instance_id).storage_profile.image_reference


@pytest.mark.parametrize(
    ("member", "first", "second"),
    [
        ("id", f"{GALLERY}/versions/1.0.0", f"{GALLERY}/versions/2.0.0"),
        (
            "sharedGalleryImageId",
            "/SharedGalleries/shared1/Images/app/Versions/1.0.0",
            "/SharedGalleries/shared1/Images/app/Versions/2.0.0",
        ),
        (
            "communityGalleryImageId",
            "/CommunityGalleries/community1/Images/app/Versions/1.0.0",
            "/CommunityGalleries/community1/Images/app/Versions/2.0.0",
        ),
    ],
)
def test_an_image_id_change_is_a_model_change_that_manualupgrade_applies(
    compute_client: Any, rg: str, member: str, first: str, second: str
) -> None:
    put(compute_client, with_image({member: first}))
    put(compute_client, with_image({member: second}))
    vms = compute_client.virtual_machine_scale_set_vms
    assert {vm.instance_id: vm.latest_model_applied for vm in vms.list(RG, "vmss1")} == {"0": False, "1": False}
    assert getattr(vm_image(compute_client, "0"), _snake(member)) == first
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["0"]}).result()
    assert getattr(vm_image(compute_client, "0"), _snake(member)) == second
    assert getattr(vm_image(compute_client, "1"), _snake(member)) == first
    assert {vm.instance_id: vm.latest_model_applied for vm in vms.list(RG, "vmss1")} == {"0": True, "1": False}


def _snake(member: str) -> str:
    return {"id": "id", "sharedGalleryImageId": "shared_gallery_image_id"}.get(member, "community_gallery_image_id")


def test_reimage_keeps_the_vms_own_image_id_and_the_automatic_policy_applies_the_new_one(
    compute_client: Any, rg: str
) -> None:
    put(compute_client, with_image({"id": f"{GALLERY}/versions/1.0.0"}))
    put(compute_client, with_image({"id": f"{GALLERY}/versions/2.0.0"}))
    # Like a pinned version (test_az_pinned_older_image_version_reaches_vms_by_update_and_reimage), a reimage
    # gives a fresh OS disk from the VM's own model; only an upgrade brings the new image.
    compute_client.virtual_machine_scale_set_vms.begin_reimage(RG, "vmss1", "1").result()
    assert vm_image(compute_client, "1").id == f"{GALLERY}/versions/1.0.0"
    assert compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "1").latest_model_applied is False
    put(compute_client, with_image({"id": f"{GALLERY}/versions/3.0.0"}, mode="Automatic"))
    assert {vm_image(compute_client, i).id for i in ("0", "1")} == {f"{GALLERY}/versions/3.0.0"}
    assert compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "1").latest_model_applied is True


def test_a_custom_image_vm_instance_view_reports_no_os_name_or_version(compute_client: Any, rg: str) -> None:
    put(compute_client, with_image({"id": f"{GALLERY}/versions/1.0.0"}, capacity=1))
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert view.os_name is None and view.os_version is None
    assert view.computer_name == "vmss1000000"
    assert [s.code for s in view.statuses] == ["ProvisioningState/succeeded", "PowerState/running"]
    assert vm_image(compute_client, "0").exact_version is None


def test_a_vm_left_on_the_previous_platform_image_reports_that_images_os_version(compute_client: Any, rg: str) -> None:
    put(compute_client, vmss_body(1))
    newer = vmss_body(1)
    newer["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["sku"] = "16.04-LTS"
    put(compute_client, newer)
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert (view.os_name, view.os_version) == ("ubuntu", "18.04")
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["0"]}).result()
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert (view.os_name, view.os_version) == ("ubuntu", "16.04")

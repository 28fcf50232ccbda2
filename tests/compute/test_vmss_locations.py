"""Subscription-level Microsoft.Compute endpoints az reads: images, VM sizes, resource SKUs."""

from __future__ import annotations

from typing import Any

from compute_helpers import SUB, raw


def test_image_versions_honour_orderby_name_desc_and_top_1_as_az_asks(compute_client: Any) -> None:
    images = compute_client.virtual_machine_images
    versions = images.list("eastus", "Canonical", "UbuntuServer", "18.04-LTS")
    newest = images.list("eastus", "Canonical", "UbuntuServer", "18.04-LTS", orderby="name desc", top=1)
    assert len(newest) == 1 and newest[0].name == versions[-1].name
    image = images.get("eastus", "Canonical", "UbuntuServer", "18.04-LTS", newest[0].name)
    assert image.os_disk_image.operating_system == "Linux"
    assert "UbuntuServer" in [o.name for o in images.list_offers("eastus", "Canonical")]
    assert "18.04-LTS" in [s.name for s in images.list_skus("eastus", "Canonical", "UbuntuServer")]
    assert "Canonical" in [p.name for p in images.list_publishers("eastus")]


def test_an_unknown_image_is_not_found(compute_client: Any) -> None:
    path = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/eastus"
    path += "/publishers/Nobody/artifacttypes/vmimage/offers"
    response = raw(compute_client, "GET", path)
    assert response.status_code == 404


def test_vm_sizes_and_resource_skus_are_listed(compute_client: Any) -> None:
    sizes = {s.name: s for s in compute_client.virtual_machine_sizes.list("eastus")}
    assert sizes["Standard_DS1_v2"].number_of_cores == 1
    skus = list(compute_client.resource_skus.list(filter="location eq 'westus'"))
    assert {s.locations[0] for s in skus} == {"westus"}
    assert "Standard_DS1_v2" in {s.name for s in skus}


def test_extension_image_versions_are_listed_for_az_vmss_extension_set(compute_client: Any) -> None:
    images = compute_client.virtual_machine_extension_images
    versions = images.list_versions("eastus", "Microsoft.Azure.Extensions", "CustomScript")
    assert versions[-1].name == "2.1.10"

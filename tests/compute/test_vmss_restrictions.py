"""Properties with restrictions on modification (seed: 変更に制限のあるプロパティ) and bad input.

Every refusal answers Azure's status/code/target and leaves the stored model exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from compute_helpers import RG, error_of, raw, vmss_body, vmss_path


def create(client: Any, body: dict[str, Any]) -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()


def stored(client: Any) -> Any:
    return raw(client, "GET", vmss_path()).json()


def refused(client: Any, change: Callable[[], Any]) -> tuple[int, str, str | None]:
    before = stored(client)
    vms_before = [vm.as_dict() for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1")]
    with pytest.raises(HttpResponseError) as excinfo:
        change()
    assert stored(client) == before
    assert [vm.as_dict() for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1")] == vms_before
    return error_of(excinfo)


def test_zones_can_only_be_set_at_creation(compute_client: Any, rg: str) -> None:
    create(compute_client, {**vmss_body(2), "zones": ["1"]})
    body = {**vmss_body(2), "zones": ["1", "2"]}
    assert refused(compute_client, lambda: create(compute_client, body)) == (409, "PropertyChangeNotAllowed", "zones")


@pytest.mark.parametrize("member,value", [("publisher", "MicrosoftWindowsServer"), ("offer", "WindowsServer")])
def test_the_image_publisher_and_offer_can_only_be_set_at_creation(
    compute_client: Any, rg: str, member: str, value: str
) -> None:
    create(compute_client, vmss_body(2))
    body = vmss_body(2)
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"][member] = value
    status, code, target = refused(compute_client, lambda: create(compute_client, body))
    assert (status, code, target) == (409, "PropertyChangeNotAllowed", f"imageReference.{member}")


def test_the_plan_can_only_be_set_at_creation(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    body = {**vmss_body(2), "plan": {"name": "p", "publisher": "x", "product": "y"}}
    assert refused(compute_client, lambda: create(compute_client, body)) == (409, "PropertyChangeNotAllowed", "plan")


def test_single_placement_group_may_go_from_true_to_false_but_never_back(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    create(compute_client, vmss_body(2, singlePlacementGroup=False))
    body = vmss_body(2, singlePlacementGroup=True)
    status, code, target = refused(compute_client, lambda: create(compute_client, body))
    assert (status, code, target) == (409, "PropertyChangeNotAllowed", "singlePlacementGroup")


def test_the_orchestration_mode_never_changes(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    body = vmss_body(2, orchestrationMode="Flexible", platformFaultDomainCount=1)
    status, code, target = refused(compute_client, lambda: create(compute_client, body))
    assert (status, code, target) == (409, "PropertyChangeNotAllowed", "orchestrationMode")


def test_a_vm_size_off_the_current_hardware_cluster_needs_every_vm_deallocated(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    body = vmss_body(2)
    body["sku"]["name"] = "Standard_D2s_v5"
    status, code, target = refused(compute_client, lambda: create(compute_client, body))
    assert (status, code, target) == (409, "OperationNotAllowed", "vmSize")
    compute_client.virtual_machine_scale_sets.begin_deallocate(RG, "vmss1").result()
    assert create(compute_client, body).sku.name == "Standard_D2s_v5"


def test_a_vm_size_on_the_same_cluster_can_change_while_vms_run(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    body = vmss_body(2)
    body["sku"]["name"] = "Standard_DS2_v2"
    assert create(compute_client, body).sku.name == "Standard_DS2_v2"


@pytest.mark.parametrize("capacity", [-1, 1001])
def test_a_capacity_outside_0_to_1000_is_refused(compute_client: Any, rg: str, capacity: int) -> None:
    create(compute_client, vmss_body(2))
    body = vmss_body(capacity, singlePlacementGroup=False)
    status, code, target = refused(compute_client, lambda: create(compute_client, body))
    assert (status, code, target) == (400, "InvalidParameter", "sku.capacity")


def test_more_than_100_vms_in_a_single_placement_group_is_refused(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    status, code, _ = refused(compute_client, lambda: create(compute_client, vmss_body(101)))
    assert (status, code) == (409, "OperationNotAllowed")


def test_an_unknown_instance_id_is_refused_and_nothing_changes(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    sets = compute_client.virtual_machine_scale_sets
    for action in (sets.begin_power_off, sets.begin_deallocate, sets.begin_reimage, sets.begin_update_instances):
        status, code, target = refused(compute_client, lambda a=action: a(RG, "vmss1", {"instanceIds": ["0", "7"]}))
        assert (status, code, target) == (400, "InvalidParameter", "instanceIds")
    status, code, target = refused(
        compute_client, lambda: sets.begin_delete_instances(RG, "vmss1", {"instanceIds": ["9"]})
    )
    assert (status, code, target) == (400, "InvalidParameter", "instanceIds")


def test_an_unknown_vm_size_is_refused(compute_client: Any, rg: str) -> None:
    body = vmss_body(2)
    body["sku"]["name"] = "Standard_Nope"
    with pytest.raises(HttpResponseError) as excinfo:
        create(compute_client, body)
    assert error_of(excinfo) == (400, "InvalidParameter", "vmSize")
    assert raw(compute_client, "GET", vmss_path()).status_code == 404


def test_an_image_that_does_not_exist_is_refused(compute_client: Any, rg: str) -> None:
    body = vmss_body(2)
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["sku"] = "99.99-LTS"
    with pytest.raises(HttpResponseError) as excinfo:
        create(compute_client, body)
    assert error_of(excinfo) == (404, "PlatformImageNotFound", "imageReference")
    assert raw(compute_client, "GET", vmss_path()).status_code == 404


def test_flexible_orchestration_requires_a_platform_fault_domain_count(compute_client: Any, rg: str) -> None:
    with pytest.raises(HttpResponseError) as excinfo:
        create(compute_client, vmss_body(1, orchestrationMode="Flexible"))
    assert error_of(excinfo) == (400, "InvalidParameter", "platformFaultDomainCount")


def test_a_malformed_network_profile_is_refused_and_the_model_is_unchanged(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    body = vmss_body(3)
    nic = body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]
    del nic["properties"]["ipConfigurations"]
    status, code, target = refused(compute_client, lambda: create(compute_client, body))
    assert (status, code, target) == (400, "InvalidParameter", "networkInterfaceConfigurations[0].ipConfigurations")


@pytest.mark.parametrize(
    "change,target",
    [
        ({"properties": "nope"}, "properties"),
        ({"sku": "big"}, "sku"),
        ({"sku": {"name": "Standard_DS1_v2", "capacity": "many"}}, "sku.capacity"),
        ({"properties": {"virtualMachineProfile": []}}, "virtualMachineProfile"),
        ({"properties": {"upgradePolicy": {"mode": "Sometimes"}}}, "upgradePolicy.mode"),
    ],
)
def test_a_malformed_body_is_refused_with_invalid_parameter_and_nothing_changes(
    compute_client: Any, rg: str, change: dict[str, Any], target: str
) -> None:
    create(compute_client, vmss_body(2))
    body = {"location": "eastus", **change}
    status, code, got_target = refused(compute_client, lambda: raw_put(compute_client, body))
    assert (status, code, got_target) == (400, "InvalidParameter", target)


def raw_put(client: Any, body: dict[str, Any]) -> None:
    response = raw(client, "PUT", vmss_path(), body)
    response.raise_for_status()


def test_the_subnet_may_move_within_its_virtual_network_but_not_to_another(
    compute_client: Any, network_client: Any, rg: str
) -> None:
    from compute_helpers import SUBNET

    vnets = network_client.virtual_networks
    vnet = {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
        {"name": "default", "properties": {"addressPrefix": "10.0.0.0/22"}},
        {"name": "other", "properties": {"addressPrefix": "10.0.8.0/24"}},
    ]}}  # fmt: skip
    vnets.begin_create_or_update(RG, "vnet1", vnet).result()
    vnet2 = {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
             "subnets": [{"name": "default", "properties": {"addressPrefix": "10.1.0.0/24"}}]}}  # fmt: skip
    vnets.begin_create_or_update(RG, "vnet2", vnet2).result()
    create(compute_client, vmss_body(1))

    def with_subnet(subnet_id: str) -> dict[str, Any]:
        body = vmss_body(1)
        nic = body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]
        nic["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"] = subnet_id
        return body

    moved = create(compute_client, with_subnet(SUBNET.replace("/subnets/default", "/subnets/other")))
    nic = moved.virtual_machine_profile.network_profile.network_interface_configurations[0]
    assert nic.ip_configurations[0].subnet.id.endswith("/subnets/other")
    other_vnet = SUBNET.replace("/vnet1/", "/vnet2/")
    status, code, _ = refused(compute_client, lambda: create(compute_client, with_subnet(other_vnet)))
    assert (status, code) == (400, "VMScaleSetCannotBeUpdatedToReferenceSubnetsFromDifferentVirtualNetworks")

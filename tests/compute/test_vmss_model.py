"""The scale-set model, the VM model view and the instance views (seed vmss-modify: 基本的な概念)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.compute.models import VirtualMachineScaleSetVMProtectionPolicy as ProtectionPolicy
from compute_helpers import RG, raw, vmss_body, vmss_path


def protect(compute_client: Any, instance_id: str, *, scale_in: bool = False, actions: bool = False) -> None:
    """What `az vmss update --instance-id I --protect-from-scale-in` does: GET the VM, PUT it back."""
    vms = compute_client.virtual_machine_scale_set_vms
    vm = vms.get(RG, "vmss1", instance_id)
    vm.protection_policy = ProtectionPolicy(protect_from_scale_in=scale_in, protect_from_scale_set_actions=actions)
    vms.begin_update(RG, "vmss1", instance_id, vm).result()


def create(compute_client: Any, name: str = "vmss1", body: dict[str, Any] | None = None) -> Any:
    return compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, name, body or vmss_body()).result()


def test_the_scale_set_model_shows_the_desired_state_with_the_defaults_azure_fills(
    compute_client: Any, rg: str
) -> None:
    create(compute_client)
    got = raw(compute_client, "GET", vmss_path()).json()
    props = got["properties"]
    assert got["etag"] == '"1"'
    assert got["sku"] == {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": 2}
    assert props["singlePlacementGroup"] is True
    assert props["overprovision"] is True
    assert props["upgradePolicy"] == {"mode": "Manual"}
    assert props["orchestrationMode"] == "Uniform"
    assert props["provisioningState"] == "Succeeded"
    assert len(props["uniqueId"]) == 36 and props["timeCreated"]
    nic = props["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]["properties"]
    assert nic["dnsSettings"] == {"dnsServers": []}
    assert nic["ipConfigurations"][0]["properties"]["privateIPAddressVersion"] == "IPv4"
    os_profile = props["virtualMachineProfile"]["osProfile"]
    assert os_profile["linuxConfiguration"] == {"disablePasswordAuthentication": False, "provisionVMAgent": True}
    assert os_profile["secrets"] == [] and os_profile["allowExtensionOperations"] is True


def test_write_only_secrets_are_never_returned(compute_client: Any, rg: str) -> None:
    created = create(compute_client)
    assert created.virtual_machine_profile.os_profile.admin_password is None
    text = raw(compute_client, "GET", vmss_path()).text()
    assert "adminPassword" not in text and "customData" not in text


def test_create_answers_201_creating_with_azure_async_operation_only(compute_client: Any, rg: str) -> None:
    response = raw(compute_client, "PUT", vmss_path(), vmss_body())
    assert response.status_code == 201
    assert response.json()["properties"]["provisioningState"] == "Creating"
    assert "Azure-AsyncOperation" in response.headers and "Location" not in response.headers
    assert response.headers["ETag"] == '"1"'
    again = raw(compute_client, "PUT", vmss_path(), vmss_body())
    assert again.status_code == 200
    assert again.json()["properties"]["provisioningState"] == "Updating"
    assert again.json()["etag"] == '"2"'


def test_a_put_of_only_location_and_sku_scales_and_keeps_the_model(compute_client: Any, rg: str) -> None:
    create(compute_client)
    # What `az vmss scale` sends.
    body = {"location": "eastus", "sku": {"name": "Standard_DS1_v2", "tier": "Standard", "capacity": 4}}
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()
    got = compute_client.virtual_machine_scale_sets.get(RG, "vmss1")
    assert got.sku.capacity == 4
    assert got.virtual_machine_profile.storage_profile.image_reference.offer == "UbuntuServer"
    assert len(list(compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1"))) == 4


def test_a_put_without_image_reference_keeps_the_stored_image(compute_client: Any, rg: str) -> None:
    create(compute_client)
    body = vmss_body()
    del body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]
    body["properties"]["virtualMachineProfile"]["licenseType"] = "None"
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", body).result()
    got = compute_client.virtual_machine_scale_sets.get(RG, "vmss1")
    assert got.virtual_machine_profile.storage_profile.image_reference.sku == "18.04-LTS"
    assert got.virtual_machine_profile.license_type == "None"


def test_patch_merges_into_the_model_and_answers_200(compute_client: Any, rg: str) -> None:
    create(compute_client)
    response = raw(
        compute_client, "PATCH", vmss_path(), {"tags": {"env": "test"}, "properties": {"overprovision": False}}
    )
    assert response.status_code == 200
    got = compute_client.virtual_machine_scale_sets.get(RG, "vmss1")
    assert got.tags == {"env": "test"} and got.overprovision is False
    assert got.virtual_machine_profile.os_profile.admin_username == "azureuser"


def test_user_data_is_returned_only_with_expand_user_data(compute_client: Any, rg: str) -> None:
    body = vmss_body()
    body["properties"]["virtualMachineProfile"]["userData"] = "aGVsbG8="
    create(compute_client, body=body)
    plain = compute_client.virtual_machine_scale_sets.get(RG, "vmss1")
    expanded = compute_client.virtual_machine_scale_sets.get(RG, "vmss1", expand="userData")
    assert plain.virtual_machine_profile.user_data is None
    assert expanded.virtual_machine_profile.user_data == "aGVsbG8="


def test_scale_sets_are_listed_in_the_resource_group_the_subscription_and_the_location(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, "a")
    create(compute_client, "b")
    assert sorted(s.name for s in compute_client.virtual_machine_scale_sets.list(RG)) == ["a", "b"]
    assert sorted(s.name for s in compute_client.virtual_machine_scale_sets.list_all()) == ["a", "b"]
    assert sorted(s.name for s in compute_client.virtual_machine_scale_sets.list_by_location("eastus")) == ["a", "b"]


def test_delete_answers_202_with_location_and_removes_the_scale_set_and_its_vms(compute_client: Any, rg: str) -> None:
    create(compute_client)
    response = raw(compute_client, "DELETE", vmss_path() + "?forceDeletion=true")
    assert response.status_code == 202
    assert "Location" in response.headers and "Azure-AsyncOperation" in response.headers
    with pytest.raises(ResourceNotFoundError):
        compute_client.virtual_machine_scale_sets.get(RG, "vmss1")
    assert raw(compute_client, "GET", vmss_path("vmss1", "/virtualMachines/0")).status_code == 404


def test_the_scale_set_instance_view_summarises_the_runtime_state_of_its_vms(compute_client: Any, rg: str) -> None:
    create(compute_client, body=vmss_body(3))
    compute_client.virtual_machine_scale_sets.begin_power_off(RG, "vmss1", {"instanceIds": ["1"]}).result()
    view = compute_client.virtual_machine_scale_sets.get_instance_view(RG, "vmss1")
    summary = {s.code: s.count for s in view.virtual_machine.statuses_summary}
    assert summary == {"ProvisioningState/succeeded": 3, "PowerState/running": 2, "PowerState/stopped": 1}
    assert view.statuses[0].code == "ProvisioningState/succeeded"


def test_the_vm_model_view_shows_the_vms_own_model_without_overprovision(compute_client: Any, rg: str) -> None:
    create(compute_client)
    vm = raw(compute_client, "GET", vmss_path("vmss1", "/virtualMachines/1")).json()
    assert vm["name"] == "vmss1_1" and vm["instanceId"] == "1"
    assert "overprovision" not in vm["properties"]
    assert vm["properties"]["latestModelApplied"] is True
    assert vm["properties"]["hardwareProfile"] == {"vmSize": "Standard_DS1_v2"}
    ref = vm["properties"]["storageProfile"]["imageReference"]
    assert ref["version"] == "latest" and ref["exactVersion"]
    assert vm["properties"]["storageProfile"]["osDisk"]["name"].startswith("vmss1_vmss1_1_OsDisk_1_")
    assert "adminPassword" not in vm["properties"]["osProfile"]


def test_the_vm_instance_view_reports_the_os_from_the_image_and_the_power_state(compute_client: Any, rg: str) -> None:
    create(compute_client)
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "0")
    assert (view.os_name, view.os_version) == ("ubuntu", "18.04")
    assert [s.code for s in view.statuses] == ["ProvisioningState/succeeded", "PowerState/running"]
    assert view.computer_name == "vmss1000000"
    assert view.vm_agent.statuses[0].display_status == "Ready"
    expanded = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "0", expand="instanceView")
    assert expanded.instance_view.statuses[1].code == "PowerState/running"


def test_instance_ids_count_up_and_are_never_reused(compute_client: Any, rg: str) -> None:
    create(compute_client, body=vmss_body(3))
    compute_client.virtual_machine_scale_sets.begin_delete_instances(RG, "vmss1", {"instanceIds": ["2"]}).result()
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(4)).result()
    ids = [vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")]
    assert ids == ["0", "1", "3", "4"]
    names = [vm.os_profile.computer_name for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")]
    assert names == ["vmss1000000", "vmss1000001", "vmss1000003", "vmss1000004"]


def test_scale_in_removes_the_highest_instance_ids_but_never_a_vm_protected_from_scale_in(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, body=vmss_body(4))
    protect(compute_client, "3", scale_in=True)
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", vmss_body(2)).result()
    ids = [vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")]
    assert ids == ["0", "3"]


def test_scale_in_with_the_oldest_vm_policy_removes_the_oldest_vms(compute_client: Any, rg: str) -> None:
    create(compute_client, body=vmss_body(3, scaleInPolicy={"rules": ["OldestVM"]}))
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        RG, "vmss1", vmss_body(1, scaleInPolicy={"rules": ["OldestVM"]})
    ).result()
    assert [vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")] == ["2"]


def test_the_vm_list_filters_on_latest_model_applied_and_expands_instance_views(compute_client: Any, rg: str) -> None:
    create(compute_client, body=vmss_body(3))
    changed = vmss_body(3)
    changed["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["sku"] = "16.04-LTS"
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "vmss1", changed).result()
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["0"]}).result()
    vms = compute_client.virtual_machine_scale_set_vms
    stale = [vm.instance_id for vm in vms.list(RG, "vmss1", filter="properties/latestModelApplied eq false")]
    assert stale == ["1", "2"]
    expanded = list(vms.list(RG, "vmss1", expand="instanceView", select="instanceView"))
    assert all(vm.instance_view.statuses[1].code == "PowerState/running" for vm in expanded)


def test_the_vm_list_is_paged_with_next_links_that_carry_the_api_version(
    compute_client: Any, rg: str, emulator: Any
) -> None:
    create(compute_client, body=vmss_body(5))
    emulator.ctx.services["page_size"] = 2
    first = raw(compute_client, "GET", vmss_path("vmss1", "/virtualMachines")).json()
    assert len(first["value"]) == 2 and "api-version" in first["nextLink"]
    assert [vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")] == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]


def test_a_put_with_a_stale_if_match_etag_is_refused_with_412(compute_client: Any, rg: str) -> None:
    create(compute_client)
    from azure.core import MatchConditions

    with pytest.raises(HttpResponseError) as excinfo:
        compute_client.virtual_machine_scale_sets.begin_create_or_update(
            RG, "vmss1", vmss_body(), etag='"7"', match_condition=MatchConditions.IfNotModified
        ).result()
    assert excinfo.value.status_code == 412
    compute_client.virtual_machine_scale_sets.begin_create_or_update(
        RG, "vmss1", vmss_body(), etag='"1"', match_condition=MatchConditions.IfNotModified
    ).result()


def test_a_scale_set_converts_back_to_a_single_placement_group(compute_client: Any, rg: str) -> None:
    create(compute_client, body=vmss_body(2, singlePlacementGroup=False))
    compute_client.virtual_machine_scale_sets.convert_to_single_placement_group(RG, "vmss1", {})
    assert compute_client.virtual_machine_scale_sets.get(RG, "vmss1").single_placement_group is True


def test_a_per_vm_nic_configuration_change_is_kept_on_that_vm_only(compute_client: Any, rg: str) -> None:
    create(compute_client)
    vms = compute_client.virtual_machine_scale_set_vms
    vm = vms.get(RG, "vmss1", "0")
    vm.network_profile_configuration.network_interface_configurations[0].enable_ip_forwarding = True
    vms.begin_update(RG, "vmss1", "0", vm).result()
    got = vms.get(RG, "vmss1", "0").network_profile_configuration.network_interface_configurations[0]
    assert got.enable_ip_forwarding is True
    other = vms.get(RG, "vmss1", "1").network_profile_configuration.network_interface_configurations[0]
    assert other.enable_ip_forwarding is False
    assert vms.get(RG, "vmss1", "0").network_profile.network_interfaces


def test_template_style_bodies_with_strings_nulls_and_lower_case_enums_are_accepted(
    compute_client: Any, rg: str
) -> None:
    body = vmss_body(2, upgradePolicy={"mode": "manual"}, singlePlacementGroup=None, overprovision="true")
    body["sku"]["capacity"] = "2"
    body["properties"]["virtualMachineProfile"]["storageProfile"]["osDisk"]["managedDisk"] = {
        "storageAccountType": None
    }
    assert raw(compute_client, "PUT", vmss_path(), body).status_code == 201
    got = compute_client.virtual_machine_scale_sets.get(RG, "vmss1")
    assert (got.sku.capacity, got.upgrade_policy.mode, got.single_placement_group, got.overprovision) == (
        2,
        "Manual",
        True,
        True,
    )
    assert got.virtual_machine_profile.storage_profile.os_disk.managed_disk.storage_account_type == "Premium_LRS"


def test_a_system_assigned_identity_gets_a_principal_that_survives_updates(compute_client: Any, rg: str) -> None:
    body = {**vmss_body(1), "identity": {"type": "SystemAssigned"}}
    first = create(compute_client, body=body).identity
    again = create(compute_client, body=body).identity
    assert first.principal_id and first.principal_id == again.principal_id and first.tenant_id


def test_automatic_os_upgrades_without_health_monitoring_are_refused(compute_client: Any, rg: str) -> None:
    body = vmss_body(
        1, upgradePolicy={"mode": "Automatic", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}}
    )
    with pytest.raises(HttpResponseError) as excinfo:
        create(compute_client, body=body)
    assert excinfo.value.status_code == 400 and excinfo.value.error.code == "BadRequest"

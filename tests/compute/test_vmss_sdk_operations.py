"""SDK coverage of operations that already worked without a test through the real SDK (issue 3 audit, item 4)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from compute_helpers import RG, error_of, rolling_body, vmss_body

from conftest import Clocked


def create(client: Any, body: dict[str, Any], name: str = "vmss1") -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, name, body).result()


def power(client: Any) -> dict[str, str]:
    out = {}
    for vm in client.virtual_machine_scale_set_vms.list(RG, "vmss1", expand="instanceView"):
        out[vm.instance_id] = vm.instance_view.statuses[1].code.split("/")[1]
    return out


def test_the_scale_set_skus_endpoint_lists_the_sizes_it_can_resize_to(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(1))
    skus = list(compute_client.virtual_machine_scale_sets.list_skus(RG, "vmss1"))
    names = [s.sku.name for s in skus]
    assert "Standard_DS1_v2" in names and "Standard_D2_v2" in names
    assert "Standard_B1s" not in names  # another hardware cluster: needs deallocation, not offered here
    assert {s.resource_type for s in skus} == {"Microsoft.Compute/virtualMachineScaleSets"}
    # A single placement group holds at most 100 VMs.
    assert {(s.capacity.minimum, s.capacity.maximum, s.capacity.scale_type) for s in skus} == {(0, 100, "Automatic")}
    compute_client.virtual_machine_scale_sets.begin_update(
        RG, "vmss1", {"properties": {"singlePlacementGroup": False}}
    ).result()
    assert {s.capacity.maximum for s in compute_client.virtual_machine_scale_sets.list_skus(RG, "vmss1")} == {1000}


def test_an_extension_rolling_upgrade_runs_to_completion(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    create(client, rolling_body(4))
    poller = client.virtual_machine_scale_set_rolling_upgrades.begin_start_extension_upgrade(RG, "vmss1")
    emulator.settle()
    poller.result()
    status = client.virtual_machine_scale_set_rolling_upgrades.get_latest(RG, "vmss1")
    assert status.running_status.code == "Completed"
    assert status.running_status.last_action == "Start"


def test_per_vm_restart_redeploy_reimage_and_reimage_all(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    vms = compute_client.virtual_machine_scale_set_vms
    vms.begin_power_off(RG, "vmss1", "0").result()
    assert power(compute_client) == {"0": "stopped", "1": "running"}
    vms.begin_restart(RG, "vmss1", "1").result()
    vms.begin_redeploy(RG, "vmss1", "1").result()
    assert power(compute_client) == {"0": "stopped", "1": "running"}
    changed = vmss_body(2)
    changed["properties"]["virtualMachineProfile"]["osProfile"]["adminUsername"] = "newadmin"
    create(compute_client, changed)
    vms.begin_reimage(RG, "vmss1", "0").result()
    vms.begin_reimage_all(RG, "vmss1", "1").result()
    assert {i: vms.get(RG, "vmss1", i).os_profile.admin_username for i in ("0", "1")} == {
        "0": "newadmin",
        "1": "newadmin",
    }
    assert power(compute_client) == {"0": "running", "1": "running"}
    with pytest.raises(HttpResponseError) as excinfo:
        vms.begin_restart(RG, "vmss1", "9").result()
    assert error_of(excinfo)[:2] == (404, "ResourceNotFound")


def flexible_body(capacity: int) -> dict[str, Any]:
    body = vmss_body(capacity, orchestrationMode="Flexible", platformFaultDomainCount=1, singlePlacementGroup=False)
    del body["properties"]["upgradePolicy"]
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkApiVersion"] = "2020-11-01"
    return body


def test_a_flexible_vm_put_updates_its_tags_and_protection_and_cannot_create(compute_client: Any, rg: str) -> None:
    create(compute_client, flexible_body(1), name="flex")
    name = next(iter(compute_client.virtual_machines.list(RG))).name
    body = {
        "location": "eastus",
        "tags": {"team": "a"},
        "properties": {"protectionPolicy": {"protectFromScaleIn": True}},
    }
    compute_client.virtual_machines.begin_create_or_update(RG, name, body).result()
    vm = compute_client.virtual_machines.get(RG, name)
    assert vm.tags == {"team": "a"}
    with pytest.raises(HttpResponseError) as excinfo:
        compute_client.virtual_machines.begin_create_or_update(RG, "standalone", body).result()
    assert error_of(excinfo)[:2] == (400, "InvalidParameter")
    assert [v.name for v in compute_client.virtual_machines.list(RG)] == [name]


def test_scale_in_with_the_newest_vm_policy_removes_the_newest_vms(compute_client: Any, rg: str) -> None:
    policy = {"rules": ["NewestVM"]}
    create(compute_client, vmss_body(3, scaleInPolicy=policy))
    compute_client.virtual_machine_scale_sets.begin_delete_instances(RG, "vmss1", {"instanceIds": ["1"]}).result()
    create(compute_client, vmss_body(4, scaleInPolicy=policy))  # adds 3 and 4
    create(compute_client, vmss_body(2, scaleInPolicy=policy))
    assert sorted(vm.instance_id for vm in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")) == [
        "0",
        "2",
    ]
    assert compute_client.virtual_machine_scale_sets.get(RG, "vmss1").scale_in_policy.rules == ["NewestVM"]


def test_orchestration_service_state_resumes_and_refuses_bad_input(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(1))
    sets = compute_client.virtual_machine_scale_sets
    for action in ("Suspend", "Resume"):
        sets.begin_set_orchestration_service_state(
            RG, "vmss1", {"serviceName": "AutomaticRepairs", "action": action}
        ).result()
    services = sets.get_instance_view(RG, "vmss1").orchestration_services
    assert [(s.service_name, s.service_state) for s in services] == [("AutomaticRepairs", "Running")]
    for bad in ({"serviceName": "Unknown", "action": "Resume"}, {"serviceName": "AutomaticRepairs", "action": "Stop"}):
        with pytest.raises(HttpResponseError) as excinfo:
            sets.begin_set_orchestration_service_state(RG, "vmss1", bad).result()
        assert error_of(excinfo)[:2] == (400, "InvalidParameter")
    services = sets.get_instance_view(RG, "vmss1").orchestration_services
    assert [(s.service_name, s.service_state) for s in services] == [("AutomaticRepairs", "Running")]


def test_power_off_with_skip_shutdown_stops_the_named_vms(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(2))
    compute_client.virtual_machine_scale_sets.begin_power_off(
        RG, "vmss1", {"instanceIds": ["1"]}, skip_shutdown=True
    ).result()
    assert power(compute_client) == {"0": "running", "1": "stopped"}
    compute_client.virtual_machine_scale_set_vms.begin_power_off(RG, "vmss1", "0", skip_shutdown=True).result()
    assert power(compute_client) == {"0": "stopped", "1": "stopped"}


def test_per_vm_paths_on_an_unknown_instance_answer_404_resource_not_found(compute_client: Any, rg: str) -> None:
    from compute_helpers import raw, vmss_path

    create(compute_client, vmss_body(1))
    vm = raw(compute_client, "GET", vmss_path("vmss1", "/virtualMachines/0")).json()
    for method, suffix, body in (
        ("PUT", "/virtualMachines/7", vm),
        ("GET", "/virtualMachines/7", None),
        ("POST", "/virtualMachines/7/emulator.setHealth", {"healthy": False}),
    ):
        response = raw(compute_client, method, vmss_path("vmss1", suffix), body)
        assert (response.status_code, response.json()["error"]["code"]) == (404, "ResourceNotFound"), suffix
    assert [v.instance_id for v in compute_client.virtual_machine_scale_set_vms.list(RG, "vmss1")] == ["0"]


def test_run_command_succeeds_with_empty_output_on_a_running_vm_and_is_refused_when_stopped(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, vmss_body(2))
    vms = compute_client.virtual_machine_scale_set_vms
    result = vms.begin_run_command(RG, "vmss1", "0", {"commandId": "RunShellScript", "script": ["echo hello"]}).result()
    assert [(s.code, s.message) for s in result.value] == [
        ("ProvisioningState/succeeded", "Enable succeeded: \n[stdout]\n\n[stderr]\n")
    ]
    with pytest.raises(HttpResponseError) as missing:
        vms.begin_run_command(RG, "vmss1", "0", {"script": ["ls"]}).result()
    assert error_of(missing)[:2] == (400, "InvalidParameter")
    vms.begin_power_off(RG, "vmss1", "1").result()
    with pytest.raises(HttpResponseError) as stopped:
        vms.begin_run_command(RG, "vmss1", "1", {"commandId": "RunShellScript"}).result()
    assert error_of(stopped)[:2] == (409, "OperationNotAllowed")

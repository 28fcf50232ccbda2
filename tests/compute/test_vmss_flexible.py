"""Flexible orchestration: the scale set's VMs are standalone Microsoft.Compute/virtualMachines."""

from __future__ import annotations

from typing import Any

from compute_helpers import RG, vmss_body


def flexible_body(capacity: int) -> dict[str, Any]:
    body = vmss_body(capacity, orchestrationMode="Flexible", platformFaultDomainCount=1, singlePlacementGroup=False)
    del body["properties"]["upgradePolicy"]
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkApiVersion"] = "2020-11-01"
    return body


def test_flexible_vms_are_standalone_virtual_machines_linked_to_their_scale_set(compute_client: Any, rg: str) -> None:
    vmss = compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "flex", flexible_body(2)).result()
    assert vmss.orchestration_mode == "Flexible" and vmss.platform_fault_domain_count == 1
    # Overprovisioning is a Uniform feature: Azure reports neither flag on a Flexible scale set.
    assert vmss.overprovision is None and vmss.do_not_run_extensions_on_overprovisioned_v_ms is None
    vms = list(compute_client.virtual_machines.list(RG))
    assert len(vms) == 2
    for vm in vms:
        assert vm.type == "Microsoft.Compute/virtualMachines"
        assert vm.name.startswith("flex_") and len(vm.name) == len("flex_") + 8
        assert vm.virtual_machine_scale_set.id == vmss.id
    listed = list(compute_client.virtual_machine_scale_set_vms.list(RG, "flex"))
    assert sorted(vm.instance_id for vm in listed) == sorted(vm.name for vm in vms)
    view = compute_client.virtual_machines.instance_view(RG, vms[0].name)
    assert view.statuses[1].code == "PowerState/running"


def test_deleting_a_flexible_vm_lowers_the_scale_set_capacity(compute_client: Any, rg: str) -> None:
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "flex", flexible_body(2)).result()
    name = next(iter(compute_client.virtual_machines.list(RG))).name
    compute_client.virtual_machines.begin_delete(RG, name).result()
    assert [vm.name for vm in compute_client.virtual_machines.list(RG)] != [name]
    assert len(list(compute_client.virtual_machines.list(RG))) == 1
    assert compute_client.virtual_machine_scale_sets.get(RG, "flex").sku.capacity == 1


def test_a_flexible_vm_can_be_stopped_and_started(compute_client: Any, rg: str) -> None:
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "flex", flexible_body(1)).result()
    name = next(iter(compute_client.virtual_machines.list(RG))).name
    compute_client.virtual_machines.begin_power_off(RG, name).result()
    assert compute_client.virtual_machines.instance_view(RG, name).statuses[1].code == "PowerState/stopped"
    compute_client.virtual_machines.begin_start(RG, name).result()
    assert compute_client.virtual_machines.get(RG, name, expand="instanceView").instance_view.statuses[1].code == (
        "PowerState/running"
    )


def test_upgrading_a_flexible_vm_refreshes_its_nics_from_the_new_nic_configuration(
    compute_client: Any, network_client: Any, rg: str
) -> None:
    sets = compute_client.virtual_machine_scale_sets
    sets.begin_create_or_update(RG, "flex", flexible_body(2)).result()
    names = sorted(vm.name for vm in compute_client.virtual_machines.list(RG))

    def forwarding(name: str) -> bool:
        vm = compute_client.virtual_machines.get(RG, name)
        [nic_ref] = vm.network_profile.network_interfaces
        return bool(network_client.network_interfaces.get(RG, nic_ref.id.rsplit("/", 1)[1]).enable_ip_forwarding)

    assert [forwarding(name) for name in names] == [False, False]
    body = flexible_body(2)
    body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]["properties"][
        "enableIPForwarding"
    ] = True
    sets.begin_create_or_update(RG, "flex", body).result()
    # Manual policy: only the VM named in the upgrade gets NICs built from the new configuration.
    assert [forwarding(name) for name in names] == [False, False]
    sets.begin_update_instances(RG, "flex", {"instanceIds": [names[0]]}).result()
    assert [forwarding(name) for name in names] == [True, False]
    assert len(list(network_client.network_interfaces.list(RG))) == 2


def test_run_command_on_a_flexible_vm_succeeds_with_empty_output(compute_client: Any, rg: str) -> None:
    compute_client.virtual_machine_scale_sets.begin_create_or_update(RG, "flex", flexible_body(1)).result()
    name = next(iter(compute_client.virtual_machines.list(RG))).name
    result = compute_client.virtual_machines.begin_run_command(
        RG, name, {"commandId": "RunShellScript", "script": ["hostname"]}
    ).result()
    assert [s.code for s in result.value] == ["ProvisioningState/succeeded"]

"""Details of the upgrade paths, instance protection and instance views, through the real SDK.

Automatic mode step by step, cancel during a running rolling batch, prioritizeUnhealthyInstances,
protectFromScaleSetActions against every scale-set-wide path, the VM instance view of a scale set with an
extension, and VMs added after a model change.
"""

from __future__ import annotations

from typing import Any

from compute_helpers import RG, raw, rolling_body, vmss_body, vmss_path

from conftest import Clocked

NEW_SKU = "16.04-LTS"
OLD_SKU = "18.04-LTS"


def with_image_sku(body: dict[str, Any], sku: str = NEW_SKU) -> dict[str, Any]:
    body["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["sku"] = sku
    return body


def create(client: Any, body: dict[str, Any], name: str = "vmss1") -> Any:
    return client.virtual_machine_scale_sets.begin_create_or_update(RG, name, body).result()


def vms_of(client: Any, name: str = "vmss1") -> dict[str, Any]:
    return {vm.instance_id: vm for vm in client.virtual_machine_scale_set_vms.list(RG, name)}


def latest(client: Any, name: str = "vmss1") -> dict[str, bool]:
    return {i: vm.latest_model_applied for i, vm in vms_of(client, name).items()}


def states(client: Any) -> dict[str, str]:
    return {i: vm.provisioning_state for i, vm in vms_of(client).items()}


def skus(client: Any) -> dict[str, str]:
    return {i: vm.storage_profile.image_reference.sku for i, vm in vms_of(client).items()}


def status_of(client: Any) -> Any:
    return client.virtual_machine_scale_set_rolling_upgrades.get_latest(RG, "vmss1")


def set_health(client: Any, instance_id: str, healthy: bool) -> None:
    path = vmss_path("vmss1", f"/virtualMachines/{instance_id}/emulator.setHealth")
    response = raw(client, "POST", path, {"healthy": healthy})
    assert response.status_code == 200, response.text()


def protect(client: Any, instance_id: str) -> None:
    body = {"location": "eastus", "properties": {"protectionPolicy": {"protectFromScaleSetActions": True}}}
    client.virtual_machine_scale_set_vms.begin_update(RG, "vmss1", instance_id, body).result()
    vm = client.virtual_machine_scale_set_vms.get(RG, "vmss1", instance_id)
    assert vm.protection_policy.protect_from_scale_set_actions is True


# -- 1. Automatic mode, observed step by step -----------------------------------------------------


def test_automatic_mode_takes_every_vm_through_updating_to_succeeded_on_the_new_model(realistic: Clocked) -> None:
    client, emulator = realistic.compute, realistic.emulator
    sets = client.virtual_machine_scale_sets
    sets.begin_create_or_update(RG, "vmss1", vmss_body(4, upgradePolicy={"mode": "Automatic"}), polling=False)
    emulator.advance(600)
    assert states(client) == {str(i): "Succeeded" for i in range(4)}
    assert latest(client) == {str(i): True for i in range(4)}

    changed = with_image_sku(vmss_body(4, upgradePolicy={"mode": "Automatic"}))
    sets.begin_create_or_update(RG, "vmss1", changed, polling=False)
    seen_updating: set[str] = set()
    for _ in range(600):
        current = states(client)
        seen_updating |= {i for i, state in current.items() if state == "Updating"}
        if set(current.values()) == {"Succeeded"} and seen_updating:
            break
        emulator.advance(1)
    assert seen_updating == {"0", "1", "2", "3"}
    assert states(client) == {str(i): "Succeeded" for i in range(4)}
    assert latest(client) == {str(i): True for i in range(4)}
    assert skus(client) == {str(i): NEW_SKU for i in range(4)}
    view = client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "2")
    assert [s.code for s in view.statuses][0] == "ProvisioningState/succeeded"


# -- 2. Cancel while a batch is running -----------------------------------------------------------


def test_cancel_during_a_running_batch_lets_the_batch_finish_then_cancels(realistic: Clocked) -> None:
    client, emulator = realistic.compute, realistic.emulator
    sets = client.virtual_machine_scale_sets
    policy = {"maxBatchInstancePercent": 40, "maxUnhealthyInstancePercent": 40, "pauseTimeBetweenBatches": "PT5M"}
    sets.begin_create_or_update(RG, "vmss1", rolling_body(5, **policy), polling=False)
    emulator.advance(600)
    sets.begin_create_or_update(RG, "vmss1", with_image_sku(rolling_body(5, **policy)), polling=False)
    emulator.advance(1)
    # Batch 1 (instances 0 and 1) is running, not pausing.
    assert states(client) == {"0": "Updating", "1": "Updating", "2": "Succeeded", "3": "Succeeded", "4": "Succeeded"}
    assert status_of(client).progress.in_progress_instance_count == 2

    client.virtual_machine_scale_set_rolling_upgrades.begin_cancel(RG, "vmss1", polling=False)
    emulator.settle()
    # The running batch is not abandoned: its VMs are still being updated.
    assert states(client)["0"] == "Updating" and states(client)["1"] == "Updating"

    emulator.advance(600)
    status = status_of(client)
    assert status.running_status.code == "Cancelled"
    assert status.running_status.last_action == "Cancel"
    assert (status.progress.successful_instance_count, status.progress.in_progress_instance_count) == (2, 0)
    assert states(client) == {str(i): "Succeeded" for i in range(5)}
    assert latest(client) == {"0": True, "1": True, "2": False, "3": False, "4": False}
    assert skus(client) == {"0": NEW_SKU, "1": NEW_SKU, "2": OLD_SKU, "3": OLD_SKU, "4": OLD_SKU}
    # Nothing more happens later: the remaining VMs stay on the old model.
    emulator.advance(900)
    assert latest(client) == {"0": True, "1": True, "2": False, "3": False, "4": False}


# -- 3. prioritizeUnhealthyInstances --------------------------------------------------------------


def _first_batch(clocked: Clocked, prioritize: bool) -> set[str]:
    client, emulator = clocked.compute, clocked.emulator
    policy = {
        "maxBatchInstancePercent": 20,
        "maxUnhealthyUpgradedInstancePercent": 100,
        "pauseTimeBetweenBatches": "PT1M",
        "prioritizeUnhealthyInstances": prioritize,
    }
    create(client, rolling_body(10, **policy))
    set_health(client, "7", False)
    create(client, with_image_sku(rolling_body(10, **policy)))
    emulator.settle()
    status = status_of(client)
    assert status.running_status.code == "RollingForward"
    assert status.policy.prioritize_unhealthy_instances is prioritize
    return {i for i, applied in latest(client).items() if applied}


def test_prioritize_unhealthy_instances_upgrades_the_unhealthy_instance_in_the_first_batch(clocked: Clocked) -> None:
    assert _first_batch(clocked, prioritize=True) == {"7", "0"}
    view = clocked.compute.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "7")
    assert view.vm_health.status.code == "HealthState/unhealthy"


def test_without_prioritize_the_unhealthy_instance_waits_for_its_turn(clocked: Clocked) -> None:
    # The unhealthy instance takes one of the two unavailable slots, so batch 1 is only instance 0.
    assert _first_batch(clocked, prioritize=False) == {"0"}


# -- 4. protectFromScaleSetActions ----------------------------------------------------------------


def test_scale_set_reimage_skips_a_protected_vm_but_a_per_vm_reimage_works(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(3))
    protect(compute_client, "1")
    changed = vmss_body(3)
    changed["properties"]["virtualMachineProfile"]["osProfile"]["adminUsername"] = "newadmin"
    create(compute_client, changed)
    vms = compute_client.virtual_machine_scale_set_vms

    def admins() -> dict[str, str]:
        return {i: vm.os_profile.admin_username for i, vm in vms_of(compute_client).items()}

    compute_client.virtual_machine_scale_sets.begin_reimage(RG, "vmss1").result()
    assert admins() == {"0": "newadmin", "1": "azureuser", "2": "newadmin"}
    compute_client.virtual_machine_scale_sets.begin_reimage(RG, "vmss1", {"instanceIds": ["*"]}).result()
    assert admins()["1"] == "azureuser"
    vms.begin_reimage(RG, "vmss1", "1").result()
    assert admins() == {"0": "newadmin", "1": "newadmin", "2": "newadmin"}
    assert vms.get(RG, "vmss1", "1").protection_policy.protect_from_scale_set_actions is True


def test_manual_upgrade_of_every_instance_skips_a_protected_vm(compute_client: Any, rg: str) -> None:
    create(compute_client, vmss_body(3))
    protect(compute_client, "2")
    create(compute_client, with_image_sku(vmss_body(3)))
    assert latest(compute_client) == {"0": False, "1": False, "2": False}
    compute_client.virtual_machine_scale_sets.begin_update_instances(RG, "vmss1", {"instanceIds": ["*"]}).result()
    assert latest(compute_client) == {"0": True, "1": True, "2": False}
    assert skus(compute_client) == {"0": NEW_SKU, "1": NEW_SKU, "2": OLD_SKU}
    # A per-VM action on the protected VM still runs.
    compute_client.virtual_machine_scale_set_vms.begin_restart(RG, "vmss1", "2").result()
    view = compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", "2")
    assert [s.code for s in view.statuses] == ["ProvisioningState/succeeded", "PowerState/running"]


def test_a_rolling_upgrade_leaves_a_protected_vm_on_the_old_model(clocked: Clocked) -> None:
    client, emulator = clocked.compute, clocked.emulator
    policy = {"maxBatchInstancePercent": 50}
    create(client, rolling_body(4, **policy))
    protect(client, "3")
    create(client, with_image_sku(rolling_body(4, **policy)))
    emulator.advance(600)
    status = status_of(client)
    assert status.running_status.code == "Completed"
    assert (status.progress.successful_instance_count, status.progress.pending_instance_count) == (3, 0)
    assert latest(client) == {"0": True, "1": True, "2": True, "3": False}
    assert skus(client)["3"] == OLD_SKU
    # An OS rolling upgrade started by the user leaves it alone too.
    client.virtual_machine_scale_set_rolling_upgrades.begin_start_os_upgrade(RG, "vmss1", polling=False)
    emulator.advance(600)
    assert status_of(client).running_status.code == "Completed"
    assert latest(client)["3"] is False


# -- 5. VM instance view with an extension --------------------------------------------------------


def test_the_vm_instance_view_has_domains_and_extension_statuses(compute_client: Any, rg: str) -> None:
    body = vmss_body(2)
    body["properties"]["virtualMachineProfile"]["extensionProfile"] = {
        "extensions": [
            {
                "name": "script",
                "properties": {
                    "publisher": "Microsoft.Azure.Extensions",
                    "type": "CustomScript",
                    "typeHandlerVersion": "2.1",
                    "settings": {"commandToExecute": "echo hi"},
                },
            }
        ]
    }
    create(compute_client, body)
    views = {i: compute_client.virtual_machine_scale_set_vms.get_instance_view(RG, "vmss1", i) for i in ("0", "1")}
    for view in views.values():
        assert isinstance(view.platform_update_domain, int) and isinstance(view.platform_fault_domain, int)
        assert len(view.extensions) == 1
        ext = view.extensions[0]
        assert (ext.name, ext.type, ext.type_handler_version) == (
            "script",
            "Microsoft.Azure.Extensions.CustomScript",
            "2.1",
        )
        assert [s.code for s in ext.statuses] == ["ProvisioningState/succeeded"]
    # Two instances are spread over different update and fault domains.
    domains = {(v.platform_update_domain, v.platform_fault_domain) for v in views.values()}
    assert len(domains) == 2
    assert len({v.platform_fault_domain for v in views.values()}) == 2


# -- 6. Scale out after a model change ------------------------------------------------------------


def test_a_vm_added_after_a_model_change_is_on_the_new_model_and_the_old_ones_are_not(
    compute_client: Any, rg: str
) -> None:
    create(compute_client, vmss_body(2))
    create(compute_client, with_image_sku(vmss_body(2)))
    create(compute_client, with_image_sku(vmss_body(3)))
    assert latest(compute_client) == {"0": False, "1": False, "2": True}
    assert skus(compute_client) == {"0": OLD_SKU, "1": OLD_SKU, "2": NEW_SKU}
    vm = compute_client.virtual_machine_scale_set_vms.get(RG, "vmss1", "2")
    assert vm.storage_profile.image_reference.exact_version == "16.04.202104140"
    # The partial PUT of `az vmss scale` (only sku.capacity) keeps the model: the next VM is also current.
    compute_client.virtual_machine_scale_sets.begin_update(RG, "vmss1", {"sku": {"capacity": 4}}).result()
    assert latest(compute_client) == {"0": False, "1": False, "2": True, "3": True}
    assert skus(compute_client)["3"] == NEW_SKU


# -- a stale step is not replayed -----------------------------------------------------------------


def test_a_rolling_step_handed_a_stale_copy_of_its_operation_does_not_replay(clocked: Clocked) -> None:
    # An SDK poller polls from its own thread: it can read the operation, wait on the store while the test
    # settles the emulator, then advance its old copy. That copy must not replay the first batch.
    client, emulator = clocked.compute, clocked.emulator
    create(client, rolling_body(3))
    client.virtual_machine_scale_sets.begin_create_or_update(
        RG, "vmss1", with_image_sku(rolling_body(3)), polling=False
    )
    operations = emulator.ctx.ops()
    [stale] = [op for op in emulator.ctx.store.due_operations(emulator.ctx.now()) if op.kind == "compute.rolling"]
    emulator.settle()
    assert status_of(client).progress.successful_instance_count == 3
    operations.advance(stale)
    status = status_of(client)
    assert status.running_status.code == "Completed"
    assert (status.progress.successful_instance_count, status.progress.pending_instance_count) == (3, 0)
    assert operations.get(stale.id).status == "Succeeded"

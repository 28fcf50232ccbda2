"""POST actions on a scale set (`P/{action}`) and on its VMs (`P/virtualMachines/{id}/{action}`).

Every action answers 202 with Location + Azure-AsyncOperation and an empty body; the operation ends when
the VMs' lifecycle transitions have finished (at once with the instant lifecycle). A body
`{"instanceIds": [...]}` picks VMs (absent or "*" = all); an unknown id is refused with 400 InvalidParameter
target instanceIds before anything changes. Scale-set-wide actions skip VMs protected with
`protectFromScaleSetActions`; the per-VM endpoints act on the VM they name.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.catalog.images import find_image, resolve_version
from vmss_emulator.domain.compute import instances, model, upgrades, vm_extras
from vmss_emulator.domain.compute.capacity import delete_vm
from vmss_emulator.domain.compute.upgrade import InstanceState, plan_manual
from vmss_emulator.domain.errors import InvalidParameter, OperationNotAllowed
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.store import Record

# action name (lower-case) -> lifecycle transition
POWER_ACTIONS: dict[str, str] = {
    "start": lifecycle.VM_START,
    "poweroff": lifecycle.VM_STOP,
    "restart": lifecycle.VM_RESTART,
    "deallocate": lifecycle.VM_DEALLOCATE,
    "redeploy": lifecycle.VM_REDEPLOY,
    "performmaintenance": lifecycle.VM_UPDATE,
}
REIMAGE_ACTIONS = frozenset({"reimage", "reimageall"})


def _requested_ids(call: Call, *, required: bool = False) -> list[str] | None:
    body = call.body if isinstance(call.body, dict) else {}
    ids = body.get("instanceIds")
    if ids is None:
        if required:
            raise InvalidParameter("Required parameter 'instanceIds' is missing (null).", target="instanceIds")
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str | int) for i in ids):
        raise InvalidParameter("The value of parameter 'instanceIds' is invalid.", target="instanceIds")
    return [str(i) for i in ids]


def _protected(vm: Record) -> bool:
    return bool(model.dig(vm.body, "properties", "protectionPolicy", "protectFromScaleSetActions"))


def _accepted(call: Call, vmss: Record, dues: list[float | None], ids: list[str] | None) -> Outcome:
    op = upgrades.start_reconcile(call.ctx, vmss, dues, instance_ids=ids)
    return Outcome(status=202, operation=op, lro="both")


def run(call: Call, vmss: Record, vms: list[Record], action: str) -> Outcome:
    """Apply one VM action to `vms` (already resolved and filtered)."""
    ctx = call.ctx
    dues: list[float | None] = []
    ids = [instances.instance_id_of(vm) for vm in vms]
    if action in POWER_ACTIONS:
        for vm in vms:
            if action == "poweroff" and vm.state.get("power") == "deallocated":
                # Powering off is not allowed on a deallocated VM (REST docs); a scale-set-wide powerOff
                # leaves such VMs deallocated rather than bringing them back to "stopped".
                continue
            dues.append(instances.begin(ctx, vm, POWER_ACTIONS[action]))
            ctx.store.put(vm)
        return _accepted(call, vmss, dues, ids)
    if action in REIMAGE_ACTIONS:
        for vm in vms:
            reimage(ctx, vmss, vm)
            dues.append(instances.begin(ctx, vm, lifecycle.VM_REIMAGE))
            ctx.store.put(vm)
        return _accepted(call, vmss, dues, ids)
    raise not_found(call.rid, endpoint=call.endpoint)


def reimage(ctx: Any, vmss: Record, vm: Record) -> None:
    """A fresh OS disk: the scale set's current OS profile and, for `latest`, the newest image version.

    Other model changes are not taken: those reach the VM through the upgrade policy only (seed)."""
    props = vm.body["properties"]
    os_model = copy.deepcopy(model.dig(vmss.body, "properties", "virtualMachineProfile", "osProfile") or {})
    os_model.pop("computerNamePrefix", None)
    os_profile = {"computerName": (props.get("osProfile") or {}).get("computerName")}
    os_profile.update(os_model)
    props["osProfile"] = os_profile
    ref = model.dig(props, "storageProfile", "imageReference")
    if isinstance(ref, dict) and ref.get("publisher"):
        image = find_image(str(ref["publisher"]), str(ref.get("offer", "")), str(ref.get("sku", "")))
        version = ref.get("version")
        exact = resolve_version(image, version if isinstance(version, str) else None) if image else None
        if exact is not None:
            ref["exactVersion"] = exact


def scale_set_action(call: Call, owner: ResourceType, vmss: Record) -> Outcome:
    ctx = call.ctx
    action = (call.endpoint or "").lower()
    if action in POWER_ACTIONS or action in REIMAGE_ACTIONS:
        vms = instances.resolve_instances(ctx, vmss, _requested_ids(call))
        return run(call, vmss, [vm for vm in vms if not _protected(vm)], action)
    if action == "delete":
        vms = instances.resolve_instances(ctx, vmss, _requested_ids(call, required=True))
        return delete_instances(call, vmss, [vm for vm in vms if not _protected(vm)])
    if action == "manualupgrade":
        return manual_upgrade(call, vmss, _requested_ids(call, required=True) or [])
    if action in ("osrollingupgrade", "extensionrollingupgrade"):
        if not model.health_monitored(vmss.body):
            raise OperationNotAllowed(
                f"Operation '{call.endpoint}' is not allowed on Virtual Machine Scale Set '{vmss.body['name']}'.",
            )
        op = upgrades.start_rolling(ctx, vmss, kind="os" if action == "osrollingupgrade" else "extension")
        return Outcome(status=202, operation=op, lro="both")
    if action == "rollingupgrades/cancel":
        upgrades.cancel_rolling(ctx, vmss)
        return _accepted(call, vmss, [], [])
    if action == "approverollingupgrade":
        return _accepted(call, vmss, [], [])
    if action == "reapply":
        return vm_extras.reapply(call, vmss)
    if action == "converttosingleplacementgroup":
        count = len(instances.list_vms(ctx, vmss))
        if count > model.SINGLE_PLACEMENT_GROUP_LIMIT:
            raise OperationNotAllowed(
                f"The scale set has {count} Virtual Machine instances, more than the limit of "
                f"'{model.SINGLE_PLACEMENT_GROUP_LIMIT}' of a single placement group."
            )
        model.props(vmss.body)["singlePlacementGroup"] = True
        ctx.store.put(vmss)
        return Outcome(status=200)
    if action == "setorchestrationservicestate":
        body = call.body if isinstance(call.body, dict) else {}
        service, verb = body.get("serviceName"), str(body.get("action") or "")
        if service not in ("AutomaticRepairs", "AutomaticZoneRebalancing") or verb.lower() not in ("resume", "suspend"):
            raise InvalidParameter("The value of parameter 'serviceName' or 'action' is invalid.", target="serviceName")
        services = vmss.state.setdefault("orchestrationServices", {})
        services[service] = "Running" if verb.lower() == "resume" else "Suspended"
        ctx.store.put(vmss)
        return _accepted(call, vmss, [], [])
    raise not_found(call.rid, endpoint=call.endpoint)


def delete_instances(call: Call, vmss: Record, vms: list[Record]) -> Outcome:
    """`P/delete` and per-VM DELETE: the VMs go and the capacity shrinks with them (Azure lowers sku.capacity)."""
    ctx = call.ctx
    dues = [delete_vm(ctx, vmss, vm) for vm in vms]
    sku = vmss.body.get("sku") or {}
    if vms and sku.get("capacity") is not None:
        sku["capacity"] = max(0, int(sku["capacity"]) - len(vms))
        ctx.store.put(vmss)
    return _accepted(call, vmss, dues, [instances.instance_id_of(vm) for vm in vms])


def manual_upgrade(call: Call, vmss: Record, requested: list[str]) -> Outcome:
    ctx = call.ctx
    vms = instances.list_vms(ctx, vmss)
    current = vmss.state.get("hash")
    states = [
        InstanceState(
            instances.instance_id_of(vm),
            up_to_date=vm.state.get("hash") == current,
            protected_from_scale_set_actions=_protected(vm),
        )
        for vm in vms
    ]
    wanted = set(plan_manual(states, requested if "*" not in requested else [s.instance_id for s in states]))
    dues: list[float | None] = []
    for vm in vms:
        if instances.instance_id_of(vm) in wanted and not _protected(vm):
            instances.upgrade_vm(ctx, vmss, vm)
            dues.append(instances.begin(ctx, vm, lifecycle.VM_UPDATE))
            ctx.store.put(vm)
    return _accepted(call, vmss, dues, sorted(wanted))


def vm_action(call: Call, vmss: Record, instance_id: str) -> Outcome:
    """`P/virtualMachines/{id}/{action}` (`*` = every VM, as az sends)."""
    action = (call.endpoint or "").lower()
    if instance_id != "*":
        # An instance named in the path is a resource that does not exist (404), not a bad parameter.
        vm_rid = instances.vm_rid(vmss, instance_id)
        if call.ctx.store.get(vm_rid.key) is None:
            raise not_found(vm_rid)
    vms = instances.resolve_instances(call.ctx, vmss, [instance_id])
    if action == "poweroff" and instance_id != "*" and vms and vms[0].state.get("power") == "deallocated":
        raise OperationNotAllowed(
            f"Operation 'powerOff' is not allowed on VM '{vms[0].body['name']}' since the VM is either "
            "deallocated or marked to be deallocated."
        )
    if action in POWER_ACTIONS or action in REIMAGE_ACTIONS:
        return run(call, vmss, vms, action)
    if action == "approverollingupgrade":
        return _accepted(call, vmss, [], [])
    if action == "simulateeviction" and len(vms) == 1:
        return vm_extras.simulate_eviction(call, vmss, vms[0])
    if action == "attachdetachdatadisks" and len(vms) == 1:
        return vm_extras.attach_detach_data_disks(call, vmss, vms[0])
    if action == "runcommand" and len(vms) == 1:
        return vm_extras.run_command(call, vmss, vms[0])
    raise not_found(ResourceId.parse(vms[0].id) if vms else call.rid, endpoint=call.endpoint)

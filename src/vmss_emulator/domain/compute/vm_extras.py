"""Less common POST actions: scale-set `reapply`, per-VM `simulateEviction` and `attachDetachDataDisks`.

- `P/reapply` (202): every VM passes through Updating again; nothing in the model or the VMs changes.
- `V/simulateEviction` (204, no operation): only for Spot VMs; the VM is evicted as its `evictionPolicy`
  says (Deallocate, the default: deallocated; Delete: the VM goes and the capacity shrinks).
- `V/attachDetachDataDisks` (api-version 2024-03-01 and later): attaches and detaches standalone managed disks
  (`disks.py`) in one call, as a per-VM PUT would; the operation's result is the VM's storage profile.
- `V/runCommand` (202): nothing runs in an emulator, so the command succeeds with empty output, in the
  result shape Azure gives for the VM's OS (Linux: one ProvisioningState status carrying stdout/stderr;
  Windows: a StdOut and a StdErr component status). A VM that is not running refuses it.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.compute import disks, instances, model, upgrades
from vmss_emulator.domain.compute.capacity import delete_vm
from vmss_emulator.domain.errors import InvalidParameter, OperationNotAllowed
from vmss_emulator.domain.ids import parse_reference
from vmss_emulator.domain.registry import Call, Outcome, not_found
from vmss_emulator.store import Record

ATTACH_DETACH_SINCE = "2024-03-01"
MAX_LUN = 63


def reapply(call: Call, vmss: Record) -> Outcome:
    ctx = call.ctx
    vms = instances.list_vms(ctx, vmss)
    dues: list[float | None] = []
    for vm in vms:
        dues.append(instances.begin(ctx, vm, lifecycle.VM_UPDATE))
        ctx.store.put(vm)
    op = upgrades.start_reconcile(ctx, vmss, dues, instance_ids=[instances.instance_id_of(vm) for vm in vms])
    return Outcome(status=202, operation=op, lro="both")


def simulate_eviction(call: Call, vmss: Record, vm: Record) -> Outcome:
    ctx = call.ctx
    props = vm.body["properties"]
    if str(props.get("priority") or "Regular").lower() != "spot":
        raise OperationNotAllowed(
            f"Simulate eviction is only supported for Spot virtual machines. Virtual machine '{vm.body['name']}' "
            "is not a Spot virtual machine."
        )
    if vm.state.get("power") == "deallocated":
        raise OperationNotAllowed(f"Virtual machine '{vm.body['name']}' is already deallocated.")
    if str(props.get("evictionPolicy") or "Deallocate").lower() == "delete":
        delete_vm(ctx, vmss, vm)
        sku = vmss.body.get("sku") or {}
        if sku.get("capacity") is not None:
            sku["capacity"] = max(0, int(sku["capacity"]) - 1)
            ctx.store.put(vmss)
    else:
        instances.begin(ctx, vm, lifecycle.VM_DEALLOCATE)
        ctx.store.put(vm)
    return Outcome(status=204)


def attach_detach_data_disks(call: Call, vmss: Record, vm: Record) -> Outcome:
    if call.api_version < ATTACH_DETACH_SINCE:
        raise not_found(call.rid, endpoint=call.endpoint)
    body = call.body if isinstance(call.body, dict) else None
    if body is None:
        raise InvalidParameter("Required parameter 'parameters' is missing (null).", target="parameters")
    to_attach = _list_of(body, "dataDisksToAttach")
    to_detach = _list_of(body, "dataDisksToDetach")
    if not to_attach and not to_detach:
        raise InvalidParameter(
            "At least one of 'dataDisksToAttach' or 'dataDisksToDetach' must be specified.",
            target="dataDisksToAttach",
        )
    ctx = call.ctx
    storage = vm.body["properties"]["storageProfile"]
    before: list[dict[str, Any]] = copy.deepcopy(storage.get("dataDisks") or [])
    after = [d for d in before if not _detached(d, to_detach)]
    if len(after) != len(before) - len(to_detach):
        raise InvalidParameter("A disk to detach is not attached to the virtual machine.", target="dataDisksToDetach")
    taken = {int(d["lun"]) for d in after}
    for item in to_attach:
        disk_id = str(parse_reference(item.get("diskId"), target="dataDisksToAttach.diskId"))
        lun = item.get("lun")
        if lun is None:
            lun = min(set(range(MAX_LUN + 1)) - taken, default=None)
        if not isinstance(lun, int) or isinstance(lun, bool) or not 0 <= lun <= MAX_LUN or lun in taken:
            raise InvalidParameter(
                f"The value '{lun}' of parameter 'lun' is not valid.", target="dataDisksToAttach.lun"
            )
        taken.add(lun)
        disk: dict[str, Any] = {
            "lun": lun,
            "name": disk_id.rsplit("/", 1)[-1],
            "createOption": "Attach",
            "caching": item.get("caching") or "None",
            "managedDisk": {"id": disk_id, "storageAccountType": _sku_of(call, disk_id)},
            "deleteOption": item.get("deleteOption") or "Detach",
        }
        after.append(disk)
    storage["dataDisks"] = sorted(after, key=lambda d: int(d["lun"]))
    disks.sync_attached(ctx, vm.id, before, storage["dataDisks"])
    due = instances.begin(ctx, vm, lifecycle.VM_UPDATE)
    ctx.store.put(vm)
    result = copy.deepcopy(storage)
    op = upgrades.start_reconcile(ctx, vmss, [due], instance_ids=[instances.instance_id_of(vm)], result=result)
    return Outcome(status=202, operation=op, lro="both")


def run_command(call: Call, vmss: Record, vm: Record) -> Outcome:
    body = call.body if isinstance(call.body, dict) else None
    command_id = body.get("commandId") if body is not None else None
    if not isinstance(command_id, str) or not command_id:
        raise InvalidParameter("Required parameter 'commandId' is missing (null).", target="commandId")
    if vm.state.get("power") != "running":
        raise OperationNotAllowed(
            f"Cannot run command on virtual machine '{vm.body['name']}' because it is not running.",
        )
    os_type = str(vm.body["properties"]["storageProfile"].get("osDisk", {}).get("osType") or "Linux")
    if os_type.lower() == "windows":
        value = [
            {"code": "ComponentStatus/StdOut/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded",
             "message": ""},
            {"code": "ComponentStatus/StdErr/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded",
             "message": ""},
        ]  # fmt: skip
    else:
        value = [
            {"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded",
             "message": "Enable succeeded: \n[stdout]\n\n[stderr]\n"},
        ]  # fmt: skip
    op = upgrades.start_reconcile(
        call.ctx, vmss, [], instance_ids=[instances.instance_id_of(vm)], result={"value": value}
    )
    return Outcome(status=202, operation=op, lro="both")


def _list_of(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidParameter(f"The value of parameter '{key}' is invalid.", target=key)
    return value


def _detached(disk: dict[str, Any], to_detach: list[dict[str, Any]]) -> bool:
    disk_id = str(model.dig(disk, "managedDisk", "id") or "").lower()
    return any(str(item.get("diskId") or "").lower() == disk_id for item in to_detach)


def _sku_of(call: Call, disk_id: str) -> str:
    record = disks.load(call.ctx, disk_id)
    return str((record.body.get("sku") or {}).get("name") or "Standard_LRS")

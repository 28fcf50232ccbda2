"""Microsoft.Compute/virtualMachineScaleSets/virtualMachines: the VM model view of each instance.

GET (`$expand=instanceView|userData`), list (`$filter` on power state or latestModelApplied, `$select`,
`$expand`; Flexible scale sets list their standalone VMs with instanceId = VM name), per-VM PUT (data disks,
protectionPolicy, networkProfileConfiguration), DELETE (`*` = every VM), instanceView, and the per-VM POST
actions, plus the emulator-only `emulator.setHealth` (docs/emulator-extensions.md).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from vmss_emulator._utils.casing import deep_merge_put
from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.apiversions import COMPUTE
from vmss_emulator.domain.compute import actions, instances, model, upgrades
from vmss_emulator.domain.compute import disks as managed_disks
from vmss_emulator.domain.compute.instance_view import vm_instance_view
from vmss_emulator.domain.errors import InvalidParameter, InvalidRequestContent
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.store import Record

_FILTER_LATEST = re.compile(r"properties/latestmodelapplied\s+eq\s+(true|false)", re.IGNORECASE)
_FILTER_POWER = re.compile(r"startswith\(\s*instanceview/statuses/code\s*,\s*'powerstate'\s*\)", re.IGNORECASE)


def scale_set_of(call: Call, rid: ResourceId) -> Record:
    vmss = call.ctx.store.get(rid.key)
    if vmss is None or vmss.type_key != instances.VMSS_TYPE.lower():
        raise not_found(rid)
    return vmss


def render(call: Call, vmss: Record, vm: Record, *, expand: str, select: str = "") -> dict[str, Any]:
    body = instances.view(vm, vmss)
    if instances.is_flexible(vmss):
        body["instanceId"] = vm.body["name"]
    if "instanceview" in expand or "instanceview" in select:
        body["properties"]["instanceView"] = vm_instance_view(vm, vmss)
    if "userdata" in expand:
        user_data = (vmss.state.get("secrets") or {}).get("userData")
        if user_data is not None:
            body["properties"]["userData"] = user_data
    return body


class ScaleSetVMs(ResourceType):
    full_type = instances.VM_TYPE
    api_versions = COMPUTE

    def _load(self, call: Call) -> tuple[Record, Record]:
        vmss = scale_set_of(call, call.rid.parent or call.rid)
        vm = call.ctx.store.get(instances.vm_rid(vmss, call.rid.name).key)
        if vm is None or vm.parent_key != vmss.key:
            raise not_found(call.rid)
        return vmss, vm

    def current_etag(self, call: Call) -> str | None:
        record = call.ctx.store.get(call.rid.key)
        return record.etag if record is not None else None

    def get(self, call: Call) -> Outcome:
        vmss, vm = self._load(call)
        return Outcome(200, render(call, vmss, vm, expand=(call.q("$expand") or "").lower()), etag=vm.etag)

    def list(self, call: Call) -> list[dict[str, Any]]:
        vmss = scale_set_of(call, call.rid)
        vms = instances.list_vms(call.ctx, vmss)
        expand = (call.q("$expand") or "").lower()
        select = (call.q("$select") or "").lower()
        flt = call.q("$filter") or ""
        latest = _FILTER_LATEST.search(flt)
        if latest:
            wanted = latest.group(1).lower() == "true"
            current = vmss.state.get("hash")
            vms = [vm for vm in vms if (vm.state.get("hash") == current) == wanted]
        if _FILTER_POWER.search(flt):
            expand += ",instanceview"
        return [render(call, vmss, vm, expand=expand, select=select) for vm in vms]

    def get_endpoint(self, call: Call) -> Outcome:
        vmss, vm = self._load(call)
        if (call.endpoint or "").lower() == "instanceview":
            return Outcome(200, vm_instance_view(vm, vmss))
        raise not_found(call.rid, endpoint=call.endpoint)

    def post_action(self, call: Call) -> Outcome:
        vmss = scale_set_of(call, call.rid.parent or call.rid)
        if (call.endpoint or "").lower() == "emulator.sethealth":
            return set_health(call, vmss, call.rid.name)
        return actions.vm_action(call, vmss, call.rid.name)

    def delete(self, call: Call) -> Outcome:
        vmss = scale_set_of(call, call.rid.parent or call.rid)
        if call.rid.name == "*":
            vms = instances.list_vms(call.ctx, vmss)
        else:
            vm = call.ctx.store.get(instances.vm_rid(vmss, call.rid.name).key)
            if vm is None:
                return Outcome(status=204)
            vms = [vm]
        return actions.delete_instances(call, vmss, vms)

    def put(self, call: Call) -> Outcome:
        vmss, vm = self._load(call)
        if not isinstance(call.body, dict):
            raise InvalidRequestContent("The request content was invalid and could not be deserialized.")
        return update_vm(call, vmss, vm, call.body)


def update_vm(call: Call, vmss: Record, vm: Record, body: dict[str, Any]) -> Outcome:
    """Per-VM PUT: only VM-specific settings change (seed: "VM 固有の更新" — data disks; plus protection and
    the VM's own NIC configurations); read-only members echoed back from a GET are ignored."""
    ctx = call.ctx
    incoming = body.get("properties") or {}
    props = vm.body["properties"]
    if "tags" in body:
        vm.body["tags"] = body["tags"] or {}
    if "protectionPolicy" in incoming:
        policy = incoming["protectionPolicy"] or {}
        props["protectionPolicy"] = {
            "protectFromScaleIn": bool(policy.get("protectFromScaleIn", False)),
            "protectFromScaleSetActions": bool(policy.get("protectFromScaleSetActions", False)),
        }
    disks = model.dig(incoming, "storageProfile", "dataDisks")
    if disks is not None:
        before = model.dig(props, "storageProfile", "dataDisks") or []
        props["storageProfile"]["dataDisks"] = _data_disks(vmss, vm, disks)
        managed_disks.sync_attached(ctx, vm.id, before, props["storageProfile"]["dataDisks"])
    nics = model.dig(incoming, "networkProfileConfiguration", "networkInterfaceConfigurations")
    if nics is not None and nics != model.dig(props, "networkProfileConfiguration", "networkInterfaceConfigurations"):
        merged = deep_merge_put(props.get("networkProfileConfiguration") or {}, incoming["networkProfileConfiguration"])
        props["networkProfileConfiguration"] = merged
        instances.attach_network(ctx, vmss, vm)
    current = vm.etag.strip('"')
    vm.etag = f'"{int(current) + 1 if current.isdigit() else 2}"'
    due = instances.begin(ctx, vm, lifecycle.VM_UPDATE)
    ctx.store.put(vm)
    op = upgrades.start_reconcile(ctx, vmss, [due], instance_ids=[instances.instance_id_of(vm)])
    shown = render(call, vmss, vm, expand="")
    shown["properties"]["provisioningState"] = "Updating"
    return Outcome(200, shown, operation=op, lro="async", etag=vm.etag)


def _data_disks(vmss: Record, vm: Record, disks: Any) -> list[dict[str, Any]]:
    if not isinstance(disks, list):
        raise InvalidParameter("The value of parameter 'dataDisks' is invalid.", target="dataDisks")
    rid = ResourceId.parse(vm.id)
    luns: set[int] = set()
    old = {d.get("lun"): d for d in model.dig(vm.body, "properties", "storageProfile", "dataDisks") or []}
    out = []
    for disk in disks:
        disk = copy.deepcopy(disk)
        lun = disk.get("lun")
        if not isinstance(lun, int) or lun < 0:
            raise InvalidParameter("Required parameter 'dataDisk.lun' is missing (null).", target="dataDisk.lun")
        if lun in luns:
            raise InvalidParameter(f"A disk at LUN {lun} already exists.", target="dataDisks")
        luns.add(lun)
        managed = disk.setdefault("managedDisk", {})
        if disk.get("createOption", "Empty") == "Attach":
            if not managed.get("id"):
                raise InvalidParameter(
                    "Required parameter 'managedDisk.id' is missing (null).", target="managedDisk.id"
                )
            disk.setdefault("name", str(managed["id"]).rsplit("/", 1)[-1])
        else:
            previous = old.get(lun) or {}
            name = disk.get("name") or previous.get("name") or f"{vm.body['name']}_disk{lun + 2}_{vm.key[-8:]}"
            disk["name"] = name
            managed.setdefault(
                "id",
                f"/subscriptions/{rid.subscription_id}/resourceGroups/{rid.resource_group}/providers/Microsoft.Compute/disks/{name}",
            )
            disk.setdefault("createOption", "Empty")
        disk.setdefault("caching", "None")
        managed.setdefault("storageAccountType", "Standard_LRS")
        out.append(disk)
    return out


def set_health(call: Call, vmss: Record, instance_id: str) -> Outcome:
    """Emulator-only: `POST .../virtualMachines/{id}/emulator.setHealth {"healthy": bool}` (204)."""
    body = call.body if isinstance(call.body, dict) else {}
    healthy = body.get("healthy")
    if not isinstance(healthy, bool):
        raise InvalidParameter("Required parameter 'healthy' (boolean) is missing.", target="healthy")
    if instance_id != "*" and call.ctx.store.get(instances.vm_rid(vmss, instance_id).key) is None:
        # Like every per-VM path: an instance named in the path that does not exist is a 404, not a bad parameter.
        raise not_found(instances.vm_rid(vmss, instance_id))
    for vm in instances.resolve_instances(call.ctx, vmss, [instance_id]):
        vm.state["healthy"] = healthy
        call.ctx.store.put(vm)
    return Outcome(status=200, body={"healthy": healthy})

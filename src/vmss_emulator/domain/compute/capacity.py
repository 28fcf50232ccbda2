"""Scale out and scale in: bring a scale set to `sku.capacity` VMs.

Scale out allocates instance ids that are never reused (a counter in the scale set's state) and builds every
VM in one pass; scale in follows `scaleInPolicy` (Default: balance zones, then the highest instance id;
NewestVM; OldestVM) and never picks a VM with `protectFromScaleIn`.
"""

from __future__ import annotations

import re
from typing import Any

from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.compute import disks, instances, model
from vmss_emulator.domain.errors import ArmError
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.store import Record


def reconcile_capacity(ctx: Any, vmss: Record) -> list[float | None]:
    """Create or delete VMs so the scale set has `sku.capacity` of them (one pass, no per-VM lookups)."""
    vms = [
        vm for vm in instances.list_vms(ctx, vmss) if (vm.state.get("pending") or {}).get("t") != lifecycle.VM_DELETE
    ]
    capacity = model.dig(vmss.body, "sku", "capacity")
    if capacity is None:
        return []
    wanted = int(capacity)
    if wanted > len(vms):
        return scale_out(ctx, vmss, wanted - len(vms))
    if wanted < len(vms):
        return scale_in(ctx, vmss, vms, len(vms) - wanted)
    return []


def scale_out(ctx: Any, vmss: Record, count: int) -> list[float | None]:
    zones = list(vmss.body.get("zones") or [])
    flexible = instances.is_flexible(vmss)
    next_id = int(vmss.state.get("nextInstanceId", 0))
    seq = int(vmss.state.get("seq", 0))
    name = ResourceId.parse(vmss.id).name
    dues: list[float | None] = []
    for _ in range(count):
        instance_id = f"{name}_{new_guid().replace('-', '')[:8]}" if flexible else str(next_id)
        zone = zones[next_id % len(zones)] if zones else None
        vm = instances.new_vm_record(ctx, vmss, instance_id, seq=seq, zone=zone)
        next_id += 1
        seq += 1
        try:
            instances.attach_network(ctx, vmss, vm)
        except ArmError as error:
            _count_the_whole_request(error, vmss, count)
            raise
        dues.append(instances.begin(ctx, vm, lifecycle.VM_CREATE))
        ctx.store.put(vm)
    vmss.state["nextInstanceId"] = next_id
    vmss.state["seq"] = seq
    ctx.store.put(vmss)
    return dues


def _count_the_whole_request(error: ArmError, vmss: Record, vms_added: int) -> None:
    """Azure words a full subnet by the addresses the whole request needs, not the one that failed."""
    if error.code != "SubnetIsFull":
        return
    nics = model.dig(
        vmss.body, "properties", "virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations"
    )
    per_vm = sum(len(model.dig(nic, "properties", "ipConfigurations") or []) for nic in nics or []) or 1
    error.message = re.sub(r"for \d+ IP addresses", f"for {vms_added * per_vm} IP addresses", error.message)


def scale_in(ctx: Any, vmss: Record, vms: list[Record], count: int) -> list[float | None]:
    """Pick VMs by the scale-in policy (Default: balance zones, then highest instance id), skipping protected ones."""
    # protectFromScaleSetActions covers scale-in too ("model updates or actions (including scale-in)").
    candidates = [
        vm
        for vm in vms
        if not model.dig(vm.body, "properties", "protectionPolicy", "protectFromScaleIn")
        and not model.dig(vm.body, "properties", "protectionPolicy", "protectFromScaleSetActions")
    ]
    rules = model.dig(vmss.body, "properties", "scaleInPolicy", "rules") or ["Default"]
    rule = str(rules[0]).lower()
    victims: list[Record] = []
    if rule == "newestvm":
        victims = sorted(candidates, key=lambda vm: -int(vm.state.get("seq", 0)))[:count]
    elif rule == "oldestvm":
        victims = sorted(candidates, key=lambda vm: int(vm.state.get("seq", 0)))[:count]
    else:
        by_zone: dict[str, list[Record]] = {}
        for vm in sorted(candidates, key=lambda vm: int(vm.state.get("seq", 0))):
            by_zone.setdefault(",".join(vm.body.get("zones") or []), []).append(vm)
        sizes = {zone: len([v for v in vms if ",".join(v.body.get("zones") or []) == zone]) for zone in by_zone}
        while len(victims) < count and any(by_zone.values()):
            zone = max((z for z in by_zone if by_zone[z]), key=lambda z: (sizes[z], z))
            victims.append(by_zone[zone].pop())
            sizes[zone] -= 1
    return [delete_vm(ctx, vmss, vm) for vm in victims]


def delete_vm(ctx: Any, vmss: Record, vm: Record) -> float | None:
    instances.detach_network(ctx, vmss, vm)
    # Attached standalone disks outlive the VM (their delete option is Detach).
    disks.sync_attached(ctx, vm.id, model.dig(vm.body, "properties", "storageProfile", "dataDisks") or [], [])
    due = instances.begin(ctx, vm, lifecycle.VM_DELETE)
    if due is None:
        ctx.store.delete(vm.key)
    else:
        ctx.store.put(vm)
    return due

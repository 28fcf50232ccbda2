"""Flexible orchestration: scale-set VMs are standalone Microsoft.Compute/virtualMachines.

They are named `{scale set}_{8 hex}`, carry `properties.virtualMachineScaleSet.id`, and are stored with a
parent link to their scale set so the scale set lists them through the parent index (its
`.../virtualMachines` list shows them with instanceId = VM name). Creating a standalone VM outside a scale
set is not emulated.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.apiversions import COMPUTE
from vmss_emulator.domain.compute import actions, instances, vm_extras, vms
from vmss_emulator.domain.compute.instance_view import vm_instance_view
from vmss_emulator.domain.errors import InvalidParameter, InvalidRequestContent
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.store import Record


class VirtualMachines(ResourceType):
    full_type = instances.FLEX_VM_TYPE
    api_versions = COMPUTE

    def _load(self, call: Call) -> tuple[Record, Record]:
        vm = call.ctx.store.get(call.rid.key)
        if vm is None or vm.type_key != self.full_type.lower() or vm.parent_key is None:
            raise not_found(call.rid)
        vmss = call.ctx.store.get(vm.parent_key)
        if vmss is None:
            raise not_found(call.rid)
        return vmss, vm

    def _render(self, call: Call, vmss: Record, vm: Record) -> dict[str, Any]:
        body = instances.view(vm, vmss)
        if "instanceview" in (call.q("$expand") or "").lower():
            body["properties"]["instanceView"] = vm_instance_view(vm, vmss)
        return body

    def get(self, call: Call) -> Outcome:
        vmss, vm = self._load(call)
        return Outcome(200, self._render(call, vmss, vm), etag=vm.etag)

    def list(self, call: Call) -> list[dict[str, Any]]:
        store = call.ctx.store
        if call.rid.resource_group is None:
            records = store.list_in_subscription(f"/subscriptions/{call.rid.subscription_id}", self.full_type)
        else:
            records = store.list_in_scope(call.rid.scope_key, self.full_type)
        parents = {r.key: r for r in store.get_many(sorted({r.parent_key for r in records if r.parent_key}))}
        return [self._render(call, parents[r.parent_key], r) for r in records if r.parent_key in parents]

    def get_endpoint(self, call: Call) -> Outcome:
        vmss, vm = self._load(call)
        if (call.endpoint or "").lower() == "instanceview":
            return Outcome(200, vm_instance_view(vm, vmss))
        raise not_found(call.rid, endpoint=call.endpoint)

    def post_action(self, call: Call) -> Outcome:
        vmss, vm = self._load(call)
        action = (call.endpoint or "").lower()
        if action in actions.POWER_ACTIONS or action in actions.REIMAGE_ACTIONS:
            return actions.run(call, vmss, [vm], action)
        if action == "runcommand":
            return vm_extras.run_command(call, vmss, vm)
        raise not_found(call.rid, endpoint=call.endpoint)

    def put(self, call: Call) -> Outcome:
        record = call.ctx.store.get(call.rid.key)
        if record is None:
            raise InvalidParameter(
                "Creating a standalone virtual machine is not emulated; add VMs by scaling a Flexible scale set.",
                target="virtualMachine",
            )
        vmss, vm = self._load(call)
        if not isinstance(call.body, dict):
            raise InvalidRequestContent("The request content was invalid and could not be deserialized.")
        return vms.update_vm(call, vmss, vm, call.body)

    def delete(self, call: Call) -> Outcome:
        record = call.ctx.store.get(call.rid.key)
        if record is None:
            return Outcome(status=204)
        vmss, vm = self._load(call)
        return actions.delete_instances(call, vmss, [vm])

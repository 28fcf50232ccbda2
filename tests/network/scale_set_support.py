"""Driving the ScaleSetNetwork service directly (as Compute does) for tests that must not depend on Compute."""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.contracts import SCALE_SET_NETWORK
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.registry import Call, Outcome, ResourceType
from vmss_emulator.store import Record

VMSS_TYPE = "Microsoft.Compute/virtualMachineScaleSets"
VM_TYPE = f"{VMSS_TYPE}/virtualMachines"


class _StandIn(ResourceType):
    """Only so that the path walk knows the Compute types while Compute is not registered."""

    api_versions = ("2018-10-01", "2023-09-01", "2024-11-01")

    def __init__(self, full_type: str) -> None:
        self.full_type = full_type  # type: ignore[misc]

    def get(self, call: Call) -> Outcome:
        record = call.ctx.store.get(call.rid.key)
        return Outcome(status=200 if record else 404, body=record.body if record else None)


def ensure_compute_types(emulator: Any) -> None:
    registry = emulator.ctx.types()
    for full_type in (VMSS_TYPE, VM_TYPE):
        if registry.lookup(full_type) is None:
            registry.register(_StandIn(full_type))


class FakeScaleSet:
    """A scale set as far as Microsoft.Network sees it: an id, VM ids, and the service calls."""

    def __init__(self, emulator: Any, rg: str, name: str = "vmss", mode: str = "Uniform") -> None:
        self.ctx = emulator.ctx
        sub = self.ctx.settings.subscription_id
        self.id = ResourceId.resource(sub, rg, VMSS_TYPE, name)
        self.mode = mode
        ensure_compute_types(emulator)
        self._put(self.id, VMSS_TYPE, None)

    def _put(self, rid: ResourceId, full_type: str, parent: str | None) -> None:
        body = {"name": rid.name, "id": str(rid), "type": full_type, "location": "westus"}
        self.ctx.store.put(Record(id=str(rid), type=full_type, body=body, scope_key=rid.scope_key, parent_key=parent))

    def vm_id(self, instance: int) -> ResourceId:
        return self.id.child("virtualMachines", str(instance))

    @property
    def service(self) -> Any:
        return self.ctx.services[SCALE_SET_NETWORK]

    def validate(self, configs: list[dict[str, Any]], *, vm_size: str = "Standard_D2s_v3",
                 previous: list[dict[str, Any]] | None = None) -> None:  # fmt: skip
        with self.ctx.transaction():
            self.service.validate_profile(
                self.ctx,
                scale_set_id=self.id,
                location="westus",
                vm_size=vm_size,
                orchestration_mode=self.mode,
                network_profile={"networkInterfaceConfigurations": configs},
                previous_profile={"networkInterfaceConfigurations": previous} if previous else None,
                single_placement_group=True,
            )

    def attach(self, instances: range | list[int], configs: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
        out = {}
        with self.ctx.transaction():
            for i in instances:
                vm = self.vm_id(i)
                if self.ctx.store.get(vm.key) is None:
                    self._put(vm, VM_TYPE, self.id.key)
                out[i] = self.service.attach_vm(
                    self.ctx,
                    scale_set_id=self.id,
                    vm_id=vm,
                    instance_id=str(i),
                    location="westus",
                    zones=None,
                    orchestration_mode=self.mode,
                    network_interface_configurations=configs,
                )
        return out

    def detach(self, instances: range | list[int]) -> None:
        with self.ctx.transaction():
            for i in instances:
                self.service.detach_vm(self.ctx, vm_id=self.vm_id(i), orchestration_mode=self.mode)
                self.ctx.store.delete(self.vm_id(i).key)

"""Instance health: what a VM's health probe / ApplicationHealth extension reports.

Every VM starts healthy; `emulator.setHealth` (docs/emulator-extensions.md) changes it. Rolling upgrades read
it through the `instance_health` service (domain/contracts.py) and instance views show it as `vmHealth`.
"""

from __future__ import annotations

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.ids import ResourceId


class InstanceHealthService:
    def is_healthy(self, ctx: Context, vm_id: ResourceId) -> bool:
        record = ctx.store.get(vm_id.key)
        if record is None:
            return False
        return bool(record.state.get("healthy", True))

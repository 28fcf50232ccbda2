"""Microsoft.Compute: virtual machine scale sets, their VMs, extensions, upgrades and the catalogue endpoints."""

from __future__ import annotations

from vmss_emulator.domain import tracked
from vmss_emulator.domain.compute import upgrades
from vmss_emulator.domain.compute.disks import Disks
from vmss_emulator.domain.compute.extensions import ScaleSetExtensions, ScaleSetVMExtensions
from vmss_emulator.domain.compute.flexible import VirtualMachines
from vmss_emulator.domain.compute.health import InstanceHealthService
from vmss_emulator.domain.compute.locations import Locations, ResourceSkus
from vmss_emulator.domain.compute.scaleset import ScaleSets
from vmss_emulator.domain.compute.vms import ScaleSetVMs
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.contracts import INSTANCE_HEALTH


def register(ctx: Context) -> None:
    # The tracked provision/delete workers are shared with Microsoft.Network; registering twice is harmless.
    tracked.register(ctx.ops())
    upgrades.register(ctx)
    registry = ctx.types()
    scale_sets = ScaleSets()
    registry.register(scale_sets)
    registry.register(ScaleSetVMs())
    registry.register(ScaleSetExtensions(scale_sets))
    registry.register(ScaleSetVMExtensions())
    registry.register(VirtualMachines())
    registry.register(Disks())
    registry.register(Locations())
    registry.register(ResourceSkus())
    ctx.services[INSTANCE_HEALTH] = InstanceHealthService()

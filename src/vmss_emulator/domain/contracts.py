"""Contracts between resource providers that call each other inside the emulator.

Providers never reach into another provider's records; they call the service the other provider
registers in `ctx.services` under the names below. A service may be absent (a provider not loaded),
so callers use `ctx.services.get(NAME)`.
"""

from __future__ import annotations

from typing import Any, Protocol

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.ids import ResourceId

SCALE_SET_NETWORK = "scale_set_network"
INSTANCE_HEALTH = "instance_health"


class ScaleSetNetwork(Protocol):
    """What Microsoft.Network does for Microsoft.Compute scale sets (registered by domain/network).

    All calls run inside the caller's transaction: a refusal raised here leaves nothing written.
    """

    def validate_profile(
        self,
        ctx: Context,
        *,
        scale_set_id: ResourceId,
        location: str,
        vm_size: str,
        orchestration_mode: str,
        network_profile: dict[str, Any],
        previous_profile: dict[str, Any] | None,
        single_placement_group: bool,
    ) -> None:
        """Refuse a scale-set network profile Azure would refuse (missing subnet/pool/NSG/ASG/prefix,
        accelerated networking on a size without it, subnets in two VNets, moving to another VNet,
        public IP / LB SKU mismatch, too many NICs for the size, ...)."""
        ...

    def attach_vm(
        self,
        ctx: Context,
        *,
        scale_set_id: ResourceId,
        vm_id: ResourceId,
        instance_id: str,
        location: str,
        zones: list[str] | None,
        orchestration_mode: str,
        network_interface_configurations: list[dict[str, Any]],
        vm_size: str | None = None,
    ) -> list[dict[str, Any]]:
        """Refuse NIC configurations a VM of `vm_size` cannot have (a per-instance PUT brings its own), then
        create (or bring up to date) the VM's real NICs, IP configurations, public IPs, pool and NAT memberships
        from its NIC configurations; return the VM's `networkProfile.networkInterfaces`
        (`[{"id": nic_id, "properties": {"primary": bool, "deleteOption": ...}}]`)."""
        ...

    def detach_vm(self, ctx: Context, *, vm_id: ResourceId, orchestration_mode: str) -> None:
        """Delete the VM's NICs and public IPs and release their addresses, pool and NAT memberships."""
        ...


class InstanceHealth(Protocol):
    """Health of scale-set instances as a rolling upgrade's health gates read it (registered by compute)."""

    def is_healthy(self, ctx: Context, vm_id: ResourceId) -> bool: ...

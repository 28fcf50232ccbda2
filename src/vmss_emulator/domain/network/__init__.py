"""Microsoft.Network: the network resources scale sets use."""

from __future__ import annotations

from vmss_emulator.domain import tracked
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.network.asg import ApplicationSecurityGroups


def register(ctx: Context) -> None:
    tracked.register(ctx.ops())
    registry = ctx.types()
    registry.register(ApplicationSecurityGroups())

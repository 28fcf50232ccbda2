"""Microsoft.Network: the network resources scale sets use, and the `ScaleSetNetwork` service."""

from __future__ import annotations

from vmss_emulator.domain import tracked
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.contracts import SCALE_SET_NETWORK
from vmss_emulator.domain.network import vmss_nested
from vmss_emulator.domain.network.appgw import ApplicationGateways
from vmss_emulator.domain.network.asg import ApplicationSecurityGroups
from vmss_emulator.domain.network.inline import InlineChildType
from vmss_emulator.domain.network.lb_portmap import LoadBalancerBackendPools
from vmss_emulator.domain.network.loadbalancer import COLLECTIONS as LB_COLLECTIONS
from vmss_emulator.domain.network.loadbalancer import LoadBalancers
from vmss_emulator.domain.network.natgw import NatGateways
from vmss_emulator.domain.network.nic import NetworkInterfaces
from vmss_emulator.domain.network.nsg import NetworkSecurityGroups
from vmss_emulator.domain.network.prefix import PublicIPPrefixes
from vmss_emulator.domain.network.publicip import PublicIPAddresses
from vmss_emulator.domain.network.routetable import RouteTables
from vmss_emulator.domain.network.scaleset import ScaleSetNetworkService
from vmss_emulator.domain.network.vnet import VirtualNetworks


def register(ctx: Context) -> None:
    tracked.register(ctx.ops())
    registry = ctx.types()
    registry.register(ApplicationSecurityGroups())
    vnets = VirtualNetworks()
    nsgs = NetworkSecurityGroups()
    tables = RouteTables()
    lbs = LoadBalancers()
    gateways = ApplicationGateways()
    for resource_type in (vnets, nsgs, tables, lbs, gateways, PublicIPAddresses(), PublicIPPrefixes(),
                          NatGateways(), NetworkInterfaces()):  # fmt: skip
        registry.register(resource_type)
    registry.register(InlineChildType(vnets, "subnets"))
    registry.register(InlineChildType(nsgs, "securityRules"))
    registry.register(InlineChildType(nsgs, "defaultSecurityRules", writable=False))
    registry.register(InlineChildType(tables, "routes"))
    for collection in LB_COLLECTIONS:
        if collection == "backendAddressPools":
            registry.register(LoadBalancerBackendPools(lbs, collection))
        else:
            registry.register(InlineChildType(lbs, collection))
    registry.register(InlineChildType(gateways, "backendAddressPools", writable=False))
    for nested in vmss_nested.ALL:
        registry.register(nested())
    ctx.services[SCALE_SET_NETWORK] = ScaleSetNetworkService()

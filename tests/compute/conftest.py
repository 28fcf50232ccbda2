from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from compute_helpers import LB, RG, SUBNET

from vmss_emulator._utils.clock import FakeClock
from vmss_emulator.app import Emulator
from vmss_emulator.testing.plugin import EmulatorCredential, client_kwargs


def make_network(network: Any, wait: Callable[[], Any] | None = None) -> None:
    """The VNet/subnet and load balancer (with a health probe) the scale sets in these tests reference.

    `wait` moves a FakeClock past the network lifecycle delays before the pollers are read."""
    # With a FakeClock the pollers must not run (they would sleep the real Retry-After): `wait` settles instead.
    options: dict[str, Any] = {"polling": False} if wait is not None else {}
    vnet = network.virtual_networks.begin_create_or_update(
        RG,
        "vnet1",
        {
            "location": "eastus",
            "properties": {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/22"}}],
            },
        },
        **options,
    )
    if wait is not None:
        wait()
    vnet.result()
    lb = network.load_balancers.begin_create_or_update(
        RG,
        "lb1",
        {
            "location": "eastus",
            "sku": {"name": "Standard"},
            "properties": {
                "frontendIPConfigurations": [{"name": "fe", "properties": {"subnet": {"id": SUBNET}}}],
                "backendAddressPools": [{"name": "be"}],
                "probes": [{"name": "http", "properties": {"protocol": "Tcp", "port": 80}}],
                "loadBalancingRules": [
                    {
                        "name": "rule",
                        "properties": {
                            "protocol": "Tcp",
                            "frontendPort": 80,
                            "backendPort": 80,
                            "frontendIPConfiguration": {"id": f"{LB}/frontendIPConfigurations/fe"},
                            "backendAddressPool": {"id": f"{LB}/backendAddressPools/be"},
                            "probe": {"id": f"{LB}/probes/http"},
                        },
                    }
                ],
            },
        },
        **options,
    )
    if wait is not None:
        wait()
    lb.result()


@pytest.fixture
def rg(resource_client: Any, network_client: Any) -> str:
    resource_client.resource_groups.create_or_update(RG, {"location": "eastus"})
    make_network(network_client)
    return RG


@dataclass
class Clocked:
    emulator: Emulator
    clock: FakeClock
    compute: Any


def _clocked(make_emulator: Callable[..., Emulator], **cloud: Any) -> Clocked:
    from azure.mgmt.compute import ComputeManagementClient
    from azure.mgmt.resource.resources import ResourceManagementClient

    clock = FakeClock()
    emulator = make_emulator(clock=clock, **cloud)
    credential = EmulatorCredential(emulator)
    sub = emulator.ctx.settings.subscription_id
    resources = ResourceManagementClient(credential, sub, **client_kwargs(emulator))
    resources.resource_groups.create_or_update(RG, {"location": "eastus"})
    from azure.mgmt.network import NetworkManagementClient

    make_network(NetworkManagementClient(credential, sub, **client_kwargs(emulator)), lambda: emulator.advance(60))
    return Clocked(emulator, clock, ComputeManagementClient(credential, sub, **client_kwargs(emulator)))


@pytest.fixture
def clocked(make_emulator: Callable[..., Emulator]) -> Clocked:
    """An emulator on a FakeClock with the instant lifecycle, and a compute client bound to it."""
    return _clocked(make_emulator)


@pytest.fixture
def realistic(make_emulator: Callable[..., Emulator]) -> Clocked:
    """An emulator on a FakeClock with the realistic lifecycle (transitions take time)."""
    return _clocked(make_emulator, lifecycle_profile="realistic")

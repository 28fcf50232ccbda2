"""Timings for the ScaleSetNetwork service: attach N scale-set VMs (NIC + public IP + LB pool + NAT pool +
application gateway pool each), list them through the nested endpoints' code, detach half.

    .venv/bin/python bench/bench_network.py [N ...]      (default: 100 1000)

Every step should grow linearly with N (taken addresses and ports are found by key, back-references
are listed through the parent index).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vmss_emulator.app import create_emulator
from vmss_emulator.domain.contracts import SCALE_SET_NETWORK
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.registry import Call
from vmss_emulator.settings import Settings
from vmss_emulator.store import Record

SUB = "00000000-0000-0000-0000-000000000001"
RG = "bench"
NET = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network"


def _put(ctx: Any, full_type: str, name: str, body: dict[str, Any]) -> None:
    rid = ResourceId.resource(SUB, RG, full_type, name)
    call = Call(ctx=ctx, method="PUT", rid=rid, api_version="2024-05-01", body=body, body_present=True)
    with ctx.transaction():
        ctx.types().lookup(full_type).put(call)


def setup(ctx: Any, n: int) -> list[dict[str, Any]]:
    from vmss_emulator.domain import resourcegroups

    resourcegroups.create_or_update(ctx, ResourceId(SUB, RG), {"location": "westus"})
    subnets = [
        {"name": "vms", "properties": {"addressPrefix": "10.0.0.0/20"}},
        {"name": "agw", "properties": {"addressPrefix": "10.0.16.0/24"}},
    ]
    vnet = {
        "location": "westus",
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": subnets},
    }
    _put(ctx, "Microsoft.Network/virtualNetworks", "vnet", vnet)
    _put(ctx, "Microsoft.Network/publicIPAddresses", "lbpip", {"location": "westus", "sku": {"name": "Standard"}})
    lb = f"{NET}/loadBalancers/lb"
    _put(
        ctx,
        "Microsoft.Network/loadBalancers",
        "lb",
        {
            "location": "westus",
            "sku": {"name": "Standard"},
            "properties": {
                "frontendIPConfigurations": [
                    {"name": "fe", "properties": {"publicIPAddress": {"id": f"{NET}/publicIPAddresses/lbpip"}}}
                ],
                "backendAddressPools": [{"name": "pool"}],
                "inboundNatPools": [
                    {
                        "name": "nat",
                        "properties": {
                            "frontendIPConfiguration": {"id": f"{lb}/frontendIPConfigurations/fe"},
                            "protocol": "Tcp",
                            "frontendPortRangeStart": 50000,
                            "frontendPortRangeEnd": 50000 + n,
                            "backendPort": 22,
                        },
                    }
                ],
            },
        },
    )
    _put(
        ctx,
        "Microsoft.Network/applicationGateways",
        "agw",
        {
            "location": "westus",
            "properties": {
                "gatewayIPConfigurations": [
                    {"name": "gw", "properties": {"subnet": {"id": f"{NET}/virtualNetworks/vnet/subnets/agw"}}}
                ],
                "backendAddressPools": [{"name": "pool"}],
            },
        },
    )
    return [
        {
            "name": "nic",
            "properties": {
                "primary": True,
                "ipConfigurations": [
                    {
                        "name": "ip",
                        "properties": {
                            "subnet": {"id": f"{NET}/virtualNetworks/vnet/subnets/vms"},
                            "loadBalancerBackendAddressPools": [{"id": f"{lb}/backendAddressPools/pool"}],
                            "loadBalancerInboundNatPools": [{"id": f"{lb}/inboundNatPools/nat"}],
                            "applicationGatewayBackendAddressPools": [
                                {"id": f"{NET}/applicationGateways/agw/backendAddressPools/pool"}
                            ],
                            "publicIPAddressConfiguration": {"name": "pub", "properties": {"idleTimeoutInMinutes": 15}},
                        },
                    }
                ],
            },
        }
    ]


def run(n: int) -> None:
    emulator = create_emulator(Settings(data_dir=Path(tempfile.mkdtemp()), in_memory=True))
    ctx = emulator.ctx
    configs = setup(ctx, n)
    service = ctx.services[SCALE_SET_NETWORK]
    vmss = ResourceId.resource(SUB, RG, "Microsoft.Compute/virtualMachineScaleSets", "vmss")
    ctx.store.put(
        Record(id=str(vmss), type="Microsoft.Compute/virtualMachineScaleSets", body={}, scope_key=vmss.scope_key)
    )
    started = time.perf_counter()
    with ctx.transaction():
        for i in range(n):
            service.attach_vm(
                ctx,
                scale_set_id=vmss,
                vm_id=vmss.child("virtualMachines", str(i)),
                instance_id=str(i),
                location="westus",
                zones=None,
                orchestration_mode="Uniform",
                network_interface_configurations=configs,
            )
    attach = time.perf_counter() - started
    started = time.perf_counter()
    lb_type = ctx.types().lookup("Microsoft.Network/loadBalancers")
    lb = lb_type.get(
        Call(
            ctx=ctx,
            method="GET",
            rid=ResourceId.resource(SUB, RG, "Microsoft.Network/loadBalancers", "lb"),
            api_version="",
        )
    )
    nics = (
        ctx.types()
        .lookup("Microsoft.Compute/virtualMachineScaleSets/networkInterfaces")
        .list(Call(ctx=ctx, method="GET", rid=vmss, api_version="2018-10-01"))
    )
    read = time.perf_counter() - started
    assert len(nics) == n and len(lb.body["properties"]["inboundNatRules"]) == n
    started = time.perf_counter()
    with ctx.transaction():
        for i in range(n // 2):
            service.detach_vm(ctx, vm_id=vmss.child("virtualMachines", str(i)), orchestration_mode="Uniform")
    detach = time.perf_counter() - started
    print(
        f"{n:>5} VMs: attach {attach:6.2f}s ({attach / n * 1000:.2f} ms/VM)  "
        f"read LB + list NICs {read:5.2f}s  detach {n // 2} {detach:5.2f}s"
    )
    emulator.close()


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [100, 1000]:
        run(size)

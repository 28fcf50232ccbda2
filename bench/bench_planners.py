"""Timings for the pure planners and the wire-name pass at the sizes a 1000-VM scale set brings.

    .venv/bin/python bench/bench_planners.py

Prints the best of five runs of each case, and the target it should stay well under on a laptop
(the unit tests check the same cases for correctness, never for time).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from ipaddress import IPv4Address
from typing import Any

from vmss_emulator._utils.casing import canonicalize
from vmss_emulator.domain.network.ipam import allocate
from vmss_emulator.domain.templates import DeploymentContext, GraphNode, plan_batches, prepare, resolve_dependencies

SUB = "00000000-0000-0000-0000-000000000001"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/rg1"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def _best(fn: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def ipam_case() -> Callable[[], Any]:
    taken = [str(IPv4Address(int(IPv4Address("10.0.0.4")) + i)) for i in range(60_000)]
    return lambda: allocate("10.0.0.0/16", taken, 5_000)


def graph_case() -> Callable[[], Any]:
    def rid(kind: str, name: str) -> str:
        return f"{RG_ID}/providers/{kind}/{name}"

    vnet = "Microsoft.Network/virtualNetworks"
    pip = "Microsoft.Network/publicIPAddresses"
    nic = "Microsoft.Network/networkInterfaces"
    nodes = [GraphNode(id=rid(vnet, "vnet1"), type=vnet, name="vnet1", depends_on=())]
    nodes += [GraphNode(id=rid(pip, f"pip{i}"), type=pip, name=f"pip{i}", depends_on=()) for i in range(1000)]
    nodes += [
        GraphNode(id=rid(nic, f"nic{i}"), type=nic, name=f"nic{i}", depends_on=(f"pip{i}", rid(vnet, "vnet1")))
        for i in range(1000)
    ]
    return lambda: plan_batches([n.id for n in nodes], resolve_dependencies(nodes))


def template_case() -> Callable[[], Any]:
    doc = {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01",
                "name": "[concat('pip', copyIndex())]", "location": "eastus", "copy": {"name": "pips", "count": 1000},
            },
            {
                "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01",
                "name": "[concat('nic', copyIndex())]", "location": "eastus", "copy": {"name": "nics", "count": 1000},
                "dependsOn": ["[resourceId('Microsoft.Network/publicIPAddresses', concat('pip', copyIndex()))]"],
            },
        ],
    }  # fmt: skip
    context = DeploymentContext(
        subscription_id=SUB, tenant_id=SUB, resource_group_name="rg1", resource_group_location="eastus",
        deployment_name="bench", now=0.0, max_copy_count=1000,
    )  # fmt: skip
    return lambda: prepare(doc, {}, context)


def casing_case() -> Callable[[], Any]:
    nic = {
        "name": "nic",
        "properties": {
            "primary": True, "enableAcceleratedNetworking": True,
            "ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": "x"}, "publicIPAddressConfiguration": {
                "name": "pub", "properties": {"idleTimeoutInMinutes": 15, "dnsSettings": {"domainNameLabel": "d"}}}}}],
        },
    }  # fmt: skip
    body = {"properties": {"virtualMachineProfile": {"networkProfile": {
        "networkInterfaceConfigurations": [copy.deepcopy(nic) for _ in range(1000)]}}}}  # fmt: skip
    canonicalize(body)
    return lambda: canonicalize(body)


CASES: list[tuple[str, Callable[[], Callable[[], Any]], float]] = [
    ("ipam: 5000 addresses after 60000 taken", ipam_case, 2.0),
    ("templates: plan 2001 resources", graph_case, 1.0),
    ("templates: prepare 2 copy loops of 1000", template_case, 5.0),
    ("casing: canonicalize 1000 NIC configurations", casing_case, 0.25),
]


def main() -> None:
    for name, build, target in CASES:
        seconds = _best(build())
        print(f"{name:<48} {seconds * 1000:9.1f} ms   (target < {target * 1000:.0f} ms)")


if __name__ == "__main__":
    main()

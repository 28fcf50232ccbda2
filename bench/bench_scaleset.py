"""Benchmark: a 1000-VM scale set through the real SDK, in-process (no sockets).

Creates the scale set (a NIC and a public IP per VM), lists its VMs and their public IPs, reads the
instance view, changes the model and upgrades every VM, scales in to 500, and prints timings.
Run: .venv/bin/python bench/bench_scaleset.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from vmss_emulator.app import create_emulator
from vmss_emulator.settings import Settings
from vmss_emulator.testing.plugin import EmulatorCredential, client_kwargs

RG = "bench"


def timed(label: str, action: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = action()
    print(f"{label:<40} {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    emulator = create_emulator(Settings(data_dir=Path(tempfile.mkdtemp()), in_memory=True))
    credential = EmulatorCredential(emulator)
    sub = emulator.ctx.settings.subscription_id
    kwargs = client_kwargs(emulator)
    ResourceManagementClient(credential, sub, **kwargs).resource_groups.create_or_update(RG, {"location": "eastus"})
    network = NetworkManagementClient(credential, sub, **kwargs)
    network.virtual_networks.begin_create_or_update(
        RG,
        "vnet",
        {
            "location": "eastus",
            "properties": {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/20"}}],
            },
        },
    ).result()
    subnet = (
        f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"
    )
    compute = ComputeManagementClient(credential, sub, **kwargs)
    body = {
        "location": "eastus",
        "sku": {"name": "Standard_DS1_v2", "capacity": 1000},
        "properties": {
            "singlePlacementGroup": False,
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {
                    "computerNamePrefix": "bench",
                    "adminUsername": "azureuser",
                    "adminPassword": "P@ss0rd1234!",
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "UbuntuServer",
                        "sku": "18.04-LTS",
                        "version": "latest",
                    }
                },
                "networkProfile": {
                    "networkInterfaceConfigurations": [
                        {
                            "name": "nic",
                            "properties": {
                                "primary": True,
                                "ipConfigurations": [
                                    {
                                        "name": "ip",
                                        "properties": {
                                            "subnet": {"id": subnet},
                                            "publicIPAddressConfiguration": {"name": "pip", "properties": {}},
                                        },
                                    }
                                ],
                            },
                        }
                    ]
                },
            },
        },
    }
    sets, vms = compute.virtual_machine_scale_sets, compute.virtual_machine_scale_set_vms
    timed("create 1000-VM scale set", lambda: sets.begin_create_or_update(RG, "big", body).result())
    listed = timed("list VMs", lambda: list(vms.list(RG, "big")))
    print(f"{'  VMs listed':<40} {len(listed):8d}")
    timed("list VMs with instance views", lambda: list(vms.list(RG, "big", expand="instanceView")))
    view = timed("scale-set instance view", lambda: sets.get_instance_view(RG, "big"))
    print(f"{'  summary':<40} {[(s.code, s.count) for s in view.virtual_machine.statuses_summary]}")
    public_ips = network.public_ip_addresses
    pips = timed(
        "list the VMs' public IPs",
        lambda: list(public_ips.list_virtual_machine_scale_set_public_ip_addresses(RG, "big")),
    )
    print(f"{'  public IPs':<40} {len({p.ip_address for p in pips}):8d}")
    profile = body["properties"]["virtualMachineProfile"]
    profile["storageProfile"]["imageReference"]["version"] = "18.04.202306070"
    timed("change the model (PUT)", lambda: sets.begin_create_or_update(RG, "big", body).result())
    timed("manual upgrade of every VM", lambda: sets.begin_update_instances(RG, "big", {"instanceIds": ["*"]}).result())
    timed("deallocate all", lambda: sets.begin_deallocate(RG, "big").result())
    body["sku"]["capacity"] = 500
    timed("scale in to 500", lambda: sets.begin_create_or_update(RG, "big", body).result())
    print(f"{'  VMs left':<40} {len(list(vms.list(RG, 'big'))):8d}")
    timed("delete scale set", lambda: sets.begin_delete(RG, "big").result())
    emulator.close()


if __name__ == "__main__":
    main()

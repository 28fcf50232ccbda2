"""VM size catalogue: what `az vm list-skus`, `.../vmSizes` and resize rules know about a size.

A deliberately small set (30 sizes) chosen to cover what the seeds, `az` defaults and common tutorials use:
the az default `Standard_DS1_v2`, the seed's `Standard_D2_v2`, a few sizes per family so that resizes within
a family and across families can both be exercised, one Basic tier, one GPU and one M-series size.

Sources of the values:
- vCPUs, memory, temp (resource) disk, max data disks and max NICs: the per-series pages on
  learn.microsoft.com (`virtual-machines/sizes/...`: dv2-dsv2, dv3-dsv3, ev3-esv3, dv5-dsv5, fsv2, b-series,
  av2, a-series (basic/standard A0-A7), ncv3, m-series).
- Capability names and the wire shape: azure-rest-api-specs
  `specification/compute/resource-manager/Microsoft.Compute/Skus/stable/2021-07-01/examples/skus/ListAvailableResourceSkus.json`
  (one entry per location; capability values are strings; `OSVhdSizeMB` is 1047552 for every size).
- Accelerated networking: the documented rule "supported on sizes with 2+ vCPUs" (1-vCPU sizes, the
  B-series below B12ms, A/A_v2/Basic never). Note: az CLI 2.91's hard-coded list in
  `_validate_vm_vmss_accelerated_networking` is older and omits 2-vCPU hyper-threaded sizes (D2s_v3, E2s_v3,
  F2s_v2, v5), so az never auto-enables AN on those; real `list-skus` reports `True` for them today.
  NC6s_v3: reported `False` here **[UNVERIFIED]**.

`hardware_cluster` is the emulator's model of Azure hardware clusters (not an Azure field): sizes in the
same cluster can be swapped on running VMs; any other size needs every VM deallocated first (seed
vmss-modify: "SKU 名 ... 現在存在するハードウェアで新しい VM SKU がサポートされていない場合は ... 割り当てを解除").
The grouping follows the families that really share host generations (Dv2/DSv2; Dv3/Dsv3/Ev3/Esv3;
Dv5/Dsv5; Fsv2; B; Av2; classic A and Basic A; NCv3; M); exact cluster membership is not published by Azure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Every size reports the same maximum OS VHD size (1023 GiB) in list-skus.
OS_VHD_SIZE_MB = 1047552

ALL_ZONES: tuple[str, ...] = ("1", "2", "3")


@dataclass(frozen=True)
class VmSize:
    """One VM size. Memory in GiB (may be fractional); disk sizes in GiB."""

    name: str
    tier: str  # "Standard" | "Basic"
    family: str
    vcpus: int
    memory_gb: float
    resource_disk_gb: int  # 0 for sizes without a local temp disk (v5)
    max_data_disks: int
    max_nics: int
    accelerated_networking: bool
    premium_io: bool
    hardware_cluster: str
    vcpus_per_core: int = 1
    low_priority_capable: bool = True
    ephemeral_os_disk: bool = False
    hyper_v_generations: str = "V1,V2"
    acus: int | None = None
    zonal: bool = True

    @property
    def size(self) -> str:
        """The `size` field of a resource SKU: the name without its tier prefix ("DS1_v2")."""
        return self.name.split("_", 1)[1]

    @property
    def memory_mb(self) -> int:
        return int(self.memory_gb * 1024)

    @property
    def resource_disk_mb(self) -> int:
        return self.resource_disk_gb * 1024


def _s(
    name: str,
    family: str,
    vcpus: int,
    memory_gb: float,
    temp_gb: int,
    disks: int,
    nics: int,
    an: bool,
    premium: bool,
    cluster: str,
    **extra: Any,
) -> VmSize:
    tier = "Basic" if name.startswith("Basic_") else "Standard"
    return VmSize(name, tier, family, vcpus, memory_gb, temp_gb, disks, nics, an, premium, cluster, **extra)


# fmt: off
_SIZES: tuple[VmSize, ...] = (
    # Dv2 / DSv2: one host generation, so resizes between D*_v2 and DS*_v2 need no deallocation.
    _s("Standard_D1_v2", "standardDv2Family", 1, 3.5, 50, 4, 2, False, False, "dv2", acus=210),
    _s("Standard_D2_v2", "standardDv2Family", 2, 7, 100, 8, 2, True, False, "dv2", acus=210),
    _s("Standard_D3_v2", "standardDv2Family", 4, 14, 200, 16, 4, True, False, "dv2", acus=210),
    _s("Standard_DS1_v2", "standardDSv2Family", 1, 3.5, 7, 4, 2, False, True, "dv2", acus=210,
       ephemeral_os_disk=True),
    _s("Standard_DS2_v2", "standardDSv2Family", 2, 7, 14, 8, 2, True, True, "dv2", acus=210,
       ephemeral_os_disk=True),
    _s("Standard_DS3_v2", "standardDSv2Family", 4, 14, 28, 16, 4, True, True, "dv2", acus=210,
       ephemeral_os_disk=True),
    _s("Standard_DS4_v2", "standardDSv2Family", 8, 28, 56, 32, 8, True, True, "dv2", acus=210,
       ephemeral_os_disk=True),
    _s("Standard_DS5_v2", "standardDSv2Family", 16, 56, 112, 64, 8, True, True, "dv2", acus=210,
       ephemeral_os_disk=True),
    # Dv3 / Dsv3 / Ev3 / Esv3 (hyper-threaded).
    _s("Standard_D2s_v3", "standardDSv3Family", 2, 8, 16, 4, 2, True, True, "dv3", vcpus_per_core=2, acus=160,
       ephemeral_os_disk=True),
    _s("Standard_D4s_v3", "standardDSv3Family", 4, 16, 32, 8, 2, True, True, "dv3", vcpus_per_core=2, acus=160,
       ephemeral_os_disk=True),
    _s("Standard_D8s_v3", "standardDSv3Family", 8, 32, 64, 16, 4, True, True, "dv3", vcpus_per_core=2, acus=160,
       ephemeral_os_disk=True),
    _s("Standard_E2s_v3", "standardESv3Family", 2, 16, 32, 4, 2, True, True, "dv3", vcpus_per_core=2, acus=160,
       ephemeral_os_disk=True),
    _s("Standard_E4s_v3", "standardESv3Family", 4, 32, 64, 8, 2, True, True, "dv3", vcpus_per_core=2, acus=160,
       ephemeral_os_disk=True),
    # Dv5 / Dsv5: no local temp disk.
    _s("Standard_D2_v5", "standardDv5Family", 2, 8, 0, 4, 2, True, False, "dv5", vcpus_per_core=2, acus=195),
    _s("Standard_D2s_v5", "standardDSv5Family", 2, 8, 0, 4, 2, True, True, "dv5", vcpus_per_core=2, acus=195),
    _s("Standard_D4s_v5", "standardDSv5Family", 4, 16, 0, 8, 2, True, True, "dv5", vcpus_per_core=2, acus=195),
    # Fsv2 (compute optimised).
    _s("Standard_F2s_v2", "standardFSv2Family", 2, 4, 16, 4, 2, True, True, "fsv2", vcpus_per_core=2, acus=195,
       ephemeral_os_disk=True),
    _s("Standard_F4s_v2", "standardFSv2Family", 4, 8, 32, 8, 2, True, True, "fsv2", vcpus_per_core=2, acus=195,
       ephemeral_os_disk=True),
    # B-series (burstable): no Spot/low priority.
    _s("Standard_B1ls", "standardBSFamily", 1, 0.5, 4, 2, 2, False, True, "b", low_priority_capable=False),
    _s("Standard_B1s", "standardBSFamily", 1, 1, 4, 2, 2, False, True, "b", low_priority_capable=False),
    _s("Standard_B1ms", "standardBSFamily", 1, 2, 4, 2, 2, False, True, "b", low_priority_capable=False),
    _s("Standard_B2s", "standardBSFamily", 2, 4, 8, 4, 3, False, True, "b", low_priority_capable=False),
    _s("Standard_B2ms", "standardBSFamily", 2, 8, 16, 4, 3, False, True, "b", low_priority_capable=False),
    # Av2.
    _s("Standard_A1_v2", "standardAv2Family", 1, 2, 10, 2, 2, False, False, "av2", acus=100,
       hyper_v_generations="V1"),
    _s("Standard_A2_v2", "standardAv2Family", 2, 4, 20, 4, 2, False, False, "av2", acus=100,
       hyper_v_generations="V1"),
    # Classic A and Basic A: old hosts, regional only (no zones).
    _s("Standard_A1", "standardA0_A7Family", 1, 1.75, 70, 2, 2, False, False, "a-classic", acus=100,
       hyper_v_generations="V1", zonal=False),
    _s("Basic_A0", "basicAFamily", 1, 0.75, 20, 1, 2, False, False, "a-classic", acus=50,
       hyper_v_generations="V1", low_priority_capable=False, zonal=False),
    _s("Basic_A1", "basicAFamily", 1, 1.75, 40, 2, 2, False, False, "a-classic", acus=100,
       hyper_v_generations="V1", low_priority_capable=False, zonal=False),
    # GPU and memory-optimised: their own clusters.
    _s("Standard_NC6s_v3", "standardNCSv3Family", 6, 112, 736, 12, 4, False, True, "ncv3"),
    _s("Standard_M8ms", "standardMSFamily", 8, 218.75, 256, 8, 4, True, True, "m", vcpus_per_core=2, acus=160,
       ephemeral_os_disk=True),
)
# fmt: on

_BY_NAME: dict[str, VmSize] = {s.name.lower(): s for s in _SIZES}

# What `az vm create`/`az vmss create` use when --size is omitted.
DEFAULT_VM_SIZE = "Standard_DS1_v2"


def get_vm_size(name: str) -> VmSize | None:
    """The catalogue entry for `name` (case-insensitive, as ARM treats size names), or None."""
    return _BY_NAME.get(name.lower())


def all_vm_sizes() -> tuple[VmSize, ...]:
    """Every size in catalogue order (by family, then size)."""
    return _SIZES


def is_on_same_cluster(a: str, b: str) -> bool:
    """True when a VM of size `a` can be resized to `b` without deallocation.

    Unknown sizes are never on the same cluster (the caller rejects unknown sizes earlier anyway).
    """
    size_a, size_b = get_vm_size(a), get_vm_size(b)
    if size_a is None or size_b is None:
        return False
    return size_a.hardware_cluster == size_b.hardware_cluster


def sizes_on_cluster_of(name: str) -> tuple[VmSize, ...]:
    """The sizes a running VM of size `name` may be resized to (for "The available sizes are: ..." messages)."""
    size = get_vm_size(name)
    if size is None:
        return ()
    return tuple(s for s in _SIZES if s.hardware_cluster == size.hardware_cluster)


# -- wire shapes ----------------------------------------------------------------------------------


def _flag(value: bool) -> str:
    return "True" if value else "False"


def _memory_text(memory_gb: float) -> str:
    # list-skus prints whole numbers without a decimal point ("7") and fractions as-is ("3.5", "0.75").
    return str(int(memory_gb)) if memory_gb == int(memory_gb) else str(memory_gb)


def capabilities(size: VmSize) -> list[dict[str, str]]:
    """The `capabilities` list of a `virtualMachines` resource SKU, in the order Azure lists them."""
    pairs: list[tuple[str, str]] = [
        ("MaxResourceVolumeMB", str(size.resource_disk_mb)),
        ("OSVhdSizeMB", str(OS_VHD_SIZE_MB)),
        ("vCPUs", str(size.vcpus)),
        ("HyperVGenerations", size.hyper_v_generations),
        ("MemoryGB", _memory_text(size.memory_gb)),
        ("MaxDataDiskCount", str(size.max_data_disks)),
        ("LowPriorityCapable", _flag(size.low_priority_capable)),
        ("PremiumIO", _flag(size.premium_io)),
        ("vCPUsAvailable", str(size.vcpus)),
    ]
    if size.acus is not None:
        pairs.append(("ACUs", str(size.acus)))
    pairs += [
        ("vCPUsPerCore", str(size.vcpus_per_core)),
        ("EphemeralOSDiskSupported", _flag(size.ephemeral_os_disk)),
        ("AcceleratedNetworkingEnabled", _flag(size.accelerated_networking)),
        ("RdmaEnabled", "False"),
        ("MaxNetworkInterfaces", str(size.max_nics)),
    ]
    return [{"name": name, "value": value} for name, value in pairs]


def resource_sku_entry(size: VmSize, location: str) -> dict[str, Any]:
    """One `virtualMachines` item of `GET /subscriptions/{s}/providers/Microsoft.Compute/skus`."""
    location_info = {"location": location, "zones": list(ALL_ZONES) if size.zonal else [], "zoneDetails": []}
    return {
        "resourceType": "virtualMachines",
        "name": size.name,
        "tier": size.tier,
        "size": size.size,
        "family": size.family,
        "locations": [location],
        "locationInfo": [location_info],
        "capabilities": capabilities(size),
        "restrictions": [],
    }


def resource_sku_entries(locations: Iterable[str]) -> list[dict[str, Any]]:
    """All VM-size SKUs for `locations`: one entry per (size, location), as the real API lists them.

    The caller wraps them as `{"value": [...]}` (and applies `$filter=location eq '...'` by passing one location).
    """
    return [resource_sku_entry(size, location) for location in locations for size in _SIZES]


def vm_size_entry(size: VmSize) -> dict[str, Any]:
    """One item of `GET .../locations/{loc}/vmSizes` (and the VM/VMSS `vmSizes` lists)."""
    return {
        "name": size.name,
        "numberOfCores": size.vcpus,
        "osDiskSizeInMB": OS_VHD_SIZE_MB,
        "resourceDiskSizeInMB": size.resource_disk_mb,
        "memoryInMB": size.memory_mb,
        "maxDataDiskCount": size.max_data_disks,
    }

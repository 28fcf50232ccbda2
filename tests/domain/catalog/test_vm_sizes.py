"""VM size catalogue: lookups, resize clusters, list-skus and vmSizes wire shapes."""

from __future__ import annotations

import pytest

from vmss_emulator.domain.catalog.vm_sizes import (
    DEFAULT_VM_SIZE,
    OS_VHD_SIZE_MB,
    all_vm_sizes,
    get_vm_size,
    is_on_same_cluster,
    resource_sku_entries,
    sizes_on_cluster_of,
    vm_size_entry,
)

REQUIRED = [
    "Standard_DS1_v2", "Standard_DS2_v2", "Standard_DS3_v2", "Standard_DS4_v2", "Standard_DS5_v2",
    "Standard_D1_v2", "Standard_D2_v2", "Standard_D2s_v3", "Standard_D4s_v3", "Standard_D2s_v5",
    "Standard_D4s_v5", "Standard_F2s_v2", "Standard_F4s_v2", "Standard_B1s", "Standard_B1ms", "Standard_B2s",
    "Standard_B2ms", "Standard_A1_v2", "Standard_A2_v2", "Basic_A0", "Basic_A1", "Standard_A1",
    "Standard_E2s_v3", "Standard_E4s_v3", "Standard_NC6s_v3",
]  # fmt: skip


@pytest.mark.parametrize("name", REQUIRED)
def test_required_size_is_catalogued(name: str) -> None:
    size = get_vm_size(name)
    assert size is not None and size.name == name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("standard_ds1_v2", "Standard_DS1_v2", id="lower"),
        pytest.param("STANDARD_D2S_V3", "Standard_D2s_v3", id="upper"),
        pytest.param("Standard_DS1_v3", None, id="unknown"),
        pytest.param("", None, id="empty"),
    ],
)
def test_lookup_is_case_insensitive(query: str, expected: str | None) -> None:
    size = get_vm_size(query)
    assert (size.name if size else None) == expected


@pytest.mark.parametrize(
    ("name", "vcpus", "memory_gb", "temp_gb", "disks", "nics", "an", "tier", "family"),
    [
        pytest.param("Standard_DS1_v2", 1, 3.5, 7, 4, 2, False, "Standard", "standardDSv2Family", id="DS1_v2"),
        pytest.param("Standard_D2_v2", 2, 7, 100, 8, 2, True, "Standard", "standardDv2Family", id="D2_v2"),
        pytest.param("Standard_D2s_v5", 2, 8, 0, 4, 2, True, "Standard", "standardDSv5Family", id="D2s_v5"),
        pytest.param("Standard_B1s", 1, 1, 4, 2, 2, False, "Standard", "standardBSFamily", id="B1s"),
        pytest.param("Basic_A0", 1, 0.75, 20, 1, 2, False, "Basic", "basicAFamily", id="Basic_A0"),
    ],
)
def test_documented_values(
    name: str, vcpus: int, memory_gb: float, temp_gb: int, disks: int, nics: int, an: bool, tier: str, family: str
) -> None:
    size = get_vm_size(name)
    assert size is not None
    assert (size.vcpus, size.memory_gb, size.resource_disk_gb, size.max_data_disks, size.max_nics) == (
        vcpus, memory_gb, temp_gb, disks, nics,
    )  # fmt: skip
    assert (size.accelerated_networking, size.tier, size.family) == (an, tier, family)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("Standard_DS1_v2", "Standard_DS3_v2", True, id="within-dsv2"),
        pytest.param("Standard_D2_v2", "Standard_DS2_v2", True, id="dv2-and-dsv2-share-hosts"),
        pytest.param("Standard_D2s_v3", "Standard_E4s_v3", True, id="dv3-and-ev3"),
        pytest.param("Standard_DS1_v2", "Standard_D2s_v3", False, id="dv2-to-dv3"),
        pytest.param("Standard_D2s_v5", "Standard_NC6s_v3", False, id="to-gpu"),
        pytest.param("standard_b1s", "STANDARD_B2MS", True, id="case-insensitive"),
        pytest.param("Standard_DS1_v2", "Standard_Nope", False, id="unknown"),
    ],
)
def test_is_on_same_cluster(a: str, b: str, same: bool) -> None:
    assert is_on_same_cluster(a, b) is same
    assert is_on_same_cluster(b, a) is same


def test_every_size_is_on_its_own_cluster_and_names_are_unique() -> None:
    names = [s.name.lower() for s in all_vm_sizes()]
    assert len(names) == len(set(names)) >= 30
    for size in all_vm_sizes():
        assert size in sizes_on_cluster_of(size.name)


def test_default_size_exists() -> None:
    assert get_vm_size(DEFAULT_VM_SIZE) is not None


def test_resource_sku_entries_one_per_size_and_location() -> None:
    entries = resource_sku_entries(["westus", "eastus"])
    assert len(entries) == 2 * len(all_vm_sizes())
    ds1 = next(e for e in entries if e["name"] == "Standard_DS1_v2" and e["locations"] == ["eastus"])
    assert ds1["resourceType"] == "virtualMachines"
    assert (ds1["tier"], ds1["size"], ds1["family"]) == ("Standard", "DS1_v2", "standardDSv2Family")
    assert ds1["restrictions"] == []
    assert ds1["locationInfo"] == [{"location": "eastus", "zones": ["1", "2", "3"], "zoneDetails": []}]
    caps = {c["name"]: c["value"] for c in ds1["capabilities"]}
    assert caps["vCPUs"] == "1"
    assert caps["MemoryGB"] == "3.5"
    assert caps["MaxResourceVolumeMB"] == "7168"
    assert caps["OSVhdSizeMB"] == str(OS_VHD_SIZE_MB)
    assert caps["AcceleratedNetworkingEnabled"] == "False"
    assert caps["MaxNetworkInterfaces"] == "2"
    assert caps["PremiumIO"] == "True"
    assert all(isinstance(c["value"], str) for c in ds1["capabilities"])


@pytest.mark.parametrize(
    ("name", "memory_text"),
    [pytest.param("Standard_D2_v2", "7", id="whole"), pytest.param("Basic_A0", "0.75", id="fraction")],
)
def test_memory_capability_text(name: str, memory_text: str) -> None:
    entry = next(e for e in resource_sku_entries(["westus"]) if e["name"] == name)
    assert {c["name"]: c["value"] for c in entry["capabilities"]}["MemoryGB"] == memory_text


def test_basic_sizes_are_regional_only() -> None:
    entry = next(e for e in resource_sku_entries(["westus"]) if e["name"] == "Basic_A1")
    assert entry["locationInfo"][0]["zones"] == []


def test_vm_size_entry_shape() -> None:
    size = get_vm_size("Standard_DS1_v2")
    assert size is not None
    assert vm_size_entry(size) == {
        "name": "Standard_DS1_v2",
        "numberOfCores": 1,
        "osDiskSizeInMB": 1047552,
        "resourceDiskSizeInMB": 7168,
        "memoryInMB": 3584,
        "maxDataDiskCount": 4,
    }

"""OS upgrade history (`GET .../osUpgradeHistory`): one entry per finished OS rolling upgrade, newest first.

Entries are `UpgradeOperationHistoricalStatusInfo` documents: the run's final status and progress, who started
it (`User` for osRollingUpgrade; the emulator has no platform-initiated automatic OS upgrades) and the image
the run moved the VMs to. Model-change rolling upgrades are not OS upgrades and are not recorded.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.catalog.images import resolve_version
from vmss_emulator.domain.compute import model
from vmss_emulator.store import Record

# The history is kept in the scale set's state; bounded so that a long-lived scale set does not grow forever.
MAX_ENTRIES = 50


def target_image(vmss: Record) -> dict[str, Any] | None:
    """The image reference an OS upgrade moves VMs to, with `latest` resolved to the exact version."""
    ref = model.dig(vmss.body, "properties", "virtualMachineProfile", "storageProfile", "imageReference")
    if not isinstance(ref, dict):
        return None
    if ref.get("id"):
        return {"id": ref["id"]}
    image = model.image_of(vmss.body)
    version = ref.get("version")
    exact = resolve_version(image, version if isinstance(version, str) else None) if image else None
    return {
        "publisher": ref.get("publisher"),
        "offer": ref.get("offer"),
        "sku": ref.get("sku"),
        "version": exact or version,
    }


def record(vmss: Record, status: dict[str, Any]) -> None:
    properties: dict[str, Any] = {
        "runningStatus": {
            "code": status["runningStatus"]["code"],
            "startTime": status["runningStatus"].get("startTime"),
            "endTime": status["runningStatus"].get("endTime"),
        },
        "progress": copy.deepcopy(status["progress"]),
        "startedBy": "User",
        "rollbackInfo": {"successfullyRolledbackInstanceCount": 0, "failedRolledbackInstanceCount": 0},
    }
    target = target_image(vmss)
    if target is not None:
        properties["targetImageReference"] = target
    if status.get("error"):
        properties["error"] = copy.deepcopy(status["error"])
    entry = {
        "properties": properties,
        "type": "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades",
        "location": vmss.body["location"],
    }
    entries = [entry, *vmss.state.get("osUpgradeHistory", [])]
    vmss.state["osUpgradeHistory"] = entries[:MAX_ENTRIES]


def entries(vmss: Record) -> list[dict[str, Any]]:
    return copy.deepcopy(list(vmss.state.get("osUpgradeHistory", [])))

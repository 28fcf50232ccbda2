"""Instance views: the runtime state of one VM and the summary of a whole scale set (seed: インスタンス ビュー).

Built on every read from the records' state, so they always follow the real power, provisioning and health
state; shapes follow the recordings (test_vmss_vms.yaml) and docs/arm-reference.md §3.4.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from vmss_emulator._utils.clock import iso
from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.compute import model
from vmss_emulator.domain.compute.instances import instance_id_of, is_flexible
from vmss_emulator.store import Record

VM_AGENT_VERSION = "2.7.41491.1102"


def _ud_fd(vm: Record) -> tuple[int, int]:
    instance_id = instance_id_of(vm)
    n = int(instance_id) if instance_id.isdigit() else int(vm.state.get("seq", 0))
    # Five update domains and two fault domains per placement group, as Azure spreads a Uniform set.
    return n % 5, n % 2


def vm_instance_view(vm: Record, vmss: Record) -> dict[str, Any]:
    props = vm.body["properties"]
    changed = iso(vm.changed_at)
    power = str(vm.state.get("power", "running"))
    ud, fd = _ud_fd(vm)
    out: dict[str, Any] = {}
    if power != "deallocated" and not is_flexible(vmss):
        out["placementGroupId"] = vmss.state.get("placementGroupId")
    out["platformUpdateDomain"] = ud
    out["platformFaultDomain"] = fd
    running = power in ("running", "starting")
    os_profile = props.get("osProfile") or {}
    # The VM's own image (it may still run the previous model's), not the scale set's. Custom and gallery
    # images (`imageReference.id`) are not in the catalogue: no osName / osVersion is reported for them.
    image = model.image_of_reference((props.get("storageProfile") or {}).get("imageReference"))
    if power != "deallocated":
        out["computerName"] = os_profile.get("computerName")
        if image is not None:
            out["osName"] = image.os_name
            out["osVersion"] = image.os_version
    if running:
        out["vmAgent"] = {
            "vmAgentVersion": VM_AGENT_VERSION,
            "statuses": [
                {
                    "code": "ProvisioningState/succeeded",
                    "level": "Info",
                    "displayStatus": "Ready",
                    "message": "Guest Agent is running",
                    "time": changed,
                }
            ],
            "extensionHandlers": [
                {
                    "type": f"{(r.get('properties') or {}).get('publisher')}.{(r.get('properties') or {}).get('type')}",
                    "typeHandlerVersion": (r.get("properties") or {}).get("typeHandlerVersion"),
                    "status": {"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready"},
                }
                for r in vm.body.get("resources") or []
            ],
        }
    disks = [(props.get("storageProfile") or {}).get("osDisk", {}).get("name")]
    disks += [d.get("name") for d in (props.get("storageProfile") or {}).get("dataDisks") or []]
    out["disks"] = [
        {"name": name, "statuses": [lifecycle.provisioning_status("Succeeded", iso(vm.created_at))]}
        for name in disks
        if name
    ]
    if running and vm.body.get("resources"):
        out["extensions"] = [
            {
                "name": r.get("name"),
                "type": f"{(r.get('properties') or {}).get('publisher')}.{(r.get('properties') or {}).get('type')}",
                "typeHandlerVersion": (r.get("properties") or {}).get("typeHandlerVersion"),
                "statuses": [
                    {
                        "code": "ProvisioningState/succeeded",
                        "level": "Info",
                        "displayStatus": "Provisioning succeeded",
                        "message": "Enable succeeded",
                        "time": changed,
                    }
                ],
            }
            for r in vm.body["resources"]
        ]
    if model.health_monitored(vmss.body) and running:
        healthy = bool(vm.state.get("healthy", True))
        out["vmHealth"] = {
            "status": {
                "code": f"HealthState/{'healthy' if healthy else 'unhealthy'}",
                "level": "Info" if healthy else "Warning",
                "displayStatus": "The VM is reporting itself as healthy"
                if healthy
                else "The VM is reporting itself as unhealthy",
                "time": changed,
            }
        }
    image_gen = image.hyper_v_generation if image is not None else "V1"
    out["hyperVGeneration"] = image_gen
    out["statuses"] = [
        lifecycle.provisioning_status(str(props.get("provisioningState", "Succeeded")), changed),
        lifecycle.power_status(power),
    ]
    return out


def scale_set_instance_view(vmss: Record, vms: list[Record]) -> dict[str, Any]:
    """`GET .../virtualMachineScaleSets/{name}/instanceView`: status counts over every VM (one pass)."""
    codes: Counter[str] = Counter()
    extension_counts: dict[str, Counter[str]] = {}
    for vm in vms:
        props = vm.body["properties"]
        codes[f"ProvisioningState/{str(props.get('provisioningState', 'Succeeded')).lower()}"] += 1
        power = str(vm.state.get("power", "running"))
        codes[f"PowerState/{power}"] += 1
        if power == "running":
            for ext in vm.body.get("resources") or []:
                extension_counts.setdefault(str(ext.get("name")), Counter())["ProvisioningState/succeeded"] += 1
    out: dict[str, Any] = {
        "virtualMachine": {"statusesSummary": [{"code": code, "count": count} for code, count in codes.items()]}
    }
    names = [
        e.get("name")
        for e in model.dig(vmss.body, "properties", "virtualMachineProfile", "extensionProfile", "extensions") or []
    ]
    if names:
        out["extensions"] = [
            {
                "name": name,
                "statusesSummary": [
                    {"code": code, "count": count}
                    for code, count in (extension_counts.get(str(name)) or Counter()).items()
                ],
            }
            for name in names
        ]
    state = str(model.props(vmss.body).get("provisioningState", "Succeeded"))
    out["statuses"] = [lifecycle.provisioning_status(state, iso(vmss.changed_at))]
    services = vmss.state.get("orchestrationServices") or {}
    if model.dig(vmss.body, "properties", "automaticRepairsPolicy", "enabled") or services:
        out["orchestrationServices"] = [
            {"serviceName": name, "serviceState": value}
            for name, value in (services or {"AutomaticRepairs": "Running"}).items()
        ]
    return out

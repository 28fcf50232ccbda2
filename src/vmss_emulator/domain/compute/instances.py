"""Scale-set VMs: records, names, instance ids, the per-VM model, power/provisioning transitions.

A VM record's body is the VM model view as stored (without `latestModelApplied`, which depends on the scale
set's current model and is computed on read); its private `state` holds what ARM never shows directly:

    power      "running" | "stopped" | "deallocated" | transitional "starting" ...
    hash       essence hash of the scale-set model the VM was built from (model.essence_hash)
    healthy    what the health probe / ApplicationHealth extension reports (emulator.setHealth)
    pending    {"t": transition, "due": seconds} while a lifecycle transition runs
    seq        creation order (NewestVM / OldestVM scale-in policies)

Uniform VMs are children `virtualMachineScaleSets/{ss}/virtualMachines/{instanceId}`; Flexible VMs are
top-level `virtualMachines/{ss}_{8 hex}` records whose store parent link points at the scale set, so both
are listed through the parent index.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from typing import Any

from vmss_emulator._utils.clock import iso
from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.catalog.images import resolve_version
from vmss_emulator.domain.compute import model
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.contracts import SCALE_SET_NETWORK
from vmss_emulator.domain.errors import InvalidParameter
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.store import Record

VMSS_TYPE = "Microsoft.Compute/virtualMachineScaleSets"
VM_TYPE = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines"
FLEX_VM_TYPE = "Microsoft.Compute/virtualMachines"
VM_EXTENSION_TYPE = "Microsoft.Compute/virtualMachines/extensions"

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(number: int, width: int = 6) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = _BASE36[rest] + digits
    return digits.rjust(width, "0")


def is_flexible(vmss: Record) -> bool:
    return model.orchestration_mode(vmss.body) == "Flexible"


def vm_type_of(vmss: Record) -> str:
    return FLEX_VM_TYPE if is_flexible(vmss) else VM_TYPE


def list_vms(ctx: Context, vmss: Record) -> list[Record]:
    """Every VM of the scale set, in creation order, through the parent index."""
    return ctx.store.list_children(vmss.key, vm_type_of(vmss))


def instance_id_of(vm: Record) -> str:
    return str(vm.body.get("instanceId") or vm.body["name"])


def vm_rid(vmss: Record, instance_id: str) -> ResourceId:
    rid = ResourceId.parse(vmss.id)
    if is_flexible(vmss):
        return ResourceId(
            rid.subscription_id, rid.resource_group, "Microsoft.Compute", ("virtualMachines",), (instance_id,)
        )
    return rid.child("virtualMachines", instance_id)


def resolve_instances(ctx: Context, vmss: Record, requested: Iterable[str] | None) -> list[Record]:
    """The VMs named by an `instanceIds` list (None or "*" = all), refusing unknown ids as Azure does.

    Named ids are fetched by key (one `get_many`), so acting on one VM of a 1000-VM set reads one record."""
    if requested is None:
        return list_vms(ctx, vmss)
    wanted: list[str] = []
    seen: set[str] = set()
    for instance_id in (str(i) for i in requested):
        if instance_id == "*":
            return list_vms(ctx, vmss)
        if instance_id.lower() not in seen:
            seen.add(instance_id.lower())
            wanted.append(instance_id)
    found = {
        instance_id_of(vm).lower(): vm
        for vm in ctx.store.get_many([str(vm_rid(vmss, i)) for i in wanted])
        if vm.parent_key == vmss.key
    }
    unknown = [i for i in wanted if i.lower() not in found]
    if unknown:
        raise InvalidParameter(
            f"The provided instanceId {unknown[0]} is not an active Virtual Machine Scale Set VM instanceId.",
            target="instanceIds",
        )
    return [found[i.lower()] for i in wanted]


# -- the per-VM model -----------------------------------------------------------------------------

# The imageReference members that name an image (exactVersion is derived, not named).
_IMAGE_IDENTITY = (
    "publisher",
    "offer",
    "sku",
    "version",
    "id",
    "sharedGalleryImageId",
    "communityGalleryImageId",
)


def _image_reference(vmss_doc: dict[str, Any]) -> dict[str, Any]:
    """The imageReference as VMs report it: the model's, plus `exactVersion` resolved now (build/reimage time)."""
    ref = copy.deepcopy(model.dig(vmss_doc, "properties", "virtualMachineProfile", "storageProfile", "imageReference"))
    if not isinstance(ref, dict):
        return {}
    image = model.image_of(vmss_doc)
    if image is not None:
        version = ref.get("version")
        exact = resolve_version(image, version if isinstance(version, str) else None)
        if exact is not None:
            ref["exactVersion"] = exact
    return ref


def build_properties(
    vmss: Record,
    instance_id: str,
    vm_name: str,
    *,
    previous: dict[str, Any] | None,
    refresh_os: bool,
    now_iso: str,
) -> dict[str, Any]:
    """The VM's model from the scale-set model. `previous` keeps identity (vmId, disks, computer name,
    protection) across upgrades; the osProfile and the image version are only refreshed when `refresh_os`
    (create or reimage) because OS profile changes never reach running VMs through the upgrade policy."""
    doc = vmss.body
    profile = model.dig(doc, "properties", "virtualMachineProfile") or {}
    rid = ResourceId.parse(vmss.id)
    ss_name = rid.name
    prev = previous or {}
    props: dict[str, Any] = {}
    if not is_flexible(vmss):
        props["latestModelApplied"] = True
        props["modelDefinitionApplied"] = "VirtualMachineScaleSet"
        nics = model.dig(profile, "networkProfile", "networkInterfaceConfigurations")
        if nics is not None:
            props["networkProfileConfiguration"] = {"networkInterfaceConfigurations": copy.deepcopy(nics)}
    if "protectionPolicy" in prev:
        props["protectionPolicy"] = prev["protectionPolicy"]
    props["vmId"] = prev.get("vmId") or new_guid()
    props["hardwareProfile"] = {"vmSize": model.dig(doc, "sku", "name")}
    # Storage: keep the disks' identity; the image version resolves again only on create/reimage.
    storage_model = profile.get("storageProfile") or {}
    prev_storage = prev.get("storageProfile") or {}
    image_ref = _image_reference(doc)
    if not refresh_os and prev_storage.get("imageReference"):
        old = prev_storage["imageReference"]
        # Keep the old reference (and its resolved exactVersion) only when the model names the same image:
        # a custom / gallery image `id` change is a model change like a version change.
        same_image = all(str(old.get(k) or "").lower() == str(image_ref.get(k) or "").lower() for k in _IMAGE_IDENTITY)
        if same_image:
            image_ref = copy.deepcopy(old)
    os_disk = copy.deepcopy(storage_model.get("osDisk") or {})
    prev_disk = prev_storage.get("osDisk") or {}
    disk_name = prev_disk.get("name") or f"{ss_name}_{vm_name}_OsDisk_1_{uuid.uuid4().hex}"
    os_disk["name"] = disk_name
    managed = os_disk.setdefault("managedDisk", {})
    managed["id"] = (
        f"/subscriptions/{rid.subscription_id}/resourceGroups/{rid.resource_group}/providers/Microsoft.Compute/disks/{disk_name}"
    )
    ordered_disk = {k: os_disk[k] for k in ("osType", "name", "createOption", "caching") if k in os_disk}
    ordered_disk.update({k: v for k, v in os_disk.items() if k not in ordered_disk})
    data_disks = []
    for disk in storage_model.get("dataDisks") or []:
        disk = copy.deepcopy(disk)
        lun = disk.get("lun")
        old = next((d for d in prev_storage.get("dataDisks") or [] if d.get("lun") == lun), None)
        name = (
            (old or {}).get("name")
            or disk.get("name")
            or f"{ss_name}_{vm_name}_disk{int(lun or 0) + 2}_{uuid.uuid4().hex}"
        )
        disk["name"] = name
        disk.setdefault("managedDisk", {})["id"] = (
            f"/subscriptions/{rid.subscription_id}/resourceGroups/{rid.resource_group}/providers/Microsoft.Compute/disks/{name}"
        )
        data_disks.append(disk)
    # Per-VM attached disks (createOption Attach through a VM PUT) survive model upgrades.
    model_luns = {d.get("lun") for d in data_disks}
    data_disks += [
        d
        for d in prev_storage.get("dataDisks") or []
        if d.get("createOption") == "Attach" and d.get("lun") not in model_luns
    ]
    props["storageProfile"] = {"imageReference": image_ref, "osDisk": ordered_disk, "dataDisks": data_disks}
    # OS profile: built on create and reimage only.
    if refresh_os or "osProfile" not in prev:
        os_model = copy.deepcopy(profile.get("osProfile") or {})
        prefix = os_model.pop("computerNamePrefix", ss_name[:9])
        computer_name = (prev.get("osProfile") or {}).get("computerName")
        if not computer_name:
            computer_name = f"{prefix}{base36(int(instance_id))}" if instance_id.isdigit() else vm_name[:15]
        os_profile = {"computerName": computer_name}
        os_profile.update(os_model)
        props["osProfile"] = os_profile
    else:
        props["osProfile"] = copy.deepcopy(prev["osProfile"])
    props["networkProfile"] = copy.deepcopy(prev.get("networkProfile") or {"networkInterfaces": []})
    for key in ("diagnosticsProfile", "licenseType", "securityProfile", "billingProfile", "priority", "evictionPolicy"):
        if key in profile:
            props[key] = copy.deepcopy(profile[key])
    props["provisioningState"] = "Succeeded"
    props["timeCreated"] = prev.get("timeCreated") or now_iso
    return props


def vm_extensions(vmss: Record, vm_id: str, location: str) -> list[dict[str, Any]]:
    """The VM's `resources`: one VM extension per scale-set extension in the model it was built from."""
    out = []
    for ext in model.dig(vmss.body, "properties", "virtualMachineProfile", "extensionProfile", "extensions") or []:
        ext_props = copy.deepcopy(ext.get("properties") or {})
        ext_props["provisioningState"] = "Succeeded"
        out.append(
            {
                "name": ext.get("name"),
                "id": f"{vm_id}/extensions/{ext.get('name')}",
                "type": VM_EXTENSION_TYPE,
                "location": location,
                "properties": ext_props,
            }
        )
    return out


def new_vm_record(ctx: Context, vmss: Record, instance_id: str, *, seq: int, zone: str | None) -> Record:
    rid = vm_rid(vmss, instance_id)
    flexible = is_flexible(vmss)
    name = instance_id if flexible else f"{ResourceId.parse(vmss.id).name}_{instance_id}"
    location = str(vmss.body["location"])
    now = ctx.now()
    body: dict[str, Any] = {
        "name": name,
        "id": str(rid),
        "type": FLEX_VM_TYPE if flexible else VM_TYPE,
        "location": location,
    }
    if "tags" in vmss.body:
        body["tags"] = copy.deepcopy(vmss.body["tags"])
    if not flexible:
        body["instanceId"] = instance_id
        body["sku"] = {
            "name": model.dig(vmss.body, "sku", "name"),
            "tier": model.dig(vmss.body, "sku", "tier") or "Standard",
        }
    if zone is not None:
        body["zones"] = [zone]
    props = build_properties(vmss, instance_id, name, previous=None, refresh_os=True, now_iso=iso(now))
    if flexible:
        props.pop("latestModelApplied", None)
        props["virtualMachineScaleSet"] = {"id": vmss.id}
    body["properties"] = props
    extensions = vm_extensions(vmss, str(rid), location)
    if extensions:
        body["resources"] = extensions
    return Record(
        id=str(rid),
        type=body["type"],
        body=body,
        scope_key=rid.scope_key,
        parent_key=vmss.key,
        created_at=now,
        changed_at=now,
        etag='"1"',
        state={"power": "running", "hash": vmss.state.get("hash"), "healthy": True, "pending": None, "seq": seq},
    )


def attach_network(ctx: Context, vmss: Record, vm: Record) -> None:
    """Create or refresh the VM's NICs through Microsoft.Network (absent service: no NICs)."""
    network = ctx.services.get(SCALE_SET_NETWORK)
    if network is None:
        return
    nics = model.dig(
        vmss.body, "properties", "virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations"
    )
    own = model.dig(vm.body, "properties", "networkProfileConfiguration", "networkInterfaceConfigurations")
    interfaces = network.attach_vm(
        ctx,
        scale_set_id=ResourceId.parse(vmss.id),
        vm_id=ResourceId.parse(vm.id),
        instance_id=instance_id_of(vm),
        location=str(vmss.body["location"]),
        zones=vm.body.get("zones"),
        orchestration_mode=model.orchestration_mode(vmss.body),
        network_interface_configurations=copy.deepcopy(own if own is not None else nics or []),
        vm_size=model.dig(vmss.body, "sku", "name"),
    )
    vm.body["properties"]["networkProfile"] = {"networkInterfaces": interfaces}
    # Flexible VMs keep no networkProfileConfiguration: remember what their NICs were built from.
    vm.state["nicConfigurations"] = copy.deepcopy(own if own is not None else nics or [])


def detach_network(ctx: Context, vmss: Record, vm: Record) -> None:
    network = ctx.services.get(SCALE_SET_NETWORK)
    if network is not None:
        network.detach_vm(ctx, vm_id=ResourceId.parse(vm.id), orchestration_mode=model.orchestration_mode(vmss.body))


def upgrade_vm(ctx: Context, vmss: Record, vm: Record, *, reimage: bool = False) -> None:
    """Bring a VM to the scale set's current model (reimage also refreshes the OS profile and image version)."""
    before_nics = model.dig(vm.body, "properties", "networkProfileConfiguration")
    props = build_properties(
        vmss,
        instance_id_of(vm),
        str(vm.body["name"]),
        previous=vm.body["properties"],
        refresh_os=reimage,
        now_iso=iso(ctx.now()),
    )
    if is_flexible(vmss):
        props.pop("latestModelApplied", None)
        props["virtualMachineScaleSet"] = {"id": vmss.id}
    vm.body["properties"] = props
    if "sku" in vm.body:
        vm.body["sku"]["name"] = model.dig(vmss.body, "sku", "name")
    extensions = vm_extensions(vmss, vm.id, str(vm.body["location"]))
    if extensions:
        vm.body["resources"] = extensions
    else:
        vm.body.pop("resources", None)
    vm.state["hash"] = vmss.state.get("hash")
    flexible_nics_changed = is_flexible(vmss) and vm.state.get("nicConfigurations") != model.dig(
        vmss.body, "properties", "virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations"
    )
    if (
        model.dig(vm.body, "properties", "networkProfileConfiguration") != before_nics
        or flexible_nics_changed
        or not props["networkProfile"].get("networkInterfaces")
    ):
        attach_network(ctx, vmss, vm)


# -- transitions ----------------------------------------------------------------------------------


def seed_of(vm: Record, salt: int = 0) -> int:
    return int(vm.state.get("seq", 0)) * 7919 + salt


def begin(ctx: Context, vm: Record, transition: str) -> float | None:
    """Put the VM into `transition`; returns when it is due, or None when it completed at once."""
    delay = ctx.delay(transition, seed_of(vm, int(ctx.now())))
    states = lifecycle.transition_states(transition)
    if delay <= 0:
        vm.state["pending"] = None
        _finish(vm, transition)
        return None
    due = ctx.now() + delay
    vm.state["pending"] = {"t": transition, "due": due}
    vm.body["properties"]["provisioningState"] = states.provisioning
    if states.power_during is not None:
        vm.state["power"] = states.power_during
    return due


def _finish(vm: Record, transition: str) -> None:
    states = lifecycle.transition_states(transition)
    vm.body["properties"]["provisioningState"] = "Succeeded"
    if states.power_after is not None:
        vm.state["power"] = states.power_after


def complete_due(ctx: Context, vmss: Record | None, vm: Record) -> tuple[bool, float | None]:
    """Finish the VM's transition if it is due: (deleted?, still-due-at)."""
    pending = vm.state.get("pending")
    if not pending:
        return False, None
    if pending["due"] > ctx.now():
        return False, float(pending["due"])
    vm.state["pending"] = None
    if pending["t"] == lifecycle.VM_DELETE:
        ctx.store.delete(vm.key)
        return True, None
    _finish(vm, pending["t"])
    ctx.store.put(vm)
    return False, None


def view(vm: Record, vmss: Record | None) -> dict[str, Any]:
    """The VM model view: stored body plus `latestModelApplied` against the scale set's current model."""
    body = copy.deepcopy(vm.body)
    props = body["properties"]
    if "latestModelApplied" in props and vmss is not None:
        props["latestModelApplied"] = vm.state.get("hash") == vmss.state.get("hash")
    return body

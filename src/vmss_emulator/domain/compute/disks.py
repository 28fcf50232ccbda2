"""Microsoft.Compute/disks: standalone managed data disks, enough for `az disk create` and per-VM attach.

Only empty disks (`creationData.createOption: Empty`) are created here; the OS and model data disks of scale-set
VMs stay inside the VM documents (Azure hides a Uniform scale set's own disks from the disks API). A disk
attached to a scale-set VM (per-VM PUT with `createOption: Attach`) shows `managedBy` and
`diskState: Attached`; detaching it makes it `Unattached` again, and an attached disk cannot be deleted.
"""

from __future__ import annotations

from typing import Any, ClassVar

from vmss_emulator._utils.clock import iso
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import (
    InvalidParameter,
    OperationNotAllowed,
    PropertyChangeNotAllowed,
    ResourceNotFound,
)
from vmss_emulator.domain.ids import ResourceId, new_guid, parse_reference
from vmss_emulator.domain.registry import Call, Outcome
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

DISK_TYPE = "Microsoft.Compute/disks"

# The disk resource provider versions independently of the rest of Microsoft.Compute.
DISK_API_VERSIONS: tuple[str, ...] = (
    "2016-04-30-preview", "2017-03-30", "2018-04-01", "2018-06-01", "2018-09-30", "2019-03-01", "2019-07-01",
    "2019-11-01", "2020-05-01", "2020-06-30", "2020-09-30", "2020-12-01", "2021-04-01", "2021-08-01",
    "2021-12-01", "2022-03-02", "2022-07-02", "2023-01-02", "2023-04-02", "2023-10-02", "2024-03-02",
    "2025-01-02", "2026-03-02",
)  # fmt: skip

_SKU_TIERS = {
    "Standard_LRS": "Standard",
    "StandardSSD_LRS": "Standard",
    "StandardSSD_ZRS": "Standard",
    "Premium_LRS": "Premium",
    "Premium_ZRS": "Premium",
    "PremiumV2_LRS": "Premium",
    "UltraSSD_LRS": "Ultra",
}
MAX_DISK_SIZE_GB = 32767


class Disks(TrackedResourceType):
    full_type = DISK_TYPE
    api_versions = DISK_API_VERSIONS
    etag_style: ClassVar[str] = "integer"

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        props = body.get("properties")
        if not isinstance(props, dict):
            raise InvalidParameter("Required parameter 'properties' is missing (null).", target="properties")
        creation = props.get("creationData") or (existing.body["properties"]["creationData"] if existing else None)
        if not isinstance(creation, dict) or str(creation.get("createOption", "")).lower() != "empty":
            raise InvalidParameter(
                "Only disks created with createOption 'Empty' are supported by this emulator.",
                target="creationData.createOption",
            )
        size = props.get("diskSizeGB")
        if size is None and existing is not None:
            size = existing.body["properties"]["diskSizeGB"]
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_DISK_SIZE_GB:
            raise InvalidParameter(
                f"The value '{size}' of parameter 'diskSizeGB' is out of range. The value must be between "
                f"'1' and '{MAX_DISK_SIZE_GB}', inclusive.",
                target="diskSizeGB",
            )
        if existing is not None and size < int(existing.body["properties"]["diskSizeGB"]):
            raise OperationNotAllowed(
                f"Disk '{existing.body['name']}' cannot be shrunk from "
                f"{existing.body['properties']['diskSizeGB']} GB to {size} GB.",
            )
        sku = body.get("sku") or {}
        if not isinstance(sku, dict):
            raise InvalidParameter("The value of parameter 'sku' is invalid.", target="sku")
        sku_name = sku.get("name") or (existing.body["sku"]["name"] if existing else "Standard_LRS")
        tier = _SKU_TIERS.get(str(sku_name))
        if tier is None:
            raise InvalidParameter(
                f"The value '{sku_name}' of parameter 'sku.name' is not valid. Allowed values are "
                f"{', '.join(_SKU_TIERS)}.",
                target="sku.name",
            )
        old = existing.body["properties"] if existing else {}
        document: dict[str, Any] = {
            "sku": {"name": sku_name, "tier": tier},
            "properties": {
                "creationData": {"createOption": "Empty"},
                "diskSizeGB": size,
                "diskSizeBytes": size * 1024**3,
                "uniqueId": old.get("uniqueId") or new_guid(),
                "timeCreated": old.get("timeCreated") or iso(call.ctx.now()),
                "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
                "networkAccessPolicy": "AllowAll",
                "publicNetworkAccess": "Enabled",
                "diskState": old.get("diskState", "Unattached"),
                "provisioningState": "Succeeded",
            },
        }
        if existing is not None and existing.body.get("managedBy"):
            document["managedBy"] = existing.body["managedBy"]
        zones = body.get("zones")
        if zones is not None and (not isinstance(zones, list) or not all(isinstance(z, str) for z in zones)):
            raise InvalidParameter("The value of parameter 'zones' is invalid.", target="zones")
        if existing is not None and zones is not None and zones != (existing.body.get("zones") or []):
            raise PropertyChangeNotAllowed("Changing property 'zones' is not allowed.", target="zones")
        for key in ("tags", "zones"):
            if key in body:
                document[key] = body[key]
            elif existing is not None and key in existing.body:
                document[key] = existing.body[key]
        return document

    def put(self, call: Call) -> Outcome:
        outcome = super().put(call)
        # The disk RP accepts a create with 202 (the SDK knows only 200 and 202 for disks).
        if outcome.status == 201:
            outcome.status = 202
        return outcome

    def before_delete(self, call: Call, record: Record) -> None:
        if record.body.get("managedBy"):
            raise OperationNotAllowed(
                f"Disk {record.body['name']} is attached to VM {record.body['managedBy']}.",
            )


def attach(ctx: Context, disk_id: str, vm_id: str) -> None:
    """Mark a standalone disk as attached to `vm_id`; refuse a missing disk or one attached elsewhere."""
    record = load(ctx, disk_id)
    owner = record.body.get("managedBy")
    if owner and str(owner).lower() != vm_id.lower():
        raise OperationNotAllowed(f"Disk {record.body['name']} is attached to VM {owner}.")
    record.body["managedBy"] = vm_id
    record.body["properties"]["diskState"] = "Attached"
    ctx.store.put(record)


def detach(ctx: Context, disk_id: str) -> None:
    record = ctx.store.get(ResourceId.parse(disk_id).key)
    if record is None or record.type_key != DISK_TYPE.lower():
        return
    record.body.pop("managedBy", None)
    record.body["properties"]["diskState"] = "Unattached"
    ctx.store.put(record)


def _attached_ids(disks: list[dict[str, Any]]) -> set[str]:
    return {
        str(d["managedDisk"]["id"]).lower()
        for d in disks
        if str(d.get("createOption", "")).lower() == "attach" and (d.get("managedDisk") or {}).get("id")
    }


def sync_attached(ctx: Context, vm_id: str, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
    """Standalone disks follow the VM's data disk list: newly attached ones become Attached, dropped ones free."""
    old, new = _attached_ids(before), _attached_ids(after)
    for disk in after:
        if str((disk.get("managedDisk") or {}).get("id", "")).lower() in new - old:
            attach(ctx, str(disk["managedDisk"]["id"]), vm_id)
    for disk_id in old - new:
        detach(ctx, disk_id)


def load(ctx: Context, disk_id: str) -> Record:
    rid = parse_reference(disk_id, target="managedDisk.id")
    record = ctx.store.get(rid.key)
    if record is None or record.type_key != DISK_TYPE.lower():
        raise ResourceNotFound(f"Disk {rid.name} is not found.", code="NotFound", target="managedDisk.id")
    return record

"""Subscription-level Microsoft.Compute endpoints that az and the SDKs read before they create anything.

- `locations/{loc}/publishers/...` platform-image endpoints (`$orderby=name desc&$top=1` as az sends),
  and the extension-image `artifacttypes/vmextension/types[/{type}/versions]` endpoints `az vmss extension set`
  reads to pick a version;
- `locations/{loc}/vmSizes` and `providers/Microsoft.Compute/skus` (resource SKUs, `$filter=location eq '..'`);
- `locations/{loc}/virtualMachineScaleSets` (list by location).

Image lists are bare JSON arrays, as the real API returns them.
"""

from __future__ import annotations

import re
from typing import Any

from vmss_emulator.domain.apiversions import COMPUTE
from vmss_emulator.domain.catalog import images
from vmss_emulator.domain.catalog.vm_sizes import all_vm_sizes, resource_sku_entries, vm_size_entry
from vmss_emulator.domain.compute.instances import VMSS_TYPE
from vmss_emulator.domain.context import LOCATIONS, normalize_location
from vmss_emulator.domain.errors import NotFound
from vmss_emulator.domain.registry import Call, Outcome, ResourceType

SKU_API_VERSIONS: tuple[str, ...] = ("2017-03-30", "2017-09-01", "2019-04-01", "2021-07-01")

# Extension handlers az and templates commonly install: (publisher, type) -> versions, oldest first.
EXTENSION_IMAGES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Microsoft.Azure.Extensions", "CustomScript"): ("2.0.7", "2.1.3", "2.1.10"),
    ("Microsoft.Compute", "CustomScriptExtension"): ("1.9.5", "1.10.12", "1.10.15"),
    ("Microsoft.ManagedServices", "ApplicationHealthLinux"): ("1.0.3", "2.0.6", "2.0.11"),
    ("Microsoft.ManagedServices", "ApplicationHealthWindows"): ("1.0.3", "2.0.6", "2.0.11"),
    ("Microsoft.Azure.Security.LinuxAttestation", "GuestAttestation"): ("1.0.0", "1.0.3"),
    ("Microsoft.Azure.Security.WindowsAttestation", "GuestAttestation"): ("1.0.0", "1.0.3"),
}

_IMAGE_NOT_FOUND = images.IMAGE_NOT_FOUND_MESSAGE


def _not_found() -> NotFound:
    return NotFound(_IMAGE_NOT_FOUND)


class Locations(ResourceType):
    full_type = "Microsoft.Compute/locations"
    api_versions = COMPUTE

    def get(self, call: Call) -> Outcome:
        raise _not_found()

    def get_endpoint(self, call: Call) -> Outcome:
        ctx = call.ctx
        sub = call.rid.subscription_id
        location = normalize_location(call.rid.name)
        parts = [p for p in (call.endpoint or "").split("/") if p]
        low = [p.lower() for p in parts]
        if low == ["vmsizes"]:
            return Outcome(200, {"value": [vm_size_entry(s) for s in all_vm_sizes()]})
        if low == ["virtualmachinescalesets"]:
            records = ctx.store.list_in_subscription(f"/subscriptions/{sub}", VMSS_TYPE)
            return Outcome(
                200,
                {"value": [r.body for r in records if normalize_location(str(r.body.get("location"))) == location]},
            )
        if low and low[0] == "publishers":
            return Outcome(200, _image_endpoint(call, sub, location, parts[1:], low[1:]))
        raise _not_found()


def _image_endpoint(call: Call, sub: str, location: str, parts: list[str], low: list[str]) -> Any:
    if not parts:
        # The real list names every publisher, image and extension alike (az extension set filters it).
        listed = images.list_publishers(sub, location)
        known = {p["name"].lower() for p in listed}
        root = f"/Subscriptions/{sub}/Providers/Microsoft.Compute/Locations/{location}/Publishers"
        extra = sorted({p for p, _ in EXTENSION_IMAGES if p.lower() not in known}, key=str.lower)
        return listed + [{"location": location, "name": p, "id": f"{root}/{p}"} for p in extra]
    publisher = parts[0]
    if low[1:3] == ["artifacttypes", "vmextension"]:
        return _extension_endpoint(sub, location, publisher, parts[3:], low[3:])
    if low[1:3] != ["artifacttypes", "vmimage"] or len(low) < 4 or low[3] != "offers":
        raise _not_found()
    rest = parts[4:]
    if not rest:
        offers = images.list_offers(sub, location, publisher)
        if offers is None:
            raise _not_found()
        return offers
    offer = rest[0]
    if len(rest) == 2 and rest[1].lower() == "skus":
        skus = images.list_skus(sub, location, publisher, offer)
        if skus is None:
            raise _not_found()
        return skus
    if len(rest) >= 4 and rest[1].lower() == "skus" and rest[3].lower() == "versions":
        image = images.find_image(publisher, offer, rest[2])
        if image is None:
            raise _not_found()
        if len(rest) == 4:
            top = call.q("$top")
            return images.list_versions(
                sub, location, image, orderby=call.q("$orderby"), top=int(top) if top and top.isdigit() else None
            )
        if len(rest) == 5:
            version = images.resolve_version(image, rest[4])
            if version is None:
                raise _not_found()
            return images.version_entry(sub, location, image, version)
    raise _not_found()


def _extension_endpoint(sub: str, location: str, publisher: str, parts: list[str], low: list[str]) -> Any:
    base = (
        f"/Subscriptions/{sub}/Providers/Microsoft.Compute/Locations/{location}/Publishers/{publisher}"
        "/ArtifactTypes/VMExtension/Types"
    )
    known = {(p.lower(), t.lower()): (p, t, v) for (p, t), v in EXTENSION_IMAGES.items()}
    if low == ["types"]:
        found = [(t, v) for (p, t), v in EXTENSION_IMAGES.items() if p.lower() == publisher.lower()]
        if not found:
            raise _not_found()
        return [{"location": location, "name": t, "id": f"{base}/{t}"} for t, _ in found]
    if len(low) >= 3 and low[0] == "types" and low[2] == "versions":
        entry = known.get((publisher.lower(), low[1]))
        if entry is None:
            raise _not_found()
        _, type_name, versions = entry
        items = [{"location": location, "name": v, "id": f"{base}/{type_name}/Versions/{v}"} for v in versions]
        if len(low) == 3:
            return items
        match = next((i for i in items if i["name"] == parts[3]), None)
        if match is None:
            raise _not_found()
        return match
    raise _not_found()


_LOCATION_FILTER = re.compile(r"location\s+eq\s+'([^']+)'", re.IGNORECASE)


class ResourceSkus(ResourceType):
    full_type = "Microsoft.Compute/skus"
    api_versions = SKU_API_VERSIONS

    def list(self, call: Call) -> list[dict[str, Any]]:
        match = _LOCATION_FILTER.search(call.q("$filter") or "")
        locations = [normalize_location(match.group(1))] if match else list(LOCATIONS)
        return resource_sku_entries(locations)

"""Platform (marketplace) image catalogue and the wire shapes of the VM image endpoints.

Endpoints served from this data (all under `/subscriptions/{s}/providers/Microsoft.Compute/locations/{loc}`):

    GET publishers                                                      -> list_publishers
    GET publishers/{pub}/artifacttypes/vmimage/offers                   -> list_offers
    GET .../offers/{offer}/skus                                         -> list_skus
    GET .../skus/{sku}/versions[?$orderby=name desc&$top=1]             -> list_versions
    GET .../skus/{sku}/versions/{version}                               -> version_entry

Wire facts (azure-rest-api-specs `ComputeRP/stable/2024-11-01/examples/virtualMachineImageExamples/`
`VirtualMachineImage_List*_MaximumSet_Gen.json`, `VirtualMachineImage_Get_MaximumSet_Gen.json`):
- list responses are a bare JSON array (not `{"value": [...]}`) of `{"location", "name", "id"}`;
- a version is `{"properties": {osDiskImage, dataDiskImages, automaticOSUpgradeProperties, hyperVGeneration,
  architecture, [plan], [imageDeprecationStatus]}, "location", "name", "id"}`;
- ids use ARM's capitalised spelling, e.g.
  `/Subscriptions/{s}/Providers/Microsoft.Compute/Locations/westus/Publishers/Canonical/ArtifactTypes/VMImage/Offers/UbuntuServer/Skus/16.04-LTS/Versions/16.04.201801090`
  (az vm image show output quoted in azure-docs; Azure echoes the caller's casing of publisher/offer there,
  this catalogue uses its own canonical casing).
- az resolves "latest" itself with `$orderby=name desc&$top=1` (azure-cli `_actions.py`
  `_get_latest_image_version_by_aaz`), and reads `plan` from the version GET to fill the VM's plan.
A missing artifact is a 404 with code `NotFound` and message `IMAGE_NOT_FOUND_MESSAGE`
(**[UNVERIFIED]** wording, seen in issue threads as "Artifact: VMImage was not found.").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.catalog._image_data import ROWS

IMAGE_NOT_FOUND_MESSAGE = "Artifact: VMImage was not found."


@dataclass(frozen=True)
class ImagePlan:
    """A marketplace purchase plan (`plan` of the image version and of the VM that uses it)."""

    name: str
    product: str
    publisher: str

    def to_wire(self) -> dict[str, str]:
        return {"publisher": self.publisher, "name": self.name, "product": self.product}


@dataclass(frozen=True)
class PlatformImage:
    """One publisher/offer/sku with its published versions (oldest first)."""

    publisher: str
    offer: str
    sku: str
    os_type: str  # "Linux" | "Windows"
    os_name: str  # as the VM instance view reports it ("ubuntu")
    os_version: str  # ditto ("16.04")
    hyper_v_generation: str  # "V1" | "V2"
    architecture: str  # "x64" | "Arm64"
    automatic_os_upgrade_supported: bool
    plan: ImagePlan | None
    versions: tuple[str, ...]

    @property
    def latest(self) -> str:
        return self.versions[-1]

    @property
    def urn(self) -> str:
        return f"{self.publisher}:{self.offer}:{self.sku}"


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Sort key that orders "16.04.201801090" after "16.04.201801050" and "10.1" after "9.9"."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))


def _build(rows: Iterable[Any]) -> tuple[PlatformImage, ...]:
    images = []
    for pub, offer, sku, os_type, os_name, os_ver, gen, arch, auto, plan, versions in rows:
        images.append(
            PlatformImage(
                pub,
                offer,
                sku,
                os_type,
                os_name,
                os_ver,
                gen,
                arch,
                auto,
                ImagePlan(*plan) if plan else None,
                tuple(sorted(versions, key=version_key)),
            )
        )
    return tuple(images)


_IMAGES: tuple[PlatformImage, ...] = _build(ROWS)
_BY_KEY: dict[tuple[str, str, str], PlatformImage] = {
    (i.publisher.lower(), i.offer.lower(), i.sku.lower()): i for i in _IMAGES
}

# az CLI image aliases (2.91 `_alias.py`, plus older aliases still found in scripts) -> publisher/offer/sku.
AZ_IMAGE_ALIASES: dict[str, tuple[str, str, str]] = {
    "AzureLinux4": ("microsoftazurelinux", "azurelinux-4", "4"),
    "AzureLinux4Arm64": ("microsoftazurelinux", "azurelinux-4", "4-arm64"),
    "AzureLinux4Gen1": ("microsoftazurelinux", "azurelinux-4", "4-gen1"),
    "CentOS85Gen2": ("OpenLogic", "CentOS", "8_5-gen2"),
    "Debian11": ("Debian", "debian-11", "11-backports-gen2"),
    "FlatcarLinuxFreeGen2": ("kinvolk", "flatcar-container-linux-free", "stable-gen2"),
    "OpenSuseLeap154Gen2": ("SUSE", "openSUSE-leap-15-4", "gen2"),
    "RHELRaw8LVMGen2": ("RedHat", "RHEL", "8-lvm-gen2"),
    "SuseSles15SP3": ("SUSE", "sles-15-sp3", "gen2"),
    "Ubuntu2204": ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2"),
    "Ubuntu2404": ("Canonical", "ubuntu-24_04-lts", "server"),
    "UbuntuLTS": ("Canonical", "UbuntuServer", "18.04-LTS"),
    "Win2022Datacenter": ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2"),
    "Win2022AzureEdition": ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition"),
    "Win2022AzureEditionCore": ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition-core"),
    "Win2019Datacenter": ("MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond"),
    "Win2016Datacenter": ("MicrosoftWindowsServer", "WindowsServer", "2016-datacenter-gensecond"),
    "Win2012R2Datacenter": ("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter"),
    "Win2012Datacenter": ("MicrosoftWindowsServer", "WindowsServer", "2012-Datacenter"),
}


def all_images() -> tuple[PlatformImage, ...]:
    """Every image in the catalogue."""
    return _IMAGES


def find_image(publisher: str, offer: str, sku: str) -> PlatformImage | None:
    """The image for publisher/offer/sku, matched case-insensitively as ARM does, or None."""
    return _BY_KEY.get((publisher.lower(), offer.lower(), sku.lower()))


def resolve_version(image: PlatformImage, requested: str | None) -> str | None:
    """The concrete version for `requested`: "latest" (or empty) -> newest; a known version -> itself
    (with the catalogue's spelling); unknown -> None, so the caller raises its own error."""
    if not requested or requested.lower() == "latest":
        return image.latest
    for version in image.versions:
        if version.lower() == requested.lower():
            return version
    return None


# -- wire shapes ----------------------------------------------------------------------------------


def _location_root(subscription_id: str, location: str) -> str:
    return f"/Subscriptions/{subscription_id}/Providers/Microsoft.Compute/Locations/{location}"


def _entry(name: str, location: str, resource_id: str) -> dict[str, Any]:
    return {"location": location, "name": name, "id": resource_id}


def _unique(names: Iterable[str]) -> list[str]:
    """First spelling of each name (case-insensitive), sorted case-insensitively."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.lower(), name)
    return sorted(seen.values(), key=str.lower)


def list_publishers(subscription_id: str, location: str) -> list[dict[str, Any]]:
    """`GET .../locations/{loc}/publishers`."""
    root = _location_root(subscription_id, location)
    return [_entry(p, location, f"{root}/Publishers/{p}") for p in _unique(i.publisher for i in _IMAGES)]


def list_offers(subscription_id: str, location: str, publisher: str) -> list[dict[str, Any]] | None:
    """`GET .../publishers/{pub}/artifacttypes/vmimage/offers`; None when the publisher is unknown."""
    images = [i for i in _IMAGES if i.publisher.lower() == publisher.lower()]
    if not images:
        return None
    base = f"{_location_root(subscription_id, location)}/Publishers/{images[0].publisher}/ArtifactTypes/VMImage"
    return [_entry(o, location, f"{base}/Offers/{o}") for o in _unique(i.offer for i in images)]


def list_skus(subscription_id: str, location: str, publisher: str, offer: str) -> list[dict[str, Any]] | None:
    """`GET .../offers/{offer}/skus`; None when publisher/offer is unknown."""
    images = [i for i in _IMAGES if i.publisher.lower() == publisher.lower() and i.offer.lower() == offer.lower()]
    if not images:
        return None
    return [_entry(i.sku, location, _sku_id(subscription_id, location, i)) for i in images]


def _sku_id(subscription_id: str, location: str, image: PlatformImage) -> str:
    return (
        f"{_location_root(subscription_id, location)}/Publishers/{image.publisher}/ArtifactTypes/VMImage"
        f"/Offers/{image.offer}/Skus/{image.sku}"
    )


def list_versions(
    subscription_id: str,
    location: str,
    image: PlatformImage,
    *,
    orderby: str | None = None,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """`GET .../skus/{sku}/versions` with the OData options az uses (`$orderby=name desc`, `$top=1`).

    Without `$orderby` the versions come oldest first (the order Azure returns in practice).
    """
    versions = list(image.versions)
    if orderby is not None and orderby.strip().lower().endswith("desc"):
        versions.reverse()
    if top is not None:
        versions = versions[: max(top, 0)]
    sku_id = _sku_id(subscription_id, location, image)
    return [_entry(v, location, f"{sku_id}/Versions/{v}") for v in versions]


def version_entry(subscription_id: str, location: str, image: PlatformImage, version: str) -> dict[str, Any]:
    """`GET .../skus/{sku}/versions/{version}` for a version already checked with `resolve_version`."""
    properties: dict[str, Any] = {
        "osDiskImage": {"operatingSystem": image.os_type},
        "dataDiskImages": [],
        "automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": image.automatic_os_upgrade_supported},
        "hyperVGeneration": image.hyper_v_generation,
        "architecture": image.architecture,
        "imageDeprecationStatus": {"imageState": "Active"},
    }
    if image.plan is not None:
        properties["plan"] = image.plan.to_wire()
    return {
        "properties": properties,
        "location": location,
        "name": version,
        "id": f"{_sku_id(subscription_id, location, image)}/Versions/{version}",
    }


def az_image_alias_doc() -> dict[str, Any]:
    """The image alias document az downloads from the cloud's `vmImageAliasDoc` endpoint.

    Same shape as Azure's (a template whose `outputs.aliases.value` maps OS -> alias -> image), built
    from the catalogue so every alias az resolves names an image the emulator knows.
    """
    by_os: dict[str, dict[str, dict[str, str]]] = {"Linux": {}, "Windows": {}}
    for alias, (publisher, offer, sku) in AZ_IMAGE_ALIASES.items():
        image = find_image(publisher, offer, sku)
        if image is None:
            continue
        by_os.setdefault(image.os_type, {})[alias] = {
            "publisher": image.publisher,
            "offer": image.offer,
            "sku": image.sku,
            "version": "latest",
            "architecture": image.architecture,
        }
    return {
        "$schema": "http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json",
        "contentVersion": "1.0.0.0",
        "parameters": {},
        "variables": {},
        "resources": [],
        "outputs": {"aliases": {"type": "object", "value": by_os}},
    }

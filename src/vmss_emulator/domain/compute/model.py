"""The scale-set model: validation, server-filled defaults, create-time restrictions, the essence hash.

Pure functions over the canonical ARM document (camelCase names, `properties` level present). The scale-set
type calls them in order: `merge` the request into the stored model, `coerce` template-style strings,
`validate`, `check_restrictions` against the stored model, `fill_defaults`, then `essence_hash`.

Write-only members (adminPassword, customData, extension protectedSettings) never live in the document:
`extract_secrets` moves them to the record's private state so no read can return them.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import orjson

from vmss_emulator.domain.catalog.images import PlatformImage, find_image, resolve_version
from vmss_emulator.domain.catalog.vm_sizes import get_vm_size, sizes_on_cluster_of
from vmss_emulator.domain.compute import profile_checks
from vmss_emulator.domain.errors import (
    BadRequest,
    InvalidParameter,
    OperationNotAllowed,
    PropertyChangeNotAllowed,
    ResourceNotFound,
)
from vmss_emulator.domain.ids import new_guid

MAX_CAPACITY = 1000
SINGLE_PLACEMENT_GROUP_LIMIT = 100

ROLLING_DEFAULTS: dict[str, Any] = {
    "maxBatchInstancePercent": 20,
    "maxUnhealthyInstancePercent": 20,
    "maxUnhealthyUpgradedInstancePercent": 20,
    "pauseTimeBetweenBatches": "PT0S",
}

HEALTH_EXTENSION_TYPES = frozenset({"applicationhealthlinux", "applicationhealthwindows"})

ROLLING_NEEDS_HEALTH = (
    "Rolling Upgrade mode is not supported for this Virtual Machine Scale Set because a health probe or health "
    "extension was not provided."
)


class PlatformImageNotFound(ResourceNotFound):
    """Compute's 404 for an imageReference that names no marketplace image."""


def props(doc: dict[str, Any]) -> dict[str, Any]:
    value = doc.setdefault("properties", {})
    if not isinstance(value, dict):
        raise InvalidParameter("The value of parameter 'properties' is invalid.", target="properties")
    return value


def vm_profile(doc: dict[str, Any]) -> dict[str, Any]:
    value = props(doc).setdefault("virtualMachineProfile", {})
    if not isinstance(value, dict):
        raise InvalidParameter(
            "The value of parameter 'virtualMachineProfile' is invalid.", target="virtualMachineProfile"
        )
    return value


def dig(doc: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def orchestration_mode(doc: dict[str, Any]) -> str:
    mode = dig(doc, "properties", "orchestrationMode")
    return "Flexible" if isinstance(mode, str) and mode.lower() == "flexible" else "Uniform"


def upgrade_mode(doc: dict[str, Any]) -> str:
    mode = dig(doc, "properties", "upgradePolicy", "mode")
    return str(mode) if mode else "Manual"


# -- secrets --------------------------------------------------------------------------------------


def extract_secrets(doc: dict[str, Any], secrets: dict[str, Any]) -> None:
    """Move write-only members from `doc` into `secrets` (kept in the record's state, never returned)."""
    os_profile = dig(doc, "properties", "virtualMachineProfile", "osProfile")
    if isinstance(os_profile, dict):
        for key in ("adminPassword", "customData"):
            if key in os_profile:
                value = os_profile.pop(key)
                if value is not None:
                    secrets[key] = value
    extensions = dig(doc, "properties", "virtualMachineProfile", "extensionProfile", "extensions")
    if isinstance(extensions, list):
        for extension in extensions:
            ext_props = extension.get("properties") if isinstance(extension, dict) else None
            if isinstance(ext_props, dict) and "protectedSettings" in ext_props:
                secrets.setdefault("protectedSettings", {})[str(extension.get("name"))] = ext_props.pop(
                    "protectedSettings"
                )
    user_data = dig(doc, "properties", "virtualMachineProfile")
    if isinstance(user_data, dict) and "userData" in user_data:
        value = user_data.pop("userData")
        if value is not None:
            secrets["userData"] = value


# -- coercion -------------------------------------------------------------------------------------


def _as_bool(value: Any, target: str) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value is not None and not isinstance(value, bool):
        raise InvalidParameter(f"The value '{value}' of parameter '{target}' is not a valid boolean.", target=target)
    return value


def _as_int(value: Any, target: str) -> Any:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidParameter(f"The value '{value}' of parameter '{target}' is not a valid integer.", target=target)
    return value


def coerce(doc: dict[str, Any]) -> None:
    """Template bodies carry `"true"`/`"2"` strings, lower-case enums and explicit nulls (docs/az-requests.md §0)."""
    sku = doc.get("sku")
    if sku is not None and not isinstance(sku, dict):
        raise InvalidParameter("The value of parameter 'sku' is invalid.", target="sku")
    if isinstance(sku, dict) and "capacity" in sku:
        sku["capacity"] = _as_int(sku["capacity"], "sku.capacity")
    p = props(doc)
    for key in ("singlePlacementGroup", "overprovision", "doNotRunExtensionsOnOverprovisionedVMs"):
        if key in p:
            p[key] = _as_bool(p[key], key)
            if p[key] is None:
                del p[key]
    if "platformFaultDomainCount" in p:
        p["platformFaultDomainCount"] = _as_int(p["platformFaultDomainCount"], "platformFaultDomainCount")
    policy = p.get("upgradePolicy")
    if isinstance(policy, dict) and isinstance(policy.get("mode"), str):
        canonical = {"manual": "Manual", "automatic": "Automatic", "rolling": "Rolling"}
        mode = policy["mode"]
        if mode.lower() not in canonical:
            raise InvalidParameter(
                f"The value '{mode}' of parameter 'upgradePolicy.mode' is not allowed. Allowed values are "
                "'Automatic', 'Manual', 'Rolling'.",
                target="upgradePolicy.mode",
            )
        policy["mode"] = canonical[mode.lower()]
    mode = p.get("orchestrationMode")
    if isinstance(mode, str):
        p["orchestrationMode"] = "Flexible" if mode.lower() == "flexible" else "Uniform"
    for nic in (
        dig(doc, "properties", "virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations") or []
    ):
        nic_props = nic.get("properties") if isinstance(nic, dict) else None
        if isinstance(nic_props, dict):
            for key in ("primary", "enableAcceleratedNetworking", "enableIPForwarding"):
                if key in nic_props:
                    nic_props[key] = _as_bool(nic_props[key], key)
            for ipc in nic_props.get("ipConfigurations") or []:
                ipc_props = ipc.get("properties") if isinstance(ipc, dict) else None
                if isinstance(ipc_props, dict) and "primary" in ipc_props:
                    ipc_props["primary"] = _as_bool(ipc_props["primary"], "primary")


# -- validation -----------------------------------------------------------------------------------


def _required(value: Any, name: str) -> None:
    if value is None:
        raise InvalidParameter(f"Required parameter '{name}' is missing (null).", target=name)


def image_of(doc: dict[str, Any]) -> PlatformImage | None:
    """The marketplace image the model names, or None for custom images (`imageReference.id`)."""
    return image_of_reference(dig(doc, "properties", "virtualMachineProfile", "storageProfile", "imageReference"))


def image_of_reference(ref: Any) -> PlatformImage | None:
    if not isinstance(ref, dict) or ref.get("id") or not ref.get("publisher"):
        return None
    return find_image(str(ref.get("publisher")), str(ref.get("offer", "")), str(ref.get("sku", "")))


def check_image(doc: dict[str, Any]) -> None:
    ref = dig(doc, "properties", "virtualMachineProfile", "storageProfile", "imageReference")
    if (
        not isinstance(ref, dict)
        or ref.get("id")
        or ref.get("sharedGalleryImageId")
        or ref.get("communityGalleryImageId")
    ):
        return
    image = image_of(doc)
    version = ref.get("version")
    if image is None or resolve_version(image, version if isinstance(version, str) else None) is None:
        urn = f"{ref.get('publisher')}:{ref.get('offer')}:{ref.get('sku')}:{version or 'latest'}"
        raise PlatformImageNotFound(
            f"The platform image '{urn}' is not available. Verify that all fields in the storage profile are correct. "
            "For more details about storage profile information, please refer to https://aka.ms/storageprofile",
            target="imageReference",
        )


def validate(doc: dict[str, Any], *, creating: bool) -> None:
    """Refuse a model Azure would refuse (shape, size, capacity, Flexible requirements); the image is checked
    by `check_image` after the restrictions, so changing a create-time image member reports that first."""
    sku = doc.get("sku")
    if creating:
        _required(sku, "sku")
    if sku is not None and not isinstance(sku, dict):
        raise InvalidParameter("The value of parameter 'sku' is invalid.", target="sku")
    sku = sku or {}
    name = sku.get("name")
    if creating:
        _required(name, "sku.name")
    if name is not None and get_vm_size(str(name)) is None:
        raise InvalidParameter(
            f"The value {name} provided for the VM size is not valid. The valid sizes in the current region are: "
            + ",".join(s.name for s in sizes_on_cluster_of("Standard_DS1_v2"))
            + ".",
            target="vmSize",
        )
    capacity = sku.get("capacity")
    if capacity is not None and not 0 <= int(capacity) <= MAX_CAPACITY:
        raise InvalidParameter(
            f"The value {capacity} of parameter 'sku.capacity' is out of range. The value must be between 0 and "
            f"{MAX_CAPACITY}, inclusive.",
            target="sku.capacity",
        )
    p = doc.get("properties")
    if not isinstance(p, dict):
        raise InvalidParameter("Required parameter 'properties' is missing (null).", target="properties")
    flexible = orchestration_mode(doc) == "Flexible"
    if flexible and p.get("platformFaultDomainCount") is None:
        raise InvalidParameter(
            "Required parameter 'platformFaultDomainCount' is missing (null).", target="platformFaultDomainCount"
        )
    profile = p.get("virtualMachineProfile")
    if profile is None and not flexible:
        raise InvalidParameter(
            "Required parameter 'virtualMachineProfile' is missing (null).", target="virtualMachineProfile"
        )
    if profile is not None and not isinstance(profile, dict):
        raise InvalidParameter(
            "The value of parameter 'virtualMachineProfile' is invalid.", target="virtualMachineProfile"
        )
    if isinstance(profile, dict):
        _validate_profile(profile, creating=creating)
        profile_checks.check_extensions(profile)
        profile_checks.check_data_disks(profile.get("storageProfile"))
    profile_checks.check_rolling_policy(p.get("upgradePolicy"))
    spg = p.get("singlePlacementGroup", not flexible)
    if capacity is not None and spg and int(capacity) > SINGLE_PLACEMENT_GROUP_LIMIT and not flexible:
        raise OperationNotAllowed(
            f"The requested instance count {capacity} exceeds the total limit of '{SINGLE_PLACEMENT_GROUP_LIMIT}' "
            "Virtual Machine instances for a scale set with singlePlacementGroup set to true.",
            target="sku.capacity",
        )


def _validate_profile(profile: dict[str, Any], *, creating: bool) -> None:
    storage = profile.get("storageProfile")
    if creating:
        _required(storage, "storageProfile")
        _required(profile.get("osProfile"), "osProfile")
    if storage is not None and not isinstance(storage, dict):
        raise InvalidParameter("The value of parameter 'storageProfile' is invalid.", target="storageProfile")
    if creating and isinstance(storage, dict):
        _required(storage.get("imageReference"), "imageReference")
    os_profile = profile.get("osProfile")
    if isinstance(os_profile, dict) and creating:
        _required(os_profile.get("adminUsername"), "adminUsername")
    network = profile.get("networkProfile")
    if network is None:
        return
    if not isinstance(network, dict):
        raise InvalidParameter("The value of parameter 'networkProfile' is invalid.", target="networkProfile")
    nics = network.get("networkInterfaceConfigurations") or []
    if not isinstance(nics, list):
        raise InvalidParameter(
            "The value of parameter 'networkInterfaceConfigurations' is invalid.",
            target="networkInterfaceConfigurations",
        )
    for index, nic in enumerate(nics):
        if not isinstance(nic, dict) or not nic.get("name"):
            raise InvalidParameter(
                "Required parameter 'networkInterfaceConfiguration.name' is missing (null).",
                target=f"networkInterfaceConfigurations[{index}].name",
            )
        ip_configs = dig(nic, "properties", "ipConfigurations")
        if not ip_configs:
            raise InvalidParameter(
                "Required parameter 'networkInterfaceConfiguration.ipConfigurations' is missing (null).",
                target=f"networkInterfaceConfigurations[{index}].ipConfigurations",
            )
        for ip_index, ip_config in enumerate(ip_configs):
            if not isinstance(ip_config, dict) or not ip_config.get("name"):
                raise InvalidParameter(
                    "Required parameter 'ipConfiguration.name' is missing (null).",
                    target=f"networkInterfaceConfigurations[{index}].ipConfigurations[{ip_index}].name",
                )


def check_rolling_health(doc: dict[str, Any]) -> None:
    """Rolling mode and automatic OS upgrades need a load-balancer health probe or an ApplicationHealth extension."""
    if health_monitored(doc):
        return
    if upgrade_mode(doc) == "Rolling":
        raise BadRequest(ROLLING_NEEDS_HEALTH)
    if dig(doc, "properties", "upgradePolicy", "automaticOSUpgradePolicy", "enableAutomaticOSUpgrade") is True:
        raise BadRequest(
            "Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because a health probe or health "
            "extension was not specified."
        )


def has_health_extension(doc: dict[str, Any]) -> bool:
    extensions = dig(doc, "properties", "virtualMachineProfile", "extensionProfile", "extensions") or []
    return any(str(dig(e, "properties", "type") or "").lower() in HEALTH_EXTENSION_TYPES for e in extensions)


def health_monitored(doc: dict[str, Any]) -> bool:
    return bool(dig(doc, "properties", "virtualMachineProfile", "networkProfile", "healthProbe", "id")) or (
        has_health_extension(doc)
    )


# -- restrictions ---------------------------------------------------------------------------------


def _changed(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        return before.lower() != after.lower()
    return bool(before != after)


def _refuse(path: str) -> PropertyChangeNotAllowed:
    return PropertyChangeNotAllowed(f"Changing property '{path}' is not allowed.", target=path)


def check_restrictions(before: dict[str, Any], after: dict[str, Any], *, all_deallocated: bool) -> None:
    """Create-time and value-dependent properties (seed: "変更に制限のあるプロパティ")."""
    if sorted(before.get("zones") or []) != sorted(after.get("zones") or []):
        raise _refuse("zones")
    ref_before = dig(before, "properties", "virtualMachineProfile", "storageProfile", "imageReference") or {}
    ref_after = dig(after, "properties", "virtualMachineProfile", "storageProfile", "imageReference") or {}
    for member in ("publisher", "offer"):
        if ref_before.get(member) and _changed(ref_before.get(member), ref_after.get(member)):
            raise _refuse(f"imageReference.{member}")
    if (before.get("plan") or None) != (after.get("plan") or None):
        raise _refuse("plan")
    if orchestration_mode(before) != orchestration_mode(after):
        raise _refuse("orchestrationMode")
    fd_before = dig(before, "properties", "platformFaultDomainCount")
    if fd_before is not None and fd_before != dig(after, "properties", "platformFaultDomainCount"):
        raise _refuse("platformFaultDomainCount")
    if dig(before, "properties", "singlePlacementGroup") is False and dig(after, "properties", "singlePlacementGroup"):
        raise _refuse("singlePlacementGroup")
    size_before = str(dig(before, "sku", "name") or "")
    size_after = str(dig(after, "sku", "name") or "")
    if size_before.lower() != size_after.lower() and not all_deallocated:
        available = sizes_on_cluster_of(size_before)
        if size_after.lower() not in {s.name.lower() for s in available}:
            raise OperationNotAllowed(
                f"Unable to resize the VM because the requested size {size_after} is not available in the current "
                f"hardware cluster. The available sizes are: {','.join(s.name for s in available)}. Read more on VM "
                "resizing strategy at https://aka.ms/azure-resizevm.",
                target="vmSize",
            )


# -- defaults -------------------------------------------------------------------------------------


def fill_defaults(doc: dict[str, Any], *, now_iso: str, existing: dict[str, Any] | None, tenant_id: str = "") -> None:
    """The members Azure fills in on create and keeps on update (shapes from the recordings)."""
    identity = doc.get("identity")
    if isinstance(identity, dict) and "systemassigned" in str(identity.get("type", "")).lower():
        # The system-assigned identity keeps its principal across updates.
        identity["principalId"] = dig(existing, "identity", "principalId") or new_guid()
        identity["tenantId"] = tenant_id
    sku = doc.setdefault("sku", {})
    sku.setdefault("tier", "Standard")
    p = props(doc)
    flexible = orchestration_mode(doc) == "Flexible"
    p.setdefault("singlePlacementGroup", not flexible)
    if not flexible or "upgradePolicy" in p:
        policy = p.setdefault("upgradePolicy", {})
        policy.setdefault("mode", "Manual")
        if policy["mode"] == "Rolling":
            rolling = policy.setdefault("rollingUpgradePolicy", {})
            for key, value in ROLLING_DEFAULTS.items():
                rolling.setdefault(key, value)
    if not flexible:
        p.setdefault("overprovision", True)
        p.setdefault("doNotRunExtensionsOnOverprovisionedVMs", False)
    p["uniqueId"] = dig(existing, "properties", "uniqueId") or p.get("uniqueId") or new_guid()
    p["timeCreated"] = dig(existing, "properties", "timeCreated") or now_iso
    p["orchestrationMode"] = "Flexible" if flexible else "Uniform"
    profile = p.get("virtualMachineProfile")
    if not isinstance(profile, dict):
        return
    image = image_of(doc)
    windows = image is not None and image.os_type == "Windows"
    os_profile = profile.get("osProfile")
    if isinstance(os_profile, dict):
        if "computerNamePrefix" not in os_profile:
            os_profile["computerNamePrefix"] = str(doc.get("name", "vmss"))[:9]
        if windows or "windowsConfiguration" in os_profile:
            win = os_profile.setdefault("windowsConfiguration", {})
            win.setdefault("provisionVMAgent", True)
            win.setdefault("enableAutomaticUpdates", True)
            win.setdefault("enableVMAgentPlatformUpdates", False)
        else:
            linux = os_profile.setdefault("linuxConfiguration", {})
            linux.setdefault("disablePasswordAuthentication", False)
            linux.setdefault("provisionVMAgent", True)
        os_profile.setdefault("secrets", [])
        os_profile.setdefault("allowExtensionOperations", True)
        os_profile.setdefault("requireGuestProvisionSignal", True)
    storage = profile.get("storageProfile")
    if isinstance(storage, dict):
        os_disk = storage.setdefault("osDisk", {})
        if image is not None:
            os_disk.setdefault("osType", image.os_type)
        os_disk.setdefault("createOption", "FromImage")
        os_disk.setdefault("caching", "ReadWrite")
        size = get_vm_size(str(sku.get("name", "")))
        premium = size is not None and size.premium_io
        os_disk.setdefault("managedDisk", {}).setdefault(
            "storageAccountType", "Premium_LRS" if premium else "Standard_LRS"
        )
        os_disk.setdefault("diskSizeGB", 127 if windows else 30)
        for disk in storage.get("dataDisks") or []:
            if isinstance(disk, dict):
                disk.setdefault("createOption", "Empty")
                disk.setdefault("caching", "None")
                disk.setdefault("managedDisk", {}).setdefault(
                    "storageAccountType", "Premium_LRS" if premium else "Standard_LRS"
                )
    network = profile.get("networkProfile")
    if isinstance(network, dict):
        for nic in network.get("networkInterfaceConfigurations") or []:
            nic_props = nic.setdefault("properties", {})
            nic_props.setdefault("dnsSettings", {"dnsServers": []}).setdefault("dnsServers", [])
            nic_props.setdefault("enableAcceleratedNetworking", False)
            nic_props.setdefault("enableIPForwarding", False)
            for ipc in nic_props.get("ipConfigurations") or []:
                ipc.setdefault("properties", {}).setdefault("privateIPAddressVersion", "IPv4")
    for extension in dig(profile, "extensionProfile", "extensions") or []:
        if isinstance(extension, dict):
            ext_props = extension.setdefault("properties", {})
            ext_props.setdefault("provisioningState", "Succeeded")


def drop_nulls(value: Any) -> Any:
    """Template bodies send explicit nulls for "not specified" (`"singlePlacementGroup": null`); Compute treats
    them as absent, so a PUT never stores or merges a null."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def strip_read_only(doc: dict[str, Any]) -> None:
    """Members a client echoes back from a GET (az update) that a PUT must not set."""
    p = doc.get("properties")
    if isinstance(p, dict):
        for key in ("provisioningState", "uniqueId", "timeCreated"):
            p.pop(key, None)
    for key in ("id", "name", "type", "etag"):
        doc.pop(key, None)


# -- the model essence ----------------------------------------------------------------------------


def essence(doc: dict[str, Any]) -> dict[str, Any]:
    """What a VM must match to have the latest model.

    The osProfile is left out on purpose: OS profile changes never go through the upgrade policy and only
    reach new or reimaged VMs (seed: "グローバル スケール セットのプロパティに対する変更には、アップグレード ポリシーに
    従わない種類が 1 つあります"). Provisioning states of extensions are bookkeeping, not model.
    """
    profile = copy.deepcopy(dig(doc, "properties", "virtualMachineProfile") or {})
    profile.pop("osProfile", None)
    for extension in dig(profile, "extensionProfile", "extensions") or []:
        if isinstance(extension, dict) and isinstance(extension.get("properties"), dict):
            extension["properties"].pop("provisioningState", None)
    return {"vmSize": str(dig(doc, "sku", "name") or "").lower(), "profile": profile}


def essence_hash(doc: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(essence(doc), option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]

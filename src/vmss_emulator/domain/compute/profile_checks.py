"""Checks of the scale-set model's extensions, data disks and rolling upgrade policy (called by `model.validate`).

Each refusal is a 400 `InvalidParameter` raised before anything is stored, so a malformed profile is never
saved (and never reaches the rolling-upgrade engine, which would otherwise fail on a bad duration).

Sources:
- Percentages: the RollingUpgradePolicy docs (learn.microsoft.com, Microsoft.Azure.Batch / azure-mgmt-batch
  `RollingUpgradePolicy`, which pass the policy to the scale set): maxBatchInstancePercent and
  maxUnhealthyInstancePercent "between 5 and 100, inclusive", maxUnhealthyUpgradedInstancePercent "between 0 and
  100, inclusive"; pauseTimeBetweenBatches "in ISO 8601 format".
- Data disk LUNs: Azure's wording for the LUN range, seen in microsoft/lisa#692: "The value '64' of parameter
  'dataDisk.lun' is out of range. Value '64' must be between '0' and '63' inclusive.", target `dataDisk.lun`;
  missing members follow Compute's "Required parameter 'dataDisk.managedDisk' is missing (null)." pattern
  (azure-powershell#9409).
**[UNVERIFIED]**: the targets of the rolling-policy and extension errors, and the message for duplicate LUNs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import isodate

from vmss_emulator.domain.errors import InvalidParameter, PropertyChangeNotAllowed

MAX_LUN = 63

# member -> inclusive (minimum, maximum)
PERCENT_RANGES: dict[str, tuple[int, int]] = {
    "maxBatchInstancePercent": (5, 100),
    "maxUnhealthyInstancePercent": (5, 100),
    "maxUnhealthyUpgradedInstancePercent": (0, 100),
}

REQUIRED_EXTENSION_MEMBERS = ("publisher", "type", "typeHandlerVersion")


def _missing(name: str, target: str | None = None) -> InvalidParameter:
    return InvalidParameter(f"Required parameter '{name}' is missing (null).", target=target or name)


def _int_or_none(value: Any) -> int | None:
    """Template bodies carry integers as strings ("1"); anything that is not an integer is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def check_extensions(profile: dict[str, Any]) -> None:
    extensions = (profile.get("extensionProfile") or {}).get("extensions") if isinstance(profile, dict) else None
    if not isinstance(extensions, list):
        return
    for extension in extensions:
        if not isinstance(extension, dict) or not extension.get("name"):
            raise _missing("extension.name", "name")
        ext_props = extension.get("properties")
        if not isinstance(ext_props, dict):
            raise _missing("properties")
        for member in REQUIRED_EXTENSION_MEMBERS:
            if not ext_props.get(member):
                raise _missing(member)


def check_data_disks(storage: Any) -> None:
    disks = storage.get("dataDisks") if isinstance(storage, dict) else None
    if not isinstance(disks, list):
        return
    seen: set[int] = set()
    for disk in disks:
        raw = disk.get("lun") if isinstance(disk, dict) else None
        if raw is None:
            raise _missing("dataDisk.lun")
        lun = _int_or_none(raw)
        if lun is None or not 0 <= lun <= MAX_LUN:
            raise InvalidParameter(
                f"The value '{raw}' of parameter 'dataDisk.lun' is out of range. Value '{raw}' must be between '0' "
                f"and '{MAX_LUN}' inclusive.",
                target="dataDisk.lun",
            )
        if lun in seen:
            # Same answer as the per-VM PUT (vms.py) gives for a LUN used twice.
            raise InvalidParameter(f"A disk at LUN {lun} already exists.", target="dataDisks")
        seen.add(lun)
        disk["lun"] = lun


def check_rolling_policy(upgrade_policy: Any) -> None:
    rolling = upgrade_policy.get("rollingUpgradePolicy") if isinstance(upgrade_policy, dict) else None
    if rolling is None:
        return
    if not isinstance(rolling, dict):
        raise InvalidParameter(
            "The value of parameter 'rollingUpgradePolicy' is invalid.", target="rollingUpgradePolicy"
        )
    for member, (low, high) in PERCENT_RANGES.items():
        if member not in rolling:
            continue
        value = _int_or_none(rolling[member])
        if value is None or not low <= value <= high:
            raise InvalidParameter(
                f"The value {rolling[member]} of parameter 'rollingUpgradePolicy.{member}' is out of range. The "
                f"value must be between {low} and {high}, inclusive.",
                target=f"rollingUpgradePolicy.{member}",
            )
        rolling[member] = value
    pause = rolling.get("pauseTimeBetweenBatches")
    if pause is not None and parse_pause(pause) is None:
        raise InvalidParameter(
            f"The value '{pause}' of parameter 'rollingUpgradePolicy.pauseTimeBetweenBatches' is not a valid ISO 8601 "
            "duration.",
            target="rollingUpgradePolicy.pauseTimeBetweenBatches",
        )


def parse_pause(value: Any) -> timedelta | None:
    """A non-negative ISO 8601 duration in days/hours/minutes/seconds, or None. Years and months have no fixed
    length, so (like a negative pause) they are not a valid wait between batches."""
    if not isinstance(value, str):
        return None
    try:
        duration = isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError):
        return None
    if not isinstance(duration, timedelta) or duration < timedelta(0):
        return None
    return duration


# -- OS profile changes by api-version ------------------------------------------------------------

OS_PROFILE_CHANGES_SINCE = "2017-12-01"


def check_os_profile_change(
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    before_secrets: dict[str, Any],
    after_secrets: dict[str, Any],
    api_version: str,
) -> None:
    """OS profile changes (admin user, password, custom data) are "only possible with API version 2017-12-01 or
    later" (seed vmss-modify; arm-reference.md §4). The reference gives no error code for older versions: the
    emulator answers 409 PropertyChangeNotAllowed like the other create-time properties **[UNVERIFIED]**.
    Compared after defaults are filled, so re-sending the same profile (az's GET-then-PUT) is not a change."""
    if api_version >= OS_PROFILE_CHANGES_SINCE:
        return
    path = ("properties", "virtualMachineProfile", "osProfile")
    changed = _dig(before, *path) != _dig(after, *path) or any(
        before_secrets.get(key) != after_secrets.get(key) for key in ("adminPassword", "customData")
    )
    if changed:
        raise PropertyChangeNotAllowed("Changing property 'osProfile' is not allowed.", target="osProfile")


def _dig(doc: Any, *path: str) -> Any:
    for key in path:
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc

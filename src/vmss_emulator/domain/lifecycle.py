"""Lifecycle profiles: how long each transition takes and which states it passes through. Pure data.

Like KWOK stages (a delay plus jitter per transition, profiles swapped without code): the engine asks
`delay(profile, transition, seed)` how long to hold a resource in its transitional state, shows
`transition_states(transition)` meanwhile, and then moves to the final state.

Profiles:
- `INSTANT`: every delay is 0 (unit and most integration tests).
- `REALISTIC`: roughly what Azure takes (VM create ~45 s, start ~20 s, deallocate ~30 s, reimage ~60 s,
  redeploy ~90 s; network resources a few seconds). These are typical observed durations, not
  documented values.
- `scaled(profile, factor)`: e.g. `scaled(REALISTIC, 0.1)` for demos.

Instance-view strings (docs/arm-reference.md §3.4, seed vmss-modify samples, az CLI tests):
`ProvisioningState/succeeded` -> "Provisioning succeeded", `PowerState/running` -> "VM running",
`PowerState/deallocated` -> "VM deallocated", `PowerState/stopped` -> "VM stopped",
`PowerState/starting` -> "VM starting". The transitional `stopping` / `deallocating` codes and their
display strings follow the same pattern **[UNCONFIRMED]**, as do "Creating" / "Updating" / "Deleting" for the
in-progress provisioning states and "Provisioning failed" for failures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

# -- transitions ----------------------------------------------------------------------------------

VM_CREATE: Final = "vm_create"
VM_DELETE: Final = "vm_delete"
VM_START: Final = "vm_start"
VM_STOP: Final = "vm_stop"  # powerOff: the VM keeps its host and is still billed
VM_DEALLOCATE: Final = "vm_deallocate"
VM_RESTART: Final = "vm_restart"
VM_REIMAGE: Final = "vm_reimage"
VM_UPDATE: Final = "vm_update"  # model upgrade (manualupgrade, rolling/automatic batch)
VM_REDEPLOY: Final = "vm_redeploy"
EXTENSION_APPLY: Final = "extension_apply"
VMSS_CREATE: Final = "vmss_create"
VMSS_UPDATE: Final = "vmss_update"
VMSS_DELETE: Final = "vmss_delete"
NETWORK_RESOURCE_CREATE: Final = "network_resource_create"
NETWORK_RESOURCE_DELETE: Final = "network_resource_delete"
RG_DELETE: Final = "rg_delete"

TRANSITIONS: Final[tuple[str, ...]] = (
    VM_CREATE,
    VM_DELETE,
    VM_START,
    VM_STOP,
    VM_DEALLOCATE,
    VM_RESTART,
    VM_REIMAGE,
    VM_UPDATE,
    VM_REDEPLOY,
    EXTENSION_APPLY,
    VMSS_CREATE,
    VMSS_UPDATE,
    VMSS_DELETE,
    NETWORK_RESOURCE_CREATE,
    NETWORK_RESOURCE_DELETE,
    RG_DELETE,
)


@dataclass(frozen=True)
class Stage:
    """One transition's timing: `delay_s` plus a uniform jitter in [-jitter_s, +jitter_s], never below 0."""

    delay_s: float
    jitter_s: float = 0.0


@dataclass(frozen=True)
class Profile:
    name: str
    stages: Mapping[str, Stage] = field(default_factory=dict)

    def stage(self, transition: str) -> Stage:
        """The stage for `transition`; transitions a profile does not list take no time."""
        return self.stages.get(transition, Stage(0.0))


def _profile(name: str, stages: dict[str, Stage]) -> Profile:
    unknown = set(stages) - set(TRANSITIONS)
    if unknown:
        raise ValueError(f"unknown transitions: {sorted(unknown)}")
    return Profile(name, MappingProxyType(stages))


INSTANT: Final = _profile("instant", {t: Stage(0.0) for t in TRANSITIONS})

REALISTIC: Final = _profile(
    "realistic",
    {
        VM_CREATE: Stage(45, 15),
        VM_DELETE: Stage(30, 10),
        VM_START: Stage(20, 5),
        VM_STOP: Stage(15, 5),
        VM_DEALLOCATE: Stage(30, 10),
        VM_RESTART: Stage(25, 5),
        VM_REIMAGE: Stage(60, 15),
        VM_UPDATE: Stage(30, 10),
        VM_REDEPLOY: Stage(90, 20),
        EXTENSION_APPLY: Stage(20, 10),
        VMSS_CREATE: Stage(5, 2),
        VMSS_UPDATE: Stage(3, 1),
        VMSS_DELETE: Stage(10, 3),
        NETWORK_RESOURCE_CREATE: Stage(3, 1),
        NETWORK_RESOURCE_DELETE: Stage(5, 2),
        RG_DELETE: Stage(20, 5),
    },
)

PROFILES: Final[Mapping[str, Profile]] = MappingProxyType({p.name: p for p in (INSTANT, REALISTIC)})


def scaled(profile: Profile, factor: float) -> Profile:
    """`profile` with every delay and jitter multiplied by `factor` (>= 0)."""
    if factor < 0:
        raise ValueError("factor must be non-negative")
    stages = {t: Stage(s.delay_s * factor, s.jitter_s * factor) for t, s in profile.stages.items()}
    return Profile(f"{profile.name}x{factor:g}", MappingProxyType(stages))


def _unit(seed: int, transition: str) -> float:
    """A deterministic number in [0, 1) from (seed, transition); independent of PYTHONHASHSEED."""
    digest = hashlib.blake2b(f"{seed}:{transition}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def delay(profile: Profile, transition: str, seed: int) -> float:
    """Seconds `transition` takes under `profile`; the same seed always gives the same answer.

    Use a per-resource seed (e.g. a hash of the resource id plus an operation counter) so that a scale-out
    of many VMs finishes at spread-out, reproducible times.
    """
    if transition not in TRANSITIONS:
        raise ValueError(f"unknown transition {transition!r}")
    stage = profile.stage(transition)
    offset = (2 * _unit(seed, transition) - 1) * stage.jitter_s
    return max(0.0, stage.delay_s + offset)


# -- states shown while a transition runs ---------------------------------------------------------


@dataclass(frozen=True)
class TransitionStates:
    """What a VM shows during and after a transition.

    `provisioning` is the ARM provisioningState while it runs (it ends "Succeeded"); `power_during` and
    `power_after` are PowerState codes without the prefix, None meaning "unchanged" (or, for deletes,
    that the resource disappears).
    """

    provisioning: str
    power_during: str | None
    power_after: str | None


_STATES: Final[Mapping[str, TransitionStates]] = MappingProxyType(
    {
        VM_CREATE: TransitionStates("Creating", "starting", "running"),
        VM_DELETE: TransitionStates("Deleting", "stopping", None),
        VM_START: TransitionStates("Updating", "starting", "running"),
        VM_STOP: TransitionStates("Updating", "stopping", "stopped"),
        VM_DEALLOCATE: TransitionStates("Updating", "deallocating", "deallocated"),
        VM_RESTART: TransitionStates("Updating", "starting", "running"),
        VM_REIMAGE: TransitionStates("Updating", "starting", "running"),
        VM_UPDATE: TransitionStates("Updating", None, None),
        VM_REDEPLOY: TransitionStates("Updating", "starting", "running"),
        EXTENSION_APPLY: TransitionStates("Updating", None, None),
        VMSS_CREATE: TransitionStates("Creating", None, None),
        VMSS_UPDATE: TransitionStates("Updating", None, None),
        VMSS_DELETE: TransitionStates("Deleting", None, None),
        # The Network RP reports "Updating" while it creates a resource too.
        NETWORK_RESOURCE_CREATE: TransitionStates("Updating", None, None),
        NETWORK_RESOURCE_DELETE: TransitionStates("Deleting", None, None),
        RG_DELETE: TransitionStates("Deleting", None, None),
    }
)


def transition_states(transition: str) -> TransitionStates:
    """Provisioning and power states for `transition` (see `TransitionStates`)."""
    return _STATES[transition]


POWER_DISPLAY: Final[Mapping[str, str]] = MappingProxyType(
    {
        "running": "VM running",
        "starting": "VM starting",
        "stopping": "VM stopping",
        "stopped": "VM stopped",
        "deallocating": "VM deallocating",
        "deallocated": "VM deallocated",
    }
)

PROVISIONING_DISPLAY: Final[Mapping[str, str]] = MappingProxyType(
    {
        "succeeded": "Provisioning succeeded",
        "failed": "Provisioning failed",
        "creating": "Creating",
        "updating": "Updating",
        "deleting": "Deleting",
        "canceled": "Canceled",
    }
)


def power_status(state: str) -> dict[str, Any]:
    """The instance-view status for a power state, e.g. `{"code": "PowerState/running", ...}` (no `time`:
    Azure omits it on power states)."""
    key = state.lower()
    return {"code": f"PowerState/{key}", "level": "Info", "displayStatus": POWER_DISPLAY[key]}


def provisioning_status(state: str, time: str | None = None) -> dict[str, Any]:
    """The instance-view status for a provisioning state ("Succeeded" -> "ProvisioningState/succeeded")."""
    key = state.lower()
    status: dict[str, Any] = {
        "code": f"ProvisioningState/{key}",
        "level": "Error" if key == "failed" else "Info",
        "displayStatus": PROVISIONING_DISPLAY[key],
    }
    if time is not None:
        status["time"] = time
    return status

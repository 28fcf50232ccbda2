"""Lifecycle profiles, deterministic delays, transitional states and display strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmss_emulator.domain.lifecycle import (
    INSTANT,
    PROFILES,
    REALISTIC,
    TRANSITIONS,
    VM_CREATE,
    VM_DEALLOCATE,
    VM_START,
    VM_STOP,
    VM_UPDATE,
    TransitionStates,
    delay,
    power_status,
    provisioning_status,
    scaled,
    transition_states,
)


@pytest.mark.parametrize("transition", TRANSITIONS)
def test_instant_profile_takes_no_time(transition: str) -> None:
    assert delay(INSTANT, transition, seed=123) == 0.0


@pytest.mark.parametrize("transition", TRANSITIONS)
def test_realistic_profile_lists_every_transition(transition: str) -> None:
    assert transition in REALISTIC.stages


@pytest.mark.parametrize(
    ("transition", "low", "high"),
    [
        pytest.param(VM_CREATE, 30, 60, id="create"),
        pytest.param(VM_START, 15, 25, id="start"),
        pytest.param(VM_DEALLOCATE, 20, 40, id="deallocate"),
    ],
)
def test_realistic_delays_stay_within_jitter(transition: str, low: float, high: float) -> None:
    values = [delay(REALISTIC, transition, seed) for seed in range(200)]
    assert all(low <= v <= high for v in values)
    assert len(set(values)) > 100  # jitter really spreads them


@given(seed=st.integers(min_value=0, max_value=2**63), transition=st.sampled_from(TRANSITIONS))
def test_delay_is_deterministic_and_non_negative(seed: int, transition: str) -> None:
    first = delay(REALISTIC, transition, seed)
    assert first == delay(REALISTIC, transition, seed)
    assert first >= 0.0


@pytest.mark.parametrize(
    ("factor", "expected"),
    [pytest.param(0.1, 4.5, id="tenth"), pytest.param(2, 90.0, id="double"), pytest.param(0, 0.0, id="zero")],
)
def test_scaled(factor: float, expected: float) -> None:
    profile = scaled(REALISTIC, factor)
    assert profile.stage(VM_CREATE).delay_s == pytest.approx(expected)
    assert profile.stage(VM_CREATE).jitter_s == pytest.approx(15 * factor)


def test_scaled_rejects_negative() -> None:
    with pytest.raises(ValueError):
        scaled(REALISTIC, -1)


def test_unknown_transition() -> None:
    with pytest.raises(ValueError):
        delay(REALISTIC, "vm_teleport", 1)


def test_profiles_by_name() -> None:
    assert PROFILES["instant"] is INSTANT and PROFILES["realistic"] is REALISTIC


@pytest.mark.parametrize(
    ("transition", "expected"),
    [
        pytest.param(VM_CREATE, TransitionStates("Creating", "starting", "running"), id="create"),
        pytest.param(VM_START, TransitionStates("Updating", "starting", "running"), id="start"),
        pytest.param(VM_STOP, TransitionStates("Updating", "stopping", "stopped"), id="power-off"),
        pytest.param(VM_DEALLOCATE, TransitionStates("Updating", "deallocating", "deallocated"), id="deallocate"),
        pytest.param(VM_UPDATE, TransitionStates("Updating", None, None), id="model-upgrade-keeps-power"),
    ],
)
def test_transition_states(transition: str, expected: TransitionStates) -> None:
    assert transition_states(transition) == expected


@pytest.mark.parametrize("transition", TRANSITIONS)
def test_every_transition_has_states(transition: str) -> None:
    states = transition_states(transition)
    assert states.provisioning in {"Creating", "Updating", "Deleting"}
    for power in (states.power_during, states.power_after):
        if power is not None:
            power_status(power)  # has a display string


@pytest.mark.parametrize(
    ("state", "display"),
    [
        pytest.param("running", "VM running", id="running"),
        pytest.param("deallocated", "VM deallocated", id="deallocated"),
        pytest.param("stopped", "VM stopped", id="stopped"),
        pytest.param("starting", "VM starting", id="starting"),
        pytest.param("stopping", "VM stopping", id="stopping"),
        pytest.param("Deallocating", "VM deallocating", id="deallocating-any-case"),
    ],
)
def test_power_status(state: str, display: str) -> None:
    assert power_status(state) == {"code": f"PowerState/{state.lower()}", "level": "Info", "displayStatus": display}


@pytest.mark.parametrize(
    ("state", "code", "display", "level"),
    [
        pytest.param("Succeeded", "ProvisioningState/succeeded", "Provisioning succeeded", "Info", id="succeeded"),
        pytest.param("Creating", "ProvisioningState/creating", "Creating", "Info", id="creating"),
        pytest.param("Updating", "ProvisioningState/updating", "Updating", "Info", id="updating"),
        pytest.param("Deleting", "ProvisioningState/deleting", "Deleting", "Info", id="deleting"),
        pytest.param("Failed", "ProvisioningState/failed", "Provisioning failed", "Error", id="failed"),
    ],
)
def test_provisioning_status(state: str, code: str, display: str, level: str) -> None:
    assert provisioning_status(state, time="2024-01-01T00:00:00+00:00") == {
        "code": code,
        "level": level,
        "displayStatus": display,
        "time": "2024-01-01T00:00:00+00:00",
    }
    assert "time" not in provisioning_status(state)

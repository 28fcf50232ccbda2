"""Rolling / automatic / manual upgrade planners."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmss_emulator.domain.compute.upgrade import (
    UNHEALTHY_FAULT_CODE,
    UPGRADED_FAULT_CODE,
    Completed,
    Faulted,
    InstanceState,
    NextBatch,
    RollingDecision,
    RollingPolicy,
    RollingProgress,
    batch_cap,
    plan_automatic,
    plan_manual,
    plan_rolling,
)
from vmss_emulator.domain.errors import InvalidParameter


def fleet(n: int, unhealthy: frozenset[int] = frozenset(), up_to_date: frozenset[int] = frozenset(),
          protected: frozenset[int] = frozenset()) -> list[InstanceState]:  # fmt: skip
    return [
        InstanceState(str(i), healthy=i not in unhealthy, up_to_date=i in up_to_date,
                      protected_from_scale_set_actions=i in protected)
        for i in range(n)
    ]  # fmt: skip


def ids(*numbers: int) -> frozenset[str]:
    return frozenset(str(n) for n in numbers)


@pytest.mark.parametrize(
    ("total", "pct", "cap"),
    [
        pytest.param(10, 20, 2, id="10-at-20"),
        pytest.param(3, 20, 1, id="tiny-set-min-one"),
        pytest.param(7, 50, 3, id="floor"),
        pytest.param(100, 5, 5, id="minimum-percent"),
        pytest.param(4, 100, 4, id="all-at-once"),
    ],
)
def test_batch_cap(total: int, pct: int, cap: int) -> None:
    assert batch_cap(total, pct) == cap


@pytest.mark.parametrize(
    ("instances", "policy", "progress", "expected"),
    [
        pytest.param(fleet(10), RollingPolicy(), RollingProgress(), NextBatch(("0", "1")), id="first-batch"),
        pytest.param(fleet(10), RollingPolicy(), RollingProgress(upgraded=ids(0, 1)), NextBatch(("2", "3")),
                     id="second-batch"),
        pytest.param(fleet(12), RollingPolicy(), RollingProgress(upgraded=ids(*range(10))), NextBatch(("10", "11")),
                     id="numeric-id-order"),
        pytest.param(fleet(10), RollingPolicy(), RollingProgress(upgraded=ids(*range(10))), Completed(),
                     id="all-done"),
        pytest.param(fleet(10, up_to_date=frozenset(range(10))), RollingPolicy(), RollingProgress(), Completed(),
                     id="nothing-out-of-date"),
        pytest.param(fleet(10, up_to_date=frozenset({0, 1})), RollingPolicy(), RollingProgress(),
                     NextBatch(("2", "3")), id="skips-up-to-date"),
        pytest.param(fleet(10, protected=frozenset({0})), RollingPolicy(), RollingProgress(), NextBatch(("1", "2")),
                     id="skips-protected"),
        # The worked example of the module docstring: 10 instances, instance 3 unhealthy.
        pytest.param(fleet(10, unhealthy=frozenset({3})), RollingPolicy(), RollingProgress(), NextBatch(("0",)),
                     id="unhealthy-shrinks-batch"),
        pytest.param(fleet(10, unhealthy=frozenset({3})), RollingPolicy(prioritize_unhealthy_instances=True),
                     RollingProgress(), NextBatch(("3", "0")), id="prioritize-unhealthy"),
        pytest.param(fleet(10), RollingPolicy(max_batch_instance_percent=50, max_unhealthy_instance_percent=50),
                     RollingProgress(), NextBatch(("0", "1", "2", "3", "4")), id="bigger-batches"),
        pytest.param(fleet(4), RollingPolicy(), RollingProgress(), NextBatch(("0",)), id="zero-budget-still-moves"),
    ],
)  # fmt: skip
def test_plan_rolling(
    instances: list[InstanceState], policy: RollingPolicy, progress: RollingProgress, expected: RollingDecision
) -> None:
    assert plan_rolling(instances, policy, progress) == expected


def test_faults_before_a_batch_when_too_many_unhealthy() -> None:
    decision = plan_rolling(fleet(10, unhealthy=frozenset({1, 2, 3})))
    assert isinstance(decision, Faulted)
    assert decision.code == UNHEALTHY_FAULT_CODE
    assert decision.message == (
        "Rolling Upgrade failed after exceeding the MaxUnhealthyInstancePercent value defined in the "
        "RollingUpgradePolicy. 30% of instances are in an unhealthy state - more than the threshold of 20%. "
        "To apply upgrades, consider increasing the MaxUnhealthyInstancePercent value."
    )


def test_exactly_at_threshold_is_allowed() -> None:
    assert isinstance(plan_rolling(fleet(10, unhealthy=frozenset({1, 2}))), NextBatch)


def test_faults_after_a_batch_when_upgraded_instances_are_unhealthy() -> None:
    # Batch [0, 1] upgraded; 1 came back unhealthy: 50% of upgraded > 20%.
    decision = plan_rolling(fleet(10, unhealthy=frozenset({1})), RollingPolicy(), RollingProgress(upgraded=ids(0, 1)))
    assert isinstance(decision, Faulted)
    assert decision.code == UPGRADED_FAULT_CODE
    assert decision.first_failed_instance_id == "1"
    assert decision.message == (
        "Rolling Upgrade failed after exceeding the MaxUnhealthyUpgradedInstancePercent value defined in the "
        "RollingUpgradePolicy. 50% of instances are in an unhealthy state after being upgraded - more than the "
        "threshold of 20%. The most impactful error is: Instance found to be unhealthy or unreachable.. "
        "First failed instance ID is: 1."
    )
    assert decision.to_error_body() == {"code": UPGRADED_FAULT_CODE, "message": decision.message}


def test_reported_failures_count_even_if_healthy_now() -> None:
    decision = plan_rolling(fleet(10), RollingPolicy(), RollingProgress(upgraded=ids(0, 1), failed=ids(0)))
    assert isinstance(decision, Faulted) and decision.first_failed_instance_id == "0"


def test_upgraded_gate_tolerates_failures_within_threshold() -> None:
    policy = RollingPolicy(max_unhealthy_upgraded_instance_percent=50, max_unhealthy_instance_percent=30)
    decision = plan_rolling(fleet(10, unhealthy=frozenset({1})), policy, RollingProgress(upgraded=ids(0, 1)))
    assert isinstance(decision, NextBatch)


def test_last_batch_failure_still_faults() -> None:
    decision = plan_rolling(fleet(2, unhealthy=frozenset({0})), RollingPolicy(), RollingProgress(upgraded=ids(0, 1)))
    assert isinstance(decision, Faulted) and decision.code == UPGRADED_FAULT_CODE


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        pytest.param(None, RollingPolicy(20, 20, 20, False), id="absent"),
        pytest.param({}, RollingPolicy(20, 20, 20, False), id="empty"),
        pytest.param({"maxBatchInstancePercent": 50, "maxUnhealthyInstancePercent": None,
                      "prioritizeUnhealthyInstances": True}, RollingPolicy(50, 20, 20, True), id="partial"),
    ],
)  # fmt: skip
def test_policy_from_wire(wire: dict[str, object] | None, expected: RollingPolicy) -> None:
    assert RollingPolicy.from_wire(wire) == expected


@given(
    n=st.integers(min_value=1, max_value=60),
    pct=st.integers(min_value=5, max_value=100),
    up_to_date=st.frozensets(st.integers(min_value=0, max_value=59)),
    protected=st.frozensets(st.integers(min_value=0, max_value=59), max_size=5),
)
def test_healthy_rollout_covers_every_instance_once(
    n: int, pct: int, up_to_date: frozenset[int], protected: frozenset[int]
) -> None:
    instances = fleet(n, up_to_date=up_to_date, protected=protected)
    policy = RollingPolicy(max_batch_instance_percent=pct, max_unhealthy_instance_percent=100)
    upgraded: list[str] = []
    for _ in range(n + 1):
        decision = plan_rolling(instances, policy, RollingProgress(upgraded=frozenset(upgraded)))
        if isinstance(decision, Completed):
            break
        assert isinstance(decision, NextBatch)
        assert 1 <= len(decision.instance_ids) <= max(1, n * pct // 100)
        upgraded += decision.instance_ids
    else:
        pytest.fail("rolling upgrade did not complete")
    expected = {i.instance_id for i in instances if not i.up_to_date and not i.protected_from_scale_set_actions}
    assert sorted(upgraded) == sorted(expected)
    assert len(upgraded) == len(set(upgraded))


def test_plan_automatic() -> None:
    instances = fleet(12, up_to_date=frozenset({1}), protected=frozenset({2}))
    assert plan_automatic(instances) == ("0", "3", "4", "5", "6", "7", "8", "9", "10", "11")


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        pytest.param(["0", "2"], ("0", "2"), id="out-of-date"),
        pytest.param(["1", "0"], ("0",), id="up-to-date-is-noop"),
        pytest.param([], (), id="none"),
    ],
)
def test_plan_manual(requested: list[str], expected: tuple[str, ...]) -> None:
    assert plan_manual(fleet(3, up_to_date=frozenset({1})), requested) == expected


def test_plan_manual_unknown_instance() -> None:
    with pytest.raises(InvalidParameter) as info:
        plan_manual(fleet(3), ["0", "7"])
    assert info.value.status == 400
    assert info.value.target == "instanceIds"
    assert "7" in info.value.message

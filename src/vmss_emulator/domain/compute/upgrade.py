"""Upgrade planners: which instances to bring to the latest model next. Pure.

Upgrade modes (seed vmss-modify; learn.microsoft.com "set upgrade policy"):
- Automatic: every out-of-date instance may be upgraded at once, in no particular order -> `plan_automatic`.
- Manual: nothing happens until `manualupgrade` names instances -> `plan_manual`.
- Rolling: batches with health gates -> `plan_rolling`, called by the engine before every batch; the engine
  applies `pauseTimeBetweenBatches` between calls and feeds back which instances it upgraded.

Rolling policy semantics (RollingUpgradePolicy docstrings in the SDK / REST reference):
- maxBatchInstancePercent (default 20): "the maximum percent of total virtual machine instances that will be
  upgraded simultaneously ... in one batch. As this is a maximum, unhealthy instances in previous or future
  batches can cause the percentage of instances in a batch to decrease to ensure higher reliability."
- maxUnhealthyInstancePercent (default 20): the share of *all* instances that may be unhealthy, "either as a
  result of being upgraded, or by being found in an unhealthy state"; "checked prior to starting any batch".
- maxUnhealthyUpgradedInstancePercent (default 20): the share of *upgraded* instances found unhealthy;
  "This check will happen after each batch is upgraded."
- prioritizeUnhealthyInstances: "Upgrade all unhealthy instances in a scale set before any healthy instances."
- Instances with protectFromScaleSetActions are left out of scale-set upgrades.

Batch size. Azure does not document its rounding. We use floor(total * pct / 100) with a minimum of one, so a
batch never exceeds the stated maximum percent (except the unavoidable single instance of a tiny set), and
then shrink it so that instances being upgraded (unavailable while they are) plus instances already unhealthy
stay within floor(total * maxUnhealthyInstancePercent / 100) -- the "unhealthy instances ... can cause the
percentage of instances in a batch to decrease" rule. A batch always has at least one instance when the health
gate passed, so an upgrade can always make progress.

Worked example: 10 instances, defaults (20/20/20), instance 3 unhealthy, all out of date.
  cap = floor(10 * 20 / 100) = 2; unhealthy budget = floor(10 * 20 / 100) = 2.
  Gate before batch 1: 1 of 10 unhealthy = 10% <= 20% -> go on.
  Batch 1: candidates 0, 1, 2, 4, ... (healthy ones in id order; 3 goes where its id puts it unless
  prioritized). Taking 0 makes {3, 0} unavailable = 2 <= 2; taking 1 would make 3 > 2 -> batch is [0].
  With prioritizeUnhealthyInstances the unhealthy 3 comes first and costs no extra budget -> batch [3, 0].
  After a batch, if 1 of the 2 upgraded instances is unhealthy, 50% > 20% -> Faulted with
  MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade.

Fault codes and messages are Azure's (microsoft/AzureTRE#1591, opencb/opencga#987):
  MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade: "Rolling Upgrade failed after exceeding the
  MaxUnhealthyUpgradedInstancePercent value defined in the RollingUpgradePolicy. 100% of instances are in an
  unhealthy state after being upgraded - more than the threshold of 10%. The most impactful error is:
  Instance found to be unhealthy or unreachable.. First failed instance ID is: 0."
  MaxUnhealthyInstancePercentExceededInRollingUpgrade: "Rolling Upgrade failed after exceeding the
  MaxUnhealthyInstancePercent value defined in the RollingUpgradePolicy. 100% of instances are in an unhealthy
  state - more than the threshold of 20%. To apply upgrades, consider increasing the MaxUnhealthyInstancePercent
  value."
Percentages in messages are rounded to whole numbers (Azure's rounding is not documented).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vmss_emulator.domain.errors import InvalidParameter

UPGRADED_FAULT_CODE = "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"
UNHEALTHY_FAULT_CODE = "MaxUnhealthyInstancePercentExceededInRollingUpgrade"
UNHEALTHY_INSTANCE_ERROR = "Instance found to be unhealthy or unreachable."


@dataclass(frozen=True)
class InstanceState:
    """What the planner needs to know about one VMSS instance."""

    instance_id: str
    healthy: bool = True
    up_to_date: bool = False
    protected_from_scale_set_actions: bool = False


@dataclass(frozen=True)
class RollingPolicy:
    """`upgradePolicy.rollingUpgradePolicy` with Azure's defaults (pauseTimeBetweenBatches is the engine's)."""

    max_batch_instance_percent: int = 20
    max_unhealthy_instance_percent: int = 20
    max_unhealthy_upgraded_instance_percent: int = 20
    prioritize_unhealthy_instances: bool = False

    @classmethod
    def from_wire(cls, policy: Mapping[str, Any] | None) -> RollingPolicy:
        """Build from the ARM `rollingUpgradePolicy` object; missing members take the defaults."""
        policy = policy or {}
        defaults = cls()

        def pick(name: str, default: int) -> int:
            value = policy.get(name)
            return default if value is None else int(value)

        return cls(
            pick("maxBatchInstancePercent", defaults.max_batch_instance_percent),
            pick("maxUnhealthyInstancePercent", defaults.max_unhealthy_instance_percent),
            pick("maxUnhealthyUpgradedInstancePercent", defaults.max_unhealthy_upgraded_instance_percent),
            bool(policy.get("prioritizeUnhealthyInstances") or False),
        )


@dataclass(frozen=True)
class RollingProgress:
    """What the engine has done so far in this rolling upgrade.

    `failed` lists upgraded instances the engine saw fail; upgraded instances that are now unhealthy count as
    failed too, so the engine may pass either or both.
    """

    upgraded: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NextBatch:
    instance_ids: tuple[str, ...]


@dataclass(frozen=True)
class Completed:
    pass


@dataclass(frozen=True)
class Faulted:
    code: str
    message: str
    first_failed_instance_id: str | None = None

    def to_error_body(self) -> dict[str, Any]:
        """The `error` object of the rolling upgrade status / the failed operation."""
        return {"code": self.code, "message": self.message}


RollingDecision = NextBatch | Completed | Faulted


def _id_key(instance_id: str) -> tuple[int, int, str]:
    # Uniform instance ids are decimal strings ("10" after "9"); Flexible ids are VM names.
    return (0, int(instance_id), "") if instance_id.isdigit() else (1, 0, instance_id)


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def batch_cap(total: int, max_batch_instance_percent: int) -> int:
    """Largest batch the policy allows: floor(total * pct / 100), at least 1."""
    return max(1, total * max_batch_instance_percent // 100)


def plan_rolling(
    instances: Sequence[InstanceState],
    policy: RollingPolicy = RollingPolicy(),
    progress: RollingProgress = RollingProgress(),
) -> RollingDecision:
    """The next step of a rolling upgrade: a batch to upgrade, Completed, or Faulted (see module docstring)."""
    total = len(instances)
    by_id = {i.instance_id: i for i in instances}
    unhealthy = {i.instance_id for i in instances if not i.healthy}

    # 1. After a batch: health of what has been upgraded so far.
    upgraded = [i for i in progress.upgraded if i in by_id]
    failed = sorted(
        {i for i in upgraded if i in progress.failed or i in unhealthy},
        key=_id_key,
    )
    upgraded_pct = _percent(len(failed), len(upgraded))
    if failed and upgraded_pct > policy.max_unhealthy_upgraded_instance_percent:
        return Faulted(
            UPGRADED_FAULT_CODE,
            "Rolling Upgrade failed after exceeding the MaxUnhealthyUpgradedInstancePercent value defined in the "
            f"RollingUpgradePolicy. {round(upgraded_pct)}% of instances are in an unhealthy state after being "
            f"upgraded - more than the threshold of {policy.max_unhealthy_upgraded_instance_percent}%. The most "
            f"impactful error is: {UNHEALTHY_INSTANCE_ERROR}. First failed instance ID is: {failed[0]}.",
            failed[0],
        )

    pending = [
        i
        for i in instances
        if not i.up_to_date and not i.protected_from_scale_set_actions and i.instance_id not in progress.upgraded
    ]
    if not pending:
        return Completed()

    # 2. Before a batch: health of the whole scale set.
    unhealthy_pct = _percent(len(unhealthy), total)
    if unhealthy_pct > policy.max_unhealthy_instance_percent:
        return Faulted(
            UNHEALTHY_FAULT_CODE,
            "Rolling Upgrade failed after exceeding the MaxUnhealthyInstancePercent value defined in the "
            f"RollingUpgradePolicy. {round(unhealthy_pct)}% of instances are in an unhealthy state - more than the "
            f"threshold of {policy.max_unhealthy_instance_percent}%. To apply upgrades, consider increasing the "
            "MaxUnhealthyInstancePercent value.",
        )

    # 3. Pick the batch: order, then fill up to the cap while the unavailable count fits the budget.
    if policy.prioritize_unhealthy_instances:
        pending.sort(key=lambda i: (i.healthy, _id_key(i.instance_id)))
    else:
        pending.sort(key=lambda i: _id_key(i.instance_id))
    cap = batch_cap(total, policy.max_batch_instance_percent)
    budget = total * policy.max_unhealthy_instance_percent // 100
    batch: list[str] = []
    unavailable = len(unhealthy)
    for instance in pending:
        if len(batch) == cap:
            break
        extra = 0 if instance.instance_id in unhealthy else 1
        if batch and unavailable + extra > budget:
            # Stop rather than skip ahead: batches follow the chosen order strictly.
            break
        batch.append(instance.instance_id)
        unavailable += extra
    return NextBatch(tuple(batch))


def plan_automatic(instances: Iterable[InstanceState]) -> tuple[str, ...]:
    """Automatic mode: every out-of-date, unprotected instance, all at once (id order for determinism)."""
    ids = [i.instance_id for i in instances if not i.up_to_date and not i.protected_from_scale_set_actions]
    return tuple(sorted(ids, key=_id_key))


def plan_manual(instances: Iterable[InstanceState], requested: Collection[str]) -> tuple[str, ...]:
    """`manualupgrade` / `az vmss update-instances`: the requested instances that are out of date.

    Every requested id must exist: Azure answers 400 `InvalidParameter` with target `instanceIds`
    (docs/arm-reference.md §4; exact message **[UNVERIFIED]**). Up-to-date instances are a no-op.
    """
    by_id = {i.instance_id: i for i in instances}
    unknown = sorted((r for r in requested if r not in by_id), key=_id_key)
    if unknown:
        raise InvalidParameter(
            f"The provided instanceId {unknown[0]} is not an active Virtual Machine Scale Set VM instanceId.",
            target="instanceIds",
        )
    return tuple(sorted({r for r in requested if not by_id[r].up_to_date}, key=_id_key))

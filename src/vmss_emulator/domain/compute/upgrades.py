"""Operation workers that move VMs: transitions finishing (reconcile), the upgrade policy, rolling upgrades.

- `compute.reconcile`: finishes VM transitions (create, start, deallocate, delete ...) as they fall due, then
  marks the scale set Succeeded if the operation was a PUT/PATCH.
- Upgrade policy after a model change (seed: "最新のスケール セット モデルで VM を最新の状態にする方法"):
  Manual leaves VMs alone, Automatic updates every out-of-date VM at once, Rolling starts a rolling upgrade.
- `compute.rolling`: batches from `upgrade.plan_rolling`, `pauseTimeBetweenBatches` waited on the clock,
  health gates read through the `instance_health` service, cancel honoured after the current batch.
  Its status (`rollingUpgrades/latest`) lives in the scale set's state under "rolling".
"""

from __future__ import annotations

from typing import Any

import isodate

from vmss_emulator._utils.clock import iso
from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.compute import history, instances, model
from vmss_emulator.domain.compute.upgrade import (
    Completed,
    Faulted,
    InstanceState,
    NextBatch,
    RollingPolicy,
    RollingProgress,
    plan_automatic,
    plan_rolling,
)
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.contracts import INSTANCE_HEALTH
from vmss_emulator.domain.errors import Conflict, OperationNotAllowed
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.operations import IN_PROGRESS
from vmss_emulator.store import OperationRecord, Record

RECONCILE_KIND = "compute.reconcile"
ROLLING_KIND = "compute.rolling"
NAMESPACE = "Microsoft.Compute"


class RollingUpgradeFailed(Conflict):
    """A rolling upgrade that faulted; the code is the planner's (MaxUnhealthy...InRollingUpgrade)."""


def _current(ctx: Context, op: OperationRecord) -> OperationRecord | None:
    """The operation as stored now, if its step is still due; None when there is nothing to do.

    A step may be handed a copy read before another caller advanced the operation: an SDK poller polls from its
    own thread (the in-process transport) while a test settles the emulator on the main one, and the second
    caller waits on the store's transaction lock with the stale copy. Running that copy would replay an old
    step (upgrade the same VMs again, record a second OS upgrade history entry). Workers run inside the store's
    transaction, so the copy read here cannot change under them.
    """
    current = ctx.ops().get(op.id)
    if current is None or current.status != IN_PROGRESS or current.due_at is None or current.due_at > ctx.now():
        return None
    return current


# -- reconcile ------------------------------------------------------------------------------------


def start_reconcile(
    ctx: Context,
    vmss: Record,
    dues: list[float | None],
    *,
    instance_ids: list[str] | None = None,
    settle_scale_set: bool = False,
    result: dict[str, Any] | None = None,
) -> OperationRecord:
    """An operation that ends when every transition started by this call has finished (with `result`, if any,
    as the operation's final body)."""
    pending = [d for d in dues if d is not None]
    op = ctx.ops().start(
        RECONCILE_KIND,
        resource_id=vmss.id,
        namespace=NAMESPACE,
        location=str(vmss.body["location"]),
        data={"scaleSetId": vmss.id, "instanceIds": instance_ids, "settle": settle_scale_set, "result": result},
        due_at=min(pending) if pending else ctx.now(),
    )
    if not pending:
        # Nothing to wait for (instant lifecycle): the operation is already over.
        ctx.ops().finish(op, result)
    return op


def reconcile(ctx: Context, op: OperationRecord) -> None:
    fresh = _current(ctx, op)
    if fresh is None:
        return
    op = fresh
    data = op.body["data"]
    vmss = ctx.store.get(data["scaleSetId"])
    if vmss is None:
        ctx.ops().finish(op)
        return
    if data.get("instanceIds") is None:
        vms = instances.list_vms(ctx, vmss)
    else:
        vms = ctx.store.get_many([str(instances.vm_rid(vmss, i)) for i in data["instanceIds"]])
    next_due: list[float] = []
    for vm in vms:
        _, due = instances.complete_due(ctx, vmss, vm)
        if due is not None:
            next_due.append(due)
    if next_due:
        ctx.ops().wait_until(op, min(next_due))
        return
    if data.get("settle"):
        model.props(vmss.body)["provisioningState"] = "Succeeded"
        ctx.store.put(vmss)
    ctx.ops().finish(op, data.get("result"))


# -- the upgrade policy ---------------------------------------------------------------------------


def instance_states(ctx: Context, vmss: Record, vms: list[Record]) -> list[InstanceState]:
    health = ctx.services.get(INSTANCE_HEALTH)
    current = vmss.state.get("hash")
    out = []
    for vm in vms:
        protected = bool(model.dig(vm.body, "properties", "protectionPolicy", "protectFromScaleSetActions"))
        healthy = health.is_healthy(ctx, ResourceId.parse(vm.id)) if health is not None else True
        out.append(InstanceState(instances.instance_id_of(vm), healthy, vm.state.get("hash") == current, protected))
    return out


def apply_policy(ctx: Context, vmss: Record, vms: list[Record]) -> list[float | None]:
    """After a model change: what the upgrade policy does to existing VMs now. Returns transition dues."""
    mode = model.upgrade_mode(vmss.body)
    if mode == "Automatic":
        wanted = set(plan_automatic(instance_states(ctx, vmss, vms)))
        dues: list[float | None] = []
        for vm in vms:
            if instances.instance_id_of(vm) in wanted:
                instances.upgrade_vm(ctx, vmss, vm)
                dues.append(instances.begin(ctx, vm, lifecycle.VM_UPDATE))
                ctx.store.put(vm)
        return dues
    if mode == "Rolling" and vms:
        running = vmss.state.get("rolling") or {}
        if (running.get("runningStatus") or {}).get("code") != "RollingForward":
            start_rolling(ctx, vmss)
    return []


# -- rolling upgrades -----------------------------------------------------------------------------


def _policy_wire(vmss: Record) -> dict[str, Any]:
    policy = dict(model.ROLLING_DEFAULTS)
    policy.update(model.dig(vmss.body, "properties", "upgradePolicy", "rollingUpgradePolicy") or {})
    return policy


def start_rolling(ctx: Context, vmss: Record, *, kind: str = "model") -> OperationRecord:
    """Start a rolling upgrade; `kind` is "os" (osRollingUpgrade), "extension" or "model" (upgrade policy)."""
    status = vmss.state.get("rolling") or {}
    if (status.get("runningStatus") or {}).get("code") == "RollingForward":
        raise OperationNotAllowed(
            f"Rolling Upgrade is already in progress on Virtual Machine Scale Set '{ResourceId.parse(vmss.id).name}'."
        )
    now = iso(ctx.now())
    op = ctx.ops().start(
        ROLLING_KIND,
        resource_id=vmss.id,
        namespace=NAMESPACE,
        location=str(vmss.body["location"]),
        data={"scaleSetId": vmss.id, "upgraded": [], "batch": [], "phase": "plan"},
    )
    vmss.state["rolling"] = {
        "operationId": op.id,
        "kind": kind,
        "policy": _policy_wire(vmss),
        "runningStatus": {"code": "RollingForward", "startTime": now, "lastAction": "Start", "lastActionTime": now},
        "progress": {
            "successfulInstanceCount": 0,
            "failedInstanceCount": 0,
            "inProgressInstanceCount": 0,
            "pendingInstanceCount": 0,
        },
    }
    ctx.store.put(vmss)
    return op


def cancel_rolling(ctx: Context, vmss: Record) -> None:
    status = vmss.state.get("rolling") or {}
    if (status.get("runningStatus") or {}).get("code") != "RollingForward":
        raise OperationNotAllowed("There is no ongoing Rolling Upgrade to cancel.")
    status["cancelRequested"] = True
    ctx.store.put(vmss)
    op = ctx.ops().get(status["operationId"])
    if op is not None and op.body["data"].get("phase") != "batch":
        # Between batches (pausing): the cancel takes effect now rather than after the pause.
        ctx.ops().wait_until(op, ctx.now())


def _end(ctx: Context, vmss: Record, op: OperationRecord, code: str, error: dict[str, Any] | None = None) -> None:
    status = vmss.state["rolling"]
    now = iso(ctx.now())
    status["runningStatus"]["code"] = code
    status["runningStatus"]["endTime"] = now
    if code == "Cancelled":
        status["runningStatus"]["lastAction"] = "Cancel"
        status["runningStatus"]["lastActionTime"] = now
    if error is not None:
        status["error"] = error
    if status.get("kind") == "os":
        history.record(vmss, status)
    ctx.store.put(vmss)
    if code == "Faulted" and error is not None:
        ctx.ops().fail(op, RollingUpgradeFailed(error["message"], code=error["code"]))
    elif code == "Cancelled":
        ctx.ops().cancel(op, Conflict("The rolling upgrade was cancelled.", code="OperationPreempted"))
    else:
        ctx.ops().finish(op)


def rolling(ctx: Context, op: OperationRecord) -> None:
    fresh = _current(ctx, op)
    if fresh is None:
        return
    op = fresh
    data = op.body["data"]
    vmss = ctx.store.get(data["scaleSetId"])
    if vmss is None or not vmss.state.get("rolling"):
        ctx.ops().finish(op)
        return
    status = vmss.state["rolling"]
    vms = instances.list_vms(ctx, vmss)
    by_id = {instances.instance_id_of(vm): vm for vm in vms}
    current = vmss.state.get("hash")
    # A model change during the upgrade: VMs this run already brought to the previous model are out of date
    # again and go through a later batch (instances scaled in meanwhile drop out).
    data["upgraded"] = [i for i in data["upgraded"] if i in by_id and by_id[i].state.get("hash") == current]
    if data["phase"] == "batch":
        dues = []
        for instance_id in data["batch"]:
            vm = by_id.get(instance_id)
            if vm is not None:
                _, due = instances.complete_due(ctx, vmss, vm)
                if due is not None:
                    dues.append(due)
        if dues:
            ctx.ops().wait_until(op, min(dues))
            return
        data["upgraded"] = sorted(set(data["upgraded"]) | set(data["batch"]))
        data["batch"] = []
        data["phase"] = "plan"
        decision_after = _plan(ctx, vmss, vms, data)
        _progress(ctx, vmss, vms, data)
        if status.get("cancelRequested"):
            _end(ctx, vmss, op, "Cancelled")
            return
        if isinstance(decision_after, NextBatch):
            pause = isodate.parse_duration(status["policy"].get("pauseTimeBetweenBatches") or "PT0S").total_seconds()
            if pause > 0:
                data["phase"] = "pause"
                ctx.ops().wait_until(op, ctx.now() + pause)
                return
    elif status.get("cancelRequested"):
        _end(ctx, vmss, op, "Cancelled")
        return
    decision = _plan(ctx, vmss, vms, data)
    if isinstance(decision, Faulted):
        _progress(ctx, vmss, vms, data)
        _end(ctx, vmss, op, "Faulted", decision.to_error_body())
        return
    if isinstance(decision, Completed):
        _progress(ctx, vmss, vms, data)
        _end(ctx, vmss, op, "Completed")
        return
    data["batch"] = list(decision.instance_ids)
    data["phase"] = "batch"
    dues = []
    for instance_id in data["batch"]:
        vm = by_id[instance_id]
        instances.upgrade_vm(ctx, vmss, vm, reimage=_stale_image(vmss, vm))
        due = instances.begin(ctx, vm, lifecycle.VM_UPDATE)
        ctx.store.put(vm)
        if due is not None:
            dues.append(due)
    _progress(ctx, vmss, vms, data)
    ctx.ops().wait_until(op, max(dues) if dues else ctx.now())


def _stale_image(vmss: Record, vm: Record) -> bool:
    """An OS rolling upgrade also moves VMs to the model's image version (`latest`: the newest one)."""
    exact = model.dig(vm.body, "properties", "storageProfile", "imageReference", "exactVersion")
    target = history.target_image(vmss) or {}
    return bool(exact and target.get("version") and exact != target["version"])


def _plan(ctx: Context, vmss: Record, vms: list[Record], data: dict[str, Any]) -> Any:
    states = instance_states(ctx, vmss, vms)
    upgraded = set(data["upgraded"])
    # Instances the OS upgrade should move to the newest image count as out of date too.
    stale = {instances.instance_id_of(vm) for vm in vms if _stale_image(vmss, vm)}
    states = [
        InstanceState(
            s.instance_id, s.healthy, s.up_to_date and s.instance_id not in stale, s.protected_from_scale_set_actions
        )
        if s.instance_id not in upgraded
        else s
        for s in states
    ]
    policy = RollingPolicy.from_wire(vmss.state["rolling"]["policy"])
    return plan_rolling(states, policy, RollingProgress(upgraded=frozenset(upgraded)))


def _progress(ctx: Context, vmss: Record, vms: list[Record], data: dict[str, Any]) -> None:
    health = ctx.services.get(INSTANCE_HEALTH)
    upgraded = set(data["upgraded"])
    batch = set(data["batch"])
    failed = 0
    pending = 0
    current = vmss.state.get("hash")
    for vm in vms:
        instance_id = instances.instance_id_of(vm)
        if instance_id in upgraded:
            if health is not None and not health.is_healthy(ctx, ResourceId.parse(vm.id)):
                failed += 1
        elif instance_id not in batch and vm.state.get("hash") != current:
            protected = model.dig(vm.body, "properties", "protectionPolicy", "protectFromScaleSetActions")
            if not protected:
                pending += 1
    vmss.state["rolling"]["progress"] = {
        "successfulInstanceCount": len(upgraded) - failed,
        "failedInstanceCount": failed,
        "inProgressInstanceCount": len(batch),
        "pendingInstanceCount": pending,
    }
    ctx.store.put(vmss)


def latest_view(vmss: Record) -> dict[str, Any] | None:
    status = vmss.state.get("rolling")
    if not status:
        return None
    properties: dict[str, Any] = {
        "policy": status["policy"],
        "runningStatus": status["runningStatus"],
        "progress": status["progress"],
    }
    if status.get("error"):
        properties["error"] = status["error"]
    return {
        "properties": properties,
        "type": "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades",
        "location": vmss.body["location"],
        "id": f"{vmss.id}/rollingUpgrades/latest",
        "name": "latest",
    }


def register(ctx: Context) -> None:
    ctx.ops().register(RECONCILE_KIND, reconcile)
    ctx.ops().register(ROLLING_KIND, rolling)

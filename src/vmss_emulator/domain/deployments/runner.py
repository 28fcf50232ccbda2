"""The deployment worker: deploys a prepared template resource by resource, level-based.

Each step re-reads the deployment, re-prepares its template (pure and deterministic: the clock
reading is the deployment's start), then walks the resources in dependency order: a resource whose
condition holds starts as soon as every one of its own dependencies has succeeded (as Azure does,
not when a whole layer of unrelated resources has finished), evaluated with a resolver over the
emulator's real state and PUT through its registry type exactly as a REST request is. Running
resources' operations are watched (advanced when due, as a poll does).

A refusal or a failed resource operation fails the deployment with `DeploymentFailed` once every
resource not depending on it has been deployed: what was deployed stays, dependents never start.
Complete mode then deletes what the template does not name (`complete.py`, dependents first, each a
`Delete` deployment operation awaited before the deployment succeeds); outputs come last.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator._utils.clock import iso_z
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments import complete, tracking
from vmss_emulator.domain.deployments.apply import StoreResolver, put_resource
from vmss_emulator.domain.deployments.common import (
    CANCELED,
    DEPLOYMENT_FAILED_MESSAGE,
    FAILED,
    RUNNING,
    SUCCEEDED,
    camel_case,
    duration,
    failure_detail,
    operation_id,
)
from vmss_emulator.domain.deployments.plan import DeploymentRequest, prepare_deployment
from vmss_emulator.domain.errors import ArmError, DeploymentFailed
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.operations import TERMINAL
from vmss_emulator.domain.templates import PreparedDeployment, evaluate_outputs, evaluate_resource
from vmss_emulator.store import OperationRecord, Record

# How long the worker waits before looking again at resource operations the engine advances.


def advance(ctx: Context, op: OperationRecord) -> None:
    record = ctx.store.get(str(op.body["resourceId"]).lower())
    if record is None or record.body["properties"]["provisioningState"] in (CANCELED, FAILED, SUCCEEDED):
        if op.status not in TERMINAL:
            ctx.ops().finish(op)
        return
    try:
        _advance(ctx, op, record)
    except ArmError as error:  # the deployment fails visibly, never stays Running
        _fail(ctx, record, op, error)


def _advance(ctx: Context, op: OperationRecord, record: Record) -> None:
    state = record.state
    request = DeploymentRequest(**state["request"])
    rid = ResourceId.parse(record.id)
    prepared = prepare_deployment(ctx, rid, request, float(state["startedAt"]))
    record.body["properties"]["provisioningState"] = RUNNING
    resolver = StoreResolver(ctx)
    waiting = _step_resources(ctx, prepared, state, resolver)
    if waiting is None and not _failed(state) and request.mode == "Complete":
        if "deletePlan" not in state:  # fixed once: what the group held when the template was deployed
            state["deletePlan"] = complete.plan_deletes(ctx, record.id, prepared)
        waiting = complete.step_deletes(ctx, state)
    if waiting is not None:
        _save(ctx, record)
        ctx.ops().wait_until(op, max(min(waiting, ctx.now() + tracking.RECHECK_SECONDS), ctx.now()))
        return
    failed = _failed(state)
    if failed:
        details = [failure_detail(e["id"], e["error"], int(e["statusCode"])) for e in failed]
        _fail(ctx, record, op, DeploymentFailed(DEPLOYMENT_FAILED_MESSAGE, target=record.id, details=details))
        return
    try:
        outputs = evaluate_outputs(prepared, resolver)
    except ArmError as error:
        failure = DeploymentFailed(
            error.message, target=record.id, details=error.details, code="DeploymentOutputEvaluationFailed"
        )
        _fail(ctx, record, op, failure)
        return
    properties = record.body["properties"]
    properties["outputs"] = {camel_case(name): value for name, value in outputs.items()}
    properties["outputResources"] = [
        {"id": entry["id"]}
        for entry in sorted(state["resources"].values(), key=lambda e: str(e["id"]).lower())
        if entry["state"] == SUCCEEDED
    ]
    _end(ctx, record, SUCCEEDED)
    ctx.ops().finish(op)


def _failed(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Failed resource writes, then failed Complete-mode deletes, in the order they started."""
    entries = [*state["resources"].values(), *state.get("deletes", {}).values()]
    return [entry for entry in entries if entry["state"] == FAILED]


def _step_resources(
    ctx: Context, prepared: PreparedDeployment, state: dict[str, Any], resolver: StoreResolver
) -> float | None:
    """Start every resource whose dependencies succeeded, watch running ones; next look, or None when done.

    The walk is in topological order, so a dependency that finishes during the walk lets its
    dependents start in the same step; an unrelated slow resource never holds them back.
    """
    soonest: float | None = None
    blocked: list[str] = state.setdefault("blocked", [])
    for batch in prepared.batches:
        for resource_id in batch:
            planned = prepared.resource(resource_id)
            key = resource_id.lower()
            if not planned.condition or key in blocked:
                continue
            entry = state["resources"].get(key)
            if entry is None and _blocked(planned.depends_on, state):
                # A dependency failed: Azure never starts this resource (no operation), others go on.
                blocked.append(key)
                continue
            if entry is None and not _ready(prepared, planned.depends_on, state):
                continue  # a dependency is still running: its due time is already in `soonest`
            if entry is None:
                entry = _start(ctx, prepared, resource_id, resolver)
                state["resources"][key] = entry
            if entry["state"] == RUNNING:
                due = tracking.watch(ctx, entry, "write")
                if due is not None:
                    soonest = due if soonest is None else min(soonest, due)
    return soonest


def _ready(prepared: PreparedDeployment, depends_on: tuple[str, ...], state: dict[str, Any]) -> bool:
    """Every dependency succeeded, or is skipped by its condition (Azure then deploys the dependent anyway)."""
    for dependency in depends_on:
        entry = state["resources"].get(dependency.lower())
        if entry is None and not prepared.resource(dependency).condition:
            continue
        if entry is None or entry["state"] != SUCCEEDED:
            return False
    return True


def _blocked(depends_on: tuple[str, ...], state: dict[str, Any]) -> bool:
    for dependency in depends_on:
        key = dependency.lower()
        entry = state["resources"].get(key)
        if key in state.get("blocked", ()) or (entry is not None and entry["state"] == FAILED):
            return True
    return False


def _start(ctx: Context, prepared: PreparedDeployment, resource_id: str, resolver: StoreResolver) -> dict[str, Any]:
    planned = prepared.resource(resource_id)
    now = ctx.now()
    entry: dict[str, Any] = {
        "id": planned.id,
        "operationId": operation_id(),
        "apiVersion": planned.api_version,
        "startedAt": now,
        "state": RUNNING,
        "operation": None,
        "statusCode": 201,
        "error": None,
    }
    location = planned.location or prepared.context.resource_group_location
    try:
        body = evaluate_resource(prepared, planned, resolver)
        outcome = put_resource(ctx, body, location)
    except ArmError as error:
        entry.update(state=FAILED, statusCode=int(error.status), error=error.to_error_body(), endedAt=now)
        return entry
    entry["statusCode"] = outcome.status
    if outcome.operation is None or outcome.operation.status in TERMINAL:
        tracking.settle(entry, outcome.operation, now, "write")
    else:
        entry["operation"] = outcome.operation.id
    return entry


def _fail(ctx: Context, record: Record, op: OperationRecord, error: ArmError) -> None:
    record.body["properties"]["error"] = error.to_error_body()
    _end(ctx, record, FAILED)
    ctx.ops().fail(op, error)


def _end(ctx: Context, record: Record, provisioning_state: str) -> None:
    properties = record.body["properties"]
    properties["provisioningState"] = provisioning_state
    properties["timestamp"] = iso_z(ctx.now())
    properties["duration"] = duration(ctx.now() - float(record.state["startedAt"]))
    _save(ctx, record)


def _save(ctx: Context, record: Record) -> None:
    record.changed_at = ctx.now()
    ctx.store.put(record)

"""The deployment worker: deploys a prepared template batch by batch, level-based.

Each step re-reads the deployment, re-prepares its template (pure and deterministic: the clock
reading is the deployment's start), then for the current batch starts every resource whose
condition holds (evaluated with a resolver over the emulator's real state, PUT through its
registry type exactly as a REST request is) and watches the operations they started. A batch is
done when all of its resources reached a terminal state; the next batch starts only then.

A refusal or a failed resource operation fails the deployment with `DeploymentFailed` once every
resource not depending on it has been deployed: what was deployed stays, dependents never start.
Complete mode then deletes what the template does not name; outputs come last.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator._utils.clock import iso_z
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments.apply import StoreResolver, delete_resource, put_resource
from vmss_emulator.domain.deployments.common import (
    CANCELED,
    DEPLOYMENT_FAILED_MESSAGE,
    FAILED,
    FULL_TYPE,
    RUNNING,
    SUCCEEDED,
    camel_case,
    duration,
    operation_id,
    resource_error_detail,
)
from vmss_emulator.domain.deployments.plan import DeploymentRequest, prepare_deployment
from vmss_emulator.domain.errors import ArmError, DeploymentFailed
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.operations import SUCCEEDED as OP_SUCCEEDED
from vmss_emulator.domain.operations import TERMINAL
from vmss_emulator.domain.templates import PreparedDeployment, evaluate_outputs, evaluate_resource
from vmss_emulator.store import OperationRecord, Record

# How long the worker waits before looking again at resource operations the engine advances.
RECHECK_SECONDS = 1.0


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
    batches = prepared.batches
    while state["batch"] < len(batches):
        batch = batches[state["batch"]]
        waiting = _step_batch(ctx, prepared, batch, state, resolver)
        if waiting is not None:
            _save(ctx, record)
            ctx.ops().wait_until(op, waiting)
            return
        state["batch"] += 1
    failed = [entry for entry in state["resources"].values() if entry["state"] == FAILED]
    if failed:
        details = [resource_error_detail(e["error"], int(e["statusCode"])) for e in failed]
        _fail(ctx, record, op, DeploymentFailed(DEPLOYMENT_FAILED_MESSAGE, target=record.id, details=details))
        return
    if request.mode == "Complete":
        refusals = _delete_unnamed(ctx, record, prepared)
        if refusals:
            _fail(ctx, record, op, DeploymentFailed(DEPLOYMENT_FAILED_MESSAGE, target=record.id, details=refusals))
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


def _step_batch(
    ctx: Context, prepared: PreparedDeployment, batch: tuple[str, ...], state: dict[str, Any], resolver: StoreResolver
) -> float | None:
    """Start or watch the batch's resources; the time to look again, or None when the batch is done."""
    now = ctx.now()
    soonest: float | None = None
    for resource_id in batch:
        planned = prepared.resource(resource_id)
        if not planned.condition:
            continue
        entry = state["resources"].get(resource_id.lower())
        if resource_id.lower() in state.get("blocked", ()):
            continue
        if entry is None and _blocked(planned.depends_on, state):
            # A dependency failed: Azure never starts this resource (no operation), others go on.
            state.setdefault("blocked", []).append(resource_id.lower())
            continue
        if entry is None:
            entry = _start(ctx, prepared, resource_id, resolver)
            state["resources"][resource_id.lower()] = entry
        if entry["state"] == RUNNING:
            due = _watch(ctx, entry)
            if due is not None:
                soonest = due if soonest is None else min(soonest, due)
    if soonest is None:
        return None
    return max(min(soonest, now + RECHECK_SECONDS), now)


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
        _settle(entry, outcome.operation, now)
    else:
        entry["operation"] = outcome.operation.id
    return entry


def _watch(ctx: Context, entry: dict[str, Any]) -> float | None:
    """Look at a running resource's operation (advancing it when due, as a poll does); its next due time."""
    operations = ctx.ops()
    op = operations.get(str(entry["operation"]))
    if op is not None and op.status not in TERMINAL and op.due_at is not None and op.due_at <= ctx.now():
        operations.advance_due(only=op.id)
        op = operations.get(op.id)
    if op is None or op.status in TERMINAL:
        _settle(entry, op, ctx.now())
        return None
    return op.due_at if op.due_at is not None else ctx.now() + RECHECK_SECONDS


def _settle(entry: dict[str, Any], op: OperationRecord | None, now: float) -> None:
    entry["endedAt"] = now
    if op is None or op.status == OP_SUCCEEDED:
        entry["state"] = SUCCEEDED
        return
    entry["state"] = FAILED
    inner = op.body.get("error") or {"code": "InternalServerError", "message": "The operation failed."}
    entry["statusCode"] = 200
    entry["error"] = {
        "code": "ResourceDeploymentFailure",
        "target": entry["id"],
        "message": "The resource write operation failed to complete successfully, because it reached terminal "
        f"provisioning state '{op.status}'.",
        "details": [inner],
    }


def _delete_unnamed(ctx: Context, record: Record, prepared: PreparedDeployment) -> list[dict[str, Any]]:
    """Complete mode: delete the group's top-level resources the template does not name; the refusals."""
    named = {planned.id.lower() for planned in prepared.resources}
    scope = ResourceId.parse(record.id).scope_key
    refusals: list[dict[str, Any]] = []
    for other in ctx.store.list_in_scope(scope):
        if other.parent_key is not None or other.key in named or other.type_key == FULL_TYPE.lower():
            continue
        if ctx.types().lookup(other.type) is None or other.type_key == "microsoft.resources/resourcegroups":
            continue
        try:
            delete_resource(ctx, other.id)
        except ArmError as error:
            refusals.append(resource_error_detail(error.to_error_body(), int(error.status)))
    return refusals


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

"""Complete mode: delete the group's resources the template does not name, dependents first.

Azure deletes what references others before what they reference (a NIC before its VNet, a scale set
before its load balancer, a load balancer before its public IP); deleting in store order makes a
provider refuse (`InUseSubnetCannotBeDeleted`) because the dependent still holds its link. The order
is derived from the emulator's real state, not from a list of types: a resource depends on every other
resource to be deleted whose id (or a child id of it, e.g. a subnet of a VNet) appears in its stored
document. Most back-references (a subnet's `ipConfigurations`) are separate link records
(`network/links.py`), but a few live in the referenced document (a public IP's `ipConfiguration`); a
mutual reference is therefore resolved by age (the older resource is the one referenced). Whatever
the order, a delete the provider refuses while others can still progress is retried later, and a
remaining cycle is broken by trying the rest in any order.

Level-based like the runner: `state["deletePlan"]` is computed once (the set and its references),
`state["deletes"]` holds one deployment operation per started delete (provisioningOperation `Delete`).
A delete starts only when every resource referencing it has been deleted (its delete LRO finished).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments import tracking
from vmss_emulator.domain.deployments.apply import delete_resource
from vmss_emulator.domain.deployments.common import FAILED, FULL_TYPE, RUNNING, operation_id
from vmss_emulator.domain.errors import ArmError
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.operations import TERMINAL
from vmss_emulator.domain.templates import PreparedDeployment

_SKIPPED_TYPES = frozenset({FULL_TYPE.lower(), "microsoft.resources/resourcegroups"})


def plan_deletes(ctx: Context, deployment_id: str, prepared: PreparedDeployment) -> dict[str, dict[str, Any]]:
    """The group's top-level resources the template does not name, each with the keys of those it references."""
    named = {planned.id.lower() for planned in prepared.resources}
    scope = ResourceId.parse(deployment_id).scope_key
    records = {
        other.key: other
        for other in ctx.store.list_in_scope(scope)
        if other.parent_key is None
        and other.key not in named
        and other.type_key not in _SKIPPED_TYPES
        and ctx.types().lookup(other.type) is not None
    }
    refs = {
        key: {ref for ref in _referenced_tops(record.body) if ref in records and ref != key}
        for key, record in records.items()
    }
    for key, targets in refs.items():
        # A mutual reference holds a back-reference (a public IP's `ipConfiguration` names the NIC that
        # bound it later): the older resource is the one referenced, so it does not wait for the newer.
        for other in list(targets):
            if key in refs[other] and records[key].created_at < records[other].created_at:
                targets.discard(other)
    return {key: {"id": record.id, "refs": sorted(refs[key])} for key, record in records.items()}


def _referenced_tops(value: Any) -> Iterator[str]:
    """Keys of the top-level resources whose ids (or child ids) appear anywhere in a stored document."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _referenced_tops(item)
    elif isinstance(value, list):
        for item in value:
            yield from _referenced_tops(item)
    elif isinstance(value, str) and value[:15].lower() == "/subscriptions/" and "/providers/" in value.lower():
        try:
            yield ResourceId.parse(value).top.key
        except ValueError:
            return


def step_deletes(ctx: Context, state: dict[str, Any]) -> float | None:
    """Start every delete whose referrers are gone and watch the running ones; next look, or None when done.

    A delete the provider refuses while other deletes can still progress is retried after the next one
    finishes (Azure retries too): stored documents can hold a back-reference (a public IP's
    `ipConfiguration`), which makes a reference cycle the order alone cannot break. A refusal is
    recorded only when nothing else can free the resource any more.
    """
    plan: dict[str, dict[str, Any]] = state["deletePlan"]
    deletes: dict[str, dict[str, Any]] = state.setdefault("deletes", {})
    deferred: dict[str, int] = state.setdefault("deferredDeletes", {})
    referrers: dict[str, list[str]] = {}
    for other, item in plan.items():
        for ref in item["refs"]:
            referrers.setdefault(ref, []).append(other)
    soonest: float | None = None
    progressed = True
    while progressed:  # a delete that finishes at once frees what it referenced in the same step
        progressed = False
        for key, item in plan.items():
            entry = deletes.get(key)
            if entry is None:
                if key in deferred and deferred[key] >= _finished(deletes):
                    continue  # refused before: nothing finished since, so it would be refused again
                if not state.get("ignoreOrder") and not _referrers_done(referrers.get(key, ()), deletes):
                    continue
                entry = _start_delete(ctx, str(item["id"]))
                if entry["state"] == FAILED and _others_can_progress(key, plan, deletes, deferred):
                    deferred[key] = _finished(deletes)
                    continue
                deferred.pop(key, None)
                deletes[key] = entry
                progressed = True
            if entry["state"] == RUNNING:
                due = tracking.watch(ctx, entry, "delete")
                if due is None:
                    progressed = True
                else:
                    soonest = due if soonest is None else min(soonest, due)
    if len(deletes) < len(plan) and soonest is None:
        if not state.get("ignoreOrder"):
            # A reference cycle leaves deletes unstarted with nothing running: try them in any order.
            state["ignoreOrder"] = True
            return step_deletes(ctx, state)
        # Every remaining delete was refused and nothing else can free them: record the refusals.
        state["deferredDeletes"] = {key: -1 for key in deferred}
        return step_deletes(ctx, state)
    return soonest


def _finished(deletes: dict[str, dict[str, Any]]) -> int:
    return sum(1 for entry in deletes.values() if entry["state"] != RUNNING)


def _others_can_progress(
    key: str, plan: dict[str, dict[str, Any]], deletes: dict[str, dict[str, Any]], deferred: dict[str, int]
) -> bool:
    """Another delete is running or has not been tried since the last one finished."""
    finished = _finished(deletes)
    for other in plan:
        if other == key:
            continue
        entry = deletes.get(other)
        if entry is not None and entry["state"] == RUNNING:
            return True
        if entry is None and (other not in deferred or deferred[other] < finished):
            return True
    return False


def _referrers_done(referrers: Iterable[str], deletes: dict[str, dict[str, Any]]) -> bool:
    """True when every planned resource referencing this one has finished deleting (a failed one counts:
    the provider's own refusal of this delete then says why, as Azure reports it)."""
    for other in referrers:
        entry = deletes.get(other)
        if entry is None or entry["state"] == RUNNING:
            return False
    return True


def _start_delete(ctx: Context, resource_id: str) -> dict[str, Any]:
    now = ctx.now()
    entry: dict[str, Any] = {
        "id": resource_id,
        "operationId": operation_id(),
        "provisioningOperation": "Delete",
        "apiVersion": None,
        "startedAt": now,
        "state": RUNNING,
        "operation": None,
        "statusCode": 200,
        "error": None,
    }
    try:
        outcome = delete_resource(ctx, resource_id)
    except ArmError as error:
        entry.update(state=FAILED, statusCode=int(error.status), error=error.to_error_body(), endedAt=now)
        return entry
    entry["statusCode"] = outcome.status
    if outcome.operation is None or outcome.operation.status in TERMINAL:
        tracking.settle(entry, outcome.operation, now, "delete")
    else:
        entry["operation"] = outcome.operation.id
    return entry

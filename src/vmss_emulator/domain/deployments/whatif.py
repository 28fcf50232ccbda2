"""`POST .../deployments/{name}/whatIf`: what a deployment would change, from the emulator's real state.

Each planned resource (condition true) is evaluated as the runner would evaluate it; when an
expression needs something that does not exist yet (`reference()` of a resource the template
creates) the declaration's unevaluated members are shown instead, as Azure shows them. The body is
compared with what GET returns now: `Create` (absent), `Modify` (some requested value differs, with a
`delta` per property path) or `NoChange`. Other top-level resources of the group are `Delete` in
complete mode and `Ignore` in incremental mode.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments.apply import StoreResolver, get_resource, request_body
from vmss_emulator.domain.deployments.common import FULL_TYPE
from vmss_emulator.domain.errors import ArmError
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.templates import PlannedResource, PreparedDeployment, evaluate_resource

# Members the provider owns (read-only): never reported as differences.
_READ_ONLY = frozenset({"id", "name", "type", "etag", "provisioningstate", "resourceguid", "apiversion"})


def what_if(ctx: Context, prepared: PreparedDeployment, mode: str) -> dict[str, Any]:
    resolver = StoreResolver(ctx)
    changes: list[dict[str, Any]] = []
    named: set[str] = set()
    for planned in prepared.resources:
        named.add(planned.id.lower())
        if not planned.condition:
            continue
        changes.append(_change(ctx, prepared, planned, resolver))
    scope = ResourceId(prepared.context.subscription_id, prepared.context.resource_group_name).key
    for other in ctx.store.list_in_scope(scope):
        if other.parent_key is not None or other.key in named or other.type_key == FULL_TYPE.lower():
            continue
        if mode == "Complete":
            changes.append({"resourceId": other.id, "changeType": "Delete", "before": other.body, "after": None})
        else:
            changes.append({"resourceId": other.id, "changeType": "Ignore", "before": None, "after": None})
    return {"status": "Succeeded", "properties": {"changes": changes}}


def _change(
    ctx: Context, prepared: PreparedDeployment, planned: PlannedResource, resolver: StoreResolver
) -> dict[str, Any]:
    try:
        evaluated = evaluate_resource(prepared, planned, resolver)
    except ArmError:
        evaluated = {"id": planned.id, "type": planned.type, "name": planned.name, **dict(planned.raw)}
        evaluated.pop("dependsOn", None)
    after = {
        "id": planned.id,
        "name": planned.name.split("/")[-1],
        "type": planned.type,
        "apiVersion": planned.api_version,
        **request_body(evaluated),
    }
    try:
        before: dict[str, Any] | None = get_resource(ctx, planned.id)
    except ArmError:
        before = None
    if before is None:
        return {"resourceId": planned.id, "changeType": "Create", "before": None, "after": after}
    delta = _delta(before, after, "")
    change_type = "Modify" if delta else "NoChange"
    change: dict[str, Any] = {"resourceId": planned.id, "changeType": change_type, "before": before, "after": after}
    if delta:
        change["delta"] = delta
    return change


def _delta(before: Any, after: Any, path: str) -> list[dict[str, Any]]:
    """Property changes for the members `after` specifies (members only `before` has are provider defaults)."""
    if isinstance(after, dict) and isinstance(before, dict):
        lowered = {key.lower(): key for key in before}
        changes: list[dict[str, Any]] = []
        for key, value in after.items():
            if key.lower() in _READ_ONLY:
                continue
            child = f"{path}.{key}" if path else key
            if key.lower() not in lowered:
                changes.append({"path": child, "propertyChangeType": "Create", "after": value})
            else:
                changes.extend(_delta(before[lowered[key.lower()]], value, child))
        return changes
    if isinstance(after, list) and isinstance(before, list) and len(after) == len(before):
        changes = []
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            changes.extend(_delta(old, new, f"{path}[{index}]"))
        if changes:
            return [
                {"path": path, "propertyChangeType": "Array", "before": before, "after": after, "children": changes}
            ]
        return []
    if _same(before, after):
        return []
    return [{"path": path, "propertyChangeType": "Modify", "before": before, "after": after}]


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        return before.lower() == after.lower()
    return bool(before == after)

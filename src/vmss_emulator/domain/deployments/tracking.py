"""Following one resource's own operation inside a deployment: writes (runner) and Complete-mode deletes.

An entry is a deployment operation being built (`state`, `operation`, `statusCode`, `error`, `endedAt`).
"""

from __future__ import annotations

from typing import Any, Literal

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.deployments.common import FAILED, SUCCEEDED
from vmss_emulator.domain.operations import SUCCEEDED as OP_SUCCEEDED
from vmss_emulator.domain.operations import TERMINAL
from vmss_emulator.store import OperationRecord

RECHECK_SECONDS = 1.0

Verb = Literal["write", "delete"]


def watch(ctx: Context, entry: dict[str, Any], verb: Verb) -> float | None:
    """Look at a running resource's operation (advancing it when due, as a poll does); its next due time."""
    operations = ctx.ops()
    op = operations.get(str(entry["operation"]))
    if op is not None and op.status not in TERMINAL and op.due_at is not None and op.due_at <= ctx.now():
        operations.advance_due(only=op.id)
        op = operations.get(op.id)
    if op is None or op.status in TERMINAL:
        settle(entry, op, ctx.now(), verb)
        return None
    return op.due_at if op.due_at is not None else ctx.now() + RECHECK_SECONDS


def settle(entry: dict[str, Any], op: OperationRecord | None, now: float, verb: Verb) -> None:
    """Close the entry from the resource operation's terminal state (None: it finished synchronously)."""
    entry["endedAt"] = now
    if op is None or op.status == OP_SUCCEEDED:
        entry["state"] = SUCCEEDED
        return
    entry["state"] = FAILED
    inner = op.body.get("error") or {"code": "InternalServerError", "message": "The operation failed."}
    if verb == "write":
        entry["statusCode"] = 200
    entry["error"] = {
        "code": "ResourceDeploymentFailure",
        "target": entry["id"],
        "message": f"The resource {verb} operation failed to complete successfully, because it reached terminal "
        f"provisioning state '{op.status}'.",
        "details": [inner],
    }

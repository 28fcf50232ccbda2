"""Long-running operations: records in the store that the engine advances step by step.

An operation is started by a domain call (a PUT, DELETE or action), carries the `kind` that names
its worker and the worker's own `data`, and is due again at `due_at`. Workers are level-based:
each `advance` re-reads the store, does what is due now, and either finishes the operation or says
when to look again. Because everything lives in the store, a killed server resumes on restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vmss_emulator._utils.clock import iso
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import ArmError, InternalServerError
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.store import OperationRecord

IN_PROGRESS = "InProgress"
SUCCEEDED = "Succeeded"
FAILED = "Failed"
CANCELED = "Canceled"
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELED})

# A worker advances one operation: it may call `finish`, `fail` or `wait_until` on the service.
Worker = Callable[[Context, OperationRecord], None]


class OperationService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._workers: dict[str, Worker] = {}

    def register(self, kind: str, worker: Worker) -> None:
        self._workers[kind] = worker

    # -- lifecycle --------------------------------------------------------------------------------

    def start(
        self,
        kind: str,
        *,
        resource_id: str,
        namespace: str,
        location: str,
        data: dict[str, Any] | None = None,
        due_at: float | None = None,
        status_url: str | None = None,
    ) -> OperationRecord:
        """Record a new operation; its worker runs when it is due (now, unless `due_at` says later)."""
        now = self.ctx.now()
        op_id = new_guid()
        op = OperationRecord(
            id=op_id,
            kind=kind,
            status=IN_PROGRESS,
            due_at=now if due_at is None else due_at,
            body={
                "name": op_id,
                "resourceId": resource_id,
                "namespace": namespace,
                "location": location,
                "startTime": now,
                "data": data or {},
                "statusUrl": status_url,
            },
        )
        self.ctx.store.put_operation(op)
        return op

    def finish(self, op: OperationRecord, result: Any = None) -> None:
        op.status = SUCCEEDED
        op.due_at = None
        op.body["endTime"] = self.ctx.now()
        if result is not None:
            op.body["result"] = result
        self.ctx.store.put_operation(op)

    def fail(self, op: OperationRecord, error: ArmError) -> None:
        op.status = FAILED
        op.due_at = None
        op.body["endTime"] = self.ctx.now()
        op.body["error"] = error.to_error_body()
        op.body["errorStatus"] = error.status
        self.ctx.store.put_operation(op)

    def cancel(self, op: OperationRecord, error: ArmError) -> None:
        op.status = CANCELED
        op.due_at = None
        op.body["endTime"] = self.ctx.now()
        op.body["error"] = error.to_error_body()
        self.ctx.store.put_operation(op)

    def wait_until(self, op: OperationRecord, due_at: float, percent_complete: float | None = None) -> None:
        op.due_at = due_at
        if percent_complete is not None:
            op.body["percentComplete"] = round(percent_complete, 2)
        self.ctx.store.put_operation(op)

    def get(self, op_id: str) -> OperationRecord | None:
        return self.ctx.store.get_operation(op_id)

    # -- running ----------------------------------------------------------------------------------

    def advance(self, op: OperationRecord) -> None:
        """Run one step of one operation, atomically; a worker that crashes fails its operation."""
        worker = self._workers.get(op.kind)
        try:
            with self.ctx.transaction():
                # `op` may be a stale copy: an SDK poller thread and settle() can both pick the same due
                # step, and the second must not replay it from the copy it read before the first ran.
                current = self.get(op.id)
                if current is None or current.status in TERMINAL:
                    return
                if current.due_at is None or current.due_at > self.ctx.now():
                    return
                op = current
                if worker is None:
                    raise InternalServerError(f"No worker for operation kind '{op.kind}'.")
                worker(self.ctx, op)
        except ArmError as error:
            self.fail(op, error)
        except Exception as error:  # a bug must end the operation, not wedge the engine
            self.fail(op, InternalServerError(f"An internal execution error occurred: {error!r}"))

    def advance_due(self, *, only: str | None = None, max_steps: int = 10_000) -> int:
        """Advance every operation that is due now (or just `only`); returns how many steps ran.

        An operation may become due again within the same call (an instant lifecycle has no delays),
        so this loops until nothing is due.
        """
        steps = 0
        while steps < max_steps:
            now = self.ctx.now()
            if only is not None:
                op = self.get(only)
                due = [op] if op and op.due_at is not None and op.due_at <= now else []
            else:
                due = self.ctx.store.due_operations(now)
            if not due:
                break
            for op in due:
                self.advance(op)
                steps += 1
        return steps

    # -- views ------------------------------------------------------------------------------------

    @staticmethod
    def status_body(op: OperationRecord) -> dict[str, Any]:
        """The operation-status resource that Azure-AsyncOperation URLs return."""
        body: dict[str, Any] = {"startTime": iso(op.body["startTime"])}
        if op.body.get("endTime") is not None:
            body["endTime"] = iso(op.body["endTime"])
        body["status"] = op.status
        if op.status not in TERMINAL and "percentComplete" in op.body:
            body["percentComplete"] = op.body["percentComplete"]
        if op.status in (FAILED, CANCELED) and "error" in op.body:
            body["error"] = op.body["error"]
        body["name"] = op.body["name"]
        return body

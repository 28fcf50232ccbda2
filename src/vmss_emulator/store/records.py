"""What the store holds: resource documents and operation documents. The store knows no Azure rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Record:
    """One stored resource: its ARM id, type and JSON document, with bookkeeping the store maintains.

    `parent_key` links child resources (a scale set's VMs, a VM's NICs) to their parent so that a
    parent's children are listed through an index, never by scanning.
    """

    id: str
    type: str
    body: dict[str, Any]
    scope_key: str
    parent_key: str | None = None
    etag: str = ""
    version: int = 0
    created_at: float = 0.0
    changed_at: float = 0.0
    # Domain-private state that is never rendered (e.g. which model a VM was built from).
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.id.lower()

    @property
    def type_key(self) -> str:
        return self.type.lower()


@dataclass
class OperationRecord:
    """One long-running operation as the engine sees it."""

    id: str
    kind: str
    status: str
    body: dict[str, Any]
    due_at: float | None = None

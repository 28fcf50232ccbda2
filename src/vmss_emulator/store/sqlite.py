"""SQLite persistence: one connection, one lock, every change in a transaction.

The whole emulator runs its domain code on one thread at a time (the server's event loop, or a
test's thread), so a single connection guarded by a re-entrant lock is both simple and safe.
`transaction()` nests with savepoints, so a request that fails half-way leaves nothing written.
`:memory:` gives the same semantics for tests and `--in-memory`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from vmss_emulator.store.records import OperationRecord, Record

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    key         TEXT PRIMARY KEY,
    id          TEXT NOT NULL,
    type        TEXT NOT NULL,
    type_key    TEXT NOT NULL,
    scope_key   TEXT NOT NULL,
    sub_key     TEXT NOT NULL,
    parent_key  TEXT,
    etag        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  REAL NOT NULL,
    changed_at  REAL NOT NULL,
    body        BLOB NOT NULL,
    state       BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_by_scope ON resources (scope_key, type_key);
CREATE INDEX IF NOT EXISTS resources_by_sub ON resources (sub_key, type_key);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources (parent_key, type_key);
CREATE TABLE IF NOT EXISTS operations (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    status  TEXT NOT NULL,
    due_at  REAL,
    body    BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS operations_due ON operations (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
"""

_COLUMNS = "id, type, scope_key, parent_key, etag, version, created_at, changed_at, body, state"


def _sub_key(scope_key: str) -> str:
    # scope keys start with /subscriptions/{sub}
    return "/".join(scope_key.split("/")[:3])


class SQLiteStore:
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- transactions -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen or none do; nesting uses savepoints."""
        with self._lock:
            depth = self._depth
            if depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            else:
                self._conn.execute(f"SAVEPOINT sp{depth}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if depth == 0:
                    self._conn.execute("ROLLBACK")
                else:
                    self._conn.execute(f"ROLLBACK TO sp{depth}")
                    self._conn.execute(f"RELEASE sp{depth}")
                raise
            self._depth -= 1
            if depth == 0:
                self._conn.execute("COMMIT")
            else:
                self._conn.execute(f"RELEASE sp{depth}")

    # -- resources --------------------------------------------------------------------------------

    @staticmethod
    def _record(row: tuple[Any, ...]) -> Record:
        rid, type_name, scope_key, parent_key, etag, version, created, changed, body, state = row
        return Record(
            id=rid,
            type=type_name,
            body=orjson.loads(body),
            scope_key=scope_key,
            parent_key=parent_key,
            etag=etag,
            version=version,
            created_at=created,
            changed_at=changed,
            state=orjson.loads(state),
        )

    def get(self, key: str) -> Record | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM resources WHERE key = ?", (key.lower(),)).fetchone()
        return self._record(row) if row else None

    def get_many(self, keys: list[str]) -> list[Record]:
        out: list[Record] = []
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = [k.lower() for k in keys[start : start + 500]]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(f"SELECT {_COLUMNS} FROM resources WHERE key IN ({marks})", chunk).fetchall()
                found = {r[0].lower(): r for r in rows}
                out.extend(self._record(found[k]) for k in chunk if k in found)
        return out

    def put(self, record: Record) -> Record:
        """Insert or replace; the record's version increments on every write."""
        with self._lock:
            record.version += 1
            self._conn.execute(
                "INSERT OR REPLACE INTO resources (key, id, type, type_key, scope_key, sub_key, parent_key, etag,"
                " version, created_at, changed_at, body, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record.key,
                    record.id,
                    record.type,
                    record.type_key,
                    record.scope_key.lower(),
                    _sub_key(record.scope_key.lower()),
                    record.parent_key.lower() if record.parent_key else None,
                    record.etag,
                    record.version,
                    record.created_at,
                    record.changed_at,
                    orjson.dumps(record.body),
                    orjson.dumps(record.state),
                ),
            )
        return record

    def delete(self, key: str) -> bool:
        with self._lock:
            cur = self._conn.execute("DELETE FROM resources WHERE key = ?", (key.lower(),))
        return cur.rowcount > 0

    def list_children(self, parent_key: str, type_key: str | None = None) -> list[Record]:
        """Direct children of a resource, in creation order."""
        sql = f"SELECT {_COLUMNS} FROM resources WHERE parent_key = ?"
        args: list[Any] = [parent_key.lower()]
        if type_key is not None:
            sql += " AND type_key = ?"
            args.append(type_key.lower())
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY created_at, rowid", args).fetchall()
        return [self._record(r) for r in rows]

    def count_children(self, parent_key: str, type_key: str) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM resources WHERE parent_key = ? AND type_key = ?",
                (parent_key.lower(), type_key.lower()),
            ).fetchone()
        return int(row[0])

    def list_in_scope(self, scope_key: str, type_key: str | None = None) -> list[Record]:
        """Resources of a resource group (or subscription-level resources), optionally of one type."""
        sql = f"SELECT {_COLUMNS} FROM resources WHERE scope_key = ?"
        args: list[Any] = [scope_key.lower()]
        if type_key is not None:
            sql += " AND type_key = ?"
            args.append(type_key.lower())
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY created_at, rowid", args).fetchall()
        return [self._record(r) for r in rows]

    def list_in_subscription(self, sub_key: str, type_key: str) -> list[Record]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM resources WHERE sub_key = ? AND type_key = ? ORDER BY created_at, rowid",
                (sub_key.lower(), type_key.lower()),
            ).fetchall()
        return [self._record(r) for r in rows]

    def delete_scope(self, scope_key: str) -> int:
        with self._lock:
            cur = self._conn.execute("DELETE FROM resources WHERE scope_key = ?", (scope_key.lower(),))
        return cur.rowcount

    # -- operations -------------------------------------------------------------------------------

    def get_operation(self, op_id: str) -> OperationRecord | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, kind, status, due_at, body FROM operations WHERE id = ?", (op_id.lower(),)
            ).fetchone()
        if row is None:
            return None
        return OperationRecord(id=row[0], kind=row[1], status=row[2], due_at=row[3], body=orjson.loads(row[4]))

    def put_operation(self, op: OperationRecord) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO operations (id, kind, status, due_at, body) VALUES (?,?,?,?,?)",
                (op.id.lower(), op.kind, op.status, op.due_at, orjson.dumps(op.body)),
            )

    def due_operations(self, now: float, limit: int = 100) -> list[OperationRecord]:
        """Unfinished operations whose next step is due, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, kind, status, due_at, body FROM operations WHERE due_at IS NOT NULL AND due_at <= ?"
                " ORDER BY due_at LIMIT ?",
                (now, limit),
            ).fetchall()
        return [OperationRecord(id=r[0], kind=r[1], status=r[2], due_at=r[3], body=orjson.loads(r[4])) for r in rows]

    def next_due_at(self) -> float | None:
        with self._lock:
            row = self._conn.execute("SELECT MIN(due_at) FROM operations WHERE due_at IS NOT NULL").fetchone()
        return row[0] if row else None

    # -- meta -------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> Any:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def put_meta(self, key: str, value: Any) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, orjson.dumps(value)))

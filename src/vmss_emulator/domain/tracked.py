"""The common life of a tracked ARM resource: create-or-update, get, list, tags PATCH, delete.

A concrete type says what its document looks like (`build`), what it refuses, and what a read
shows (`view`); this base does the bookkeeping every type shares: canonical ids and names, etags,
provisioningState driven by a long-running operation, list scopes, and not-found errors worded as
the owning resource provider words them.

Subclass hooks, all optional except `build`:
- `build(call, existing) -> dict`: validate the request body and return the stored document's
  `properties` and top-level fields (location, tags, sku, zones ...). `existing` is the stored
  record on update. Raise domain errors to refuse; nothing is written when they are raised.
- `view(call, record) -> dict`: what GET returns (defaults to the stored document).
- `on_created / on_updated / before_delete / on_deleted(call, record)`: keep other resources
  (back-references, address allocations) in step, inside the same transaction.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from vmss_emulator.domain.context import LOCATIONS
from vmss_emulator.domain.errors import InvalidRequestContent
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.domain.locations import check_location
from vmss_emulator.domain.operations import OperationService
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.store import OperationRecord, Record

PROVISION_KIND = "tracked.provision"
DELETE_KIND = "tracked.delete"


class LocationNotAvailableForResourceType(InvalidRequestContent):
    code = "LocationNotAvailableForResourceType"


class TrackedResourceType(ResourceType):
    # "weak" -> W/"guid" (Network RP), "integer" -> "1", "2", ... (Compute RP)
    etag_style: ClassVar[str] = "weak"
    # Which LRO headers the PUT and DELETE answer with.
    put_lro: ClassVar[str] = "async"
    delete_lro: ClassVar[str] = "both"
    # Whether this is a child resource (stored with a parent link) and needs no location.
    is_child: ClassVar[bool] = False
    # Lifecycle transition names for the create and delete delays.
    create_transition: ClassVar[str] = "network_resource_create"
    delete_transition: ClassVar[str] = "network_resource_delete"

    @property
    def is_network(self) -> bool:
        return self.full_type.lower().startswith("microsoft.network/")

    # -- hooks ------------------------------------------------------------------------------------

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        raise NotImplementedError

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        return record.body

    def on_created(self, call: Call, record: Record) -> None:
        pass

    def on_updated(self, call: Call, record: Record, before: dict[str, Any]) -> None:
        pass

    def before_delete(self, call: Call, record: Record) -> None:
        pass

    def on_deleted(self, call: Call, record: Record) -> None:
        pass

    # -- reads ------------------------------------------------------------------------------------

    def load(self, call: Call, rid: ResourceId | None = None) -> Record:
        rid = rid or call.rid
        record = call.ctx.store.get(rid.key)
        if record is None or record.type_key != self.full_type.lower():
            raise not_found(rid, network=self.is_network)
        return record

    def get(self, call: Call) -> Outcome:
        record = self.load(call)
        return Outcome(status=200, body=self.view(call, record), etag=self._etag_header(record))

    def list(self, call: Call) -> list[dict[str, Any]]:
        store = call.ctx.store
        rid = call.rid
        if self.is_child:
            parent = store.get(rid.key)
            if parent is None:
                raise not_found(rid, network=self.is_network)
            records = store.list_children(rid.key, self.full_type)
        elif rid.resource_group is None:
            records = store.list_in_subscription(f"/subscriptions/{rid.subscription_id}", self.full_type)
        else:
            records = store.list_in_scope(rid.scope_key, self.full_type)
        return [self.view(call, r) for r in records]

    # -- writes -----------------------------------------------------------------------------------

    def put(self, call: Call) -> Outcome:
        ctx = call.ctx
        existing = ctx.store.get(call.rid.key)
        if existing is not None and existing.type_key != self.full_type.lower():
            existing = None
        if not isinstance(call.body, dict):
            raise InvalidRequestContent(
                "The request content was invalid and could not be deserialized: 'Required property 'properties' "
                "expects a value but got null. Path '', line 1, position 1.'."
            )
        before = copy.deepcopy(existing.body) if existing else None
        document = self.build(call, existing)
        now = ctx.now()
        rid = ResourceId.parse(existing.id) if existing else call.rid
        if existing and existing.id != str(call.rid):
            rid = ResourceId.parse(existing.id)
        body = self._frame(call, rid, document, existing)
        record = existing or Record(
            id=str(rid),
            type=self.full_type,
            body=body,
            scope_key=rid.scope_key,
            parent_key=rid.parent.key if rid.parent is not None else None,
            created_at=now,
        )
        record.body = body
        record.changed_at = now
        record.etag = self._next_etag(record)
        if "etag" in body or self.is_network:
            body["etag"] = record.etag
        delay = ctx.delay(self.create_transition)
        op = ctx.ops().start(
            PROVISION_KIND,
            resource_id=record.id,
            namespace=self.full_type.split("/")[0],
            location=self._location_of(call, record),
            due_at=now + delay,
        )
        body.setdefault("properties", {})["provisioningState"] = "Succeeded" if delay <= 0 else "Updating"
        ctx.store.put(record)
        if existing is None:
            self.on_created(call, record)
        else:
            self.on_updated(call, record, before or {})
        return Outcome(
            status=200 if existing else 201,
            body=self.view(call, record),
            operation=op,
            lro=self.put_lro,
            etag=self._etag_header(record),
        )

    def patch(self, call: Call) -> Outcome:
        """Tags-only update (`update_tags`), synchronous, as the Network RP does it."""
        record = self.load(call)
        body = call.body if isinstance(call.body, dict) else {}
        if "tags" in body:
            tags = body["tags"] or {}
            if not isinstance(tags, dict):
                raise InvalidRequestContent(
                    "The request content was invalid and could not be deserialized. Path 'tags'."
                )
            record.body["tags"] = tags
        record.etag = self._next_etag(record)
        if "etag" in record.body:
            record.body["etag"] = record.etag
        record.changed_at = call.ctx.now()
        call.ctx.store.put(record)
        return Outcome(status=200, body=self.view(call, record), etag=self._etag_header(record))

    def delete(self, call: Call) -> Outcome:
        ctx = call.ctx
        record = ctx.store.get(call.rid.key)
        if record is None or record.type_key != self.full_type.lower():
            return Outcome(status=204)
        self.before_delete(call, record)
        delay = ctx.delay(self.delete_transition)
        op = ctx.ops().start(
            DELETE_KIND,
            resource_id=record.id,
            namespace=self.full_type.split("/")[0],
            location=self._location_of(call, record),
            due_at=ctx.now() + delay,
        )
        if delay <= 0:
            self._remove(call, record)
            ctx.ops().finish(op)
        else:
            record.body.setdefault("properties", {})["provisioningState"] = "Deleting"
            ctx.store.put(record)
        return Outcome(status=202, operation=op, lro=self.delete_lro)

    def _remove(self, call: Call, record: Record) -> None:
        store = call.ctx.store
        for child in store.list_children(record.key):
            store.delete(child.key)
        store.delete(record.key)
        self.on_deleted(call, record)

    # -- framing ----------------------------------------------------------------------------------

    def _frame(self, call: Call, rid: ResourceId, document: dict[str, Any], existing: Record | None) -> dict[str, Any]:
        """Put id, name, type and (for top-level resources) location in front, as Azure orders them."""
        body: dict[str, Any] = {"name": rid.name, "id": str(rid)}
        if self.is_network or (existing and "etag" in existing.body):
            body["etag"] = ""
        body["type"] = self.full_type
        if not self.is_child:
            body["location"] = self._location(call, existing)
        for key, value in document.items():
            if key not in ("id", "name", "type", "location", "etag"):
                body[key] = value
        if not self.is_child and "tags" not in body and isinstance(call.body, dict) and "tags" in call.body:
            body["tags"] = call.body["tags"]
        return body

    def _location(self, call: Call, existing: Record | None) -> str:
        body = call.body if isinstance(call.body, dict) else {}
        location = body.get("location")
        if existing is not None and not location:
            return str(existing.body["location"])
        return check_location(
            location,
            lambda sent: LocationNotAvailableForResourceType(
                f"The provided location '{sent}' is not available for resource type '{self.full_type}'. "
                f"List of available regions for the resource type is '{','.join(LOCATIONS)}'."
            ),
        )

    def _location_of(self, call: Call, record: Record) -> str:
        if "location" in record.body:
            return str(record.body["location"])
        top = call.ctx.store.get(ResourceId.parse(record.id).top.key)
        return str(top.body.get("location", "eastus")) if top else "eastus"

    def _next_etag(self, record: Record) -> str:
        if self.etag_style == "integer":
            return f'"{record.version + 1}"'
        return f'W/"{new_guid()}"'

    def _etag_header(self, record: Record) -> str | None:
        return record.etag or None

    def current_etag(self, call: Call) -> str | None:
        record = call.ctx.store.get(call.rid.key)
        return record.etag if record is not None and record.type_key == self.full_type.lower() else None


def advance_provision(ctx: Any, op: OperationRecord) -> None:
    record = ctx.store.get(op.body["resourceId"].lower())
    if record is not None:
        props = record.body.setdefault("properties", {})
        if props.get("provisioningState") != "Succeeded":
            props["provisioningState"] = "Succeeded"
            ctx.store.put(record)
    ctx.ops().finish(op)


def advance_delete(ctx: Any, op: OperationRecord) -> None:
    """Deferred delete (realistic lifecycles): the resource type removes itself when the delay is over."""
    record = ctx.store.get(op.body["resourceId"].lower())
    if record is not None:
        resource_type = ctx.types().lookup(record.type)
        if isinstance(resource_type, TrackedResourceType):
            rid = ResourceId.parse(record.id)
            call = Call(ctx=ctx, method="DELETE", rid=rid, api_version="")
            resource_type._remove(call, record)
        else:
            ctx.store.delete(record.key)
    ctx.ops().finish(op)


def register(operations: OperationService) -> None:
    operations.register(PROVISION_KIND, advance_provision)
    operations.register(DELETE_KIND, advance_delete)

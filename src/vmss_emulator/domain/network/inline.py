"""Child resources that Azure stores inside their parent's document (subnets, security rules, routes,
load-balancer pools and rules): `.../virtualNetworks/{vnet}/subnets/{name}` and friends.

A child PUT or DELETE is answered by rewriting the parent's document and running the parent's own
`build` on it, so every rule (overlap, in-use, references) lives in one place and is checked the same
way whether the client edits the parent or the child. Reads come from the parent's `view`, so the
back-references the parent shows are shown on the child too.
"""

from __future__ import annotations

import builtins
import copy
from typing import Any, ClassVar

from vmss_emulator.domain.errors import InvalidRequestContent
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record


class InlineChildType(ResourceType):
    child_not_found_code: ClassVar[str] = "NotFound"

    def __init__(self, parent: TrackedResourceType, collection: str, *, writable: bool = True) -> None:
        self.parent = parent
        self.collection = collection
        self.writable = writable
        self.full_type = f"{parent.full_type}/{collection}"  # type: ignore[misc]
        self.api_versions = parent.api_versions  # type: ignore[misc]

    # -- reads ------------------------------------------------------------------------------------

    def _parent_call(self, call: Call, body: Any = None, method: str = "GET") -> Call:
        rid = call.rid if call.collection else call.rid.parent
        assert rid is not None
        return Call(
            ctx=call.ctx,
            method=method,
            rid=rid,
            api_version=call.api_version,
            query=call.query,
            headers=call.headers,
            body=body,
            body_present=body is not None,
        )

    def _parent_record(self, call: Call) -> tuple[Call, Record]:
        parent_call = self._parent_call(call)
        return parent_call, self.parent.load(parent_call)

    def _items(self, call: Call) -> builtins.list[dict[str, Any]]:
        parent_call, record = self._parent_record(call)
        view = self.parent.view(parent_call, record)
        return list(view.get("properties", {}).get(self.collection, []) or [])

    def _find(self, call: Call) -> dict[str, Any] | None:
        for item in self._items(call):
            if str(item.get("name", "")).lower() == call.rid.name.lower():
                return item
        return None

    def get(self, call: Call) -> Outcome:
        item = self._find(call)
        if item is None:
            raise not_found(call.rid, network=True)
        return Outcome(status=200, body=item, etag=item.get("etag"))

    def list(self, call: Call) -> list[dict[str, Any]]:
        return self._items(call)

    def current_etag(self, call: Call) -> str | None:
        try:
            item = self._find(call)
        except Exception:
            return None
        return str(item["etag"]) if item and item.get("etag") else None

    # -- writes -----------------------------------------------------------------------------------

    def _stored_items(self, record: Record) -> builtins.list[dict[str, Any]]:
        return copy.deepcopy(list(record.body.get("properties", {}).get(self.collection, []) or []))

    def _rewrite(self, call: Call, record: Record, items: builtins.list[dict[str, Any]]) -> Outcome:
        body = copy.deepcopy(record.body)
        body.setdefault("properties", {})[self.collection] = items
        return self.parent.put(self._parent_call(call, body=body, method="PUT"))

    def put(self, call: Call) -> Outcome:
        if not self.writable:
            return super().put(call)
        if not isinstance(call.body, dict):
            raise InvalidRequestContent("The request content was invalid and could not be deserialized.")
        _, record = self._parent_record(call)
        items = self._stored_items(record)
        name = call.rid.name
        incoming: dict[str, Any] = {"name": name, "properties": copy.deepcopy(call.body.get("properties") or {})}
        existed = False
        for index, item in enumerate(items):
            if str(item.get("name", "")).lower() == name.lower():
                incoming["name"] = item["name"]
                items[index] = incoming
                existed = True
                break
        else:
            items.append(incoming)
        outcome = self._rewrite(call, record, items)
        shown = self._find(call)
        return Outcome(
            status=200 if existed else 201,
            body=shown,
            operation=outcome.operation,
            lro="async",
            etag=shown.get("etag") if shown else None,
        )

    def delete(self, call: Call) -> Outcome:
        if not self.writable:
            return super().delete(call)
        _, record = self._parent_record(call)
        items = self._stored_items(record)
        kept = [i for i in items if str(i.get("name", "")).lower() != call.rid.name.lower()]
        if len(kept) == len(items):
            return Outcome(status=204)
        outcome = self._rewrite(call, record, kept)
        return Outcome(status=202, operation=outcome.operation, lro="location")

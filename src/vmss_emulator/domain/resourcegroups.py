"""Resource groups (Microsoft.Resources/resourceGroups): ARM's own container of resources."""

from __future__ import annotations

import re
from typing import Any

from vmss_emulator.domain.context import LOCATIONS, Context
from vmss_emulator.domain.errors import (
    BadRequest,
    InvalidRequestContent,
    InvalidResourceGroup,
    ResourceGroupBeingDeleted,
    ResourceGroupNotFound,
)
from vmss_emulator.domain.ids import ResourceId
from vmss_emulator.domain.locations import check_location
from vmss_emulator.domain.operations import OperationService
from vmss_emulator.store import OperationRecord, Record

TYPE = "Microsoft.Resources/resourceGroups"
API_VERSIONS = (
    "2014-04-01", "2015-01-01", "2015-11-01", "2016-02-01", "2016-06-01", "2016-07-01", "2016-09-01",
    "2017-05-10", "2017-06-01", "2017-08-01", "2017-12-01", "2018-01-01", "2018-02-01", "2018-05-01",
    "2019-03-01", "2019-05-01", "2019-05-10", "2019-07-01", "2019-08-01", "2019-10-01", "2020-06-01",
    "2020-08-01", "2020-10-01", "2021-01-01", "2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01",
    "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01",
)  # fmt: skip

_VALID_NAME = re.compile(r"^[-\w._()]+$", re.UNICODE)
DELETE_KIND = "resourceGroup.delete"


class LocationNotAvailableForResourceGroup(BadRequest):
    pass


def check_name(name: str) -> None:
    invalid = "".join(sorted({c for c in name if not re.match(r"[-\w._()]", c)}))
    if not name or len(name) > 90 or invalid or name.endswith("."):
        if invalid:
            detail = f"has these invalid characters: '{invalid}'. "
        elif len(name) > 90:
            detail = "is too long. "
        else:
            detail = "is invalid. "
        raise InvalidResourceGroup(
            f"The provided resource group name '{name}' {detail}The name can only be a letter, digit, '-', '.', "
            "'(', ')'"
            " or '_'."
        )


def view(record: Record) -> dict[str, Any]:
    return record.body


def get_record(ctx: Context, rid: ResourceId) -> Record | None:
    return ctx.store.get(rid.resource_group_id.key)


def require(ctx: Context, rid: ResourceId, *, for_write: bool = False) -> Record:
    """The resource group that `rid` lives in; 404 when absent, 409 on writes while it is being deleted."""
    record = get_record(ctx, rid)
    if record is None:
        raise ResourceGroupNotFound(f"Resource group '{rid.resource_group}' could not be found.")
    if for_write and record.body["properties"]["provisioningState"] == "Deleting":
        raise ResourceGroupBeingDeleted(
            f"The resource group '{record.body['name']}' is in deprovisioning state and cannot perform this operation."
        )
    return record


def create_or_update(ctx: Context, rid: ResourceId, body: Any) -> tuple[Record, bool]:
    """PUT: create, or replace location-immutable properties (tags, managedBy). Returns (record, created)."""
    check_name(rid.resource_group or "")
    if not isinstance(body, dict):
        raise InvalidRequestContent("The request content was invalid and could not be deserialized.")
    location = check_location(
        body.get("location"),
        lambda sent: LocationNotAvailableForResourceGroup(
            f"The provided location '{sent}' is not available for resource group. List of available "
            f"regions is '{','.join(LOCATIONS)}'."
        ),
    )
    tags = body.get("tags") or {}
    if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
        raise InvalidRequestContent(
            "The request content was invalid and could not be deserialized: 'Error converting value to type "
            "'System.Collections.Generic.Dictionary`2[System.String,System.String]'. Path 'tags'.'."
        )
    now = ctx.now()
    existing = get_record(ctx, rid)
    if existing is not None:
        if existing.body["properties"]["provisioningState"] == "Deleting":
            raise ResourceGroupBeingDeleted(
                f"The resource group '{existing.body['name']}' is in deprovisioning state and cannot perform this "
                "operation."
            )
        if existing.body["location"] != location:
            raise InvalidResourceGroupLocation(
                f"Invalid resource group location '{location}'. The Resource group already exists in location "
                f"'{existing.body['location']}'."
            )
        existing.body["tags"] = tags
        if "managedBy" in body:
            existing.body["managedBy"] = body["managedBy"]
        existing.changed_at = now
        ctx.store.put(existing)
        return existing, False
    canonical = ResourceId(rid.subscription_id, rid.resource_group)
    doc: dict[str, Any] = {
        "id": str(canonical),
        "name": rid.resource_group,
        "type": TYPE,
        "location": location,
        "tags": tags,
        "properties": {"provisioningState": "Succeeded"},
    }
    if body.get("managedBy"):
        doc["managedBy"] = body["managedBy"]
    record = Record(
        id=str(canonical),
        type=TYPE,
        body=doc,
        scope_key=f"/subscriptions/{rid.subscription_id}",
        created_at=now,
        changed_at=now,
    )
    ctx.store.put(record)
    return record, True


class InvalidResourceGroupLocation(BadRequest):
    status = 409


def patch(ctx: Context, rid: ResourceId, body: Any) -> Record:
    record = require(ctx, rid, for_write=True)
    if not isinstance(body, dict):
        raise InvalidRequestContent("The request content was invalid and could not be deserialized.")
    if "tags" in body:
        tags = body["tags"] or {}
        if not isinstance(tags, dict):
            raise InvalidRequestContent("The request content was invalid and could not be deserialized. Path 'tags'.")
        record.body["tags"] = tags
    if "managedBy" in body:
        record.body["managedBy"] = body["managedBy"]
    record.changed_at = ctx.now()
    ctx.store.put(record)
    return record


def list_groups(ctx: Context, subscription_id: str) -> list[dict[str, Any]]:
    records = ctx.store.list_in_scope(f"/subscriptions/{subscription_id}", TYPE)
    return [view(r) for r in records]


def begin_delete(ctx: Context, rid: ResourceId) -> OperationRecord | None:
    """DELETE: mark the group Deleting and start the operation that deletes everything inside it."""
    record = get_record(ctx, rid)
    if record is None:
        return None
    if record.body["properties"]["provisioningState"] == "Deleting" and record.state.get("deleteOperation"):
        op = ctx.ops().get(record.state["deleteOperation"])
        if op is not None:
            return op
    record.body["properties"]["provisioningState"] = "Deleting"
    op = ctx.ops().start(
        DELETE_KIND,
        resource_id=record.id,
        namespace="Microsoft.Resources",
        location=record.body["location"],
    )
    record.state["deleteOperation"] = op.id
    ctx.store.put(record)
    return op


# Hooks that other domains add so that deleting a group releases what they hold (e.g. IP addresses
# held outside the group). Each is called with (ctx, resource-group key) before the rows go.
DELETE_HOOKS: list[Any] = []


def advance_delete(ctx: Context, op: OperationRecord) -> None:
    rid = ResourceId.parse(op.body["resourceId"])
    for hook in DELETE_HOOKS:
        hook(ctx, rid.key)
    ctx.store.delete_scope(rid.key)
    ctx.store.delete(rid.key)
    ctx.ops().finish(op)


def register(operations: OperationService) -> None:
    operations.register(DELETE_KIND, advance_delete)

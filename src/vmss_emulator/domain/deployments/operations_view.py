"""`GET .../deployments/{name}/operations`: one provisioning operation per deployed resource."""

from __future__ import annotations

from typing import Any

from vmss_emulator._utils.clock import iso_z
from vmss_emulator.domain.deployments.common import RUNNING, SUCCEEDED, duration, status_text, target_of
from vmss_emulator.domain.registry import Call
from vmss_emulator.store import Record


def list_operations(call: Call, record: Record) -> list[dict[str, Any]]:
    now = call.ctx.now()
    items: list[dict[str, Any]] = []
    # Resource writes, then Complete mode's deletes of what the template does not name.
    entries = [*record.state.get("resources", {}).values(), *record.state.get("deletes", {}).values()]
    for entry in entries:
        ended = entry.get("endedAt")
        started = float(entry["startedAt"])
        properties: dict[str, Any] = {
            "provisioningOperation": entry.get("provisioningOperation", "Create"),
            "provisioningState": entry["state"],
            "timestamp": iso_z(float(ended) if ended is not None else now),
            "duration": duration((float(ended) if ended is not None else now) - started),
            "trackingId": entry["operationId"],
            "serviceRequestId": entry["operationId"],
            "statusCode": status_text(int(entry["statusCode"])),
            "targetResource": _target(entry),
        }
        if entry["state"] == SUCCEEDED:
            properties["statusMessage"] = {"status": "OK"}
        elif entry["state"] != RUNNING:
            properties["statusMessage"] = {"status": "Failed", "error": entry["error"]}
        items.append(
            {
                "id": f"{record.id}/operations/{entry['operationId']}",
                "operationId": entry["operationId"],
                "properties": properties,
            }
        )
    return items


def _target(entry: dict[str, Any]) -> dict[str, Any]:
    target: dict[str, Any] = dict(target_of(str(entry["id"])))
    if entry.get("apiVersion"):  # a Complete-mode delete is not tied to a template api-version
        target["apiVersion"] = entry["apiVersion"]
    return target

"""Application security groups (Microsoft.Network/applicationSecurityGroups)."""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record


class ApplicationSecurityGroups(TrackedResourceType):
    full_type = "Microsoft.Network/applicationSecurityGroups"
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        guid = existing.body["properties"]["resourceGuid"] if existing else new_guid()
        document: dict[str, Any] = {"properties": {"resourceGuid": guid, "provisioningState": "Succeeded"}}
        tags = body.get("tags")
        if tags is not None:
            document["tags"] = tags
        return document

"""Application security groups (Microsoft.Network/applicationSecurityGroups)."""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import links
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

ASG_MEMBERS = "ipConfigurations"  # binding.ASG_MEMBERS (not imported: binding imports much more)


class InUseApplicationSecurityGroupCannotBeDeleted(BadRequest):
    """Message as Azure words it (azure-cli#12591); the code is a guess in the style of the NSG's."""


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

    def before_delete(self, call: Call, record: Record) -> None:
        users = links.member_ids(call.ctx, record.id, ASG_MEMBERS)
        if users:
            names = ", ".join(sorted({u.rsplit("/", 1)[1] for u in users}))
            raise InUseApplicationSecurityGroupCannotBeDeleted(
                f"Application Security Group {record.body.get('name')} cannot be deleted because it is referenced "
                f"by IpConfiguration(s) {names}.",
                details=[],
            )

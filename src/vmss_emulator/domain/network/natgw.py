"""NAT gateways (Microsoft.Network/natGateways): a subnet's explicit outbound path.

Attached to subnets (the VNet writes a "subnets" link on them); deletion is refused while a subnet
uses one.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import links
from vmss_emulator.domain.network.common import InUseNatGatewayCannotBeDeleted, load_referenced, ref_list, require_dict
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record


class NatGateways(TrackedResourceType):
    full_type = "Microsoft.Network/natGateways"
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        gw_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        pips = ref_list(props.get("publicIpAddresses"), "properties.publicIpAddresses")
        prefixes = ref_list(props.get("publicIpPrefixes"), "properties.publicIpPrefixes")
        for pip in pips:
            load_referenced(call.ctx, pip, "Microsoft.Network/publicIPAddresses", gw_id, "properties.publicIpAddresses")
        for prefix in prefixes:
            load_referenced(
                call.ctx, prefix, "Microsoft.Network/publicIPPrefixes", gw_id, "properties.publicIpPrefixes"
            )
        document: dict[str, Any] = {
            "sku": {"name": "Standard"},
            "properties": {
                "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
                "idleTimeoutInMinutes": int(props.get("idleTimeoutInMinutes", 4)),
                "publicIpAddresses": [{"id": p} for p in pips],
                "publicIpPrefixes": [{"id": p} for p in prefixes],
            },
        }
        if body.get("zones"):
            document["zones"] = list(body["zones"])
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        subnets = links.refs(call.ctx, record.id, "subnets")
        if subnets:
            body["properties"]["subnets"] = subnets
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        user = links.first_member(call.ctx, record.id, "subnets")
        if user:
            raise InUseNatGatewayCannotBeDeleted(
                f"Nat Gateway {record.id} is in use by subnet {user} and cannot be deleted.", details=[]
            )

"""Route tables (Microsoft.Network/routeTables, with `routes` inline and as a child type).

They are attached to subnets (the VNet writes a "subnets" link on them) and refuse deletion while a
subnet uses them. They matter to scale sets through the outbound path (`outbound.py`).
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import ipam, links
from vmss_emulator.domain.network.common import (
    InUseRouteTableCannotBeDeleted,
    InvalidRequestFormat,
    require_dict,
    require_list,
    sub_resource,
)
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

ROUTE_TYPE = "Microsoft.Network/routeTables/routes"
NEXT_HOP_TYPES = ("VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None")


class InvalidNextHopType(BadRequest):
    code = "InvalidRouteNextHopType"


class RouteNextHopIpAddressMissing(BadRequest):
    code = "NextHopIpAddressMissing"


def _route(table_id: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("name"):
        raise InvalidRequestFormat("Cannot parse the request.", details=[])
    name = str(raw["name"])
    props = copy.deepcopy(require_dict(raw.get("properties"), f"routes[{name}].properties"))
    props.pop("provisioningState", None)
    ipam.validate_prefix(str(props.get("addressPrefix", "")), f"{table_id}/routes/{name}")
    hop = str(props.get("nextHopType", ""))
    canonical = next((h for h in NEXT_HOP_TYPES if h.lower() == hop.lower()), None)
    if canonical is None:
        raise InvalidNextHopType(f"Route {name} has invalid next hop type {hop}.", details=[])
    props["nextHopType"] = canonical
    if canonical == "VirtualAppliance" and not props.get("nextHopIpAddress"):
        raise RouteNextHopIpAddressMissing(
            f"Route {name} has next hop type VirtualAppliance but no next hop IP address.", details=[]
        )
    return {"name": name, "properties": props}


class RouteTables(TrackedResourceType):
    full_type = "Microsoft.Network/routeTables"
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        table_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        routes = [_route(table_id, r) for r in require_list(props.get("routes"), "properties.routes")]
        document: dict[str, Any] = {
            "properties": {
                "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
                "disableBgpRoutePropagation": bool(props.get("disableBgpRoutePropagation", False)),
                "routes": routes,
            }
        }
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        body["properties"]["routes"] = [
            sub_resource(record.id, "routes", r, record.etag, ROUTE_TYPE) for r in body["properties"]["routes"]
        ]
        subnets = links.refs(call.ctx, record.id, "subnets")
        if subnets:
            body["properties"]["subnets"] = subnets
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        user = links.first_member(call.ctx, record.id, "subnets")
        if user:
            raise InUseRouteTableCannotBeDeleted(
                f"Route table {record.id} is in use by subnet {user} and cannot be deleted.", details=[]
            )

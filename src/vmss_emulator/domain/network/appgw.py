"""Application gateways (Microsoft.Network/applicationGateways).

Only what scale sets touch is modelled: the gateway subnet (the gateway holds an address in it, so the
subnet is in use), public frontends, and backend pools whose `backendIPConfigurations` list the NIC
ipconfigs that joined them. Other sections (listeners, settings, rules) are stored as sent, with
their references to the gateway's own sections checked.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import addressing, links, publicip, vnet
from vmss_emulator.domain.network.common import (
    ApplicationGatewayBackendAddressPoolInUse,
    InvalidRequestFormat,
    child_id,
    missing_reference,
    ref,
    require_dict,
    require_list,
    same_id,
    sub_resource,
)
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

APPGW_TYPE = "Microsoft.Network/applicationGateways"
COLLECTIONS = (
    "gatewayIPConfigurations",
    "frontendIPConfigurations",
    "frontendPorts",
    "backendAddressPools",
    "backendHttpSettingsCollection",
    "httpListeners",
    "requestRoutingRules",
    "probes",
)
MEMBERS = "members"


class ApplicationGatewaySubnetMissing(BadRequest):
    code = "ApplicationGatewayMustHaveGatewayIpConfiguration"


def _items(props: dict[str, Any], collection: str) -> list[dict[str, Any]]:
    out = []
    for raw in require_list(props.get(collection), f"properties.{collection}"):
        if not isinstance(raw, dict) or not raw.get("name"):
            raise InvalidRequestFormat("Cannot parse the request.", details=[])
        item_props = copy.deepcopy(require_dict(raw.get("properties"), f"{collection}.properties"))
        item_props.pop("provisioningState", None)
        item_props.pop("backendIPConfigurations", None)
        out.append({"name": str(raw["name"]), "properties": item_props})
    return out


def _internal_refs(gw_id: str, collections: dict[str, list[dict[str, Any]]]) -> None:
    """Every `{"id": ".../applicationGateways/{gw}/{section}/{name}"}` inside the gateway must exist."""
    names = {c.lower(): {i["name"].lower() for i in items} for c, items in collections.items()}

    def walk(value: Any, owner: str) -> None:
        if isinstance(value, dict):
            target = value.get("id")
            if isinstance(target, str) and target.lower().startswith(gw_id.lower() + "/"):
                section, _, name = target[len(gw_id) + 1 :].partition("/")
                if name.lower() not in names.get(section.lower(), set()):
                    raise missing_reference(target, owner)
            for inner in value.values():
                walk(inner, owner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, owner)

    for collection, items in collections.items():
        for item in items:
            walk(item["properties"], child_id(gw_id, collection, item["name"]))


class ApplicationGateways(TrackedResourceType):
    full_type = APPGW_TYPE
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        ctx = call.ctx
        gw_id = str(existing.id if existing else call.rid)
        scope_key = existing.scope_key if existing else call.rid.scope_key
        props = require_dict(body.get("properties"), "properties")
        collections = {c: _items(props, c) for c in COLLECTIONS}
        if not collections["gatewayIPConfigurations"]:
            raise ApplicationGatewaySubnetMissing(
                f"Application Gateway {gw_id} must have at least one gateway IP configuration.", details=[]
            )
        _internal_refs(gw_id, collections)
        before = existing.body["properties"] if existing else {}
        if existing is not None:
            kept = {p["name"].lower() for p in collections["backendAddressPools"]}
            for pool in before.get("backendAddressPools", []):
                pool_id = child_id(gw_id, "backendAddressPools", pool["name"])
                user = links.first_member(ctx, pool_id, MEMBERS)
                if pool["name"].lower() not in kept and user:
                    raise ApplicationGatewayBackendAddressPoolInUse(
                        f"Backend address pool {pool_id} is in use by {user} and cannot be removed.", details=[]
                    )
        old_gw = {g["name"].lower(): g for g in before.get("gatewayIPConfigurations", [])}
        for gateway in collections["gatewayIPConfigurations"]:
            self._gateway_subnet(ctx, gw_id, gateway, old_gw.pop(gateway["name"].lower(), None), scope_key)
        for gone in old_gw.values():
            _release_gateway(ctx, gone)
        old_fe = {f["name"].lower(): f for f in before.get("frontendIPConfigurations", [])}
        for frontend in collections["frontendIPConfigurations"]:
            fe_id = child_id(gw_id, "frontendIPConfigurations", frontend["name"])
            pip_id = ref(frontend["properties"].get("publicIPAddress"))
            old = old_fe.pop(frontend["name"].lower(), None)
            old_pip = ref((old or {}).get("properties", {}).get("publicIPAddress"))
            if old_pip and not same_id(old_pip, pip_id):
                publicip.dissociate(ctx, old_pip, fe_id)
            if pip_id:
                publicip.associate(ctx, pip_id, fe_id, fe_id, "publicIPAddress")
        for gone in old_fe.values():
            pip_id = ref(gone.get("properties", {}).get("publicIPAddress"))
            if pip_id:
                publicip.dissociate(ctx, pip_id, child_id(gw_id, "frontendIPConfigurations", gone["name"]))
        document: dict[str, Any] = {
            "properties": {
                "resourceGuid": before.get("resourceGuid") or new_guid(),
                "sku": copy.deepcopy(props.get("sku") or {"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2}),
                "operationalState": "Running",
                **collections,
            }
        }
        if body.get("zones"):
            document["zones"] = list(body["zones"])
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def _gateway_subnet(
        self, ctx: Context, gw_id: str, gateway: dict[str, Any], before: dict[str, Any] | None, scope_key: str
    ) -> None:
        config_id = child_id(gw_id, "gatewayIPConfigurations", gateway["name"])
        subnet_ref = ref(gateway["properties"].get("subnet"))
        if subnet_ref is None:
            raise ApplicationGatewaySubnetMissing(
                f"Gateway IP configuration {config_id} must reference a subnet.", details=[]
            )
        record, subnet = vnet.load_subnet(ctx, subnet_ref, config_id, "subnet")
        subnet_id = child_id(record.id, "subnets", subnet["name"])
        gateway["properties"]["subnet"] = {"id": subnet_id}
        state = (before or {}).get("properties", {})
        if same_id(state.get("subnet", {}).get("id"), subnet_id) and state.get("_address"):
            gateway["properties"]["_address"] = state["_address"]
            return
        if before is not None:
            _release_gateway(ctx, before)
        prefix = vnet.subnet_prefixes(subnet["properties"])[0]
        gateway["properties"]["_address"] = addressing.allocate_private(
            ctx, subnet_id, prefix, config_id, scope_key, subnet_name=subnet["name"]
        )

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        props = body["properties"]
        for collection in COLLECTIONS:
            shaped = []
            for item in props.get(collection, []):
                item = copy.deepcopy(item)
                item["properties"].pop("_address", None)
                shaped.append(sub_resource(record.id, collection, item, record.etag, f"{APPGW_TYPE}/{collection}"))
            props[collection] = shaped
        for pool in props["backendAddressPools"]:
            members = links.refs(call.ctx, pool["id"], MEMBERS)
            if members:
                pool["properties"]["backendIPConfigurations"] = members
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        for pool in record.body["properties"].get("backendAddressPools", []):
            pool_id = child_id(record.id, "backendAddressPools", pool["name"])
            user = links.first_member(call.ctx, pool_id, MEMBERS)
            if user:
                raise ApplicationGatewayBackendAddressPoolInUse(
                    f"Application gateway {record.id} cannot be deleted because its backend address pool "
                    f"{pool['name']} is in use by {user}.",
                    details=[],
                )

    def on_deleted(self, call: Call, record: Record) -> None:
        for gateway in record.body["properties"].get("gatewayIPConfigurations", []):
            _release_gateway(call.ctx, gateway)
        for frontend in record.body["properties"].get("frontendIPConfigurations", []):
            pip_id = ref(frontend.get("properties", {}).get("publicIPAddress"))
            if pip_id:
                publicip.dissociate(call.ctx, pip_id, child_id(record.id, "frontendIPConfigurations", frontend["name"]))


def _release_gateway(ctx: Context, gateway: dict[str, Any]) -> None:
    props = gateway.get("properties", {})
    subnet_id = ref(props.get("subnet"))
    if subnet_id and props.get("_address"):
        addressing.release_private(ctx, subnet_id, props["_address"])


def gateway_subnets(record: Record) -> list[str]:
    return [
        str(ref(g["properties"].get("subnet"))) for g in record.body["properties"].get("gatewayIPConfigurations", [])
    ]

"""Load balancers (Microsoft.Network/loadBalancers) and their inline child types.

Frontends take a public IP (whose SKU must match the LB's) or a private address in a subnet.
Backend pools list the ipconfigs that joined them (link records written by NIC binding); inbound NAT
pools hand one frontend port per joining ipconfig and show each as an auto-generated inbound NAT rule
`{pool}.{instanceId}` with its `backendIPConfiguration`, as Azure does for Uniform scale sets.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.context import Context
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.domain.network import addressing, links, publicip, vnet
from vmss_emulator.domain.network.common import (
    InvalidRequestFormat,
    LoadBalancerInUseByVirtualMachineScaleSet,
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

LB_TYPE = "Microsoft.Network/loadBalancers"
COLLECTIONS = (
    "frontendIPConfigurations",
    "backendAddressPools",
    "loadBalancingRules",
    "probes",
    "inboundNatRules",
    "inboundNatPools",
    "outboundRules",
)
# Which property of each rule kind must name a sibling of which collection.
_INTERNAL_REFS = {
    "loadBalancingRules": (
        ("frontendIPConfiguration", "frontendIPConfigurations"),
        ("backendAddressPool", "backendAddressPools"),
        ("probe", "probes"),
    ),
    "inboundNatRules": (
        ("frontendIPConfiguration", "frontendIPConfigurations"),
        ("backendAddressPool", "backendAddressPools"),
    ),
    "inboundNatPools": (("frontendIPConfiguration", "frontendIPConfigurations"),),
    "outboundRules": (("backendAddressPool", "backendAddressPools"),),
}
MEMBERS = "members"
# Scale sets naming a probe as their `healthProbe` (written by ScaleSetNetwork.validate_profile; a link whose scale
# set is gone or names another probe now is stale and ignored).
HEALTH_PROBE_USERS = "healthProbeUsers"


class PublicIPAndLBSkuDoNotMatch(BadRequest):
    pass


class InvalidFrontendPortRange(BadRequest):
    code = "InboundNatPoolFrontendPortRangeIsInvalid"


class CannotRemoveRuleUsedByProbeUsedByVMSS(BadRequest):
    pass


class InUseBackendAddressPoolCannotBeDeleted(BadRequest):
    code = "LoadBalancerBackendAddressPoolInUseByVirtualMachineScaleSet"


def sku_mismatch(lb_id: str, lb_sku: str, pip_id: str, pip_sku: str) -> PublicIPAndLBSkuDoNotMatch:
    return PublicIPAndLBSkuDoNotMatch(
        f"{lb_sku} sku load balancer {lb_id} cannot reference {pip_sku} sku publicIP {pip_id}.", details=[]
    )


def _items(props: dict[str, Any], collection: str) -> list[dict[str, Any]]:
    out = []
    for raw in require_list(props.get(collection), f"properties.{collection}"):
        if not isinstance(raw, dict) or not raw.get("name"):
            raise InvalidRequestFormat("Cannot parse the request.", details=[])
        item_props = copy.deepcopy(require_dict(raw.get("properties"), f"{collection}.properties"))
        for computed in ("provisioningState", "backendIPConfigurations", "backendIPConfiguration",
                         "loadBalancingRules", "inboundNatRules", "inboundNatPools", "outboundRules",
                         "loadBalancerBackendAddresses"):  # fmt: skip
            item_props.pop(computed, None)
        out.append({"name": str(raw["name"]), "properties": item_props})
    return out


class LoadBalancers(TrackedResourceType):
    full_type = LB_TYPE
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        ctx = call.ctx
        lb_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        sku = require_dict(body.get("sku"), "sku")
        sku_name = "Standard" if str(sku.get("name", "Basic")).lower() == "standard" else "Basic"
        collections = {c: _items(props, c) for c in COLLECTIONS}
        # A GET-then-PUT client sends back the rules Azure generated for NAT pools; they are not the client's.
        generated = tuple(f"{pool['name'].lower()}." for pool in collections["inboundNatPools"])
        collections["inboundNatRules"] = [
            rule
            for rule in collections["inboundNatRules"]
            if not (rule["name"].lower().startswith(generated) and rule["name"].rsplit(".", 1)[-1].isdigit())
        ]
        names = {c: {i["name"].lower() for i in items} for c, items in collections.items()}
        for collection, checks in _INTERNAL_REFS.items():
            for item in collections[collection]:
                for prop, sibling in checks:
                    target = ref(item["properties"].get(prop))
                    if target is None:
                        continue
                    parent, _, name = target.rpartition(f"/{sibling}/")
                    if not same_id(parent, lb_id) or name.lower() not in names[sibling]:
                        raise missing_reference(target, child_id(lb_id, collection, item["name"]))
        for pool in collections["inboundNatPools"]:
            p = pool["properties"]
            start, end = p.get("frontendPortRangeStart"), p.get("frontendPortRangeEnd")
            if not (isinstance(start, int) and isinstance(end, int) and 1 <= start <= end <= 65534):
                raise InvalidFrontendPortRange(
                    f"Inbound NAT pool {pool['name']} has an invalid frontend port range {start}-{end}.", details=[]
                )
        if existing is not None:
            self._check_dropped(ctx, existing, names)
        previous = {
            f["name"].lower(): f for f in (existing.body["properties"]["frontendIPConfigurations"] if existing else [])
        }
        for frontend in collections["frontendIPConfigurations"]:
            self._frontend(
                ctx,
                lb_id,
                sku_name,
                frontend,
                previous.pop(frontend["name"].lower(), None),
                existing.scope_key if existing else call.rid.scope_key,
            )
        for gone in previous.values():
            release_frontend(ctx, lb_id, gone)
        document: dict[str, Any] = {"sku": {"name": sku_name, "tier": sku.get("tier", "Regional")}}
        document["properties"] = {
            "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
            **collections,
        }
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def _check_dropped(self, ctx: Context, existing: Record, names: dict[str, set[str]]) -> None:
        for rule in existing.body["properties"].get("loadBalancingRules", []):
            probe_id = ref(rule["properties"].get("probe"))
            if rule["name"].lower() in names["loadBalancingRules"] or not probe_id:
                continue
            user = _health_probe_user(ctx, probe_id)
            if user:
                raise CannotRemoveRuleUsedByProbeUsedByVMSS(
                    f"Load balancer rule {child_id(existing.id, 'loadBalancingRules', rule['name'])} cannot be "
                    f"removed because the rule references the load balancer probe {probe_id} that is used as health "
                    f"probe by VM scale set {user}. To remove this rule, please update VM scale set to remove the "
                    "reference to the probe.",
                    details=[],
                )
        for collection in ("backendAddressPools", "inboundNatPools", "inboundNatRules"):
            for item in existing.body["properties"].get(collection, []):
                if item["name"].lower() in names[collection]:
                    continue
                item_id = child_id(existing.id, collection, item["name"])
                user = links.first_member(ctx, item_id, MEMBERS)
                # A NAT rule V2 (port range over a backend pool) is referenced by no ipconfig: its port mappings
                # derive from pool membership, so a PUT without it (az vmss create run again) may drop it. Its
                # ports stay held by their members and come back when the rule is put again.
                if user is None and not _is_pool_nat_rule(collection, item):
                    user = _first_port_user(ctx, item_id)
                if user:
                    raise InUseBackendAddressPoolCannotBeDeleted(
                        f"Cannot remove {item_id} from load balancer {existing.id} because it is in use by {user}.",
                        details=[],
                    )

    def _frontend(
        self,
        ctx: Context,
        lb_id: str,
        sku_name: str,
        frontend: dict[str, Any],
        before: dict[str, Any] | None,
        scope_key: str,
    ) -> None:
        fe_id = child_id(lb_id, "frontendIPConfigurations", frontend["name"])
        p = frontend["properties"]
        pip_id = ref(p.get("publicIPAddress"))
        old_pip = ref((before or {}).get("properties", {}).get("publicIPAddress"))
        if old_pip and not same_id(old_pip, pip_id):
            publicip.dissociate(ctx, old_pip, fe_id)
        if pip_id:
            pip = publicip.associate(ctx, pip_id, fe_id, fe_id, "publicIPAddress")
            if pip.body["sku"]["name"] != sku_name:
                raise sku_mismatch(lb_id, sku_name, pip.id, pip.body["sku"]["name"])
            p["publicIPAddress"] = {"id": pip.id}
            p.pop("subnet", None)
        subnet_id = ref(p.get("subnet"))
        old_subnet = ref((before or {}).get("properties", {}).get("subnet"))
        old_ip = (before or {}).get("properties", {}).get("privateIPAddress")
        if old_subnet and old_ip and not same_id(old_subnet, subnet_id):
            addressing.release_private(ctx, old_subnet, old_ip)
            old_ip = None
        if subnet_id:
            record, subnet = vnet.load_subnet(ctx, subnet_id, fe_id, "subnet")
            subnet_id = child_id(record.id, "subnets", subnet["name"])
            p["subnet"] = {"id": subnet_id}
            p.setdefault("privateIPAllocationMethod", "Dynamic")
            p["privateIPAddressVersion"] = "IPv4"
            if old_ip:
                p["privateIPAddress"] = old_ip
            else:
                prefix = vnet.subnet_prefixes(subnet["properties"])[0]
                p["privateIPAddress"] = addressing.allocate_private(
                    ctx,
                    subnet_id,
                    prefix,
                    fe_id,
                    scope_key,
                    preferred=p.get("privateIPAddress"),
                    subnet_name=subnet["name"],
                )

    # -- views ------------------------------------------------------------------------------------

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        ctx = call.ctx
        body = copy.deepcopy(record.body)
        props = body["properties"]
        shaped: dict[str, list[dict[str, Any]]] = {}
        for collection in COLLECTIONS:
            shaped[collection] = [
                sub_resource(record.id, collection, item, record.etag, f"{LB_TYPE}/{collection}")
                for item in props.get(collection, [])
            ]
        for pool in shaped["backendAddressPools"]:
            members = links.refs(ctx, pool["id"], MEMBERS)
            if members:
                pool["properties"]["backendIPConfigurations"] = members
                pool["properties"]["loadBalancerBackendAddresses"] = backend_addresses(
                    ctx, record, pool["id"], [m["id"] for m in members]
                )
        for rule in shaped["inboundNatRules"]:
            member = links.first_member(ctx, rule["id"], MEMBERS)
            if member:
                rule["properties"]["backendIPConfiguration"] = {"id": member}
        for pool in shaped["inboundNatPools"]:
            shaped["inboundNatRules"].extend(generated_rules(ctx, record, pool))
        for probe in shaped["probes"]:
            users = [
                {"id": rule["id"]}
                for rule in shaped["loadBalancingRules"]
                if same_id(ref(rule["properties"].get("probe")), probe["id"])
            ]
            if users:
                probe["properties"]["loadBalancingRules"] = users
        props.update(shaped)
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        for collection in ("backendAddressPools", "inboundNatPools", "inboundNatRules"):
            for item in record.body["properties"].get(collection, []):
                item_id = child_id(record.id, collection, item["name"])
                user = links.first_member(call.ctx, item_id, MEMBERS) or _first_port_user(call.ctx, item_id)
                if user:
                    raise LoadBalancerInUseByVirtualMachineScaleSet(
                        f"Cannot delete load balancer {record.id} since its child resources {item['name']} are in "
                        f"use by {user}.",
                        details=[],
                    )

    def on_deleted(self, call: Call, record: Record) -> None:
        for frontend in record.body["properties"].get("frontendIPConfigurations", []):
            release_frontend(call.ctx, record.id, frontend)


def release_frontend(ctx: Context, lb_id: str, frontend: dict[str, Any]) -> None:
    fe_id = child_id(lb_id, "frontendIPConfigurations", frontend["name"])
    p = frontend.get("properties", {})
    pip_id = ref(p.get("publicIPAddress"))
    if pip_id:
        publicip.dissociate(ctx, pip_id, fe_id)
    subnet_id = ref(p.get("subnet"))
    if subnet_id and p.get("privateIPAddress"):
        addressing.release_private(ctx, subnet_id, p["privateIPAddress"])


def backend_addresses(ctx: Context, record: Record, pool_id: str, members: list[str]) -> list[dict[str, Any]]:
    """`loadBalancerBackendAddresses` of a pool: one per member ipconfig, with its NAT rule V2 port mappings."""
    mappings: dict[str, list[dict[str, Any]]] = {}
    for rule in record.body["properties"].get("inboundNatRules", []):
        if (ref(rule["properties"].get("backendAddressPool")) or "").lower() != pool_id.lower():
            continue
        for port, taken in addressing.pool_ports(ctx, child_id(record.id, "inboundNatRules", rule["name"])):
            mappings.setdefault(str(taken["id"]).lower(), []).append(
                {"inboundNatRuleName": rule["name"], "frontendPort": port, "backendPort": taken.get("backendPort")}
            )
    out = []
    for member in members:
        name = links.member_name(member)
        address: dict[str, Any] = {
            "provisioningState": "Succeeded",
            "networkInterfaceIPConfiguration": {"id": member},
        }
        if mappings.get(member.lower()):
            address["inboundNatRulesPortMapping"] = mappings[member.lower()]
        out.append(
            {
                "name": name,
                "id": f"{pool_id}/loadBalancerBackendAddresses/{name}",
                "etag": record.etag,
                "properties": address,
            }
        )
    return out


def _health_probe_user(ctx: Context, probe_id: str) -> str | None:
    """A scale set that names `probe_id` as its health probe now (links of deleted or changed scale sets are stale)."""
    for user in links.member_ids(ctx, probe_id, HEALTH_PROBE_USERS):
        record = ctx.store.get(ResourceId.parse(user).key)
        profile = (record.body.get("properties") or {}).get("virtualMachineProfile") if record else None
        network = (profile or {}).get("networkProfile") or {}
        if same_id(ref(network.get("healthProbe")), probe_id):
            return str(record.id) if record else user
    return None


def _is_pool_nat_rule(collection: str, item: dict[str, Any]) -> bool:
    return collection == "inboundNatRules" and ref(item.get("properties", {}).get("backendAddressPool")) is not None


def _first_port_user(ctx: Context, pool_id: str) -> str | None:
    ports = addressing.pool_ports(ctx, pool_id)
    return str(ports[0][1].get("id")) if ports else None


def generated_rules(ctx: Context, record: Record, pool: dict[str, Any]) -> list[dict[str, Any]]:
    """The inbound NAT rules Azure derives from a NAT pool: one per member ipconfig, `{pool}.{n}`."""
    p = pool["properties"]
    rules = []
    for port, taken in addressing.pool_ports(ctx, pool["id"]):
        name = str(taken["rule"])
        rules.append(
            {
                "name": name,
                "id": child_id(record.id, "inboundNatRules", name),
                "etag": record.etag,
                "type": f"{LB_TYPE}/inboundNatRules",
                "properties": {
                    "provisioningState": "Succeeded",
                    "frontendIPConfiguration": p.get("frontendIPConfiguration"),
                    "frontendPort": port,
                    "backendPort": p.get("backendPort"),
                    "enableFloatingIP": p.get("enableFloatingIP", False),
                    "idleTimeoutInMinutes": p.get("idleTimeoutInMinutes", 4),
                    "protocol": p.get("protocol", "Tcp"),
                    "enableDestinationServiceEndpoint": False,
                    "enableTcpReset": p.get("enableTcpReset", False),
                    "allowBackendPortConflict": False,
                    "backendIPConfiguration": {"id": taken["id"]},
                },
            }
        )
    return rules

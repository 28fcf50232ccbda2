"""Network security groups (Microsoft.Network/networkSecurityGroups[/securityRules]).

Every NSG carries Azure's six default rules (three inbound, three outbound, priorities 65000-65500).
Subnets and NICs that use the group are link records ("subnets", "networkInterfaces"), shown on the
group and blocking its deletion (`InUseNetworkSecurityGroupCannotBeDeleted`).
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import links
from vmss_emulator.domain.network.common import (
    InUseNetworkSecurityGroupCannotBeDeleted,
    InvalidRequestFormat,
    require_dict,
    require_list,
    sub_resource,
)
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

RULE_TYPE = "Microsoft.Network/networkSecurityGroups/securityRules"
DEFAULT_RULE_TYPE = "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"

_DEFAULTS = (
    (
        "AllowVnetInBound",
        "Allow inbound traffic from all VMs in VNET",
        "VirtualNetwork",
        "VirtualNetwork",
        "Allow",
        65000,
        "Inbound",
    ),
    (
        "AllowAzureLoadBalancerInBound",
        "Allow inbound traffic from azure load balancer",
        "AzureLoadBalancer",
        "*",
        "Allow",
        65001,
        "Inbound",
    ),
    ("DenyAllInBound", "Deny all inbound traffic", "*", "*", "Deny", 65500, "Inbound"),
    (
        "AllowVnetOutBound",
        "Allow outbound traffic from all VMs to all VMs in VNET",
        "VirtualNetwork",
        "VirtualNetwork",
        "Allow",
        65000,
        "Outbound",
    ),
    (
        "AllowInternetOutBound",
        "Allow outbound traffic from all VMs to Internet",
        "*",
        "Internet",
        "Allow",
        65001,
        "Outbound",
    ),
    ("DenyAllOutBound", "Deny all outbound traffic", "*", "*", "Deny", 65500, "Outbound"),
)


class SecurityRuleParameterValidationFailed(BadRequest):
    pass


class SecurityRulesWithSamePriorityAndDirection(BadRequest):
    code = "SecurityRuleConflict"


def default_rules() -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "properties": {
                "description": description,
                "protocol": "*",
                "sourcePortRange": "*",
                "destinationPortRange": "*",
                "sourceAddressPrefix": source,
                "destinationAddressPrefix": destination,
                "access": access,
                "priority": priority,
                "direction": direction,
                "sourcePortRanges": [],
                "destinationPortRanges": [],
                "sourceAddressPrefixes": [],
                "destinationAddressPrefixes": [],
            },
        }
        for name, description, source, destination, access, priority, direction in _DEFAULTS
    ]


def _rule(nsg_id: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("name"):
        raise InvalidRequestFormat("Cannot parse the request.", details=[])
    name = str(raw["name"])
    props = copy.deepcopy(require_dict(raw.get("properties"), f"securityRules[{name}].properties"))
    props.pop("provisioningState", None)
    priority = props.get("priority")
    if not isinstance(priority, int) or not 100 <= priority <= 4096:
        raise SecurityRuleParameterValidationFailed(
            f"Security rule has invalid Priority. Value provided: {priority} Allowed range 100-4096.",
            details=[],
        )
    if props.get("direction") not in ("Inbound", "Outbound"):
        raise SecurityRuleParameterValidationFailed(
            f"Security rule {name} has invalid Direction. Allowed values are Inbound and Outbound.", details=[]
        )
    if props.get("access") not in ("Allow", "Deny"):
        raise SecurityRuleParameterValidationFailed(
            f"Security rule {name} has invalid Access. Allowed values are Allow and Deny.", details=[]
        )
    props.setdefault("protocol", "*")
    for plural in ("sourcePortRanges", "destinationPortRanges", "sourceAddressPrefixes", "destinationAddressPrefixes"):
        props.setdefault(plural, [])
    return {"name": name, "properties": props}


class NetworkSecurityGroups(TrackedResourceType):
    full_type = "Microsoft.Network/networkSecurityGroups"
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        nsg_id = str(existing.id if existing else call.rid)
        props = require_dict(body.get("properties"), "properties")
        rules = [_rule(nsg_id, r) for r in require_list(props.get("securityRules"), "properties.securityRules")]
        taken: dict[tuple[int, str], str] = {}
        for rule in rules:
            key = (rule["properties"]["priority"], rule["properties"]["direction"])
            if key in taken:
                raise SecurityRulesWithSamePriorityAndDirection(
                    f"Security rule {rule['name']} conflicts with rule {taken[key]}. Rules cannot have the same "
                    "Priority and Direction. To learn more, see aka.ms/nsgrules.",
                    details=[],
                )
            taken[key] = rule["name"]
        document: dict[str, Any] = {
            "properties": {
                "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
                "securityRules": rules,
                "defaultSecurityRules": default_rules(),
            }
        }
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        props = body["properties"]
        props["securityRules"] = [
            sub_resource(record.id, "securityRules", r, record.etag, RULE_TYPE) for r in props.get("securityRules", [])
        ]
        props["defaultSecurityRules"] = [
            sub_resource(record.id, "defaultSecurityRules", r, record.etag, DEFAULT_RULE_TYPE)
            for r in props.get("defaultSecurityRules", [])
        ]
        nics = links.refs(call.ctx, record.id, "networkInterfaces")
        if nics:
            props["networkInterfaces"] = nics
        subnets = links.refs(call.ctx, record.id, "subnets")
        if subnets:
            props["subnets"] = subnets
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        user = links.first_member(call.ctx, record.id, "networkInterfaces") or links.first_member(
            call.ctx, record.id, "subnets"
        )
        if user:
            raise InUseNetworkSecurityGroupCannotBeDeleted(
                f"Network security group {record.id} cannot be deleted because it is in use by the following "
                f"resources: {user}. In order to delete the Network security group, remove the association with "
                "the resource(s). To learn how to do this, see aka.ms/deletensg.",
                details=[],
            )

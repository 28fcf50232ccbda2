"""`POST .../networkInterfaces/{nic}/effectiveNetworkSecurityGroups`: the NSGs that apply to a NIC.

One entry per group that applies: the group of the NIC's (primary ipconfig's) subnet, associated with the
subnet, then the NIC's own group, associated with the NIC. Rules are shown as Azure expands them: user
rules as `securityRules/{name}`, then `defaultSecurityRules/{name}`, `*` protocol as `All`, `*` ports as
`0-65535`. Service tags are not expanded into address lists (no tag map).
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.context import Context
from vmss_emulator.domain.network.common import ref

_ANY_PORTS = "0-65535"


def _ports(single: Any, many: Any) -> tuple[str | None, list[str]]:
    values = [str(v) for v in (many or [])] or ([str(single)] if single is not None else [])
    values = [_ANY_PORTS if v == "*" else (v if "-" in v else f"{v}-{v}") for v in values]
    if len(values) == 1:
        return values[0], []
    return None, values


def _prefixes(single: Any, many: Any) -> tuple[str | None, list[str]]:
    values = [str(v) for v in (many or [])] or ([str(single)] if single is not None else [])
    values = ["0.0.0.0/0" if v == "*" else v for v in values]
    if len(values) == 1:
        return values[0], []
    return None, values


def _effective_rule(prefix: str, rule: dict[str, Any]) -> dict[str, Any]:
    p = rule.get("properties") or {}
    protocol = str(p.get("protocol", "*"))
    out: dict[str, Any] = {
        "name": f"{prefix}/{rule['name']}",
        "protocol": "All" if protocol == "*" else protocol,
    }
    for key, single, many in (
        ("sourcePort", p.get("sourcePortRange"), p.get("sourcePortRanges")),
        ("destinationPort", p.get("destinationPortRange"), p.get("destinationPortRanges")),
    ):
        one, several = _ports(single, many)
        if one is not None:
            out[f"{key}Range"] = one
        out[f"{key}Ranges"] = several or [one]
    for key, single, many in (
        ("sourceAddress", p.get("sourceAddressPrefix"), p.get("sourceAddressPrefixes")),
        ("destinationAddress", p.get("destinationAddressPrefix"), p.get("destinationAddressPrefixes")),
    ):
        one, several = _prefixes(single, many)
        if one is not None:
            out[f"{key}Prefix"] = one
        out[f"{key}Prefixes"] = several or [one]
        out[f"expanded{key[0].upper()}{key[1:]}Prefix"] = []
    out.update(access=p.get("access"), priority=p.get("priority"), direction=p.get("direction"))
    return out


def _group(ctx: Context, nsg_id: str, association: dict[str, Any]) -> dict[str, Any] | None:
    record = ctx.store.get(nsg_id)
    if record is None:
        return None
    props = record.body["properties"]
    rules = [_effective_rule("securityRules", r) for r in props.get("securityRules", [])]
    rules += [_effective_rule("defaultSecurityRules", r) for r in props.get("defaultSecurityRules", [])]
    return {"networkSecurityGroup": {"id": record.id}, "association": association, "effectiveSecurityRules": rules}


def effective_groups(ctx: Context, nic_id: str, nic_body: dict[str, Any]) -> list[dict[str, Any]]:
    props = nic_body.get("properties") or {}
    ipconfigs = props.get("ipConfigurations") or []
    first = ipconfigs[0] if ipconfigs else None
    primary = next((c for c in ipconfigs if (c.get("properties") or {}).get("primary")), first)
    out: list[dict[str, Any]] = []
    subnet_id = ref(((primary or {}).get("properties") or {}).get("subnet"))
    if subnet_id:
        vnet_id, _, name = subnet_id.rpartition("/subnets/")
        vnet = ctx.store.get(vnet_id)
        items = vnet.body["properties"].get("subnets", []) if vnet else []
        subnet = next((s for s in items if s["name"].lower() == name.lower()), None)
        subnet_nsg = ref(((subnet or {}).get("properties") or {}).get("networkSecurityGroup"))
        if subnet_nsg:
            group = _group(ctx, subnet_nsg, {"subnet": {"id": subnet_id}})
            if group:
                out.append(group)
    nic_nsg = ref(props.get("networkSecurityGroup"))
    if nic_nsg:
        group = _group(ctx, nic_nsg, {"networkInterface": {"id": nic_id}})
        if group:
            out.append(group)
    return out

"""`POST .../loadBalancers/{lb}/backendAddressPools/{pool}/queryInboundNatRulePortMapping`.

Answers which frontend port each "NAT rule V2" (an inbound NAT rule with a frontend port range over this
backend pool) gave one member of the pool. The member's ports are read from its NIC's binding state, so
the answer costs O(its rules), whatever the size of the pool.
"""

from __future__ import annotations

from typing import Any

from vmss_emulator.domain.errors import BadRequest, NotFound
from vmss_emulator.domain.network import links
from vmss_emulator.domain.network.common import InvalidRequestFormat, child_id, ref, same_id
from vmss_emulator.domain.network.inline import InlineChildType
from vmss_emulator.domain.network.loadbalancer import MEMBERS
from vmss_emulator.domain.registry import Call, Outcome, not_found

ENDPOINT = "queryinboundnatruleportmapping"


class IpAddressQueryNotSupported(BadRequest):
    code = "InvalidRequestFormat"


class LoadBalancerBackendPools(InlineChildType):
    """The LB's `backendAddressPools` child type, plus the port-mapping query."""

    def post_action(self, call: Call) -> Outcome:
        if (call.endpoint or "").lower() != ENDPOINT:
            raise not_found(call.rid, endpoint=call.endpoint, network=True)
        pool = self._find(call)
        if pool is None:
            raise not_found(call.rid, network=True)
        body = call.body if isinstance(call.body, dict) else {}
        ipconfig_id = ref(body.get("ipConfiguration"))
        if ipconfig_id is None:
            if body.get("ipAddress"):
                # Only IP-based pools (loadBalancerBackendAddresses with ipAddress) are queried by address.
                raise IpAddressQueryNotSupported(
                    f"Backend address pool {pool['id']} is NIC-based; query it by ipConfiguration.", details=[]
                )
            raise InvalidRequestFormat("Cannot parse the request.", details=[])
        if links.get(call.ctx, pool["id"], MEMBERS, links.member_name(ipconfig_id)) is None:
            raise NotFound(
                f"IP configuration {ipconfig_id} is not a member of backend address pool {pool['id']}.", details=[]
            )
        return Outcome(status=200, body={"inboundNatRulePortMappings": self._mappings(call, pool, ipconfig_id)})

    def _mappings(self, call: Call, pool: dict[str, Any], ipconfig_id: str) -> list[dict[str, Any]]:
        _, lb = self._parent_record(call)
        rules = {
            child_id(lb.id, "inboundNatRules", r["name"]).lower(): r
            for r in lb.body["properties"].get("inboundNatRules", [])
            if same_id(ref(r["properties"].get("backendAddressPool")), pool["id"])
        }
        nic_id, _, name = ipconfig_id.rpartition("/ipConfigurations/")
        nic = call.ctx.store.get(nic_id)
        state = (nic.state.get("ipconfigs", {}) if nic else {}).get(name) or {}
        out = []
        for rule_id, port in state.get("natPorts", []):
            rule = rules.get(str(rule_id).lower())
            if rule is None:
                continue
            p = rule["properties"]
            out.append(
                {
                    "inboundNatRuleName": rule["name"],
                    "protocol": p.get("protocol", "Tcp"),
                    "frontendPort": int(port),
                    "backendPort": p.get("backendPort"),
                }
            )
        return out

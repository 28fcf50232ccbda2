"""Public IP prefixes (Microsoft.Network/publicIPPrefixes): aligned blocks of 198.19.0.0/16.

Public IPs that name a prefix take their address from it (see `publicip.take_address`); the prefix
lists them and cannot be deleted while any exists.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator.domain.apiversions import NETWORK
from vmss_emulator.domain.errors import BadRequest
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.network import addressing, ipam, links
from vmss_emulator.domain.network.common import PublicIpPrefixInUse, require_dict
from vmss_emulator.domain.network.publicip import PREFIX_TYPE
from vmss_emulator.domain.registry import Call
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record

_PREFIXES_META = "network.publicIPPrefixes"


class InvalidPublicIpPrefixLength(BadRequest):
    code = "PublicIpPrefixLengthIsInvalid"


class PublicIPPrefixes(TrackedResourceType):
    full_type = PREFIX_TYPE
    api_versions = NETWORK

    def build(self, call: Call, existing: Record | None) -> dict[str, Any]:
        body = call.body
        props = require_dict(body.get("properties"), "properties")
        length = props.get("prefixLength", 28)
        if existing is not None:
            length = existing.body["properties"]["prefixLength"]
        elif not isinstance(length, int) or not 21 <= length <= 31:
            raise InvalidPublicIpPrefixLength(
                f"Public IP prefix {call.rid} has invalid prefix length {length}. Allowed values are 21 to 31.",
                details=[],
            )
        document_props: dict[str, Any] = {
            "resourceGuid": existing.body["properties"]["resourceGuid"] if existing else new_guid(),
            "prefixLength": length,
            "publicIPAddressVersion": "IPv4",
            "ipTags": copy.deepcopy(props.get("ipTags") or []),
        }
        if existing is not None:
            document_props["ipPrefix"] = existing.body["properties"]["ipPrefix"]
        else:
            taken = list(call.ctx.store.get_meta(_PREFIXES_META) or [])
            prefix = ipam.allocate_public_prefix(taken, int(length))
            call.ctx.store.put_meta(_PREFIXES_META, [*taken, prefix])
            document_props["ipPrefix"] = prefix
        document: dict[str, Any] = {"sku": {"name": "Standard", "tier": "Regional"}}
        if body.get("zones"):
            document["zones"] = list(body["zones"])
        document["properties"] = document_props
        if body.get("tags") is not None:
            document["tags"] = body["tags"]
        return document

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        users = links.refs(call.ctx, record.id, addressing.IP_KIND)
        if users:
            body["properties"]["publicIPAddresses"] = users
        return body

    def before_delete(self, call: Call, record: Record) -> None:
        user = links.first_member(call.ctx, record.id, addressing.IP_KIND)
        if user:
            raise PublicIpPrefixInUse(
                f"Public IP prefix {record.id} cannot be deleted because it is in use by {user}.", details=[]
            )

    def on_deleted(self, call: Call, record: Record) -> None:
        taken = [p for p in call.ctx.store.get_meta(_PREFIXES_META) or [] if p != record.body["properties"]["ipPrefix"]]
        call.ctx.store.put_meta(_PREFIXES_META, taken)

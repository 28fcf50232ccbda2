"""Read-only Network endpoints nested under Microsoft.Compute scale sets (Uniform VMs' NICs and public IPs).

    GET .../virtualMachineScaleSets/{vmss}/networkInterfaces
    GET .../virtualMachineScaleSets/{vmss}/publicipaddresses
    GET .../virtualMachines/{i}/networkInterfaces[/{nic}]
    GET .../networkInterfaces/{nic}/ipConfigurations[/{ipconfig}]
    GET .../ipConfigurations/{ipconfig}/publicipaddresses[/{pip}]

They answer with the Network RP's shapes and its 404 (`NotFound`, `details: []`), and accept only the
api-versions of `NETWORK_VMSS` (clients pin 2018-10-01, az 2023-09-01, the docs 2017-03-30).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from vmss_emulator.domain.apiversions import NETWORK_VMSS
from vmss_emulator.domain.network import links, outbound
from vmss_emulator.domain.network.binding import NESTED_PIP_TYPE
from vmss_emulator.domain.network.common import ref
from vmss_emulator.domain.network.scaleset import NESTED_NIC_TYPE, VMSS_NICS
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.store import Record

VMSS = "Microsoft.Compute/virtualMachineScaleSets"


class _Nested(ResourceType):
    api_versions: ClassVar[tuple[str, ...]] = NETWORK_VMSS
    child_not_found_code: ClassVar[str] = "NotFound"

    @staticmethod
    def _require(call: Call, key: str) -> Record:
        record = call.ctx.store.get(key)
        if record is None:
            raise not_found(call.rid, network=True)
        return record

    def _nic(self, call: Call, nic_key: str) -> Record:
        record = call.ctx.store.get(nic_key)
        if record is None or record.type_key != NESTED_NIC_TYPE.lower():
            raise not_found(call.rid, network=True)
        return record

    @staticmethod
    def _ipconfig(call: Call, nic: Record, name: str) -> dict[str, Any]:
        for item in nic.body["properties"].get("ipConfigurations", []):
            if item["name"].lower() == name.lower():
                return copy.deepcopy(item)
        raise not_found(call.rid, network=True)

    def current_etag(self, call: Call) -> str | None:
        return None


class ScaleSetNetworkInterfaces(_Nested):
    full_type = f"{VMSS}/networkInterfaces"

    def list(self, call: Call) -> list[dict[str, Any]]:
        self._require(call, call.rid.key)
        nics = call.ctx.store.get_many(links.member_ids(call.ctx, str(call.rid), VMSS_NICS))
        return [r.body for r in nics if r.type_key == NESTED_NIC_TYPE.lower()]


class ScaleSetPublicIPAddresses(_Nested):
    full_type = f"{VMSS}/publicIPAddresses"

    def list(self, call: Call) -> list[dict[str, Any]]:
        self._require(call, call.rid.key)
        return [r.body for r in call.ctx.store.list_children(call.rid.key, NESTED_PIP_TYPE)]


class ScaleSetVMNetworkInterfaces(_Nested):
    full_type = f"{VMSS}/virtualMachines/networkInterfaces"

    def list(self, call: Call) -> list[dict[str, Any]]:
        self._require(call, call.rid.key)
        return [r.body for r in call.ctx.store.list_children(call.rid.key, NESTED_NIC_TYPE)]

    def get(self, call: Call) -> Outcome:
        record = self._nic(call, call.rid.key)
        return Outcome(status=200, body=record.body, etag=record.etag)

    def post_action(self, call: Call) -> Outcome:
        """`effectiveRouteTable` of a Uniform VM's NIC (Uniform VMs always have default outbound access)."""
        if (call.endpoint or "").lower() != "effectiveroutetable":
            raise not_found(call.rid, endpoint=call.endpoint, network=True)
        record = self._nic(call, call.rid.key)
        return Outcome(status=200, body={"value": outbound.effective_routes(call.ctx, record.body, "Uniform")})


class ScaleSetVMIPConfigurations(_Nested):
    full_type = f"{VMSS}/virtualMachines/networkInterfaces/ipConfigurations"

    def list(self, call: Call) -> list[dict[str, Any]]:
        nic = self._nic(call, call.rid.key)
        return copy.deepcopy(list(nic.body["properties"].get("ipConfigurations", [])))

    def get(self, call: Call) -> Outcome:
        assert call.rid.parent is not None
        nic = self._nic(call, call.rid.parent.key)
        item = self._ipconfig(call, nic, call.rid.name)
        return Outcome(status=200, body=item, etag=item.get("etag"))


class ScaleSetVMPublicIPAddresses(_Nested):
    full_type = f"{VMSS}/virtualMachines/networkInterfaces/ipConfigurations/publicIPAddresses"

    def _pip_of(self, call: Call, ipconfig_rid: Any) -> Record | None:
        nic = self._nic(call, ipconfig_rid.parent.key)
        item = self._ipconfig(call, nic, ipconfig_rid.name)
        pip_id = ref(item["properties"].get("publicIPAddress"))
        return call.ctx.store.get(pip_id) if pip_id else None

    def list(self, call: Call) -> list[dict[str, Any]]:
        pip = self._pip_of(call, call.rid)
        return [pip.body] if pip is not None and pip.type_key == NESTED_PIP_TYPE.lower() else []

    def get(self, call: Call) -> Outcome:
        pip = self._pip_of(call, call.rid.parent)
        if pip is None or pip.key != call.rid.key:
            raise not_found(call.rid, network=True)
        return Outcome(status=200, body=pip.body, etag=pip.etag)


ALL = (
    ScaleSetNetworkInterfaces,
    ScaleSetPublicIPAddresses,
    ScaleSetVMNetworkInterfaces,
    ScaleSetVMIPConfigurations,
    ScaleSetVMPublicIPAddresses,
)

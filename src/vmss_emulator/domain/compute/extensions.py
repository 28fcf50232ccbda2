"""Microsoft.Compute/virtualMachineScaleSets/extensions: views onto `extensionProfile.extensions`.

The scale-set model is the single source of truth: a PUT/PATCH/DELETE here rewrites the model through the
scale-set type, so changing `settings` or `forceUpdateTag` is a model change that makes VMs out of date and
is applied per the upgrade policy (seed: "アプリケーションの更新"). protectedSettings are write-only.
"""

from __future__ import annotations

import copy
from typing import Any

from vmss_emulator._utils.casing import merge_patch
from vmss_emulator.domain.apiversions import COMPUTE
from vmss_emulator.domain.compute import model
from vmss_emulator.domain.compute.scaleset import ScaleSets
from vmss_emulator.domain.errors import InvalidRequestContent
from vmss_emulator.domain.registry import Call, Outcome, ResourceType, not_found
from vmss_emulator.store import Record

EXTENSION_TYPE = "Microsoft.Compute/virtualMachineScaleSets/extensions"


def _extensions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    profile = model.vm_profile(doc)
    ext_profile = profile.setdefault("extensionProfile", {})
    extensions = ext_profile.setdefault("extensions", [])
    assert isinstance(extensions, list)
    return extensions


def _find(extensions: list[dict[str, Any]], name: str) -> int | None:
    return next((i for i, e in enumerate(extensions) if str(e.get("name", "")).lower() == name.lower()), None)


class ScaleSetExtensions(ResourceType):
    full_type = EXTENSION_TYPE
    api_versions = COMPUTE

    def __init__(self, scale_sets: ScaleSets) -> None:
        self.scale_sets = scale_sets

    def _vmss(self, call: Call) -> Record:
        rid = call.rid if call.collection else call.rid.parent
        assert rid is not None
        return self.scale_sets.load(call, rid)

    def _view(self, vmss: Record, extension: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": extension.get("name"),
            "id": f"{vmss.id}/extensions/{extension.get('name')}",
            "type": EXTENSION_TYPE,
            "properties": copy.deepcopy(extension.get("properties") or {}),
        }

    def get(self, call: Call) -> Outcome:
        vmss = self._vmss(call)
        extensions = model.dig(vmss.body, "properties", "virtualMachineProfile", "extensionProfile", "extensions") or []
        index = _find(extensions, call.rid.name)
        if index is None:
            raise not_found(call.rid)
        return Outcome(200, self._view(vmss, extensions[index]))

    def list(self, call: Call) -> list[dict[str, Any]]:
        vmss = self._vmss(call)
        extensions = model.dig(vmss.body, "properties", "virtualMachineProfile", "extensionProfile", "extensions") or []
        return [self._view(vmss, e) for e in extensions]

    def _write(self, call: Call, vmss: Record, change: Any) -> tuple[Outcome, bool]:
        doc = copy.deepcopy(vmss.body)
        extensions = _extensions(doc)
        index = _find(extensions, call.rid.name)
        existed = index is not None
        result = change(extensions, index)
        outcome = self.scale_sets.apply(call, vmss, doc)
        if result is not None:
            outcome.body = self._view(vmss, result)
            outcome.body["properties"]["provisioningState"] = "Updating" if existed else "Creating"
        return outcome, existed

    def put(self, call: Call) -> Outcome:
        vmss = self._vmss(call)
        if not isinstance(call.body, dict):
            raise InvalidRequestContent("The request content was invalid and could not be deserialized.")
        extension = {"name": call.rid.name, "properties": copy.deepcopy(call.body.get("properties") or {})}

        def change(extensions: list[dict[str, Any]], index: int | None) -> dict[str, Any]:
            if index is None:
                extensions.append(extension)
            else:
                extension["name"] = extensions[index]["name"]
                extensions[index] = extension
            return extension

        outcome, existed = self._write(call, vmss, change)
        outcome.status = 200 if existed else 201
        outcome.etag = None
        return outcome

    def patch(self, call: Call) -> Outcome:
        vmss = self._vmss(call)
        patch = call.body if isinstance(call.body, dict) else {}

        def change(extensions: list[dict[str, Any]], index: int | None) -> dict[str, Any]:
            if index is None:
                raise not_found(call.rid)
            extensions[index] = merge_patch(extensions[index], {"properties": patch.get("properties") or {}})
            return extensions[index]

        outcome, _ = self._write(call, vmss, change)
        outcome.status = 200
        outcome.etag = None
        return outcome

    def delete(self, call: Call) -> Outcome:
        vmss = self._vmss(call)
        extensions = model.dig(vmss.body, "properties", "virtualMachineProfile", "extensionProfile", "extensions") or []
        if _find(extensions, call.rid.name) is None:
            return Outcome(status=204)

        def change(extensions: list[dict[str, Any]], index: int | None) -> None:
            assert index is not None
            del extensions[index]

        outcome, _ = self._write(call, vmss, change)
        return Outcome(status=202, operation=outcome.operation, lro="both")


class ScaleSetVMExtensions(ResourceType):
    """`P/virtualMachines/{id}/extensions[/{name}]` (read-only): the extensions of the model the VM runs."""

    full_type = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/extensions"
    api_versions = COMPUTE

    def _vm_extensions(self, call: Call) -> list[dict[str, Any]]:
        vm_rid = call.rid if call.collection else call.rid.parent
        assert vm_rid is not None
        vm = call.ctx.store.get(vm_rid.key)
        if vm is None:
            raise not_found(vm_rid)
        return [
            {**copy.deepcopy(r), "type": self.full_type, "id": f"{vm.id}/extensions/{r.get('name')}"}
            for r in vm.body.get("resources") or []
        ]

    def list(self, call: Call) -> list[dict[str, Any]]:
        return self._vm_extensions(call)

    def get(self, call: Call) -> Outcome:
        for extension in self._vm_extensions(call):
            if str(extension.get("name", "")).lower() == call.rid.name.lower():
                return Outcome(200, extension)
        raise not_found(call.rid)

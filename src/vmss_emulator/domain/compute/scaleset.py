"""Microsoft.Compute/virtualMachineScaleSets: the scale-set model and what changing it does.

PUT creates or deep-merges into the stored model (az vmss scale sends only `{location, sku}`, az vmss update
drops imageReference), PATCH merge-patches; both then validate, check the restrictions, fill Azure's
defaults, and reconcile the VMs: scale out/in to `sku.capacity` and apply the upgrade policy when the model
essence changed. Etags are integers counting model writes ("1", "2", ...).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from vmss_emulator._utils.casing import deep_merge_put, merge_patch
from vmss_emulator._utils.clock import iso
from vmss_emulator.domain import lifecycle
from vmss_emulator.domain.apiversions import COMPUTE
from vmss_emulator.domain.compute import actions, history, instances, model, profile_checks, upgrades
from vmss_emulator.domain.compute.capacity import reconcile_capacity
from vmss_emulator.domain.compute.instance_view import scale_set_instance_view
from vmss_emulator.domain.contracts import SCALE_SET_NETWORK
from vmss_emulator.domain.errors import InvalidRequestContent, ResourceNotFound
from vmss_emulator.domain.ids import ResourceId, new_guid
from vmss_emulator.domain.registry import Call, Outcome, not_found
from vmss_emulator.domain.tracked import TrackedResourceType
from vmss_emulator.store import Record


class ScaleSets(TrackedResourceType):
    full_type = instances.VMSS_TYPE
    api_versions = COMPUTE
    etag_style: ClassVar[str] = "integer"
    create_transition: ClassVar[str] = lifecycle.VMSS_CREATE
    delete_transition: ClassVar[str] = lifecycle.VMSS_DELETE

    # -- reads ------------------------------------------------------------------------------------

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body = copy.deepcopy(record.body)
        expand = (call.q("$expand") or "").lower()
        user_data = (record.state.get("secrets") or {}).get("userData")
        if "userdata" in expand and user_data is not None and "virtualMachineProfile" in body.get("properties", {}):
            body["properties"]["virtualMachineProfile"]["userData"] = user_data
        return body

    def get_endpoint(self, call: Call) -> Outcome:
        record = self.load(call)
        endpoint = (call.endpoint or "").lower()
        if endpoint == "instanceview":
            return Outcome(200, scale_set_instance_view(record, instances.list_vms(call.ctx, record)))
        if endpoint == "rollingupgrades/latest":
            latest = upgrades.latest_view(record)
            if latest is None:
                raise ResourceNotFound(
                    f"The entity was not found in this Azure location. No rolling upgrade was found for Virtual "
                    f"Machine Scale Set '{record.body['name']}'.",
                    code="NotFound",
                )
            return Outcome(200, latest)
        if endpoint == "skus":
            return Outcome(200, {"value": _skus(record)})
        if endpoint == "osupgradehistory":
            return Outcome(200, {"value": history.entries(record)})
        raise not_found(call.rid, endpoint=call.endpoint)

    def post_action(self, call: Call) -> Outcome:
        record = self.load(call)
        return actions.scale_set_action(call, self, record)

    # -- writes -----------------------------------------------------------------------------------

    def put(self, call: Call) -> Outcome:
        existing = call.ctx.store.get(call.rid.key)
        if existing is not None and existing.type_key != self.full_type.lower():
            existing = None
        incoming = self._incoming(call)
        merged = deep_merge_put(existing.body, incoming) if existing else incoming
        return self.apply(call, existing, merged)

    def patch(self, call: Call) -> Outcome:
        existing = self.load(call)
        incoming = self._incoming(call)
        merged = merge_patch(existing.body, incoming)
        if "tags" in incoming:
            # Tags in a PATCH replace the whole dictionary (ARM RPC), they do not merge.
            merged["tags"] = incoming["tags"] or {}
        outcome = self.apply(call, existing, merged)
        outcome.status = 200
        return outcome

    def _incoming(self, call: Call) -> dict[str, Any]:
        if not isinstance(call.body, dict):
            raise InvalidRequestContent(
                "The request content was invalid and could not be deserialized: 'Required property 'properties' "
                "expects a value but got null. Path '', line 1, position 1.'."
            )
        incoming = model.drop_nulls(call.body) if call.method == "PUT" else copy.deepcopy(call.body)
        model.strip_read_only(incoming)
        incoming.pop("location", None)
        return incoming

    def apply(self, call: Call, existing: Record | None, merged: dict[str, Any]) -> Outcome:
        """Validate and store a new model, then reconcile the VMs; nothing is written when it refuses."""
        ctx = call.ctx
        rid = ResourceId.parse(existing.id) if existing else call.rid
        secrets = copy.deepcopy(existing.state.get("secrets") or {}) if existing else {}
        merged.setdefault("name", rid.name)
        model.extract_secrets(merged, secrets)
        model.coerce(merged)
        model.validate(merged, creating=existing is None)
        vms = instances.list_vms(ctx, existing) if existing else []
        if existing is not None:
            all_deallocated = all(vm.state.get("power") == "deallocated" for vm in vms)
            model.check_restrictions(existing.body, merged, all_deallocated=all_deallocated)
        model.check_image(merged)
        now = ctx.now()
        model.fill_defaults(
            merged, now_iso=iso(now), existing=existing.body if existing else None, tenant_id=ctx.settings.tenant_id
        )
        model.check_rolling_health(merged)
        if existing is not None:
            profile_checks.check_os_profile_change(
                existing.body,
                merged,
                before_secrets=existing.state.get("secrets") or {},
                after_secrets=secrets,
                api_version=call.api_version,
            )
        location = self._location(call, existing)
        network = ctx.services.get(SCALE_SET_NETWORK)
        profile = model.dig(merged, "properties", "virtualMachineProfile", "networkProfile")
        if network is not None and isinstance(profile, dict):
            previous = (
                model.dig(existing.body, "properties", "virtualMachineProfile", "networkProfile") if existing else None
            )
            network.validate_profile(
                ctx,
                scale_set_id=rid,
                location=location,
                vm_size=str(model.dig(merged, "sku", "name")),
                orchestration_mode=model.orchestration_mode(merged),
                network_profile=copy.deepcopy(profile),
                previous_profile=copy.deepcopy(previous),
                single_placement_group=bool(model.dig(merged, "properties", "singlePlacementGroup")),
            )
        merged.pop("name", None)
        body = self._frame(call, rid, merged, existing)
        body["location"] = location
        record = existing or Record(
            id=str(rid),
            type=self.full_type,
            body=body,
            scope_key=rid.scope_key,
            parent_key=None,
            created_at=now,
            state={"nextInstanceId": 0, "seq": 0, "placementGroupId": new_guid()},
        )
        counter = int(record.state.get("etagCounter", 0)) + 1
        record.state["etagCounter"] = counter
        record.etag = f'"{counter}"'
        body["etag"] = record.etag
        record.body = _ordered(body)
        record.state["secrets"] = secrets
        record.changed_at = now
        old_hash = record.state.get("hash")
        record.state["hash"] = model.essence_hash(record.body)
        model.props(record.body)["provisioningState"] = "Succeeded"
        ctx.store.put(record)

        dues: list[float | None] = []
        if old_hash is not None and old_hash != record.state["hash"] and vms:
            dues += upgrades.apply_policy(ctx, record, vms)
        dues += reconcile_capacity(ctx, record)
        pending = [d for d in dues if d is not None]
        if pending:
            model.props(record.body)["provisioningState"] = "Creating" if existing is None else "Updating"
            ctx.store.put(record)
        op = upgrades.start_reconcile(ctx, record, dues, settle_scale_set=True)
        shown = self.view(call, record)
        shown["properties"]["provisioningState"] = "Creating" if existing is None else "Updating"
        return Outcome(status=200 if existing else 201, body=shown, operation=op, lro="async", etag=record.etag)

    def before_delete(self, call: Call, record: Record) -> None:
        for vm in instances.list_vms(call.ctx, record):
            instances.detach_network(call.ctx, record, vm)


def _ordered(body: dict[str, Any]) -> dict[str, Any]:
    order = ["name", "id", "type", "location", "tags", "etag", "sku", "plan", "identity", "zones", "properties"]
    out = {k: body[k] for k in order if k in body}
    out.update({k: v for k, v in body.items() if k not in out})
    return out


def _skus(record: Record) -> list[dict[str, Any]]:
    from vmss_emulator.domain.catalog.vm_sizes import sizes_on_cluster_of

    spg = bool(model.dig(record.body, "properties", "singlePlacementGroup"))
    maximum = model.SINGLE_PLACEMENT_GROUP_LIMIT if spg else model.MAX_CAPACITY
    return [
        {
            "resourceType": instances.VMSS_TYPE,
            "sku": {"name": size.name, "tier": size.tier},
            "capacity": {"minimum": 0, "maximum": maximum, "defaultCapacity": 1, "scaleType": "Automatic"},
        }
        for size in sizes_on_cluster_of(str(model.dig(record.body, "sku", "name")))
    ]

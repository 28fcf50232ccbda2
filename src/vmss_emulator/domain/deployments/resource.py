"""Microsoft.Resources/deployments at resource-group scope: PUT, GET, list, DELETE and the POST actions.

A deployment is stored as a record in its resource group (linked to the group as its parent, so
`GET .../resources` does not list it, as in Azure). Its private `state` keeps the request (the
template and raw parameter values, never rendered) and the progress of the `deployments.run`
operation (`runner.py`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from vmss_emulator.domain import apiversions
from vmss_emulator.domain.deployments import operations_view, whatif
from vmss_emulator.domain.deployments.common import (
    ACCEPTED,
    ACTIVE,
    CANCELED,
    DELETE_KIND,
    FULL_TYPE,
    NAMESPACE,
    RUN_KIND,
    SUCCEEDED,
    WHATIF_KIND,
    DeploymentActive,
    DeploymentCannotBeCancelled,
    duration,
    not_found,
)
from vmss_emulator.domain.deployments.plan import (
    DeploymentRequest,
    document,
    parse_request,
    prepare_deployment,
    validated_resources,
)
from vmss_emulator.domain.errors import ArmError, MethodNotAllowed, ResourceNotFound
from vmss_emulator.domain.ids import new_guid
from vmss_emulator.domain.registry import Call, Outcome, ResourceType
from vmss_emulator.store import Record


class DeploymentOperationNotFound(ResourceNotFound):
    pass


class Deployments(ResourceType):
    full_type: ClassVar[str] = FULL_TYPE
    api_versions: ClassVar[tuple[str, ...]] = apiversions.RESOURCES

    # -- reads ------------------------------------------------------------------------------------

    def _load(self, call: Call) -> Record:
        record = call.ctx.store.get(call.rid.key)
        if record is None or record.type_key != FULL_TYPE.lower():
            raise not_found(call.rid.name)
        return record

    def view(self, call: Call, record: Record) -> dict[str, Any]:
        body: dict[str, Any] = dict(record.body)
        properties = dict(body["properties"])
        if properties["provisioningState"] in ACTIVE:
            properties["duration"] = duration(call.ctx.now() - float(record.state["startedAt"]))
        body["properties"] = properties
        return body

    def get(self, call: Call) -> Outcome:
        return Outcome(status=200, body=self.view(call, self._load(call)))

    def head(self, call: Call) -> Outcome:
        self._load(call)
        return Outcome(status=204)

    def list(self, call: Call) -> list[dict[str, Any]]:
        records = call.ctx.store.list_in_scope(call.rid.scope_key, FULL_TYPE)
        return [self.view(call, record) for record in records]

    def get_endpoint(self, call: Call) -> Outcome:
        endpoint = (call.endpoint or "").lower()
        if endpoint == "operations":
            return Outcome(status=200, body={"value": operations_view.list_operations(call, self._load(call))})
        if endpoint.startswith("operations/") and endpoint.count("/") == 1:
            wanted = endpoint.split("/")[1]
            for item in operations_view.list_operations(call, self._load(call)):
                if item["operationId"] == wanted:
                    return Outcome(status=200, body=item)
            raise DeploymentOperationNotFound(f"Deployment operation '{wanted}' could not be found.")
        return super().get_endpoint(call)

    # -- writes -----------------------------------------------------------------------------------

    def put(self, call: Call) -> Outcome:
        ctx = call.ctx
        existing = ctx.store.get(call.rid.key)
        if existing is not None and existing.body["properties"]["provisioningState"] in ACTIVE:
            raise DeploymentActive(
                f"Unable to edit or replace deployment '{call.rid.name}': previous deployment from "
                f"'{existing.body['properties']['timestamp']}' is still active (state: "
                f"{existing.body['properties']['provisioningState']}). Please see https://aka.ms/arm-deploy-resources "
                "for usage details."
            )
        request = parse_request(call.body)
        now = ctx.now()
        prepared = prepare_deployment(ctx, call.rid, request, now)
        correlation = call.headers.get_ci("x-ms-correlation-request-id") or new_guid()
        body = document(call.rid, prepared, request, state=ACCEPTED, now=now, correlation_id=correlation)
        record = Record(
            id=str(call.rid),
            type=FULL_TYPE,
            body=body,
            scope_key=call.rid.scope_key,
            parent_key=call.rid.resource_group_id.key,
            created_at=existing.created_at if existing else now,
            changed_at=now,
        )
        op = ctx.ops().start(
            RUN_KIND,
            resource_id=record.id,
            namespace=NAMESPACE,
            location=prepared.context.resource_group_location,
            data={"deployment": record.id},
        )
        op.body["statusUrl"] = f"{call.rid}/operationStatuses/{op.id}"
        ctx.store.put_operation(op)
        record.state = {
            "request": {"template": request.template, "parameters": request.parameters, "mode": request.mode},
            "startedAt": now,
            "resources": {},
            "operation": op.id,
        }
        ctx.store.put(record)
        return Outcome(status=200 if existing else 201, body=self.view(call, record), operation=op, lro="async")

    def delete(self, call: Call) -> Outcome:
        ctx = call.ctx
        record = ctx.store.get(call.rid.key)
        if record is None or record.type_key != FULL_TYPE.lower():
            return Outcome(status=204)
        if record.body["properties"]["provisioningState"] in ACTIVE:
            raise DeploymentActive(
                f"The deployment '{call.rid.name}' cannot be deleted because it is still active. Cancel it first."
            )
        ctx.store.delete(record.key)
        op = ctx.ops().start(DELETE_KIND, resource_id=record.id, namespace=NAMESPACE, location="")
        ctx.ops().finish(op)
        return Outcome(status=202, operation=op, lro="location")

    def patch(self, call: Call) -> Outcome:
        raise MethodNotAllowed("The requested resource does not support http method 'PATCH'.")

    # -- actions ----------------------------------------------------------------------------------

    def post_action(self, call: Call) -> Outcome:
        action = (call.endpoint or "").lower()
        if action == "validate":
            return self._validate(call)
        if action == "cancel":
            return self._cancel(call)
        if action == "exporttemplate":
            record = self._load(call)
            return Outcome(status=200, body={"template": record.state["request"]["template"]})
        if action == "whatif":
            return self._what_if(call)
        return super().post_action(call)

    def _validate(self, call: Call) -> Outcome:
        ctx = call.ctx
        request = parse_request(call.body)
        now = ctx.now()
        prepared = prepare_deployment(ctx, call.rid, request, now)
        correlation = call.headers.get_ci("x-ms-correlation-request-id") or new_guid()
        body = document(call.rid, prepared, request, state=SUCCEEDED, now=now, correlation_id=correlation)
        body["properties"]["validatedResources"] = validated_resources(prepared)
        return Outcome(status=200, body=body)

    def _cancel(self, call: Call) -> Outcome:
        ctx = call.ctx
        record = self._load(call)
        state = record.body["properties"]["provisioningState"]
        if state not in ACTIVE:
            raise DeploymentCannotBeCancelled(
                f"The deployment '{call.rid.name}' cannot be cancelled because it is in state '{state}'."
            )
        record.body["properties"]["provisioningState"] = CANCELED
        record.body["properties"]["duration"] = duration(ctx.now() - float(record.state["startedAt"]))
        ctx.store.put(record)
        op = ctx.ops().get(str(record.state.get("operation")))
        if op is not None:
            ctx.ops().cancel(op, ArmError("The deployment was canceled.", code="DeploymentCanceled"))
        return Outcome(status=204)

    def _what_if(self, call: Call) -> Outcome:
        ctx = call.ctx
        request: DeploymentRequest = parse_request(call.body)
        prepared = prepare_deployment(ctx, call.rid, request, ctx.now())
        result = whatif.what_if(ctx, prepared, request.mode)
        op = ctx.ops().start(WHATIF_KIND, resource_id=str(call.rid), namespace=NAMESPACE, location="")
        ctx.ops().finish(op, result)
        return Outcome(status=202, operation=op, lro="location")
